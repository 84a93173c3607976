"""From the policy in the database to the plain values the clock engine takes: which calendar
and which targets apply to one ticket, and the defaults a fresh installation starts from."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch, QuerySet, Subquery

from premierdesk.calendars.models import CalendarSpan, CoverageCalendar
from premierdesk.catalog.models import Level, Offering, Product, ResponseTarget
from premierdesk.customers.models import License, Organization
from premierdesk.lib import coverage
from premierdesk.lib.prepared import Prepared
from premierdesk.lib.readings import known, read_once
from premierdesk.sla import defaults
from premierdesk.sla.clocks import ClockKind, Policy
from premierdesk.sla.models import CalendarRule, SlaPolicy, new_revision
from premierdesk.tickets.models import Ticket

TARGET_FIELDS = {
    ClockKind.FIRST_RESPONSE: "initial_response_minutes",
    ClockKind.NEXT_UPDATE: "next_update_minutes",
    ClockKind.RESOLUTION: "resolution_minutes",
}


@transaction.atomic
def ensure_defaults() -> None:
    """Premier's calendars and rules (docs/product/response-targets-and-coverage.md#coverage) and
    the SLA policy, when none exist yet."""
    SlaPolicy.objects.get_or_create(
        pk=1,
        defaults={
            "warning_percents": [50, 75],
            "pausing": {k: sorted(v) for k, v in defaults.PAUSING.items()},
        },
    )
    if CalendarRule.objects.exists():
        return
    weekdays, created = CoverageCalendar.objects.get_or_create(
        slug="premier-24x5",
        defaults={
            "name": defaults.PREMIER_24X5.name,
            "always_open": True,
            "description": "All week except the global weekend, Friday 17:00 US Pacific to "
            "Monday 10:00 Sydney.",
        },
    )
    if created:
        add_global_weekend(weekdays)
    weekend, _ = CoverageCalendar.objects.get_or_create(
        slug="24x7",
        defaults={
            "name": defaults.AROUND_THE_CLOCK.name,
            "always_open": True,
            "description": "Critical levels over the weekend (on-call roster).",
        },
    )
    _add_rules(weekdays, weekend)


def add_global_weekend(weekdays: CoverageCalendar) -> None:
    """Take the global weekend (policy default) out of ``weekdays``."""
    span = defaults.GLOBAL_WEEKEND
    CalendarSpan.objects.create(
        calendar=weekdays,
        closes=True,
        start_day=span.start_day,
        start_time=span.start_time,
        start_zone=span.start_zone,
        end_day=span.end_day,
        end_time=span.end_time,
        end_zone=span.end_zone_name,
        label=span.label,
    )


def _add_rules(weekdays: CoverageCalendar, weekend: CoverageCalendar) -> None:
    rules = [
        (weekend_class, level)
        for weekend_class, levels in defaults.WEEKEND_LEVELS.items()
        for level in sorted(levels)
    ]
    for priority, (weekend_class, level) in enumerate(rules, start=1):
        CalendarRule.objects.create(
            priority=priority * 10, calendar=weekend, weekend_class=weekend_class, level=level
        )
    CalendarRule.objects.create(priority=1000, calendar=weekdays)


@dataclass(frozen=True)
class _Loaded:
    """The policy data as plain values, for one revision of it."""

    revision: str
    rules: list[tuple[CalendarRule, coverage.Calendar]]
    warnings: tuple[float, ...]
    pausing: dict[ClockKind, frozenset[str]]


_loaded: _Loaded | None = None  # this process's copy; replaced when the revision changes


def revise() -> None:
    """Mark the policy data changed, so every process reads it again on its next use."""
    SlaPolicy.objects.filter(pk=1).update(revision=new_revision())


def revision() -> str | None:
    """The policy data's revision as stored (one query; once per ``lib.readings`` reading)."""
    return read_once("sla.revision", _stored_revision)


def _stored_revision() -> str | None:
    return SlaPolicy.objects.filter(pk=1).values_list("revision", flat=True).first()


def _policy_data() -> _Loaded:
    """Calendars, rules, warnings and pauses: read once per revision (one query to check),
    not on every ticket change."""
    revision_ = revision()
    if _loaded is not None and revision_ is not None and _loaded.revision == revision_:
        return _loaded
    return _load_policy_data()


def _load_policy_data() -> _Loaded:
    global _loaded
    ensure_defaults()
    settings = SlaPolicy.objects.get(pk=1)
    calendars = CoverageCalendar.objects.prefetch_related("spans", "holidays", "exceptions")
    rules = CalendarRule.objects.prefetch_related(Prefetch("calendar", queryset=calendars))
    _loaded = _Loaded(
        revision=settings.revision,
        rules=[(rule, rule.calendar.as_calendar()) for rule in rules],
        warnings=tuple(p / 100 for p in settings.warning_percents),
        pausing={ClockKind(k): frozenset(v) for k, v in settings.pausing.items()},
    )
    return _loaded


def rule_matches(rule: CalendarRule, ticket: Ticket, level: str) -> bool:
    """Whether every condition the rule sets holds for the ticket at ``level``."""
    return (
        (rule.offering_id is None or rule.offering_id == ticket.license.offering_id)
        and (not rule.level or rule.level == level)
        and (rule.product_id is None or rule.product_id == ticket.product_id)
        and (not rule.weekend_class or rule.weekend_class == ticket.product.weekend_class)
        and (rule.organization_id is None or rule.organization_id == ticket.organization_id)
    )


class NoCalendar(LookupError):
    pass


def policy_for(ticket: Ticket) -> Policy:
    """The clock policy of one ticket: calendars by level from the rules, targets from its
    offering, pauses and warnings from the SLA policy."""
    targets = read_once(("sla.targets", ticket.license.offering_id), lambda: _targets(ticket))
    return _policy(_policy_data(), ticket, targets)


class Policies:
    """The policies of many tickets read together (a recompute): the policy data and every
    offering's targets read once, and one policy built per offering, product and
    organization, as ``policy_for`` would build it for each of their tickets."""

    def __init__(self) -> None:
        self._data = _policy_data()
        self._targets: dict[int, dict[str, ResponseTarget]] = defaultdict(dict)
        for target in ResponseTarget.objects.all():
            self._targets[target.offering_id][target.level] = target
        self._built: dict[tuple[int, int, int], Policy] = {}

    def policy_for(self, ticket: Ticket) -> Policy:
        """``ticket`` needs what the rules match on: its license's offering, its product
        (with the weekend class) and its organization."""
        offering = ticket.license.offering_id
        key = (offering, ticket.product_id, ticket.organization_id)
        if key not in self._built:
            self._built[key] = _policy(self._data, ticket, self._targets[offering])
        return self._built[key]


def _policy(data: _Loaded, ticket: Ticket, targets: dict[str, ResponseTarget]) -> Policy:
    calendars: dict[str, coverage.Calendar] = {}
    for level in Level.values:
        found = next((cal for rule, cal in data.rules if rule_matches(rule, ticket, level)), None)
        if found is None:
            raise NoCalendar(f"No calendar rule matches {ticket.key} at {level}.")
        calendars[level] = found

    def target_for(kind: ClockKind, level: str) -> timedelta | None:
        target = targets.get(level)
        name = TARGET_FIELDS.get(kind)
        minutes = getattr(target, name) if target is not None and name else None
        return None if minutes is None else timedelta(minutes=minutes)

    return Policy(
        calendar_for=calendars.__getitem__,
        target_for=target_for,
        pausing=data.pausing,
        warnings=data.warnings,
    )


def _targets_with_revision(offering_id: int) -> QuerySet[ResponseTarget]:
    stored = Subquery(SlaPolicy.objects.filter(pk=1).values("revision"))
    rows = ResponseTarget.objects.filter(offering_id=offering_id)
    return rows.annotate(policy_revision=stored)


# Every opening asks this: composed and compiled once (lib.prepared).
_TARGETS = Prepared(_targets_with_revision, int)


def _targets(ticket: Ticket) -> dict[str, ResponseTarget]:
    """The offering's targets by level; the policy revision comes along in the same query, for
    the rest of a reading."""
    annotated = _TARGETS.all(ticket.license.offering_id)
    if annotated:
        known("sla.revision", getattr(annotated[0], "policy_revision"))  # noqa: B009 - annotated
    return {t.level: t for t in annotated}


def policy_for_values(
    offering: Offering, product: Product, organization: Organization | None = None
) -> Policy:
    """The policy a ticket with these values would get (for "when would it be due?" and
    "who would it go to?" questions); nothing is saved."""
    ticket = Ticket(license=License(offering=offering), product=product)
    if organization is not None:
        ticket.organization = organization
    return policy_for(ticket)


def service_week() -> coverage.Calendar:
    """The service's own week (Premier's 24x5): the calendar of the last rule without any
    condition, the default."""
    defaults_ = [
        (rule, cal)
        for rule, cal in _policy_data().rules
        if rule.offering_id is None
        and not rule.level
        and rule.product_id is None
        and not rule.weekend_class
        and rule.organization_id is None
    ]
    if not defaults_:
        raise NoCalendar("No default calendar rule: add a rule without conditions.")
    return max(defaults_, key=lambda pair: pair[0].priority)[1]
