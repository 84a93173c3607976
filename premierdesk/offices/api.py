"""API (staff): offices, engineers, who is on duty at an instant, and the coverage proof."""

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from premierdesk.accounts.access import current_user, require_staff
from premierdesk.lib.errors import InvalidInput
from premierdesk.offices import actions, duty
from premierdesk.offices.models import Engineer, Handover, Office
from premierdesk.offices.routing import office_hours
from premierdesk.offices.rules import require_read_handovers, require_read_rota
from premierdesk.restapi.errors import Problem
from premierdesk.restapi.pagination import Mapped, PagePagination
from premierdesk.restapi.schemas import Day, Instant
from premierdesk.sla.policy import service_week

router = Router(tags=["offices"])

LONGEST_PROOF = timedelta(days=400)


class OfficeOut(Schema):
    slug: str
    name: str
    country: str
    time_zone: str
    lead: str | None
    calendar: str | None = Field(description="The working-hours calendar (its slug).")

    @staticmethod
    def resolve_lead(office: Office) -> str | None:
        return office.lead.email if office.lead else None

    @staticmethod
    def resolve_calendar(office: Office) -> str | None:
        return office.calendar.slug if office.calendar else None


class EngineerOut(Schema):
    email: str
    full_name: str
    office: str
    skills: list[str]
    max_load: int

    @staticmethod
    def resolve_email(engineer: Engineer) -> str:
        return engineer.user.email

    @staticmethod
    def resolve_full_name(engineer: Engineer) -> str:
        return engineer.user.full_name

    @staticmethod
    def resolve_office(engineer: Engineer) -> str:
        return engineer.office.slug

    @staticmethod
    def resolve_skills(engineer: Engineer) -> list[str]:
        return [p.slug for p in engineer.skills.all()]


class DutyOut(Schema):
    office: str
    starts_at: datetime
    ends_at: datetime


class OnDutyOut(Schema):
    at: datetime
    on_duty: list[DutyOut] = Field(description="The office staying longest first.")
    next: DutyOut | None = Field(description="The office that comes on duty next.")


class GapOut(Schema):
    starts_at: datetime
    ends_at: datetime
    minutes: int


class CoverageOut(Schema):
    since: date
    until: date
    covered: bool = Field(description="True when no hour of the 24x5 week lacks an office.")
    gaps: list[GapOut]


def _slug_of(hours: duty.OfficeHours, offices: dict[int, Office]) -> str:
    return offices[hours.office_id].slug


@router.get("/offices", response=list[OfficeOut], summary="Offices")
def list_offices(request: HttpRequest) -> QuerySet[Office]:
    require_read_rota(current_user(request))
    return Office.objects.select_related("lead", "calendar")


@router.get("/engineers", response=list[EngineerOut], summary="Engineers")
@paginate(PagePagination)
def list_engineers(request: HttpRequest) -> QuerySet[Engineer]:
    require_read_rota(current_user(request))
    return Engineer.objects.select_related("user", "office").prefetch_related("skills")


@router.get(
    "/on-duty", response={200: OnDutyOut, 403: Problem}, summary="Who is on duty at an instant"
)
def on_duty(request: HttpRequest, at: Instant | None = None) -> OnDutyOut:
    require_read_rota(current_user(request))
    instant = at or timezone.now()
    hours = office_hours()
    offices = {o.pk: o for o in Office.objects.all()}

    def out(found: duty.Duty) -> DutyOut:
        return DutyOut(
            office=_slug_of(found.office, offices), starts_at=found.starts_at, ends_at=found.ends_at
        )

    following = duty.next_on_duty(hours, instant)
    return OnDutyOut(
        at=instant,
        on_duty=[out(d) for d in duty.on_duty(hours, instant)],
        next=out(following) if following else None,
    )


class CoverageQuery(Schema):
    since: Day = Field(alias="from")
    until: Day = Field(alias="to", description="Inclusive.")


@router.get(
    "/coverage",
    response={200: CoverageOut, 403: Problem, 422: Problem},
    summary="The coverage proof: every stretch of the 24x5 week with no office on duty",
)
def coverage(request: HttpRequest, params: Query[CoverageQuery]) -> CoverageOut:
    require_read_rota(current_user(request))
    start = datetime.combine(params.since, time(0), tzinfo=UTC)
    end = datetime.combine(params.until + timedelta(days=1), time(0), tzinfo=UTC)
    if not timedelta(0) < end - start <= LONGEST_PROOF:
        raise InvalidInput.on_field("to", "Ask for a range of one day to about a year (400 days).")
    found = duty.gaps(office_hours(), service_week(), start, end)
    return CoverageOut(
        since=params.since,
        until=params.until,
        covered=not found,
        gaps=[
            GapOut(
                starts_at=g.start,
                ends_at=g.end,
                minutes=int((g.end - g.start).total_seconds() // 60),
            )
            for g in found
        ],
    )


class HandoverOut(Schema):
    id: int
    ticket: str
    at: datetime
    from_owner: str
    to_owner: str
    from_office: str
    to_office: str
    summary: str
    flagged: bool = Field(description="Handed over without a note; the summary was built.")
    acknowledge_by: datetime
    acknowledged_at: datetime | None
    lead_alerted_at: datetime | None


def handover_out(handover: Handover) -> HandoverOut:
    return HandoverOut(
        id=handover.pk,
        ticket=handover.ticket.key,
        at=handover.at,
        from_owner=handover.from_owner.email,
        to_owner=handover.to_owner.email,
        from_office=handover.from_office.slug,
        to_office=handover.to_office.slug,
        summary=handover.summary,
        flagged=handover.flagged,
        acknowledge_by=handover.acknowledge_by,
        acknowledged_at=handover.acknowledged_at,
        lead_alerted_at=handover.lead_alerted_at,
    )


class HandoverQuery(Schema):
    mine: bool = Field(False, description="Only the handovers you received.")
    unacknowledged: bool = False


class NoteIn(Schema):
    status: str = Field(max_length=5000)
    next_steps: str = Field(max_length=5000)
    customer_availability: str = Field("", max_length=2000)


@router.get("/handovers", response=list[HandoverOut], summary="Handovers, newest first")
@paginate(PagePagination)
def list_handovers(request: HttpRequest, params: Query[HandoverQuery]) -> Mapped:
    user = current_user(request)
    require_read_handovers(user)
    handovers = Handover.objects.select_related(
        "ticket", "from_owner", "to_owner", "from_office", "to_office"
    )
    if params.mine:
        handovers = handovers.filter(to_owner=user)
    if params.unacknowledged:
        handovers = handovers.filter(acknowledged_at__isnull=True)
    return Mapped(handovers, handover_out)


@router.post(
    "/handovers/{handover_id}/acknowledge",
    response={200: HandoverOut, 403: Problem, 404: Problem, 409: Problem},
    summary="Acknowledge a handover you received",
)
def acknowledge_handover(request: HttpRequest, handover_id: int) -> HandoverOut:
    return handover_out(actions.acknowledge(current_user(request), handover_id))


@router.post(
    "/tickets/{key}/handover-note",
    response={201: None, 403: Problem, 404: Problem, 422: Problem},
    summary="Write the handover note for the next office (the ticket's owner)",
)
def write_note(request: HttpRequest, key: str, payload: NoteIn) -> Status[None]:
    actions.write_handover_note(current_user(request), key, **payload.dict())
    return Status(201, None)


class CloseEarlyIn(Schema):
    reason: str = Field(max_length=500, description="Why the office closes early.")


class ClosedEarlyOut(Schema):
    handed_over: int = Field(description="How many critical tickets changed hands.")


@router.post(
    "/offices/{slug}/close-early",
    response={200: ClosedEarlyOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    summary="Close an office for the rest of its day and hand its critical tickets over now",
)
def close_early(request: HttpRequest, slug: str, payload: CloseEarlyIn) -> ClosedEarlyOut:
    user = current_user(request)
    require_staff(user)
    return ClosedEarlyOut(handed_over=actions.close_early(user, slug, reason=payload.reason))
