"""Customer spaces: each organization's pages, written by staff in Markdown, read by its contacts
(SPEC §7)."""

from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "premierdesk.spaces"
    label = "spaces"
    verbose_name = "Customer spaces"
