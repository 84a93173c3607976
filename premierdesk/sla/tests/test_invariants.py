"""The SLA policy's own rules hold for any write that validates (``full_clean``), not only for
the admin form: one rule without conditions always remains, and the warnings and pauses name
real percentages, clocks and statuses."""

from __future__ import annotations

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from premierdesk.sla.models import CalendarRule, SlaPolicy
from premierdesk.sla.policy import ensure_defaults

pytestmark = pytest.mark.django_db
ONLY_FALLBACK = (
    "This is the only rule without conditions, the one every ticket falls back to; add "
    "another rule without conditions before giving this one conditions."
)


@pytest.fixture
def fallback():
    ensure_defaults()
    return CalendarRule.objects.get(level="", weekend_class="")


def test_the_only_fallback_rule_keeps_no_conditions(fallback):
    fallback.level = "L4"
    with pytest.raises(ValidationError) as refused:
        fallback.full_clean()
    assert refused.value.message_dict == {NON_FIELD_ERRORS: [ONLY_FALLBACK]}
    fallback.level = ""
    fallback.full_clean()  # as a fallback it is fine


def test_a_fallback_takes_conditions_once_another_exists(fallback):
    CalendarRule.objects.create(priority=2000, calendar=fallback.calendar)
    fallback.level = "L4"
    fallback.full_clean()
    assert fallback.conditions() == {"level": "L4"}


def test_other_rules_take_any_conditions(fallback):
    weekend = CalendarRule.objects.get(level="L1", weekend_class="l1")
    weekend.level = "L2"
    weekend.full_clean()
    new = CalendarRule(priority=5, calendar=fallback.calendar, level="L3")
    new.full_clean()


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("warning_percents", [75, 50], "rising percentages between 0 and 100"),
        ("warning_percents", [50, 100], "rising percentages between 0 and 100"),
        ("warning_percents", [50, 50], "rising percentages between 0 and 100"),
        ("warning_percents", [True], "rising percentages between 0 and 100"),
        ("warning_percents", {"50": 75}, "rising percentages between 0 and 100"),
        ("pausing", ["inactive"], "Give the statuses pausing each clock"),
        ("pausing", {"lunch": []}, "“lunch” is not a clock"),
        ("pausing", {"resolution": ["on_hold"]}, "“on_hold” is not a ticket status"),
        ("pausing", {"resolution": "on_hold"}, "“on_hold” is not a ticket status"),
    ],
)
def test_a_wrong_policy_is_refused_beside_its_field(field, value, said):
    ensure_defaults()
    policy = SlaPolicy.objects.get()
    setattr(policy, field, value)
    with pytest.raises(ValidationError) as refused:
        policy.full_clean()
    [message] = refused.value.message_dict[field]
    assert said in message
    assert list(refused.value.message_dict) == [field]


def test_the_default_policy_and_empty_lists_are_valid():
    ensure_defaults()
    policy = SlaPolicy.objects.get()
    policy.full_clean()
    policy.warning_percents, policy.pausing = [], {}
    policy.full_clean()
