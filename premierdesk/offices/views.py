"""The console's rota pages (staff): the coverage heatmap with its gaps, and today's rota.

Both are drawn in UTC, the one time line every office shares; the page says so.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from premierdesk.accounts.access import current_user, require_staff
from premierdesk.lib.coverage import Interval
from premierdesk.lib.errors import InvalidInput
from premierdesk.offices import today as today_rota
from premierdesk.offices.heatmap import heatmap
from premierdesk.offices.models import OnCallShift
from premierdesk.offices.routing import office_hours
from premierdesk.sla.policy import service_week

DEFAULT_WEEKS = 4  # this week and the next three
LONGEST = timedelta(weeks=26)


@login_required
def coverage_page(request: HttpRequest) -> HttpResponse:
    require_staff(current_user(request))
    first, last = _range(request.GET.get("from", ""), request.GET.get("to", ""))
    start = datetime.combine(first, time(0), tzinfo=UTC)
    days = (last - first).days + 1
    shifts = _on_call(start, start + timedelta(days=days))
    grid = heatmap(office_hours(), service_week(), shifts, start, days)
    weeks = [grid.rows[i : i + 7] for i in range(0, len(grid.rows), 7)]
    context = {"grid": grid, "weeks": weeks, "first": first, "last": last, "hours": range(24)}
    return render(request, "offices/coverage.html", context)


@login_required
def rota_page(request: HttpRequest) -> HttpResponse:
    require_staff(current_user(request))
    now = timezone.now()
    shifts = _on_call(now - timedelta(days=1), now + timedelta(days=2))
    context = {"rota": today_rota.rota(office_hours(), shifts, now), "hours": range(0, 24, 3)}
    return render(request, "offices/rota.html", context)


def _range(since: str, until: str) -> tuple[date, date]:
    """The weeks asked for, Monday to Sunday; by default this week and the next three."""
    monday = timezone.now().astimezone(UTC).date()
    monday -= timedelta(days=monday.weekday())
    first = _day(since, "from") if since else monday
    last = _day(until, "to") if until else first + timedelta(weeks=DEFAULT_WEEKS, days=-1)
    first -= timedelta(days=first.weekday())
    last += timedelta(days=6 - last.weekday())
    if last < first:
        raise InvalidInput.on_field("to", "The last day is before the first; swap them.")
    if last - first >= LONGEST:
        raise InvalidInput.on_field("to", "Show at most 26 weeks at a time.")
    return first, last


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput.on_field(field, f"{value!r} is not a date; write YYYY-MM-DD.") from None


def _on_call(start: datetime, end: datetime) -> list[Interval]:
    """The on-call shifts overlapping ``[start, end)``, each named by its engineer."""
    shifts = OnCallShift.objects.filter(starts_at__lt=end, ends_at__gt=start).select_related(
        "engineer__user", "engineer__office"
    )
    return [
        Interval(s.starts_at, s.ends_at, f"{s.engineer.user.full_name} ({s.engineer.office})")
        for s in shifts
    ]
