"""Reading licenses and named contacts: each window's state at an instant, slots over time,
the changes someone may see. Who reads which license is ``customers.rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from premierdesk.accounts.models import EVERY_CUSTOMER_ROLES, Role, User
from premierdesk.catalog.models import Product
from premierdesk.customers.models import (
    ChangeStatus,
    License,
    LicenseContact,
    NamedContact,
    Organization,
)
from premierdesk.customers.rules import (
    may_manage,
    readable_licenses,
    readable_organizations,
)

# Re-exported: pages and API read a license through here.
from premierdesk.customers.rules import readable_license as readable_license
from premierdesk.customers.windows import Span, Window, active_at, occupancy
from premierdesk.lib.errors import NotFound
from premierdesk.lib.prepared import Prepared


def find_license(sen: str, *, lock: bool = False) -> License:
    licenses = License.objects.select_related("organization", "offering")
    if lock:  # the license's row only, not the organization's or the shared offering's
        licenses = licenses.select_for_update(of=("self",))
    found = licenses.filter(sen=sen.strip().upper()).first()
    if found is None:
        raise unknown_sen(sen)
    return found


def find_license_and_product(sen: str, product_slug: str) -> tuple[License, Product] | None:
    """The license ``sen`` with the product it covers, in one query; None when there is no
    such license, no such product, or the license does not cover it."""
    found = _COVERED.first(sen.strip().upper(), product_slug.strip().lower())
    return None if found is None else (found.license, found.product)


def _covered(sen: str, product_slug: str) -> QuerySet[Any]:
    covered = License.products.through.objects.select_related(
        "license__organization", "license__offering", "product"
    )
    return covered.filter(license__sen=sen, product__slug=product_slug).order_by("pk")[:1]


# Every opening asks this: composed and compiled once (lib.prepared).
_COVERED = Prepared(_covered, str, str)


def unknown_sen(sen: str) -> NotFound:
    return NotFound(
        f"No license has the SEN {sen}. Check the Support Entitlement Number on your "
        "Premier Support contract (it looks like SEN-1234567)."
    )


def windows_of(license: License, *, since: datetime | None = None) -> list[Window]:
    """The license's approved windows, as plain values for the pure slot arithmetic; with
    ``since``, only those not over by then (years of history do not slow a check of now)."""
    rows = NamedContact.objects.filter(license=license, status=ChangeStatus.APPROVED)
    if since is not None:
        rows = rows.exclude(ends_at__lte=since)
    return [as_window(row) for row in rows]


def as_window(row: NamedContact) -> Window:
    """An approved window (every approved window has its person: a database check)."""
    assert row.person_id is not None, f"window {row.pk} is an invitation, not yet approved"
    return Window(row.pk, row.person_id, row.starts_at, row.ends_at, row.covers_id)


def active_contacts(license: License, at: datetime) -> list[NamedContact]:
    active_ids = {w.id for w in active_at(windows_of(license, since=at), at)}
    return list(
        NamedContact.objects.filter(pk__in=active_ids).select_related("person").order_by("pk")
    )


def visible_organizations(user: User) -> QuerySet[Organization]:
    return readable_organizations(user)


def managed_licenses(user: User, at: datetime) -> list[License]:
    """The licenses whose named contacts ``user`` may manage (their "Named contacts" pages)."""
    candidates = License.objects.select_related("organization", "offering").prefetch_related(
        "products"
    )
    if user.role == Role.ENTERPRISE_MANAGER:
        return list(candidates.filter(organization__enterprise_manager=user))
    if user.role == Role.ADMINISTRATOR:
        return list(candidates)
    if not user.is_customer:
        return []
    own = candidates.filter(organization_id=user.organization_id or 0)
    return [license for license in own if may_manage(user, license, at)]


class WindowState(StrEnum):
    PENDING = "pending"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    UPCOMING = "upcoming"
    ACTIVE = "active"
    SUSPENDED = "suspended"  # on leave: a temporary cover holds the slot
    ENDED = "ended"


STATE_EXPLANATIONS = {
    WindowState.PENDING: "asked for; waits for the enterprise manager's approval",
    WindowState.DECLINED: "declined",
    WindowState.WITHDRAWN: "withdrawn before it started",
    WindowState.UPCOMING: "approved; starts later",
    WindowState.ACTIVE: "active",
    WindowState.SUSPENDED: "suspended while a colleague covers",
    WindowState.ENDED: "ended",
}


@dataclass(frozen=True)
class RosterEntry:
    window: NamedContact
    state: WindowState
    why: str


def state_at(window: NamedContact, at: datetime, covering: list[NamedContact]) -> WindowState:
    """``covering``: the approved covers of this window (to tell active from suspended)."""
    if window.status != ChangeStatus.APPROVED:
        return WindowState(window.status)
    if at < window.starts_at:
        return WindowState.UPCOMING
    if window.ends_at is not None and window.ends_at <= at:
        return WindowState.ENDED
    if any(as_window(cover).spans(at) for cover in covering):
        return WindowState.SUSPENDED
    return WindowState.ACTIVE


UTC_ZONE = ZoneInfo("UTC")


def _when(instant: datetime, zone: ZoneInfo) -> str:
    return f"{instant.astimezone(zone):%Y-%m-%d %H:%M} {zone.key}"


def _why(
    window: NamedContact, state: WindowState, covering: list[NamedContact], zone: ZoneInfo
) -> str:
    """Why the window is in its state, for a person; times in ``zone``."""
    until = f" until {_when(window.ends_at, zone)}" if window.ends_at else " (permanent)"
    if state == WindowState.ACTIVE and window.covers_id is not None and window.covers:
        return f"covering for {window.covers.person_email}{until}"
    if state == WindowState.ACTIVE:
        return f"approved window from {_when(window.starts_at, zone)}{until}"
    if state == WindowState.SUSPENDED:
        names = ", ".join(c.person_email for c in covering)
        return f"on leave; covered by {names}"
    if state == WindowState.UPCOMING:
        return f"approved; starts {_when(window.starts_at, zone)}{until}"
    return STATE_EXPLANATIONS[state]


def entry_now(window_id: int, at: datetime, zone: ZoneInfo = UTC_ZONE) -> RosterEntry:
    """One window with its state at ``at`` (for answering a change just made)."""
    window = (
        NamedContact.objects.select_related(*_WINDOW_RELATIONS)
        .prefetch_related("covered_by__person")
        .get(pk=window_id)
    )
    return entry_at(window, at, zone)


def entry_at(window: NamedContact, at: datetime, zone: ZoneInfo = UTC_ZONE) -> RosterEntry:
    """``window`` with its state; its approved covers are read from ``covered_by`` (prefetch
    it for lists, as ``changes_for`` does)."""
    covering = [c for c in window.covered_by.all() if c.status == ChangeStatus.APPROVED]
    state = state_at(window, at, covering)
    return RosterEntry(window, state, _why(window, state, covering, zone))


_WINDOW_RELATIONS = ("license", "person", "covers__person", "requested_by", "decided_by")


def roster(
    license: License, at: datetime, *, include_closed: bool = False, zone: ZoneInfo = UTC_ZONE
) -> list[RosterEntry]:
    """Every named-contact window of the license with its state at ``at``, in two queries.
    Without ``include_closed``, ended, declined and withdrawn windows are left out."""
    windows = NamedContact.objects.filter(license=license)
    if not include_closed:  # leave years of history in the database
        windows = windows.filter(status__in=[ChangeStatus.PENDING, ChangeStatus.APPROVED]).exclude(
            ends_at__lte=at
        )
    rows = list(windows.select_related(*_WINDOW_RELATIONS).order_by("starts_at", "pk"))
    covers_of: dict[int, list[NamedContact]] = {}
    for row in rows:
        if row.covers_id is not None and row.status == ChangeStatus.APPROVED:
            covers_of.setdefault(row.covers_id, []).append(row)
    entries = []
    for row in rows:
        covering = covers_of.get(row.pk, [])
        state = state_at(row, at, covering)
        if include_closed or state not in _CLOSED:
            entries.append(RosterEntry(row, state, _why(row, state, covering, zone)))
    return entries


_CLOSED = {WindowState.ENDED, WindowState.DECLINED, WindowState.WITHDRAWN}


@dataclass(frozen=True)
class SlotSpan:
    starts_at: datetime
    ends_at: datetime | None
    slots: int
    people: list[str]

    @property
    def free(self) -> int:
        return self.slots - len(self.people)


def slot_timeline(license: License, since: datetime) -> list[SlotSpan]:
    """Free slots now and over time: one span per change in who holds a slot."""
    windows = windows_of(license, since=since)
    emails = dict(
        User.objects.filter(pk__in={w.person_id for w in windows}).values_list("pk", "email")
    )
    return [
        _slot_span(span, license.named_contact_slots, emails) for span in occupancy(windows, since)
    ]


def _slot_span(span: Span, slots: int, emails: dict[int, str]) -> SlotSpan:
    people = sorted(emails[w.person_id] for w in span.active)
    return SlotSpan(span.starts_at, span.ends_at, slots, people)


def license_contacts(license: License) -> QuerySet[LicenseContact]:
    return LicenseContact.objects.filter(license=license).select_related("person")


def changes_for(
    user: User, at: datetime, status: str | None = ChangeStatus.PENDING
) -> QuerySet[NamedContact]:
    """Named-contact changes ``user`` may see, oldest request first. The enterprise manager's
    approval queue is their organizations' pending changes; those who read every license see
    all; a customer sees the changes of the licenses they manage; a developer none
    (``customers.rules``)."""
    changes = (
        NamedContact.objects.select_related("license__organization", *_WINDOW_RELATIONS[1:])
        .prefetch_related("covered_by__person")
        .order_by("requested_at", "pk")
    )
    if status:
        changes = changes.filter(status=status)
    if user.is_active and user.role in EVERY_CUSTOMER_ROLES:
        return changes
    return changes.filter(license__in=readable_licenses(user, at))
