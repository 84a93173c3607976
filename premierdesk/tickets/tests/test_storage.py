"""Attachment storage and uploads: streamed, size-limited, checksummed, and nothing kept on refusal.

No database: the storage layer does not know about tickets' models.
"""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
import unicodedata
import zipfile

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from premierdesk.lib.errors import FieldError, InvalidInput, NotFound
from premierdesk.tickets.storage import (
    attachment_storage,
    delete_stored,
    human_size,
    open_stored,
    safe_file_name,
    store,
)
from premierdesk.tickets.uploads import (
    chunks_of,
    install_upload_limit,
    read_upload,
    upload_refusal,
)

KiB = 1024
MiB = 1024 * KiB


def files_under(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


def read_back(storage_name: str) -> bytes:
    with open_stored(storage_name) as stored:
        return b"".join(stored.chunks())


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("atlassian-jira.log", "ERROR boom\n" * 1000)
    return buffer.getvalue()


def test_the_attachment_storage_is_the_configured_alias(attachments_dir):
    storage = attachment_storage()
    assert isinstance(storage, FileSystemStorage)
    assert storage.location == str(attachments_dir)


def test_stored_bytes_come_back_with_their_size_and_checksum(attachments_dir):
    data = os.urandom(300 * KiB)
    chunks = [data[:1], b"", data[1 : 100 * KiB], data[100 * KiB :]]

    stored = store(chunks, folder="tickets/42", file_name="heap-histogram.bin")

    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.storage_name.startswith("tickets/42/")
    assert stored.storage_name.endswith("/heap-histogram.bin")
    assert read_back(stored.storage_name) == data
    assert files_under(attachments_dir) == [attachments_dir / stored.storage_name]


def test_two_files_of_the_same_name_are_both_kept(attachments_dir):
    first = store([b"first\n"], folder="tickets/42", file_name="catalina.out")
    second = store([b"second\n"], folder="tickets/42", file_name="catalina.out")

    assert first.storage_name != second.storage_name
    assert read_back(first.storage_name) == b"first\n"
    assert read_back(second.storage_name) == b"second\n"


def test_an_empty_file_is_stored(attachments_dir):
    stored = store(iter(()), folder="tickets/42", file_name="empty.log")

    assert (stored.size, stored.content_type) == (0, "application/octet-stream")
    assert stored.sha256 == hashlib.sha256(b"").hexdigest()
    assert read_back(stored.storage_name) == b""


def test_content_type_is_sniffed_from_the_bytes_not_the_name(attachments_dir):
    data = zip_bytes()
    # The magic number arrives split over two chunks.
    stored = store([data[:1], data[1:]], folder="tickets/42", file_name="notes.txt")

    assert stored.content_type == "application/zip"


def test_text_is_recognised_across_small_chunks(attachments_dir):
    text = b'{"nodes": 4, "build": 9120}\n' * 500
    chunks = [text[i : i + 7] for i in range(0, len(text), 7)]

    stored = store(chunks, folder="tickets/42", file_name="cluster.json")

    assert stored.content_type == "application/json"
    assert read_back(stored.storage_name) == text


def test_a_path_in_the_file_name_cannot_leave_the_folder(attachments_dir):
    stored = store([b"root:x:0:0\n"], folder="tickets/42", file_name="../../etc/passwd")

    assert stored.storage_name.endswith("/passwd")
    assert stored.storage_name.startswith("tickets/42/")
    assert files_under(attachments_dir) == [attachments_dir / stored.storage_name]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ops\\Desktop\\support.zip", "support.zip"),
        ("/var/atlassian/application-data/jira/log/atlassian-jira.log", "atlassian-jira.log"),
        ("thread\x00dump\r\n.txt", "threaddump.txt"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),  # a right-to-left override hid ".exe"
        ("  spaced out.log  ", "spaced out.log"),
        ("", "attachment"),
        ("..", "attachment"),
        ("logs/", "attachment"),
        ("\x07\x08", "attachment"),
        ("Protokoll größer.txt", "Protokoll größer.txt"),
    ],
)
def test_file_names_are_made_safe(given, expected):
    assert safe_file_name(given) == expected


def test_decomposed_accents_are_stored_composed():
    decomposed = unicodedata.normalize("NFD", "résumé.pdf")
    assert safe_file_name(decomposed) == "résumé.pdf"


def test_long_names_are_shortened_keeping_the_extension():
    name = safe_file_name("ü" * 200 + ".tar.gz")

    assert name.endswith("ü.gz")
    assert len(name.encode()) <= 150


def test_folders_must_stay_inside_the_storage(attachments_dir):
    for folder in ("../elsewhere", "/etc", "", "tickets\\42"):
        with pytest.raises(ValueError, match="relative path"):
            store([b"x"], folder=folder, file_name="x.txt")


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(attachments_dir, settings):
    settings.ATTACHMENT_MAX_BYTES = 20 * KiB
    pulled = []

    def chunks():
        for number in range(10):
            pulled.append(number)
            yield bytes(5000)

    with pytest.raises(InvalidInput) as refused:
        store(chunks(), folder="tickets/42", file_name="support.zip")

    message = (
        "support.zip is larger than the 20 KiB limit for attachments; compress it, "
        "or split it into parts of at most 20 KiB and attach each part."
    )
    assert refused.value.detail == message
    assert refused.value.errors == [FieldError("file", message)]
    assert files_under(attachments_dir) == []
    # The file's own folder went with it; the ticket's folder may stay for its other files.
    assert sorted(attachments_dir.rglob("*")) == [
        attachments_dir / "tickets",
        attachments_dir / "tickets" / "42",
    ]
    # It stopped at the chunk that crossed the limit (20 000 -> 25 000 bytes) instead of
    # reading the rest.
    assert pulled == [0, 1, 2, 3, 4]


def test_a_file_exactly_at_the_limit_is_accepted(attachments_dir):
    stored = store([bytes(1000), bytes(24)], folder="t", file_name="a.bin", max_bytes=1024)
    assert stored.size == 1024


def test_a_file_whose_sender_fails_midway_is_not_kept(attachments_dir):
    def chunks():
        yield b"first part\n" * 1000
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        store(chunks(), folder="tickets/42", file_name="partial.log")

    assert files_under(attachments_dir) == []


def test_deleting_removes_the_file_and_its_folder(attachments_dir):
    stored = store([b"bye\n"], folder="tickets/42", file_name="bye.txt")
    file_folder = (attachments_dir / stored.storage_name).parent

    delete_stored(stored.storage_name)
    delete_stored(stored.storage_name)  # already gone: not an error

    assert files_under(attachments_dir) == []
    assert not file_folder.exists()
    with pytest.raises(NotFound, match="no longer in storage"):
        open_stored(stored.storage_name)


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (1, "1 byte"),
        (1000, "1000 bytes"),
        (1536, "1.5 KiB"),
        (250 * MiB, "250 MiB"),
        (2 * 1024**3, "2 GiB"),
        (3 * 1024**4, "3 TiB"),
    ],
)
def test_sizes_in_messages_read_naturally(size, text):
    assert human_size(size) == text


def generated_chunks(count: int, size: int):
    """Distinct chunks made on the fly, so only the one in hand is ever in memory."""
    for number in range(count):
        yield number.to_bytes(4, "big") * (size // 4)


def test_a_200_mib_file_is_streamed_not_held_in_memory(attachments_dir, capsys):
    count, size = 3200, 64 * KiB
    expected = hashlib.sha256()
    for chunk in generated_chunks(count, size):
        expected.update(chunk)

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        stored = store(
            generated_chunks(count, size),
            folder="tickets/42",
            file_name="support.zip",
            max_bytes=1024**3,
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert stored.size == 200 * MiB
    assert stored.sha256 == expected.hexdigest()
    assert (attachments_dir / stored.storage_name).stat().st_size == 200 * MiB
    assert peak < 16 * MiB, f"peak Python memory while storing 200 MiB: {peak / MiB:.2f} MiB"
    with capsys.disabled():
        print(f"\npeak Python memory while storing 200 MiB: {peak / KiB:.0f} KiB")
    delete_stored(stored.storage_name)  # pytest keeps recent tmp folders; 200 MiB is a lot


def multipart_request(*, file_size: int, comment: str = "see the logs"):
    upload = SimpleUploadedFile("support.zip", bytes(file_size))
    return RequestFactory().post("/tickets/42/attachments", {"comment": comment, "file": upload})


@pytest.mark.parametrize("in_memory", [True, False], ids=["memory", "temporary-file"])
def test_the_upload_handler_refuses_an_oversized_file(settings, in_memory):
    settings.ATTACHMENT_MAX_BYTES = 1000
    # Django keeps small uploads in memory and spools larger ones to a temporary file.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * MiB if in_memory else 100
    request = multipart_request(file_size=5000)

    install_upload_limit(request)
    refusal = upload_refusal(request)

    assert "file" not in request.FILES
    assert request.POST["comment"] == "see the logs"  # what they typed is not lost
    assert isinstance(refusal, InvalidInput)
    assert refusal.status == 422
    assert refusal.errors[0].field == "file"
    assert refusal.detail.startswith("support.zip is larger than the 1000 bytes limit")


def test_the_upload_handler_passes_a_file_within_the_limit(settings, attachments_dir):
    settings.ATTACHMENT_MAX_BYTES = 1000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    request = multipart_request(file_size=1000)

    install_upload_limit(request)

    assert upload_refusal(request) is None
    stored = store(chunks_of(request.FILES["file"]), folder="tickets/42", file_name="support.zip")
    assert stored.size == 1000
    assert read_back(stored.storage_name) == bytes(1000)


CSRF_SECRET = "b" * 32


def test_read_upload_installs_the_limit_before_the_csrf_check_reads_the_form(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    upload = SimpleUploadedFile("support.zip", bytes(5000))
    data = {"file": upload, "csrfmiddlewaretoken": CSRF_SECRET}
    request = RequestFactory().post("/tickets/42/attachments", data)
    request.COOKIES[settings.CSRF_COOKIE_NAME] = CSRF_SECRET

    assert read_upload(request) is None  # the token, read from the parsed form, is right
    refusal = upload_refusal(request)

    assert refusal is not None
    assert refusal.status == 422
    assert "larger than the 1000 bytes limit" in refusal.detail


def test_read_upload_still_checks_csrf(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = read_upload(multipart_request(file_size=10))

    assert response is not None
    assert response.status_code == 403
