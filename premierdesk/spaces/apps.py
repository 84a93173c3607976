"""Customer spaces: each organization's pages, written by staff in Markdown, read by its contacts
(docs/product/services.md#customer-spaces)."""

from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "premierdesk.spaces"
    label = "spaces"
    verbose_name = "Customer spaces"
