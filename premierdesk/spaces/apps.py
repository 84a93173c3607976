"""Customer spaces: each organization's pages, written by staff in Markdown, read by its contacts
(docs/product/services.md#customer-spaces)."""

from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "premierdesk.spaces"
    label = "spaces"
    verbose_name = "Customer spaces"

    def ready(self) -> None:
        from premierdesk.customers import hooks
        from premierdesk.spaces import actions

        # A customer organization onboarded gets its space in the onboarding's transaction.
        hooks.organization_onboarded.connect(actions.create_space)
