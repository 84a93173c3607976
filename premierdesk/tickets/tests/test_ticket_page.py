"""The ticket page and the forms posted from it: what a named contact, a participant and an
engineer each see and may do, refusals shown in place, and internal material (internal notes,
call notes, internal files) never on any page a customer can open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from premierdesk.tickets import actions
from premierdesk.tickets.models import Attachment, Call, Comment, Participant, Status
from premierdesk.tickets.tests.conftest import NOW
from premierdesk.tickets.tests.factories import open_ticket
from premierdesk.tickets.tests.test_pages import HTMX, between, text

pytestmark = pytest.mark.django_db
SECRETS = ("The customer DBA restarted prod again", "CALL-NOTES-7731", "heap-dump-internal.txt")


def url(ticket, rest: str = "") -> str:
    return f"/tickets/{ticket.key}/{rest}"


def section(html: str, element_id: str) -> str:
    return between(html, f'id="{element_id}"', "</section>")


@pytest.fixture
def on_ticket(ticket, contact, participant):
    """Dan takes part in Grace's ticket."""
    actions.add_participant(contact, ticket.key, email=participant.email)
    return participant


@pytest.fixture
def internal_material(ticket, engineer, on_ticket):
    actions.add_comment(engineer, ticket.key, body=SECRETS[0], internal=True)
    call = actions.CallInput(
        direction="outbound",
        phone_number="+1 212 555 0100",
        spoke_with="Grace",
        started_at=NOW - timedelta(hours=1),
        duration_minutes=12,
        notes=SECRETS[1],
    )
    actions.log_call(engineer, ticket.key, call)
    chunks = [b"internal only"]
    actions.attach(engineer, ticket.key, file_name=SECRETS[2], chunks=chunks, internal=True)
    actions.add_comment(engineer, ticket.key, body="We are looking at the thread dumps.")


def test_the_named_contact_sees_the_ticket_and_its_forms(as_user, ticket, contact, on_ticket):
    html = as_user(contact).get(url(ticket)).content.decode()
    head = text(between(html, '<header class="ticket-head">', "</header>"))
    for expected in (
        ticket.key,
        "Boards load slowly after the upgrade",
        "Waiting for support",
        "L2 major",
        "Jira Software Data Center 10.3.2",
        "Production",
        "SEN-2000001",
        "Grace Hopper",
        "2026-05-04 09:00",
        "not assigned yet",
    ):
        assert expected in head
    assert "every board takes 40 s to load" in html
    assert on_ticket.email in section(html, "participants")
    assert "Add a participant" in html
    assert "Change the level" in html
    assert ">Resolve</button>" in section(html, "status-change")
    assert "Set to in progress" not in html  # a staff move
    assert "Internal note" not in html
    assert "Log a call" not in html
    assert "Opened the ticket at L2 major." in text(section(html, "timeline"))


def test_a_participant_sees_only_their_ticket_and_only_comments(
    as_user, ticket, contact, on_ticket
):
    other = open_ticket(contact, ticket.license.sen, summary="Not Dan's business")
    client = as_user(on_ticket)
    html = client.get(url(ticket)).content.decode()
    assert 'id="comment-form"' in html
    assert "Attach a file" in html
    for absent in ("Add a participant", "Change the level", 'id="status-change"', "Assign"):
        assert absent not in html
    assert client.get(url(other)).status_code == 404
    assert client.post(url(ticket, "level/"), {"level": "L1"}).status_code == 403
    assert client.post(url(ticket, "status/"), {"to": "resolved"}).status_code == 403
    added = client.post(url(ticket, "participants/"), {"email": "x@northwind.example"})
    assert added.status_code == 403
    assert "Participants see and comment" in added.content.decode()


def test_the_engineer_gets_the_staff_forms(as_user, ticket, engineer, second_engineer):
    engineer.time_zone = "Australia/Sydney"
    engineer.save()
    html = as_user(engineer).get(url(ticket)).content.decode()
    opened = between(html, "<dt>Opened</dt>", "</dd>")
    assert "2026-05-04 19:00" in opened  # 09:00 UTC, read in Sydney (AEST)
    moves = section(html, "status-change")
    for label in ("Set to in progress", "Set to waiting for customer", "Resolve"):
        assert f">{label}</button>" in moves
    assert "Internal note: staff only" in html
    assert "Log a call" in html
    assert "Priya Raman" in section(html, "owner-change")


def customer_views(client, ticket) -> list[str]:
    """Every page and htmx fragment a customer can get about the ticket."""
    posted = client.post(url(ticket, "comments/"), {"body": "Here are the logs."}, **HTMX)
    refused = client.post(url(ticket, "comments/"), {"body": " "}, **HTMX)
    assert (posted.status_code, refused.status_code) == (200, 422)
    mine = Comment.objects.filter(body="Here are the logs.").last()
    assert mine is not None
    edited = client.post(url(ticket, f"comments/{mine.pk}/"), {"body": "Logs."}, **HTMX)
    level = client.post(url(ticket, "level/"), {"level": "L9"}, **HTMX)
    pages = [client.get(url(ticket)), client.get("/portal/tickets/"), posted, refused, edited]
    return [r.content.decode() for r in [*pages, level]]


def test_internal_material_never_reaches_a_customer_page(
    as_user, ticket, contact, on_ticket, engineer, internal_material
):
    for customer in (contact, on_ticket):
        for html in customer_views(as_user(customer), ticket):
            for secret in SECRETS:
                assert secret not in html
            assert "Internal" not in html
        page = as_user(customer).get(url(ticket)).content.decode()
        assert "We are looking at the thread dumps." in page
        assert "+1 212 555 0100" in section(page, "calls")  # the call, without its notes
    staff_page = as_user(engineer).get(url(ticket)).content.decode()
    for secret in SECRETS:
        assert secret in staff_page
    assert "Internal note · staff only" in section(staff_page, "conversation")


def test_another_customer_gets_404_from_the_page_and_every_form(
    as_user, ticket, other_customer, contact
):
    comment = actions.add_comment(contact, ticket.key, body="Mine")
    client = as_user(other_customer)
    page = client.get(url(ticket))
    assert page.status_code == 404
    assert "Northwind" not in page.content.decode()
    posts = {
        "comments/": {"body": "x"},
        f"comments/{comment.pk}/": {"body": "x"},
        "participants/": {"email": other_customer.email},
        "attachments/": {"file": SimpleUploadedFile("x.txt", b"x")},
        "status/": {"to": "resolved"},
        "level/": {"level": "L1"},
        "owner/": {"owner": "x@premier.example"},
        "calls/": {"direction": "inbound", "phone_number": "1"},
    }
    for rest, data in posts.items():
        response = client.post(url(ticket, rest), data)
        assert response.status_code == 404, rest
        assert "Boards load slowly" not in response.content.decode()
    assert ticket.comments.count() == 1
    assert not Attachment.objects.exists()
    assert not Participant.objects.exists()


def test_comment_then_edit_it(as_user, ticket, contact):
    client = as_user(contact)
    response = client.post(url(ticket, "comments/"), {"body": "Here are the logs."})
    comment = Comment.objects.get()
    assert response.url == url(ticket, "#conversation")
    assert (comment.author, comment.is_public) == (contact, True)
    edited = client.post(url(ticket, f"comments/{comment.pk}/"), {"body": "Logs attached."})
    assert edited.url == url(ticket, f"#comment-{comment.pk}")
    html = client.get(url(ticket)).content.decode()
    shown = between(html, f'id="comment-{comment.pk}"', "</li>")
    assert "Logs attached." in shown
    assert "(edited)" in shown
    assert "the earlier text is kept" in html


def test_only_the_author_gets_the_edit_form_and_others_are_refused(
    as_user, ticket, contact, on_ticket
):
    comment = actions.add_comment(contact, ticket.key, body="Grace's words")
    client = as_user(on_ticket)
    html = client.get(url(ticket)).content.decode()
    assert "Save the comment" not in between(html, f'id="comment-{comment.pk}"', "</li>")
    response = client.post(url(ticket, f"comments/{comment.pk}/"), {"body": "Dan's words"})
    assert response.status_code == 403
    assert "Only the author of a comment can edit it." in response.content.decode()


def test_an_engineer_writes_an_internal_note_and_a_customer_cannot(
    as_user, ticket, engineer, contact
):
    response = as_user(engineer).post(url(ticket, "comments/"), {"body": "n", "internal": "on"})
    assert response.status_code == 302
    assert Comment.objects.get().is_public is False
    refused = as_user(contact).post(url(ticket, "comments/"), {"body": "x", "internal": "on"})
    assert refused.status_code == 403
    assert "Only Premier Support staff write internal comments" in refused.content.decode()
    assert Comment.objects.count() == 1


def test_add_a_participant(as_user, ticket, engineer):
    data = {"email": "dba@northwind.example", "full_name": "Dee Bea"}
    response = as_user(engineer).post(url(ticket, "participants/"), data, follow=True)
    assert Participant.objects.get().person.email == "dba@northwind.example"
    assert "dba@northwind.example now takes part in" in response.content.decode()
    assert "They are invited by e-mail." in response.content.decode()


def test_transitions_for_the_customer_and_for_staff(as_user, ticket, contact, engineer):
    started = as_user(engineer).post(url(ticket, "status/"), {"to": "in_progress"})
    assert started.status_code == 302
    data = {"to": "resolved", "reason": "Fixed by the reindex."}
    resolved = as_user(contact).post(url(ticket, "status/"), data, **HTMX)
    assert resolved.status_code == 200
    html = resolved.content.decode()
    assert f"{ticket.key} is now resolved." in html
    assert ">Reopen</button>" in html
    assert "Reason: Fixed by the reindex." in html
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_closing_asks_first_then_closes_on_confirm(as_user, ticket, contact):
    actions.transition(contact, ticket.key, to=Status.RESOLVED)
    client = as_user(contact)
    page = client.get(url(ticket)).content.decode()
    assert ">Close</button>" in page
    assert "for good?" not in page
    for extra in ({}, HTMX):  # a plain POST and htmx alike
        asked = client.post(url(ticket, "status/"), {"to": "closed", "reason": "Done"}, **extra)
        assert asked.status_code == 200
        question = section(asked.content.decode(), "status-change")
        assert f"Close {ticket.key} for good? You cannot reopen it." in text(question)
        assert ">Confirm</button>" in question
        assert f'href="/tickets/{ticket.key}/" id="cancel-close">Cancel</a>' in question
        assert 'name="confirmed" value="on"' in question
        assert 'name="reason" value="Done"' in question
        assert ">Reopen</button>" not in question
        ticket.refresh_from_db()
        assert ticket.status == Status.RESOLVED
    confirmed = client.post(
        url(ticket, "status/"), {"to": "closed", "confirmed": "on", "reason": "Done"}
    )
    assert confirmed.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert "for good?" not in client.get(url(ticket)).content.decode()


def test_closing_someone_elses_ticket_unconfirmed_still_answers_404(
    as_user, ticket, other_customer
):
    response = as_user(other_customer).post(url(ticket, "status/"), {"to": "closed"})
    assert response.status_code == 404


def test_a_staff_move_posted_by_a_customer_is_refused_in_place(as_user, ticket, contact):
    response = as_user(contact).post(url(ticket, "status/"), {"to": "in_progress"}, **HTMX)
    assert response.status_code == 403
    html = response.content.decode()
    assert "<html" not in html
    assert "Only Premier Support staff can move" in section(html, "status-change")


def test_change_the_level_and_a_refusal_beside_the_field(as_user, ticket, contact, license):
    client = as_user(contact)
    response = client.post(url(ticket, "level/"), {"level": "L1", "reason": "All users down"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.level == "L1"
    staging = open_ticket(contact, license.sen, environment="staging", level="L3")
    refused = client.post(url(staging, "level/"), {"level": "L1"}, **HTMX)
    assert refused.status_code == 422
    field = between(refused.content.decode(), 'for="level-level"', 'for="level-reason"')
    assert "L1 critical is for production systems that are down." in field


def test_assign_an_owner(as_user, ticket, engineer, second_engineer):
    client = as_user(engineer)
    data = {"owner": second_engineer.email, "reason": "Confluence expert"}
    response = client.post(url(ticket, "owner/"), data, follow=True)
    html = response.content.decode()
    assert f"Priya Raman ({second_engineer.engineer.office.name}) now owns" in html
    assert "Priya Raman" in between(html, 'id="owner"', "</dd>")
    again = client.post(url(ticket, "owner/"), data, **HTMX)
    assert again.status_code == 409
    assert "already owns" in section(again.content.decode(), "owner-change")


def test_log_a_call_typed_in_the_engineers_time_zone(as_user, ticket, engineer):
    engineer.time_zone = "Australia/Sydney"
    engineer.save()
    data = {
        "direction": "inbound",
        "phone_number": "+1 212 555 0100",
        "spoke_with": "Grace",
        "started_at": "2026-05-04T18:30",  # AEST (UTC+10): 08:30 UTC
        "duration_minutes": "20",
        "notes": "Walked through the heap settings.",
    }
    assert as_user(engineer).post(url(ticket, "calls/"), data).status_code == 302
    call = Call.objects.get()
    assert call.started_at == datetime(2026, 5, 4, 8, 30, tzinfo=UTC)
    assert (call.duration_minutes, call.logged_by) == (20, engineer)
    future = {**data, "started_at": "2026-05-05T09:00"}
    refused = as_user(engineer).post(url(ticket, "calls/"), future)
    assert refused.status_code == 422
    field = between(refused.content.decode(), 'for="call-started_at"', 'for="call-duration')
    assert "A call is logged after it happened; the start is in the future." in field


def test_upload_an_attachment_and_download_it(as_user, ticket, contact, engineer):
    upload = SimpleUploadedFile("jira.log", b"2026-05-04 ERROR out of memory\n")
    response = as_user(contact).post(url(ticket, "attachments/"), {"file": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.file_name, attachment.visibility) == ("jira.log", "public")
    html = as_user(contact).get(url(ticket)).content.decode()
    row = text(between(html, f'id="attachment-{attachment.pk}"', "</tr>"))
    assert "jira.log" in row
    assert attachment.sha256 in row
    assert "Grace Hopper" in row
    link = url(ticket, f"attachments/{attachment.pk}/")
    assert f'href="{link}"' in html
    download = as_user(contact).get(link)
    assert b"".join(download.streaming_content) == b"2026-05-04 ERROR out of memory\n"
    internal = SimpleUploadedFile("notes.txt", b"staff")
    as_user(engineer).post(url(ticket, "attachments/"), {"file": internal, "internal": "on"})
    assert Attachment.objects.get(file_name="notes.txt").visibility == "internal"


def test_an_oversized_or_missing_file_is_refused_in_place(as_user, ticket, contact, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    client = as_user(contact)
    upload = SimpleUploadedFile("big.zip", b"x" * 100)
    response = client.post(url(ticket, "attachments/"), {"file": upload}, **HTMX)
    assert response.status_code == 422
    assert "big.zip is larger than the 10 bytes limit" in section(
        response.content.decode(), "attachments"
    )
    missing = client.post(url(ticket, "attachments/"), {}, **HTMX)
    assert missing.status_code == 422
    assert "Choose the file to attach." in missing.content.decode()
    assert not Attachment.objects.exists()


def test_a_closed_ticket_offers_no_comment_form(as_user, ticket, contact):
    actions.transition(contact, ticket.key, to=Status.RESOLVED)
    actions.transition(contact, ticket.key, to=Status.CLOSED)
    html = as_user(contact).get(url(ticket)).content.decode()
    assert 'id="comment-form"' not in html
    assert "is closed. To follow up, open a new ticket" in html
    assert 'id="status-change"' not in html


def test_a_lower_case_key_is_redirected_to_the_ticket(as_user, ticket, contact):
    response = as_user(contact).get(f"/tickets/{ticket.key.lower()}/")
    assert response.status_code == 302
    assert response.url == url(ticket)
