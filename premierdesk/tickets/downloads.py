"""Moving attachment bytes over HTTP without holding them in memory: a request body read in
chunks for uploads through the API, and a streamed, never-rendered response for downloads."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.utils import timezone

from premierdesk.accounts.access import current_user
from premierdesk.tickets.models import Attachment
from premierdesk.tickets.queries import attachment_for_download
from premierdesk.tickets.storage import open_stored

CHUNK_SIZE = 64 * 1024


def declared_length(request: HttpRequest) -> int | None:
    """The body's size as the request declares it (Content-Length), None when it does not."""
    value = request.META.get("CONTENT_LENGTH") or ""
    return int(value) if value.isdigit() else None


def request_body_chunks(request: HttpRequest) -> Iterator[bytes]:
    """The request body as it arrives (Django's request is a file-like object over the
    socket; reading it in chunks never loads the whole body)."""
    while chunk := request.read(CHUNK_SIZE):
        yield chunk


def attachment_response(attachment: Attachment) -> FileResponse:
    """Streams the stored file as a download. ``nosniff`` and ``attachment`` so a browser never
    renders an uploaded file as a page of this site."""
    response = FileResponse(
        open_stored(attachment.storage_name),
        as_attachment=True,
        filename=attachment.file_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(attachment.size)
    return response


@login_required
def download(request: HttpRequest, key: str, attachment_id: int) -> FileResponse:
    """The pages' download link: authorised exactly like the API's."""
    attachment = attachment_for_download(current_user(request), key, attachment_id, timezone.now())
    return attachment_response(attachment)
