"""Feedback (docs/product/surveys-and-reports.md#surveys): the survey every closed ticket gets, and
what the answers say."""

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "premierdesk.feedback"
    label = "feedback"
    verbose_name = "Feedback surveys"

    def ready(self) -> None:
        from premierdesk.feedback import actions
        from premierdesk.tickets import hooks

        # A closed ticket's opener is invited to the survey in the close's own transaction.
        hooks.ticket_closed.connect(actions.invite)
