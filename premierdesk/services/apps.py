"""Premier services a named contact asks for: health checks and weekend standby, with their
calendar feeds (docs/product/services.md)."""

from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "premierdesk.services"
    label = "services"
    verbose_name = "Health checks and weekend standby"

    def ready(self) -> None:
        from premierdesk.services.models import ServicePolicy
        from premierdesk.spaces import hooks

        # The first "How do I" version of a space states today's standby notice and length.
        hooks.standby_terms.answer_with(ServicePolicy.current)
