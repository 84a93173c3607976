"""Coverage calendars as data an administrator edits: weekly spans, holidays (local dates) and
exceptions, turned into the pure ``lib.coverage.Calendar`` that the arithmetic works on. A
holiday or an exception that ends before it starts is refused by ``full_clean`` (the admin
shows it beside the field) and by a database constraint on every other write."""

from __future__ import annotations

from datetime import UTC

from django.core.exceptions import ValidationError
from django.db import models

from premierdesk.lib import coverage
from premierdesk.lib.zones import validate_time_zone


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

    def clean(self) -> None:
        if self.first and self.last and self.last < self.first:
            raise ValidationError(
                {
                    "last": f"The last day ({self.last}) is before the first ({self.first}); "
                    "a one-day holiday has the same first and last day."
                }
            )

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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="exception_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end must be after the start."})

    def as_interval(self) -> coverage.Interval:
        return coverage.Interval(
            self.starts_at.astimezone(UTC), self.ends_at.astimezone(UTC), self.label
        )
