"""premierdesk rota who --at TIME [--product P] [--level L] [--json]: who is on duty at an
instant, and who a new ticket would go to then."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from premierdesk.catalog.models import Level, Offering, OfferingSlug, Product
from premierdesk.lib.instants import out_of_range
from premierdesk.offices import duty
from premierdesk.offices.routing import office_hours, route
from premierdesk.sla.defaults import WEEKEND_LEVELS
from premierdesk.sla.policy import policy_for_values, service_week


class Command(BaseCommand):
    help = "Who is on duty at an instant, and who a new ticket would go to."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        who = sub.add_parser("who", help="Offices on duty and the engineer a ticket would get.")
        who.add_argument("--at", help="ISO 8601 with an offset (default: now).")
        who.add_argument("--product", help="Product slug, to say who a new ticket would go to.")
        who.add_argument("--level", default=Level.L2, choices=Level.values)
        who.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        at = _instant(options["at"])
        hours = office_hours()
        result: dict[str, Any] = {
            "at": at.isoformat(),
            "on_duty": [_duty(d) for d in duty.on_duty(hours, at)],
        }
        following = duty.next_on_duty(hours, at)
        result["next"] = _duty(following) if following else None
        if options["product"]:
            result["route"] = _route(options["product"], options["level"], at)
        if options["as_json"]:
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.stdout.write(_text(result))


def _instant(value: str | None) -> datetime:
    if not value:
        return timezone.now()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--at {value!r} is not ISO 8601, e.g. 2027-03-26T16:50:00-07:00."
        ) from None
    if parsed.tzinfo is None:
        raise CommandError(f"--at {value} has no offset; add one, e.g. {value}Z or {value}+10:00.")
    if problem := out_of_range(parsed):
        raise CommandError(f"--at {problem}")
    return parsed


def _duty(found: duty.Duty) -> dict[str, str]:
    return {
        "office": found.office.name,
        "starts_at": found.starts_at.isoformat(),
        "ends_at": found.ends_at.isoformat(),
    }


def _route(slug: str, level: str, at: datetime) -> dict[str, str | None]:
    product = Product.objects.filter(slug=slug, covered=True).first()
    if product is None:
        slugs = ", ".join(Product.objects.filter(covered=True).values_list("slug", flat=True))
        raise CommandError(f"No covered product {slug!r}; choose one of: {slugs}.")
    offering = Offering.objects.filter(slug=OfferingSlug.PREMIER).first()
    if offering is None:
        raise CommandError("There is no Premier offering yet; add it in the admin.")
    policy = policy_for_values(offering, product)
    found = route(
        product.pk,
        level,
        at,
        service_week=service_week(),
        level_calendar=policy.calendar_for(level),
    )
    weekend = level in WEEKEND_LEVELS.get(product.weekend_class, frozenset())
    return {
        "engineer": found.engineer.user.email if found.engineer else None,
        "office": found.office.name if found.office else None,
        "why": found.reason,
        "weekend_coverage": "yes" if weekend else "no",
    }


def _text(result: dict[str, Any]) -> str:
    lines = [f"At {result['at']}:"]
    for d in result["on_duty"] or []:
        lines.append(f"  on duty: {d['office']} until {d['ends_at']}")
    if not result["on_duty"]:
        lines.append("  no office on duty")
    if result["next"]:
        lines.append(
            f"  next on duty: {result['next']['office']} from {result['next']['starts_at']}"
        )
    if "route" in result:
        chosen = result["route"]
        who = f"{chosen['engineer']} ({chosen['office']})" if chosen["engineer"] else "nobody"
        lines.append(f"  a new ticket goes to {who}: {chosen['why']}")
    return "\n".join(lines)
