"""Account state changes: creating accounts, signing in with lock-out, passwords, API tokens.

Each function is one transaction and writes its audit entry inside it.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from premierdesk.accounts.models import ApiToken, Role, SignInThrottle, User, normalize_email
from premierdesk.accounts.queries import client_network, token_digest
from premierdesk.accounts.rules import require_revoke_token
from premierdesk.audit.actions import record
from premierdesk.lib.errors import (
    Conflict,
    FieldError,
    InvalidInput,
    NotSignedIn,
    TooManyAttempts,
)
from premierdesk.lib.prepared import Prepared

TOKEN_PREFIX = "pd_"  # noqa: S105 - the public start of every token, not a secret
# A used token's "last used" time is written at most this often, not on every request.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def _validation_to_input_error(exc: ValidationError) -> InvalidInput:
    errors = [
        FieldError(field, message)
        for field, messages in exc.message_dict.items()
        for message in messages
    ]
    return InvalidInput(" ".join(e.message for e in errors), errors=errors)


@transaction.atomic
def create_account(
    actor: User | None,
    *,
    email: str,
    full_name: str,
    role: Role,
    time_zone: str = "UTC",
    organization_id: int | None = None,
    password: str | None = None,
) -> User:
    """Create a personal account. Without a password the person cannot sign in until they set
    one through the password-reset link."""
    email = normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise Conflict.on_field("email", f"An account for {email} already exists.")
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        time_zone=time_zone,
        organization_id=organization_id,
    )
    try:
        # Not the unique check: the address was checked above, and one committed since (by a
        # request at the same moment) is the database's to refuse, as the Conflict below.
        user.full_clean(exclude=["password"], validate_unique=False)
        if password is not None:
            validate_password(password, user)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            exc = ValidationError({"password": exc.messages})
        raise _validation_to_input_error(exc) from exc
    user.set_password(password)
    try:
        user.save()
    except IntegrityError as exc:  # the same e-mail created at the same moment elsewhere
        raise Conflict.on_field("email", f"An account for {email} already exists.") from exc
    record(
        actor,
        "accounts.account_created",
        user,
        changes={"email": [None, email], "role": [None, role], "full_name": [None, full_name]},
    )
    return user


@transaction.atomic
def set_password(actor: User | None, user: User, password: str) -> int:
    """Set a new password (after a reset link, or by the person themselves). Whoever held the
    old one keeps nothing: every session of the account ends (a session carries a hash of the
    password, so Django refuses each one at its next request) and every API token is revoked.
    Returns how many tokens were revoked, for the page to say so."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise _validation_to_input_error(ValidationError({"password": exc.messages})) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    now = timezone.now()
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        record(actor, "accounts.api_token_revoked", token, reason="the password changed")
    record(
        actor,
        "accounts.password_set",
        user,
        reason=f"signed out everywhere; {len(tokens)} API token(s) revoked",
    )
    return len(tokens)


def _seconds_left(until: datetime) -> int:
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


@dataclass(frozen=True)
class _Limit:
    """One lock-out that a failed sign-in counts towards, with its policy."""

    key: str
    named: str  # what a lock-out's audit entry names: the address typed, or the client
    account: User | None  # the account of that address, if it has one
    max_failures: int
    window: timedelta
    lockout: timedelta
    refused_for: str  # completes "Too many failed sign-ins ..."
    audit_action: str


def _address_key(email: str, account: User | None) -> str:
    """The throttle row an address's failures count in.

    An account's address has its own row: as many rows as accounts. Addresses without an
    account share ``SIGN_IN_UNKNOWN_ADDRESS_BUCKETS`` rows, one picked by a hash keyed with the
    secret key (so nobody can aim strings at one row): whatever strings are typed, the table
    stays bounded, and an unknown address is still locked after the same number of failures as
    a known one, whichever clients tried it, so a lock-out never tells whether an account
    exists. Unknown addresses that share a row add up, which can only lock sooner an address
    nobody signs in with.
    """
    if account is not None:
        return account.email
    digest = salted_hmac("premierdesk.accounts.sign-in-throttle", email).digest()
    bucket = int.from_bytes(digest[:8], "big") % settings.SIGN_IN_UNKNOWN_ADDRESS_BUCKETS
    return f"unknown-address:{bucket}"


def _limits(request: HttpRequest | None, email: str, account: User | None) -> list[_Limit]:
    limits = []
    if request is not None:
        client = client_network(request)
        limits.append(
            _Limit(
                key=f"client:{client}",
                named=client,
                account=None,
                max_failures=settings.SIGN_IN_CLIENT_MAX_FAILURES,
                window=timedelta(seconds=settings.SIGN_IN_CLIENT_WINDOW_SECONDS),
                lockout=timedelta(seconds=settings.SIGN_IN_CLIENT_LOCKOUT_SECONDS),
                refused_for="from your network",
                audit_action="accounts.client_locked_out",
            )
        )
    limits.append(
        _Limit(
            key=_address_key(email, account),
            named=email,
            account=account,
            max_failures=settings.SIGN_IN_MAX_FAILURES,
            window=timedelta(seconds=settings.SIGN_IN_FAILURE_WINDOW_SECONDS),
            lockout=timedelta(seconds=settings.SIGN_IN_LOCKOUT_SECONDS),
            refused_for="for this address",
            audit_action="accounts.locked_out",
        )
    )
    return limits


def sign_in(request: HttpRequest | None, email: str, password: str) -> User:
    """Check the credentials. This is the one way in: the pages, the admin (its login is our
    page, and ``EmailBackend`` sends any ``authenticate()`` here), the API token exchange.

    Failures count against the address (``SIGN_IN_MAX_FAILURES`` inside
    ``SIGN_IN_FAILURE_WINDOW_SECONDS`` lock it) and against the client
    (``SIGN_IN_CLIENT_*``), so one client can neither guess one password across many addresses
    nor lock many addresses. A successful sign-in clears its address's failures, not its
    client's: signing in to one's own account must not buy more guesses at others."""
    return _check_credentials(request, email, password, audit_action="accounts.signed_in")


def confirm_password(request: HttpRequest | None, user: User, password: str) -> None:
    """Check ``user``'s current password before they change it, counted and locked like a
    sign-in: whoever holds a stolen session must not guess it without limit."""
    try:
        _check_credentials(request, user.email, password, audit_action=None)
    except NotSignedIn:
        raise InvalidInput.on_field(
            "old_password", "That is not your current password. Type it again."
        ) from None


def _check_credentials(
    request: HttpRequest | None, email: str, password: str, *, audit_action: str | None
) -> User:
    email = normalize_email(email)
    now = timezone.now()
    account = User.objects.filter(email=email).first()
    limits = _limits(request, email, account)
    keys = [limit.key for limit in limits]
    _refuse_if_locked(limits, {t.key: t for t in SignInThrottle.objects.filter(key__in=keys)}, now)
    # The password hash is slow on purpose: check it before taking any lock.
    user = _account_with_password(account, password)
    with transaction.atomic():
        # Rows are locked in key order, so concurrent sign-ins never wait on each other in a
        # circle.
        locked_rows = SignInThrottle.objects.select_for_update().filter(key__in=keys)
        throttles = {t.key: t for t in locked_rows.order_by("key")}
        _refuse_if_locked(limits, throttles, now)
        address = limits[-1]
        if user is not None:
            if address.key in throttles:
                throttles[address.key].delete()
            if audit_action is not None:
                record(user, audit_action, user)
            return user
        locked: list[tuple[_Limit, datetime]] = []
        for limit in sorted(limits, key=lambda limit: limit.key):
            throttle = throttles.get(limit.key)
            if throttle is None:
                throttle, _ = SignInThrottle.objects.select_for_update().get_or_create(
                    key=limit.key
                )
            locked_until = _count_failure(limit, throttle, now)
            if locked_until is not None:
                locked.append((limit, locked_until))
    if locked:
        limit, until = max(locked, key=lambda pair: pair[1])
        raise _locked_out(limit, until)
    raise NotSignedIn(
        "That e-mail and password do not match an active account. Check both, or reset "
        "your password."
    )


def _account_with_password(account: User | None, password: str) -> User | None:
    if account is None:
        # Hash anyway, so a missing account takes as long as a wrong password.
        User().set_password(password)
        return None
    if account.check_password(password) and account.is_active:
        return account
    return None


def _refuse_if_locked(
    limits: list[_Limit], throttles: dict[str, SignInThrottle], now: datetime
) -> None:
    for limit in limits:
        throttle = throttles.get(limit.key)
        if throttle is not None and throttle.locked_until and throttle.locked_until > now:
            raise _locked_out(limit, throttle.locked_until)


def _locked_out(limit: _Limit, until: datetime) -> TooManyAttempts:
    minutes = math.ceil(_seconds_left(until) / 60)
    return TooManyAttempts(
        f"Too many failed sign-ins {limit.refused_for}. Try again in {minutes} minute(s), "
        "or reset your password.",
        retry_after_seconds=_seconds_left(until),
    )


def _count_failure(limit: _Limit, throttle: SignInThrottle, now: datetime) -> datetime | None:
    if throttle.first_failure_at is None or now - throttle.first_failure_at > limit.window:
        throttle.failures, throttle.first_failure_at = 0, now
    throttle.failures += 1
    throttle.locked_until = None
    if throttle.failures >= limit.max_failures:
        throttle.locked_until = now + limit.lockout
        throttle.failures, throttle.first_failure_at = 0, None
        record(
            limit.account,
            limit.audit_action,
            limit.account,
            object_repr=limit.named,
            reason=f"{limit.max_failures} failed sign-ins",
        )
    throttle.save()
    return throttle.locked_until


def prune_throttles(now: datetime) -> int:
    """Delete throttle rows that no longer hold anything: no lock in force and no failure
    inside the longest window. Keeps the per-client rows few."""
    longest = max(settings.SIGN_IN_FAILURE_WINDOW_SECONDS, settings.SIGN_IN_CLIENT_WINDOW_SECONDS)
    stale = SignInThrottle.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now),
        Q(first_failure_at__isnull=True) | Q(first_failure_at__lt=now - timedelta(seconds=longest)),
    )
    deleted, _ = stale.delete()
    return deleted


@transaction.atomic
def create_api_token(actor: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token for ``actor``. Returns the token and its secret text, which is
    shown to the person once and never stored."""
    name = name.strip()
    if not name:
        raise InvalidInput.on_field(
            "name", "Give the token a name that says where it is used, e.g. 'monitoring'."
        )
    if len(name) > 100:
        raise InvalidInput.on_field("name", "Token names are at most 100 characters long.")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=prefix, digest=token_digest(secret)
    )
    record(actor, "accounts.api_token_created", token, changes={"name": [None, name]})
    return token, secret


@transaction.atomic
def revoke_api_token(actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    token = require_revoke_token(actor, token, token_id)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, "accounts.api_token_revoked", token)
    return token


def _live_token(digest: str) -> QuerySet[ApiToken]:
    live = ApiToken.objects.filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
    return live.select_related("user").order_by("pk")[:1]


# Every API request asks this: composed and compiled once (lib.prepared).
_LIVE_TOKEN = Prepared(_live_token, str)


def user_for_api_token(secret: str) -> User | None:
    """The active account a presented token belongs to, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = _LIVE_TOKEN.first(token_digest(secret))
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
