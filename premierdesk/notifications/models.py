"""The outbox: one row per (event, recipient), written in the transaction of the change that
caused it, so a notification exists exactly when its change does."""

from __future__ import annotations

from django.db import models


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Handed to the mail server"
    FAILED = "failed", "Gave up after repeated failures"


class OutboxMessage(models.Model):
    event_key = models.CharField(
        max_length=200, help_text="What happened, e.g. customers.named_contact_requested:42."
    )
    recipient = models.EmailField()
    message_id = models.CharField(
        max_length=200,
        unique=True,
        help_text="Derived from the event and the recipient: a resend is the same message.",
    )
    subject = models.CharField(max_length=250)
    body = models.TextField()
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker may (re)try; empty once settled."
    )
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient"], name="one_message_per_event_and_recipient"
            )
        ]
        indexes = [
            # The worker's scan: pending messages by due time.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outbox_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"
