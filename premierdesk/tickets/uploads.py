"""Receiving attachments over HTTP: refuse an oversized file while it uploads, not after.

Django's own handlers still do the receiving (small files in memory, large ones in a temporary
file on disk); :class:`LimitedUploadHandler` sits in front of them and drops a file as soon as
it passes ``settings.ATTACHMENT_MAX_BYTES``, so at most that much of it is ever written.

Why a dropped file and a recorded refusal rather than ``StopUpload(connection_reset=True)``: a
reset connection shows the person a browser error page and loses everything they typed, while a
skipped file lets the view answer 422 with the limit and what to do, keeping the other fields.
The cost is that the rest of the oversized file still crosses the network (and is discarded);
put a request-size cap in the reverse proxy as the hard stop against abuse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from premierdesk.lib.errors import ActionError
from premierdesk.tickets.storage import too_large

CHUNK_SIZE = 64 * 1024

View = Callable[..., HttpResponseBase]


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

    def file_complete(self, file_size: int) -> UploadedFile | None:
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


def accepts_attachments(view: View) -> View:
    """Decorate a view that receives attachments: installs the limit, keeping CSRF checks.

    The CSRF middleware reads ``request.POST`` before the view runs, which would parse the
    upload before the limit is installed; so, as Django's documentation advises, the view is
    exempted from the middleware and checked by ``csrf_protect`` after the limit is in place.
    """
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def receive(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        install_upload_limit(request)
        return protected(request, *args, **kwargs)

    return receive


def chunks_of(uploaded: UploadedFile) -> Iterator[bytes]:
    """An uploaded file's bytes in chunks, for :func:`premierdesk.tickets.storage.store`."""
    yield from uploaded.chunks(CHUNK_SIZE)
