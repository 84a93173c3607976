"""The SQLite backend's write lock: a write transaction holds ``<database>.write-lock`` from
BEGIN to COMMIT or ROLLBACK, a second writer waits for it and then goes ahead, and one that
cannot have it within the timeout hears SQLite's "database is locked"."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

# The connections are the tests' own, to a file of their own; the mark lets them connect.
pytestmark = pytest.mark.django_db


def _connections(path: Path, timeout: float) -> ConnectionHandler:
    """Connections of their own to a database file (one per thread, as Django's are)."""
    options = {"transaction_mode": "IMMEDIATE", "timeout": timeout}
    return ConnectionHandler(
        {"default": {"ENGINE": "premierdesk.lib.sqlite", "NAME": str(path), "OPTIONS": options}}
    )


def _held(lock: Path) -> bool:
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def _begin(connection) -> None:
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(connection, *, commit: bool = True) -> None:
    connection.commit() if commit else connection.rollback()
    connection.set_autocommit(True)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    handler = _connections(path, 5)
    with handler["default"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
    handler.close_all()
    return path


def test_a_write_transaction_holds_the_lock_until_it_commits_or_rolls_back(database):
    lock = Path(f"{database}.write-lock")
    connection = _connections(database, 5)["default"]
    for commit in (True, False):
        assert not _held(lock)
        _begin(connection)
        assert _held(lock)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO note (text) VALUES ('held')")
        _end(connection, commit=commit)
        assert not _held(lock)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM note")  # reading takes no lock
        assert cursor.fetchone() == (1,)
        assert not _held(lock)
    _begin(connection)
    connection.close()  # a connection closed mid-transaction lets go too
    assert not _held(lock)


def test_a_second_writer_waits_for_the_first_then_writes(database):
    handler = _connections(database, 5)
    first, order = handler["default"], []
    _begin(first)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO note (text) VALUES ('first')")
    second_began = threading.Event()

    def second_writer() -> None:
        connection = handler["default"]  # this thread's own connection
        second_began.set()
        _begin(connection)  # waits here for the first to commit
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO note (text) VALUES ('second')")
        order.append("second committed")
        _end(connection)
        connection.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    second_began.wait(5)
    thread.join(0.3)
    assert thread.is_alive()  # still waiting: the first has not committed
    order.append("first committed")
    _end(first)
    thread.join(5)
    assert order == ["first committed", "second committed"]
    with first.cursor() as cursor:
        cursor.execute("SELECT text FROM note ORDER BY id")
        assert cursor.fetchall() == [("first",), ("second",)]


def test_a_writer_that_cannot_have_the_lock_in_time_hears_the_database_is_locked(database):
    handler = _connections(database, 0.2)
    first = handler["default"]
    _begin(first)
    refused: list[Exception] = []

    def late_writer() -> None:
        connection = handler["default"]
        try:
            _begin(connection)
        except OperationalError as error:
            refused.append(error)
        connection.close()

    thread = threading.Thread(target=late_writer)
    thread.start()
    thread.join(5)
    _end(first)
    assert [str(e) for e in refused] == ["database is locked"]
