"""Coverage calendars and the policy choosing them, as data an administrator edits; and each
ticket's clocks, stored only as a cache (due times to sort and sweep by) of what
``sla.clocks.derive_clocks`` computes from the ticket's timeline."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from django.db import models

from premierdesk.catalog.models import Level, WeekendClass
from premierdesk.lib import coverage
from premierdesk.lib.zones import validate_time_zone
from premierdesk.sla.clocks import ClockKind


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class CoverageCalendar(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100, unique=True)
    always_open = models.BooleanField(
        default=False, help_text="All time is covered except what closed spans take out."
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def as_calendar(self) -> coverage.Calendar:
        """The pure calendar (prefetch spans, holidays and exceptions for lists)."""
        spans = list(self.spans.all())
        return coverage.Calendar(
            name=self.name,
            always_open=self.always_open,
            open_spans=tuple(s.as_span() for s in spans if not s.closes),
            closed_spans=tuple(s.as_span() for s in spans if s.closes),
            holidays=tuple(h.as_holiday() for h in self.holidays.all()),
            open_exceptions=tuple(e.as_interval() for e in self.exceptions.all() if e.opens),
            closed_exceptions=tuple(e.as_interval() for e in self.exceptions.all() if not e.opens),
        )


class CalendarSpan(models.Model):
    """A weekly stretch, from a wall time in one zone to a wall time in another (or the same)."""

    calendar = models.ForeignKey(CoverageCalendar, on_delete=models.CASCADE, related_name="spans")
    closes = models.BooleanField(
        default=False, help_text="Takes time out (e.g. the global weekend) rather than adding it."
    )
    start_day = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    start_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    end_day = models.PositiveSmallIntegerField(choices=Weekday.choices)
    end_time = models.TimeField()
    end_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    label = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["calendar", "start_day", "start_time"]

    def __str__(self) -> str:
        return self.label or f"{self.get_start_day_display()} {self.start_time:%H:%M}"

    def as_span(self) -> coverage.WeeklySpan:
        return coverage.WeeklySpan(
            self.start_day,
            self.start_time,
            self.start_zone,
            self.end_day,
            self.end_time,
            self.end_zone,
            self.label,
        )


class CalendarHoliday(models.Model):
    calendar = models.ForeignKey(
        CoverageCalendar, on_delete=models.CASCADE, related_name="holidays"
    )
    first = models.DateField()
    last = models.DateField()
    zone = models.CharField(max_length=64, validators=[validate_time_zone])
    label = models.CharField(max_length=100, default="holiday")

    class Meta:
        ordering = ["calendar", "first"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last__gte=models.F("first")), name="holiday_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.first:%Y-%m-%d}"

    def as_holiday(self) -> coverage.Holiday:
        return coverage.Holiday(self.first, self.last, self.zone, self.label)


class CalendarException(models.Model):
    calendar = models.ForeignKey(
        CoverageCalendar, on_delete=models.CASCADE, related_name="exceptions"
    )
    opens = models.BooleanField(help_text="Adds covered time; otherwise takes it out.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    label = models.CharField(max_length=100)

    class Meta:
        ordering = ["calendar", "starts_at"]

    def __str__(self) -> str:
        return self.label

    def as_interval(self) -> coverage.Interval:
        return coverage.Interval(
            self.starts_at.astimezone(UTC), self.ends_at.astimezone(UTC), self.label
        )


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
