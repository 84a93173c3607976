"""The named-contact pages: a license's self-service page in the portal, the console's approval
queue, who may open them, and what a refused form shows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers import actions
from premierdesk.customers.models import ChangeStatus, ContactRole, LicenseContact, NamedContact
from premierdesk.customers.tests.factories import LicenseFactory, add_approved
from premierdesk.testing.fixtures import frozen_at

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
SEN = "SEN-1234567"
PAGE = f"/portal/licenses/{SEN}/named-contacts/"
QUEUE = "/console/named-contacts/"
HTMX = {"HTTP_HX_REQUEST": "true"}

frozen = frozen_at(NOW)


@pytest.fixture
def technical(license):
    person = UserFactory.create(
        role=Role.CUSTOMER,
        organization=license.organization,
        email="tech@northwind.example",
        time_zone="America/New_York",
    )
    LicenseContact.objects.create(license=license, person=person, role=ContactRole.TECHNICAL)
    return person


@pytest.fixture
def grace(license, technical, manager, named_contact):
    """The named-contact persona, approved on the license."""
    return add_approved(license, technical, manager, named_contact.email)


def text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The body rows of a table, each as the text of its cells."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S)
    assert table, f"no table {table_id}"
    body = table.group(1).split("<tbody>")[1]
    return [
        [text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def row(html: str, element_id: str) -> str:
    found = re.search(rf'<tr id="{element_id}">(.*?)</tr>', html, re.S)
    assert found, f"no row {element_id}"
    return found.group(1)


@pytest.fixture
def busy_license(license, technical, manager, named_contact, frozen):
    """A day ago: Grace and Bob joined; Carol covers for Bob until NOW+6d; Dave comes
    NOW+2d..NOW+9d. Now: Erin is asked for. Three slots."""
    frozen.move_to(NOW - timedelta(days=1))
    add_approved(license, technical, manager, named_contact.email)
    bob = add_approved(license, technical, manager, "bob@northwind.example")
    cover = actions.request_cover(
        technical,
        license.sen,
        covered_id=bob.pk,
        email="carol@northwind.example",
        full_name="Carol",
        starts_at=NOW - timedelta(hours=2),
        ends_at=NOW + timedelta(days=6),
        reason="Bob's parental leave",
    )
    actions.approve_change(manager, cover.pk)
    window = {"starts_at": NOW + timedelta(days=2), "ends_at": NOW + timedelta(days=9)}
    add_approved(license, technical, manager, "dave@northwind.example", **window)
    frozen.move_to(NOW)
    actions.request_named_contact(
        technical, license.sen, email="erin@northwind.example", full_name="Erin", reason="new DBA"
    )
    return license


def email_in(cell: str) -> str:
    found = re.search(r"\S+@\S+", cell)
    assert found, f"no e-mail in {cell!r}"
    return found.group()


def window_of(email: str) -> NamedContact:
    """The window of ``email``'s person, or of the invitation of that address."""
    return NamedContact.objects.get(Q(person__email=email) | Q(invited_email=email))


def test_license_page_lists_current_upcoming_and_pending_with_states(
    as_user, busy_license, technical, named_contact
):
    page = as_user(technical).get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    states = {email_in(cells[0]): cells[1] for cells in table_rows(html, "roster")}
    assert states == {
        named_contact.email: "active",
        "bob@northwind.example": "suspended",
        "carol@northwind.example": "active",
        "dave@northwind.example": "upcoming",
    }
    bob = text(row(html, f"window-{window_of('bob@northwind.example').pk}"))
    assert "on leave; covered by carol@northwind.example" in bob
    carol = text(row(html, f"window-{window_of('carol@northwind.example').pk}"))
    assert "covering for bob@northwind.example until 2026-05-10 05:00 America/New_York" in carol
    assert carol.startswith("Carol carol@northwind.example covers for bob@northwind.example")
    [erin] = table_rows(html, "pending")
    assert email_in(erin[0]) == "erin@northwind.example"
    assert erin[1] == "pending"
    assert "new DBA" in erin
    assert "tech@northwind.example" in text(html)  # billing and technical contacts listed


def test_free_slot_table_shows_each_span_in_the_viewers_time_zone(
    as_user, busy_license, technical, named_contact
):
    html = as_user(technical).get(PAGE).content.decode()
    # The viewer is in New York (UTC-4 in May): NOW+2d 09:00 UTC reads 05:00.
    assert table_rows(html, "slots") == [
        ["now", "2026-05-06 05:00", "1 of 3", f"carol@northwind.example, {named_contact.email}"],
        [
            "2026-05-06 05:00",
            "2026-05-10 05:00",
            "0 of 3",
            f"carol@northwind.example, dave@northwind.example, {named_contact.email}",
        ],
        [
            "2026-05-10 05:00",
            "2026-05-13 05:00",
            "0 of 3",
            f"bob@northwind.example, dave@northwind.example, {named_contact.email}",
        ],
        ["2026-05-13 05:00", "onwards", "1 of 3", f"bob@northwind.example, {named_contact.email}"],
    ]


def test_license_list_shows_the_licenses_the_person_manages(as_user, grace, named_contact):
    LicenseFactory.create(organization=grace.license.organization, sen="SEN-7654321")
    html = as_user(named_contact).get("/portal/licenses/").content.decode()
    assert f'href="{PAGE}"' in html
    assert "SEN-7654321" not in html  # same organization, but Grace is not its contact


def test_add_form_asks_for_a_pending_named_contact_with_times_read_in_the_viewers_zone(
    as_user, license, technical
):
    response = as_user(technical).post(
        f"{PAGE}add/",
        {
            "email": "New.Person@northwind.example",
            "full_name": "New Person",
            "starts_at": "2026-05-10T09:00",
            "ends_at": "2026-05-20T17:30",
            "reason": "joins the platform team",
        },
        follow=True,
    )
    assert response.redirect_chain == [(PAGE, 302)]
    change = NamedContact.objects.get(invited_email="new.person@northwind.example")
    assert change.status == ChangeStatus.PENDING
    assert change.requested_by == technical
    assert change.request_reason == "joins the platform team"
    # Typed in New York (EDT, UTC-4), stored in UTC.
    assert change.starts_at == datetime(2026, 5, 10, 13, 0, tzinfo=UTC)
    assert change.ends_at == datetime(2026, 5, 20, 21, 30, tzinfo=UTC)
    html = response.content.decode()
    assert "Asked for new.person@northwind.example to become a named contact" in html
    assert table_rows(html, "pending")[0][1] == "pending"


def test_add_form_refusal_is_shown_beside_its_field_keeping_what_was_typed(
    as_user, license, technical
):
    response = as_user(technical).post(
        f"{PAGE}add/", {"email": "stranger@northwind.example", "reason": "on call"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    full_name_field = html.split('for="add-full_name"')[1].split('for="add-starts_at"')[0]
    assert (
        "stranger@northwind.example is not a person of Northwind Logistics yet; give their "
        "full name" in full_name_field
    )
    assert 'value="stranger@northwind.example"' in html
    assert "\non call</textarea>" in html
    assert not NamedContact.objects.exists()


def test_add_form_with_htmx_swaps_the_section_with_the_new_request(as_user, license, technical):
    response = as_user(technical).post(
        f"{PAGE}add/", {"email": "x@northwind.example", "full_name": "X"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the section only, not the whole page
    assert "Asked for x@northwind.example" in html
    assert table_rows(html, "pending")[0][0].endswith("x@northwind.example")


def test_remove_form_ends_the_window_now(as_user, grace, technical, named_contact, frozen):
    later = NOW + timedelta(hours=3)
    frozen.move_to(later)
    client = as_user(technical)
    url = f"{PAGE}{grace.pk}/remove/"
    response = client.post(url, {"confirmed": "yes", "reason": "left the company"})
    assert response.status_code == 302
    grace.refresh_from_db()
    assert grace.status == ChangeStatus.APPROVED
    assert grace.ends_at == later
    assert grace.removal_reason == "left the company"
    assert grace.removed_by == technical
    html = client.get(PAGE).content.decode()
    assert f"{named_contact.email} is no longer a named contact of {SEN}." in html
    assert named_contact.email not in text(html.split('id="roster"')[1].split("</table>")[0])


def test_remove_without_javascript_asks_for_confirmation_first(as_user, grace, technical):
    url = f"{PAGE}{grace.pk}/remove/"
    response = as_user(technical).post(url, {"reason": "left"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Remove Grace Hopper?" in html
    assert 'name="confirmed" value="yes"' in html
    assert 'value="left"' in html  # the reason typed is kept
    grace.refresh_from_db()
    assert grace.ends_at is None


def test_cover_form_asks_for_a_colleague_to_cover(as_user, grace, technical):
    response = as_user(technical).post(
        f"{PAGE}cover/",
        {
            "covered_id": grace.pk,
            "email": "stand.in@northwind.example",
            "full_name": "Stand In",
            "starts_at": "2026-06-01T08:00",
            "ends_at": "2026-06-15T18:00",
            "reason": "Grace on leave",
        },
    )
    assert response.status_code == 302
    cover = NamedContact.objects.get(invited_email="stand.in@northwind.example")
    assert cover.covers == grace
    assert cover.status == ChangeStatus.PENDING
    assert cover.starts_at == datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert cover.ends_at == datetime(2026, 6, 15, 22, 0, tzinfo=UTC)


def test_cover_form_without_an_end_keeps_the_form_with_its_error(as_user, grace, technical):
    response = as_user(technical).post(
        f"{PAGE}cover/",
        {"covered_id": grace.pk, "email": "stand.in@northwind.example", "starts_at": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="stand.in@northwind.example"' in html
    assert "This field is required." in html.split('for="cover-ends_at"')[1]
    assert NamedContact.objects.count() == 1


def test_queue_lists_pending_changes_and_the_manager_approves(
    as_user, busy_license, manager, technical
):
    erin = window_of("erin@northwind.example")
    page = as_user(manager).get(QUEUE)
    assert page.status_code == 200
    cells = text(row(page.content.decode(), f"change-{erin.pk}"))
    for expected in (SEN, "Northwind Logistics", "erin@northwind.example", "permanent"):
        assert expected in cells
    assert "tech@northwind.example" in cells
    assert "new DBA" in cells
    assert "invited, no account yet" in cells

    frozen_later = NOW + timedelta(days=10)  # Carol's cover and Dave's window are over
    with time_machine.travel(frozen_later, tick=False):
        response = as_user(manager).post(f"{QUEUE}{erin.pk}/approve/", {"reason": "ok"})
    assert response.status_code == 302
    erin.refresh_from_db()
    assert erin.status == ChangeStatus.APPROVED
    assert erin.decided_by == manager
    assert erin.decision_reason == "ok"


def test_manager_declines_with_a_reason(as_user, license, technical, manager):
    change = actions.request_named_contact(
        technical, SEN, email="x@northwind.example", full_name="X"
    )
    response = as_user(manager).post(
        f"{QUEUE}{change.pk}/decline/", {"reason": "not on the project"}, follow=True
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.DECLINED
    assert change.decision_reason == "not on the project"
    html = response.content.decode()
    assert f"Declined x@northwind.example as a named contact of {SEN}." in html
    assert f'id="change-{change.pk}"' not in html  # no longer in the queue


def test_decline_without_a_reason_shows_the_field_error_on_its_row(
    as_user, license, technical, manager
):
    change = actions.request_named_contact(
        technical, SEN, email="x@northwind.example", full_name="X"
    )
    response = as_user(manager).post(f"{QUEUE}{change.pk}/decline/", {"reason": "  "})
    assert response.status_code == 422
    decision = row(response.content.decode(), f"change-{change.pk}")
    decline_form = decision[decision.index(f"/{change.pk}/decline/") :]
    assert "Say why the change is declined." in decline_form
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_over_the_slot_limit_the_refusal_is_shown_on_its_row(as_user, license, technical, manager):
    for name in ("a", "b"):
        add_approved(license, technical, manager, f"{name}@northwind.example")
    add_approved(
        license, technical, manager, "c@northwind.example", ends_at=NOW + timedelta(days=10)
    )
    fourth = actions.request_named_contact(
        technical, SEN, email="d@northwind.example", full_name="D"
    )
    other = actions.request_named_contact(
        technical, SEN, email="e@northwind.example", full_name="E"
    )
    response = as_user(manager).post(f"{QUEUE}{fourth.pk}/approve/", {}, **HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    refused = text(row(html, f"change-{fourth.pk}"))
    assert f"{SEN} has 3 named-contact slots and all are taken" in refused
    assert "a@northwind.example, b@northwind.example, c@northwind.example" in refused
    assert "A slot frees up at 2026-05-14 09:00 UTC." in refused
    assert "all are taken" not in row(html, f"change-{other.pk}")
    fourth.refresh_from_db()
    assert fourth.status == ChangeStatus.PENDING


def test_other_customer_sees_nothing_of_northwind(as_user, grace, other_customer):
    client = as_user(other_customer)
    page = client.get(PAGE)
    assert page.status_code == 404
    assert f"No license has the SEN {SEN}" in page.content.decode()
    assert "Northwind" not in page.content.decode()
    added = client.post(f"{PAGE}add/", {"email": other_customer.email})
    assert added.status_code == 404
    removed = client.post(f"{PAGE}{grace.pk}/remove/", {"confirmed": "yes"})
    assert removed.status_code == 404
    grace.refresh_from_db()
    assert grace.ends_at is None
    assert NamedContact.objects.count() == 1
    listing = client.get("/portal/licenses/").content.decode()
    assert SEN not in listing
    assert "Northwind" not in listing


def test_participant_of_the_same_organization_is_refused(as_user, grace, participant):
    page = as_user(participant).get(PAGE)
    assert page.status_code == 403
    assert "Only the named, billing and technical contacts" in page.content.decode()
    added = as_user(participant).post(
        f"{PAGE}add/", {"email": "x@northwind.example", "full_name": "X"}
    )
    assert added.status_code == 403
    assert NamedContact.objects.count() == 1


def test_customers_never_reach_the_approval_queue(as_user, license, technical):
    change = actions.request_named_contact(
        technical, SEN, email="x@northwind.example", full_name="X"
    )
    client = as_user(technical)
    assert client.get(QUEUE).status_code == 403
    assert client.post(f"{QUEUE}{change.pk}/approve/", {}).status_code == 403
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_signed_out_visitors_are_sent_to_sign_in(client, license):
    for url in ("/portal/licenses/", PAGE, QUEUE):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/sign-in/")
    response = client.post(f"{PAGE}add/", {"email": "x@northwind.example", "full_name": "X"})
    assert response.status_code == 302
    assert not NamedContact.objects.exists()


def test_staff_open_the_license_page_and_only_approvers_get_the_queue_link(
    as_user, grace, manager, engineer_sydney
):
    html = as_user(manager).get(PAGE).content.decode()
    assert "Add a named contact" in html  # the enterprise manager manages it too
    assert f'href="{QUEUE}"' in html
    engineer_view = as_user(engineer_sydney).get(PAGE)
    assert engineer_view.status_code == 200
    assert "Add a named contact" not in engineer_view.content.decode()
    console = as_user(engineer_sydney).get("/console/").content.decode()
    assert "Named-contact approvals" not in console


def test_console_home_counts_the_managers_pending_changes(as_user, license, technical, manager):
    for name in ("x", "y"):
        actions.request_named_contact(
            technical, SEN, email=f"{name}@northwind.example", full_name=name
        )
    elsewhere = LicenseFactory.create()  # another manager's customer
    other_manager = UserFactory.create(role=Role.ENTERPRISE_MANAGER)
    elsewhere.organization.enterprise_manager = other_manager
    elsewhere.organization.save()
    html = as_user(manager).get("/console/").content.decode()
    assert "<strong>2</strong> changes waiting for your approval" in html
    assert f'href="{QUEUE}"' in html
    other_html = as_user(other_manager).get("/console/").content.decode()
    assert "<strong>0</strong> changes waiting" in other_html


def test_customer_navigation_links_to_the_license_list(as_user, technical, participant):
    html = as_user(technical).get("/portal/").content.decode()
    assert 'href="/portal/licenses/"' in html
    assert QUEUE not in html
    # Someone who manages no license's named contacts is not offered the list.
    assert 'href="/portal/licenses/"' not in as_user(participant).get("/portal/").content.decode()


def make_windows(license, technical, manager, count: int) -> None:
    """``count`` windows: one-day windows in a row (never more than one active), every other
    one approved and the rest pending, and a pending cover for the first approved one."""
    approved = []
    for i in range(count):
        email = f"p{i}@northwind.example"
        start = NOW + timedelta(days=2 * i + 1)
        end = start + timedelta(days=1)
        if i % 2:
            actions.request_named_contact(
                technical, license.sen, email=email, full_name="P", starts_at=start, ends_at=end
            )
        else:
            approved.append(
                add_approved(license, technical, manager, email, starts_at=start, ends_at=end)
            )
    actions.request_cover(
        technical,
        license.sen,
        covered_id=approved[0].pk,
        email="cover@northwind.example",
        full_name="Cover",
        starts_at=approved[0].starts_at,
        ends_at=approved[0].starts_at + timedelta(hours=6),
    )


def page_queries(client, sen: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/portal/licenses/{sen}/named-contacts/")
    assert page.status_code == 200
    return len(captured)


def test_license_page_queries_do_not_grow_with_the_contacts(as_user, license, technical, manager):
    bigger = LicenseFactory.create(organization=license.organization, sen="SEN-7654321")
    LicenseContact.objects.create(license=bigger, person=technical, role=ContactRole.TECHNICAL)
    make_windows(license, technical, manager, 2)
    make_windows(bigger, technical, manager, 8)
    assert NamedContact.objects.filter(license=bigger).count() == 9
    client = as_user(technical)
    few, many = page_queries(client, license.sen), page_queries(client, bigger.sen)
    assert many == few
