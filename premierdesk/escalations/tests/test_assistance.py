"""Priority developer assistance (docs/product/services.md#developer-assistance): staff ask the
product's developer team; the team's queue puts Premier first, then level, then age; the answer is
an internal event on the ticket's timeline; developers see their own teams' requests only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from premierdesk.audit.models import AuditEntry
from premierdesk.escalations import actions, queries
from premierdesk.escalations.models import AssistanceRequest
from premierdesk.escalations.tests.conftest import bare_ticket, select_license
from premierdesk.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from premierdesk.tickets import actions as ticket_actions
from premierdesk.tickets.models import EventKind, Visibility
from premierdesk.tickets.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def ask(user, key, **overrides):
    fields = {"question": "Is this KB-123?", "evidence": "thread dump", "urgency": "high"}
    return actions.ask_developers(user, key, actions.AssistanceInput(**{**fields, **overrides}))


def test_staff_ask_the_products_team_internally(ticket, engineer, jira_team, deliver_mail):
    asked = ask(engineer, ticket.key)
    assert asked.team == jira_team
    event = ticket.events.get(kind=EventKind.DEVELOPERS_ASKED)
    assert event.visibility == Visibility.INTERNAL
    assert AuditEntry.objects.filter(action="escalations.developers_asked").count() == 1
    deliver_mail()
    (message,) = [m for m in mail.outbox if "dev@premier.example" in m.to]
    assert "Is this KB-123?" in message.body


def test_customers_do_not_ask(ticket, contact, jira_team):
    with pytest.raises(NotAllowed, match="Only Premier Support staff"):
        ask(contact, ticket.key)


def test_a_developer_cannot_reach_the_ticket(ticket, developer, jira_team):
    with pytest.raises(NotFound):
        ask(developer, ticket.key)


def test_a_product_without_a_team_is_a_refusal(ticket, engineer, confluence_team):
    with pytest.raises(Conflict, match="No developer team looks after Jira Software"):
        ask(engineer, ticket.key)


def test_a_closed_ticket_needs_reopening(ticket, contact, engineer, jira_team):
    ticket_actions.transition(contact, ticket.key, to="resolved")
    with pytest.raises(Conflict, match="reopen it first"):
        ask(engineer, ticket.key)


@pytest.mark.parametrize(
    ("overrides", "field"), [({"urgency": "asap"}, "urgency"), ({"question": " "}, "question")]
)
def test_the_request_is_checked(ticket, engineer, jira_team, overrides, field):
    with pytest.raises(InvalidInput) as refusal:
        ask(engineer, ticket.key, **overrides)
    assert refusal.value.errors[0].field == field


def test_the_answer_is_an_internal_event_and_goes_to_the_asker(
    ticket, engineer, developer, jira_team, deliver_mail
):
    asked = ask(engineer, ticket.key)
    answered = actions.answer_request(developer, asked.pk, answer="Yes: apply the patch.")
    assert answered.answered_by == developer
    assert not answered.is_open
    event = ticket.events.get(kind=EventKind.DEVELOPERS_ANSWERED)
    assert event.visibility == Visibility.INTERNAL
    assert event.data["answer"] == "Yes: apply the patch."
    deliver_mail()
    assert any(engineer.email in m.to and "apply the patch" in m.body for m in mail.outbox)
    with pytest.raises(Conflict, match="was answered at"):
        actions.answer_request(developer, asked.pk, answer="Again.")


def test_only_the_team_answers(ticket, engineer, confluence_developer, jira_team, confluence_team):
    asked = ask(engineer, ticket.key)
    with pytest.raises(NotFound):  # another team's request is not theirs to see
        actions.answer_request(confluence_developer, asked.pk, answer="?")
    with pytest.raises(NotAllowed, match="Only members of Jira developers answer"):
        actions.answer_request(engineer, asked.pk, answer="?")


def test_an_empty_answer_is_refused(ticket, engineer, developer, jira_team):
    asked = ask(engineer, ticket.key)
    with pytest.raises(InvalidInput, match="Write the answer"):
        actions.answer_request(developer, asked.pk, answer="  ")


def test_customers_see_nothing_of_it(ticket, contact, other_customer, engineer, jira_team):
    asked = ask(engineer, ticket.key)
    for customer in (contact, other_customer):
        with pytest.raises(NotAllowed):
            queries.team_queue(customer)
        with pytest.raises(NotFound):
            queries.readable_request(customer, asked.pk)
        with pytest.raises(NotFound):
            actions.answer_request(customer, asked.pk, answer="x")


def test_developers_see_their_own_teams_queue_only(
    ticket, engineer, developer, confluence_developer, jira_team, confluence_team
):
    asked = ask(engineer, ticket.key)
    assert list(queries.team_queue(developer)) == [asked]
    assert list(queries.team_queue(confluence_developer)) == []
    with pytest.raises(NotFound, match="no developer team jira"):
        queries.team_queue(confluence_developer, team="jira")
    assert list(queries.team_queue(engineer, team="jira")) == [asked]
    assert list(queries.team_queue(engineer, team="confluence")) == []


# The queue's order ----------------------------------------------------------------------------


def _request(team, ticket, asker, minutes_ago):
    return AssistanceRequest.objects.create(
        ticket=ticket,
        team=team,
        asked_by=asker,
        asked_at=NOW - timedelta(minutes=minutes_ago),
        question="?",
    )


@pytest.fixture
def select(contact):
    return select_license(contact.organization_id)


def test_premier_first_then_level_then_age(license, select, contact, engineer, jira_team, products):
    product = products["jira-software"].pk

    def make(lic, level, minutes_ago):
        return _request(
            jira_team, bare_ticket(lic, product, contact, level, NOW), engineer, minutes_ago
        )

    select_l1_oldest = make(select, "L1", 500)
    premier_l3_old = make(license, "L3", 400)
    premier_l1_new = make(license, "L1", 10)
    premier_l1_old = make(license, "L1", 300)
    premier_l2 = make(license, "L2", 600)
    select_l2 = make(select, "L2", 700)
    expected = [
        premier_l1_old,
        premier_l1_new,
        premier_l2,
        premier_l3_old,
        select_l1_oldest,
        select_l2,
    ]
    assert list(queries.team_queue(engineer, team="jira")) == expected


def test_answered_requests_leave_the_queue(ticket, engineer, developer, jira_team):
    asked = ask(engineer, ticket.key)
    actions.answer_request(developer, asked.pk, answer="done")
    assert list(queries.team_queue(developer)) == []
    assert list(queries.team_queue(developer, open_only=False)) == [asked]


ROWS = st.lists(
    st.tuples(st.booleans(), st.sampled_from(["L1", "L2", "L3", "L4"]), st.integers(0, 10_000)),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS)
def test_the_queue_order_matches_its_definition(
    rows, license, select, contact, engineer, jira_team, products
):
    product = products["jira-software"].pk
    with transaction.atomic():
        made = []
        for premier, level, minutes_ago in rows:
            lic = license if premier else select
            ticket = bare_ticket(lic, product, contact, level, NOW)
            made.append(
                (
                    (not premier, level, -minutes_ago),
                    _request(jira_team, ticket, engineer, minutes_ago),
                )
            )
        expected = [r for _, r in sorted(made, key=lambda pair: (pair[0], pair[1].pk))]
        assert list(queries.team_queue(engineer, team="jira")) == expected
        transaction.set_rollback(True)


def test_developers_asked_read_the_ticket_and_its_internal_notes_but_change_nothing(
    ticket, engineer, developer, confluence_developer, jira_team, confluence_team, as_user
):
    ticket_actions.add_comment(engineer, ticket.key, body="Heap looks odd", internal=True)
    ask(engineer, ticket.key)
    client = as_user(developer)
    comments = client.get(f"/api/v1/tickets/{ticket.key}/comments")
    assert comments.status_code == 200
    assert "Heap looks odd" in comments.content.decode()
    page = client.get(f"/tickets/{ticket.key}/")
    assert page.status_code == 200
    assert "Heap looks odd" in page.content.decode()
    assert page.context["comment_form"] is None
    assert page.context["attachment_form"] is None
    refused = client.post(
        f"/api/v1/tickets/{ticket.key}/comments", {"body": "Try this"}, "application/json"
    )
    assert refused.status_code == 403
    assert "answer on its developer-assistance request" in refused.json()["detail"]
    assert ticket.comments.count() == 1
    # Another team's developer was not asked: the ticket does not exist for them.
    assert as_user(confluence_developer).get(f"/api/v1/tickets/{ticket.key}").status_code == 404
