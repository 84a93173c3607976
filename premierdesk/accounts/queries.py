"""Reading accounts without changing them: which client a request comes from (for the sign-in
limits), what is stored of a secret token, and the link where an invited person sets a password."""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from premierdesk.accounts.models import User


def client_network(request: HttpRequest) -> str:
    """The client a request comes from: REMOTE_ADDR, or, when that is one of
    ``TRUSTED_PROXIES``, the nearest address in X-Forwarded-For that is not a proxy. An IPv6
    client is its /64 network, since one host usually holds all of it."""
    trusted = set(settings.TRUSTED_PROXIES)
    address = request.META.get("REMOTE_ADDR", "")
    if address in trusted:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed([h.strip() for h in forwarded if h.strip()]):
            address = hop
            if hop not in trusted:
                break
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"  # clients without a readable address share one limit
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def token_digest(token: str) -> str:
    """What is stored of a secret token: its SHA-256 digest, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def set_password_url(user: User) -> str:
    """A link where ``user`` chooses a password: an invited person's way to create their
    account. It stops working once used and after PASSWORD_RESET_TIMEOUT."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password-reset-confirm", args=[uid, token])
    return f"{settings.SITE_URL}{path}"
