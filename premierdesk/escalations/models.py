"""More help on a ticket (docs/product/services.md): an escalation owned by an escalation manager, a
manager callback with a response target, and developer teams answering priority assistance requests.
Each row stays after it is closed: the history of who helped, and how, is kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class EscalationReason(models.TextChoices):
    CRITICAL_BUG = "critical_bug", "Critical because of a bug"
    NOT_PROGRESSING = "not_progressing", "Not progressing"
    OTHER = "other", "Other"


class Escalation(models.Model):
    """A ticket escalated to an escalation manager, who owns it until they resolve it. It
    outlives the ticket's own resolution: only its manager (or a support manager) ends it."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.PROTECT, related_name="escalations"
    )
    reason = models.CharField(max_length=16, choices=EscalationReason.choices)
    details = models.TextField(blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalations_owned"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        constraints = [
            # The database's own guard against two open escalations of one ticket.
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_escalation_per_ticket",
            )
        ]
        indexes = [models.Index(fields=["manager", "resolved_at"])]

    def __str__(self) -> str:
        return f"Escalation {self.pk} of ticket {self.ticket_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class CallbackRole(models.TextChoices):
    """Who the customer wants to speak to; the values are the account roles."""

    SUPPORT_MANAGER = "support_manager", "A support manager"
    ESCALATION_MANAGER = "escalation_manager", "An escalation manager"


class CallbackRequest(models.Model):
    """A customer unhappy with the service asks a manager to call them back. Due within the
    policy's hours; the support managers hear once when it is overdue. Recording the outcome
    closes it."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.PROTECT, related_name="callbacks")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="callbacks_requested"
    )
    requested_at = models.DateTimeField()
    wants = models.CharField(max_length=24, choices=CallbackRole.choices)
    complaint = models.TextField(help_text="What is wrong with the service.")
    phone = models.CharField(max_length=40)
    preferred_times = models.CharField(max_length=300, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="callbacks_assigned"
    )
    due_at = models.DateTimeField()
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    called_back_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "requested_by"],
                condition=Q(closed_at__isnull=True),
                name="one_open_callback_per_person_and_ticket",
            )
        ]
        indexes = [
            # The overdue sweep reads only open callbacks not yet alerted.
            models.Index(
                fields=["due_at"],
                condition=Q(closed_at__isnull=True, overdue_alerted_at__isnull=True),
                name="callback_overdue_due",
            ),
            models.Index(fields=["assignee", "closed_at"]),
        ]

    def __str__(self) -> str:
        return f"Callback {self.pk} on ticket {self.ticket_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class DeveloperTeam(models.Model):
    """The developers of one or more products, answering priority assistance requests."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    products = models.ManyToManyField("catalog.Product", related_name="developer_teams", blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="developer_teams", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Urgency(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"


class AssistanceRequest(models.Model):
    """A support engineer's question to a product's developer team about a ticket. Staff only:
    customers never see it, and its answer is an internal event on the ticket's timeline."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.PROTECT, related_name="assistance_requests"
    )
    team = models.ForeignKey(DeveloperTeam, on_delete=models.PROTECT, related_name="requests")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField()
    question = models.TextField()
    evidence = models.TextField(blank=True)
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["team", "answered_at", "asked_at"])]

    def __str__(self) -> str:
        return f"Assistance request {self.pk} on ticket {self.ticket_id}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class EscalationPolicy(models.Model):
    """Numbers of this app an administrator changes as data (policy). One row."""

    callback_response_hours = models.PositiveSmallIntegerField(
        default=4, help_text="Hours within which a manager calls the customer back."
    )

    class Meta:
        verbose_name_plural = "escalation policy"

    def __str__(self) -> str:
        return "Escalation policy"

    @classmethod
    def current(cls) -> EscalationPolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy
