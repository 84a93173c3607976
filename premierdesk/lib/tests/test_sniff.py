"""Content types decided from an attachment's first bytes."""

from __future__ import annotations

import io
import tarfile
import zipfile

import pytest

from premierdesk.lib.sniff import sniff_content_type


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("atlassian-jira.log", "2024-05-01 ERROR boom\n")
    return buffer.getvalue()


def _tar_bytes() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        data = b"thread dump\n"
        info = tarfile.TarInfo("threads.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("head", "file_name", "expected"),
    [
        (_zip_bytes(), "support.zip", "application/zip"),
        (_zip_bytes(), "notes.txt", "application/zip"),  # the name does not override the bytes
        (_zip_bytes(), "jira-plugin.jar", "application/java-archive"),
        (b"PK\x05\x06" + bytes(18), "empty.zip", "application/zip"),
        (b"\x1f\x8b\x08\x00" + bytes(20), "support.tar.gz", "application/gzip"),
        (b"BZh91AY&SY", "logs.bz2", "application/x-bzip2"),
        (b"\xfd7zXZ\x00\x00\x04", "logs.xz", "application/x-xz"),
        (b"(\xb5/\xfd\x04\x58", "logs.zst", "application/zstd"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "logs.7z", "application/x-7z-compressed"),
        (_tar_bytes(), "logs.tar", "application/x-tar"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "report.pdf", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "screen.png", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo.jpg", "image/jpeg"),
        (b"GIF89a\x01\x00\x01\x00", "spinner.gif", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "screen.webp", "image/webp"),
        (b"SQLite format 3\x00\x10\x00", "crowd.db", "application/vnd.sqlite3"),
        (b"JAVA PROFILE 1.0.2\x00\x00\x00\x00\x08", "heap.hprof", "application/x-java-hprof"),
        (b"2024-05-01 10:00:00 ERROR [http-nio] boom\n", "atlassian-jira.log", "text/plain"),
        (b"Full thread dump OpenJDK 64-Bit Server VM\n", "threads", "text/plain"),
        ("Fehler: Datei größer als erwartet\n".encode(), "fehler.txt", "text/plain"),
        (b'{"build": 9120}', "application.json", "application/json"),
        (b"<?xml version='1.0'?><server/>", "server.xml", "application/xml"),
        (b"<?xml version='1.0'?><server/>", "SERVER.XML", "application/xml"),
        (b"key,value\nnodes,4\n", "nodes.csv", "text/csv"),
        (b"<html><script>alert(1)</script>", "page.html", "text/plain"),  # never rendered
        (b"<svg onload='alert(1)'/>", "logo.svg", "text/plain"),
        (b"\x00\x01\x02\x03binary", "dump.json", "application/octet-stream"),
        (b"plain words\x00and a NUL", "notes.txt", "application/octet-stream"),
        (b"\xc3\x28 not utf-8", "notes.txt", "application/octet-stream"),
        (b"", "empty.txt", "application/octet-stream"),
    ],
)
def test_content_type_comes_from_the_bytes(head, file_name, expected):
    assert sniff_content_type(head, file_name) == expected


def test_a_multibyte_character_cut_by_the_head_is_still_text():
    head = ("é" * 100).encode()[:-1]
    assert sniff_content_type(head, "notes") == "text/plain"


def test_an_invalid_byte_inside_the_head_is_not_forgiven():
    head = b"ok" + b"\xff" + b"still ok"
    assert sniff_content_type(head, "notes") == "application/octet-stream"
