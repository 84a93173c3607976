"""Navigation follows the role: each person is offered what the rules let them do, and the
pages they cannot use say why at the top instead of showing a form that would be refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.catalog.models import Product
from premierdesk.customers.models import ContactRole, LicenseContact
from premierdesk.customers.tests.factories import LicenseFactory, add_approved
from premierdesk.testing.fixtures import frozen_at

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)

PORTAL_OFFERS = ["Open a ticket", "Named contacts", "Our space", "Weekend standby", "Health checks"]

frozen = frozen_at(NOW)


@pytest.fixture
def license(northwind):
    manager = UserFactory.create(role=Role.ENTERPRISE_MANAGER)
    northwind.enterprise_manager = manager
    northwind.save()
    license = LicenseFactory.create(organization=northwind, sen="SEN-7000001")
    product = Product.objects.create(slug="jira-software", name="Jira Software", covered=True)
    license.products.set([product])
    return license


@pytest.fixture
def contact(license, named_contact):
    manager = license.organization.enterprise_manager
    add_approved(license, manager, manager, named_contact.email)
    return named_contact


@pytest.fixture
def technical(license):
    person = UserFactory.create(
        full_name="Tom Tech", role=Role.CUSTOMER, organization=license.organization
    )
    LicenseContact.objects.create(
        license=license, person=person, role=ContactRole.TECHNICAL, is_primary=True
    )
    return person


def menu(html: str) -> list[str]:
    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    return [unescape(label) for label in re.findall(r">([^<]+)</a>", nav)]


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_a_participant_is_offered_none_of_it_and_told_why(as_user, contact, technical, participant):
    client = as_user(participant)
    home = client.get("/portal/").content.decode()
    assert not set(PORTAL_OFFERS) & set(menu(home))
    assert {"Home", "Tickets"} <= set(menu(home))
    assert (
        "You take part in tickets others opened; to open Premier tickets, ask your "
        f"organization's technical contact (Tom Tech <{technical.email}>) to add you as a named "
        "contact."
    ) in text(home)
    assert 'href="/portal/tickets/new/"' not in home


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/portal/tickets/new/", 'id="open-ticket"'),
        ("/standby/", 'id="ask-standby"'),
        ("/health-checks/", 'id="request-health-check"'),
    ],
)
def test_the_pages_a_participant_cannot_use_say_why_instead_of_a_form(
    as_user, contact, participant, url, form
):
    page = as_user(participant).get(url).content.decode()
    assert form not in page
    top = text(page.split('id="not-offered"', 1)[1].split("</ul>", 1)[0])
    assert "You take part in tickets others opened;" in top
    assert "ask your organization's technical contact" in top


def test_a_participant_is_told_why_on_named_contacts_and_the_space(as_user, contact, participant):
    client = as_user(participant)
    licenses = client.get("/portal/licenses/").content.decode()
    assert "SEN-7000001" not in licenses
    assert "you are none of these" in text(licenses)
    space = client.get("/portal/space/")
    assert space.status_code == 403
    assert "space is read by its named, billing and technical contacts" in text(
        space.content.decode()
    )


def test_a_named_contact_is_offered_all_of_it(as_user, contact):
    client = as_user(contact)
    home = client.get("/portal/").content.decode()
    assert set(PORTAL_OFFERS) <= set(menu(home))
    assert 'href="/portal/tickets/new/"' in home
    assert "You take part in tickets others opened" not in home
    for url, form in [
        ("/portal/tickets/new/", 'id="open-ticket"'),
        ("/standby/", 'id="ask-standby"'),
        ("/health-checks/", 'id="request-health-check"'),
    ]:
        page = client.get(url).content.decode()
        assert form in page
        assert 'id="not-offered"' not in page


def test_a_technical_contact_manages_named_contacts_and_reads_the_space_only(
    as_user, contact, technical
):
    items = menu(as_user(technical).get("/portal/").content.decode())
    assert {"Named contacts", "Our space"} <= set(items)
    assert not {"Open a ticket", "Weekend standby", "Health checks"} & set(items)
    licenses = as_user(technical).get("/portal/licenses/").content.decode()
    assert "SEN-7000001" in licenses


def test_a_named_contact_who_is_removed_is_no_longer_offered_it(as_user, contact, license):
    from premierdesk.customers.actions import remove_named_contact

    window = license.named_contacts.get(person=contact)
    remove_named_contact(license.organization.enterprise_manager, window.pk)
    items = menu(as_user(contact).get("/portal/").content.decode())
    assert not set(PORTAL_OFFERS) & set(items)


@pytest.mark.parametrize(
    ("role", "offered", "not_offered"),
    [
        (
            Role.SUPPORT_ENGINEER,
            {"Ticket queue", "My handovers", "Customer spaces", "Developer assistance"},
            {"Reports", "Named-contact approvals", "Administration"},
        ),
        (
            Role.DEVELOPER,
            {"Developer assistance", "Rota"},
            {
                "Ticket queue",
                "My handovers",
                "Escalations",
                "Customer spaces",
                "Weekend standby",
                "Health checks",
                "Reports",
                "SLA attainment",
                "Audit trail",
                "Administration",
            },
        ),
        (
            Role.SUPPORT_MANAGER,
            {"Ticket queue", "Reports", "SLA attainment"},
            {"Named-contact approvals", "Administration"},
        ),
        (
            Role.ENTERPRISE_MANAGER,
            {"Ticket queue", "Reports", "Named-contact approvals", "Weekend standby"},
            {"My handovers", "Audit trail", "Administration"},
        ),
        (Role.ESCALATION_MANAGER, {"Escalations", "Reports"}, {"Named-contact approvals"}),
        (
            Role.ADMINISTRATOR,
            {"Ticket queue", "Reports", "Named-contact approvals", "Administration"},
            set(),
        ),
    ],
)
def test_staff_menus_follow_the_role(as_user, role, offered, not_offered):
    person = UserFactory.create(role=role)
    items = set(menu(as_user(person).get("/console/").content.decode()))
    assert offered <= items
    assert not not_offered & items
    assert not {"Open a ticket", "Named contacts", "Our space"} & items


@pytest.mark.parametrize("role", [role for role in Role if role != Role.CUSTOMER])
def test_every_link_a_staff_member_is_offered_opens_for_them(as_user, role):
    client = as_user(UserFactory.create(role=role))
    for label, url in links(client.get("/console/").content.decode()):
        response = client.get(url)
        assert response.status_code == 200, (label, url, response.status_code)


@pytest.mark.parametrize("who", ["contact", "technical", "participant"])
def test_every_link_a_customer_is_offered_opens_for_them(as_user, request, who):
    client = as_user(request.getfixturevalue(who))
    for label, url in links(client.get("/portal/").content.decode()):
        response = client.get(url)
        assert response.status_code == 200, (label, url, response.status_code)


def links(html: str) -> list[tuple[str, str]]:
    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    return [
        (unescape(label), unescape(url))
        for url, label in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', nav)
    ]


def test_the_portal_states_the_critical_levels_first_response_target(as_user, contact):
    from premierdesk.catalog.models import ResponseTarget

    ResponseTarget.objects.filter(offering__slug="premier", level="L1").update(
        initial_response_minutes=45
    )
    home = text(as_user(contact).get("/portal/").content.decode())
    assert "An engineer answers within 45 min, day and night" in home


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.CUSTOMER}))
def test_the_console_home_links_only_to_pages_that_open(as_user, role):
    """The console home's cards follow the same rules as the menu: every link opens."""
    client = as_user(UserFactory.create(role=role))
    page = client.get("/console/").content.decode()
    for path in re.findall(r'href="(/console/[^"?#]*|/admin/)"', page):
        assert client.get(path).status_code == 200, path
