"""A small world for the load test's own tests: a few support engineers and named contacts
with their tickets, made with the test factories, and the manifest ``premierdesk bench-data``
writes (``var/bench-data.json``) naming them, so the locustfile signs in as them."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.tests.factories import LicenseFactory, OrganizationFactory, add_approved
from premierdesk.offices.tests.factories import EngineerFactory, OfficeFactory
from premierdesk.tickets.tests.factories import make_products, open_ticket

PASSWORD = "bench-password-1"
DOMAIN = "bench.premierdesk.test"


def build(
    agents: int = 3, customers: int = 4, tickets_per_customer: int = 4, per_organization: int = 2
) -> dict[str, object]:
    """Make the people and tickets, write the manifest under VAR_DIR, and return it."""
    password = make_password(PASSWORD)
    products = make_products()
    office = OfficeFactory.create(name="Bench", time_zone="Europe/Amsterdam")
    agent_emails = [f"agent{n}@{DOMAIN}" for n in range(1, agents + 1)]
    for email in agent_emails:
        EngineerFactory.create(office=office, user__email=email, user__password=password)
    manager = UserFactory.create(role=Role.ENTERPRISE_MANAGER, email=f"manager@{DOMAIN}")
    listed: list[dict[str, str]] = []
    opened = 0
    for n in range(1, customers + 1):
        if (n - 1) % per_organization == 0:
            organization = OrganizationFactory.create(enterprise_manager=manager)
            license = LicenseFactory.create(organization=organization)
            license.products.set([products["jira-software"], products["confluence"]])
        email = f"customer{n}@{DOMAIN}"
        person = UserFactory.create(
            email=email, role=Role.CUSTOMER, organization=organization, password=password
        )
        add_approved(license, manager, manager, email)
        for t in range(tickets_per_customer):
            open_ticket(person, license.sen, level="L3", summary=f"Bench request {n}.{t}")
            opened += 1
        listed.append({"email": email, "sen": license.sen, "organization": organization.slug})
    manifest: dict[str, object] = {
        "password": PASSWORD,
        "agents": agent_emails,
        "customers": listed,
        "tickets": opened,
    }
    path = Path(settings.VAR_DIR) / "bench-data.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=2))
    return manifest
