"""Today's rota (pure: no database): each office's duty on the viewer's day as bars placed by
the minute, its holidays that day, who is on duty now, who comes on next and who is on call.

The day is the viewer's local day, midnight to midnight in their zone, so it lasts 23 or 25
hours when daylight saving starts or ends that night; bars and hour ticks are placed by the
real minutes elapsed, so the time line stays true on those days too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from premierdesk.lib.coverage import Interval, covered
from premierdesk.offices.duty import Duty, OfficeHours, next_on_duty, on_duty

TICK_HOURS = range(0, 24, 3)


@dataclass(frozen=True)
class Bar:
    starts_at: datetime
    ends_at: datetime
    left: float  # per cent of the day
    width: float
    label: str  # "holiday duty (…)" when it is one


@dataclass(frozen=True)
class Lane:
    name: str
    bars: list[Bar]
    holidays: list[str]
    on_duty: bool


@dataclass(frozen=True)
class Tick:
    label: str  # "03:00"
    left: float


@dataclass(frozen=True)
class Rota:
    zone: str
    day: datetime  # local midnight (in UTC)
    ticks: list[Tick]
    now: datetime
    now_left: float
    lanes: list[Lane]
    on_duty: list[Duty]
    next: Duty | None
    on_call: list[str]


def rota(
    offices: Sequence[OfficeHours], on_call: Sequence[Interval], now: datetime, zone: str = "UTC"
) -> Rota:
    """The rota of ``now``'s day in ``zone``; ``on_call`` holds shifts named by engineer."""
    day = _Day.of(now, ZoneInfo(zone))
    duties = on_duty(offices, now)
    present = {d.office.name for d in duties}
    return Rota(
        zone=zone,
        day=day.start,
        ticks=[Tick(f"{h:02d}:00", day.percent(day.at(h))) for h in TICK_HOURS],
        now=now,
        now_left=day.percent(now),
        lanes=[_lane(o, day, o.name in present) for o in offices],
        on_duty=duties,
        next=next_on_duty(offices, now),
        on_call=sorted({s.reason for s in on_call if s.start <= now < s.end}),
    )


@dataclass(frozen=True)
class _Day:
    """One local day: from its midnight to the next, however long daylight saving makes it."""

    start: datetime  # UTC, like every instant here: subtracting two datetimes of one zone
    end: datetime  # would count wall-clock time, wrong across a daylight-saving change
    zone: ZoneInfo

    @classmethod
    def of(cls, now: datetime, zone: ZoneInfo) -> _Day:
        local = now.astimezone(zone).date()
        return cls(_instant(local, 0, zone), _instant(local + timedelta(days=1), 0, zone), zone)

    def at(self, hour: int) -> datetime:
        return _instant(self.start.astimezone(self.zone).date(), hour, self.zone)

    def percent(self, at: datetime) -> float:
        length = (self.end - self.start).total_seconds()
        elapsed = (at - self.start).total_seconds()
        return round(100 * min(max(elapsed, 0), length) / length, 3)


def _instant(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """The instant a local hour names, in UTC. An hour a change skips (some zones skip
    midnight itself) is read with the offset before it, which lands on the first instant
    after the gap; an hour that happens twice is its first occurrence."""
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def _lane(office: OfficeHours, day: _Day, present: bool) -> Lane:
    duty_labels = [e for e in office.calendar.open_exceptions if e.reason]
    bars = [
        _bar(i, day, _label(i, duty_labels)) for i in covered(office.calendar, day.start, day.end)
    ]
    holidays = [
        h.label
        for h in office.calendar.holidays
        if h.interval().start < day.end and h.interval().end > day.start
    ]
    return Lane(office.name, bars, holidays, present)


def _label(piece: Interval, extra: list[Interval]) -> str:
    return next((e.reason for e in extra if e.start < piece.end and e.end > piece.start), "")


def _bar(piece: Interval, day: _Day, label: str) -> Bar:
    left = day.percent(piece.start)
    return Bar(piece.start, piece.end, left, day.percent(piece.end) - left, label)
