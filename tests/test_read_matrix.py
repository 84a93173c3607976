"""The read matrix of docs/access.md, walked: every list and detail endpoint of the API and every
page, for every role, checked against the table the document states (read from the document
itself, so the two cannot disagree).

The world has two customer organizations. Alpha is the one "theirs" points at for every role
(its customers' own, the enterprise manager's, the developer team's ticket); Bravo is everybody
else's. A probe fetches a URL for each side and says whether that side's object was seen: for a
list, its marker in the body; for a detail, a 200. Expected: Alpha seen for ``all`` and
``theirs``, Bravo seen for ``all`` only; ``link`` (surveys) opens with the right link only."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from premierdesk.accounts.models import Role, User
from premierdesk.accounts.queries import token_digest
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers import actions as customer_actions
from premierdesk.customers.models import ContactRole, LicenseContact, NamedContact, Organization
from premierdesk.customers.tests.factories import LicenseFactory, OrganizationFactory, add_approved
from premierdesk.escalations import actions as escalation_actions
from premierdesk.escalations.models import CallbackRequest, CallbackRole, DeveloperTeam
from premierdesk.feedback.models import Invitation
from premierdesk.offices.models import Handover, HandoverRun
from premierdesk.offices.tests.factories import EngineerFactory, OfficeFactory
from premierdesk.services.actions.feeds import rotate_feed_token
from premierdesk.services.feeds import uid
from premierdesk.services.models import (
    Finding,
    HealthCheck,
    HealthCheckStatus,
    StandbyRequest,
    StandbyStatus,
)
from premierdesk.spaces.actions import create_space
from premierdesk.testing.fixtures import frozen_at
from premierdesk.tickets import actions as ticket_actions
from premierdesk.tickets.models import Ticket
from premierdesk.tickets.tests.factories import make_products, open_ticket

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)  # a Monday
DOC = Path(__file__).resolve().parents[1] / "docs" / "access.md"

# The document's column headings, and the role each stands for in the world below.
COLUMNS = {
    "named contact": "named",
    "technical contact": "technical",
    "billing contact": "billing",
    "participant": "participant",
    "support engineer": "engineer",
    "enterprise manager": "enterprise",
    "escalation manager": "escalation",
    "support manager": "support",
    "developer": "developer",
    "administrator": "administrator",
}
CUSTOMERS = frozenset({"named", "technical", "billing", "participant"})
VENDORS = frozenset(COLUMNS.values()) - CUSTOMERS
EVERYONE = CUSTOMERS | VENDORS
CELLS = {"all", "theirs", "no", "link"}


def read_matrix() -> dict[str, dict[str, str]]:
    """{resource: {role: cell}} from the table under "## Read matrix" in docs/access.md."""
    text = DOC.read_text(encoding="utf-8").split("## Read matrix", 1)[1]
    rows = [line for line in text.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    roles = [COLUMNS[name] for name in header[1:]]
    matrix = {}
    for line in rows[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        key = re.match(r"`(\w+)`", cells[0])
        assert key, f"each resource starts with its `key`: {cells[0]}"
        values = [cell.split()[0] for cell in cells[1:]]
        assert set(values) <= CELLS, f"{key.group(1)}: cells are one of {sorted(CELLS)}"
        matrix[key.group(1)] = dict(zip(roles, values, strict=True))
    return matrix


MATRIX = read_matrix()


# The world ------------------------------------------------------------------------------------


@dataclass
class Side:
    """One organization's objects."""

    organization: Organization
    sen: str
    ticket: Ticket
    internal: str  # the text of an internal comment on the ticket
    call_note: str
    attachment_id: int  # public
    internal_attachment_id: int
    standby: StandbyRequest
    check: HealthCheck
    finding: str
    escalation_id: int
    assistance_id: int
    handover: str  # its summary
    change: NamedContact  # a pending named-contact change
    callbacks: dict[str, CallbackRequest]  # by the role who asked (Bravo: one)
    survey_token: str


@dataclass
class World:
    people: dict[str, User]
    alpha: Side
    bravo: Side
    feed_tokens: dict[str, str] = field(default_factory=dict)
    engineer_id: int = 0
    office_slug: str = ""

    def side(self, name: str) -> Side:
        return self.alpha if name == "alpha" else self.bravo


frozen = frozen_at(NOW)


@pytest.fixture(autouse=True)
def attachments_dir(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "attachments")},
        },
    }


def _customer(organization: Organization, email: str) -> User:
    return UserFactory.create(role=Role.CUSTOMER, organization=organization, email=email)


def _side(
    name: str,
    *,
    product: str,
    manager: User,
    engineer: User,
    support_manager: User,
    office_engineer: Any,
    contacts: dict[str, User],
) -> Side:
    """One organization with its license, a ticket and one of everything about it."""
    organization = contacts["named"].organization
    assert organization is not None
    products = make_products()
    license = LicenseFactory.create(organization=organization, sen=f"SEN-{name.upper()}-1")
    license.products.set([products["jira-software"], products["confluence"]])
    add_approved(license, manager, manager, contacts["named"].email)
    for role, contact_role in (("technical", ContactRole.TECHNICAL), ("billing", "billing")):
        if role in contacts:
            LicenseContact.objects.create(license=license, person=contacts[role], role=contact_role)
    create_space(organization, None)
    ticket = open_ticket(
        contacts["named"], license.sen, product=product, summary=f"{name.upper()}-TICKET outage"
    )
    for role in ("billing", "participant"):
        if role in contacts:
            ticket_actions.add_participant(
                contacts["named"], ticket.key, email=contacts[role].email
            )
    ticket_actions.add_comment(engineer, ticket.key, body=f"{name} first answer")
    internal = f"{name.upper()}-INTERNAL-NOTE"
    ticket_actions.add_comment(engineer, ticket.key, body=internal, internal=True)
    call_note = f"{name.upper()}-CALL-NOTE"
    ticket_actions.log_call(
        engineer,
        ticket.key,
        ticket_actions.CallInput(
            direction="outbound",
            phone_number="+1 555 0100",
            spoke_with=contacts["named"].full_name,
            started_at=NOW - timedelta(minutes=30),
            duration_minutes=10,
            notes=call_note,
        ),
    )
    public_file = ticket_actions.attach(
        contacts["named"], ticket.key, file_name=f"{name}.log", chunks=[b"public line\n"]
    )
    internal_file = ticket_actions.attach(
        engineer, ticket.key, file_name=f"{name}-heap.log", chunks=[b"heap\n"], internal=True
    )
    escalation = escalation_actions.escalate(
        contacts["named"], ticket.key, reason="other", details=f"{name.upper()}-ESCALATION"
    )
    assistance = escalation_actions.ask_developers(
        engineer, ticket.key, escalation_actions.AssistanceInput(question=f"{name} question")
    )
    callbacks = {
        role: CallbackRequest.objects.create(
            ticket=ticket,
            requested_by=person,
            requested_at=NOW,
            wants=CallbackRole.SUPPORT_MANAGER,
            complaint=f"{name.upper()}-CALLBACK-{role}",
            phone="+1 555 0101",
            assignee=support_manager,
            due_at=NOW + timedelta(hours=4),
        )
        for role, person in contacts.items()
    }
    run, _ = HandoverRun.objects.get_or_create(
        office=office_engineer.office,
        boundary_at=NOW,
        defaults={"started_at": NOW, "lease_until": NOW},
    )
    handover = f"{name.upper()}-HANDOVER"
    Handover.objects.create(
        ticket=ticket,
        run=run,
        at=NOW,
        from_owner=engineer,
        to_owner=engineer,
        from_office=office_engineer.office,
        to_office=office_engineer.office,
        summary=handover,
        acknowledge_by=NOW + timedelta(minutes=30),
    )
    saturday = datetime(2026, 6, 6, 10, 0, tzinfo=UTC)
    standby = StandbyRequest.objects.create(
        organization=organization,
        license=license,
        product=products["jira-software"],
        plan=f"{name.upper()}-STANDBY-PLAN",
        starts_at=saturday,
        ends_at=saturday + timedelta(hours=4),
        status=StandbyStatus.CONFIRMED,
        requested_by=contacts["named"],
        requested_at=NOW,
        engineer=office_engineer,
        updated_at=NOW,
    )
    check = HealthCheck.objects.create(
        organization=organization,
        license=license,
        product=products["jira-software"],
        product_version="10.3",
        environment="production",
        instance_notes=f"{name.upper()}-HEALTH-CHECK",
        status=HealthCheckStatus.DELIVERED,
        requested_by=contacts["named"],
        requested_at=NOW,
        engineer=office_engineer,
        agreed_date=date(2026, 5, 1),
        summary="Delivered.",
        delivered_at=NOW,
        updated_at=NOW,
    )
    finding = f"{name.upper()}-FINDING"
    Finding.objects.create(
        health_check=check,
        severity="high",
        title=finding,
        evidence="Seen.",
        recommendation="Fix it.",
        written_by=engineer,
        written_at=NOW,
    )
    change = customer_actions.request_named_contact(
        contacts["named"], license.sen, email=f"{name}-pending@{name}.example", full_name="Pending"
    )
    token = f"{name}-survey-token-0123456789"
    Invitation.objects.create(
        ticket=ticket,
        contact=contacts["named"],
        token_digest=token_digest(token),
        sent_at=NOW,
        expires_at=NOW + timedelta(days=28),
    )
    return Side(
        organization=organization,
        sen=license.sen,
        ticket=ticket,
        internal=internal,
        call_note=call_note,
        attachment_id=public_file.pk,
        internal_attachment_id=internal_file.pk,
        standby=standby,
        check=check,
        finding=finding,
        escalation_id=escalation.pk,
        assistance_id=assistance.pk,
        handover=handover,
        change=change,
        callbacks=callbacks,
        survey_token=token,
    )


@pytest.fixture
def world() -> World:
    products = make_products()
    office = OfficeFactory.create(name="Amsterdam", slug="amsterdam")
    office_engineer = EngineerFactory.create(office=office, user__email="engineer@premier.example")
    office_engineer.skills.set(products.values())
    engineer = office_engineer.user
    manager = UserFactory.create(role=Role.ENTERPRISE_MANAGER, email="em@premier.example")
    bravo_manager = UserFactory.create(
        role=Role.ENTERPRISE_MANAGER, email="em-bravo@premier.example"
    )
    escalation = UserFactory.create(role=Role.ESCALATION_MANAGER, email="xm@premier.example")
    support = UserFactory.create(role=Role.SUPPORT_MANAGER, email="sm@premier.example")
    developer = UserFactory.create(role=Role.DEVELOPER, email="dev@premier.example")
    administrator = UserFactory.create(role=Role.ADMINISTRATOR, email="admin@premier.example")
    # The developer's team builds Jira Software (Alpha's ticket); Bravo's is about Confluence.
    team = DeveloperTeam.objects.create(name="Jira developers", slug="jira")
    team.products.set([products["jira-software"]])
    team.members.set([developer])
    other = DeveloperTeam.objects.create(name="Confluence developers", slug="confluence")
    other.products.set([products["confluence"]])
    other.members.set([UserFactory.create(role=Role.DEVELOPER)])

    alpha_org = OrganizationFactory.create(
        name="Alpha Works", slug="alpha-works", enterprise_manager=manager
    )
    bravo_org = OrganizationFactory.create(
        name="Bravo Holdings", slug="bravo-holdings", enterprise_manager=bravo_manager
    )
    customers = {
        role: _customer(alpha_org, f"{role}@alpha.example")
        for role in ("named", "technical", "billing", "participant")
    }

    def side(name: str, product: str, manager: User, contacts: dict[str, User]) -> Side:
        return _side(
            name,
            product=product,
            manager=manager,
            engineer=engineer,
            support_manager=support,
            office_engineer=office_engineer,
            contacts=contacts,
        )

    alpha = side("alpha", "jira-software", manager, customers)
    bravo_named = _customer(bravo_org, "named@bravo.example")
    bravo = side("bravo", "confluence", bravo_manager, {"named": bravo_named})
    people: dict[str, User] = {
        **customers,
        "engineer": engineer,
        "enterprise": manager,
        "escalation": escalation,
        "support": support,
        "developer": developer,
        "administrator": administrator,
    }
    found = World(people, alpha, bravo, engineer_id=office_engineer.pk, office_slug=office.slug)
    with transaction.atomic():
        found.feed_tokens = {role: rotate_feed_token(person) for role, person in people.items()}
    return found


# Probes ---------------------------------------------------------------------------------------

URL = Callable[[World, Side], str]
Seen = Callable[[Any, World, Side, str], bool]


def marker_in(marker: Callable[[World, Side, str], str]) -> Seen:
    """Seen: a 200 whose body holds the side's marker."""

    def seen(response: Any, world: World, side: Side, role: str) -> bool:
        body = response.content.decode()
        return response.status_code == 200 and marker(world, side, role) in body

    return seen


def answered(response: Any, world: World, side: Side, role: str) -> bool:
    """A detail: seen when it answers 200 (a refusal is 403 or 404, never a redirect)."""
    assert response.status_code in (200, 403, 404), response.status_code
    return response.status_code == 200


def dashboard(response: Any, world: World, side: Side, role: str) -> bool:
    """The console home: Alpha's open ticket counted, and Bravo's too."""
    board = response.context.get("board") if response.status_code == 200 else None
    if board is None:
        return False
    return sum(board.open_by_level) >= (1 if side is world.alpha else 2)


@dataclass(frozen=True)
class Probe:
    resource: str
    name: str
    url: URL
    seen: Seen = answered
    audience: frozenset[str] = EVERYONE
    api: bool = False
    by_role: Callable[[World, Side, str], str] | None = None  # a URL that depends on the role

    def path(self, world: World, side: Side, role: str) -> str:
        prefix = "/api/v1" if self.api else ""
        return prefix + self.by_role(world, side, role) if self.by_role else self.url(world, side)


def key(world: World, side: Side) -> str:
    return side.ticket.key


def text(attribute: str) -> Callable[[World, Side, str], str]:
    return lambda world, side, role: str(getattr(side, attribute))


def ticket_summary(world: World, side: Side, role: str) -> str:
    return side.ticket.summary


def row(prefix: str, attribute: str) -> Callable[[World, Side, str], str]:
    """An HTML row id: ``id="<prefix>-<pk>"``."""
    return lambda world, side, role: f'id="{prefix}-{getattr(side, attribute).pk}"'


def callback_of(world: World, side: Side, role: str) -> CallbackRequest:
    """Alpha's callback asked by this customer; for staff, the named contact's."""
    return side.callbacks.get(role) or side.callbacks["named"]


def org(world: World, side: Side) -> str:
    return side.organization.slug


def api(
    resource: str,
    name: str,
    url: URL,
    seen: Seen = answered,
    audience: frozenset[str] = EVERYONE,
    **kw: Any,
) -> Probe:
    return Probe(resource, name, lambda w, s: f"/api/v1{url(w, s)}", seen, audience, True, **kw)


ALL_MONTHS = "since=2026-01&until=2026-12"
ORG_GROUP = marker_in(lambda w, s, r: f'"{s.organization.slug}"')
ORG_CELL = marker_in(lambda w, s, r: f"<td>{s.organization.slug}</td>")
# The reports name their groups (the SLA attainment API and page keep the engine's slugs).
ORG_NAMED = marker_in(lambda w, s, r: f'"{s.organization.name}"')
STAFF_WHO_WORK_TICKETS = VENDORS - {"developer"}

PROBES = [
    # Tickets
    api("tickets", "ticket list", lambda w, s: "/tickets", marker_in(ticket_summary)),
    api("tickets", "ticket", lambda w, s: f"/tickets/{key(w, s)}"),
    api("tickets", "comments", lambda w, s: f"/tickets/{key(w, s)}/comments"),
    api("tickets", "participants", lambda w, s: f"/tickets/{key(w, s)}/participants"),
    api("tickets", "attachments", lambda w, s: f"/tickets/{key(w, s)}/attachments"),
    api("tickets", "calls", lambda w, s: f"/tickets/{key(w, s)}/calls"),
    api(
        "tickets",
        "attachment download",
        lambda w, s: f"/tickets/{key(w, s)}/attachments/{s.attachment_id}",
    ),
    Probe(
        "tickets",
        "attachment download page",
        lambda w, s: f"/tickets/{key(w, s)}/attachments/{s.attachment_id}/",
    ),
    api("tickets", "transitions", lambda w, s: f"/tickets/{key(w, s)}/transitions"),
    api("tickets", "timeline", lambda w, s: f"/tickets/{key(w, s)}/timeline"),
    api("tickets", "sla", lambda w, s: f"/tickets/{key(w, s)}/sla"),
    Probe("tickets", "ticket page", lambda w, s: f"/tickets/{key(w, s)}/"),
    Probe(
        "tickets",
        "portal ticket list",
        lambda w, s: "/portal/tickets/",
        marker_in(ticket_summary),
        CUSTOMERS,
    ),
    # Developers reach their tickets from the developer-assistance page, not the queue.
    Probe(
        "tickets",
        "ticket queue",
        lambda w, s: "/console/tickets/",
        marker_in(ticket_summary),
        STAFF_WHO_WORK_TICKETS,
    ),
    # Internal material
    api(
        "internal",
        "internal comments",
        lambda w, s: f"/tickets/{key(w, s)}/comments",
        marker_in(text("internal")),
    ),
    api(
        "internal",
        "internal attachment download",
        lambda w, s: f"/tickets/{key(w, s)}/attachments/{s.internal_attachment_id}",
    ),
    Probe(
        "internal",
        "internal attachment download page",
        lambda w, s: f"/tickets/{key(w, s)}/attachments/{s.internal_attachment_id}/",
    ),
    api(
        "internal",
        "call notes",
        lambda w, s: f"/tickets/{key(w, s)}/calls",
        marker_in(text("call_note")),
    ),
    api(
        "internal",
        "internal timeline",
        lambda w, s: f"/tickets/{key(w, s)}/timeline",
        marker_in(lambda w, s, r: "developers_asked"),
    ),
    Probe(
        "internal",
        "internal comments on the ticket page",
        lambda w, s: f"/tickets/{key(w, s)}/",
        marker_in(text("internal")),
    ),
    Probe(
        "internal",
        "call notes on the ticket page",
        lambda w, s: f"/tickets/{key(w, s)}/",
        marker_in(text("call_note")),
    ),
    # The audit trail: its entries are about both organizations.
    api(
        "audit",
        "audit trail",
        lambda w, s: f"/audit?object_id={s.ticket.pk}",
        marker_in(lambda w, s, r: s.ticket.key),
    ),
    Probe(
        "audit",
        "audit trail page",
        lambda w, s: f"/console/audit/?object_id={s.ticket.pk}",
        marker_in(lambda w, s, r: s.ticket.key),
    ),
    # Handovers
    api("handovers", "handovers", lambda w, s: "/handovers", marker_in(text("handover"))),
    Probe(
        "handovers", "my handovers page", lambda w, s: "/console/rota/handovers/", audience=VENDORS
    ),
    # Organizations
    api(
        "organizations",
        "organizations",
        lambda w, s: "/organizations",
        marker_in(lambda w, s, r: f'"{s.organization.slug}"'),
    ),
    api("organizations", "organization", lambda w, s: f"/organizations/{org(w, s)}"),
    # Licenses, named contacts, their changes
    api("licenses", "licenses", lambda w, s: "/licenses", marker_in(text("sen"))),
    api("licenses", "license", lambda w, s: f"/licenses/{s.sen}"),
    api("licenses", "named contacts", lambda w, s: f"/licenses/{s.sen}/named-contacts"),
    api("licenses", "slots", lambda w, s: f"/licenses/{s.sen}/slots"),
    api("licenses", "license contacts", lambda w, s: f"/licenses/{s.sen}/contacts"),
    api(
        "licenses",
        "named-contact changes",
        lambda w, s: "/named-contact-changes",
        marker_in(lambda w, s, r: f'"id": {s.change.pk},'),
    ),
    api("licenses", "named-contact change", lambda w, s: f"/named-contact-changes/{s.change.pk}"),
    Probe(
        "licenses",
        "portal licenses",
        lambda w, s: "/portal/licenses/",
        marker_in(text("sen")),
        CUSTOMERS,
    ),
    Probe("licenses", "license page", lambda w, s: f"/portal/licenses/{s.sen}/named-contacts/"),
    # The approval queue
    Probe(
        "approvals",
        "approval queue",
        lambda w, s: "/console/named-contacts/",
        marker_in(row("change", "change")),
        VENDORS,
    ),
    # Spaces
    api("spaces", "space pages", lambda w, s: f"/spaces/{org(w, s)}/pages"),
    api("spaces", "space page", lambda w, s: f"/spaces/{org(w, s)}/pages/how-do-i"),
    api("spaces", "page versions", lambda w, s: f"/spaces/{org(w, s)}/pages/how-do-i/versions"),
    api("spaces", "page version", lambda w, s: f"/spaces/{org(w, s)}/pages/how-do-i/versions/1"),
    Probe(
        "spaces",
        "our space",
        lambda w, s: "/portal/space/",
        marker_in(lambda w, s, r: s.organization.name),
        CUSTOMERS,
    ),
    Probe(
        "spaces",
        "customer spaces",
        lambda w, s: "/console/spaces/",
        marker_in(lambda w, s, r: f'id="space-{s.organization.slug}"'),
        VENDORS,
    ),
    Probe(
        "spaces", "console space", lambda w, s: f"/console/spaces/{org(w, s)}/", audience=VENDORS
    ),
    # Weekend standby
    api(
        "standby",
        "standby requests",
        lambda w, s: "/standby-requests",
        marker_in(lambda w, s, r: s.standby.plan),
    ),
    api("standby", "standby request", lambda w, s: f"/standby-requests/{s.standby.pk}"),
    Probe(
        "standby",
        "portal standby",
        lambda w, s: "/standby/",
        marker_in(lambda w, s, r: f'href="/standby/{s.standby.pk}/"'),
        CUSTOMERS,
    ),
    Probe(
        "standby",
        "console standby",
        lambda w, s: "/console/standby/",
        marker_in(row("standby", "standby")),
        VENDORS,
    ),
    Probe("standby", "standby page", lambda w, s: f"/standby/{s.standby.pk}/"),
    # Health checks and findings
    api(
        "health_checks", "health checks", lambda w, s: "/health-checks", marker_in(text("finding"))
    ),
    api(
        "health_checks",
        "health check",
        lambda w, s: f"/health-checks/{s.check.pk}",
        marker_in(text("finding")),
    ),
    Probe(
        "health_checks",
        "portal health checks",
        lambda w, s: "/health-checks/",
        marker_in(lambda w, s, r: f'href="/health-checks/{s.check.pk}/"'),
        CUSTOMERS,
    ),
    Probe(
        "health_checks",
        "console health checks",
        lambda w, s: "/console/health-checks/",
        marker_in(lambda w, s, r: f'href="/health-checks/{s.check.pk}/"'),
        VENDORS,
    ),
    Probe(
        "health_checks",
        "health check page",
        lambda w, s: f"/health-checks/{s.check.pk}/",
        marker_in(text("finding")),
    ),
    # Escalations: customers read one on the ticket; the list is staff's.
    api(
        "escalations",
        "escalations",
        lambda w, s: "/escalations",
        marker_in(lambda w, s, r: f'"id": {s.escalation_id},'),
        VENDORS,
    ),
    api("escalations", "escalation", lambda w, s: f"/escalations/{s.escalation_id}"),
    Probe(
        "escalations",
        "escalations page",
        lambda w, s: "/console/escalations/",
        marker_in(lambda w, s, r: f'id="escalation-{s.escalation_id}"'),
        VENDORS,
    ),
    # Callbacks
    api(
        "callbacks",
        "callbacks",
        lambda w, s: "/callbacks",
        marker_in(lambda w, s, r: callback_of(w, s, r).complaint),
    ),
    api(
        "callbacks",
        "callback",
        lambda w, s: "",
        by_role=lambda w, s, r: f"/callbacks/{callback_of(w, s, r).pk}",
    ),
    Probe(
        "callbacks",
        "callbacks on the escalations page",
        lambda w, s: "/console/escalations/",
        marker_in(lambda w, s, r: f'id="callback-{callback_of(w, s, r).pk}"'),
        STAFF_WHO_WORK_TICKETS,
    ),
    # Developer assistance
    api(
        "assistance",
        "assistance queue",
        lambda w, s: "/developer-assistance",
        marker_in(lambda w, s, r: f'"id": {s.assistance_id},'),
    ),
    api(
        "assistance", "assistance request", lambda w, s: f"/developer-assistance/{s.assistance_id}"
    ),
    Probe(
        "assistance",
        "assistance page",
        lambda w, s: "/console/developer-assistance/",
        marker_in(lambda w, s, r: f'id="request-{s.assistance_id}"'),
        VENDORS,
    ),
    # Reports, SLA attainment, the dashboard
    api(
        "reports", "report", lambda w, s: f"/reports/volume?by=organization&{ALL_MONTHS}", ORG_NAMED
    ),
    api(
        "reports",
        "report as CSV",
        lambda w, s: f"/reports/volume?by=organization&format=csv&{ALL_MONTHS}",
        marker_in(lambda w, s, r: f"\n{s.organization.name},"),
    ),
    api("reports", "SLA attainment", lambda w, s: "/sla/attainment?by=organization", ORG_GROUP),
    Probe(
        "reports",
        "reports page",
        lambda w, s: f"/console/reports/?report=volume&by=organization&{ALL_MONTHS}",
        marker_in(lambda w, s, r: s.organization.name),
        VENDORS,
    ),
    Probe(
        "reports",
        "SLA attainment page",
        lambda w, s: "/console/sla/attainment/?by=organization",
        ORG_CELL,
        VENDORS,
    ),
    Probe("reports", "dashboard", lambda w, s: "/console/", dashboard, VENDORS),
    # The rota
    api("rota", "offices", lambda w, s: "/offices", marker_in(lambda w, s, r: w.office_slug)),
    api("rota", "engineers", lambda w, s: "/engineers"),
    api("rota", "on duty", lambda w, s: "/on-duty"),
    api("rota", "coverage", lambda w, s: "/coverage?from=2026-05-04&to=2026-05-10"),
    Probe("rota", "rota page", lambda w, s: "/console/rota/", audience=VENDORS),
    Probe("rota", "coverage page", lambda w, s: "/console/rota/coverage/", audience=VENDORS),
    # Surveys: the link's own token (Bravo's side is a link that was never sent).
    api("surveys", "survey", lambda w, s: f"/surveys/{survey_token(w, s)}"),
    Probe("surveys", "survey page", lambda w, s: f"/survey/{survey_token(w, s)}/"),
]


def survey_token(world: World, side: Side) -> str:
    return side.survey_token if side is world.alpha else "never-sent-0123456789abcdef"


def feed(path: Callable[[World, Side], str]) -> Callable[[World, Side, str], str]:
    return lambda world, side, role: f"{path(world, side)}?token={world.feed_tokens[role]}"


FEEDS = [
    ("organization feed", lambda w, s: f"/calendar/organizations/{org(w, s)}.ics", EVERYONE),
    ("engineer feed", lambda w, s: f"/calendar/engineers/{w.engineer_id}.ics", VENDORS),
    ("office feed", lambda w, s: f"/calendar/offices/{w.office_slug}.ics", VENDORS),
]


def cases() -> list[Any]:
    """One case per resource and role: every probe of that resource the role is offered."""
    return [
        pytest.param(resource, role, id=f"{resource}-{role}")
        for resource in MATRIX
        if resource != "calendar_feeds"
        for role in sorted(EVERYONE)
    ]


def client_for(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


def expected(resource: str, role: str) -> tuple[bool, bool]:
    """(Alpha seen, Bravo seen) for the document's cell."""
    cell = MATRIX[resource][role]
    return cell in ("all", "theirs", "link"), cell == "all"


@pytest.mark.parametrize(("resource", "role"), cases())
def test_read_matrix(world, resource, role):
    """Every list and detail of ``resource``, API and pages, as docs/access.md says."""
    client = client_for(world, role)
    alpha, bravo = expected(resource, role)
    wrong = []
    for probe in (p for p in PROBES if p.resource == resource and role in p.audience):
        seen = []
        for side in (world.alpha, world.bravo):
            url = probe.path(world, side, role)
            response = client.get(url)
            assert response.status_code < 500, url
            seen.append(probe.seen(response, world, side, role))
        if seen != [alpha, bravo]:
            wrong.append(f"{probe.name}: Alpha, Bravo seen {seen}, expected {[alpha, bravo]}")
    cell = MATRIX[resource][role]
    assert not wrong, f"{resource} for {role} (docs/access.md: {cell!r}):\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("name", "path", "role"),
    [
        pytest.param(name, path, role, id=f"{name}-{role}")
        for name, path, audience in FEEDS
        for role in sorted(audience)
    ],
)
def test_calendar_feeds_follow_the_matrix(world, name, path, role):
    """A feed opens with the person's own token, without a session, and shows the standby
    that person reads."""
    seen = {}
    for side in (world.alpha, world.bravo):
        response = Client().get(feed(path)(world, side, role))
        assert response.status_code in (200, 404)
        seen[side is world.alpha] = response.status_code == 200 and (
            uid(side.standby) in response.content.decode()
        )
    alpha, bravo = expected("calendar_feeds", role)
    assert (seen[True], seen[False]) == (alpha, bravo)


@pytest.mark.parametrize("role", sorted(CUSTOMERS))
def test_customers_never_reach_the_console(world, role):
    """The console pages the probes above walk for vendor roles only refuse customers."""
    client = client_for(world, role)
    for probe in PROBES:
        for side in (world.alpha, world.bravo):
            path = probe.path(world, side, role)
            if path.startswith("/console/"):
                assert client.get(path).status_code == 403, path


def test_the_matrix_has_every_role_and_resource_the_probes_walk():
    assert {probe.resource for probe in PROBES} | {"calendar_feeds"} == set(MATRIX)
    for resource, cells in MATRIX.items():
        assert set(cells) == EVERYONE, resource


def test_internal_comment_text_never_reaches_the_trail_of_someone_who_cannot_open_the_ticket(
    world,
):
    """The audit trail is read only by roles that read every ticket (docs/access.md)."""
    for role in world.people:
        response = client_for(world, role).get(f"/api/v1/audit?object_id={world.bravo.ticket.pk}")
        reads_bravo = client_for(world, role).get(
            f"/api/v1/tickets/{world.bravo.ticket.key}/comments"
        )
        if response.status_code == 200:
            assert reads_bravo.status_code == 200, role
            assert world.bravo.internal in reads_bravo.content.decode(), role
        else:
            assert response.status_code == 403, role
    assert reverse("audit:trail") == "/console/audit/"
