"""API of the reports: each report's rows as JSON, or as CSV with ``format=csv``; and the SLA
attainment by group and month."""

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from premierdesk.accounts.access import current_user
from premierdesk.reports.forms import month_of
from premierdesk.reports.queries import Period, report
from premierdesk.reports.rules import report_organizations, require_read_reports
from premierdesk.reports.views import csv_response
from premierdesk.restapi.errors import Problem
from premierdesk.restapi.schemas import Day
from premierdesk.sla import reports as sla_reports
from premierdesk.sla.clocks import ClockKind

router = Router(tags=["reports"])


class ReportQuery(Schema):
    by: str | None = Field(None, description="The grouping; each report lists its own.")
    since: str | None = Field(None, description="First month, YYYY-MM (default: 11 months ago).")
    until: str | None = Field(None, description="Last month, YYYY-MM (default: this month).")
    format: Literal["json", "csv"] = "json"


class ReportOut(Schema):
    report: str
    title: str
    since: str
    until: str
    columns: list[str]
    rows: list[dict[str, Any]]


@router.get(
    "/reports/{name}",
    response={200: ReportOut, 403: Problem, 404: Problem, 422: Problem},
    summary="A report (volume, resolution, handovers, attainment) by group and month",
)
def get_report(
    request: HttpRequest, name: str, params: Query[ReportQuery]
) -> ReportOut | HttpResponse:
    user = current_user(request)
    require_read_reports(user)
    period = Period.of(
        month_of(params.since or "", "since"),
        month_of(params.until or "", "until"),
        timezone.now().date(),
    )
    table = report(name, params.by, period, report_organizations(user))
    if params.format == "csv":
        return csv_response(table, period)
    rows = [
        {
            c: (v.strftime("%Y-%m") if c == "month" else v)
            for c, v in zip(table.columns, row, strict=True)
        }
        for row in table.rows
    ]
    return ReportOut(
        report=table.name,
        title=table.title,
        since=f"{period.first:%Y-%m}",
        until=f"{period.last:%Y-%m}",
        columns=list(table.columns),
        rows=rows,
    )


class AttainmentOut(Schema):
    group: str
    month: date
    measured: int = Field(description="Clocks with a target that finished or breached.")
    met: int
    breached: int
    attainment: float = Field(description="Met, in percent.")


class AttainmentQuery(Schema):
    by: str = Field(
        "office", description="offering, level, product, office, engineer or organization"
    )
    clock: ClockKind = ClockKind.FIRST_RESPONSE
    since: Day | None = None
    until: Day | None = None


@router.get(
    "/sla/attainment",
    response={200: list[AttainmentOut], 403: Problem, 422: Problem},
    summary="SLA attainment by offering, level, product, office, engineer or organization",
    # Its tag and id in the document as when sla served it, so generated clients keep them.
    tags=["sla"],
    operation_id="premierdesk_sla_api_sla_attainment",
)
def sla_attainment(request: HttpRequest, params: Query[AttainmentQuery]) -> list[AttainmentOut]:
    user = current_user(request)
    require_read_reports(user)
    rows = sla_reports.attainment(
        params.by, params.clock, params.since, params.until, report_organizations(user)
    )
    return [
        AttainmentOut(
            group=r.group,
            month=r.month,
            measured=r.measured,
            met=r.met,
            breached=r.breached,
            attainment=r.attainment,
        )
        for r in rows
    ]
