"""Facts about outbox messages that change nothing: the Message-ID a message of an event and a
recipient has (a resend is the same message), and how long a failed one waits."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings


def message_id(event_key: str, recipient: str) -> str:
    digest = hashlib.sha256(f"{event_key}\n{recipient.lower()}".encode()).hexdigest()[:40]
    return f"<{digest}@{settings.MESSAGE_ID_DOMAIN}>"


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, … minutes after each failed attempt, at most 6 hours."""
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=6))
