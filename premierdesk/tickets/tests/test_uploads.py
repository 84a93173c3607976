"""Uploads from the ticket page are judged before their body is read: a ticket one may not
see or attach to, or a declared size over the limit, is refused without a byte of the upload
received; CSRF is still checked before anything is stored."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client

from premierdesk.tickets import actions
from premierdesk.tickets.models import Attachment, Status

pytestmark = pytest.mark.django_db

CSRF_SECRET = "a" * 32  # any 32 alphanumerics are a valid CSRF secret and token

RECEIVED: list[int] = []


class RecordingHandler(FileUploadHandler):
    """Notes the size of every chunk of an uploaded file that the server reads."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        RECEIVED.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@pytest.fixture
def received(settings):
    """The chunks of uploaded files read by the server during the test."""
    RECEIVED.clear()
    settings.FILE_UPLOAD_HANDLERS = [
        f"{__name__}.RecordingHandler",
        *django_settings.FILE_UPLOAD_HANDLERS,
    ]
    return RECEIVED


def browser(user) -> Client:
    """A client that checks CSRF like a browser's requests are checked, with a valid token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies[django_settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return client


def post_file(client: Client, ticket, content: bytes, *, token: str | None = CSRF_SECRET):
    data: dict[str, object] = {"file": SimpleUploadedFile("support.zip", content)}
    if token is not None:
        data["csrfmiddlewaretoken"] = token
    return client.post(f"/tickets/{ticket.key}/attachments/", data)


def test_someone_who_cannot_see_the_ticket_is_refused_before_the_upload_is_read(
    ticket, other_customer, received
):
    response = post_file(browser(other_customer), ticket, b"x" * 100_000)
    assert response.status_code == 404
    assert received == []
    assert not Attachment.objects.exists()


def test_a_closed_ticket_refuses_the_upload_before_reading_it(ticket, contact, received):
    actions.transition(contact, ticket.key, to=Status.RESOLVED)
    actions.transition(contact, ticket.key, to=Status.CLOSED)
    response = post_file(browser(contact), ticket, b"x" * 100_000)
    assert response.status_code == 409
    assert "is closed. Open a new ticket and attach the file there." in response.content.decode()
    assert received == []


def test_a_declared_size_over_the_limit_is_413_at_once(ticket, contact, received, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    client = browser(contact)
    response = client.post(
        f"/tickets/{ticket.key}/attachments/",
        {"file": SimpleUploadedFile("big.zip", b"x" * 200_000), "csrfmiddlewaretoken": CSRF_SECRET},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 413
    assert "larger than the 1000 bytes limit" in response.content.decode()
    assert received == []
    assert not Attachment.objects.exists()


def test_csrf_is_still_checked_for_someone_who_may_attach(ticket, contact, received):
    response = post_file(browser(contact), ticket, b"log line\n", token=None)
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_with_a_valid_token_the_file_is_attached(ticket, contact, received):
    response = post_file(browser(contact), ticket, b"log line\n")
    assert response.status_code == 302
    assert Attachment.objects.get().size == len(b"log line\n")
    assert received  # read only once the ticket and the size were checked


def test_the_api_refuses_a_declared_size_over_the_limit_with_413(
    as_user, ticket, contact, settings
):
    settings.ATTACHMENT_MAX_BYTES = 10
    response = as_user(contact).post(
        f"/api/v1/tickets/{ticket.key}/attachments?file_name=big.zip",
        b"x" * 100,
        content_type="application/octet-stream",
    )
    assert response.status_code == 413
    assert "larger than the 10 bytes limit" in response.json()["detail"]
    assert not Attachment.objects.exists()
