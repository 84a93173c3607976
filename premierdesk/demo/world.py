"""The demo world, as plain data, and the loader that builds it through the action layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from premierdesk.accounts.actions import create_account
from premierdesk.accounts.models import Role, User
from premierdesk.audit.actions import record
from premierdesk.calendars.holidays import import_country
from premierdesk.calendars.models import CalendarSpan, CoverageCalendar
from premierdesk.catalog.models import (
    Level,
    Offering,
    OfferingSlug,
    Product,
    ResponseTarget,
    WeekendClass,
)
from premierdesk.customers import actions as named_contacts
from premierdesk.customers.actions import onboard_organization
from premierdesk.customers.models import ContactRole, License, LicenseContact, Organization
from premierdesk.demo import handovers, history, rota, services, tickets
from premierdesk.notifications.models import DeliveryStatus, OutboxMessage
from premierdesk.offices.models import Engineer, Office
from premierdesk.sla.defaults import NEXT_UPDATE_MINUTES

DEMO_PASSWORD = "premier-demo-2026"  # noqa: S105 - printed for people trying the demo

# (slug, name, weekend class) — docs/product/tickets.md#covered-products and
# docs/product/response-targets-and-coverage.md#weekend-coverage.
COVERED_PRODUCTS = [
    ("jira-software", "Jira Software Data Center", WeekendClass.L1_AND_L2),
    ("jira-service-management", "Jira Service Management Data Center", WeekendClass.L1_AND_L2),
    ("confluence", "Confluence Data Center", WeekendClass.L1_AND_L2),
    ("crowd", "Crowd Data Center", WeekendClass.L1_AND_L2),
    ("bitbucket", "Bitbucket Data Center", WeekendClass.L1_ONLY),
    ("bamboo", "Bamboo Data Center", WeekendClass.L1_ONLY),
    ("fisheye", "Fisheye", WeekendClass.L1_ONLY),
    ("crucible", "Crucible", WeekendClass.L1_ONLY),
]
UNCOVERED_PRODUCTS = [
    ("opsgenie", "Opsgenie", "Opsgenie is not covered by Premier Support."),
    ("statuspage", "Statuspage", "Statuspage is not covered by Premier Support."),
    ("trello", "Trello", "Trello is not covered by Premier Support."),
    (
        "jira-align",
        "Jira Align",
        "Jira Align needs its own, separately contracted, Premier license.",
    ),
    ("jira-cloud", "Jira Cloud", "Cloud products are not covered by Premier Support."),
    ("confluence-cloud", "Confluence Cloud", "Cloud products are not covered by Premier Support."),
]
# Initial-response targets in minutes (docs/product/response-targets-and-coverage.md#targets);
# Premier is half of Select.
TARGETS = {
    OfferingSlug.PREMIER: {Level.L1: 30, Level.L2: 120, Level.L3: 480, Level.L4: 1440},
    OfferingSlug.SELECT: {Level.L1: 60, Level.L2: 240, Level.L3: 960, Level.L4: 2880},
}


@dataclass(frozen=True)
class OfficeSpec:
    slug: str
    name: str
    country: str
    time_zone: str
    engineers: tuple[tuple[str, str, tuple[str, ...]], ...]  # (name, e-mail, product slugs)


OFFICES = [
    OfficeSpec(
        "sydney",
        "Sydney",
        "AU",
        "Australia/Sydney",
        (
            (
                "Olivia Nguyen",
                "olivia.nguyen@premier.example",
                ("jira-software", "confluence", "crowd"),
            ),
            (
                "Liam Walker",
                "liam.walker@premier.example",
                ("bitbucket", "bamboo", "jira-software"),
            ),
        ),
    ),
    OfficeSpec(
        "bengaluru",
        "Bengaluru",
        "IN",
        "Asia/Kolkata",
        (
            (
                "Priya Raman",
                "priya.raman@premier.example",
                ("jira-service-management", "jira-software", "confluence"),
            ),
            ("Arjun Mehta", "arjun.mehta@premier.example", ("bitbucket", "fisheye", "crucible")),
        ),
    ),
    OfficeSpec(
        "amsterdam",
        "Amsterdam",
        "NL",
        "Europe/Amsterdam",
        (
            (
                "Sanne de Vries",
                "sanne.devries@premier.example",
                ("jira-software", "jira-service-management", "crowd"),
            ),
            ("Daan Bakker", "daan.bakker@premier.example", ("confluence", "bamboo", "bitbucket")),
        ),
    ),
    OfficeSpec(
        "sao-paulo",
        "São Paulo",
        "BR",
        "America/Sao_Paulo",
        (
            ("Camila Souza", "camila.souza@premier.example", ("jira-software", "confluence")),
            (
                "Rafael Lima",
                "rafael.lima@premier.example",
                ("jira-service-management", "bitbucket", "crowd"),
            ),
        ),
    ),
    OfficeSpec(
        "austin",
        "Austin",
        "US",
        "America/Chicago",
        (
            (
                "Emily Carter",
                "emily.carter@premier.example",
                ("jira-software", "jira-service-management", "fisheye", "crucible"),
            ),
            ("Marcus Reed", "marcus.reed@premier.example", ("confluence", "bamboo", "crowd")),
        ),
    ),
]

# (name, slug, time zone, named contact, participant)
ORGANIZATIONS = [
    (
        "Northwind Logistics",
        "northwind",
        "America/New_York",
        ("Grace Hopper", "grace@northwind.example"),
        ("Dan Park", "dan.dba@northwind.example"),
    ),
    (
        "Kestrel Bank",
        "kestrel",
        "Europe/London",
        ("Alan Turing", "alan@kestrel.example"),
        ("Joan Clarke", "joan.net@kestrel.example"),
    ),
    (
        "Tasman Health",
        "tasman",
        "Australia/Melbourne",
        ("Ruby Payne", "ruby@tasman.example"),
        ("Hugh Scott", "hugh.ops@tasman.example"),
    ),
]

Person = tuple[str, str]  # (full name, e-mail)


@dataclass(frozen=True)
class LicenseSpec:
    """One organization's Premier license and who is on it. The organization's named contact
    (ORGANIZATIONS) is a permanent named contact; ``colleague`` is another, who goes on leave
    in the coming weeks and is covered by ``cover``; ``invited`` is an addition waiting for
    the enterprise manager, one slot being left free for it."""

    org_slug: str
    sen: str
    left_out: tuple[str, ...]  # covered products the license does not list
    technical: Person
    billing: Person
    colleague: Person
    cover: Person
    cover_in_days: int
    invited: Person


LICENSES = [
    LicenseSpec(
        "northwind",
        "SEN-4021937",
        (),
        ("Tom Reyes", "tom.it@northwind.example"),
        ("Beth Ortiz", "beth.finance@northwind.example"),
        ("Ken Adams", "ken@northwind.example"),
        ("Omar Haddad", "omar@northwind.example"),
        9,
        ("Nora Lee", "nora@northwind.example"),
    ),
    LicenseSpec(
        "kestrel",
        "SEN-5187240",
        # So that "product not on the license" can be shown with a Kestrel ticket.
        ("bamboo", "fisheye"),
        ("Tommy Flowers", "tommy.it@kestrel.example"),
        ("Charles Babbage", "charles.finance@kestrel.example"),
        ("Mary Somerville", "mary@kestrel.example"),
        ("Gordon Welchman", "gordon@kestrel.example"),
        11,
        ("Dilly Knox", "dilly@kestrel.example"),
    ),
    LicenseSpec(
        "tasman",
        "SEN-6349158",
        (),
        ("Ida Mann", "ida.it@tasman.example"),
        ("Nancy Bird", "nancy.finance@tasman.example"),
        ("Mark Oliphant", "mark@tasman.example"),
        ("Howard Florey", "howard@tasman.example"),
        13,
        ("Fiona Wood", "fiona@tasman.example"),
    ),
]
COVER_DAYS = 7
# Mail older than this when the demo loads counts as sent back then (see _past_mail_was_sent).
PAST_MAIL = timedelta(days=1)

# One sign-in per staff role: (role, name, e-mail, time zone).
STAFF = [
    (Role.ADMINISTRATOR, "Ada Admin", "admin@premier.example", "Europe/Amsterdam"),
    (Role.SUPPORT_MANAGER, "Sam Manager", "support.manager@premier.example", "America/Chicago"),
    (Role.ESCALATION_MANAGER, "Eve Escalation", "escalation@premier.example", "Europe/Amsterdam"),
    (Role.ENTERPRISE_MANAGER, "Erin Enterprise", "enterprise@premier.example", "America/New_York"),
    (Role.DEVELOPER, "Dev Jira Team", "jira.dev@premier.example", "Australia/Sydney"),
]


def is_empty() -> bool:
    """True when the database holds no accounts yet (a fresh install)."""
    return not User.objects.exists()


# What `make run` prints: one sign-in per role, as (who, e-mail).
SIGN_INS = [
    *((role.label, email) for role, _, email, _ in STAFF),
    ("Support engineer (Sydney)", OFFICES[0].engineers[0][1]),
    ("Support engineer (Amsterdam)", OFFICES[2].engineers[0][1]),
    ("Customer named contact (Northwind)", ORGANIZATIONS[0][3][1]),
    ("Customer participant (Northwind)", ORGANIZATIONS[0][4][1]),
    ("Customer technical contact (Northwind)", LICENSES[0].technical[1]),
]


def sign_ins() -> list[tuple[str, str]]:
    """The demo sign-ins whose accounts exist in this database."""
    existing = set(
        User.objects.filter(email__in=[e for _, e in SIGN_INS]).values_list("email", flat=True)
    )
    return [(who, email) for who, email in SIGN_INS if email in existing]


@transaction.atomic
def load() -> None:
    """Build the demo world through the action layer, in one transaction. The tickets come
    after the licenses (only the named contacts approved before can open them), then the day's
    handovers, and last the Premier services, some of which are asked for on those tickets."""
    record(None, "demo.loaded", system="premierdesk demo")
    products = _load_catalog()
    staff = {
        role: create_account(
            None, email=email, full_name=name, role=role, time_zone=tz, password=DEMO_PASSWORD
        )
        for role, name, email, tz in STAFF
    }
    _load_offices(products, staff[Role.ADMINISTRATOR])
    _load_organizations(staff[Role.ENTERPRISE_MANAGER], staff[Role.ADMINISTRATOR])
    for spec in LICENSES:
        _load_license(spec, products, staff[Role.ENTERPRISE_MANAGER])
    history.load(timezone.now())
    handovers.waiting_for(staff[Role.SUPPORT_MANAGER], timezone.now())
    tickets.load()
    handovers.load(staff[Role.SUPPORT_MANAGER])
    services.load(DEMO_PASSWORD)
    _past_mail_was_sent(timezone.now())


def _past_mail_was_sent(now: datetime) -> None:
    """The history's e-mail went out when it happened: a real service would have sent it then.
    Only the last day's mail waits for the worker, so a newcomer's `make run` is ready in
    seconds, not after hundreds of messages about months-old tickets."""
    OutboxMessage.objects.filter(
        status=DeliveryStatus.PENDING, created_at__lt=now - PAST_MAIL
    ).update(status=DeliveryStatus.SENT, sent_at=F("created_at"), next_attempt_at=None)


def _load_catalog() -> dict[str, Product]:
    products = {}
    for slug, name, weekend in COVERED_PRODUCTS:
        products[slug] = Product.objects.create(slug=slug, name=name, weekend_class=weekend)
    for slug, name, reason in UNCOVERED_PRODUCTS:
        products[slug] = Product.objects.create(
            slug=slug, name=name, covered=False, not_covered_reason=reason
        )
    for slug, targets in TARGETS.items():
        offering = Offering.objects.create(slug=slug, name=slug.title(), named_contact_slots=3)
        slower = 2 if slug == OfferingSlug.SELECT else 1
        for level, minutes in targets.items():
            ResponseTarget.objects.create(
                offering=offering,
                level=level,
                initial_response_minutes=minutes,
                next_update_minutes=NEXT_UPDATE_MINUTES[level] * slower,
            )
    return products


# Demo working hours, local time, Monday to Friday: long days, so that every hour of the 24x5
# week has two offices on duty and one office's holiday leaves no gap on an ordinary day.
OFFICE_HOURS = (time(7), time(20))
# Country and subdivision whose public holidays each demo office keeps.
OFFICE_HOLIDAYS = {
    "sydney": ("AU", "NSW"),
    "bengaluru": ("IN", "KA"),
    "amsterdam": ("NL", None),
    "sao-paulo": ("BR", "SP"),
    "austin": ("US", "TX"),
}


def _office_calendar(spec: OfficeSpec, admin: User) -> CoverageCalendar:
    calendar = CoverageCalendar.objects.create(
        slug=f"{spec.slug}-hours", name=f"{spec.name} working hours"
    )
    opens, closes = OFFICE_HOURS
    for day in range(5):
        CalendarSpan.objects.create(
            calendar=calendar,
            start_day=day,
            start_time=opens,
            start_zone=spec.time_zone,
            end_day=day,
            end_time=closes,
            end_zone=spec.time_zone,
            label="working hours",
        )
    country, subdivision = OFFICE_HOLIDAYS[spec.slug]
    year = timezone.now().year
    import_country(admin, calendar, country, [year, year + 1], spec.time_zone, subdivision)
    return calendar


def _load_offices(products: dict[str, Product], admin: User) -> list[User]:
    engineers = []
    for spec in OFFICES:
        office = Office.objects.create(
            slug=spec.slug,
            name=spec.name,
            country=spec.country,
            time_zone=spec.time_zone,
            calendar=_office_calendar(spec, admin),
        )
        for name, email, skills in spec.engineers:
            user = create_account(
                None,
                email=email,
                full_name=name,
                time_zone=spec.time_zone,
                role=Role.SUPPORT_ENGINEER,
                password=DEMO_PASSWORD,
            )
            engineer = Engineer.objects.create(user=user, office=office)
            engineer.skills.set([products[slug] for slug in skills])
            engineers.append(user)
        office.lead = engineers[-len(spec.engineers)]
        office.save(update_fields=["lead"])
    _load_rota(admin)
    return engineers


# How far ahead the demo's on-call roster is planned.
ON_CALL_AHEAD = timedelta(days=366)


def _load_rota(admin: User) -> None:
    """Holiday duty for every year whose holidays were imported, so the coverage proof holds
    throughout them, and the weekend on-call roster for the coming year."""
    year = timezone.now().year
    first, after = (datetime(y, 1, 1, tzinfo=UTC) for y in (year, year + 2))
    rota.plan_holiday_duty(admin, first, after)
    now = timezone.now()
    rota.plan_on_call(admin, now, now + ON_CALL_AHEAD)


def _load_organizations(enterprise_manager: User, admin: User) -> list[User]:
    people = []
    for name, slug, tz, named_contact, participant in ORGANIZATIONS:
        # Onboarded as the admin does it: the organization and its space ("How do I").
        org = onboard_organization(
            admin,
            Organization(name=name, slug=slug, time_zone=tz, enterprise_manager=enterprise_manager),
            ["name", "slug", "time_zone", "enterprise_manager"],
        )
        for full_name, email in (named_contact, participant):
            people.append(
                create_account(
                    None,
                    email=email,
                    full_name=full_name,
                    time_zone=tz,
                    role=Role.CUSTOMER,
                    organization_id=org.pk,
                    password=DEMO_PASSWORD,
                )
            )
    return people


def _load_license(spec: LicenseSpec, products: dict[str, Product], approver: User) -> License:
    """The license, its contacts and named contacts; every named-contact change is asked for
    by the technical contact and decided by the enterprise manager, as in real life."""
    org = Organization.objects.get(slug=spec.org_slug)
    today = timezone.now().date()
    license = License.objects.create(
        sen=spec.sen,
        organization=org,
        offering=Offering.objects.get(slug=OfferingSlug.PREMIER),
        valid_from=today - timedelta(days=365),
        valid_until=today + timedelta(days=365),
    )
    covered = [slug for slug, _, _ in COVERED_PRODUCTS if slug not in spec.left_out]
    license.products.set([products[slug] for slug in covered])
    technical = _license_contact(license, spec.technical, ContactRole.TECHNICAL)
    _license_contact(license, spec.billing, ContactRole.BILLING)
    _load_named_contacts(spec, license, technical, approver)
    return license


def _customer(org: Organization, person: Person) -> User:
    full_name, email = person
    return create_account(
        None,
        email=email,
        full_name=full_name,
        time_zone=org.time_zone,
        role=Role.CUSTOMER,
        organization_id=org.pk,
        password=DEMO_PASSWORD,
    )


def _license_contact(license: License, person: Person, role: ContactRole) -> User:
    user = _customer(license.organization, person)
    LicenseContact.objects.create(license=license, person=user, role=role, is_primary=True)
    return user


def _load_named_contacts(
    spec: LicenseSpec, license: License, technical: User, approver: User
) -> None:
    org = license.organization
    colleague = _customer(org, spec.colleague)
    # Named contacts since before the demo's history begins, so they opened its tickets.
    with history.at(timezone.now() - history.MONTHS_BACK - timedelta(days=7)):
        _approved(technical, approver, license, _named_contact_email(spec), "Runs production.")
        on_leave = _approved(technical, approver, license, colleague.email, "Second on call.")
    cover = _customer(org, spec.cover)
    _approved_cover(technical, approver, license, on_leave, cover.email, spec.cover_in_days)
    named_contacts.request_named_contact(
        technical,
        license.sen,
        email=spec.invited[1],
        full_name=spec.invited[0],  # a new person: invited, without a password yet
        reason="Joins the platform team next month.",
    )


def _named_contact_email(spec: LicenseSpec) -> str:
    return next(email for _, slug, _, (_, email), _ in ORGANIZATIONS if slug == spec.org_slug)


def _approved(technical: User, approver: User, license: License, email: str, why: str) -> int:
    change = named_contacts.request_named_contact(technical, license.sen, email=email, reason=why)
    return named_contacts.approve_change(approver, change.pk, reason="Agreed.").pk


def _approved_cover(
    technical: User, approver: User, license: License, on_leave: int, email: str, in_days: int
) -> None:
    starts_at = timezone.now() + timedelta(days=in_days)
    cover = named_contacts.request_cover(
        technical,
        license.sen,
        covered_id=on_leave,
        email=email,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=COVER_DAYS),
        reason="Covers while the named contact is on annual leave.",
    )
    named_contacts.approve_change(approver, cover.pk, reason="Agreed.")
