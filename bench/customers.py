"""Benchmarks of named contacts: approving a change and listing a license's named contacts on
a license with years of history, against the same work on a license without history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from premierdesk.accounts.models import Role, User
from premierdesk.catalog.models import Offering, OfferingSlug
from premierdesk.customers import actions
from premierdesk.customers.models import (
    ChangeStatus,
    ContactRole,
    License,
    LicenseContact,
    NamedContact,
    Organization,
)

Timed = Callable[[Callable[[], object]], float]
Report = Callable[..., None]
HISTORY = 2_000  # ended windows: about forty years of weekly covers
APPROVALS = 50
REQUESTS = 100


def _license(sen: str, history: int) -> tuple[License, User, User]:
    manager, _ = User.objects.get_or_create(
        email="bench-em@example.com",
        defaults={"full_name": "Bench EM", "role": Role.ENTERPRISE_MANAGER},
    )
    org = Organization.objects.create(
        name=sen, slug=sen.lower(), time_zone="Europe/Berlin", enterprise_manager=manager
    )
    offering, _ = Offering.objects.get_or_create(
        slug=OfferingSlug.PREMIER, defaults={"name": "Premier", "named_contact_slots": 3}
    )
    license = License.objects.create(
        sen=sen,
        organization=org,
        offering=offering,
        valid_from=date(2000, 1, 1),
        valid_until=date(2099, 12, 31),
    )
    technical = User.objects.create(
        email=f"tech@{sen.lower()}.example", full_name="Tech", organization=org
    )
    LicenseContact.objects.create(license=license, person=technical, role=ContactRole.TECHNICAL)
    now = timezone.now()
    NamedContact.objects.bulk_create(
        NamedContact(
            license=license,
            person=technical,
            starts_at=now - timedelta(days=7 * (n + 2)),
            ends_at=now - timedelta(days=7 * (n + 1)),
            status=ChangeStatus.APPROVED,
            requested_by=technical,
            requested_at=now,
        )
        for n in range(history)
    )
    for n in range(2):
        change = actions.request_named_contact(
            technical, sen, email=f"p{n}@{sen.lower()}.example", full_name=f"P{n}"
        )
        actions.approve_change(manager, change.pk)
    return license, technical, manager


def _approvals(license: License, technical: User, manager: User) -> Callable[[], None]:
    """Ask for and approve a third contact, then withdraw it: APPROVALS times."""

    def run() -> None:
        for _ in range(APPROVALS):
            change = actions.request_named_contact(
                technical, license.sen, email=f"third@{license.sen.lower()}.example", full_name="T"
            )
            actions.approve_change(manager, change.pk)
            actions.remove_named_contact(technical, change.pk)

    return run


def approve_with_history(timed: Timed, report: Report) -> None:
    fresh = _license("SEN-1000001", history=0)
    old = _license("SEN-1000002", history=HISTORY)
    baseline = timed(_approvals(*fresh))
    ms = timed(_approvals(*old))
    report("approve-with-history", f"history={HISTORY} approvals={APPROVALS}", ms, baseline)


def named_contacts_list(timed: Timed, report: Report) -> None:
    """GET /licenses/{sen}/named-contacts on the old license against the fresh one."""
    fresh, _, manager = _license("SEN-1000003", history=0)
    old, _, _ = _license("SEN-1000004", history=HISTORY)
    client = Client()
    client.force_login(manager)

    def listing(sen: str) -> Callable[[], None]:
        def run() -> None:
            for _ in range(REQUESTS):
                response = client.get(f"/api/v1/licenses/{sen}/named-contacts")
                assert response.status_code == 200

        return run

    baseline = timed(listing(fresh.sen))
    ms = timed(listing(old.sen))
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/api/v1/licenses/{old.sen}/named-contacts")
    report(
        "named-contacts-list",
        f"history={HISTORY} requests={REQUESTS}",
        ms,
        baseline,
        f"per_request_ms={ms / REQUESTS:.2f} queries={len(queries)}",
    )


BENCHMARKS = [approve_with_history, named_contacts_list]
