"""The Premier services rules, each pair checked once where it lives, for every role
(``services.rules``): who reads and asks for standby and health checks, who confirms,
declines and withdraws standby, and who does each step of a health check."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from premierdesk.lib.errors import Conflict, NotAllowed, NotFound
from premierdesk.services import rules
from premierdesk.services.actions import health_checks as check_actions
from premierdesk.services.actions import standby as standby_actions
from premierdesk.services.models import HealthCheck, StandbyRequest
from premierdesk.tickets.tests import roles
from premierdesk.tickets.tests.roles import (
    CUSTOMERS,
    NOW,
    ROLES,
    SEN,
    assert_pair,
    only,
)

pytestmark = pytest.mark.django_db
world = roles.world

VENDOR = set(ROLES) - CUSTOMERS
READERS = (set(ROLES) - {"participant", "developer"}, "are read by Premier Support and by")
MANAGERS = {"support_manager", "administrator"}
ASSESSORS = {"support_engineer"} | MANAGERS


def _standby(world) -> StandbyRequest:
    fields = standby_actions.StandbyInput(
        sen=SEN,
        product="jira-software",
        plan="Upgrade to 10.4",
        starts_at=datetime(2026, 6, 13, 9, 0, tzinfo=UTC),  # a Saturday, 40 days ahead
        ends_at=datetime(2026, 6, 13, 12, 0, tzinfo=UTC),
    )
    return standby_actions.request_standby(world["named_contact"], fields)


def _check(world, *, until: str = "requested") -> HealthCheck:
    fields = check_actions.HealthCheckInput(
        sen=SEN, product="jira-software", product_version="10.3", environment="qa"
    )
    check = check_actions.request_health_check(world["named_contact"], fields)
    steps = ["scheduled", "in_assessment", "delivered"]
    manager = world["support_manager"]
    if until in steps:
        check = check_actions.schedule_health_check(
            manager,
            check.pk,
            engineer=world["support_engineer"].email,
            agreed_date=date(2026, 5, 11),
        )
    if until in steps[1:]:
        check = check_actions.start_assessment(manager, check.pk)
        finding = check_actions.FindingInput("high", "Heap too small", "GC logs", "Raise it")
        check_actions.add_finding(manager, check.pk, finding)
    if until == "delivered":
        check = check_actions.deliver_health_check(manager, check.pk, summary="Mostly fine.")
    return HealthCheck.objects.get(pk=check.pk)


@pytest.mark.parametrize(
    ("role", "expected"),
    only(READERS[0], (NotAllowed, f"Weekend standby requests {READERS[1]}")),
)
def test_read_standby(world, role, expected):
    user = world[role]
    assert_pair(
        expected, lambda: rules.may_read_standby(user), lambda: rules.require_read_standby(user)
    )


@pytest.mark.parametrize(
    ("role", "expected"), only(READERS[0], (NotAllowed, f"Health checks {READERS[1]}"))
)
def test_read_health_checks(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_read_health_checks(user),
        lambda: rules.require_read_health_checks(user),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        {"named_contact"},
        (NotAllowed, "Weekend standby is asked for by the customer's named contacts."),
        participant=(NotAllowed, "licenses can ask for weekend standby"),
    ),
)
def test_ask_for_standby(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_request_standby(user, NOW),
        lambda: rules.require_request_standby(user, NOW),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        {"named_contact"},
        (NotAllowed, "A health check is asked for by the customer's named contacts."),
        participant=(NotAllowed, "licenses can request health checks"),
    ),
)
def test_ask_for_a_health_check(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_request_health_check(user, NOW),
        lambda: rules.require_request_health_check(user, NOW),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(MANAGERS, (NotAllowed, "Only a support manager can confirm weekend standby.")),
)
def test_confirm_standby(world, role, expected):
    standby, user = _standby(world), world[role]
    assert_pair(
        expected,
        lambda: rules.may_confirm_standby(user, standby, NOW),
        lambda: rules.require_confirm_standby(user, standby, NOW),
    )
    assert rules.is_service_manager(user) is (expected is True)


def test_standby_is_confirmed_once_and_before_it_begins(world):
    manager, standby = world["support_manager"], _standby(world)
    begun = NOW + timedelta(days=40)
    assert_pair(
        (Conflict, f"Standby {standby.key} has already begun; it can no longer be confirmed."),
        lambda: rules.may_confirm_standby(manager, standby, begun),
        lambda: rules.require_confirm_standby(manager, standby, begun),
    )
    engineer = world["support_engineer"].email
    confirmed = standby_actions.confirm_standby(manager, standby.pk, engineer=engineer)
    assert_pair(
        (Conflict, f"Standby {standby.key} is confirmed."),
        lambda: rules.may_confirm_standby(manager, confirmed, NOW),
        lambda: rules.require_confirm_standby(manager, confirmed, NOW),
    )
    assert rules.may_decline_standby(manager, confirmed, NOW)  # best effort: it may fall through


@pytest.mark.parametrize(
    ("role", "expected"),
    only(MANAGERS, (NotAllowed, "Only a support manager can decline weekend standby.")),
)
def test_decline_standby(world, role, expected):
    standby, user = _standby(world), world[role]
    assert_pair(
        expected,
        lambda: rules.may_decline_standby(user, standby, NOW),
        lambda: rules.require_decline_standby(user, standby, NOW),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only({"named_contact"}, (NotAllowed, "Only Grace Hopper, who asked for SB-")),
)
def test_withdraw_standby(world, role, expected):
    standby, user = _standby(world), world[role]
    assert_pair(
        expected,
        lambda: rules.may_withdraw_standby(user, standby, NOW),
        lambda: rules.require_withdraw_standby(user, standby, NOW),
    )


def test_a_withdrawn_standby_is_not_withdrawn_again(world):
    grace = world["named_contact"]
    withdrawn = standby_actions.withdraw_standby(grace, _standby(world).pk)
    assert_pair(
        (Conflict, f"Standby {withdrawn.key} is withdrawn."),
        lambda: rules.may_withdraw_standby(grace, withdrawn, NOW),
        lambda: rules.require_withdraw_standby(grace, withdrawn, NOW),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(MANAGERS, (NotAllowed, "Only a support manager can schedule health checks.")),
)
def test_schedule_a_health_check(world, role, expected):
    check, user = _check(world), world[role]
    assert_pair(
        expected,
        lambda: rules.may_schedule_health_check(user, check),
        lambda: rules.require_schedule_health_check(user, check),
    )


def test_a_check_in_assessment_is_not_scheduled_again(world):
    check, manager = _check(world, until="in_assessment"), world["support_manager"]
    assert_pair(
        (Conflict, f"{check.key} is in assessment; it cannot be scheduled now."),
        lambda: rules.may_schedule_health_check(manager, check),
        lambda: rules.require_schedule_health_check(manager, check),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(ASSESSORS, (NotAllowed, "can start its assessment.")),
)
def test_start_the_assessment(world, role, expected):
    check, user = _check(world, until="scheduled"), world[role]
    assert_pair(
        expected,
        lambda: rules.may_start_assessment(user, check),
        lambda: rules.require_start_assessment(user, check),
    )
    assert rules.may_assess(user, check) is (expected is True)


def test_an_assessment_starts_once(world):
    check, engineer = _check(world, until="in_assessment"), world["support_engineer"]
    assert_pair(
        (Conflict, "is in assessment; it cannot start its assessment now."),
        lambda: rules.may_start_assessment(engineer, check),
        lambda: rules.require_start_assessment(engineer, check),
    )


@pytest.mark.parametrize(
    ("role", "expected"), only(ASSESSORS, (NotAllowed, "can write its findings."))
)
def test_add_a_finding(world, role, expected):
    check, user = _check(world, until="in_assessment"), world[role]
    assert_pair(
        expected,
        lambda: rules.may_add_finding(user, check),
        lambda: rules.require_add_finding(user, check),
    )


@pytest.mark.parametrize(
    ("role", "expected"), only(ASSESSORS, (NotAllowed, "can deliver its report."))
)
def test_deliver_the_report(world, role, expected):
    check, user = _check(world, until="in_assessment"), world[role]
    assert_pair(
        expected,
        lambda: rules.may_deliver_health_check(user, check),
        lambda: rules.require_deliver_health_check(user, check),
    )


def test_a_check_not_yet_assessed_takes_no_findings_and_no_report(world):
    check, engineer = _check(world, until="scheduled"), world["support_engineer"]
    assert_pair(
        (Conflict, "is scheduled; it cannot take findings now."),
        lambda: rules.may_add_finding(engineer, check),
        lambda: rules.require_add_finding(engineer, check),
    )
    assert_pair(
        (Conflict, "is scheduled; it cannot be delivered now."),
        lambda: rules.may_deliver_health_check(engineer, check),
        lambda: rules.require_deliver_health_check(engineer, check),
    )


# Of a check the person reads (developers and participants read none): vendor staff mark a
# finding done as it is written, the customer once the report is delivered.
@pytest.mark.parametrize(("role", "expected"), only(VENDOR, (NotFound, "has no finding")))
def test_mark_a_finding_done_before_the_report(world, role, expected):
    check, user = _check(world, until="in_assessment"), world[role]
    finding = check.findings.get()
    assert_pair(
        expected,
        lambda: rules.may_finish_finding(user, check, finding),
        lambda: rules.require_finish_finding(user, check, finding.pk, finding),
    )


@pytest.mark.parametrize(("role", "expected"), only(set(ROLES), (NotFound, "")))
def test_mark_a_finding_done_once_the_report_is_delivered(world, role, expected):
    check, user = _check(world, until="delivered"), world[role]
    finding = check.findings.get()
    assert_pair(
        expected,
        lambda: rules.may_finish_finding(user, check, finding),
        lambda: rules.require_finish_finding(user, check, finding.pk, finding),
    )


def test_a_finding_is_done_once(world):
    check = _check(world, until="delivered")
    finding = check.findings.get()
    check_actions.finish_finding(world["named_contact"], check.pk, finding.pk)
    finding.refresh_from_db()
    assert_pair(
        (Conflict, f"Finding {finding.pk} of {check.key} is already done."),
        lambda: rules.may_finish_finding(world["support_engineer"], check, finding),
        lambda: rules.require_finish_finding(world["support_engineer"], check, finding.pk, finding),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        MANAGERS | {"named_contact"},
        (NotAllowed, "Only a support manager can cancel health checks."),
        participant=(NotAllowed, f"Only the named contacts of {SEN} can cancel health checks"),
    ),
)
def test_cancel_a_health_check(world, role, expected):
    check, user = _check(world, until="scheduled"), world[role]
    assert_pair(
        expected,
        lambda: rules.may_cancel_health_check(user, check, NOW),
        lambda: rules.require_cancel_health_check(user, check, NOW),
    )


def test_a_delivered_check_is_not_cancelled(world):
    check, grace = _check(world, until="delivered"), world["named_contact"]
    assert_pair(
        (Conflict, "is delivered; it cannot be cancelled now."),
        lambda: rules.may_cancel_health_check(grace, check, NOW),
        lambda: rules.require_cancel_health_check(grace, check, NOW),
    )


def test_a_service_is_asked_for_under_a_license_valid_on_its_days(world):
    license = world.license  # valid 2026-01-01 to 2027-12-31
    rules.require_valid_on(license, date(2027, 12, 30), date(2027, 12, 31), "the weekend")
    with pytest.raises(Conflict, match=r"it does not cover the weekend\. Renew it first\."):
        rules.require_valid_on(license, date(2027, 12, 31), date(2028, 1, 1), "the weekend")


@pytest.mark.parametrize("role", ROLES)
def test_the_engineer_and_office_feeds_are_for_vendor_roles_that_read_standby(world, role):
    readers = {"support_engineer", "enterprise_manager", "escalation_manager"} | MANAGERS
    assert rules.may_read_staff_feeds(world[role]) is (role in readers)
