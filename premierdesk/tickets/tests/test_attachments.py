"""Attachments: streamed to storage through the API (never whole in memory), size-limited,
checksummed, content type sniffed, and downloaded only by those who may see the ticket."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from premierdesk.accounts.actions import create_api_token
from premierdesk.audit.models import AuditEntry
from premierdesk.tickets import actions
from premierdesk.tickets.models import Attachment, EventKind

pytestmark = pytest.mark.django_db


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("atlassian-jira.log", "2026-05-04 ERROR out of memory\n" * 100)
    return buffer.getvalue()


def upload(client, key: str, content: bytes, name: str = "support.txt", **query):
    params = "&".join([f"file_name={name}", *(f"{k}={v}" for k, v in query.items())])
    return client.post(
        f"/api/v1/tickets/{key}/attachments?{params}",
        content,
        content_type="application/octet-stream",
    )


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_upload_records_checksum_sniffed_type_event_and_audit(as_user, ticket, contact):
    content = zip_bytes()
    response = upload(as_user(contact), ticket.key, content, name="support.txt")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert (body["size"], body["content_type"]) == (len(content), "application/zip")
    assert body["file_name"] == "support.txt"
    event = ticket.events.get(kind=EventKind.ATTACHED)
    assert event.data["attachment"] == body["id"]
    assert AuditEntry.objects.filter(action="tickets.attached", actor=contact).count() == 1


def test_download_streams_the_same_bytes_safely(as_user, ticket, contact, engineer):
    content = zip_bytes()
    attachment_id = upload(as_user(contact), ticket.key, content).json()["id"]
    response = as_user(engineer).get(f"/api/v1/tickets/{ticket.key}/attachments/{attachment_id}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_another_customer_can_neither_list_nor_download_nor_upload(
    as_user, ticket, contact, other_customer, attachments_dir
):
    attachment_id = upload(as_user(contact), ticket.key, b"log line\n").json()["id"]
    client = as_user(other_customer)
    assert client.get(f"/api/v1/tickets/{ticket.key}/attachments").status_code == 404
    assert (
        client.get(f"/api/v1/tickets/{ticket.key}/attachments/{attachment_id}").status_code == 404
    )
    assert upload(client, ticket.key, b"intruder").status_code == 404
    assert len(files_under(attachments_dir)) == 1


def test_internal_attachments_are_for_staff_only(as_user, ticket, contact, engineer):
    internal = upload(as_user(engineer), ticket.key, b"heap analysis", internal="true").json()
    assert internal["visibility"] == "internal"
    customer = as_user(contact)
    assert customer.get(f"/api/v1/tickets/{ticket.key}/attachments").json() == []
    download = customer.get(f"/api/v1/tickets/{ticket.key}/attachments/{internal['id']}")
    assert download.status_code == 404
    timeline = customer.get(f"/api/v1/tickets/{ticket.key}/timeline").json()
    assert "attached" not in [e["kind"] for e in timeline]
    assert upload(customer, ticket.key, b"x", internal="true").status_code == 403


def test_over_the_limit_is_refused_and_nothing_is_kept(
    as_user, ticket, contact, settings, attachments_dir
):
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = upload(as_user(contact), ticket.key, b"x" * 5000, name="huge.log")
    assert response.status_code == 413  # its Content-Length says so: refused before reading
    body = response.json()
    assert body["errors"][0]["field"] == "file"
    assert "huge.log is larger than the" in body["detail"]
    assert files_under(attachments_dir) == []
    assert not Attachment.objects.exists()


def test_an_empty_body_is_refused(as_user, ticket, contact):
    response = upload(as_user(contact), ticket.key, b"")
    assert response.status_code == 422
    assert "The request body is empty" in response.json()["detail"]


def test_a_failure_after_storing_removes_the_file(ticket, contact, attachments_dir, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(actions, "_record_attachment", fail)
    with pytest.raises(RuntimeError):
        actions.attach(contact, ticket.key, file_name="a.log", chunks=[b"line\n"])
    assert files_under(attachments_dir) == []


MEMORY_BUDGET = 16 * 1024 * 1024
UPLOAD_SIZE = 128 * 1024 * 1024


def test_a_file_larger_than_the_memory_budget_is_streamed(
    ticket, contact, tmp_path, attachments_dir
):
    """A 128 MiB upload through the real WSGI handler, body read from disk as a server would
    read the socket: Python's peak allocation stays far below the file's size."""
    body = tmp_path / "upload.bin"
    digest = hashlib.sha256()
    with body.open("wb") as out:
        block = bytes(range(256)) * 256  # 64 KiB
        for _ in range(UPLOAD_SIZE // len(block)):
            out.write(block)
            digest.update(block)
    _, secret = create_api_token(contact, "upload")
    with body.open("rb") as wsgi_input:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": f"/api/v1/tickets/{ticket.key}/attachments",
            "QUERY_STRING": "file_name=support.bin",
            "CONTENT_TYPE": "application/octet-stream",
            "CONTENT_LENGTH": str(UPLOAD_SIZE),
            "HTTP_AUTHORIZATION": f"Bearer {secret}",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.input": wsgi_input,
            "wsgi.url_scheme": "http",
        }
        statuses: list[str] = []

        def start_response(status, headers, exc_info=None):
            statuses.append(status)
            return lambda data: None

        # As Django's test client does: a request must not close the test's connection.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        tracemalloc.start()
        try:
            chunks = WSGIHandler()(environ, start_response)
            answer = b"".join(chunks)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
    assert statuses == ["201 Created"], answer
    stored = Attachment.objects.get()
    assert (stored.size, stored.sha256) == (UPLOAD_SIZE, digest.hexdigest())
    assert peak < MEMORY_BUDGET, f"peak {peak / 2**20:.1f} MiB"
