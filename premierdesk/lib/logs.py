"""Logging helpers: what of a process's log is worth showing on the terminal it runs in."""

from __future__ import annotations

import logging

# Django logs every 4xx answer at WARNING (a browser's /favicon.ico, a stale CSRF cookie): the
# visitor's mistake, shown to them on the page. 5xx answers and suspicious requests are ERROR.
_CLIENT_ERRORS = ("django.request", "django.server", "django.security")


class NotClientErrors(logging.Filter):
    """Lets through everything but the warnings Django writes about a request answered 4xx."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            return True
        return not any(
            record.name == name or record.name.startswith(f"{name}.") for name in _CLIENT_ERRORS
        )
