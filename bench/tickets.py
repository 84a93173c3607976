"""Benchmarks of tickets: opening them through the HTTP API of a running gunicorn, and reading
the first page of the open queue at 10,000 and 100,000 tickets (p50, p95 and the query count
per request), and at 1,000,000 with BENCH_QUEUE_MILLION=1.

BENCH_TICKETS (default 10000) sets how many tickets go through the API; the queue is read at
that size and again at ten times it, after bulk-inserting the rest directly. With
BENCH_QUEUE_MILLION=1 `premierdesk bench-data` then adds the toolkit's dataset up to 1,000,000
tickets (about ten minutes more) and the queue is read a third time.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from premierdesk.accounts.actions import create_account, create_api_token
from premierdesk.accounts.models import Role, User
from premierdesk.benchdata.world import premier_offering
from premierdesk.catalog.models import Level, Product
from premierdesk.customers import actions as customers
from premierdesk.customers.models import License, Organization
from premierdesk.offices.models import Engineer, Office
from premierdesk.tickets.models import Environment, Status, Ticket

Timed = Callable[[Callable[[], object]], float]
Report = Callable[..., None]
Request = tuple[str, str, str | None, int]  # method, path, body, the status expected
TICKETS = int(os.environ.get("BENCH_TICKETS", "10000"))
SCALE = 10  # the queue is read again at ten times TICKETS
THREADS = 4
QUEUE_REQUESTS = 50
MILLION = os.environ.get("BENCH_QUEUE_MILLION") == "1"
# The open queue, soonest due first: what an engineer works (the console's default filter).
OPEN = ("waiting_for_support", "in_progress", "waiting_for_customer", "inactive")
QUEUE_URL = "/api/v1/tickets?page_size=50&" + "&".join(f"status={s}" for s in OPEN)
BATCH = 2_000
PRODUCTS = ["jira-software", "confluence", "bitbucket", "jira-service-management"]
# (level, environment): L1 only in production (docs/product/tickets.md#levels).
KINDS = [
    (Level.L1, Environment.PRODUCTION),
    (Level.L2, Environment.PRODUCTION),
    (Level.L3, Environment.PRODUCTION),
    (Level.L3, Environment.STAGING),
    (Level.L4, Environment.QA),
    (Level.L4, Environment.OTHER),
]


# The bench's customer and staff --------------------------------------------------------------


@dataclass(frozen=True)
class Cast:
    sen: str
    contact_token: str  # an active named contact's
    engineer_token: str  # a support engineer's


def _cast() -> Cast:
    """A Premier license with an active named contact, set up through the actions, and a
    support engineer; each with an API token."""
    manager = create_account(
        None, email="bench-tickets-em@example.com", full_name="EM", role=Role.ENTERPRISE_MANAGER
    )
    license = _license(_organization("bench-tickets", manager), "SEN-7000001")
    contact = create_account(
        None,
        email="contact@bench-tickets.example",
        full_name="Named Contact",
        role=Role.CUSTOMER,
        organization_id=license.organization_id,
    )
    change = customers.request_named_contact(manager, license.sen, email=contact.email)
    customers.approve_change(manager, change.pk)
    engineer = _engineer(_offices()[0], "bench-queue@premier.example")
    return Cast(
        sen=license.sen,
        contact_token=create_api_token(contact, "bench")[1],
        engineer_token=create_api_token(engineer, "bench")[1],
    )


def _products() -> list[Product]:
    return [
        Product.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
        for slug in PRODUCTS
    ]


def _organization(slug: str, manager: User) -> Organization:
    return Organization.objects.create(
        name=slug, slug=slug, time_zone="Europe/Berlin", enterprise_manager=manager
    )


def _license(org: Organization, sen: str) -> License:
    offering = premier_offering()  # with its response targets, as every deployment has
    license = License.objects.create(
        sen=sen,
        organization=org,
        offering=offering,
        valid_from=date(2000, 1, 1),
        valid_until=date(2099, 12, 31),
    )
    license.products.set(_products())
    return license


def _offices() -> list[Office]:
    return [
        Office.objects.get_or_create(
            slug=f"bench-{n}", defaults={"name": f"Bench {n}", "country": "NL", "time_zone": "UTC"}
        )[0]
        for n in range(5)
    ]


def _engineer(office: Office, email: str) -> User:
    user = create_account(None, email=email, full_name=email, role=Role.SUPPORT_ENGINEER)
    Engineer.objects.create(user=user, office=office)
    return user


# The server ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _server() -> Iterator[int]:
    """`premierdesk serve` (gunicorn, 2 workers) on the bench's database; stopped on exit,
    also when the benchmark fails. Yields its port."""
    port = _free_port()
    log_path = Path(os.environ["PREMIERDESK_VAR_DIR"]) / "bench-serve.log"
    # The in-process client uses "testserver"; the real server is reached as 127.0.0.1.
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,testserver"}
    command = [sys.executable, "-m", "premierdesk", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "2"]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=log)  # noqa: S603 - our own command
        try:
            _wait_for_health(port, server, log_path)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_for_health(port: int, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"premierdesk serve exited; see {log_path}")
        try:
            if Http(port).request("GET", "/health")[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.1)
    raise RuntimeError(f"premierdesk serve did not answer /health in 30 s; see {log_path}")


class Http:
    """One keep-alive connection to the server, as one client thread would hold it."""

    def __init__(self, port: int, token: str = "") -> None:
        self.port = port
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        try:
            return self._send(method, path, body)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle keep-alive connection: open a new one, once.
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return self._send(method, path, body)

    def close(self) -> None:
        self.connection.close()

    def _send(self, method: str, path: str, body: str | None) -> tuple[int, bytes]:
        self.connection.request(method, path, body=body, headers=self.headers)
        response = self.connection.getresponse()
        return response.status, response.read()


def _in_pool(port: int, token: str, calls: Sequence[Request]) -> tuple[float, list[float]]:
    """Seconds THREADS client threads take for ``calls``, each thread on its own keep-alive
    connection, and each call's milliseconds."""
    latencies: list[float] = []

    def run(share: Sequence[Request]) -> None:
        client = Http(port, token)
        for method, path, body, expected in share:
            start = time.perf_counter()
            status, content = client.request(method, path, body)
            latencies.append((time.perf_counter() - start) * 1000)  # list.append: thread-safe
            if status != expected:
                raise RuntimeError(f"{method} {path}: {status} {content[:300]!r}")
        client.close()

    shares = [calls[n::THREADS] for n in range(THREADS)]
    start = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(run, shares))
    return time.perf_counter() - start, latencies


# Creating tickets ----------------------------------------------------------------------------


def _ticket_body(sen: str, n: int) -> str:
    level, environment = KINDS[n % len(KINDS)]
    return json.dumps(
        {
            "sen": sen,
            "product": PRODUCTS[n % len(PRODUCTS)],
            "product_version": "10.3.2",
            "environment": environment,
            "level": level,
            "summary": f"Bench ticket {n}: boards load slowly",
            "description": "Since the upgrade every board takes 40 s to load. " * 4,
        }
    )


def ticket_create(port: int, cast: Cast, report: Report) -> None:
    """TICKETS POST /api/v1/tickets as the named contact, against as many GET /health, both
    through the same THREADS keep-alive connections; with each opening's p50 and p99, and the
    queries one opening makes (counted in this process, token authentication included)."""
    health = [("GET", "/health", None, 200)] * TICKETS
    baseline, _ = _in_pool(port, "", health)
    posts = [("POST", "/api/v1/tickets", _ticket_body(cast.sen, n), 201) for n in range(TICKETS)]
    seconds, latencies = _in_pool(port, cast.contact_token, posts)
    assert Ticket.objects.count() == TICKETS
    p50, p99 = statistics.median(latencies), statistics.quantiles(latencies, n=100)[98]
    report(
        "ticket-create",
        f"n={TICKETS} per_s={TICKETS / seconds:.1f}",
        seconds * 1000,
        baseline * 1000,
        f"threads={THREADS} baseline_per_s={TICKETS / baseline:.1f} p50_ms={p50:.1f} "
        f"p99_ms={p99:.1f} queries={_opening_queries(cast)}",
    )


def _opening_queries(cast: Cast) -> int:
    """Statements one opening sends, in this process on the same database (the transaction's
    BEGIN and COMMIT included), once the process holds the policy: three more tickets."""
    client = Client()
    headers = {"Authorization": f"Bearer {cast.contact_token}"}
    body = _ticket_body(cast.sen, 0)
    for _ in range(2):  # this process reads the policy and the office hours the first time
        client.post("/api/v1/tickets", body, content_type="application/json", headers=headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/api/v1/tickets", body, content_type="application/json", headers=headers
        )
    assert response.status_code == 201, response.content
    return len(captured)


# Reading the queue ---------------------------------------------------------------------------


def queue(port: int, cast: Cast) -> None:
    """QUEUE_REQUESTS GET of the staff queue's first page, one after the other, against the
    same number of GET /api/v1/auth/me (the cheapest authenticated request)."""
    tickets = Ticket.objects.count()
    client = Http(port, cast.engineer_token)
    samples = _latencies(client, QUEUE_URL)
    baseline = _latencies(client, "/api/v1/auth/me")
    client.close()
    p50, p95 = _percentiles(samples)
    base_p50, _ = _percentiles(baseline)
    print(
        f"queue tickets={tickets} p50_ms={p50:.1f} p95_ms={p95:.1f} "
        f"queries={_queries(cast.engineer_token)} baseline_p50_ms={base_p50:.1f} "
        f"ratio={p50 / base_p50:.2f}"
    )


def _latencies(client: Http, path: str) -> list[float]:
    for _ in range(3):  # warm-up: connections, caches, the token's "last used" write
        client.request("GET", path)
    samples = []
    for _ in range(QUEUE_REQUESTS):
        start = time.perf_counter()
        status, content = client.request("GET", path)
        samples.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {content[:300]!r}")
    return samples


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples), cuts[18]


def _queries(token: str) -> int:
    """Queries one queue request makes, counted in this process on the same database."""
    client = Client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(QUEUE_URL, headers=headers).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(QUEUE_URL, headers=headers).status_code == 200
    return len(captured)


# Years of history, inserted directly -------------------------------------------------------

# A mature service: most tickets are closed; a few hundred are open at any time.
STATUS_WEIGHTS = {
    Status.CLOSED: 80,
    Status.RESOLVED: 6,
    Status.WAITING_FOR_SUPPORT: 4,
    Status.IN_PROGRESS: 5,
    Status.WAITING_FOR_CUSTOMER: 3,
    Status.INACTIVE: 2,
}
ORGANIZATIONS = 40
ENGINEERS = 30
HISTORY_DAYS = 3 * 365


@dataclass(frozen=True)
class History:
    licenses: list[License]
    openers: dict[int, User]  # license id -> a customer of its organization
    engineers: list[Engineer]
    products: list[Product]


def _history() -> History:
    manager = User.objects.get(email="bench-tickets-em@example.com")
    licenses, openers = [], {}
    for n in range(ORGANIZATIONS):
        license = _license(_organization(f"bench-org-{n}", manager), f"SEN-71{n:05d}")
        licenses.append(license)
        openers[license.pk] = User.objects.create(
            email=f"contact@bench-org-{n}.example",
            full_name=f"Contact {n}",
            role=Role.CUSTOMER,
            organization_id=license.organization_id,
        )
    offices = _offices()
    for n in range(ENGINEERS):
        _engineer(offices[n % len(offices)], f"bench-engineer-{n}@premier.example")
    engineers = list(Engineer.objects.select_related("user"))
    return History(licenses, openers, engineers, _products())


def bulk_history(count: int) -> None:
    """``count`` tickets of the last three years, spread over organizations, products, levels,
    statuses and owners (seeded, so every run inserts the same)."""
    history = _history()
    rng = random.Random(20261126)
    now = timezone.now()
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        Ticket.objects.bulk_create(_old_ticket(history, rng, now) for _ in range(size))


def _old_ticket(history: History, rng: random.Random, now: datetime) -> Ticket:
    license = rng.choice(history.licenses)
    level, environment = rng.choice(KINDS)
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    # Open tickets are recent; finished ones anywhere in the three years.
    age = rng.uniform(0, 30 if status not in (Status.CLOSED, Status.RESOLVED) else HISTORY_DAYS)
    opened_at = now - timedelta(days=age)
    changed_at = opened_at + (now - opened_at) * rng.uniform(0.1, 0.9)
    engineer = None if status == Status.WAITING_FOR_SUPPORT else rng.choice(history.engineers)
    return Ticket(
        license=license,
        organization_id=license.organization_id,
        product=rng.choice(history.products),
        product_version="9.12.14",
        environment=environment,
        level=level,
        summary="An older ticket",
        description="History for the queue benchmark.",
        opened_by=history.openers[license.pk],
        opened_at=opened_at,
        status=status,
        status_changed_at=changed_at,
        owner=engineer.user if engineer else None,
        office_id=engineer.office_id if engineer else None,
        idle_transition_at=_idle_due(status, changed_at),
        resolved_at=changed_at if status in (Status.RESOLVED, Status.CLOSED) else None,
        closed_at=changed_at if status == Status.CLOSED else None,
        updated_at=changed_at,
    )


def _idle_due(status: Status, changed_at: datetime) -> datetime | None:
    if status in (Status.WAITING_FOR_CUSTOMER, Status.INACTIVE):
        return changed_at + timedelta(days=7)
    return None


# The benchmark -------------------------------------------------------------------------------


def tickets_through_api(timed: Timed, report: Report) -> None:
    cast = _cast()
    with _server() as port:
        ticket_create(port, cast, report)
        queue(port, cast)
        bulk_history(TICKETS * (SCALE - 1))
        queue(port, cast)
        if MILLION:
            the_dataset(1_000_000 - Ticket.objects.count())
            queue(port, cast)


def the_dataset(tickets: int) -> None:
    """The load test's dataset (`premierdesk bench-data`) on top of what is there."""
    from django.core.management import call_command

    start, cpu = time.perf_counter(), time.process_time()
    call_command("bench-data", tickets=tickets, verbosity=0)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    print(f"bench-data tickets={tickets} s={seconds:.0f} cpu_s={cpu_seconds:.0f} (this process)")


BENCHMARKS = [tickets_through_api]
