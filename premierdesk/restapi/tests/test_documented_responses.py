"""Every operation of the OpenAPI document, called with valid inputs on the demo world as a
role that may use it, answers with a status the document lists and a body that validates
against the documented schema; and a sample of operations' errors (404, 422) do too."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import jsonschema
import pytest
from django.test import Client
from django.utils import timezone

from premierdesk.accounts.actions import create_api_token
from premierdesk.accounts.models import User
from premierdesk.api import api
from premierdesk.customers.models import NamedContact
from premierdesk.demo.tests import conftest as demo
from premierdesk.demo.world import DEMO_PASSWORD
from premierdesk.escalations.models import AssistanceRequest, CallbackRequest, Escalation
from premierdesk.feedback.models import Answer, Invitation
from premierdesk.notifications.models import OutboxMessage
from premierdesk.offices.models import Engineer, Handover
from premierdesk.services.models import Finding, HealthCheck, StandbyRequest
from premierdesk.spaces.models import Page
from premierdesk.tickets.models import Comment, Ticket

pytestmark = pytest.mark.django_db

ADMIN = "admin@premier.example"
SUPPORT_MANAGER = "support.manager@premier.example"
ESCALATION_MANAGER = "escalation@premier.example"
ENTERPRISE_MANAGER = "enterprise@premier.example"
DEVELOPER = "jira.dev@premier.example"
GRACE = "grace@northwind.example"  # a named contact of Northwind's Premier license
OLIVIA = "olivia.nguyen@premier.example"  # Sydney's lead, owner of Grace's open tickets
SEN = "SEN-4021937"


@dataclass
class Call:
    """One request: who asks (None: nobody signed in), where, and with what."""

    who: str | None
    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    raw: bytes | None = None  # a body sent as bytes (an attachment)
    wait: timedelta | None = None  # how long the clock moves on before the call


def first(queryset: Any) -> Any:
    """The first row, which the demo world has."""
    found = queryset.first()
    assert found is not None, queryset.query
    return found


def _office_on_duty() -> str:
    on_duty = send(Call(SUPPORT_MANAGER), "get", "/api/v1/on-duty").json()
    return on_duty["on_duty"][0]["office"]


def _skilled(health_check: HealthCheck) -> str:
    return first(Engineer.objects.filter(skills=health_check.product)).user.email


def ticket_of(opener: str, **filters: Any) -> Ticket:
    found = Ticket.objects.filter(opened_by__email=opener, **filters).order_by("pk").first()
    assert found is not None, (opener, filters)
    return found


def grace_ticket() -> Ticket:
    return ticket_of(GRACE, status="in_progress")


def later(**delta: Any) -> str:
    return (timezone.now() + timedelta(**delta)).isoformat()


def signed_in(email: str | None) -> Client:
    client = Client()
    if email is not None:
        client.force_login(User.objects.get(email=email))
    return client


def send(call: Call, method: str, template: str) -> Any:
    url = template.format(**call.path)
    if call.query:
        url += "?" + urlencode(call.query, doseq=True)
    client = signed_in(call.who)
    if call.raw is not None:
        return client.generic(method.upper(), url, call.raw, "application/octet-stream")
    if call.body is not None:
        return client.generic(method.upper(), url, json.dumps(call.body), "application/json")
    return client.generic(method.upper(), url)


def _survey_token() -> str:
    answered = Answer.objects.values("ticket_id")
    # The demo's history holds long-expired links too: take one that still works.
    invitation = (
        Invitation.objects.exclude(ticket_id__in=answered)
        .filter(expires_at__gte=timezone.now())
        .order_by("pk")
        .first()
    )
    assert invitation is not None
    mail = OutboxMessage.objects.get(event_key=f"feedback.invitation:{invitation.ticket_id}")
    found = re.search(r"/survey/([A-Za-z0-9_-]+)/", mail.body)
    assert found is not None
    return found.group(1)


def _token_id() -> dict[str, Any]:
    token, _ = create_api_token(User.objects.get(email=GRACE), "laptop")
    return {"token_id": token.pk}


def _draft_id() -> dict[str, Any]:
    # A participant (not a named contact) opening a ticket is refused; the draft is kept.
    response = send(Call("dan.dba@northwind.example", body=NEW_TICKET), "post", "/api/v1/tickets")
    assert response.status_code == 403, response.content
    return {"draft_id": response.json()["draft_id"]}


def _attachment() -> dict[str, Any]:
    ticket = grace_ticket()
    upload = Call(GRACE, {"key": ticket.key}, {"file_name": "notes.txt"}, raw=b"hello\n")
    response = send(upload, "post", "/api/v1/tickets/{key}/attachments")
    assert response.status_code == 201, response.content
    return {"key": ticket.key, "attachment_id": response.json()["id"]}


def _own_comment() -> dict[str, Any]:
    ticket = grace_ticket()
    comment = Comment.objects.filter(ticket=ticket, author__email=GRACE).first()
    if comment is None:
        response = send(
            Call(GRACE, {"key": ticket.key}, body={"body": "Any news?"}),
            "post",
            "/api/v1/tickets/{key}/comments",
        )
        comment = Comment.objects.get(pk=response.json()["id"])
    return {"key": ticket.key, "comment_id": comment.pk}


def _transition() -> dict[str, Any]:
    ticket = ticket_of(GRACE, status="in_progress", owner__email=OLIVIA)
    moves = send(Call(OLIVIA, {"key": ticket.key}), "get", "/api/v1/tickets/{key}/transitions")
    return {"key": ticket.key, "to": moves.json()["allowed"][0]}


def window(email: str) -> dict[str, Any]:
    found = NamedContact.objects.get(license__sen=SEN, person__email=email, status="approved")
    return {"sen": SEN, "window_id": found.pk}


def change(email: str) -> dict[str, Any]:
    """The demo's pending request for ``email``: an invitation, without an account yet."""
    return {"change_id": NamedContact.objects.get(invited_email=email, status="pending").pk}


def standby(status: str) -> dict[str, Any]:
    return {"standby_id": first(StandbyRequest.objects.filter(status=status)).pk}


def check(status: str) -> Any:
    return first(HealthCheck.objects.filter(status=status))


NEW_TICKET = {
    "sen": SEN,
    "product": "jira-software",
    "product_version": "10.3.2",
    "environment": "production",
    "level": "L2",
    "summary": "Boards load slowly",
    "description": "Since the upgrade every board takes 40 s.",
}

# (method, path) -> the call, built on the loaded world (inside the test's transaction).
CALLS: dict[tuple[str, str], Callable[[], Call]] = {
    ("post", "/api/v1/auth/token"): lambda: Call(
        None, body={"email": GRACE, "password": DEMO_PASSWORD, "name": "ci"}
    ),
    ("get", "/api/v1/auth/me"): lambda: Call(GRACE),
    ("get", "/api/v1/auth/tokens"): lambda: Call(GRACE, path=_token_id() and {}),
    ("delete", "/api/v1/auth/tokens/{token_id}"): lambda: Call(GRACE, _token_id()),
    ("get", "/api/v1/audit"): lambda: Call(ADMIN, query={"page_size": 5}),
    ("get", "/api/v1/organizations"): lambda: Call(ENTERPRISE_MANAGER),
    ("get", "/api/v1/organizations/{slug}"): lambda: Call(
        ENTERPRISE_MANAGER, {"slug": "northwind"}
    ),
    ("get", "/api/v1/licenses"): lambda: Call(ENTERPRISE_MANAGER),
    ("get", "/api/v1/licenses/{sen}"): lambda: Call(ENTERPRISE_MANAGER, {"sen": SEN}),
    ("get", "/api/v1/licenses/{sen}/named-contacts"): lambda: Call(
        ENTERPRISE_MANAGER, {"sen": SEN}, {"include_closed": "true"}
    ),
    ("post", "/api/v1/licenses/{sen}/named-contacts"): lambda: Call(
        ENTERPRISE_MANAGER,
        {"sen": SEN},
        body={"email": "new.person@northwind.example", "full_name": "New Person"},
    ),
    ("post", "/api/v1/licenses/{sen}/named-contacts/{window_id}/cover"): lambda: Call(
        ENTERPRISE_MANAGER,
        window(GRACE),
        body={
            "email": "dan.dba@northwind.example",
            "starts_at": later(days=7),
            "ends_at": later(days=14),
            "reason": "Grace is on leave",
        },
    ),
    ("delete", "/api/v1/licenses/{sen}/named-contacts/{window_id}"): lambda: Call(
        ENTERPRISE_MANAGER, window("omar@northwind.example"), {"reason": "Left the team"}
    ),
    ("get", "/api/v1/licenses/{sen}/slots"): lambda: Call(ENTERPRISE_MANAGER, {"sen": SEN}),
    ("get", "/api/v1/licenses/{sen}/contacts"): lambda: Call(ENTERPRISE_MANAGER, {"sen": SEN}),
    ("get", "/api/v1/named-contact-changes"): lambda: Call(ENTERPRISE_MANAGER),
    ("get", "/api/v1/named-contact-changes/{change_id}"): lambda: Call(
        ENTERPRISE_MANAGER, change("nora@northwind.example")
    ),
    ("post", "/api/v1/named-contact-changes/{change_id}/approve"): lambda: Call(
        ENTERPRISE_MANAGER, change("nora@northwind.example"), body={}
    ),
    ("post", "/api/v1/named-contact-changes/{change_id}/decline"): lambda: Call(
        ENTERPRISE_MANAGER, change("fiona@tasman.example"), body={"reason": "No slot"}
    ),
    ("post", "/api/v1/tickets"): lambda: Call(GRACE, body=NEW_TICKET),
    ("get", "/api/v1/tickets"): lambda: Call(GRACE, query={"status": ["in_progress"]}),
    ("get", "/api/v1/tickets/{key}"): lambda: Call(GRACE, {"key": grace_ticket().key}),
    ("get", "/api/v1/tickets/{key}/comments"): lambda: Call(GRACE, {"key": grace_ticket().key}),
    ("post", "/api/v1/tickets/{key}/comments"): lambda: Call(
        GRACE, {"key": grace_ticket().key}, body={"body": "Any news?"}
    ),
    ("patch", "/api/v1/tickets/{key}/comments/{comment_id}"): lambda: Call(
        GRACE, _own_comment(), body={"body": "Any news, please?"}
    ),
    ("get", "/api/v1/tickets/{key}/participants"): lambda: Call(GRACE, {"key": grace_ticket().key}),
    # Customers add colleagues who have an account; staff also invite someone new.
    ("post", "/api/v1/tickets/{key}/participants"): lambda: Call(
        OLIVIA,
        {"key": grace_ticket().key},
        body={"email": "new.colleague@northwind.example", "full_name": "New Colleague"},
    ),
    ("get", "/api/v1/tickets/{key}/attachments"): lambda: Call(GRACE, {"key": grace_ticket().key}),
    ("post", "/api/v1/tickets/{key}/attachments"): lambda: Call(
        GRACE, {"key": grace_ticket().key}, {"file_name": "notes.txt"}, raw=b"hello\n"
    ),
    ("get", "/api/v1/tickets/{key}/attachments/{attachment_id}"): lambda: Call(
        GRACE, _attachment()
    ),
    ("get", "/api/v1/tickets/{key}/calls"): lambda: Call(GRACE, {"key": grace_ticket().key}),
    ("post", "/api/v1/tickets/{key}/calls"): lambda: Call(
        OLIVIA,
        {"key": grace_ticket().key},
        body={
            "direction": "outbound",
            "phone_number": "+1 555 0100",
            "started_at": later(minutes=-30),
            "duration_minutes": 10,
        },
    ),
    ("get", "/api/v1/tickets/{key}/transitions"): lambda: Call(GRACE, {"key": grace_ticket().key}),
    ("post", "/api/v1/tickets/{key}/transitions"): lambda: (
        lambda t: Call(OLIVIA, {"key": t["key"]}, body={"to": t["to"], "reason": "ci"})
    )(_transition()),
    ("post", "/api/v1/tickets/{key}/level"): lambda: Call(
        OLIVIA, {"key": grace_ticket().key}, body={"level": "L3", "reason": "Workaround found"}
    ),
    ("post", "/api/v1/tickets/{key}/owner"): lambda: Call(
        SUPPORT_MANAGER,
        {"key": grace_ticket().key},
        body={"owner": "sanne.devries@premier.example", "reason": "Amsterdam takes it"},
    ),
    ("post", "/api/v1/tickets/{key}/follow-the-sun"): lambda: Call(
        SUPPORT_MANAGER,
        {"key": grace_ticket().key},
        body={"on": not grace_ticket().follow_the_sun, "reason": "Urgent"},
    ),
    ("get", "/api/v1/tickets/{key}/timeline"): lambda: Call(GRACE, {"key": grace_ticket().key}),
    ("get", "/api/v1/drafts"): lambda: Call(GRACE),
    ("get", "/api/v1/drafts/{draft_id}"): lambda: (lambda d: Call("dan.dba@northwind.example", d))(
        _draft_id()
    ),
    ("get", "/api/v1/tickets/{key}/sla"): lambda: Call(GRACE, {"key": grace_ticket().key}),
    ("get", "/api/v1/sla/attainment"): lambda: Call(SUPPORT_MANAGER, query={"by": "level"}),
    ("get", "/api/v1/offices"): lambda: Call(OLIVIA),
    ("get", "/api/v1/engineers"): lambda: Call(OLIVIA),
    ("get", "/api/v1/on-duty"): lambda: Call(OLIVIA, query={"at": later(hours=2)}),
    ("get", "/api/v1/coverage"): lambda: Call(
        SUPPORT_MANAGER, query={"from": "2026-06-15", "to": "2026-06-21"}
    ),
    ("get", "/api/v1/handovers"): lambda: Call(SUPPORT_MANAGER),
    ("post", "/api/v1/handovers/{handover_id}/acknowledge"): lambda: (
        lambda h: Call(h.to_owner.email, {"handover_id": h.pk})
    )(first(Handover.objects.filter(acknowledged_at=None).select_related("to_owner"))),
    ("post", "/api/v1/tickets/{key}/handover-note"): lambda: Call(
        OLIVIA,
        {"key": grace_ticket().key},
        body={"status": "Reproduced", "next_steps": "Ask for the thread dumps"},
    ),
    ("post", "/api/v1/offices/{slug}/close-early"): lambda: Call(
        SUPPORT_MANAGER, {"slug": _office_on_duty()}, body={"reason": "Power cut"}
    ),
    ("get", "/api/v1/spaces/{org}/pages"): lambda: Call(GRACE, {"org": "northwind"}),
    ("post", "/api/v1/spaces/{org}/pages"): lambda: Call(
        OLIVIA, {"org": "northwind"}, body={"title": "Restarting nodes", "body": "# Steps"}
    ),
    ("get", "/api/v1/spaces/{org}/pages/{slug}"): lambda: Call(
        GRACE, {"org": "northwind", "slug": "how-do-i"}
    ),
    ("put", "/api/v1/spaces/{org}/pages/{slug}"): lambda: (
        lambda page: Call(
            OLIVIA,
            {"org": "northwind", "slug": "how-do-i"},
            body={"title": page.title, "body": "Updated", "based_on_version": page.version},
        )
    )(Page.objects.get(organization__slug="northwind", slug="how-do-i")),
    ("get", "/api/v1/spaces/{org}/pages/{slug}/versions"): lambda: Call(
        GRACE, {"org": "northwind", "slug": "how-do-i"}
    ),
    ("get", "/api/v1/spaces/{org}/pages/{slug}/versions/{number}"): lambda: Call(
        GRACE, {"org": "northwind", "slug": "how-do-i", "number": 1}
    ),
    ("post", "/api/v1/standby-requests"): lambda: Call(
        GRACE,
        body={
            "sen": SEN,
            "product": "jira-software",
            "plan": "Upgrade to 10.4",
            "starts_at": "2026-07-25T09:00",
            "ends_at": "2026-07-25T15:00",
        },
    ),
    ("get", "/api/v1/standby-requests"): lambda: Call(SUPPORT_MANAGER),
    ("get", "/api/v1/standby-requests/{standby_id}"): lambda: Call(
        SUPPORT_MANAGER, standby("requested")
    ),
    ("post", "/api/v1/standby-requests/{standby_id}/confirm"): lambda: Call(
        SUPPORT_MANAGER, standby("requested"), body={"engineer": OLIVIA}
    ),
    ("post", "/api/v1/standby-requests/{standby_id}/decline"): lambda: Call(
        SUPPORT_MANAGER, standby("requested"), body={"reason": "Nobody free"}
    ),
    ("post", "/api/v1/standby-requests/{standby_id}/withdraw"): lambda: (
        lambda s: Call(s.requested_by.email, {"standby_id": s.pk}, body={"reason": "Moved"})
    )(StandbyRequest.objects.filter(status="requested").select_related("requested_by").get()),
    ("post", "/api/v1/health-checks"): lambda: Call(
        GRACE,
        body={
            "sen": SEN,
            "product": "confluence",
            "product_version": "9.2",
            "environment": "production",
        },
    ),
    ("get", "/api/v1/health-checks"): lambda: Call(SUPPORT_MANAGER),
    ("get", "/api/v1/health-checks/{check_id}"): lambda: Call(
        SUPPORT_MANAGER, {"check_id": check("delivered").pk}
    ),
    ("post", "/api/v1/health-checks/{check_id}/schedule"): lambda: Call(
        SUPPORT_MANAGER,
        {"check_id": check("requested").pk},
        body={"engineer": _skilled(check("requested")), "agreed_date": "2026-07-08"},
    ),
    ("post", "/api/v1/health-checks/{check_id}/start"): lambda: (
        lambda c: Call(c.engineer.user.email, {"check_id": c.pk})
    )(check("scheduled")),
    ("post", "/api/v1/health-checks/{check_id}/findings"): lambda: (
        lambda c: Call(
            c.engineer.user.email,
            {"check_id": c.pk},
            body={
                "severity": "high",
                "title": "Heap too small",
                "evidence": "GC pauses of 4 s",
                "recommendation": "Raise -Xmx to 8g",
            },
        )
    )(check("in_assessment")),
    ("post", "/api/v1/health-checks/{check_id}/findings/{finding_id}/done"): lambda: (
        lambda f: Call(
            f.health_check.engineer.user.email,
            {"check_id": f.health_check_id, "finding_id": f.pk},
        )
    )(first(Finding.objects.filter(done_at=None, health_check__status="delivered"))),
    ("post", "/api/v1/health-checks/{check_id}/deliver"): lambda: (
        lambda c: Call(
            c.engineer.user.email, {"check_id": c.pk}, body={"summary": "Healthy but tight"}
        )
    )(check("in_assessment")),
    ("post", "/api/v1/health-checks/{check_id}/cancel"): lambda: Call(
        SUPPORT_MANAGER, {"check_id": check("requested").pk}, body={"reason": "Not needed"}
    ),
    ("get", "/api/v1/escalations"): lambda: Call(ESCALATION_MANAGER, query={"open": "true"}),
    ("post", "/api/v1/escalations"): lambda: Call(
        GRACE,
        body={
            "ticket": ticket_of(GRACE, status="waiting_for_customer").key,
            "reason": "not_progressing",
        },
    ),
    ("get", "/api/v1/escalations/{escalation_id}"): lambda: Call(
        ESCALATION_MANAGER,
        {"escalation_id": first(Escalation.objects.all()).pk},
    ),
    ("post", "/api/v1/escalations/{escalation_id}/resolve"): lambda: (
        lambda e: Call(e.manager.email, {"escalation_id": e.pk}, body={"outcome": "Fixed"})
    )(first(Escalation.objects.filter(resolved_at=None))),
    ("get", "/api/v1/callbacks"): lambda: Call(SUPPORT_MANAGER),
    ("post", "/api/v1/callbacks"): lambda: Call(
        GRACE,
        body={
            "ticket": grace_ticket().key,
            "wants": "support_manager",
            "complaint": "No update for a day",
            "phone": "+1 555 0100",
        },
    ),
    ("get", "/api/v1/callbacks/{callback_id}"): lambda: Call(
        SUPPORT_MANAGER,
        {"callback_id": first(CallbackRequest.objects.all()).pk},
    ),
    ("post", "/api/v1/callbacks/{callback_id}/outcome"): lambda: (
        lambda c: Call(
            c.assignee.email,
            {"callback_id": c.pk},
            body={
                "called_back_at": (c.requested_at + timedelta(minutes=1)).isoformat(),
                "outcome": "Explained the plan",
            },
            wait=timedelta(minutes=10),
        )
    )(first(CallbackRequest.objects.filter(closed_at=None))),
    ("get", "/api/v1/developer-assistance"): lambda: Call(DEVELOPER, query={"team": "jira"}),
    ("post", "/api/v1/developer-assistance"): lambda: Call(
        OLIVIA,
        body={"ticket": grace_ticket().key, "question": "Is this a known bug?", "team": "jira"},
    ),
    ("get", "/api/v1/developer-assistance/{request_id}"): lambda: Call(
        DEVELOPER,
        {"request_id": first(AssistanceRequest.objects.filter(team__slug="jira")).pk},
    ),
    ("post", "/api/v1/developer-assistance/{request_id}/answer"): lambda: Call(
        DEVELOPER,
        {"request_id": AssistanceRequest.objects.get(team__slug="jira", answered_at=None).pk},
        body={"answer": "Yes: JRASERVER-1, fixed in 10.4"},
    ),
    ("get", "/api/v1/surveys/{token}"): lambda: Call(None, {"token": _survey_token()}),
    ("post", "/api/v1/surveys/{token}"): lambda: Call(
        None, {"token": _survey_token()}, body={"rating": 5, "went_well": "Quick"}
    ),
    ("get", "/api/v1/reports/{name}"): lambda: Call(
        SUPPORT_MANAGER, {"name": "volume"}, {"by": "level"}
    ),
}


# The demo tests' fixture: the world loaded once for this module, rolled back after it.
world_clock = demo.world_clock


@pytest.fixture
def world(world_clock):
    """The demo world at its load time; the clock, for a call that needs time to pass."""
    yield world_clock
    world_clock.move_to(demo.LOADED_AT)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()


def documented(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return document["paths"][path][method]["responses"]


def assert_matches_document(document: dict[str, Any], method: str, path: str, response) -> None:
    responses = documented(document, method, path)
    status = response.status_code
    assert status in responses or str(status) in responses, (
        f"{method.upper()} {path} answered {status}, documented {sorted(responses)}: "
        f"{response.content[:500]!r}"
    )
    content = (responses.get(status) or responses[str(status)]).get("content")
    if not content:
        return
    served_type = response["Content-Type"].split(";")[0]
    assert served_type in content, (method, path, status, served_type, list(content))
    schema = content[served_type]["schema"]
    jsonschema.validate(
        response.json(),
        {**schema, "components": document["components"]},
        cls=jsonschema.Draft202012Validator,
    )


def test_every_operation_has_a_call(document):
    operations = {(m, p) for p, ops in document["paths"].items() for m in ops}
    assert operations == set(CALLS)


@pytest.mark.parametrize(("method", "path"), list(CALLS), ids=lambda v: str(v))
def test_a_valid_call_answers_as_documented(world, document, method, path):
    call = CALLS[(method, path)]()
    if call.wait:
        world.shift(call.wait)
    response = send(call, method, path)
    assert response.status_code < 400, (
        f"{method.upper()} {path}: {response.status_code} {response.content[:600]!r}"
    )
    assert_matches_document(document, method, path, response)


def test_the_check_refuses_a_body_the_document_does_not_describe(document):
    class Served:
        status_code = 200

        def __getitem__(self, name: str) -> str:
            return "application/json"

        def json(self) -> Any:
            return {"email": 5}

    with pytest.raises(jsonschema.ValidationError):
        assert_matches_document(document, "get", "/api/v1/auth/me", Served())


NO_SUCH = 999_999

# (method, path, the call, the status it must answer): refusals of a sample of operations.
ERRORS: list[tuple[str, str, Callable[[], Call], int]] = [
    ("get", "/api/v1/tickets/{key}", lambda: Call(GRACE, {"key": f"PS-{NO_SUCH}"}), 404),
    (
        "get",
        "/api/v1/tickets/{key}",
        lambda: Call("alan@kestrel.example", {"key": grace_ticket().key}),
        404,
    ),
    ("get", "/api/v1/licenses/{sen}", lambda: Call(GRACE, {"sen": "SEN-0000000"}), 404),
    ("get", "/api/v1/health-checks/{check_id}", lambda: Call(GRACE, {"check_id": NO_SUCH}), 404),
    (
        "post",
        "/api/v1/escalations/{escalation_id}/resolve",
        lambda: Call(ESCALATION_MANAGER, {"escalation_id": NO_SUCH}, body={"outcome": "x"}),
        404,
    ),
    ("delete", "/api/v1/auth/tokens/{token_id}", lambda: Call(GRACE, {"token_id": NO_SUCH}), 404),
    (
        "get",
        "/api/v1/spaces/{org}/pages/{slug}",
        lambda: Call(GRACE, {"org": "kestrel", "slug": "how-do-i"}),
        404,
    ),
    ("get", "/api/v1/audit", lambda: Call(GRACE, query={"page": NO_SUCH}), 403),
    ("get", "/api/v1/auth/tokens", lambda: Call(GRACE, query={"page": NO_SUCH}), 404),
    ("post", "/api/v1/tickets", lambda: Call(GRACE, body={}), 422),
    (
        "post",
        "/api/v1/tickets/{key}/comments",
        lambda: Call(GRACE, {"key": grace_ticket().key}, body={"body": 5}),
        422,
    ),
    ("get", "/api/v1/on-duty", lambda: Call(OLIVIA, query={"at": "tomorrow"}), 422),
    ("get", "/api/v1/tickets", lambda: Call(GRACE, query={"status": "true"}), 422),
    (
        "post",
        "/api/v1/surveys/{token}",
        lambda: Call(None, {"token": _survey_token()}, body={"rating": 9}),
        422,
    ),
    ("post", "/api/v1/standby-requests", lambda: Call(GRACE, body={"sen": SEN}), 422),
    ("get", "/api/v1/reports/{name}", lambda: Call(SUPPORT_MANAGER, {"name": "nothing"}), 404),
    ("get", "/api/v1/auth/me", lambda: Call(None), 401),
    ("post", "/api/v1/auth/token", lambda: Call(None, body={"email": GRACE, "password": "x"}), 401),
]


@pytest.mark.parametrize(
    ("method", "path", "make", "status"), ERRORS, ids=lambda v: v if isinstance(v, str) else ""
)
def test_a_refusal_answers_as_documented(world, document, method, path, make, status):
    response = send(make(), method, path)
    assert response.status_code == status, response.content[:500]
    assert_matches_document(document, method, path, response)


def test_a_broken_body_and_a_wrong_method_answer_as_documented(world, document):
    client = signed_in(GRACE)
    key = grace_ticket().key
    path = "/api/v1/tickets/{key}/comments"
    broken = client.post(path.format(key=key), "{not json", content_type="application/json")
    assert broken.status_code in (400, 422)
    assert_matches_document(document, "post", path, broken)
    wrong = client.delete("/api/v1/auth/me")
    assert wrong.status_code == 405
    assert_matches_document(document, "get", "/api/v1/auth/me", wrong)
