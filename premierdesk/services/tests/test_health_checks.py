"""Health checks: requested → scheduled → in assessment → delivered (or cancelled), who may do
each step, findings followed to done, the report published in the customer's space, and the
API's isolation from other customers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail

from premierdesk.audit.models import AuditEntry
from premierdesk.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from premierdesk.offices.models import Absence
from premierdesk.services.actions import health_checks as check_actions
from premierdesk.services.models import FindingStatus, HealthCheckStatus
from premierdesk.services.tests.conftest import SEN
from premierdesk.spaces.models import Page, PageKind

pytestmark = pytest.mark.django_db

AGREED = date(2026, 6, 3)


def request(actor, **overrides):
    fields = {
        "sen": SEN,
        "product": "jira-software",
        "product_version": "10.3.2",
        "environment": "production",
        "instance_notes": "Two nodes behind HAProxy, PostgreSQL 15.",
        **overrides,
    }
    return check_actions.request_health_check(actor, check_actions.HealthCheckInput(**fields))


def finding(actor, check_id, severity="high"):
    return check_actions.add_finding(
        actor,
        check_id,
        check_actions.FindingInput(
            severity=severity,
            title="Heap too small",
            evidence="GC pauses of 8 s in gc.log",
            recommendation="Raise -Xmx to 16g",
        ),
    )


@pytest.fixture
def check(contact):
    return request(contact)


@pytest.fixture
def scheduled(check, support_manager, jira_engineer):
    return check_actions.schedule_health_check(
        support_manager, check.pk, engineer=jira_engineer.user.email, agreed_date=AGREED
    )


@pytest.fixture
def assessing(scheduled, jira_engineer):
    return check_actions.start_assessment(jira_engineer.user, scheduled.pk)


def test_a_named_contact_requests_one(check, contact):
    assert (check.status, check.environment) == (HealthCheckStatus.REQUESTED, "production")
    assert AuditEntry.objects.filter(action="services.health_check_requested").count() == 1


def test_only_named_contacts_request(contact, participant, support_manager, kestrel_contact):
    with pytest.raises(NotAllowed, match="can request health checks"):
        request(participant)
    with pytest.raises(NotAllowed):
        request(support_manager)
    with pytest.raises(NotFound):
        request(kestrel_contact)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"environment": "other"}, "environment"),
        ({"product_version": " "}, "product_version"),
        ({"product": "nothing"}, "product"),
    ],
)
def test_refused_input_names_its_field(contact, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        request(contact, **overrides)
    assert [e.field for e in caught.value.errors] == [field]


def test_qa_and_staging_are_accepted(contact):
    assert request(contact, environment="qa").pk
    assert request(contact, environment="staging").pk


def test_the_whole_way_to_delivery(
    assessing, jira_engineer, contact, deliver_mail, support_manager
):
    first = finding(jira_engineer.user, assessing.pk, "critical")
    finding(jira_engineer.user, assessing.pk, "low")
    deliver_mail()
    mail.outbox.clear()
    delivered = check_actions.deliver_health_check(
        jira_engineer.user, assessing.pk, summary="Healthy, apart from memory."
    )
    assert delivered.status == HealthCheckStatus.DELIVERED
    page = Page.objects.get(
        organization=contact.organization, source=f"health_check:{first.health_check_id}"
    )
    assert page.kind == PageKind.HEALTH_CHECK_REPORT
    body = page.versions.get().body_markdown
    assert "1. Critical: Heap too small" in body
    assert "Healthy, apart from memory." in body
    deliver_mail()
    assert [m.to for m in mail.outbox] == [[contact.email]]
    done = check_actions.finish_finding(contact, assessing.pk, first.pk)
    assert (done.status, done.done_by) == (FindingStatus.DONE, contact)
    with pytest.raises(Conflict, match="already done"):
        check_actions.finish_finding(support_manager, assessing.pk, first.pk)
    assert AuditEntry.objects.filter(action="services.finding_done").count() == 1


def test_only_a_support_manager_schedules_with_a_skilled_engineer(
    check, support_manager, jira_engineer, other_engineer, products
):
    with pytest.raises(NotAllowed):
        check_actions.schedule_health_check(
            jira_engineer.user, check.pk, engineer=jira_engineer.user.email, agreed_date=AGREED
        )
    other_engineer.skills.set([products["confluence"]])
    with pytest.raises(Conflict, match="not skilled"):
        check_actions.schedule_health_check(
            support_manager, check.pk, engineer=other_engineer.user.email, agreed_date=AGREED
        )
    with pytest.raises(InvalidInput, match="in the past"):
        check_actions.schedule_health_check(
            support_manager,
            check.pk,
            engineer=jira_engineer.user.email,
            agreed_date=date(2026, 5, 1),
        )


def test_only_the_assigned_engineer_assesses(scheduled, other_engineer, jira_engineer):
    with pytest.raises(NotAllowed, match="Only the engineer assigned"):
        check_actions.start_assessment(other_engineer.user, scheduled.pk)
    with pytest.raises(Conflict, match="cannot take findings"):
        finding(jira_engineer.user, scheduled.pk)


def test_customers_see_findings_only_once_delivered(assessing, jira_engineer, contact):
    written = finding(jira_engineer.user, assessing.pk)
    with pytest.raises(NotFound):
        check_actions.finish_finding(contact, assessing.pk, written.pk)


def test_cancel_before_delivery(scheduled, contact, deliver_mail, jira_engineer):
    with pytest.raises(InvalidInput):
        check_actions.cancel_health_check(contact, scheduled.pk, reason="")
    cancelled = check_actions.cancel_health_check(contact, scheduled.pk, reason="Moved to Cloud")
    assert cancelled.status == HealthCheckStatus.CANCELLED
    with pytest.raises(Conflict):
        check_actions.start_assessment(jira_engineer.user, scheduled.pk)


# API ---------------------------------------------------------------------------------------


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_the_api_way(as_user, contact, support_manager, jira_engineer):
    customer, manager, engineer = (
        as_user(contact),
        as_user(support_manager),
        as_user(jira_engineer.user),
    )
    created = post(
        customer,
        "/api/v1/health-checks",
        {"sen": SEN, "product": "jira-software", "product_version": "10.3", "environment": "qa"},
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/health-checks/{created.json()['id']}"
    scheduled = post(
        manager,
        f"{url}/schedule",
        {"engineer": jira_engineer.user.email, "agreed_date": "2026-06-03"},
    )
    assert scheduled.json()["status"] == "scheduled", scheduled.content
    assert post(engineer, f"{url}/start").json()["status"] == "in_assessment"
    written = post(
        engineer,
        f"{url}/findings",
        {"severity": "medium", "title": "Old plugin", "evidence": "x", "recommendation": "y"},
    )
    assert written.status_code == 201
    assert customer.get(url).json()["findings"] == []  # not delivered yet
    assert post(engineer, f"{url}/deliver", {"summary": "Fine"}).json()["status"] == "delivered"
    fid = written.json()["id"]
    assert customer.get(url).json()["findings"][0]["id"] == fid
    assert post(customer, f"{url}/findings/{fid}/done").json()["status"] == "done"


def test_another_customer_reaches_nothing(as_user, assessing, jira_engineer, kestrel_contact):
    written = finding(jira_engineer.user, assessing.pk)
    client = as_user(kestrel_contact)
    url = f"/api/v1/health-checks/{assessing.pk}"
    assert client.get("/api/v1/health-checks").json()["count"] == 0
    assert client.get(url).status_code == 404
    assert post(client, f"{url}/findings/{written.pk}/done").status_code == 404
    assert post(client, f"{url}/cancel", {"reason": "x"}).status_code == 404
    assert post(client, f"{url}/start").status_code == 404
    assert post(client, f"{url}/deliver", {"summary": "x"}).status_code == 404
    assert (
        post(
            client,
            f"{url}/findings",
            {"severity": "low", "title": "t", "evidence": "e", "recommendation": "r"},
        ).status_code
        == 404
    )
    assert (
        post(
            client, f"{url}/schedule", {"engineer": "x@example.com", "agreed_date": "2026-06-03"}
        ).status_code
        == 403
    )


def test_the_list_takes_a_fixed_number_of_queries(
    as_user, contact, support_manager, jira_engineer, django_assert_max_num_queries
):
    for _ in range(3):
        check = request(contact)
        check_actions.schedule_health_check(
            support_manager, check.pk, engineer=jira_engineer.user.email, agreed_date=AGREED
        )
        check_actions.start_assessment(jira_engineer.user, check.pk)
        finding(jira_engineer.user, check.pk)
    client = as_user(support_manager)
    with django_assert_max_num_queries(7):
        body = client.get("/api/v1/health-checks").json()
    assert body["count"] == 3
    assert all(len(item["findings"]) == 1 for item in body["items"])


def test_an_engineer_on_leave_on_the_agreed_day_is_refused(check, support_manager, jira_engineer):
    # The agreed day in New York runs from 04:00 UTC that day to 04:00 UTC the next (EDT).
    day_in_new_york = datetime.combine(AGREED, time(4), tzinfo=UTC)
    Absence.objects.create(
        engineer=jira_engineer,
        starts_at=day_in_new_york + timedelta(hours=23),
        ends_at=day_in_new_york + timedelta(days=3),
    )
    with pytest.raises(Conflict, match="is absent on"):
        check_actions.schedule_health_check(
            support_manager, check.pk, engineer=jira_engineer.user.email, agreed_date=AGREED
        )
    Absence.objects.update(starts_at=day_in_new_york + timedelta(days=1))  # from the next day
    scheduled = check_actions.schedule_health_check(
        support_manager, check.pk, engineer=jira_engineer.user.email, agreed_date=AGREED
    )
    assert scheduled.engineer == jira_engineer


def test_participants_neither_read_nor_complete_findings(
    assessing, jira_engineer, participant, as_user
):
    """A participant of a ticket is none of the organization's contacts: the health check, its
    findings and the report are not theirs (services.rules, docs/access.md)."""
    written = finding(jira_engineer.user, assessing.pk)
    check_actions.deliver_health_check(jira_engineer.user, assessing.pk, summary="Fine.")
    with pytest.raises(NotFound):
        check_actions.finish_finding(participant, assessing.pk, written.pk)
    client = as_user(participant)
    assert client.get(f"/health-checks/{assessing.pk}/").status_code == 404
    assert client.get(f"/api/v1/health-checks/{assessing.pk}").status_code == 404
    assert client.get("/health-checks/").status_code == 403
    assert client.get("/api/v1/health-checks").json()["count"] == 0
