"""Getting more help on a ticket: escalation managers, manager callbacks and priority developer
assistance (docs/product/services.md)."""

from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "premierdesk.escalations"
    label = "escalations"
    verbose_name = "Escalations, callbacks and developer assistance"
