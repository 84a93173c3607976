"""The survey of a closed ticket (docs/product/surveys-and-reports.md#surveys): its policy, the
invitation sent to the ticket's contact with a single-use link, and the one answer it may get."""

from __future__ import annotations

from django.conf import settings
from django.db import models

RATINGS = range(1, 6)
TEXT_MAX_LENGTH = 5000


class SurveyPolicy(models.Model):
    """Survey numbers an administrator changes as data (docs/product/surveys-and-reports.md#surveys,
    policy). One row."""

    link_valid_days = models.PositiveSmallIntegerField(
        default=28, help_text="Days a survey link works after the ticket closed."
    )
    low_rating_at_most = models.PositiveSmallIntegerField(
        default=2,
        help_text="A rating at or below this alerts the office lead of the ticket's owner.",
    )

    class Meta:
        verbose_name_plural = "survey policy"

    def __str__(self) -> str:
        return "Survey policy"

    @classmethod
    def current(cls) -> SurveyPolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy


class Invitation(models.Model):
    """One per ticket, made when it closes. Only the SHA-256 digest of the link's token is
    kept, so nobody reading this table can answer in the contact's name."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.PROTECT, related_name="survey_invitation"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_invitations"
    )
    # Who worked the ticket to its close, kept for the satisfaction reports (by engineer and
    # office) even if the ticket is reassigned later.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField(help_text="The link works up to and including this instant.")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"Survey of ticket {self.ticket_id}"


class Answer(models.Model):
    """The contact's answer: one per ticket (and so per invitation)."""

    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="answer")
    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.PROTECT, related_name="survey_answer"
    )
    rating = models.PositiveSmallIntegerField()
    went_well = models.TextField(blank=True)
    could_be_better = models.TextField(blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=RATINGS.start, rating__lt=RATINGS.stop),
                name="survey_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"Rating {self.rating} for ticket {self.ticket_id}"
