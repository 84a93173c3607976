"""Calendar-feed tokens: a new secret for a person's standby feed URLs, audited."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.accounts.queries import token_digest
from premierdesk.audit.actions import record
from premierdesk.services.models import (
    FeedToken,
)
from premierdesk.services.queries import (
    FEED_TOKEN_PREFIX,
)


@transaction.atomic
def rotate_feed_token(actor: User) -> str:
    """A new secret for ``actor``'s feed URLs, returned to be shown once; the old one stops
    opening anything at once. Only its digest is kept, as for API tokens."""
    secret = f"{FEED_TOKEN_PREFIX}{secrets.token_urlsafe(32)}"
    digest, now = token_digest(secret), timezone.now()
    # get_or_create: two first rotations at once end in one row, not an integrity error.
    token, created = FeedToken.objects.select_for_update().get_or_create(
        user=actor, defaults={"token_hash": digest, "created_at": now}
    )
    if not created:
        token.token_hash, token.created_at = digest, now
        token.save()
    action = "services.feed_token_created" if created else "services.feed_token_rotated"
    record(actor, action, token)
    return secret
