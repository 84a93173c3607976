"""SLA attainment: of the clocks with a target that finished (or already breached), how many
met it, grouped by offering, level, product, office, engineer (the ticket's owner now) or
organization, and month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Q

from premierdesk.lib.errors import InvalidInput
from premierdesk.lib.months import MonthOf
from premierdesk.sla.models import TicketClock

DIMENSIONS = {
    "offering": "ticket__license__offering__slug",
    "level": "level",
    "product": "ticket__product__slug",
    "office": "ticket__office__slug",
    "engineer": "ticket__owner__email",
    "organization": "ticket__organization__slug",
}


@dataclass(frozen=True)
class AttainmentRow:
    group: str
    month: date
    measured: int
    breached: int

    @property
    def met(self) -> int:
        return self.measured - self.breached

    @property
    def attainment(self) -> float:
        return round(100 * self.met / self.measured, 1) if self.measured else 100.0


def attainment(
    by: str,
    clock: str = "first_response",
    since: date | None = None,
    until: date | None = None,
    organizations: list[int] | None = None,
) -> list[AttainmentRow]:
    """One row per group and month (of the clock's start, UTC), in two passes of SQL: a
    grouped count, whatever the number of tickets. ``organizations``: only their tickets
    (an enterprise manager's, reports.rules); None: all."""
    if by not in DIMENSIONS:
        raise InvalidInput.on_field("by", f"Group by one of: {', '.join(DIMENSIONS)}.")
    clocks = TicketClock.objects.filter(kind=clock, target_minutes__isnull=False).filter(
        Q(stopped_at__isnull=False) | Q(breached_at__isnull=False)
    )
    if organizations is not None:
        clocks = clocks.filter(ticket__organization_id__in=organizations)
    # Instants, not ``started_at__date``: a function of the column would read every clock.
    if since:
        clocks = clocks.filter(started_at__gte=datetime.combine(since, time(0), tzinfo=UTC))
    if until:
        following = datetime.combine(until + timedelta(days=1), time(0), tzinfo=UTC)
        clocks = clocks.filter(started_at__lt=following)
    field = DIMENSIONS[by]
    grouped = (
        clocks.annotate(month=MonthOf("started_at"))
        .values(field, "month")
        .annotate(measured=Count("id"), breached=Count("id", filter=Q(breached_at__isnull=False)))
        .order_by("month", field)
    )
    return [
        AttainmentRow(
            group=row[field] or "(none)",
            month=row["month"].date() if hasattr(row["month"], "date") else row["month"],
            measured=row["measured"],
            breached=row["breached"],
        )
        for row in grouped
    ]
