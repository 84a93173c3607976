"""Weekend standby windows (docs/product/services.md#weekend-standby): which windows may be asked
for, and how a window reads in a zone, as pure functions.

Plain values only: no database, no clock. The rules, fixed here once:

- The weekend is the organization's own: every instant whose local date (in its IANA zone)
  is a Saturday or a Sunday, from the first instant of Saturday to the first instant of
  Monday. A window lies in one weekend: it may end exactly as Monday begins, not later.
- Lengths and notice are **elapsed time**, measured between UTC instants: an 8-hour window
  over the night the clocks change is 8 real hours of an engineer's standby, whatever the
  wall clock says (02:00 to 11:00 on the spring-forward Sunday in Berlin is 8 hours).
- Notice: the window starts at least ``notice`` after it is asked for.
- Windows are half-open, ``[starts_at, ends_at)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from premierdesk.lib.coverage import wall_instant

SATURDAY, SUNDAY = 5, 6
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class StandbyRules:
    notice: timedelta
    max_length: timedelta


class Broken(StrEnum):
    """Which rule a window breaks (the first, in this order)."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_WEEKEND = "not_weekend"
    CROSSES_MONDAY = "crosses_monday"
    TOO_SOON = "too_soon"


@dataclass(frozen=True)
class Window:
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        # In UTC: Python subtracts and compares two datetimes of one zone by their wall
        # clocks, which would make a night with a daylight-saving change an hour off.
        object.__setattr__(self, "starts_at", self.starts_at.astimezone(UTC))
        object.__setattr__(self, "ends_at", self.ends_at.astimezone(UTC))

    @property
    def length(self) -> timedelta:
        return self.ends_at - self.starts_at


def day_start(day: date, zone_name: str) -> datetime:
    """The first instant of a local date (00:00, or the end of a jump over midnight)."""
    return wall_instant(day, time(0), zone_name)


def weekend_of(instant: datetime, zone_name: str) -> Window | None:
    """The local weekend ``instant`` lies in, or None on a weekday."""
    local = instant.astimezone(ZoneInfo(zone_name)).date()
    if local.weekday() not in (SATURDAY, SUNDAY):
        return None
    saturday = local - timedelta(days=local.weekday() - SATURDAY)
    return Window(day_start(saturday, zone_name), day_start(saturday + 2 * DAY, zone_name))


def next_weekend(instant: datetime, zone_name: str) -> Window:
    """The weekend ``instant`` lies in, or else the next one to begin after it."""
    found = weekend_of(instant, zone_name)
    if found is not None:
        return found
    local = instant.astimezone(ZoneInfo(zone_name)).date()
    saturday = local + timedelta(days=SATURDAY - local.weekday())
    return Window(day_start(saturday, zone_name), day_start(saturday + 2 * DAY, zone_name))


def broken_rule(
    window: Window, asked_at: datetime, zone_name: str, rules: StandbyRules
) -> Broken | None:
    """The first rule ``window`` breaks when asked for at ``asked_at``, or None."""
    if window.ends_at <= window.starts_at:
        return Broken.EMPTY
    if window.length > rules.max_length:
        return Broken.TOO_LONG
    weekend = weekend_of(window.starts_at, zone_name)
    if weekend is None:
        return Broken.NOT_WEEKEND
    if window.ends_at > weekend.ends_at:
        return Broken.CROSSES_MONDAY
    if window.starts_at < asked_at.astimezone(UTC) + rules.notice:
        return Broken.TOO_SOON
    return None


def earliest_window(
    asked_at: datetime, zone_name: str, rules: StandbyRules, *, not_before: datetime | None = None
) -> Window:
    """The earliest window that would be accepted when asked for at ``asked_at``, starting
    no earlier than ``not_before`` (what was asked for), as long as the rules allow, whole
    minutes."""
    asked_at = asked_at.astimezone(UTC)
    start = _ceil_minute(max(asked_at + rules.notice, (not_before or asked_at).astimezone(UTC)))
    weekend = next_weekend(start, zone_name)
    start = max(start, weekend.starts_at)
    return Window(start, min(start + rules.max_length, weekend.ends_at))


def _ceil_minute(instant: datetime) -> datetime:
    floor = instant.replace(second=0, microsecond=0)
    return floor if floor == instant else floor + MINUTE


def when(instant: datetime, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %H:%M}"


def window_text(window: Window, zone: ZoneInfo) -> str:
    return f"from {when(window.starts_at, zone)} to {when(window.ends_at, zone)} ({zone.key})"
