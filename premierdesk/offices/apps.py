"""Offices: the five support offices and their engineers (follow the sun builds on these)."""

from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "premierdesk.offices"
    label = "offices"
    verbose_name = "Offices and engineers"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from premierdesk.offices import queries, routing
        from premierdesk.offices.models import Office
        from premierdesk.tickets import hooks

        # Routing keeps the office hours until the policy revision moves: an office saved or
        # deleted, whatever route changes it, moves it as a calendar's change does.
        post_save.connect(routing.office_changed, sender=Office, dispatch_uid="offices-hours")
        post_delete.connect(routing.office_changed, sender=Office, dispatch_uid="offices-del")

        # Tickets asks who a new ticket goes to, and which engineers and offices to offer.
        hooks.route_new_ticket.answer_with(routing.route_new_ticket)
        hooks.engineer_choices.answer_with(queries.engineer_choices)
        hooks.office_choices.answer_with(queries.office_choices)
