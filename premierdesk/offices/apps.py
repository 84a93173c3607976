"""Offices: the five support offices and their engineers (follow the sun builds on these)."""

from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "premierdesk.offices"
    label = "offices"
    verbose_name = "Offices and engineers"

    def ready(self) -> None:
        from premierdesk.offices import queries, routing
        from premierdesk.tickets import hooks

        # Tickets asks who a new ticket goes to, and which engineers and offices to offer.
        hooks.route_new_ticket.answer_with(routing.route_new_ticket)
        hooks.engineer_choices.answer_with(queries.engineer_choices)
        hooks.office_choices.answer_with(queries.office_choices)
