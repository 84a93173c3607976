"""Premier services a named contact asks for: health checks and weekend standby, with their
calendar feeds (docs/product/services.md)."""

from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "premierdesk.services"
    label = "services"
    verbose_name = "Health checks and weekend standby"
