"""Django's SQLite backend, with every write transaction taking a lock file first.

SQLite lets one writer in at a time; a writer that finds the database locked retries on
SQLite's busy handler, which sleeps between tries 1, 2, 5, … then 50 and 100 ms at a time,
however soon the lock is free. Under steady concurrent writes (the API opening tickets from
four connections in two server processes) that made one request in a hundred wait 150 ms to
1.8 s for a lock held a few milliseconds. Here a transaction first takes an exclusive
``flock`` on ``<database>.write-lock``, which the kernel hands to the next waiter the moment
it is released, then ``BEGIN IMMEDIATE`` finds the database free. Readers take no lock
(WAL). The lock is released at COMMIT or ROLLBACK, when the connection closes, or by the
kernel when the process ends. A writer that cannot have it within the connection's timeout
gets SQLite's own "database is locked"."""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

# Seconds between tries while another process or thread holds the lock: from a quarter of a
# millisecond doubling to two (a transaction holds it a few milliseconds; a waiter should
# follow within a fraction of that, without spinning).
FIRST_POLL, LONGEST_POLL = 0.00025, 0.002


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock: int | None = None  # the lock file's descriptor while held

    def _start_transaction_under_autocommit(self) -> None:
        self._take_write_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _lock_path(self) -> str | None:
        """The lock file beside the database file; None for an in-memory database, which
        only its own connection writes."""
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return f"{name}.write-lock"

    def _take_write_lock(self) -> None:
        path = self._lock_path()
        if path is None or self._write_lock is not None:
            return
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + float(self.settings_dict["OPTIONS"].get("timeout", 5))
        poll = FIRST_POLL
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(descriptor)
                    raise OperationalError("database is locked") from None
                time.sleep(poll)
                poll = min(poll * 2, LONGEST_POLL)
            else:
                self._write_lock = descriptor
                return

    def _release_write_lock(self) -> None:
        descriptor, self._write_lock = self._write_lock, None
        if descriptor is not None:
            os.close(descriptor)  # closing the only descriptor of the lock releases it
