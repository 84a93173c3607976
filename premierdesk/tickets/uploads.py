"""Receiving attachments over HTTP: refuse an oversized file while it uploads, not after.

Django's own handlers still do the receiving (small files in memory, large ones in a temporary
file on disk); :class:`LimitedUploadHandler` sits in front of them and drops a file as soon as
it passes ``settings.ATTACHMENT_MAX_BYTES``, so at most that much of it is ever written.

Why a dropped file and a recorded refusal rather than ``StopUpload(connection_reset=True)``: a
reset connection shows the person a browser error page and loses everything they typed, while a
skipped file lets the view answer 422 with the limit and what to do, keeping the other fields.
The cost is that the rest of the oversized file still crosses the network (and is discarded);
put a request-size cap in the reverse proxy as the hard stop against abuse.

Nothing is read before the view has checked that the person may attach to the ticket and
that the declared size (Content-Length) is within the limit: :func:`read_upload` comes after
those checks, and only then is the CSRF token (part of the form) checked and the body parsed.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware

from premierdesk.lib.errors import ActionError
from premierdesk.tickets.downloads import declared_length
from premierdesk.tickets.storage import require_declared_size, too_large

CHUNK_SIZE = 64 * 1024
# What a multipart form adds around the file (boundaries, headers, the other fields): a
# declared length over the limit plus this is refused before reading; the file itself is held
# to the exact limit as it arrives.
FORM_ENVELOPE_BYTES = 64 * 1024


class LimitedUploadHandler(FileUploadHandler):
    """Passes chunks on to the next handler until a file passes the attachment limit; then
    skips that file and keeps the refusal in ``refusal`` for the view to show."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.max_bytes: int = settings.ATTACHMENT_MAX_BYTES
        self.refusal: ActionError | None = None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.max_bytes:
            if self.refusal is None:
                self.refusal = too_large(self.file_name or "The file", self.max_bytes)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile[bytes] | None:
        # The next handler builds the UploadedFile.
        return None


def install_upload_limit(request: HttpRequest) -> LimitedUploadHandler:
    """Put the limit in front of the request's upload handlers; call before reading
    ``request.POST`` or ``request.FILES``."""
    handler = LimitedUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return handler


def upload_refusal(request: HttpRequest) -> ActionError | None:
    """The refusal for an oversized file in this request, if any (reads the upload)."""
    request.FILES  # noqa: B018 -- reading it makes Django parse the upload
    for handler in request.upload_handlers:
        if isinstance(handler, LimitedUploadHandler):
            return handler.refusal
    return None


def require_declared_upload_size(request: HttpRequest) -> None:
    """413 at once, unread, for a form that says it is larger than the limit allows."""
    require_declared_size(
        declared_length(request), settings.ATTACHMENT_MAX_BYTES, envelope=FORM_ENVELOPE_BYTES
    )


def read_upload(request: HttpRequest) -> HttpResponseBase | None:
    """Receive the upload of a view exempted from the CSRF middleware (``csrf_exempt``), once
    the view has checked who asks, for which ticket, and the declared size: puts the limit in
    front of the upload handlers, then checks the CSRF token (which parses the form, and so
    reads the body). Returns the CSRF refusal (403) if the token is wrong, else None.

    Why this order: the CSRF middleware reads ``request.POST`` before any view runs, which for
    a multipart form means receiving and spooling the whole upload (up to the attachment
    limit) to disk, for anyone signed in, on any ticket. Checking the ticket first costs one
    query and reveals nothing a cross-site request could read.
    """
    install_upload_limit(request)
    return _CSRF.process_view(request, _guarded, (), {})


def _guarded(request: HttpRequest) -> HttpResponseBase:
    """What the CSRF check is told it guards (a view not marked ``csrf_exempt``). Only the
    check is used: ``process_view`` passes or refuses and calls nothing on."""
    return HttpResponseBase(status=500)


_CSRF = CsrfViewMiddleware(_guarded)


def chunks_of(uploaded: UploadedFile[bytes]) -> Iterator[bytes]:
    """An uploaded file's bytes in chunks, for :func:`premierdesk.tickets.storage.store`."""
    yield from uploaded.chunks(CHUNK_SIZE)
