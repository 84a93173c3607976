"""The manager dashboard at /console/ (docs/product/surveys-and-reports.md#dashboard), read at one
instant: open tickets by level and office, tickets whose SLA clock runs out in the next hour (and
those already past it), today's handovers, and this month's first-response attainment and
satisfaction. A fixed handful of grouped queries, whatever the number of tickets."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.safestring import mark_safe

from premierdesk.catalog.models import Level
from premierdesk.feedback.models import Answer
from premierdesk.offices.models import Handover
from premierdesk.reports import charts
from premierdesk.sla import reports as sla_reports
from premierdesk.tickets.models import OPEN_STATUSES, Ticket

AT_RISK_SHOWN = 10
RISK_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class OpenByOffice:
    office: str
    by_level: list[int]  # in Level order
    total: int


@dataclass(frozen=True)
class HandoverFlow:
    from_office: str
    to_office: str
    handovers: int
    flagged: int
    unacknowledged: int


@dataclass(frozen=True)
class Dashboard:
    now: datetime
    levels: list[str]
    open_by_office: list[OpenByOffice]
    open_by_level: list[int]
    at_risk: list[Ticket]  # due within the hour, soonest first
    at_risk_count: int
    breached_open: int
    handovers_today: list[HandoverFlow]
    day_start: datetime
    attainment: float | None  # this month's first response, in percent; None: nothing measured
    measured: int
    satisfaction: float | None  # this month's average rating (1-5); None: no answer yet
    answers: int


def dashboard(
    now: datetime, zone: str = "UTC", organizations: list[int] | None = None
) -> Dashboard:
    """``organizations``: count only their tickets (an enterprise manager's, reports.rules);
    None: all."""
    tickets = Ticket.objects.all()
    if organizations is not None:
        tickets = tickets.filter(organization_id__in=organizations)
    open_rows = _open_by_office(tickets)
    due = tickets.filter(status__in=OPEN_STATUSES, sla_due_at__isnull=False)
    at_risk = due.filter(sla_due_at__gte=now, sla_due_at__lt=now + RISK_WINDOW)
    day_start = _day_start(now, zone)
    measured, attainment = _month_attainment(now, organizations)
    answers, satisfaction = _month_satisfaction(now, tickets)
    return Dashboard(
        now=now,
        levels=list(Level.values),
        open_by_office=open_rows,
        open_by_level=[sum(r.by_level[n] for r in open_rows) for n in range(len(Level.values))],
        at_risk=list(
            at_risk.select_related("owner", "office", "organization").order_by("sla_due_at")[
                :AT_RISK_SHOWN
            ]
        ),
        at_risk_count=at_risk.count(),
        breached_open=due.filter(sla_due_at__lt=now).count(),
        handovers_today=_handovers(day_start, day_start + timedelta(days=1), tickets),
        day_start=day_start,
        attainment=attainment,
        measured=measured,
        satisfaction=satisfaction,
        answers=answers,
    )


def _open_by_office(tickets: QuerySet[Ticket]) -> list[OpenByOffice]:
    rows = (
        tickets.filter(status__in=OPEN_STATUSES)
        .values("office__name", "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(Level.values))
    for row in rows:
        counts[row["office__name"] or "(no office)"][Level.values.index(row["level"])] = row["n"]
    return [OpenByOffice(name, levels, sum(levels)) for name, levels in sorted(counts.items())]


def _handovers(start: datetime, end: datetime, tickets: QuerySet[Ticket]) -> list[HandoverFlow]:
    rows = (
        Handover.objects.filter(at__gte=start, at__lt=end, ticket__in=tickets)
        .values("from_office__name", "to_office__name")
        .annotate(
            n=Count("id"),
            flagged=Count("id", filter=Q(flagged=True)),
            waiting=Count("id", filter=Q(acknowledged_at__isnull=True)),
        )
        .order_by("from_office__name", "to_office__name")
    )
    return [
        HandoverFlow(
            r["from_office__name"], r["to_office__name"], r["n"], r["flagged"], r["waiting"]
        )
        for r in rows
    ]


def _month_attainment(now: datetime, organizations: list[int] | None) -> tuple[int, float | None]:
    month = now.astimezone(UTC).date().replace(day=1)
    rows = sla_reports.attainment(
        "offering",
        since=month,
        until=now.astimezone(UTC).date(),
        organizations=organizations,
    )
    measured = sum(r.measured for r in rows)
    breached = sum(r.breached for r in rows)
    return measured, (round(100 * (measured - breached) / measured, 1) if measured else None)


def _month_satisfaction(now: datetime, tickets: QuerySet[Ticket]) -> tuple[int, float | None]:
    month = datetime.combine(now.astimezone(UTC).date().replace(day=1), time(0), tzinfo=UTC)
    answered = Answer.objects.filter(answered_at__gte=month, answered_at__lte=now)
    found = answered.filter(ticket__in=tickets).aggregate(
        answers=Count("id"), average=Avg("rating")
    )
    average = found["average"]
    return found["answers"], (None if average is None else round(average, 2))


def _day_start(now: datetime, zone: str) -> datetime:
    """Midnight of the viewer's day, as a UTC instant."""
    local = now.astimezone(ZoneInfo(zone)).date()
    return datetime.combine(local, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def manager_dashboard(
    now: datetime, zone: str, organizations: list[int] | None = None
) -> dict[str, object]:
    """The template context of the dashboard: its figures and the open-tickets chart."""
    board = dashboard(now, zone, organizations)
    bars = [
        charts.Bar(level, n) for level, n in zip(board.levels, board.open_by_level, strict=True)
    ]
    # The SVG is built from escaped text only (reports.charts).
    chart = mark_safe(charts.bars("Open tickets by level", bars, unit="open"))  # noqa: S308
    return {"board": board, "open_chart": chart, "zone": zone}
