"""Feedback (docs/product/surveys-and-reports.md#surveys): the survey every closed ticket gets, and
what the answers say."""

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "premierdesk.feedback"
    label = "feedback"
    verbose_name = "Feedback surveys"
