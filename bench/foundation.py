"""Benchmarks of the foundation: the cost of auditing a change, of token authentication, and
of reading the audit trail page by page (with its query count)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from premierdesk.accounts import actions
from premierdesk.accounts.models import ApiToken, Role, User
from premierdesk.audit.actions import record
from premierdesk.audit.models import AuditEntry

Timed = Callable[[Callable[[], object]], float]
Report = Callable[..., None]
CHANGES = 2_000
REQUESTS = 300
TRAIL_ENTRIES = 20_000


def _person(email: str, role: Role = Role.SUPPORT_ENGINEER) -> User:
    user, _ = User.objects.get_or_create(
        email=email, defaults={"full_name": email.split("@")[0], "role": role}
    )
    return user


def audit_record(timed: Timed, report: Report) -> None:
    """A change with its audit entry, against the same change without one."""
    user = _person("bench-audit@example.com")

    def changes(with_audit: bool) -> Callable[[], None]:
        def run() -> None:
            for n in range(CHANGES):
                with transaction.atomic():
                    token = ApiToken.objects.create(
                        user=user,
                        name="b",
                        prefix=f"{with_audit:d}{n:07d}{id(run) % 10**6}",
                        digest=f"{with_audit:d}{n}-{id(run)}",
                    )
                    if with_audit:
                        record(user, "bench.change", token, changes={"name": [None, "b"]})
            ApiToken.objects.filter(user=user).delete()

        return run

    baseline = timed(changes(with_audit=False))
    audited = timed(changes(with_audit=True))
    report("audit-record", f"changes={CHANGES}", audited, baseline)


def token_auth(timed: Timed, report: Report) -> None:
    """An API request authenticated by bearer token, against the unauthenticated health check."""
    user = _person("bench-token@example.com")
    _, secret = actions.create_api_token(user, "bench")
    client = Client()
    headers = {"Authorization": f"Bearer {secret}"}

    def authenticated() -> None:
        for _ in range(REQUESTS):
            assert client.get("/api/v1/auth/me", headers=headers).status_code == 200

    def health() -> None:
        for _ in range(REQUESTS):
            assert client.get("/health").status_code == 200

    baseline = timed(health)
    ms = timed(authenticated)
    report(
        "token-auth", f"requests={REQUESTS}", ms, baseline, f"per_request_ms={ms / REQUESTS:.2f}"
    )


def audit_trail_page(timed: Timed, report: Report) -> None:
    """One 50-entry page of a 20,000-entry trail, first page and last page, with query count."""
    # A support manager: the trail is theirs and administrators' to read (docs/access.md).
    staff = _person("bench-staff@example.com", Role.SUPPORT_MANAGER)
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=staff, actor_label=staff.email, action="bench.page", object_repr=str(n))
        for n in range(TRAIL_ENTRIES)
    )
    client = Client()
    client.force_login(staff)
    pages = TRAIL_ENTRIES // 50

    def page(number: int) -> Callable[[], Any]:
        def read() -> None:
            answer = client.get(f"/api/v1/audit?page={number}&action=bench.page")
            assert answer.status_code == 200, answer.content  # a refusal would time nothing

        return read

    first = timed(page(1))
    last = timed(page(pages))
    with CaptureQueriesContext(connection) as queries:
        page(pages)()
    report("audit-page", f"entries={TRAIL_ENTRIES}", last, first, f"queries={len(queries)}")


BENCHMARKS = [audit_record, token_auth, audit_trail_page]
