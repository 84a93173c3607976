"""The Locust users of ``premierdesk loadtest``: support engineers (agents) and named contacts
(customers) doing the JSM toolkit's mix (``mix.py``) through the real pages, as a browser does.

Each person signs in on the sign-in page (its CSRF token, as a browser sends it), then acts
once per pace, the toolkit's think time: the next action starts a pace after the last one
started. The pace follows the rate the stepped ramp (``SteppedRates``) asks for at the moment,
so every person's rhythm changes together and the arrivals stay spread. Each action is timed
as a whole (request type ``ACTION``, as the toolkit reports its actions) and written, with
the ramp's steps, to the ``--samples-out`` file the command reads.

This file runs in Locust's own process (gevent): it imports no Django, only the standard
library, Locust and the two pure modules beside it.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import os
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

from locust import LoadTestShape, events, task
from locust.argument_parser import LocustArgumentParser
from locust.contrib.fasthttp import FastHttpUser, ResponseContextManager
from locust.env import Environment
from locust.exception import InterruptTaskSet, RescheduleTask, StopUser

from premierdesk.loadtest import scrape
from premierdesk.loadtest.mix import AGENT_MIX, CUSTOMER_MIX, RATES, pace_seconds

SIGN_IN = "/accounts/sign-in/"
WAKE_SECONDS = 1.0  # a waiting person looks at the pace this often, so a new rate takes at once
SIGN_IN_ACTION = "sign in"  # once per person, before the mix; reported, not part of the mix
LOAD_EVERY_SECONDS = 5.0
HTMX = {"HX-Request": "true"}  # the pages post their forms through htmx in a browser


class ActionFailed(Exception):
    """What the person saw was not what the page should show."""


# The run: its plan (from the command line) and what was measured -------------------------------


@dataclass
class Plan:
    rates: list[float] = field(default_factory=lambda: [float(r) for r in RATES])
    # The ramp starts this long after the last person signed in (None: still signing in).
    settle_in: float = 0.0
    warm_up: float | None = None
    step: float = 90.0
    settle: float = 10.0
    spawn_rate: float = 5.0
    hosts: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)
    customers: list[dict[str, Any]] = field(default_factory=list)
    password: str = ""
    samples_out: str = ""

    @property
    def people(self) -> int:
        return len(self.agents) + len(self.customers)

    @property
    def end(self) -> float:
        if self.warm_up is None:
            return math.inf
        return self.warm_up + self.step * len(self.rates)

    def rate_at(self, t: float) -> float:
        index = int(max(0.0, t - (self.warm_up or math.inf)) // self.step)
        return self.rates[min(index, len(self.rates) - 1)]

    def steps(self) -> list[dict[str, float]]:
        start = self.warm_up if self.warm_up is not None else math.nan
        return [
            {
                "rate": rate,
                "start": start + i * self.step,
                "measure_from": start + i * self.step + self.settle,
                "end": start + (i + 1) * self.step,
            }
            for i, rate in enumerate(self.rates)
        ]


@dataclass
class Run:
    plan: Plan = field(default_factory=Plan)
    started: float | None = None
    samples: list[tuple[float, str, str, float, bool]] = field(default_factory=list)
    errors: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    load: list[tuple[float, float]] = field(default_factory=list)  # the 1-minute load average
    signed_in: int = 0  # people who tried to sign in

    def sign_in_tried(self) -> None:
        """The ramp starts once everyone has tried: sign-ins (a slow password hash on purpose)
        are not part of the mix and must not crowd its first step."""
        self.signed_in += 1
        if self.signed_in >= self.plan.people and self.plan.warm_up is None:
            self.plan.warm_up = self.clock() + self.plan.settle_in

    def look_at_load(self) -> None:
        now = self.clock()
        if not self.load or now - self.load[-1][0] >= LOAD_EVERY_SECONDS:
            self.load.append((round(now, 1), os.getloadavg()[0]))

    def clock(self) -> float:
        """Seconds since the run started (the ramp's clock and the samples')."""
        if self.started is None:
            self.started = time.monotonic()
        return time.monotonic() - self.started

    def pace(self) -> float:
        return pace_seconds(self.plan.rate_at(self.clock()), max(1, self.plan.people))


RUN = Run()


def _options(parser: LocustArgumentParser) -> None:
    parser.add_argument("--bench-data", default="var/bench-data.json", help="The people.")
    parser.add_argument("--rates", default=",".join(str(r) for r in RATES))
    parser.add_argument("--step-seconds", type=float, default=90.0)
    parser.add_argument("--settle-seconds", type=float, default=10.0)
    parser.add_argument(
        "--warm-up-seconds", type=float, default=-1.0, help="After the sign-ins; -1: one pace."
    )
    parser.add_argument("--sign-in-rate", type=float, default=5.0, help="People a second.")
    parser.add_argument("--agents", type=int, default=-1, help="-1: all in the data")
    parser.add_argument("--customers", type=int, default=-1, help="-1: all in the data")
    parser.add_argument("--hosts", default="", help="Servers to spread people over (a,b).")
    parser.add_argument("--samples-out", default="", help="Where to write the samples (JSON).")


def _plan(environment: Environment, **kwargs: Any) -> None:
    options = environment.parsed_options
    if options is None:  # a test imported the file without Locust's command line
        return
    manifest = json.loads(Path(options.bench_data).read_text())
    plan = RUN.plan
    plan.password = manifest["password"]
    plan.agents = _first(manifest["agents"], options.agents)
    plan.customers = _first(manifest["customers"], options.customers)
    plan.rates = [float(rate) for rate in options.rates.split(",") if rate.strip()]
    plan.step, plan.settle = options.step_seconds, options.settle_seconds
    plan.spawn_rate = options.sign_in_rate
    plan.hosts = [h.rstrip("/") for h in options.hosts.split(",") if h.strip()]
    plan.samples_out = options.samples_out
    # After the last sign-in, one pace of the first rate: everyone has found their rhythm.
    enough = pace_seconds(plan.rates[0], max(1, plan.people))
    plan.settle_in = options.warm_up_seconds if options.warm_up_seconds >= 0 else enough
    Agent.fixed_count, Customer.fixed_count = len(plan.agents), len(plan.customers)


def _first(people: list[Any], count: int) -> list[Any]:
    return people if count < 0 else people[:count]


def _sample(request_type: str, name: str, response_time: float, exception: Any, **kw: Any) -> None:
    if request_type != "ACTION":
        return
    context = kw.get("context") or {}
    kind, plain = context.get("kind", ""), context.get("action", name)
    started = RUN.clock() - response_time / 1000
    RUN.samples.append((round(started, 3), kind, plain, round(response_time, 1), exception is None))
    if exception is not None:
        RUN.errors[name][str(exception)[:200]] += 1


def _write_samples(environment: Environment, **kwargs: Any) -> None:
    if not RUN.plan.samples_out:
        return
    plan = RUN.plan
    written = {
        "steps": plan.steps(),
        "agents": len(plan.agents),
        "customers": len(plan.customers),
        "hosts": plan.hosts or [environment.host or ""],
        "sign_in_action": SIGN_IN_ACTION,
        "mix": {"agent": AGENT_MIX, "customer": CUSTOMER_MIX},
        "samples": RUN.samples,
        "load": RUN.load,
        "errors": {name: dict(counts) for name, counts in RUN.errors.items()},
    }
    Path(plan.samples_out).write_text(json.dumps(written))


# Locust's event hooks are untyped; connected here rather than decorated, for the type checker.
events.init_command_line_parser.add_listener(_options)  # type: ignore[no-untyped-call]
events.init.add_listener(_plan)  # type: ignore[no-untyped-call]
events.request.add_listener(_sample)  # type: ignore[no-untyped-call]
events.test_stop.add_listener(_write_samples)  # type: ignore[no-untyped-call]


class SteppedRates(LoadTestShape):
    """Everyone signs in during the warm-up; then the rate climbs step by step (the pace
    follows it), and the test stops after the last step."""

    def tick(self) -> tuple[int, float] | None:
        plan = RUN.plan
        RUN.look_at_load()
        if RUN.clock() >= plan.end:
            return None
        return plan.people, plan.spawn_rate


def location(response: ResponseContextManager) -> str:
    """Where a redirect sends the browser."""
    headers = response.headers
    return str(headers.get("Location") or "") if headers is not None else ""


# The people ----------------------------------------------------------------------------------


def action(name: str) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    """One action of the mix: run when the person's pace says it is time, timed as a whole."""

    def decorate(body: Callable[[Any], None]) -> Callable[[Any], None]:
        @functools.wraps(body)
        def run(person: Person) -> None:
            if not person.due():
                return
            if person.signed_in:
                person.measured(name, lambda: body(person))
            else:  # the sign-in failed (a server too busy to answer): the toolkit's user
                person.measured(SIGN_IN_ACTION, person.sign_in)  # stops; ours tries again

        return run

    return decorate


class Person(FastHttpUser):
    abstract = True
    kind = ""
    _seats: Iterator[int] = itertools.count()
    _host_seats: Iterator[int] = itertools.count()

    def __init__(self, environment: Environment) -> None:
        hosts = RUN.plan.hosts
        if hosts:  # scale-out: people spread evenly over the servers
            self.host = hosts[next(Person._host_seats) % len(hosts)]
        super().__init__(environment)
        self.seat = next(type(self)._seats)
        self.next_due = 0.0
        self.paced_at = 0.0
        self.open_tickets: list[str] = []
        self.signed_in = False

    def wait_time(self) -> float:
        return max(0.0, min(WAKE_SECONDS, self._next_due() - time.monotonic()))

    def on_start(self) -> None:
        self.measured(SIGN_IN_ACTION, self.sign_in)
        RUN.sign_in_tried()
        # The first action falls anywhere within one pace, so arrivals are spread from the start.
        self.paced_at = RUN.pace()
        self.next_due = time.monotonic() + random.uniform(0, self.paced_at)

    def _next_due(self) -> float:
        """When the next action starts; a new rate stretches or shrinks what is left of the
        wait in proportion, so everyone's phase is kept and no burst follows a step."""
        pace = RUN.pace()
        if pace != self.paced_at and self.paced_at:
            now = time.monotonic()
            self.next_due = now + max(0.0, self.next_due - now) * pace / self.paced_at
        self.paced_at = pace
        return self.next_due

    def due(self) -> bool:
        now = time.monotonic()
        if now < self._next_due():
            return False
        self.next_due = now + self.paced_at
        return True

    def measured(self, name: str, body: Callable[[], None]) -> None:
        started, error = time.perf_counter(), None
        try:
            body()
        except (StopUser, InterruptTaskSet, RescheduleTask):
            raise
        except Exception as exc:  # any fault fails the action, as the toolkit counts it
            error = exc
        self.environment.events.request.fire(
            request_type="ACTION",
            name=f"{self.kind}: {name}",  # agents and customers both "view request"
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={"kind": self.kind, "action": name},
        )

    # What a browser does -------------------------------------------------------------------

    def page(self, path: str, name: str = "", *, expect: int = 200) -> str:
        return self._send("GET", path, name or path, expect=expect)

    def post_form(
        self, path: str, fields: dict[str, str], name: str = "", *, htmx: bool, expect: int
    ) -> ResponseContextManager:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(HTMX if htmx else {})}
        return self._request("POST", path, name or path, urlencode(fields), headers, expect)

    def api(self, path: str, name: str = "") -> Any:
        return json.loads(self._send("GET", path, name or path, expect=200))

    def _send(self, method: str, path: str, name: str, *, expect: int) -> str:
        return self._request(method, path, name, None, {}, expect).text or ""

    def _request(
        self,
        method: str,
        path: str,
        name: str,
        data: str | None,
        headers: dict[str, str],
        expect: int,
    ) -> ResponseContextManager:
        with self.client.request(
            method,
            path,
            name=name,
            data=data,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            status = response.status_code
            if status == expect:
                response.success()
            else:
                response.failure(f"{status} instead of {expect}")
        if status != expect:
            raise ActionFailed(f"{method} {name}: {status} instead of {expect}")
        return cast(ResponseContextManager, response)

    def sign_in(self) -> None:
        """As a browser: the sign-in page (its CSRF cookie and token), the form posted, the
        landing page it is sent to; signed in when it returns."""
        form = scrape.form_with_field(self.page(SIGN_IN), "password")
        if form is None:
            raise ActionFailed("The sign-in page has no sign-in form.")
        fields = {**form.fields, "email": self.email, "password": RUN.plan.password}
        answer = self.post_form(SIGN_IN, fields, htmx=False, expect=302)
        landing = location(answer) or "/"
        if SIGN_IN in landing:
            raise ActionFailed(f"{self.email} was not signed in.")
        self.page(landing, "/ (home)", expect=302)  # / sends each person to their area
        self.land()
        self.signed_in = True

    @property
    def email(self) -> str:
        raise NotImplementedError

    def land(self) -> None:
        raise NotImplementedError

    def a_ticket(self) -> str:
        if not self.open_tickets:
            raise ActionFailed("No open ticket to act on.")
        return random.choice(self.open_tickets)

    def comment_on(self, key: str, words: str) -> None:
        path = f"/tickets/{key}/comments/"
        form = scrape.form_posting_to(self.page(f"/tickets/{key}/", "/tickets/[key]/"), path)
        if form is None:
            raise ActionFailed(f"{key} offers no comment form.")
        fields = {**form.fields, "body": f"{words} ({uuid.uuid4().hex[:8]})"}
        self.post_form(path, fields, "/tickets/[key]/comments/", htmx=True, expect=200)

    def remember(self, html: str) -> None:
        keys = scrape.ticket_keys(html)
        if keys:
            self.open_tickets = list(dict.fromkeys([*keys, *self.open_tickets]))[:200]


class Agent(Person):
    """A support engineer. Reports are managers' (docs/access.md), so an engineer's reports
    are the pages of their workload they may read: the rota and its coverage."""

    kind = "agent"
    _seats = itertools.count()

    @property
    def email(self) -> str:
        agents = RUN.plan.agents
        return agents[self.seat % len(agents)]

    def land(self) -> None:
        self.page("/console/")
        # What the toolkit's data preparation gives each agent: tickets to work on, here a
        # random page of the open ones (not closed: those take no comment).
        query = "status=waiting_for_support&status=in_progress&status=waiting_for_customer"
        first = self.api(f"/api/v1/tickets?{query}", "/api/v1/tickets")
        page = random.randint(1, max(1, int(first["pages"])))
        listed = self.api(f"/api/v1/tickets?{query}&page={page}", "/api/v1/tickets?page")
        self.open_tickets = [ticket["key"] for ticket in listed["items"]]

    @task(AGENT_MIX["view request"])
    @action("view request")
    def view_request(self) -> None:
        self.page(f"/tickets/{self.a_ticket()}/", "/tickets/[key]/")

    @task(AGENT_MIX["add comment"])
    @action("add comment")
    def add_comment(self) -> None:
        self.comment_on(self.a_ticket(), "Looking into this now; next update within the hour.")

    @task(AGENT_MIX["view queues"])
    @action("view queues")
    def view_queues(self) -> None:
        self.remember(self.page("/console/tickets/"))  # all open work
        queue = random.choice(
            ["level=L1", "level=L2", "level=L3", "owner=none", "status=waiting_for_support"]
        )
        self.remember(self.page(f"/console/tickets/?{queue}", "/console/tickets/?filter"))

    @task(AGENT_MIX["browse"])
    @action("browse")
    def browse(self) -> None:
        self.page("/console/")
        self.page("/console/spaces/")  # every customer organization's space

    @task(AGENT_MIX["run reports"])
    @action("run reports")
    def run_reports(self) -> None:
        self.page(random.choice(["/console/rota/", "/console/rota/coverage/"]))

    @task(AGENT_MIX["view customers"])
    @action("view customers")
    def view_customers(self) -> None:
        sen = random.choice(RUN.plan.customers)["sen"]
        # The license's people: its page, and the list through the API as the toolkit does.
        self.page(f"/portal/licenses/{sen}/named-contacts/", "/portal/licenses/[sen]/…")
        self.api(f"/api/v1/licenses/{sen}/named-contacts", "/api/v1/licenses/[sen]/…")


LEVELS = [("L2", "production"), ("L3", "production"), ("L3", "staging"), ("L4", "qa")]


class Customer(Person):
    """A named contact of their organization's license."""

    kind = "customer"
    _seats = itertools.count()

    @property
    def me(self) -> dict[str, Any]:
        customers = RUN.plan.customers
        return customers[self.seat % len(customers)]

    @property
    def email(self) -> str:
        return str(self.me["email"])

    def colleagues(self) -> set[str]:
        """The organization's other customers of the run, and the people of the organization
        the manifest names for adding to tickets."""
        mine = self.me["organization"]
        signed_in = {c["email"] for c in RUN.plan.customers if c["organization"] == mine}
        named = {*signed_in, *self.me.get("colleagues", [])} - {self.email}
        return {email.lower() for email in named}

    def land(self) -> None:
        self.page("/portal/")
        self.open_tickets = scrape.ticket_keys(
            self.page("/portal/tickets/?status=open", "/portal/tickets/?status=open")
        )

    @task(CUSTOMER_MIX["view requests"])
    @action("view requests")
    def view_requests(self) -> None:
        self.page("/portal/tickets/")

    @task(CUSTOMER_MIX["comment"])
    @action("comment")
    def comment(self) -> None:
        self.comment_on(self.a_ticket(), "Here is what we see in the logs since this morning.")

    @task(CUSTOMER_MIX["create request"])
    @action("create request")
    def create_request(self) -> None:
        path = "/portal/tickets/new/"
        # The form once the license is chosen (as htmx asks in a browser): its products only.
        shown = self.page(f"{path}?{urlencode({'sen': self.me['sen']})}", path)
        form = scrape.form_posting_to(shown, path)
        if form is None or not form.options.get("product"):
            raise ActionFailed("The portal offers no form to open a ticket.")
        level, environment = random.choice(LEVELS)
        fields = {
            **form.fields,
            "sen": self.me["sen"],
            "product": random.choice(form.options["product"]),
            "product_version": "10.3.2",
            "environment": environment,
            "level": level,
            "summary": f"Load test request {uuid.uuid4().hex[:8]}",
            "description": "Pages take several seconds to load since this morning.",
        }
        opened = self.post_form(path, fields, htmx=False, expect=302)
        ticket = location(opened)
        self.page(ticket, "/tickets/[key]/")
        self.remember(f'href="{ticket}"')

    @task(CUSTOMER_MIX["view request"])
    @action("view request")
    def view_request(self) -> None:
        self.page(f"/tickets/{self.a_ticket()}/", "/tickets/[key]/")

    @task(CUSTOMER_MIX["use the portal"])
    @action("use the portal")
    def use_the_portal(self) -> None:
        self.page("/portal/")
        self.page("/portal/space/")  # the organization's How do I pages

    @task(CUSTOMER_MIX["add participants"])
    @action("add participants")
    def add_participants(self) -> None:
        """Share a request with a colleague not yet on it (the toolkit shares with a customer
        or the organization; here a colleague of the organization is added)."""
        for key in random.sample(self.open_tickets, len(self.open_tickets)):
            html = self.page(f"/tickets/{key}/", "/tickets/[key]/")
            free = sorted(self.colleagues() - scrape.shown_addresses(html))
            if free:
                path = f"/tickets/{key}/participants/"
                form = scrape.form_posting_to(html, path)
                if form is None:
                    raise ActionFailed(f"{key} offers no form to add a participant.")
                fields = {**form.fields, "email": random.choice(free)}
                self.post_form(path, fields, "/tickets/[key]/participants/", htmx=True, expect=200)
                return
        raise ActionFailed("Every colleague already takes part in every open request.")
