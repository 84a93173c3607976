"""Getting more help on a ticket: escalation managers, manager callbacks and priority developer
assistance (docs/product/services.md)."""

from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "premierdesk.escalations"
    label = "escalations"
    verbose_name = "Escalations, callbacks and developer assistance"

    def ready(self) -> None:
        from premierdesk.escalations import panel, queries
        from premierdesk.tickets import hooks

        # The ticket page's "More help" panel, and the escalation badge of lists and the API.
        hooks.more_help_panel.answer_with(panel.ticket_panel)
        hooks.escalated.answer_with(queries.escalated)
        hooks.is_escalated.answer_with(queries.is_escalated)
