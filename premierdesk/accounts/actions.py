"""Account state changes: creating accounts, signing in with lock-out, passwords, API tokens.

Each function is one transaction and writes its audit entry inside it.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from premierdesk.accounts.models import ApiToken, Role, SignInThrottle, User, normalize_email
from premierdesk.audit.actions import record
from premierdesk.lib.errors import (
    Conflict,
    FieldError,
    InvalidInput,
    NotFound,
    NotSignedIn,
    TooManyAttempts,
)

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
        user.full_clean(exclude=["password"])
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
def set_password(actor: User | None, user: User, password: str) -> None:
    """Set a new password (after a reset link, or by the person themselves)."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise _validation_to_input_error(ValidationError({"password": exc.messages})) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor, "accounts.password_set", user)


def _seconds_left(until: datetime) -> int:
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def sign_in(request: HttpRequest | None, email: str, password: str) -> User:
    """Check the credentials, counting failures per address; lock the address after
    ``SIGN_IN_MAX_FAILURES`` failures inside ``SIGN_IN_FAILURE_WINDOW_SECONDS``."""
    email = normalize_email(email)
    now = timezone.now()
    _refuse_if_locked(SignInThrottle.objects.filter(email=email).first(), now)
    # The password hash is slow on purpose: check it before taking any lock.
    user = authenticate(request, email=email, password=password)
    with transaction.atomic():
        throttle = SignInThrottle.objects.select_for_update().filter(email=email).first()
        _refuse_if_locked(throttle, now)
        if user is not None:
            assert isinstance(user, User)
            if throttle is not None:
                throttle.delete()
            record(user, "accounts.signed_in", user)
            return user
        if throttle is None:
            throttle, _ = SignInThrottle.objects.select_for_update().get_or_create(email=email)
        locked_until = _count_failure(throttle, now)
    if locked_until is not None:
        raise _locked_out(locked_until)
    raise NotSignedIn(
        "That e-mail and password do not match an active account. Check both, or reset "
        "your password."
    )


def _refuse_if_locked(throttle: SignInThrottle | None, now: datetime) -> None:
    if throttle is not None and throttle.locked_until and throttle.locked_until > now:
        raise _locked_out(throttle.locked_until)


def _locked_out(until: datetime) -> TooManyAttempts:
    minutes = math.ceil(_seconds_left(until) / 60)
    return TooManyAttempts(
        f"Too many failed sign-ins for this address. Try again in {minutes} minute(s), "
        "or reset your password.",
        retry_after_seconds=_seconds_left(until),
    )


def _count_failure(throttle: SignInThrottle, now: datetime) -> datetime | None:
    window = timedelta(seconds=settings.SIGN_IN_FAILURE_WINDOW_SECONDS)
    if throttle.first_failure_at is None or now - throttle.first_failure_at > window:
        throttle.failures, throttle.first_failure_at = 0, now
    throttle.failures += 1
    throttle.locked_until = None
    if throttle.failures >= settings.SIGN_IN_MAX_FAILURES:
        throttle.locked_until = now + timedelta(seconds=settings.SIGN_IN_LOCKOUT_SECONDS)
        throttle.failures, throttle.first_failure_at = 0, None
        account = User.objects.filter(email=throttle.email).first()
        record(
            account,
            "accounts.locked_out",
            account,
            object_repr=throttle.email,
            reason=f"{settings.SIGN_IN_MAX_FAILURES} failed sign-ins",
        )
    throttle.save()
    return throttle.locked_until


def token_digest(token: str) -> str:
    """What is stored of a secret token: its SHA-256 digest, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


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
    if token is None or (token.user_id != actor.pk and not actor.is_administrator):
        raise NotFound(f"You have no API token with id {token_id}.")
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, "accounts.api_token_revoked", token)
    return token


def user_for_api_token(secret: str) -> User | None:
    """The active account a presented token belongs to, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def set_password_url(user: User) -> str:
    """A link where ``user`` chooses a password: an invited person's way to create their
    account. It stops working once used and after PASSWORD_RESET_TIMEOUT."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password-reset-confirm", args=[uid, token])
    return f"{settings.SITE_URL}{path}"
