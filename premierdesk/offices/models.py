"""Offices (each in its own time zone) and the engineers who work in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from premierdesk.lib.zones import validate_time_zone


class Office(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. AU.")
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    calendar = models.ForeignKey(
        "calendars.CoverageCalendar",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
        help_text="Working hours (in the office's zone) and holidays: the office is on duty "
        "whenever this calendar covers the moment.",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_offices",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Engineer(models.Model):
    """A support engineer's place in the team: office, product skills and load limit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="engineer"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="engineers")
    skills = models.ManyToManyField("catalog.Product", related_name="engineers", blank=True)
    max_load = models.PositiveSmallIntegerField(
        default=8, help_text="Open tickets (weighted by level) this engineer carries at most."
    )

    class Meta:
        ordering = ["office", "user__full_name"]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.office})"


class Absence(models.Model):
    """An engineer away (leave, training): not routed new tickets meanwhile."""

    engineer = models.ForeignKey(Engineer, on_delete=models.CASCADE, related_name="absences")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["engineer", "starts_at"]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="absence_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.engineer} away from {self.starts_at:%Y-%m-%d}"


class OnCallShift(models.Model):
    """A stretch of the weekend on-call roster for critical levels."""

    engineer = models.ForeignKey(Engineer, on_delete=models.CASCADE, related_name="on_call")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="on_call_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.engineer} on call from {self.starts_at:%Y-%m-%d %H:%M}"


class HandoverRun(models.Model):
    """One office's end of duty, handed over once: the unique pair is the claim, so two
    schedulers running at once hand each ticket over once. A run left unfinished by a crash
    is finished by the next scheduler once its lease has lapsed."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    boundary_at = models.DateTimeField()
    started_at = models.DateTimeField()
    lease_until = models.DateTimeField(
        null=True, help_text="The scheduler running it renews this; past it, it has crashed."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "boundary_at"], name="one_run_per_boundary")
        ]
        indexes = [
            models.Index(
                fields=["lease_until"],
                condition=models.Q(finished_at__isnull=True),
                name="handover_run_unfinished",
            )
        ]

    def __str__(self) -> str:
        return f"{self.office} at {self.boundary_at:%Y-%m-%d %H:%M}"


class HandoverNote(models.Model):
    """What the outgoing owner writes in their last hour: status, next steps, and when the
    customer can be reached."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.TextField()
    next_steps = models.TextField()
    customer_availability = models.TextField(blank=True)
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"Handover note on ticket {self.ticket_id}"


class Handover(models.Model):
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.PROTECT, related_name="handovers")
    run = models.ForeignKey(HandoverRun, on_delete=models.PROTECT, related_name="handovers")
    at = models.DateTimeField()
    from_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_received"
    )
    from_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    to_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    note = models.ForeignKey(HandoverNote, null=True, blank=True, on_delete=models.PROTECT)
    summary = models.TextField(help_text="The note, or, without one, a summary of last events.")
    flagged = models.BooleanField(default=False, help_text="Handed over without a note.")
    acknowledge_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    lead_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "run"], name="one_handover_per_run")
        ]
        indexes = [
            models.Index(
                fields=["acknowledge_by"],
                condition=models.Q(acknowledged_at__isnull=True, lead_alerted_at__isnull=True),
                name="handover_ack_due",
            )
        ]

    def __str__(self) -> str:
        return f"Handover of ticket {self.ticket_id} at {self.at:%Y-%m-%d %H:%M}"
