"""Escalation pages: the panel and its forms on the ticket page, the console's escalations and
callbacks, the developers' queue, the Escalated badge in both ticket lists (without a query per
row), and isolation: another customer gets 404 on every page of Grace's ticket."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from premierdesk.escalations import actions
from premierdesk.escalations.models import AssistanceRequest, CallbackRequest, Escalation
from premierdesk.tickets import actions as ticket_actions
from premierdesk.tickets.tests.conftest import NOW
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db
CONSOLE = "/console/escalations/"
ASSIST = "/console/developer-assistance/"
CALLBACK = {"wants": "support_manager", "complaint": "Slow answers.", "phone": "+1 555 0100"}


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def panel(client, key: str) -> str:
    html = client.get(f"/tickets/{key}/").content.decode()
    return html.split('<section class="card" id="escalations"', 1)[1].split("</section>", 1)[0]


def test_the_customer_in_charge_gets_the_forms(as_user, ticket, contact, participant):
    html = panel(as_user(contact), ticket.key)
    assert "Not escalated." in html
    assert f'action="/tickets/{ticket.key}/escalate/"' in html
    assert f'action="/tickets/{ticket.key}/callback/"' in html
    assert "ask-developers" not in html
    assert "Developer assistance" not in html
    ticket_actions.add_participant(contact, ticket.key, email=participant.email)
    theirs = panel(as_user(participant), ticket.key)
    assert "escalate/" not in theirs
    assert "callback/" not in theirs


def test_staff_also_get_ask_the_developers(as_user, ticket, engineer):
    html = panel(as_user(engineer), ticket.key)
    for action in ("escalate", "callback", "ask-developers"):
        assert f'action="/tickets/{ticket.key}/{action}/"' in html


def test_escalating_from_the_ticket_page(as_user, ticket, contact, escalation_manager):
    client = as_user(contact)
    response = client.post(f"/tickets/{ticket.key}/escalate/", {"reason": "critical_bug"})
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/{ticket.key}/#escalations"
    html = panel(client, ticket.key)
    assert "Erin Escalation" in html
    assert "Escalated" in html
    assert "escalate/" not in html  # one open escalation: no second form


def test_a_refusal_shows_beside_the_form_once(as_user, ticket, contact, escalation_manager):
    client = as_user(contact)
    response = client.post(f"/tickets/{ticket.key}/escalate/", {"reason": "other", "details": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count("Say why you escalate the ticket.") == 1
    assert not Escalation.objects.exists()


def test_asking_for_a_callback_shows_its_state(as_user, ticket, contact, support_manager):
    client = as_user(contact)
    response = client.post(f"/tickets/{ticket.key}/callback/", {**CALLBACK, "preferred_times": ""})
    assert response.status_code == 302
    html = text(panel(client, ticket.key))
    assert "Sam Support (a support manager) calls +1 555 0100 by 2026-05-04" in html
    assert "Ask for a manager callback" not in html


def test_asking_the_developers_from_the_page(as_user, ticket, engineer, jira_team):
    client = as_user(engineer)
    data = {"question": "Known bug?", "evidence": "", "urgency": "high"}
    assert client.post(f"/tickets/{ticket.key}/ask-developers/", data).status_code == 302
    assert "Known bug?" in panel(client, ticket.key)


def test_a_customer_posting_ask_the_developers_is_refused(as_user, ticket, contact, jira_team):
    data = {"question": "Known bug?", "evidence": "", "urgency": "high"}
    response = as_user(contact).post(f"/tickets/{ticket.key}/ask-developers/", data)
    assert response.status_code == 403
    assert not AssistanceRequest.objects.exists()


def test_the_answer_never_reaches_a_customer_page(
    as_user, ticket, contact, engineer, developer, jira_team
):
    asked = actions.ask_developers(
        engineer, ticket.key, actions.AssistanceInput(question="Secret question")
    )
    actions.answer_request(developer, asked.pk, answer="Secret answer")
    staff_page = as_user(engineer).get(f"/tickets/{ticket.key}/").content.decode()
    assert "Jira developers answered: Secret answer" in text(staff_page)
    customer_page = as_user(contact).get(f"/tickets/{ticket.key}/").content.decode()
    for secret in ("Secret question", "Secret answer", "Jira developers"):
        assert secret not in customer_page
    assert as_user(contact).get(ASSIST).status_code == 403


def test_another_customer_gets_404_on_every_page(
    as_user,
    ticket,
    contact,
    engineer,
    other_customer,
    escalation_manager,
    support_manager,
    jira_team,
):
    escalation = actions.escalate(contact, ticket.key, reason="critical_bug")
    callback = actions.request_callback(contact, ticket.key, actions.CallbackInput(**CALLBACK))
    asked = actions.ask_developers(engineer, ticket.key, actions.AssistanceInput(question="?"))
    client = as_user(other_customer)
    assert client.get(f"/tickets/{ticket.key}/").status_code == 404
    for url, data in (
        (f"/tickets/{ticket.key}/escalate/", {"reason": "critical_bug"}),
        (f"/tickets/{ticket.key}/callback/", CALLBACK),
        (f"/tickets/{ticket.key}/ask-developers/", {"question": "?", "urgency": "low"}),
        (f"{CONSOLE}{escalation.pk}/resolve/", {"outcome": "x"}),
        (
            f"{CONSOLE}callbacks/{callback.pk}/outcome/",
            {"called_back_at": "2026-05-04T09:00", "outcome": "x"},
        ),
        (f"{ASSIST}{asked.pk}/answer/", {"answer": "x"}),
    ):
        response = client.post(url, data)
        assert response.status_code == 404, url
        assert ticket.summary not in response.content.decode()
    assert client.get(CONSOLE).status_code == 403
    assert client.get(ASSIST).status_code == 403


def test_the_console_lists_mine_first_and_resolves(
    as_user, contact, license, escalation_manager, second_escalation_manager
):
    first, second = open_ticket(contact, license.sen), open_ticket(contact, license.sen)
    erins = actions.escalate(contact, first.key, reason="critical_bug")
    elis = actions.escalate(contact, second.key, reason="not_progressing")
    client = as_user(second_escalation_manager)
    html = client.get(CONSOLE).content.decode()
    assert html.index(f'id="escalation-{elis.pk}"') < html.index(f'id="escalation-{erins.pk}"')
    # Not Eli's to resolve: the refusal comes back beside the row's form.
    refused = client.post(f"{CONSOLE}{erins.pk}/resolve/", {"outcome": "x"})
    assert refused.status_code == 403
    assert "resolved by its escalation manager, Erin Escalation" in refused.content.decode()
    done = client.post(f"{CONSOLE}{elis.pk}/resolve/", {"outcome": "Owner changed."})
    assert done.status_code == 302
    assert Escalation.objects.get(pk=elis.pk).outcome == "Owner changed."


def test_recording_a_callback_on_the_console(as_user, ticket, contact, support_manager, frozen):
    callback = actions.request_callback(contact, ticket.key, actions.CallbackInput(**CALLBACK))
    frozen.move_to(NOW + timedelta(hours=1))
    client = as_user(support_manager)
    assert f'id="callback-{callback.pk}"' in client.get(CONSOLE).content.decode()
    url = f"{CONSOLE}callbacks/{callback.pk}/outcome/"
    refused = client.post(url, {"called_back_at": "", "outcome": "ok"})
    assert refused.status_code == 400
    done = client.post(url, {"called_back_at": "2026-05-04T09:30", "outcome": "Calmed down."})
    assert done.status_code == 302
    closed = CallbackRequest.objects.get(pk=callback.pk)
    assert closed.called_back_at == NOW + timedelta(minutes=30)  # typed in UTC (their zone)
    assert f'id="callback-{callback.pk}"' not in client.get(CONSOLE).content.decode()


def test_the_developers_queue_page(
    as_user, ticket, engineer, developer, confluence_developer, jira_team, confluence_team
):
    asked = actions.ask_developers(engineer, ticket.key, actions.AssistanceInput(question="Q?"))
    html = as_user(developer).get(ASSIST).content.decode()
    assert f'id="request-{asked.pk}"' in html
    assert ticket.summary in html
    assert f'action="{ASSIST}{asked.pk}/answer/"' in html
    assert (
        f'id="request-{asked.pk}"' not in as_user(confluence_developer).get(ASSIST).content.decode()
    )
    assert as_user(confluence_developer).get(f"{ASSIST}?team=jira").status_code == 404
    staff = as_user(engineer).get(ASSIST).content.decode()
    assert f'id="request-{asked.pk}"' in staff
    assert "answer/" not in staff
    refused = as_user(developer).post(f"{ASSIST}{asked.pk}/answer/", {"answer": " "})
    assert refused.status_code == 422
    assert "Write the answer first." in refused.content.decode()
    done = as_user(developer).post(f"{ASSIST}{asked.pk}/answer/", {"answer": "KB-1"})
    assert done.status_code == 302
    assert AssistanceRequest.objects.get(pk=asked.pk).answer == "KB-1"


def _badged(html: str) -> set[str]:
    rows = re.findall(r'<tr id="row-(PS-\d+)">(.*?)</tr>', html, re.S)
    return {key for key, row in rows if 'class="badge escalated"' in row}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_escalated_tickets_are_badged_in_both_lists_without_a_query_per_row(
    as_user, contact, license, engineer, escalation_manager
):
    tickets = [open_ticket(contact, license.sen) for _ in range(3)]
    actions.escalate(contact, tickets[0].key, reason="critical_bug")
    lists = ((as_user(engineer), "/console/tickets/"), (as_user(contact), "/portal/tickets/"))
    before = []
    for client, url in lists:
        assert _badged(client.get(url).content.decode()) == {tickets[0].key}
        before.append(_queries(client, url))
    for _ in range(4):
        more = open_ticket(contact, license.sen)
        actions.escalate(contact, more.key, reason="not_progressing")
    for (client, url), count in zip(lists, before, strict=True):
        assert len(_badged(client.get(url).content.decode())) == 5
        assert _queries(client, url) == count


def test_the_callback_form_states_the_policys_hours(as_user, ticket, contact):
    from premierdesk.escalations.models import EscalationPolicy

    EscalationPolicy.objects.update_or_create(pk=1, defaults={"callback_response_hours": 2})
    assert "A manager calls you back within 2 hours." in panel(as_user(contact), ticket.key)
