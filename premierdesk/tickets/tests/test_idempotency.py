"""Writes a client retries are made once: opening a ticket, commenting and attaching with an
``Idempotency-Key`` (the API) or the key a page's form carries answer a retry, or a
double-click, with the first result; a failure after a write says the outcome is unknown."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import OperationalError

from premierdesk.audit.models import AuditEntry
from premierdesk.jobs.schedule import REGISTRY
from premierdesk.notifications.models import OutboxMessage
from premierdesk.tickets import actions
from premierdesk.tickets.idempotency import RequestKey
from premierdesk.tickets.models import Attachment, Comment, Draft, IdempotencyKey, Ticket
from premierdesk.tickets.tasks import forget_idempotency_keys
from premierdesk.tickets.tests.conftest import SEN
from premierdesk.tickets.tests.factories import ticket_fields
from premierdesk.tickets.tests.test_pages import HTMX, OPEN, form_data

pytestmark = pytest.mark.django_db

NEW_TICKET = {
    "sen": SEN,
    "product": "jira-software",
    "product_version": "10.3.2",
    "environment": "production",
    "level": "L2",
    "summary": "Boards load slowly",
    "description": "Every board takes 40 s.",
}


def post(client, url: str, data: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, data, content_type="application/json", headers=headers)


def upload(client, ticket, content: bytes, key: str):
    return client.post(
        f"/api/v1/tickets/{ticket.key}/attachments?file_name=gc.log",
        content,
        content_type="application/octet-stream",
        headers={"Idempotency-Key": key},
    )


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# The API -------------------------------------------------------------------------------------


def test_opening_a_ticket_twice_with_one_key_opens_one_ticket(as_user, contact):
    client = as_user(contact)
    first = post(client, "/api/v1/tickets", NEW_TICKET, key="open-7f3a")
    again = post(client, "/api/v1/tickets", NEW_TICKET, key="open-7f3a")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Ticket.objects.count() == 1
    assert AuditEntry.objects.filter(action="tickets.opened").count() == 1


def test_without_a_key_each_request_is_its_own_write(as_user, contact):
    client = as_user(contact)
    post(client, "/api/v1/tickets", NEW_TICKET)
    post(client, "/api/v1/tickets", NEW_TICKET)
    assert Ticket.objects.count() == 2


def test_a_key_used_for_another_request_is_refused(as_user, contact):
    client = as_user(contact)
    post(client, "/api/v1/tickets", NEW_TICKET, key="k-1")
    other = post(client, "/api/v1/tickets", {**NEW_TICKET, "summary": "Other"}, key="k-1")
    assert other.status_code == 422
    body = other.json()
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert "was already used for another request of yours" in body["detail"]
    assert Ticket.objects.count() == 1
    assert not Draft.objects.exists()  # a client's key mistake is not a ticket to keep


def test_a_malformed_key_is_refused(as_user, contact):
    response = post(as_user(contact), "/api/v1/tickets", NEW_TICKET, key="x" * 256)
    assert response.status_code == 422
    assert "1 to 255 visible ASCII characters" in response.json()["detail"]
    assert not Ticket.objects.exists()


def test_a_refused_write_leaves_its_key_free(as_user, contact):
    client = as_user(contact)
    refused = post(client, "/api/v1/tickets", {**NEW_TICKET, "level": "L9"}, key="k-2")
    assert refused.status_code == 422
    assert post(client, "/api/v1/tickets", NEW_TICKET, key="k-2").status_code == 201
    assert Ticket.objects.count() == 1


def test_a_comment_retried_with_its_key_is_added_once(as_user, ticket, contact, engineer):
    client = as_user(engineer)
    url = f"/api/v1/tickets/{ticket.key}/comments"
    first = post(client, url, {"body": "Logs attached."}, key="c-1")
    again = post(client, url, {"body": "Logs attached."}, key="c-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert Comment.objects.filter(ticket=ticket).count() == 1
    mail = OutboxMessage.objects.filter(event_key__startswith="tickets.comment:")
    assert mail.count() == 1


def test_keys_are_per_person(as_user, ticket, contact, engineer):
    url = f"/api/v1/tickets/{ticket.key}/comments"
    post(as_user(contact), url, {"body": "Same words"}, key="shared")
    post(as_user(engineer), url, {"body": "Same words"}, key="shared")
    assert Comment.objects.filter(ticket=ticket).count() == 2


def test_an_attachment_retried_with_its_key_is_stored_once(
    as_user, ticket, contact, attachments_dir
):
    client = as_user(contact)
    first = upload(client, ticket, b"GC overhead\n", key="a-1")
    again = upload(client, ticket, b"GC overhead\n", key="a-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Attachment.objects.count() == 1
    assert len(files_under(attachments_dir)) == 1


def test_a_retry_stored_before_the_first_was_recorded_keeps_one_file(
    ticket, contact, attachments_dir, monkeypatch
):
    """Both uploads got past the first look while neither was recorded: the second to record
    finds the first and removes its own copy."""
    first = actions.attach(
        contact, ticket.key, file_name="gc.log", chunks=[b"x"], request_key=RequestKey("a-2")
    )
    monkeypatch.setattr("premierdesk.tickets.actions.earlier", lambda *args: None)
    key = RequestKey("a-2")
    again = actions.attach(contact, ticket.key, file_name="gc.log", chunks=[b"x"], request_key=key)
    assert again == first
    assert key.replayed
    assert Attachment.objects.count() == 1
    assert files_under(attachments_dir) == [attachments_dir / first.storage_name]


def test_a_failure_after_the_write_does_not_claim_nothing_changed(
    as_user, ticket, contact, monkeypatch
):
    """The database went away after the comment committed: the answer cannot know that."""

    def connection_lost(comment):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("premierdesk.tickets.api.comment_out", connection_lost)
    client = as_user(contact)
    client.raise_request_exception = False
    url = f"/api/v1/tickets/{ticket.key}/comments"
    response = post(client, url, {"body": "Restarted node 2."}, key="c-9")
    assert response.status_code == 500
    detail = response.json()["detail"]
    assert "nothing was changed" not in detail
    assert "may or may not have been carried out" in detail
    assert "Idempotency-Key" in detail
    assert Comment.objects.filter(ticket=ticket).count() == 1  # it was, in fact, added

    monkeypatch.undo()
    retried = post(client, url, {"body": "Restarted node 2."}, key="c-9")
    assert retried.status_code == 201
    assert retried["Idempotent-Replayed"] == "true"
    assert Comment.objects.filter(ticket=ticket).count() == 1


def test_the_openapi_documents_the_header(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/tickets", "/api/v1/tickets/{key}/comments"):
        names = [p["name"] for p in schema["paths"][path]["post"]["parameters"]]
        assert "Idempotency-Key" in names, path
    upload_params = schema["paths"]["/api/v1/tickets/{key}/attachments"]["post"]["parameters"]
    assert "Idempotency-Key" in [p["name"] for p in upload_params]


# The pages -----------------------------------------------------------------------------------


def hidden_key(html: str) -> str:
    found = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html)
    assert found, "the form carries no key"
    return found.group(1)


def test_each_opening_form_shown_carries_a_new_key(as_user, contact):
    client = as_user(contact)
    first = hidden_key(client.get(OPEN).content.decode())
    second = hidden_key(client.get(OPEN).content.decode())
    assert first != second


def test_the_opening_form_sent_twice_opens_one_ticket(as_user, contact):
    client = as_user(contact)
    data = {**form_data(), "idempotency_key": hidden_key(client.get(OPEN).content.decode())}
    first = client.post(OPEN, data, **HTMX)
    again = client.post(OPEN, data, **HTMX)
    ticket = Ticket.objects.get()
    assert first["HX-Redirect"] == again["HX-Redirect"] == f"/tickets/{ticket.key}/"


def test_a_refused_form_keeps_its_key_for_the_corrected_request(as_user, contact):
    client = as_user(contact)
    key = hidden_key(client.get(OPEN).content.decode())
    refused = client.post(
        OPEN, {**form_data(level="L1", environment="staging"), "idempotency_key": key}
    )
    assert refused.status_code == 422
    assert hidden_key(refused.content.decode()) == key
    corrected = client.post(OPEN, {**form_data(level="L1"), "idempotency_key": key})
    assert corrected.status_code == 302
    assert Ticket.objects.count() == 1


def test_a_refused_form_sent_twice_keeps_one_draft(as_user, contact):
    """A double-click on a form that is refused: both answers name the one draft."""
    client = as_user(contact)
    key = hidden_key(client.get(OPEN).content.decode())
    data = {**form_data(level="L1", environment="staging"), "idempotency_key": key}
    first = client.post(OPEN, data)
    again = client.post(OPEN, data)
    assert (first.status_code, again.status_code) == (422, 422)
    (draft,) = Draft.objects.filter(author=contact)
    assert f"#draft-{draft.pk}" in first.content.decode()
    assert f"#draft-{draft.pk}" in again.content.decode()
    assert AuditEntry.objects.filter(action="tickets.draft_kept").count() == 1


def test_a_refused_form_corrected_and_refused_again_keeps_the_text_last_sent(as_user, contact):
    client = as_user(contact)
    key = hidden_key(client.get(OPEN).content.decode())
    refused = form_data(level="L1", environment="staging")
    client.post(OPEN, {**refused, "summary": "First try", "idempotency_key": key})
    client.post(OPEN, {**refused, "summary": "Second try", "idempotency_key": key})
    (draft,) = Draft.objects.filter(author=contact)
    assert draft.fields["summary"] == "Second try"
    kept = AuditEntry.objects.filter(action="tickets.draft_kept").order_by("id")
    assert [entry.changes.get("fields", [{}])[0].get("summary") for entry in kept] == [
        None,
        "First try",
    ]


def test_refused_requests_without_a_key_each_keep_a_draft(as_user, participant):
    client = as_user(participant)
    post(client, "/api/v1/tickets", NEW_TICKET)
    post(client, "/api/v1/tickets", NEW_TICKET)
    assert Draft.objects.filter(author=participant).count() == 2


def test_an_old_form_sent_with_other_text_is_told_to_reload(as_user, ticket, contact):
    client = as_user(contact)
    url = f"/tickets/{ticket.key}/comments/"
    key = hidden_key(client.get(f"/tickets/{ticket.key}/").content.decode())
    client.post(url, {"body": "First", "idempotency_key": key})
    stale = client.post(url, {"body": "Second", "idempotency_key": key}, **HTMX)
    assert stale.status_code == 422
    assert "This form was already sent, with other content. Reload the page" in (
        stale.content.decode()
    )
    assert Comment.objects.filter(ticket=ticket).count() == 1


def test_the_comment_form_sent_twice_adds_one_comment(as_user, ticket, contact):
    client = as_user(contact)
    page = client.get(f"/tickets/{ticket.key}/").content.decode()
    data = {"body": "We restarted node 2.", "idempotency_key": hidden_key(page)}
    url = f"/tickets/{ticket.key}/comments/"
    first, again = client.post(url, data, **HTMX), client.post(url, data, **HTMX)
    assert (first.status_code, again.status_code) == (200, 200)
    assert Comment.objects.filter(ticket=ticket).count() == 1
    # The fresh form after the comment carries a new key for the next one.
    assert hidden_key(first.content.decode()) != data["idempotency_key"]


# Forgetting ----------------------------------------------------------------------------------


def test_keys_are_forgotten_after_a_day(contact, license, frozen):
    actions.open_ticket(contact, ticket_fields(license.sen), key=RequestKey("old"))
    frozen.shift(timedelta(hours=23))
    actions.open_ticket(contact, ticket_fields(license.sen, summary="x"), key=RequestKey("new"))
    frozen.shift(timedelta(hours=2))
    assert forget_idempotency_keys.call() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert REGISTRY[forget_idempotency_keys.module_path].every == timedelta(hours=1)
