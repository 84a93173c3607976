"""What of a process's log reaches the terminal under `premierdesk up`."""

from __future__ import annotations

import logging

import pytest

from premierdesk.lib.logs import NotClientErrors


def record(name: str, level: int) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, "message", None, None)


@pytest.mark.parametrize(
    ("name", "level", "shown"),
    [
        ("django.request", logging.WARNING, False),  # Not Found: /favicon.ico
        ("django.security.csrf", logging.WARNING, False),  # Forbidden (CSRF cookie not set.)
        ("django.request", logging.ERROR, True),  # Internal Server Error, with its traceback
        ("django.security.DisallowedHost", logging.ERROR, True),
        ("django_tasks_db", logging.WARNING, True),
        ("django_tasks", logging.ERROR, True),
        ("premierdesk.notifications", logging.WARNING, True),
        ("django.requests_elsewhere", logging.WARNING, True),
    ],
)
def test_only_the_warnings_about_a_visitors_4xx_stay_off_the_terminal(name, level, shown):
    assert NotClientErrors().filter(record(name, level)) is shown
