"""IANA time-zone names: validation and conversion helpers."""

from __future__ import annotations

import functools
import zoneinfo

from django.core.exceptions import ValidationError


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


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(known_time_zones())]
