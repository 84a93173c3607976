"""Filling a coverage calendar from outside: the events of an iCalendar (ICS) file, or a
country's public holidays from the ``holidays`` package. Only what the calendar lacks is added.

All-day events and public holidays become holidays (local dates in the zone given); timed
events become closed exceptions. Repeating events (RRULE, RDATE) are refused, not expanded:
a calendar that repeats Christmas forever has no year to stop at, and guessing one would
silently close or open days nobody asked about. An import that added something is audited and
announced (``calendar_changed``), so the clocks counting in the calendar follow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import holidays
import icalendar
from django.core.exceptions import ValidationError
from django.db import transaction

from premierdesk.accounts.models import User
from premierdesk.audit.actions import record
from premierdesk.calendars.hooks import announce_change
from premierdesk.calendars.models import CalendarException, CalendarHoliday, CoverageCalendar
from premierdesk.lib.coverage import Holiday, Interval, zone
from premierdesk.lib.errors import ActionError, InvalidInput
from premierdesk.lib.zones import validate_time_zone

DAY = timedelta(days=1)
LABEL_LENGTH = 100  # CalendarHoliday.label and CalendarException.label
YEARS = range(1950, 2101)


@dataclass(frozen=True)
class Closures:
    """What an import takes out of a calendar (whole local days, closed stretches), and where
    it comes from, for the audit trail."""

    source: str
    holidays: list[Holiday] = field(default_factory=list)
    closed: list[Interval] = field(default_factory=list)


def import_ics(actor: User, calendar: CoverageCalendar, ics_bytes: bytes, zone: str) -> int:
    """Add the closures of an ICS file to ``calendar``; returns how many were new."""
    return _add(actor, calendar, parse_ics(ics_bytes, zone))


def import_country(
    actor: User,
    calendar: CoverageCalendar,
    country: str,
    years: list[int],
    zone: str,
    subdivision: str | None = None,
) -> int:
    """Add a country's (or one of its subdivisions') public holidays in ``years``, as local
    dates in ``zone``; returns how many were new."""
    return _add(actor, calendar, country_closures(country, years, zone, subdivision))


# Reading ICS files ------------------------------------------------------------------------------


def parse_ics(ics_bytes: bytes, zone_name: str) -> Closures:
    """The closures an ICS file describes (cancelled events are left out). DTEND of an all-day
    event is exclusive (RFC 5545): 24 to 28 December closes the 24th to the 27th."""
    _require_zone(zone_name)
    closures = Closures(f"ICS file; local dates and floating times in {zone_name}")
    for event in _events(ics_bytes):
        found = _closure(event, zone_name)
        if isinstance(found, Holiday):
            closures.holidays.append(found)
        else:
            closures.closed.append(found)
    return closures


def _refused(message: str) -> ActionError:
    return InvalidInput.on_field("ics_file", message)


def _events(ics_bytes: bytes) -> list[icalendar.Event]:
    try:
        parsed = icalendar.Calendar.from_ical(ics_bytes)
    except ValueError as error:
        raise _refused(f"The file is not a readable iCalendar (.ics) file: {error}.") from error
    if parsed.name != "VCALENDAR":
        raise _refused(f"The file holds a {parsed.name}, not a calendar (BEGIN:VCALENDAR).")
    events = [
        e
        for e in parsed.walk("VEVENT")
        if isinstance(e, icalendar.Event) and str(e.get("STATUS", "")).upper() != "CANCELLED"
    ]
    if not events:
        raise _refused("The file has no events (VEVENT) to import.")
    return events


def _closure(event: icalendar.Event, zone_name: str) -> Holiday | Interval:
    label = str(event.get("SUMMARY", "")).strip()[:LABEL_LENGTH] or "holiday"
    if "RRULE" in event or "RDATE" in event:
        raise _refused(
            f"Event “{label}” repeats (RRULE or RDATE), and repeating events are not "
            "expanded: export the calendar with each occurrence as its own event, or add a "
            "country's public holidays year by year."
        )
    try:
        start, end = event.start, event.end
    except ValueError as error:
        raise _refused(f"Event “{label}” has no usable start or end: {error}.") from error
    if isinstance(start, datetime) and isinstance(end, datetime):
        _require_known_zones(event, start, end, label)
        return _closed_time(start, end, zone_name, label)
    return _whole_days(start, end, zone_name, label)


def _whole_days(start: date, end: date, zone_name: str, label: str) -> Holiday:
    if end <= start:
        raise _refused(f"Event “{label}” ends ({end}) before it starts ({start}).")
    return Holiday(start, end - DAY, zone_name, label)


def _closed_time(start: datetime, end: datetime, zone_name: str, label: str) -> Interval:
    # A floating time (no TZID, no Z) is a wall time wherever the calendar is read.
    starts_at, ends_at = (
        (t if t.tzinfo else t.replace(tzinfo=zone(zone_name))).astimezone(UTC) for t in (start, end)
    )
    if ends_at <= starts_at:
        raise _refused(f"Event “{label}” ends ({end}) at or before it starts ({start}).")
    return Interval(starts_at, ends_at, label)


def _require_known_zones(
    event: icalendar.Event, start: datetime, end: datetime, label: str
) -> None:
    """icalendar reads a time whose TZID it cannot resolve as floating; that would silently
    move it, so such a file is refused instead."""
    for name, value in (("DTSTART", start), ("DTEND", end)):
        tzid = event[name].params.get("TZID") if name in event else None
        if tzid and value.tzinfo is None:
            raise _refused(
                f"Event “{label}” is in time zone “{tzid}”, which neither the file "
                "(VTIMEZONE) nor the IANA database defines."
            )


# Countries' public holidays ---------------------------------------------------------------------


def country_closures(
    country: str, years: list[int], zone_name: str, subdivision: str | None = None
) -> Closures:
    """Each public holiday of ``country`` (and ``subdivision``) in ``years``, one day each."""
    _require_zone(zone_name)
    code, subdiv = _region(country, subdivision)
    _require_years(years)
    chosen = sorted(set(years))
    found = holidays.country_holidays(code, subdiv=subdiv, years=chosen)
    where = code if subdiv is None else f"{code}-{subdiv}"
    return Closures(
        f"public holidays of {where} in {', '.join(map(str, chosen))}",
        holidays=[
            Holiday(day, day, zone_name, f"{name} ({where})"[:LABEL_LENGTH])
            for day, name in sorted(found.items())
        ],
    )


def _region(country: str, subdivision: str | None) -> tuple[str, str | None]:
    """The package's own spelling of a country code and subdivision, or a refusal."""
    supported = holidays.list_supported_countries()
    code = country.strip().upper()
    if code not in supported:
        raise InvalidInput.on_field(
            "country",
            f"“{country}” is not a country the holidays package knows; use an ISO 3166 code "
            "such as AU, NL or US.",
        )
    wanted = (subdivision or "").strip()
    if not wanted:
        return code, None
    match = next((s for s in supported[code] if s.upper() == wanted.upper()), None)
    if match is None:
        known = ", ".join(supported[code]) or "none; leave it empty"
        raise InvalidInput.on_field(
            "subdivision", f"{code} has no subdivision “{wanted}”; its subdivisions are: {known}."
        )
    return code, match


def _require_years(years: Iterable[int]) -> None:
    chosen = list(years)
    if not chosen:
        raise InvalidInput.on_field("years", "Give at least one year, such as 2027.")
    outside = [y for y in chosen if y not in YEARS]
    if outside:
        raise InvalidInput.on_field(
            "years", f"{outside[0]} is not a year between {YEARS[0]} and {YEARS[-1]}."
        )


def _require_zone(name: str) -> None:
    try:
        validate_time_zone(name)
    except ValidationError as error:
        raise InvalidInput.on_field("zone", " ".join(error.messages)) from error


# Adding what is new ---------------------------------------------------------------------------


@transaction.atomic
def _add(actor: User, calendar: CoverageCalendar, closures: Closures) -> int:
    # Locking the calendar makes concurrent imports into it take turns, so the duplicate
    # check below sees what the other one added.
    calendar = CoverageCalendar.objects.select_for_update().get(pk=calendar.pk)
    days = _new_holidays(calendar, closures.holidays)
    closed = _new_closed(calendar, closures.closed)
    if not days and not closed:
        return 0
    CalendarHoliday.objects.bulk_create(days)
    CalendarException.objects.bulk_create(closed)
    changes = {
        "holidays": [None, [f"{h.first}..{h.last} {h.label} ({h.zone})" for h in days]],
        "closed_exceptions": [None, [f"{e.starts_at}..{e.ends_at} {e.label}" for e in closed]],
    }
    record(
        actor,
        "sla.holidays_imported",  # the name it had before calendars left sla: one history
        calendar,
        changes={key: pair for key, pair in changes.items() if pair[1]},
        reason=closures.source,
    )
    announce_change({calendar.pk})
    return len(days) + len(closed)


def _new_holidays(calendar: CoverageCalendar, found: list[Holiday]) -> list[CalendarHoliday]:
    """The holidays the calendar lacks (same first day, last day and zone = present)."""
    seen = set(calendar.holidays.values_list("first", "last", "zone"))
    new = []
    for holiday in found:
        key = (holiday.first, holiday.last, holiday.zone_name)
        if key not in seen:
            seen.add(key)
            new.append(
                CalendarHoliday(
                    calendar=calendar,
                    first=holiday.first,
                    last=holiday.last,
                    zone=holiday.zone_name,
                    label=holiday.label,
                )
            )
    return new


def _new_closed(calendar: CoverageCalendar, found: list[Interval]) -> list[CalendarException]:
    """The closed stretches the calendar lacks (same start and end = present)."""
    seen = set(calendar.exceptions.filter(opens=False).values_list("starts_at", "ends_at"))
    new = []
    for interval in found:
        key = (interval.start, interval.end)
        if key not in seen:
            seen.add(key)
            new.append(
                CalendarException(
                    calendar=calendar,
                    opens=False,
                    starts_at=interval.start,
                    ends_at=interval.end,
                    label=interval.reason,
                )
            )
    return new
