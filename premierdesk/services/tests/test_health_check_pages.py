"""Health-check pages: requesting in the portal, each person's step on the check's page (the
manager schedules, the engineer assesses and delivers, the customer marks findings done),
refusals shown, and isolation from other customers."""

from __future__ import annotations

from datetime import date

import pytest

from premierdesk.services.actions import health_checks as check_actions
from premierdesk.services.models import Finding, FindingStatus, HealthCheck, HealthCheckStatus
from premierdesk.services.tests.conftest import SEN

pytestmark = pytest.mark.django_db


@pytest.fixture
def check(as_user, contact):
    response = as_user(contact).post(
        "/health-checks/",
        {
            "sen": SEN,
            "product": "jira-software",
            "product_version": "10.3.2",
            "environment": "staging",
            "instance_notes": "One node",
        },
    )
    assert response.status_code == 302, response.content.decode()
    return HealthCheck.objects.get()


def test_from_request_to_a_finding_done(as_user, check, contact, support_manager, jira_engineer):
    manager, engineer, customer = (
        as_user(support_manager),
        as_user(jira_engineer.user),
        as_user(contact),
    )
    url = f"/health-checks/{check.pk}/"
    page = manager.get(url).content.decode()
    assert "Sanne de Vries (Amsterdam)" in page  # the schedule form offers skilled engineers
    manager.post(
        f"{url}schedule/", {"engineer": jira_engineer.user.email, "agreed_date": "2026-06-03"}
    )
    assert "Start the assessment" in engineer.get(url).content.decode()
    engineer.post(f"{url}start/")
    engineer.post(
        f"{url}findings/",
        {"severity": "high", "title": "Heap", "evidence": "GC", "recommendation": "More RAM"},
    )
    assert "Heap" not in customer.get(url).content.decode()  # not delivered yet
    engineer.post(f"{url}deliver/", {"summary": "Mostly fine."})
    check.refresh_from_db()
    assert check.status == HealthCheckStatus.DELIVERED
    finding = Finding.objects.get()
    page = customer.get(url).content.decode()
    assert "Heap" in page
    assert "Mark done" in page
    customer.post(f"{url}findings/{finding.pk}/done/")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DONE


def test_a_refused_step_is_shown(as_user, check, support_manager, jira_engineer, other_engineer):
    check_actions.schedule_health_check(
        support_manager, check.pk, engineer=jira_engineer.user.email, agreed_date=date(2026, 6, 3)
    )
    response = as_user(other_engineer.user).post(f"/health-checks/{check.pk}/start/")
    assert response.status_code == 403
    assert f"Only the engineer assigned to {check.key}" in response.content.decode()


def test_a_refused_form_keeps_what_was_typed(as_user, check, contact):
    response = as_user(contact).post(f"/health-checks/{check.pk}/cancel/", {"reason": ""})
    assert response.status_code == 422  # the refusal's status
    assert "Say why the health check is cancelled." in response.content.decode()


def test_another_customer_sees_nothing(as_user, check, kestrel_contact):
    client = as_user(kestrel_contact)
    assert check.key not in client.get("/health-checks/").content.decode()
    assert client.get(f"/health-checks/{check.pk}/").status_code == 404
    assert client.post(f"/health-checks/{check.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert client.get("/console/health-checks/").status_code == 403


def test_the_lists_take_a_fixed_number_of_queries(
    as_user, check, contact, support_manager, django_assert_max_num_queries
):
    for _ in range(3):
        check_actions.request_health_check(
            contact,
            check_actions.HealthCheckInput(
                sen=SEN, product="jira-software", product_version="10", environment="qa"
            ),
        )
    customer, manager = as_user(contact), as_user(support_manager)
    # A fixed number whatever the rows: 7, and twice the check that the reader is one of the
    # organization's contacts (services.rules: participants read no services).
    with django_assert_max_num_queries(14):
        customer.get("/health-checks/")
    with django_assert_max_num_queries(5):
        manager.get("/console/health-checks/")
