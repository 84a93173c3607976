"""SLA: the rules choosing a ticket's coverage calendar, and each ticket's response clocks."""

from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "premierdesk.sla"
    label = "sla"
    verbose_name = "SLA"

    def ready(self) -> None:
        from premierdesk.sla import actions, display, signals
        from premierdesk.tickets import hooks

        signals.connect()
        # Every ticket change re-derives its clocks in the change's transaction; the ticket
        # page shows them in its SLA panel.
        hooks.ticket_changed.connect(actions.refresh_clocks)
        hooks.clock_panel.answer_with(display.ticket_panel)
