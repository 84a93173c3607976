"""The customers API: each permission rule and each refusal, with the problem body, and that a
customer never sees another customer's organization, licenses, contacts or changes."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.models import AuditEntry
from premierdesk.customers import actions
from premierdesk.customers.models import ContactRole, LicenseContact
from premierdesk.customers.tests.factories import LicenseFactory, add_approved
from premierdesk.testing.fixtures import frozen_at

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
SEN = "SEN-1234567"

frozen = frozen_at(NOW)


@pytest.fixture
def kestrel_license(kestrel, other_customer):
    license = LicenseFactory.create(organization=kestrel, sen="SEN-7654321")
    LicenseContact.objects.create(license=license, person=other_customer, role=ContactRole.BILLING)
    return license


def assert_problem(response, status: int, detail_part: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status
    assert detail_part in body["detail"], body["detail"]
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field]
    return body


def post(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


# Organizations and licenses ---------------------------------------------------------------


def test_a_customer_sees_only_their_own_organization(
    as_user, named_contact, northwind, kestrel, engineer_sydney
):
    listed = as_user(named_contact).get("/api/v1/organizations").json()
    assert [o["slug"] for o in listed["items"]] == [northwind.slug]
    assert as_user(named_contact).get(f"/api/v1/organizations/{kestrel.slug}").status_code == 404
    staff = as_user(engineer_sydney).get("/api/v1/organizations").json()
    assert {o["slug"] for o in staff["items"]} == {northwind.slug, kestrel.slug}


def test_license_detail_for_its_contacts_and_staff(as_user, license, technical, engineer_sydney):
    body = as_user(technical).get(f"/api/v1/licenses/{SEN}").json()
    assert body["sen"] == SEN
    assert body["organization"] == license.organization.slug
    assert body["named_contact_slots"] == 3
    assert as_user(engineer_sydney).get(f"/api/v1/licenses/{SEN}").status_code == 200
    assert [item["sen"] for item in as_user(technical).get("/api/v1/licenses").json()["items"]] == [
        SEN
    ]


def test_another_customers_sen_answers_like_an_unknown_one(
    as_user, license, technical, other_customer, kestrel_license
):
    client = as_user(other_customer)
    theirs = client.get(f"/api/v1/licenses/{SEN}")
    unknown = client.get("/api/v1/licenses/SEN-0000001")
    assert_problem(theirs, 404, f"No license has the SEN {SEN}")
    assert_problem(unknown, 404, "No license has the SEN SEN-0000001")
    for path in ("named-contacts", "slots", "contacts"):
        assert_problem(client.get(f"/api/v1/licenses/{SEN}/{path}"), 404, "No license has")
    listed = client.get("/api/v1/licenses").json()["items"]
    assert [item["sen"] for item in listed] == [kestrel_license.sen]
    refused = post(
        client, f"/api/v1/licenses/{SEN}/named-contacts", {"email": other_customer.email}
    )
    assert_problem(refused, 404, f"No license has the SEN {SEN}")


def test_a_participant_may_not_see_or_manage_named_contacts(as_user, license, participant):
    client = as_user(participant)
    assert_problem(
        client.get(f"/api/v1/licenses/{SEN}/named-contacts"),
        403,
        f"Only the named, billing and technical contacts of {SEN}",
    )
    assert_problem(
        post(client, f"/api/v1/licenses/{SEN}/named-contacts", {"email": participant.email}),
        403,
        "Only the named, billing and technical contacts",
    )
    assert client.get("/api/v1/licenses").json()["items"] == []


def test_signed_out_requests_get_401(client, license):
    assert_problem(client.get(f"/api/v1/licenses/{SEN}"), 401, "Authorization: Bearer")


# Named contacts ---------------------------------------------------------------------------


def test_list_shows_each_window_state_at_the_instant_asked(
    as_user, license, technical, manager, named_contact
):
    on_leave = add_approved(license, technical, manager, named_contact.email).pk
    add_approved(
        license, technical, manager, "later@northwind.example", starts_at=NOW + timedelta(days=3)
    )
    cover = actions.request_cover(
        technical,
        SEN,
        covered_id=on_leave,
        email="cover@northwind.example",
        full_name="Cover",
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=5),
    )
    actions.approve_change(manager, cover.pk)
    actions.request_named_contact(technical, SEN, email="asked@northwind.example", full_name="A")

    def states(at: str = "") -> dict[str, str]:
        body = as_user(technical).get(f"/api/v1/licenses/{SEN}/named-contacts{at}").json()
        return {item["person"]["email"]: item["state"] for item in body["items"]}

    assert states() == {
        named_contact.email: "active",
        "later@northwind.example": "upcoming",
        "cover@northwind.example": "upcoming",
        "asked@northwind.example": "pending",
    }
    inside = states("?at=2026-05-06T09:00:00Z")
    assert inside[named_contact.email] == "suspended"
    assert inside["cover@northwind.example"] == "active"
    after = states("?at=2026-05-09T12:00:00%2B02:00")  # 10:00 UTC, an hour after the cover
    assert after[named_contact.email] == "active"
    assert "cover@northwind.example" not in after  # ended windows only with include_closed
    body = (
        as_user(technical)
        .get(f"/api/v1/licenses/{SEN}/named-contacts?at=2026-05-08T09:00:00Z")
        .json()
    )
    assert body["taken"] == 2
    assert body["slots"] == 3


def test_a_time_without_offset_is_refused_with_the_field(as_user, license, technical):
    response = as_user(technical).get(f"/api/v1/licenses/{SEN}/named-contacts?at=2026-05-06T09:00")
    body = assert_problem(response, 422, "at")
    assert "timezone" in body["errors"][0]["message"].lower()


def test_add_waits_for_approval_and_invites_a_person_without_account(as_user, license, technical):
    response = post(
        as_user(technical),
        f"/api/v1/licenses/{SEN}/named-contacts",
        {"email": "New.Person@northwind.example", "full_name": "New Person", "reason": "DBA"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["state"] == "pending"
    assert body["person"] == {
        "email": "new.person@northwind.example",
        "full_name": "New Person",
        "has_account": False,
    }
    assert body["requested_by"] == technical.email
    assert body["request_reason"] == "DBA"
    entry = AuditEntry.objects.get(action="customers.named_contact_requested")
    assert entry.actor == technical
    assert entry.reason == "DBA"


def test_add_refusals_name_the_field(as_user, license, technical):
    # Another customer's address is not refused here: it is invited like any address outside
    # the organization, and refused to the approver (test_named_contact_privacy).
    client = as_user(technical)
    url = f"/api/v1/licenses/{SEN}/named-contacts"
    assert_problem(
        post(client, url, {"email": "nobody@northwind.example"}),
        422,
        f"is not a person of {license.organization} yet; give their full name",
        field="full_name",
    )
    assert_problem(
        post(client, url, {"email": "not an address", "full_name": "Alan Turing"}),
        422,
        "Enter a valid email address.",
        field="email",
    )
    assert_problem(
        post(
            client,
            url,
            {
                "email": technical.email,
                "starts_at": "2026-06-01T00:00:00Z",
                "ends_at": "2026-05-20T00:00:00Z",
            },
        ),
        422,
        "must end after it starts",
        field="ends_at",
    )
    assert_problem(post(client, url, {}), 422, "email", field="email")


def test_overlapping_windows_of_one_person_are_refused(as_user, license, technical, manager):
    add_approved(license, technical, manager, technical.email)
    response = post(
        as_user(technical), f"/api/v1/licenses/{SEN}/named-contacts", {"email": technical.email}
    )
    assert_problem(response, 409, "windows of one person must not overlap", field="starts_at")


def test_an_expired_license_is_refused(as_user, license, technical):
    license.valid_until = dt.date(2026, 5, 3)
    license.save()
    response = post(
        as_user(technical), f"/api/v1/licenses/{SEN}/named-contacts", {"email": technical.email}
    )
    assert_problem(response, 409, f"{SEN} expired on 2026-05-03")


def test_cover_for_a_named_contact(as_user, license, technical, manager, named_contact):
    on_leave = add_approved(license, technical, manager, named_contact.email).pk
    url = f"/api/v1/licenses/{SEN}/named-contacts/{on_leave}/cover"
    window = {"starts_at": "2026-05-10T00:00:00Z", "ends_at": "2026-05-17T00:00:00Z"}
    assert_problem(
        post(as_user(technical), url, {"email": named_contact.email, **window}),
        422,
        "cannot cover for themselves",
        field="email",
    )
    response = post(as_user(technical), url, {"email": technical.email, **window})
    assert response.status_code == 201, response.content
    assert response.json()["covers"]["email"] == named_contact.email
    missing = f"/api/v1/licenses/{SEN}/named-contacts/99999/cover"
    assert_problem(
        post(as_user(technical), missing, {"email": technical.email, **window}),
        422,
        "no current named contact 99999",
        field="covered_id",
    )


def test_remove_is_immediate_and_says_who_and_why(
    as_user, license, technical, manager, named_contact, frozen
):
    window = add_approved(license, technical, manager, named_contact.email).pk
    frozen.shift(timedelta(hours=2))
    response = as_user(technical).delete(
        f"/api/v1/licenses/{SEN}/named-contacts/{window}?reason=left+the+company"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "ended"
    assert body["ends_at"] == "2026-05-04T11:00:00Z"
    assert body["removal_reason"] == "left the company"
    entry = AuditEntry.objects.get(action="customers.named_contact_removed")
    assert (entry.actor, entry.reason) == (technical, "left the company")
    again = as_user(technical).delete(f"/api/v1/licenses/{SEN}/named-contacts/{window}")
    assert_problem(again, 409, "is no longer a named contact")


def test_remove_through_another_license_or_customer_is_not_found(
    as_user, license, technical, manager, named_contact, other_customer, kestrel_license
):
    window = add_approved(license, technical, manager, named_contact.email).pk
    assert_problem(
        as_user(other_customer).delete(
            f"/api/v1/licenses/{kestrel_license.sen}/named-contacts/{window}"
        ),
        404,
        f"There is no named-contact change {window}",
    )
    assert_problem(
        as_user(other_customer).delete(f"/api/v1/licenses/{SEN}/named-contacts/{window}"),
        404,
        "There is no named-contact change",
    )


def test_slots_over_time(as_user, license, technical, manager, named_contact):
    add_approved(license, technical, manager, named_contact.email)
    add_approved(
        license,
        technical,
        manager,
        "temp@northwind.example",
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=2),
    )
    spans = as_user(technical).get(f"/api/v1/licenses/{SEN}/slots").json()
    assert [(s["starts_at"], s["ends_at"], s["free"]) for s in spans] == [
        ("2026-05-04T09:00:00Z", "2026-05-05T09:00:00Z", 2),
        ("2026-05-05T09:00:00Z", "2026-05-06T09:00:00Z", 1),
        ("2026-05-06T09:00:00Z", None, 2),
    ]
    assert spans[1]["people"] == sorted([named_contact.email, "temp@northwind.example"])


def test_billing_and_technical_contacts(as_user, license, technical, engineer_sydney):
    body = as_user(engineer_sydney).get(f"/api/v1/licenses/{SEN}/contacts").json()
    assert body == [
        {
            "person": {
                "email": technical.email,
                "full_name": technical.full_name,
                "has_account": True,
            },
            "role": "technical",
            "is_primary": True,
        }
    ]


# Approvals --------------------------------------------------------------------------------


def test_the_enterprise_manager_sees_and_approves_their_organizations_changes(
    as_user, license, technical, manager, kestrel_license, other_customer
):
    change = actions.request_named_contact(technical, SEN, email=technical.email)
    actions.request_named_contact(other_customer, kestrel_license.sen, email=other_customer.email)
    queue = as_user(manager).get("/api/v1/named-contact-changes").json()
    assert [(c["id"], c["sen"]) for c in queue["items"]] == [(change.pk, SEN)]
    response = post(
        as_user(manager), f"/api/v1/named-contact-changes/{change.pk}/approve", {"reason": "ok"}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["state"]) == ("approved", "active")
    assert response.json()["decided_by"] == manager.email
    assert AuditEntry.objects.get(action="customers.named_contact_approved").actor == manager
    assert as_user(manager).get("/api/v1/named-contact-changes").json()["items"] == []
    approved_list = as_user(manager).get("/api/v1/named-contact-changes?status=approved").json()
    assert [c["id"] for c in approved_list["items"]] == [change.pk]
    again = post(as_user(manager), f"/api/v1/named-contact-changes/{change.pk}/approve")
    assert_problem(again, 409, "already approved")


def test_only_the_organizations_enterprise_manager_or_an_administrator_decides(
    as_user, license, technical, administrator, other_customer
):
    change = actions.request_named_contact(technical, SEN, email=technical.email)
    url = f"/api/v1/named-contact-changes/{change.pk}/approve"
    other_manager = UserFactory.create(role=Role.ENTERPRISE_MANAGER)
    assert as_user(other_manager).get("/api/v1/named-contact-changes").json()["items"] == []
    for person in (technical, other_manager):
        assert_problem(post(as_user(person), url), 403, "enterprise manager or an administrator")
    assert_problem(post(as_user(other_customer), url), 404, "There is no named-contact change")
    assert post(as_user(administrator), url).json()["status"] == "approved"


def test_a_customer_sees_their_own_pending_requests_only(
    as_user, license, technical, other_customer, kestrel_license
):
    mine = actions.request_named_contact(technical, SEN, email=technical.email)
    theirs = actions.request_named_contact(
        other_customer, kestrel_license.sen, email=other_customer.email
    )
    listed = as_user(technical).get("/api/v1/named-contact-changes").json()["items"]
    assert [c["id"] for c in listed] == [mine.pk]
    assert_problem(
        as_user(technical).get(f"/api/v1/named-contact-changes/{theirs.pk}"),
        404,
        "There is no named-contact change",
    )


def test_over_the_limit_names_the_contacts_and_when_a_slot_frees(
    as_user, license, technical, manager
):
    for n in range(2):
        add_approved(license, technical, manager, f"p{n}@northwind.example")
    add_approved(
        license,
        technical,
        manager,
        "leaving@northwind.example",
        ends_at=NOW + timedelta(days=10),
    )
    change = actions.request_named_contact(
        technical, SEN, email="fourth@northwind.example", full_name="F"
    )
    response = post(as_user(manager), f"/api/v1/named-contact-changes/{change.pk}/approve")
    body = assert_problem(response, 409, f"{SEN} has 3 named-contact slots and all are taken")
    assert "leaving@northwind.example, p0@northwind.example, p1@northwind.example" in body["detail"]
    assert "A slot frees up at 2026-05-14 09:00 UTC." in body["detail"]


def test_decline_needs_a_reason(as_user, license, technical, manager):
    change = actions.request_named_contact(technical, SEN, email=technical.email)
    url = f"/api/v1/named-contact-changes/{change.pk}/decline"
    assert_problem(post(as_user(manager), url), 422, "Say why", field="reason")
    response = post(as_user(manager), url, {"reason": "already three contacts"})
    assert response.json()["status"] == "declined"
    assert response.json()["decision_reason"] == "already three contacts"
    entry = AuditEntry.objects.get(action="customers.named_contact_declined")
    assert (entry.actor, entry.reason) == (manager, "already three contacts")


# Query counts ------------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_do_not_query_per_row(as_user, license, technical, manager):
    urls = [
        f"/api/v1/licenses/{SEN}/named-contacts?include_closed=true",
        f"/api/v1/licenses/{SEN}/slots",
        "/api/v1/named-contact-changes?status=approved",
        "/api/v1/licenses",
    ]
    add_approved(license, technical, manager, "one@northwind.example")
    few = [count_queries(as_user(manager), url) for url in urls]
    for n in range(2):
        add_approved(license, technical, manager, f"more{n}@northwind.example")
    LicenseFactory.create(organization=license.organization)
    many = [count_queries(as_user(manager), url) for url in urls]
    assert many == few
