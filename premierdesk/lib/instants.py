"""The span of instants and dates Premier Desk accepts as input (years 2000 to 2100), checked
once for the API, pages and commands, so a far-off date is refused instead of overflowing the
calendar arithmetic."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from premierdesk.lib.errors import InvalidInput

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
_D = TypeVar("_D", bound=date)

ACCEPTED = f"between the years {EARLIEST_YEAR} and {LATEST_YEAR}"


def out_of_range(value: date) -> str | None:
    """Why ``value`` (a date or a date-time, aware or not) is refused, or None if it is fine.

    The check is on the year as written: an offset moves an instant by hours at most, and
    the limits are far from where the calendar arithmetic (weeks around an instant) overflows.
    """
    if EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return None
    what = "date and time" if isinstance(value, datetime) else "date"
    return f"{value.isoformat()} is out of range: give a {what} {ACCEPTED}."


def check_in_range(value: _D, field: str) -> _D:
    """``value`` itself, or an ``InvalidInput`` naming ``field`` (a form field, a command's
    option) and the accepted range."""
    problem = out_of_range(value)
    if problem is not None:
        raise InvalidInput.on_field(field, f"{field}: {problem}")
    return value
