"""SLA: the rules choosing a ticket's coverage calendar, and each ticket's response clocks."""

from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "premierdesk.sla"
    label = "sla"
    verbose_name = "SLA"

    def ready(self) -> None:
        from premierdesk.sla import signals

        signals.connect()
