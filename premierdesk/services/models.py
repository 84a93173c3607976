"""Premier services (docs/product/services.md): weekend standby requests, health checks with their
findings, the services policy, and the per-person tokens that open calendar feeds."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models

from premierdesk.services.windows import StandbyRules


class ServicePolicy(models.Model):
    """Numbers an administrator changes as data (docs/product/services.md#weekend-standby, policy).
    One row."""

    standby_notice_days = models.PositiveSmallIntegerField(
        default=21, help_text="Days (elapsed) between asking for standby and its window."
    )
    standby_max_hours = models.PositiveSmallIntegerField(
        default=8, help_text="Longest standby window, in elapsed hours."
    )
    first_reminder_hours = models.PositiveSmallIntegerField(
        default=24, help_text="Calendar reminder this many hours before a standby window."
    )
    second_reminder_hours = models.PositiveSmallIntegerField(
        default=1, help_text="A second reminder this many hours before it (0: none)."
    )

    class Meta:
        verbose_name_plural = "service policy"

    def __str__(self) -> str:
        return "Service policy"

    @classmethod
    def current(cls) -> ServicePolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy

    def standby_rules(self) -> StandbyRules:
        return StandbyRules(
            notice=timedelta(days=self.standby_notice_days),
            max_length=timedelta(hours=self.standby_max_hours),
        )

    def reminders(self) -> list[timedelta]:
        hours = {self.first_reminder_hours, self.second_reminder_hours} - {0}
        return [timedelta(hours=h) for h in sorted(hours, reverse=True)]


class StandbyStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class StandbyRequest(models.Model):
    """An engineer on standby for a customer's weekend upgrade or migration. Best effort:
    a support manager confirms it with an engineer, or declines it with a reason."""

    organization = models.ForeignKey(
        "customers.Organization", on_delete=models.PROTECT, related_name="standby_requests"
    )
    license = models.ForeignKey("customers.License", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    plan = models.TextField(help_text="What is planned: the upgrade or migration, its steps.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=StandbyStatus.choices, default=StandbyStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    engineer = models.ForeignKey(
        "offices.Engineer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="standby_windows",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    sequence = models.PositiveIntegerField(
        default=0, help_text="Revision of its calendar event (iCalendar SEQUENCE)."
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["organization", "starts_at"]),
            models.Index(fields=["engineer", "status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="standby_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(engineer__isnull=False),
                name="confirmed_standby_has_engineer",
            ),
        ]

    def __str__(self) -> str:
        return f"Standby {self.pk} for {self.organization_id} from {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def key(self) -> str:
        return f"SB-{self.pk}"


class FeedToken(models.Model):
    """The secret in a person's calendar-feed URLs. Only its SHA-256 digest is kept; a new
    token replaces the old one, which stops opening anything."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Feed token of {self.user_id}"


class HealthCheckStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SCHEDULED = "scheduled", "Scheduled"
    IN_ASSESSMENT = "in_assessment", "In assessment"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class InstallationEnvironment(models.TextChoices):
    """Installations a health check reviews (the values of tickets' environments)."""

    PRODUCTION = "production", "Production"
    QA = "qa", "QA"
    STAGING = "staging", "Staging"


class HealthCheck(models.Model):
    """A review of one product installation by an engineer, delivered as a report of findings."""

    organization = models.ForeignKey(
        "customers.Organization", on_delete=models.PROTECT, related_name="health_checks"
    )
    license = models.ForeignKey("customers.License", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    product_version = models.CharField(max_length=50)
    environment = models.CharField(max_length=16, choices=InstallationEnvironment.choices)
    instance_notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=HealthCheckStatus.choices, default=HealthCheckStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    engineer = models.ForeignKey(
        "offices.Engineer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="health_checks",
    )
    agreed_date = models.DateField(null=True, blank=True, help_text="The customer's local date.")
    summary = models.TextField(blank=True, help_text="The report's summary, written on delivery.")
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"Health check {self.pk}"

    @property
    def key(self) -> str:
        return f"HC-{self.pk}"


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class Finding(models.Model):
    health_check = models.ForeignKey(HealthCheck, on_delete=models.PROTECT, related_name="findings")
    severity = models.CharField(max_length=8, choices=Severity.choices)
    title = models.CharField(max_length=200)
    evidence = models.TextField()
    recommendation = models.TextField()
    status = models.CharField(
        max_length=8, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["health_check", "id"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.title}"
