"""IANA time-zone names: validation and conversion helpers."""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, datetime

from django.core.exceptions import ValidationError

from premierdesk.lib.errors import InvalidInput


@functools.cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(name: str) -> None:
    """Model/form validator: the value must be an IANA zone name such as ``Europe/Amsterdam``."""
    if name not in known_time_zones():
        raise ValidationError(
            "%(name)s is not an IANA time zone; use a name such as Europe/Amsterdam "
            "or Australia/Sydney.",
            params={"name": name},
            code="invalid_time_zone",
        )


def local_instant(
    wall: datetime, zone: zoneinfo.ZoneInfo, *, label: str = "", field: str | None = None
) -> datetime:
    """The one instant a wall-clock time names in ``zone``; refused when a daylight-saving
    change makes it name two instants or none, rather than guessing which was meant.
    ``label`` starts the refusal's sentence (the input's name); ``field`` pins it to a field."""
    earlier, later = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() == later.utcoffset():
        return earlier
    named = f"{label} {wall:%Y-%m-%dT%H:%M}".strip()
    exists = [t for t in (earlier, later) if _round_trips(t, wall)]
    if len(exists) == 2:
        message = (
            f"{named} happens twice in {zone.key} (the clocks go back); "
            f"add the offset you mean: {earlier.isoformat(timespec='minutes')} or "
            f"{later.isoformat(timespec='minutes')}."
        )
    else:
        message = (
            f"{named} does not exist in {zone.key} (the clocks go forward); "
            "give a time outside the change, or one with an offset."
        )
    raise InvalidInput.on_field(field, message) if field else InvalidInput(message)


def _round_trips(candidate: datetime, wall: datetime) -> bool:
    back = candidate.astimezone(UTC).astimezone(candidate.tzinfo)
    return back.replace(tzinfo=None) == wall


def wall_time(instant: datetime, zone_name: str) -> str:
    """``instant`` as a person in ``zone_name`` reads it, the zone named so nobody takes it
    for another zone's: "2026-05-04 11:00 Europe/Amsterdam"."""
    return f"{instant.astimezone(zoneinfo.ZoneInfo(zone_name)):%Y-%m-%d %H:%M} {zone_name}"
