"""Writes a client may safely retry: opening a ticket, commenting, attaching.

A client sends an ``Idempotency-Key`` (the pages send one per rendered form) naming one
request of its own. The write claims the key inside its own transaction, by inserting the
``IdempotencyKey`` row first: the unique ``(actor, key)`` pair makes a second, concurrent
request with the same key wait for the first to commit, then find its row and answer with
its result instead of writing again. A refused or failed write rolls its claim back, so the
key can be used again (the form shown again with the refusal keeps its key). The same key for
a different request is refused (422). Keys are forgotten after ``KEEP_FOR``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.lib.errors import InvalidInput
from premierdesk.tickets.models import IdempotencyKey

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"  # the pages' hidden field
MAX_LENGTH = 255
KEEP_FOR = timedelta(hours=24)


class KeyReused(InvalidInput):
    """The key names another request of the same person."""


@dataclass
class RequestKey:
    """A client's key for one request; ``replayed`` is set when the write answered with the
    result of an earlier request carrying the same key."""

    value: str
    field_name: str = HEADER  # where it came from: the API's header or a page's hidden field
    replayed: bool = field(default=False, compare=False)

    @classmethod
    def parse(cls, text: str | None, *, field_name: str = HEADER) -> RequestKey | None:
        """None when there is no key; the key when it is 1 to 255 visible ASCII characters."""
        if text is None or text == "":
            return None
        value = text.strip()
        if not 0 < len(value) <= MAX_LENGTH or not all(" " < c <= "~" for c in value):
            raise InvalidInput.on_field(
                field_name,
                f"An {HEADER} is 1 to {MAX_LENGTH} visible ASCII characters without spaces, "
                "e.g. a random UUID; make one per write and send it again only to retry it.",
            )
        return cls(value, field_name)


def digest(operation: str, request: dict[str, Any]) -> str:
    """What identifies a request: the operation and its input, as sent."""
    canonical = json.dumps([operation, request], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def earlier(
    actor: User, key: RequestKey | None, operation: str, request: dict[str, Any]
) -> IdempotencyKey | None:
    """The committed write this key already made, if any (a read, for a write that must not
    even start again, such as an upload); refused if the key named another request."""
    if key is None:
        return None
    found = IdempotencyKey.objects.filter(actor=actor, key=key.value).first()
    return _replayed(found, key, digest(operation, request)) if found else None


@dataclass(frozen=True)
class Claim:
    """The outcome of :func:`claim`: the earlier write to answer with, or the row to settle
    with this write's result (None for a request without key)."""

    earlier: IdempotencyKey | None
    row: IdempotencyKey | None

    def settle(self, **result: Any) -> None:
        """Record what this write made (``ticket=``, ``comment=`` or ``attachment=``)."""
        if self.row is None:
            return
        for name, value in result.items():
            setattr(self.row, name, value)
        self.row.save(update_fields=list(result))


def claim(actor: User, key: RequestKey | None, operation: str, request: dict[str, Any]) -> Claim:
    """Claim ``key`` for this write; call first inside the write's transaction. If the key
    was already used for this same request, ``earlier`` holds its row and the caller returns
    its result instead of writing."""
    if key is None:
        return Claim(None, None)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim() must run inside the write's transaction")
    request_digest = digest(operation, request)
    try:
        # A savepoint: a concurrent request with the same key blocks here until it commits
        # (the unique index), then this insert fails and its row is read below.
        with transaction.atomic():
            row = IdempotencyKey.objects.create(
                actor=actor, key=key.value, request=request_digest, created_at=timezone.now()
            )
    except IntegrityError:
        found = IdempotencyKey.objects.get(actor=actor, key=key.value)
        return Claim(_replayed(found, key, request_digest), None)
    return Claim(None, row)


def _replayed(found: IdempotencyKey, key: RequestKey, request_digest: str) -> IdempotencyKey:
    if found.request != request_digest:
        if key.field_name == FIELD:
            # A page kept from before (the browser's back button); said above the form, as
            # the key's field is hidden.
            raise KeyReused(
                "This form was already sent, with other content. Reload the page and send "
                "it again from the fresh form."
            )
        raise KeyReused.on_field(
            HEADER,
            f"The {HEADER} {key.value!r} was already used for another request of yours. "
            "Use a new key for each write; send a key again only to retry the same request.",
        )
    key.replayed = True
    return found


def forget_keys_before(cutoff: datetime) -> int:
    """Delete the keys made before ``cutoff``: a retry comes within minutes, not days."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
