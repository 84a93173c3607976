"""Calendar feeds (.ics) of confirmed weekend standby, per engineer, organization and office.

Decisions, fixed here once:

- Each standby is one event whose UID never changes (``standby-<id>@<domain>``); its SEQUENCE
  is the request's revision, so a calendar client replaces the event it holds.
- A confirmed window that is later withdrawn or declined stays in the feed as
  ``STATUS:CANCELLED`` (with a higher SEQUENCE), so subscribed calendars strike it rather
  than keep a stale entry; requests never confirmed never appear.
- Times are in UTC (``DTSTART``/``DTEND`` with ``Z``); each event carries a VALARM per
  reminder of the services policy (24 h and 1 h before).
- Windows that ended more than ``HISTORY`` ago are left out, so feeds do not grow for ever.
- A feed is opened by the person's feed token (``?token=``); whatever is wrong with the
  request (unknown token, a feed the person may not read, no such feed) answers 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from icalendar import Alarm, Calendar, Event

from premierdesk.accounts.models import User
from premierdesk.services.models import StandbyRequest, StandbyStatus
from premierdesk.services.queries import visible_standby

HISTORY = timedelta(days=90)
PRODUCT_ID = "-//Premier Desk//Weekend standby//EN"


def feed_standby(viewer: User, now: datetime) -> QuerySet[StandbyRequest]:
    """Standby a feed of ``viewer`` may show: confirmed ones, and once-confirmed ones since
    cancelled (they had an engineer), not long over."""
    return visible_standby(viewer).filter(engineer__isnull=False, ends_at__gt=now - HISTORY)


def uid(standby: StandbyRequest) -> str:
    return f"standby-{standby.pk}@{settings.MESSAGE_ID_DOMAIN}"


def build_calendar(
    name: str, standbys: Iterable[StandbyRequest], reminders: list[timedelta]
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for standby in standbys:
        calendar.add_component(_event(standby, reminders))
    ical: bytes = calendar.to_ical()  # icalendar leaves its return type unannotated
    return ical


def _event(standby: StandbyRequest, reminders: list[timedelta]) -> Event:
    event = Event()
    event.add("uid", uid(standby))
    event.add("sequence", standby.sequence)
    event.add("dtstamp", standby.updated_at)
    event.add("dtstart", standby.starts_at)
    event.add("dtend", standby.ends_at)
    event.add("summary", _summary(standby))
    event.add("description", _description(standby))
    confirmed = standby.status == StandbyStatus.CONFIRMED
    event.add("status", "CONFIRMED" if confirmed else "CANCELLED")
    if confirmed:
        for before in reminders:
            event.add_component(_alarm(before, standby))
    return event


def _summary(standby: StandbyRequest) -> str:
    return f"Weekend standby {standby.key}: {standby.organization.name}, {standby.product.name}"


def _description(standby: StandbyRequest) -> str:
    engineer = standby.engineer
    lines = [
        f"Engineer: {engineer.user.full_name} ({engineer.office.name})" if engineer else "",
        f"Asked for by {standby.requested_by.full_name} <{standby.requested_by.email}>",
        "",
        standby.plan,
    ]
    return "\n".join(lines).strip()


def _alarm(before: timedelta, standby: StandbyRequest) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -before)
    alarm.add("description", f"{_summary(standby)} starts in {_hours(before)}")
    return alarm


def _hours(before: timedelta) -> str:
    hours = before // timedelta(hours=1)
    return "1 hour" if hours == 1 else f"{hours} hours"
