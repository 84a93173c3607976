"""The console's rota pages (staff): the coverage heatmap with its gaps, today's rota (where a
manager or an office's lead closes an office early), and my handovers (the notes I owe before
my office's end of duty, the handovers I must acknowledge).

The heatmap and the rota are drawn in UTC, the one time line every office shares; the page says
so. My handovers are in the viewer's own zone, as every personal page is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_POST

from premierdesk.accounts.access import current_user, require_staff
from premierdesk.accounts.models import User
from premierdesk.lib.coverage import Interval
from premierdesk.lib.errors import ActionError, InvalidInput
from premierdesk.lib.instants import check_in_range
from premierdesk.lib.zones import known_time_zones
from premierdesk.offices import actions, mine
from premierdesk.offices import today as today_rota
from premierdesk.offices.duty import Duty
from premierdesk.offices.forms import CloseEarlyForm, HandoverNoteForm
from premierdesk.offices.heatmap import heatmap
from premierdesk.offices.models import HandoverNote, Office, OnCallShift
from premierdesk.offices.routing import office_hours
from premierdesk.offices.rules import may_close_early, require_read_handovers, require_read_rota
from premierdesk.pages.forms import after_change, submit
from premierdesk.sla.policy import service_week

DEFAULT_WEEKS = 4  # this week and the next three
LONGEST = timedelta(weeks=26)


@login_required
def coverage_page(request: HttpRequest) -> HttpResponse:
    require_read_rota(current_user(request))
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
    user = current_user(request)
    require_read_rota(user)
    return _rota(request, user)


@login_required
@require_POST
def close_early(request: HttpRequest, slug: str) -> HttpResponse:
    user = current_user(request)
    require_staff(user)
    form = CloseEarlyForm(request.POST, slug=slug)

    def closed(moved: int) -> HttpResponse:
        office = Office.objects.get(slug=slug)
        tickets = f"{moved} critical ticket{pluralize(moved)}"
        return after_change(
            request, f"{office.name} closed early; {tickets} handed over.", "offices:rota"
        )

    return submit(
        form,
        lambda data: actions.close_early(user, slug, **data),
        done=closed,
        refused=lambda why: _rota(request, user, status=why.status, failed=(slug, form)),
    )


@dataclass(frozen=True)
class OnDuty:
    """An office on duty now, with the viewer's "Close early" form when they may use it."""

    duty: Duty
    slug: str
    form: CloseEarlyForm | None
    refused: bool  # shown open, as typed, with the action's sentence


def _rota(
    request: HttpRequest,
    user: User,
    *,
    status: int = 200,
    failed: tuple[str, CloseEarlyForm] | None = None,
) -> HttpResponse:
    now = timezone.now()
    shifts = _on_call(now - timedelta(days=1), now + timedelta(days=2))
    zone = _zone(request.GET.get("zone", ""), user)
    rota = today_rota.rota(office_hours(), shifts, now, zone)
    on_duty = _on_duty(user, rota.on_duty, failed)
    # A refusal for an office without a form here (not on duty, not the viewer's to close,
    # unknown) shows above the rota.
    shown = {row.slug for row in on_duty if row.refused}
    orphan = failed[1] if failed is not None and failed[0] not in shown else None
    context = {"rota": rota, "on_duty": on_duty, "orphan": orphan, "own_zone": user.time_zone}
    return render(request, "offices/rota.html", context, status=status)


def _zone(asked: str, user: User) -> str:
    """The zone the rota is drawn in: the one asked for (``?zone=UTC``), else the viewer's."""
    if not asked:
        return user.time_zone if user.time_zone in known_time_zones() else "UTC"
    if asked not in known_time_zones():
        raise InvalidInput.on_field(
            "zone", f"{asked!r} is not an IANA time zone; use a name such as Europe/Amsterdam."
        )
    return asked


def _on_duty(
    user: User, duties: list[Duty], failed: tuple[str, CloseEarlyForm] | None
) -> list[OnDuty]:
    offices = Office.objects.in_bulk([d.office.office_id for d in duties])
    failed_slug, failed_form = failed or ("", None)
    rows = []
    for duty in duties:
        office = offices[duty.office.office_id]
        if not may_close_early(user, office):
            rows.append(OnDuty(duty, office.slug, None, refused=False))
        elif failed_form is not None and office.slug == failed_slug:
            rows.append(OnDuty(duty, office.slug, failed_form, refused=True))
        else:
            rows.append(OnDuty(duty, office.slug, CloseEarlyForm(slug=office.slug), refused=False))
    return rows


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
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput.on_field(field, f"{value!r} is not a date; write YYYY-MM-DD.") from None
    return check_in_range(day, field)


def _on_call(start: datetime, end: datetime) -> list[Interval]:
    """The on-call shifts overlapping ``[start, end)``, each named by its engineer."""
    shifts = OnCallShift.objects.filter(starts_at__lt=end, ends_at__gt=start).select_related(
        "engineer__user", "engineer__office"
    )
    return [
        Interval(s.starts_at, s.ends_at, f"{s.engineer.user.full_name} ({s.engineer.office})")
        for s in shifts
    ]


# My handovers. Each change calls its action; refused, the row (or section) comes back with the
# action's sentence and its status; done, htmx gets the fresh row (or section) and a plain POST
# is redirected, so reloading never repeats the change.


@dataclass(frozen=True)
class WriteRow:
    entry: mine.ToWrite
    form: HandoverNoteForm
    refused: bool  # shown open, as typed, with the action's sentence


@login_required
def handovers_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_read_handovers(user)
    return _handovers(request, user)


@login_required
@require_POST
def write_note(request: HttpRequest, key: str) -> HttpResponse:
    user = current_user(request)
    require_read_handovers(user)
    form = HandoverNoteForm(request.POST, key=key)

    def saved(note: HandoverNote) -> HttpResponse:
        return after_change(
            request,
            f"Handover note saved on {note.ticket.key}.",
            "offices:mine",
            fresh=lambda notice: _write_row(request, user, note.ticket.key, notice=notice),
        )

    return submit(
        form,
        lambda data: actions.write_handover_note(user, key, **data),
        done=saved,
        refused=lambda why: _note_refused(request, user, key, form, why.status),
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, handover_id: int) -> HttpResponse:
    user = current_user(request)
    require_read_handovers(user)
    try:
        handover = actions.acknowledge(user, handover_id)
    except ActionError as refusal:
        if not _is_htmx(request):
            return _handovers(request, user, status=refusal.status, refusal=refusal.detail)
        return _to_acknowledge(request, user, status=refusal.status, refusal=refusal.detail)
    return after_change(
        request,
        f"Acknowledged the handover of {handover.ticket.key}; it is yours now.",
        "offices:mine",
        fresh=lambda notice: _to_acknowledge(request, user, notice=notice),
    )


def _handovers(
    request: HttpRequest,
    user: User,
    *,
    status: int = 200,
    failed: tuple[str, HandoverNoteForm] | None = None,
    refusal: str = "",
) -> HttpResponse:
    now = timezone.now()
    outgoing = mine.to_write(user, now)
    rows = _write_rows(outgoing, failed)
    # A refused note for a ticket no longer on my list (handed over meanwhile) shows above it.
    listed = {row.entry.ticket.key for row in rows}
    orphan = failed[1] if failed is not None and failed[0] not in listed else None
    context = {
        "outgoing": outgoing,
        "rows": rows,
        "orphan": orphan,
        "incoming": mine.to_acknowledge(user, now),
        "watched": mine.waiting(user, now),
        "refusal": refusal,
        "zone": user.time_zone,
    }
    return render(request, "offices/handovers.html", context, status=status)


def _write_rows(
    outgoing: mine.Outgoing, failed: tuple[str, HandoverNoteForm] | None
) -> list[WriteRow]:
    failed_key, failed_form = failed or ("", None)
    rows = []
    for entry in outgoing.rows:
        key = entry.ticket.key
        if failed_form is not None and key == failed_key:
            rows.append(WriteRow(entry, failed_form, refused=True))
        else:
            rows.append(WriteRow(entry, _note_form(entry), refused=False))
    return rows


def _note_form(entry: mine.ToWrite) -> HandoverNoteForm:
    """A fresh form, holding the note already written so it can be brought up to date."""
    note = entry.note
    initial = {}
    if note is not None:
        initial = {
            "status": note.status,
            "next_steps": note.next_steps,
            "customer_availability": note.customer_availability,
        }
    return HandoverNoteForm(initial=initial, key=entry.ticket.key)


def _note_refused(
    request: HttpRequest, user: User, key: str, form: HandoverNoteForm, status: int
) -> HttpResponse:
    if _is_htmx(request):
        return _write_row(request, user, key, status=status, failed=form)
    return _handovers(request, user, status=status, failed=(key, form))


def _write_row(
    request: HttpRequest,
    user: User,
    key: str,
    *,
    status: int = 200,
    failed: HandoverNoteForm | None = None,
    notice: str = "",
) -> HttpResponse:
    """htmx: the ticket's row alone; when it is no longer on my list, a row saying why."""
    outgoing = mine.to_write(user, timezone.now())
    rows = _write_rows(outgoing, (key, failed) if failed is not None else None)
    row = next((r for r in rows if r.entry.ticket.key == key), None)
    context = {
        "row": row,
        "key": key,
        "gone": failed if row is None else None,
        "notice": notice,
        "zone": user.time_zone,
    }
    return render(request, "offices/_write_row.html", context, status=status)


def _to_acknowledge(
    request: HttpRequest, user: User, *, status: int = 200, refusal: str = "", notice: str = ""
) -> HttpResponse:
    """htmx: the "to acknowledge" section alone."""
    context = {
        "incoming": mine.to_acknowledge(user, timezone.now()),
        "refusal": refusal,
        "notice": notice,
        "zone": user.time_zone,
    }
    return render(request, "offices/_to_acknowledge.html", context, status=status)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.htmx)  # type: ignore[attr-defined]
