"""The reports' figures (docs/product/surveys-and-reports.md#reports), each one grouped query
whatever the number of tickets: ticket volume, time to resolution, handovers and satisfaction by a
dimension and month (UTC months), plus SLA attainment from ``sla.reports``. Every report is a
``Table``: the same rows feed the page, its chart, the API and the CSV export, so the four cannot
disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from premierdesk.catalog.models import Offering, Product
from premierdesk.customers.models import Organization
from premierdesk.feedback.models import Answer, SurveyPolicy
from premierdesk.lib.errors import InvalidInput, NotFound
from premierdesk.lib.months import MonthOf
from premierdesk.offices.models import Handover, Office
from premierdesk.sla import reports as sla_reports
from premierdesk.tickets.models import Ticket

# Groups are read by people: offices, organizations and products by their (unique) names.
TICKET_DIMENSIONS = {
    "level": "level",
    "product": "product__name",
    "office": "office__name",
    "organization": "organization__name",
}
HANDOVER_DIMENSIONS = {"from_office": "from_office__name", "to_office": "to_office__name"}

# What each grouping and each column is called on the page (the API and the CSV keep the keys).
GROUPINGS = {
    "level": "Level",
    "product": "Product",
    "office": "Office",
    "organization": "Organization",
    "offering": "Offering",
    "engineer": "Engineer",
    "from_office": "From office",
    "to_office": "To office",
}
COLUMNS = {
    "month": "Month",
    "opened": "Opened",
    "resolved": "Resolved",
    "average_hours": "Average hours",
    "handovers": "Handovers",
    "flagged": "Without a note",
    "late": "Acknowledged late",
    "measured": "Measured",
    "met": "Met",
    "breached": "Breached",
    "attainment": "Attainment (%)",
    "answers": "Answers",
    "average_rating": "Average rating",
    "low": "Low ratings",
}


@dataclass(frozen=True)
class Table:
    """A report's figures: one row per group and month; ``chart`` names the column drawn."""

    name: str
    title: str
    columns: tuple[str, ...]  # the first two are always "group" and "month"
    rows: list[tuple[Any, ...]]
    chart: str
    unit: str = ""
    by: str = ""  # the grouping: what the "group" column holds

    def column(self, name: str) -> list[Any]:
        at = self.columns.index(name)
        return [row[at] for row in self.rows]


@dataclass(frozen=True)
class Period:
    """Whole UTC months from ``first`` to ``last`` (both the first day of their month)."""

    first: date
    last: date

    @classmethod
    def of(cls, since: date | None, until: date | None, today: date) -> Period:
        last = (until or today).replace(day=1)
        first = (since or _months_before(last, 11)).replace(day=1)
        if first > last:
            raise InvalidInput.on_field("since", "The first month is after the last; swap them.")
        if _months_between(first, last) >= 36:
            raise InvalidInput.on_field("since", "Ask for at most 36 months at a time.")
        return cls(first, last)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        following = (self.last + timedelta(days=32)).replace(day=1)
        return datetime.combine(following, time(0), tzinfo=UTC)

    def months(self) -> list[date]:
        found, month = [], self.first
        while month <= self.last:
            found.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return found


Organizations = list[int] | None  # the organizations counted; None: all (reports.rules)


def _of(rows: QuerySet[Any], organizations: Organizations, field: str) -> QuerySet[Any]:
    return rows if organizations is None else rows.filter(**{f"{field}__in": organizations})


def volume(by: str, period: Period, organizations: Organizations = None) -> Table:
    """Tickets opened per group and month."""
    field = _dimension(by, TICKET_DIMENSIONS)
    opened = Ticket.objects.filter(opened_at__gte=period.start, opened_at__lt=period.end)
    opened = _of(opened, organizations, "organization_id")
    rows = _monthly(opened, "opened_at", field).annotate(opened=Count("id"))
    return Table(
        "volume",
        f"Tickets opened by {by}",
        ("group", "month", "opened"),
        [(_group(r[field]), _month(r["month"]), r["opened"]) for r in rows],
        chart="opened",
        unit="tickets",
        by=by,
    )


def resolution(by: str, period: Period, organizations: Organizations = None) -> Table:
    """Tickets resolved per group and month, and their average time from opening to the
    (last) resolution, in hours of the calendar, not of coverage: what the customer lived."""
    field = _dimension(by, TICKET_DIMENSIONS)
    resolved = Ticket.objects.filter(resolved_at__gte=period.start, resolved_at__lt=period.end)
    resolved = _of(resolved, organizations, "organization_id")
    taken = ExpressionWrapper(F("resolved_at") - F("opened_at"), output_field=DurationField())
    rows = _monthly(resolved, "resolved_at", field).annotate(
        resolved=Count("id"), average=Avg(taken)
    )
    return Table(
        "resolution",
        f"Average time to resolution by {by}",
        ("group", "month", "resolved", "average_hours"),
        [(_group(r[field]), _month(r["month"]), r["resolved"], _hours(r["average"])) for r in rows],
        chart="average_hours",
        unit="h",
        by=by,
    )


def handovers(by: str, period: Period, organizations: Organizations = None) -> Table:
    """Handovers per office and month: all, without a note (flagged), and not acknowledged
    in time (acknowledged late, or still not at all once the deadline passed)."""
    field = _dimension(by, HANDOVER_DIMENSIONS)
    within = Handover.objects.filter(at__gte=period.start, at__lt=period.end)
    within = _of(within, organizations, "ticket__organization_id")
    late = Q(acknowledged_at__gt=F("acknowledge_by")) | Q(lead_alerted_at__isnull=False)
    rows = _monthly(within, "at", field).annotate(
        handovers=Count("id"),
        flagged=Count("id", filter=Q(flagged=True)),
        late=Count("id", filter=late),
    )
    return Table(
        "handovers",
        f"Handovers by {GROUPINGS[by].lower()}",
        ("group", "month", "handovers", "flagged", "late"),
        [
            (_group(r[field]), _month(r["month"]), r["handovers"], r["flagged"], r["late"])
            for r in rows
        ],
        chart="handovers",
        unit="handovers",
        by=by,
    )


def attainment(by: str, period: Period, organizations: Organizations = None) -> Table:
    """First-response attainment from the SLA engine, in the same shape as the others."""
    found = sla_reports.attainment(
        by, since=period.first, until=_last_day(period.last), organizations=organizations
    )
    named = _names_of_slugs(by)  # the SLA engine groups by slug; people read names
    return Table(
        "attainment",
        f"First-response attainment by {by}",
        ("group", "month", "measured", "met", "breached", "attainment"),
        [
            (named.get(r.group, r.group), r.month, r.measured, r.met, r.breached, r.attainment)
            for r in found
        ],
        chart="attainment",
        unit="%",
        by=by,
    )


def _names_of_slugs(by: str) -> dict[str, str]:
    """Slug → name for the groupings the SLA engine reports by slug (one query, or none)."""
    models: dict[str, type[Office | Organization | Product | Offering]] = {
        "office": Office,
        "organization": Organization,
        "product": Product,
        "offering": Offering,
    }
    model = models.get(by)
    if model is None:
        return {}
    return dict(model.objects.values_list("slug", "name"))


SATISFACTION_DIMENSIONS = {
    "office": "invitation__office__name",
    "engineer": "invitation__owner__email",
    "product": "ticket__product__name",
    "organization": "ticket__organization__name",
}


def satisfaction(by: str, period: Period, organizations: Organizations = None) -> Table:
    """Survey answers per group and month answered: how many, the average rating (1-5) and
    how many were low (the ones that alerted a lead). Office and engineer are those who had
    the ticket when it closed."""
    field = _dimension(by, SATISFACTION_DIMENSIONS)
    answered = Answer.objects.filter(answered_at__gte=period.start, answered_at__lt=period.end)
    answered = _of(answered, organizations, "ticket__organization_id")
    low = SurveyPolicy.current().low_rating_at_most
    rows = _monthly(answered, "answered_at", field).annotate(
        answers=Count("id"), average=Avg("rating"), low=Count("id", filter=Q(rating__lte=low))
    )
    return Table(
        "satisfaction",
        f"Satisfaction by {by}",
        ("group", "month", "answers", "average_rating", "low"),
        [
            (_group(r[field]), _month(r["month"]), r["answers"], round(r["average"], 2), r["low"])
            for r in rows
        ],
        chart="average_rating",
        unit="/ 5",
        by=by,
    )


@dataclass(frozen=True)
class Report:
    """One entry of the reports' table: what it is called, how it is built, and the groupings
    it supports (the first is the default). The page's form offers exactly these and the API
    refuses any other, both from this table."""

    label: str
    build: Callable[[str, Period, Organizations], Table]
    groupings: tuple[str, ...]


REPORTS: dict[str, Report] = {
    "volume": Report("Volume", volume, tuple(TICKET_DIMENSIONS)),
    "resolution": Report("Time to resolution", resolution, tuple(TICKET_DIMENSIONS)),
    "handovers": Report("Handovers", handovers, tuple(HANDOVER_DIMENSIONS)),
    "attainment": Report("SLA attainment", attainment, tuple(sla_reports.DIMENSIONS)),
    "satisfaction": Report("Satisfaction", satisfaction, tuple(SATISFACTION_DIMENSIONS)),
}


def find_report(name: str) -> Report:
    if name not in REPORTS:
        raise NotFound(f"There is no report {name!r}; the reports are: {', '.join(REPORTS)}.")
    return REPORTS[name]


def grouping_of(name: str, by: str | None) -> str:
    """``by`` if the report ``name`` supports it (its default when empty), else the refusal
    naming the groupings it does support."""
    found = find_report(name)
    if not by:
        return found.groupings[0]
    if by not in found.groupings:
        offered = ", ".join(f"{GROUPINGS[g].lower()} ({g})" for g in found.groupings)
        raise InvalidInput.on_field(
            "by", f"{found.label} cannot be grouped by {by!r}; group it by {offered}."
        )
    return by


def report(name: str, by: str | None, period: Period, organizations: Organizations = None) -> Table:
    """The report ``name`` grouped ``by``; with ``organizations``, only their tickets (an
    enterprise manager's)."""
    return find_report(name).build(grouping_of(name, by), period, organizations)


def _monthly(rows: QuerySet[Any], at: str, field: str) -> QuerySet[Any, dict[str, Any]]:
    # Grouped by a field named at run time, so the stubs cannot know the rows' keys.
    grouped: QuerySet[Any, dict[str, Any]] = rows.annotate(month=MonthOf(at)).values(field, "month")
    return grouped.order_by("month", field)


def _dimension(by: str, dimensions: dict[str, str]) -> str:
    if by not in dimensions:
        raise InvalidInput.on_field("by", f"Group by one of: {', '.join(dimensions)}.")
    return dimensions[by]


def _group(value: object) -> str:
    return str(value) if value else "(none)"


def _month(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _hours(average: timedelta | None) -> float | None:
    return None if average is None else round(average.total_seconds() / 3600, 1)


def _months_before(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _last_day(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
