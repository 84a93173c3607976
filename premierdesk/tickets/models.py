"""Tickets and everything on them: participants, comments (with their edit history),
attachments, phone calls, the timeline, drafts kept when opening a ticket was refused, and the
keys that make retried writes safe."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from premierdesk.catalog.models import Level

KEY_PREFIX = "PS-"


class Environment(models.TextChoices):
    PRODUCTION = "production", "Production"
    STAGING = "staging", "Staging"
    QA = "qa", "QA"
    OTHER = "other", "Other non-production"


class Status(models.TextChoices):
    WAITING_FOR_SUPPORT = "waiting_for_support", "Waiting for support"
    IN_PROGRESS = "in_progress", "In progress"
    WAITING_FOR_CUSTOMER = "waiting_for_customer", "Waiting for customer"
    INACTIVE = "inactive", "Inactive"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = frozenset(
    {
        Status.WAITING_FOR_SUPPORT,
        Status.IN_PROGRESS,
        Status.WAITING_FOR_CUSTOMER,
        Status.INACTIVE,
    }
)


class Ticket(models.Model):
    """A Premier ticket. Its key is ``PS-<id>``."""

    license = models.ForeignKey(
        "customers.License", on_delete=models.PROTECT, related_name="tickets"
    )
    organization = models.ForeignKey(
        "customers.Organization", on_delete=models.PROTECT, related_name="tickets"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    product_version = models.CharField(max_length=50)
    environment = models.CharField(max_length=16, choices=Environment.choices)
    level = models.CharField(max_length=2, choices=Level.choices)
    summary = models.CharField(max_length=250)
    description = models.TextField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opened_tickets"
    )
    opened_at = models.DateTimeField()
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.WAITING_FOR_SUPPORT
    )
    status_changed_at = models.DateTimeField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_tickets",
    )
    office = models.ForeignKey(
        "offices.Office",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        help_text="The owner's office.",
    )
    idle_transition_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a ticket left waiting for the customer goes inactive, or an inactive "
        "one closes (policy); empty otherwise.",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()
    follow_the_sun = models.BooleanField(
        default=False,
        help_text="Handed from office to office at the end of each day (always for L1; "
        "L2 on request).",
    )
    sla_due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The soonest due time of its running SLA clocks (the queue's order); "
        "empty when none runs.",
    )
    # Written by the database from the status, for the open queue's index: its condition
    # and the queue's filter are then the same bare column, which SQLite matches even though
    # Django sends every other value as a parameter (a parameter can match no index condition).
    in_open_queue = models.GeneratedField(
        expression=~models.Q(status__in=[Status.RESOLVED, Status.CLOSED]),  # type: ignore[arg-type]  # Django takes a Q; its stubs say Expression
        output_field=models.BooleanField(),
        db_persist=True,
        help_text="Not resolved and not closed (the database keeps it from the status).",
    )

    class Meta:
        ordering = ["opened_at", "id"]
        indexes = [
            models.Index(fields=["opened_at", "id"]),
            models.Index(fields=["sla_due_at", "opened_at", "id"]),
            # The open queue's order over open tickets only: its page (``ticket_list``) reads
            # its 50 rows here, never stepping over the closed tickets, which have no due
            # time and so lie among the open tickets that have none either.
            models.Index(
                fields=["sla_due_at", "opened_at", "id"],
                condition=models.Q(in_open_queue=True),
                name="ticket_open_queue",
            ),
            models.Index(fields=["status", "opened_at"]),
            # The count of a queue filtered by level (the open queue's L1, L2 ...), read off
            # the index alone rather than from every open ticket's row.
            models.Index(fields=["status", "level"], name="ticket_status_level"),
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["owner", "status"]),
            # The time-to-resolution report reads the tickets resolved in a range of months.
            models.Index(fields=["resolved_at"], name="ticket_resolved_at"),
            models.Index(
                fields=["idle_transition_at"],
                condition=models.Q(idle_transition_at__isnull=False),
                name="ticket_idle_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.summary}"

    @property
    def key(self) -> str:
        return f"{KEY_PREFIX}{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Participant(models.Model):
    """Someone else of the customer organization on one ticket: sees and comments on it."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="participations"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "person"], name="one_participation")
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.ticket.key}"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public (the customer sees it)"
    INTERNAL = "internal", "Internal (staff only)"


class Comment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    body = models.TextField()
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "visibility", "created_at"])]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.ticket.key}"

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class CommentRevision(models.Model):
    """The text a comment had before an edit: edits keep history."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="revisions")
    body = models.TextField()
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["replaced_at", "id"]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} before {self.replaced_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="attachments")
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    file_name = models.CharField(max_length=255)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    storage_name = models.CharField(max_length=300, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.file_name} on {self.ticket.key}"


class CallDirection(models.TextChoices):
    INBOUND = "inbound", "Customer called us"
    OUTBOUND = "outbound", "We called the customer"


class Call(models.Model):
    """A phone call an engineer logged on the ticket."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="calls")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(max_length=8, choices=CallDirection.choices)
    phone_number = models.CharField(max_length=40)
    spoke_with = models.CharField(max_length=200, help_text="Who was on the customer's side.")
    started_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField()
    notes = models.TextField(blank=True)
    logged_at = models.DateTimeField()

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"Call on {self.ticket.key} at {self.started_at:%Y-%m-%d %H:%M}"


class EventKind(models.TextChoices):
    OPENED = "opened", "Opened"
    STATUS_CHANGED = "status_changed", "Status changed"
    LEVEL_CHANGED = "level_changed", "Level changed"
    OWNER_CHANGED = "owner_changed", "Owner changed"
    PARTICIPANT_ADDED = "participant_added", "Participant added"
    COMMENTED = "commented", "Comment"
    COMMENT_EDITED = "comment_edited", "Comment edited"
    ATTACHED = "attached", "Attachment"
    CALL_LOGGED = "call_logged", "Phone call"
    HANDED_OVER = "handed_over", "Handed over"
    HANDOVER_NOTE = "handover_note", "Handover note"
    FOLLOW_THE_SUN = "follow_the_sun", "Follow the sun"
    SLA_WARNING = "sla_warning", "SLA warning"
    SLA_BREACHED = "sla_breached", "SLA breached"
    ESCALATED = "escalated", "Escalated"
    ESCALATION_RESOLVED = "escalation_resolved", "Escalation resolved"
    DEVELOPERS_ASKED = "developers_asked", "Developers asked"
    DEVELOPERS_ANSWERED = "developers_answered", "Developers answered"


class TimelineEvent(models.Model):
    """One thing that happened to a ticket. Internal events are never shown to customers."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=254, help_text="The account, or the system job.")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on ticket {self.ticket_id}"


class Draft(models.Model):
    """What someone typed when opening a ticket was refused: kept for them to forward or
    re-submit through a named contact. Nothing they typed is lost. One form (its
    ``Idempotency-Key``) keeps one draft however often it is sent and refused: a double-click
    does not make two."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafts"
    )
    fields = models.JSONField()
    refusal = models.TextField()
    created_at = models.DateTimeField()
    submitted_as = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request_key = models.CharField(
        max_length=255,
        blank=True,
        help_text="The refused request's Idempotency-Key, if it had one.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "request_key"],
                condition=~models.Q(request_key=""),
                name="one_draft_per_author_and_key",
            )
        ]

    def __str__(self) -> str:
        return f"Draft {self.pk} by {self.author}"


class IdempotencyKey(models.Model):
    """A write a client may retry (opening a ticket, a comment, an attachment): the person's
    ``Idempotency-Key`` for one request, a digest of that request, and what it made. Written in
    the write's own transaction, so it exists exactly when the write committed; a retry with
    the same key gets the first result back (``tickets.idempotency``). Kept for a day."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request = models.CharField(max_length=64, help_text="SHA-256 of the operation and its input.")
    created_at = models.DateTimeField(db_index=True)
    # What the request made: exactly one is set once the write's transaction commits.
    ticket = models.ForeignKey(Ticket, null=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, null=True, on_delete=models.CASCADE, related_name="+")
    attachment = models.ForeignKey(
        Attachment, null=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="one_write_per_actor_and_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.actor_id}"


class TicketPolicy(models.Model):
    """Lifecycle numbers an administrator changes as data (docs/product/tickets.md#idle-tickets,
    policy). One row."""

    inactive_after_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days waiting for the customer before a ticket becomes inactive."
    )
    close_inactive_after_days = models.PositiveSmallIntegerField(
        default=7, help_text="Further days before an inactive ticket closes."
    )
    handover_ack_minutes = models.PositiveSmallIntegerField(
        default=30,
        help_text="Minutes the receiving engineer has to acknowledge a handover before the "
        "receiving office's lead is alerted.",
    )

    class Meta:
        verbose_name_plural = "ticket policy"

    def __str__(self) -> str:
        return "Ticket policy"

    @classmethod
    def current(cls) -> TicketPolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy
