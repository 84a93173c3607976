"""The SLA policy as data an administrator edits (which coverage calendar applies to a ticket,
warnings and pauses); and each ticket's clocks, stored only as a cache (due times to sort and
sweep by) of what ``sla.clocks.derive_clocks`` computes from the ticket's timeline.

The policy's rules are the models' ``clean()`` (the admin shows them beside the field): one rule
without conditions always remains for every ticket to fall back to, and warnings and pauses
name real percentages, clocks and statuses. Neither fits a portable database constraint (one
spans rows, the other looks inside JSON), so writes that skip ``full_clean`` skip them too."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from premierdesk.calendars.models import CoverageCalendar
from premierdesk.catalog.models import Level, WeekendClass
from premierdesk.sla.clocks import ClockKind
from premierdesk.tickets.models import Status

CONDITION_FIELDS = ["offering", "level", "product", "weekend_class", "organization"]
CATCH_ALL = models.Q(offering=None, level="", product=None, weekend_class="", organization=None)


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

    def clean(self) -> None:
        if self.conditions() and self.is_the_only_fallback():
            raise ValidationError(
                "This is the only rule without conditions, the one every ticket falls back "
                "to; add another rule without conditions before giving this one conditions."
            )

    def conditions(self) -> dict[str, Any]:
        """The conditions this rule sets, by field name (a rule setting none is a fallback)."""
        values = {name: getattr(self, name) for name in CONDITION_FIELDS}
        return {name: value for name, value in values.items() if value}

    def is_the_only_fallback(self) -> bool:
        """Whether this rule, as stored, is the only rule without conditions."""
        fallbacks = CalendarRule.objects.filter(CATCH_ALL).values_list("pk", flat=True)
        return self.pk is not None and list(fallbacks) == [self.pk]


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

    def clean(self) -> None:
        errors = {}
        for name, check in (("warning_percents", _warnings_problem), ("pausing", _pausing_problem)):
            problem = check(getattr(self, name))
            if problem:
                errors[name] = problem
        if errors:
            raise ValidationError(errors)


def _warnings_problem(value: Any) -> str | None:
    numbers = isinstance(value, list) and all(
        isinstance(p, int | float) and not isinstance(p, bool) and 0 < p < 100 for p in value
    )
    if not numbers or value != sorted(set(value)):
        return "Give a list of rising percentages between 0 and 100, such as [50, 75]."
    return None


def _pausing_problem(value: Any) -> str | None:
    if not isinstance(value, dict):
        return 'Give the statuses pausing each clock: {"resolution": ["inactive"]}.'
    clocks = [kind.value for kind in ClockKind]
    for kind, statuses in value.items():
        if kind not in clocks:
            return f"“{kind}” is not a clock; the clocks are {', '.join(clocks)}."
        listed = statuses if isinstance(statuses, list) else [statuses]
        unknown = [s for s in listed if s not in Status.values]
        if unknown:
            return (
                f"“{unknown[0]}” is not a ticket status; the statuses are "
                f"{', '.join(Status.values)}."
            )
    return None


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
