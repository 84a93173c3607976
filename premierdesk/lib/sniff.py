"""Decide an attachment's content type from its first bytes, never from what the client declared.

A client's declared type is whatever its browser or script guessed (or chose to claim), and we
later serve the file back to engineers, so the type we record comes from the bytes themselves.
The file name is only consulted to refine a decision the bytes already support: a ``.jar`` is a
zip, and a ``.json`` is JSON only if the bytes are text. Nothing here ever answers ``text/html``
or ``image/svg+xml``, which a browser would render as active content.
"""

from __future__ import annotations

OCTET_STREAM = "application/octet-stream"
TEXT = "text/plain"

# (offset, magic bytes, content type). Checked in order; the first match wins.
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"PK\x05\x06", "application/zip"),  # an empty archive
    (0, b"PK\x07\x08", "application/zip"),  # a spanned archive
    (0, b"\x1f\x8b", "application/gzip"),
    (0, b"BZh", "application/x-bzip2"),
    (0, b"\xfd7zXZ\x00", "application/x-xz"),
    (0, b"(\xb5/\xfd", "application/zstd"),
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (257, b"ustar", "application/x-tar"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"SQLite format 3\x00", "application/vnd.sqlite3"),
    # Java heap dumps (jmap, -XX:+HeapDumpOnOutOfMemoryError) start "JAVA PROFILE 1.0.x".
    (0, b"JAVA PROFILE ", "application/x-java-hprof"),
)

# Archives that are zips underneath, told apart by their extension only.
_ZIP_BY_EXTENSION = {
    ".jar": "application/java-archive",
    ".war": "application/java-archive",
    ".ear": "application/java-archive",
}

# Text formats told apart by their extension, once the bytes are known to be text.
_TEXT_BY_EXTENSION = {
    ".json": "application/json",
    ".xml": "application/xml",
    ".csv": "text/csv",
    ".log": TEXT,
    ".txt": TEXT,
}


def sniff_content_type(head: bytes, file_name: str) -> str:
    """The content type of a file that starts with ``head`` (a few KiB are plenty)."""
    binary_type = _binary_type(head)
    if binary_type == "application/zip":
        return _ZIP_BY_EXTENSION.get(_extension(file_name), binary_type)
    if binary_type is not None:
        return binary_type
    if head and _looks_like_text(head):
        return _TEXT_BY_EXTENSION.get(_extension(file_name), TEXT)
    return OCTET_STREAM


def _binary_type(head: bytes) -> str | None:
    for offset, magic, content_type in _SIGNATURES:
        if head.startswith(magic, offset):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 (ASCII included) without NUL bytes: what logs, configs and thread dumps look like."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head is cut at an arbitrary byte, possibly inside a multi-byte character.
        return error.reason == "unexpected end of data" and error.start >= len(head) - 3
    return True


def _extension(file_name: str) -> str:
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    _, dot, extension = base.rpartition(".")
    return f".{extension.lower()}" if dot else ""
