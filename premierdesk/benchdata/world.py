"""The people and organizations of the benchmark dataset, and the manifest the load test
signs in from.

21,000 people: first the ones the load test signs in as (``agent{i}@bench.premierdesk.test``,
support engineers in the five offices, with skills, and ``customer{i}@bench.premierdesk.test``,
three to an organization: the three active named contacts of its first license), then the rest
of the staff, then the other customers of the 300 organizations (named contacts, former named
contacts, technical and billing contacts, participants). Everyone shares one password, hashed
once (argon2 for 21,000 people one by one would take hours).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password

from premierdesk.accounts.models import Role, User
from premierdesk.benchdata import tables
from premierdesk.calendars.models import CalendarSpan, CoverageCalendar
from premierdesk.catalog.models import Level, Offering, OfferingSlug, Product, ResponseTarget
from premierdesk.catalog.models import WeekendClass as Weekend
from premierdesk.customers.actions import onboard_organization
from premierdesk.customers.models import (
    ChangeStatus,
    ContactRole,
    License,
    LicenseContact,
    NamedContact,
    Organization,
)
from premierdesk.offices.models import Engineer, Office
from premierdesk.sla import defaults
from premierdesk.sla.policy import ensure_defaults
from premierdesk.tickets.models import TicketPolicy

DOMAIN = "bench.premierdesk.test"
PASSWORD = "bench-password-1"  # noqa: S105 - the load test's published sign-in
AGENTS = 50
CUSTOMERS = 150  # the load test's, SLOTS to an organization: its first license's named contacts
PEOPLE = 21_000
ORGANIZATIONS = 300
ENGINEERS = 300  # the agents among them
MANAGERS = {
    Role.SUPPORT_MANAGER: 5,
    Role.ESCALATION_MANAGER: 5,
    Role.ENTERPRISE_MANAGER: 15,  # 20 organizations each
    Role.DEVELOPER: 5,
    Role.ADMINISTRATOR: 1,
}
SLOTS = 3  # named contacts per license (the offering's)
COLLEAGUES = 30  # of each load-test customer, listed in the manifest: people to add to tickets
FORMER_CONTACTS = 2  # ended windows per license
HISTORY = timedelta(days=3 * 365)
MANIFEST = "bench-data.json"
SEN_PREFIX = "SEN-800"  # SEN-800kkkj: organization k, its license j

# (slug, name, weekend class): the Data Center products Premier covers.
PRODUCTS = [
    ("jira-software", "Jira Software Data Center", Weekend.L1_AND_L2),
    ("jira-service-management", "Jira Service Management Data Center", Weekend.L1_AND_L2),
    ("confluence", "Confluence Data Center", Weekend.L1_AND_L2),
    ("crowd", "Crowd Data Center", Weekend.L1_AND_L2),
    ("bitbucket", "Bitbucket Data Center", Weekend.L1_ONLY),
    ("bamboo", "Bamboo Data Center", Weekend.L1_ONLY),
    ("fisheye", "Fisheye", Weekend.L1_ONLY),
    ("crucible", "Crucible", Weekend.L1_ONLY),
]
# (slug, name, country, zone): follow the sun around the world.
OFFICES = [
    ("bench-sydney", "Bench Sydney", "AU", "Australia/Sydney"),
    ("bench-bengaluru", "Bench Bengaluru", "IN", "Asia/Kolkata"),
    ("bench-amsterdam", "Bench Amsterdam", "NL", "Europe/Amsterdam"),
    ("bench-sao-paulo", "Bench São Paulo", "BR", "America/Sao_Paulo"),
    ("bench-austin", "Bench Austin", "US", "America/Chicago"),
]
OFFICE_HOURS = (time(7), time(20))  # local, Monday to Friday: two offices on duty at any hour
ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Australia/Sydney",
    "America/Sao_Paulo",
]
FIRST = ["Ada", "Ben", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kofi"]
FIRST += ["Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma"]
LAST = ["Abbott", "Berg", "Costa", "Dube", "Evans", "Fischer", "Garcia", "Haddad", "Ito"]
LAST += ["Jensen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Patel", "Rossi", "Silva"]
ORG_WORDS = ["Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Acme"]
ORG_KINDS = ["Logistics", "Banking", "Health", "Energy", "Retail", "Telecom", "Aerospace"]


def agent_email(n: int) -> str:
    return f"agent{n}@{DOMAIN}"


def customer_email(n: int) -> str:
    return f"customer{n}@{DOMAIN}"


@dataclass(frozen=True)
class Seat:
    """One license as the ticket history uses it."""

    license_id: int
    organization_id: int
    product_ids: tuple[int, ...]
    openers: tuple[tuple[int, str], ...]  # its active named contacts: (id, e-mail)
    colleagues: tuple[tuple[int, str], ...]  # other people of the organization
    signed_in: bool = False  # its named contacts are the load test's customers


@dataclass(frozen=True)
class Agent:
    user_id: int
    email: str
    office_id: int
    office_name: str


@dataclass(frozen=True)
class World:
    offering: Offering
    products: dict[int, Product]
    seats: list[Seat]
    engineers_by_product: dict[int, list[Agent]]

    @property
    def signed_in_seats(self) -> list[Seat]:
        """The licenses of the load test's customers (the open tickets' licenses)."""
        return [seat for seat in self.seats if seat.signed_in]


# Building it ---------------------------------------------------------------------------------


def build(seed: int, anchor: datetime) -> None:
    """Catalog, offices, the 21,000 people, organizations, licenses and their contacts; call
    inside one transaction (with the progress row, so it is there exactly once)."""
    rng = random.Random(seed)  # noqa: S311 - seeded on purpose: the same data every time
    ensure_defaults()
    TicketPolicy.current()
    products = _catalog()
    offering = premier_offering()
    password = make_password(PASSWORD)
    offices = _offices()
    staff = _staff(rng, password, offices, products)
    admin = staff[Role.ADMINISTRATOR][0]
    organizations = _organizations(rng, admin, staff[Role.ENTERPRISE_MANAGER])
    customers = _customers(rng, password, organizations)
    _licenses(rng, anchor, offering, products, organizations, customers)
    tables.analyze()


def _catalog() -> list[Product]:
    found = []
    for slug, name, weekend in PRODUCTS:
        product, _ = Product.objects.get_or_create(
            slug=slug, defaults={"name": name, "weekend_class": weekend}
        )
        found.append(product)
    return found


def premier_offering() -> Offering:
    """Premier with its response targets by level, as every deployment has it (made once)."""
    offering, _ = Offering.objects.get_or_create(
        slug=OfferingSlug.PREMIER, defaults={"name": "Premier", "named_contact_slots": SLOTS}
    )
    for level in Level:
        ResponseTarget.objects.get_or_create(
            offering=offering,
            level=level,
            defaults={
                "initial_response_minutes": defaults.FIRST_RESPONSE_MINUTES[offering.slug][level],
                "next_update_minutes": defaults.NEXT_UPDATE_MINUTES[level],
            },
        )
    return offering


def _offices() -> list[Office]:
    offices = []
    opens, closes = OFFICE_HOURS
    for slug, name, country, zone in OFFICES:
        calendar = CoverageCalendar.objects.create(slug=f"{slug}-hours", name=f"{name} hours")
        CalendarSpan.objects.bulk_create(
            CalendarSpan(
                calendar=calendar,
                start_day=day,
                start_time=opens,
                start_zone=zone,
                end_day=day,
                end_time=closes,
                end_zone=zone,
                label="working hours",
            )
            for day in range(5)
        )
        offices.append(
            Office.objects.create(
                slug=slug, name=name, country=country, time_zone=zone, calendar=calendar
            )
        )
    return offices


def _person(email: str, name: str, role: Role, zone: str, password: str, **extra: Any) -> User:
    return User(email=email, full_name=name, role=role, time_zone=zone, password=password, **extra)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _staff(
    rng: random.Random, password: str, offices: list[Office], products: list[Product]
) -> dict[Role, list[User]]:
    """The agents first (the load test's), then the other engineers and the managers."""
    engineers = [
        _person(
            agent_email(n) if n <= AGENTS else f"engineer{n}@{DOMAIN}",
            _name(rng),
            Role.SUPPORT_ENGINEER,
            offices[(n - 1) % len(offices)].time_zone,
            password,
        )
        for n in range(1, ENGINEERS + 1)
    ]
    others = [
        _person(f"{role.value.replace('_', '-')}{n}@{DOMAIN}", _name(rng), role, "UTC", password)
        for role, count in MANAGERS.items()
        for n in range(1, count + 1)
    ]
    User.objects.bulk_create(engineers)
    User.objects.bulk_create(others)
    saved = {u.email: u for u in User.objects.filter(email__endswith=f"@{DOMAIN}")}
    rows = []
    for n, person in enumerate(engineers):
        rows.append(Engineer(user=saved[person.email], office=offices[n % len(offices)]))
    Engineer.objects.bulk_create(rows)
    skills = Engineer.skills.through
    links = []
    for engineer in Engineer.objects.filter(user__email__endswith=f"@{DOMAIN}"):
        for product in rng.sample(products, rng.randint(3, 5)):
            links.append(skills(engineer_id=engineer.pk, product_id=product.pk))
    skills.objects.bulk_create(links)
    for n, office in enumerate(offices):
        office.lead = saved[engineers[n].email]
        office.save(update_fields=["lead"])
    by_role: dict[Role, list[User]] = {role: [] for role in MANAGERS}
    for person in others:
        by_role[Role(person.role)].append(saved[person.email])
    return by_role


def _organizations(rng: random.Random, admin: User, managers: list[User]) -> list[Organization]:
    """Through the onboarding action, so each gets its space as a real one would."""
    organizations = []
    for k in range(ORGANIZATIONS):
        name = f"{ORG_WORDS[k % len(ORG_WORDS)]} {ORG_KINDS[k % len(ORG_KINDS)]} {k + 1:03d}"
        organization = Organization(
            name=name,
            slug=f"bench-{k + 1:03d}",
            time_zone=rng.choice(ZONES),
            enterprise_manager=managers[k % len(managers)],
        )
        fields = ["name", "slug", "time_zone", "enterprise_manager"]
        organizations.append(onboard_organization(admin, organization, fields))
    return organizations


def _customers(
    rng: random.Random, password: str, organizations: list[Organization]
) -> dict[int, list[User]]:
    """The load test's customers (three in each of the first 50 organizations, so each has
    colleagues), then the others, spread over all 300: by organization id, the load test's
    first."""
    staff = ENGINEERS + sum(MANAGERS.values())
    people = [
        _person(
            customer_email(n),
            _name(rng),
            Role.CUSTOMER,
            contract_organization(organizations, n).time_zone,
            password,
            organization=contract_organization(organizations, n),
        )
        for n in range(1, CUSTOMERS + 1)
    ]
    for n in range(PEOPLE - staff - CUSTOMERS):
        organization = organizations[n % len(organizations)]
        people.append(
            _person(
                f"person{n + 1}@{DOMAIN}",
                _name(rng),
                Role.CUSTOMER,
                organization.time_zone,
                password,
                organization=organization,
            )
        )
    User.objects.bulk_create(people, batch_size=2000)
    members: dict[int, list[User]] = {o.pk: [] for o in organizations}
    saved = User.objects.filter(role=Role.CUSTOMER, email__endswith=f"@{DOMAIN}")
    for person in saved.order_by("id"):
        if person.organization_id is not None:
            members[person.organization_id].append(person)
    return members


def contract_organization(organizations: list[Organization], n: int) -> Organization:
    """The organization of the load test's customer ``n``: SLOTS of them to each."""
    return organizations[(n - 1) // SLOTS]


def _licenses(
    rng: random.Random,
    anchor: datetime,
    offering: Offering,
    products: list[Product],
    organizations: list[Organization],
    members: dict[int, list[User]],
) -> None:
    """One license per organization, a second for every third one: three active named
    contacts each since before the history began (the load test's customers those of their
    organization's first license), two former ones, a technical and a billing contact."""
    licenses = []
    for k, organization in enumerate(organizations):
        for j in range(2 if k % 3 == 2 else 1):
            licenses.append(
                License(
                    sen=f"{SEN_PREFIX}{k:03d}{j}",
                    organization=organization,
                    offering=offering,
                    valid_from=(anchor - HISTORY - timedelta(days=60)).date(),
                    valid_until=date(anchor.year + 2, 12, 31),
                )
            )
    License.objects.bulk_create(licenses)
    saved = list(License.objects.filter(sen__in=[x.sen for x in licenses]).order_by("sen"))
    covered = License.products.through
    links, windows, contacts = [], [], []
    started = anchor - HISTORY - timedelta(days=30)
    taken = {o.pk: 0 for o in organizations}
    for license in saved:
        for product in rng.sample(products, rng.randint(2, 5)):
            links.append(covered(license_id=license.pk, product_id=product.pk))
        people = members[license.organization_id]
        first = taken[license.organization_id]
        chosen = people[first : first + SLOTS + FORMER_CONTACTS + 1]
        taken[license.organization_id] += len(chosen)
        manager = license.organization.enterprise_manager
        for n, person in enumerate(chosen[: SLOTS + FORMER_CONTACTS]):
            former = n >= SLOTS
            begins = started - timedelta(days=400) if former else started
            windows.append(
                NamedContact(
                    license=license,
                    person=person,
                    starts_at=begins,
                    ends_at=begins + timedelta(days=rng.randint(60, 360)) if former else None,
                    status=ChangeStatus.APPROVED,
                    requested_by=manager,
                    requested_at=begins - timedelta(days=2),
                    decided_by=manager,
                    decided_at=begins - timedelta(days=1),
                    removed_by=manager if former else None,
                    removed_at=begins + timedelta(days=60) if former else None,
                )
            )
        contacts.append(
            LicenseContact(
                license=license, person=chosen[0], role=ContactRole.TECHNICAL, is_primary=True
            )
        )
        contacts.append(
            LicenseContact(
                license=license, person=chosen[-1], role=ContactRole.BILLING, is_primary=True
            )
        )
    covered.objects.bulk_create(links)
    NamedContact.objects.bulk_create(windows)
    LicenseContact.objects.bulk_create(contacts)


# Reading it back -----------------------------------------------------------------------------


def load() -> World:
    """The dataset's licenses and engineers as the ticket history uses them."""
    offering = Offering.objects.get(slug=OfferingSlug.PREMIER)
    products = {p.pk: p for p in Product.objects.filter(slug__in=[s for s, _, _ in PRODUCTS])}
    licenses = License.objects.filter(sen__startswith=SEN_PREFIX)
    covered: dict[int, list[int]] = {}
    for license_id, product_id in License.products.through.objects.filter(
        license__in=licenses
    ).values_list("license_id", "product_id"):
        covered.setdefault(license_id, []).append(product_id)
    openers: dict[int, list[tuple[int, str]]] = {}
    active = NamedContact.objects.filter(
        license__in=licenses, status=ChangeStatus.APPROVED, ends_at=None
    ).order_by("license_id", "id")
    for license_id, person_id, email in active.values_list(
        "license_id", "person_id", "person__email"
    ):
        openers.setdefault(license_id, []).append((person_id, email))
    members: dict[int, list[tuple[int, str]]] = {}
    for person_id, email, organization_id in (
        User.objects.filter(role=Role.CUSTOMER, email__endswith=f"@{DOMAIN}")
        .order_by("id")
        .values_list("id", "email", "organization_id")
    ):
        members.setdefault(organization_id, []).append((person_id, email))
    signed_in = {customer_email(n) for n in range(1, CUSTOMERS + 1)}
    seats = []
    for license_id, organization_id in licenses.order_by("sen").values_list(
        "id", "organization_id"
    ):
        mine = openers[license_id]
        seats.append(
            Seat(
                license_id,
                organization_id,
                tuple(sorted(covered[license_id])),
                tuple(mine),
                tuple(p for p in members[organization_id] if p not in mine)[:20],
                any(email in signed_in for _, email in mine),
            )
        )
    engineers: dict[int, list[Agent]] = {pk: [] for pk in products}
    skills = Engineer.skills.through.objects.filter(
        engineer__user__email__endswith=f"@{DOMAIN}"
    ).order_by("engineer__user_id", "product_id")
    for user_id, email, office_id, office_name, product_id in skills.values_list(
        "engineer__user_id",
        "engineer__user__email",
        "engineer__office_id",
        "engineer__office__name",
        "product_id",
    ):
        engineers[product_id].append(Agent(user_id, email, office_id, office_name))
    return World(offering, products, seats, engineers)


def manifest(tickets: int) -> dict[str, Any]:
    """What the load test signs in with: the password, the agents, the customers with the
    license and organization each is a named contact of, and colleagues of the organization
    (not the load test's) they may add to tickets."""
    signed_in = [customer_email(n) for n in range(1, CUSTOMERS + 1)]
    colleagues: dict[str, list[str]] = {}
    for slug, email in (
        User.objects.filter(organization__members__email__in=signed_in)
        .exclude(email__in=signed_in)
        .order_by("id")
        .values_list("organization__slug", "email")
        .distinct()
    ):
        mine = colleagues.setdefault(slug, [])
        if len(mine) < COLLEAGUES:
            mine.append(email)
    customers = (
        NamedContact.objects.filter(
            person__email__in=signed_in,
            status=ChangeStatus.APPROVED,
            ends_at=None,
        )
        .order_by("person_id")
        .values_list("person__email", "license__sen", "license__organization__slug")
    )
    return {
        "password": PASSWORD,
        "agents": [agent_email(n) for n in range(1, AGENTS + 1)],
        "customers": [
            {"email": email, "sen": sen, "organization": slug, "colleagues": colleagues[slug]}
            for email, sen, slug in customers
        ],
        "tickets": tickets,
    }


def write_manifest(tickets: int) -> Path:
    path = Path(settings.VAR_DIR) / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest(tickets), indent=2) + "\n")
    return path
