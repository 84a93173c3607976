"""Ticket attachments in their own storage: streamed in, size-limited, checksummed, streamed out.

The backend is the ``"attachments"`` alias of ``settings.STORAGES``: local files under
``var/attachments`` by default, any S3-compatible bucket with ``ATTACHMENTS_STORAGE=s3``. Nothing
here knows about tickets' models; the ticket actions record the returned :class:`StoredFile`.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages

from premierdesk.lib.errors import ActionError, InvalidInput, NotFound, TooLarge
from premierdesk.lib.sniff import sniff_content_type

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

STORAGE_ALIAS = "attachments"
# How much of the start of a file the content-type sniffer sees.
SNIFF_BYTES = 8 * 1024
# Stored names stay well under the 255-byte limit of a path component on every filesystem.
MAX_NAME_BYTES = 150
FALLBACK_NAME = "attachment"


@dataclass(frozen=True)
class StoredFile:
    """Where an attachment went and what it is; ``storage_name`` is what to keep on the record."""

    storage_name: str
    size: int
    sha256: str
    content_type: str


def attachment_storage() -> Storage:
    return storages[STORAGE_ALIAS]


def store(
    chunks: Iterable[bytes], *, folder: str, file_name: str, max_bytes: int | None = None
) -> StoredFile:
    """Stream ``chunks`` into the attachment storage as ``<folder>/<random>/<file name>``.

    Raises InvalidInput on the ``file`` field, and keeps nothing, when the file is larger than
    ``max_bytes`` (default ``settings.ATTACHMENT_MAX_BYTES``).
    """
    limit = settings.ATTACHMENT_MAX_BYTES if max_bytes is None else max_bytes
    name = safe_file_name(file_name)
    # A folder of its own per file: same-named files never collide or overwrite each other.
    path = f"{_checked_folder(folder)}/{uuid.uuid4().hex}/{name}"
    head, all_chunks = _peek(iter(chunks), SNIFF_BYTES)
    content_type = sniff_content_type(head, name)
    reader = _MeteredReader(all_chunks, limit)
    storage = attachment_storage()
    try:
        saved_name = storage.save(path, _Content(reader, name, content_type))
    except _TooLarge:
        _discard(storage, path)
        raise too_large(name, limit) from None
    except BaseException:
        # A client that went away, a full disk: keep no half-written file.
        _discard(storage, path)
        raise
    return StoredFile(saved_name, reader.size, reader.sha256.hexdigest(), content_type)


def open_stored(storage_name: str) -> File[bytes]:
    """The stored file, opened for reading in chunks (``FileResponse`` streams it)."""
    try:
        return attachment_storage().open(storage_name, "rb")
    except FileNotFoundError:
        raise NotFound(
            "This attachment is no longer in storage; "
            "ask the person who added it to attach it again."
        ) from None


def delete_stored(storage_name: str) -> None:
    """Remove a stored file; removing one that is already gone is not an error."""
    _discard(attachment_storage(), storage_name)


def safe_file_name(file_name: str) -> str:
    """The client's file name made safe to store: no folders, no control characters, short."""
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    # macOS sends decomposed accents; store one spelling of each name.
    base = unicodedata.normalize("NFC", base)
    # Drops control and format characters, including right-to-left overrides that disguise
    # an extension.
    base = "".join(char for char in base if char.isprintable()).strip()
    if base in {"", ".", ".."}:
        return FALLBACK_NAME
    return _shortened(base, MAX_NAME_BYTES)


def human_size(size: int) -> str:
    """``2147483648`` -> ``"2 GiB"``: sizes as people read them in messages."""
    for unit, factor in (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return "1 byte" if size == 1 else f"{size} bytes"


def too_large(file_name: str, limit: int) -> ActionError:
    """The refusal (an InvalidInput on ``file``) for a file over the limit; the upload handler
    gives the same one."""
    return InvalidInput.on_field("file", _too_large_message(file_name, limit))


def require_declared_size(
    declared: int | None, limit: int, *, file_name: str = "The file", envelope: int = 0
) -> None:
    """Refuse at once (413), before a byte of it is read, a request whose Content-Length says
    it is larger than the limit. ``envelope``: what a form adds around the file (the file's own
    size is still checked as it arrives)."""
    if declared is not None and declared > limit + envelope:
        raise TooLarge.on_field("file", _too_large_message(file_name, limit))


def _too_large_message(file_name: str, limit: int) -> str:
    readable = human_size(limit)
    return (
        f"{file_name} is larger than the {readable} limit for attachments; compress it, or "
        f"split it into parts of at most {readable} and attach each part."
    )


class _TooLarge(Exception):
    """Raised inside the storage's read loop to stop it at the limit."""


class _MeteredReader(io.RawIOBase):
    """A read-only stream over chunks that hashes and counts the bytes as the storage reads
    them, and stops once they pass the limit, so no file is ever held whole in memory."""

    def __init__(self, chunks: Iterator[bytes], limit: int) -> None:
        super().__init__()
        self._chunks = chunks
        self._pending = memoryview(b"")
        self._limit = limit
        self.size = 0
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        target = memoryview(buffer).cast("B")
        if not self._pending and not self._next_chunk():
            return 0
        count = min(len(target), len(self._pending))
        target[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count

    def _next_chunk(self) -> bool:
        for chunk in self._chunks:
            if not chunk:
                continue
            if self.size + len(chunk) > self._limit:
                raise _TooLarge
            self.size += len(chunk)
            self.sha256.update(chunk)
            self._pending = memoryview(chunk)
            return True
        return False


class _Content(File[bytes]):
    """The stream as a Django File; S3 storage reads ``content_type`` from it."""

    def __init__(self, reader: _MeteredReader, name: str, content_type: str) -> None:
        super().__init__(io.BufferedReader(reader), name)
        self.content_type = content_type


def _peek(chunks: Iterator[bytes], size: int) -> tuple[bytes, Iterator[bytes]]:
    """The first ``size`` bytes (or fewer, for a short file), and all the chunks again."""
    taken: list[bytes] = []
    taken_bytes = 0
    for chunk in chunks:
        taken.append(chunk)
        taken_bytes += len(chunk)
        if taken_bytes >= size:
            break
    return b"".join(taken)[:size], itertools.chain(taken, chunks)


def _checked_folder(folder: str) -> str:
    """Folders come from our code (``tickets/42``), but a mistake must not escape the storage."""
    parts = PurePosixPath(folder).parts
    if not parts or folder.startswith("/") or ".." in parts or "\\" in folder:
        raise ValueError(f"attachment folder {folder!r} must be a relative path without '..'")
    return "/".join(parts)


def _shortened(name: str, max_bytes: int) -> str:
    encoded = name.encode()
    if len(encoded) <= max_bytes:
        return name
    stem, dot, extension = name.rpartition(".")
    suffix = f".{extension}" if dot and stem and len(extension.encode()) <= 16 else ""
    keep = encoded[: max_bytes - len(suffix.encode())]
    # Cutting the bytes can split a character; drop the partial one.
    return keep.decode(errors="ignore").rstrip() + suffix


def _discard(storage: Storage, storage_name: str) -> None:
    storage.delete(storage_name)
    if isinstance(storage, FileSystemStorage):
        # Each file has a folder of its own; leave no empty folders behind.
        with suppress(OSError):
            Path(storage.path(storage_name)).parent.rmdir()
