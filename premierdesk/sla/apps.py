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
        # Every ticket change re-derives its clocks in the change's transaction (an opening starts
        # them before the ticket's row is written, so it is written once); the ticket
        # page shows them in its SLA panel.
        hooks.ticket_changed.connect(actions.refresh_clocks)
        hooks.start_clocks.answer_with(actions.start_clocks)
        hooks.clock_panel.answer_with(display.ticket_panel)
