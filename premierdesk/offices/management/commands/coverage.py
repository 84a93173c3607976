"""premierdesk coverage --from DATE --to DATE [--json]: every stretch of the 24x5 week no office
covers; the exit status is 0 when there is none, 1 otherwise (for scripts and CI)."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from premierdesk.lib.instants import out_of_range
from premierdesk.offices.duty import gaps
from premierdesk.offices.routing import office_hours
from premierdesk.sla.policy import service_week


class Command(BaseCommand):
    help = "List the gaps in the rota: hours of the 24x5 week with no office on duty."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--from", dest="since", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="until", required=True, help="Last day, inclusive.")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args: Any, since: str, until: str, as_json: bool, **options: Any) -> None:
        first, last = _day(since, "--from"), _day(until, "--to")
        if last < first:
            raise CommandError("--to is before --from; give the range the right way round.")
        start = datetime.combine(first, time(0), tzinfo=UTC)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC)
        found = gaps(office_hours(), service_week(), start, end)
        if as_json:
            rows = [{"starts_at": g.start.isoformat(), "ends_at": g.end.isoformat()} for g in found]
            self.stdout.write(json.dumps({"from": since, "to": until, "gaps": rows}, indent=2))
        elif not found:
            self.stdout.write(
                f"No gap: every hour of the 24x5 week from {since} to {until} "
                "has an office on duty."
            )
        else:
            for g in found:
                self.stdout.write(
                    f"gap {g.start:%Y-%m-%d %H:%M} to {g.end:%Y-%m-%d %H:%M} UTC "
                    f"({(g.end - g.start).total_seconds() / 3600:.1f} h)"
                )
        if found:
            sys.exit(1)


def _day(value: str, flag: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{flag} {value!r} is not a date; write YYYY-MM-DD.") from None
    if problem := out_of_range(day):
        raise CommandError(f"{flag} {problem}")
    return day
