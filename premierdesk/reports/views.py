"""The console's reports page: pick a report, a grouping and months; see its chart and table,
and download the same rows as CSV. And the SLA attainment page: how often targets were met, by
group and month."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from premierdesk.accounts.access import current_user
from premierdesk.reports.export import as_csv
from premierdesk.reports.forms import ReportForm
from premierdesk.reports.presentation import chart, headers
from premierdesk.reports.queries import Period, Table, report
from premierdesk.reports.rules import report_organizations, require_read_reports
from premierdesk.sla.models import CLOCK_KINDS
from premierdesk.sla.reports import DIMENSIONS, attainment


@login_required
def reports_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_read_reports(user)
    form = ReportForm(request.GET or {"report": "volume"}, today=timezone.now().date())
    if not form.is_valid():
        # Beside the field, with what was typed kept, and the groupings of the chosen report.
        return render(request, "reports/reports.html", {"form": form}, status=400)
    name, by, period = form.chosen, form.cleaned_data["by"], form.cleaned_data["period"]
    table = report(name, by, period, report_organizations(user))
    if request.GET.get("format") == "csv":
        return csv_response(table, period)
    drawn = chart(table, period)
    since, until = period.first.strftime("%Y-%m"), period.last.strftime("%Y-%m")
    # The form shows what the table is for, defaults filled in.
    shown = {"report": name, "by": by, "since": since, "until": until}
    context = {
        "form": ReportForm(shown, today=period.last),
        "table": table,
        "headers": headers(table),
        "period": period,
        # The SVG is built from escaped text only (reports.charts).
        "svg": mark_safe(drawn.svg),  # noqa: S308
        "drawn": drawn,
        "name": name,
        "by": by,
        "since": since,
        "until": until,
    }
    return render(request, "reports/reports.html", context)


@login_required
def report_form(request: HttpRequest) -> HttpResponse:
    """The form again for the report just chosen (htmx swaps it in when the report changes),
    offering only that report's groupings."""
    require_read_reports(current_user(request))
    form = ReportForm(request.GET, today=timezone.now().date()).switched()
    return render(request, "reports/_form.html", {"form": form})


def csv_response(table: Table, period: Period) -> HttpResponse:
    response = HttpResponse(as_csv(table), content_type="text/csv; charset=utf-8")
    filename = f"{table.name}-{period.first:%Y-%m}-{period.last:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def attainment_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_read_reports(user)
    by = request.GET.get("by", "")
    by = by if by in DIMENSIONS else "office"
    clock = request.GET.get("clock", "")
    clock = clock if clock in {k for k, _ in CLOCK_KINDS} else "first_response"
    context = {
        "rows": attainment(by, clock, organizations=report_organizations(user)),
        "by": by,
        "clock": clock,
        "dimensions": list(DIMENSIONS),
        "clock_kinds": CLOCK_KINDS,
    }
    return render(request, "reports/attainment.html", context)
