"""The SLA policy as data an administrator edits (which coverage calendar applies to a ticket,
warnings and pauses); and each ticket's clocks, stored only as a cache (due times to sort and
sweep by) of what ``sla.clocks.derive_clocks`` computes from the ticket's timeline."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import models

from premierdesk.calendars.models import CoverageCalendar
from premierdesk.catalog.models import Level, WeekendClass
from premierdesk.sla.clocks import ClockKind


class CalendarRule(models.Model):
    """Which calendar applies to a ticket: the first rule (lowest priority number) whose every
    filled condition matches wins; a rule with no condition is the default."""

    priority = models.PositiveIntegerField(unique=True)
    calendar = models.ForeignKey(CoverageCalendar, on_delete=models.PROTECT, related_name="+")
    offering = models.ForeignKey(
        "catalog.Offering", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(max_length=2, choices=Level.choices, blank=True)
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    weekend_class = models.CharField(max_length=8, choices=WeekendClass.choices, blank=True)
    organization = models.ForeignKey(
        "customers.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["priority"]

    def __str__(self) -> str:
        return f"{self.priority}: {self.calendar}"


def new_revision() -> str:
    return uuid.uuid4().hex


class SlaPolicy(models.Model):
    """Warning thresholds and the statuses that pause each clock (policy). One row.
    ``revision`` changes with any change to the SLA policy data, calendars and rules
    included, so each process knows when its cached copy is stale."""

    warning_percents = models.JSONField(default=list, blank=True)
    pausing = models.JSONField(default=dict, blank=True)
    revision = models.CharField(max_length=32, default=new_revision, editable=False)

    class Meta:
        verbose_name_plural = "SLA policy"

    def __str__(self) -> str:
        return "SLA policy"


CLOCK_KINDS = [
    (ClockKind.FIRST_RESPONSE.value, "First response"),
    (ClockKind.NEXT_UPDATE.value, "Next update"),
    (ClockKind.RESOLUTION.value, "Resolution"),
    (ClockKind.CUSTOMER_WAIT.value, "Waiting on the customer"),
]


class TicketClock(models.Model):
    """One clock of one ticket, as last derived. ``next_alert_at`` is when the sweep next has
    something to say (a warning threshold or the breach); ``alerts_sent`` how many it said."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(max_length=16, choices=CLOCK_KINDS)
    cycle = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=2, choices=Level.choices)
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    target_minutes = models.PositiveIntegerField(null=True, blank=True)
    counted_seconds = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    paused_by = models.CharField(max_length=24, blank=True)
    thresholds = models.JSONField(
        default=list, help_text="Warning times then the due time, ISO 8601 (running clocks)."
    )
    alerts_sent = models.PositiveSmallIntegerField(default=0)
    next_alert_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["ticket", "kind", "cycle"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind", "cycle"], name="one_clock_per_cycle")
        ]
        indexes = [
            models.Index(
                fields=["next_alert_at"],
                condition=models.Q(next_alert_at__isnull=False),
                name="clock_alert_due",
            ),
            # The attainment report reads one kind of clock over a range of months.
            models.Index(fields=["kind", "started_at"], name="clock_kind_started"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.cycle} of ticket {self.ticket_id}"

    def threshold_times(self) -> list[datetime]:
        return [datetime.fromisoformat(t) for t in self.thresholds]
