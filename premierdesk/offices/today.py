"""Today's rota (pure: no database): each office's duty on one UTC day as bars placed by the
minute, its holidays that day, who is on duty now, who comes on next and who is on call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from premierdesk.lib.coverage import Interval, covered
from premierdesk.offices.duty import Duty, OfficeHours, next_on_duty, on_duty

DAY_MINUTES = 24 * 60


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
class Rota:
    day: datetime  # 00:00 UTC
    now: datetime
    now_left: float
    lanes: list[Lane]
    on_duty: list[Duty]
    next: Duty | None
    on_call: list[str]


def rota(offices: Sequence[OfficeHours], on_call: Sequence[Interval], now: datetime) -> Rota:
    """The rota of ``now``'s UTC day; ``on_call`` holds shifts named by their engineer."""
    day = datetime.combine(now.astimezone(UTC).date(), time(0), tzinfo=UTC)
    duties = on_duty(offices, now)
    present = {d.office.name for d in duties}
    return Rota(
        day=day,
        now=now,
        now_left=_percent(day, now),
        lanes=[_lane(o, day, o.name in present) for o in offices],
        on_duty=duties,
        next=next_on_duty(offices, now),
        on_call=sorted({s.reason for s in on_call if s.start <= now < s.end}),
    )


def _lane(office: OfficeHours, day: datetime, present: bool) -> Lane:
    end = day + timedelta(days=1)
    duty_labels = [e for e in office.calendar.open_exceptions if e.reason]
    bars = [_bar(i, day, _label(i, duty_labels)) for i in covered(office.calendar, day, end)]
    holidays = [
        h.label
        for h in office.calendar.holidays
        if h.interval().start < end and h.interval().end > day
    ]
    return Lane(office.name, bars, holidays, present)


def _label(piece: Interval, extra: list[Interval]) -> str:
    return next((e.reason for e in extra if e.start < piece.end and e.end > piece.start), "")


def _bar(piece: Interval, day: datetime, label: str) -> Bar:
    left = _percent(day, piece.start)
    return Bar(piece.start, piece.end, left, _percent(day, piece.end) - left, label)


def _percent(day: datetime, at: datetime) -> float:
    minutes = (at - day).total_seconds() / 60
    return round(100 * min(max(minutes, 0), DAY_MINUTES) / DAY_MINUTES, 3)
