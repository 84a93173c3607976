"""The console's reports page: pick a report, a grouping and months; see its chart and table,
and download the same rows as CSV."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from premierdesk.accounts.access import current_user
from premierdesk.lib.errors import InvalidInput
from premierdesk.lib.instants import check_in_range
from premierdesk.reports.export import as_csv
from premierdesk.reports.presentation import chart
from premierdesk.reports.queries import REPORTS, Period, Table, report
from premierdesk.reports.rules import report_organizations, require_read_reports


@login_required
def reports_page(request: HttpRequest) -> HttpResponse:
    require_read_reports(current_user(request))
    name = request.GET.get("report") or "volume"
    table, period = _table(request, name)
    if request.GET.get("format") == "csv":
        return csv_response(table, period)
    drawn = chart(table, period)
    context = {
        "table": table,
        "period": period,
        # The SVG is built from escaped text only (reports.charts).
        "svg": mark_safe(drawn.svg),  # noqa: S308
        "drawn": drawn,
        "reports": {key: dims for key, (_, dims) in REPORTS.items()},
        "name": name,
        "by": request.GET.get("by") or REPORTS.get(name, (None, ("",)))[1][0],
        "since": period.first.strftime("%Y-%m"),
        "until": period.last.strftime("%Y-%m"),
    }
    return render(request, "reports/reports.html", context)


def _table(request: HttpRequest, name: str) -> tuple[Table, Period]:
    today = timezone.now().date()
    since = month_of(request.GET.get("since", ""), "since")
    until = month_of(request.GET.get("until", ""), "until")
    period = Period.of(since, until, today)
    organizations = report_organizations(current_user(request))
    return report(name, request.GET.get("by") or None, period, organizations), period


def month_of(value: str, field: str) -> date | None:
    """A month as YYYY-MM (a full date is taken as its month)."""
    if not value:
        return None
    try:
        month = date.fromisoformat(value if len(value) > 7 else f"{value}-01").replace(day=1)
    except ValueError:
        raise InvalidInput.on_field(field, f"{value!r} is not a month; write YYYY-MM.") from None
    return check_in_range(month, field)


def csv_response(table: Table, period: Period) -> HttpResponse:
    response = HttpResponse(as_csv(table), content_type="text/csv; charset=utf-8")
    filename = f"{table.name}-{period.first:%Y-%m}-{period.last:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
