"""The demo's past: tickets opened over the last six months, played through the ticket actions
at the instants they happened (the clock is moved with time-machine), so the reports have
months to compare and the timelines read like real ones.

Each ticket is opened on a weekday by one of its organization's named contacts, routed to the
office on duty then, answered, worked, resolved after a time that suits its level, and (but
for the most recent ones) closed by the customer, whose survey is answered now and then. A few
carry the log file the customer attached. Everything is generated from a fixed seed, so every
load tells the same story relative to the day it loads.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import time_machine
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.catalog.models import Level
from premierdesk.customers.models import License
from premierdesk.demo.services import survey_token
from premierdesk.demo.tickets import PHONES
from premierdesk.feedback import actions as feedback
from premierdesk.feedback.models import Invitation
from premierdesk.tickets import actions
from premierdesk.tickets.models import Environment, Status

# How far back the history goes, and how close to today its last ticket closes (so nothing of
# it is still open, and the day's handovers are the only critical tickets moving).
MONTHS_BACK = timedelta(days=182)
QUIET_BEFORE_NOW = timedelta(days=10)
PER_ORGANIZATION = 18

# (organization, its named contacts who open tickets), as in world.ORGANIZATIONS/LICENSES.
OPENERS = {
    "northwind": ("SEN-4021937", ("grace@northwind.example", "ken@northwind.example")),
    "kestrel": ("SEN-5187240", ("alan@kestrel.example", "mary@kestrel.example")),
    "tasman": ("SEN-6349158", ("ruby@tasman.example", "mark@tasman.example")),
}
SUPPORT_MANAGER = "support.manager@premier.example"


@dataclass(frozen=True)
class Case:
    """A kind of problem customers bring: the product, what they write, what fixes it."""

    product: str
    summary: str
    description: str
    answer: str
    fix: str


CASES = (
    Case(
        "jira-software",
        "Board takes a minute to load for one project",
        "The Scrum board of one project takes about a minute to open; others are quick.",
        "Please send the board's filter query and a HAR file of one slow load.",
        "The board's filter sorted by a scripted field; replaced by a stored field.",
    ),
    Case(
        "jira-software",
        "Users are logged out every few minutes",
        "Since this morning people are sent back to the login page every few minutes.",
        "Do the nodes share one session cookie name, and is the load balancer sticky?",
        "Sticky sessions were off after a load-balancer change; switched back on.",
    ),
    Case(
        "confluence",
        "PDF export fails for large spaces",
        "Exporting our handbook space to PDF stops at 60 % with an error.",
        "Please send the atlassian-confluence.log covering one export attempt.",
        "The export ran out of heap; raised the export's memory limit.",
    ),
    Case(
        "confluence",
        "Mentions do not send notifications",
        "People mentioned on pages get no e-mail since the weekend.",
        "Is the mail queue empty under General Configuration, or does it grow?",
        "The SMTP relay's password had expired; updated it and flushed the queue.",
    ),
    Case(
        "jira-service-management",
        "Customer portal shows the wrong request types",
        "Portal users see request types that should be hidden from them.",
        "Which groups does the request type's visibility list, and is the user in them?",
        "The request type allowed 'everyone'; restricted it to the customer organizations.",
    ),
    Case(
        "jira-service-management",
        "SLA timers keep running on resolved requests",
        "Requests in Resolved still count time against 'Time to resolution'.",
        "Please send the SLA's configuration and one request's SLA history.",
        "The SLA's stop condition named the old status; it now stops on Resolved.",
    ),
    Case(
        "bitbucket",
        "Pull request diffs time out",
        "Large pull requests show 'The diff could not be loaded' after 30 seconds.",
        "How many files and lines does one of those pull requests change?",
        "Raised the diff timeout and the line limit for the largest repositories.",
    ),
    Case(
        "bitbucket",
        "Mirror farm lags behind upstream",
        "Our smart mirror in the second data centre is hours behind.",
        "Please send the mirror's log and the output of its status page.",
        "The mirror's disk was full of stale packs; cleaned up and rescheduled gc.",
    ),
    Case(
        "bamboo",
        "Deployments hang at the artifact download",
        "Deployment projects stop at 'Downloading artifacts' for ever.",
        "Are the agents able to reach the Bamboo server's artifact storage directly?",
        "A proxy rule blocked the agents' artifact downloads; the rule is fixed.",
    ),
    Case(
        "crowd",
        "Single sign-on loops between applications",
        "Signing in to Jira sends people to Confluence and back without end.",
        "Do both applications use the same SSO domain and cookie settings in Crowd?",
        "The SSO domain lacked the leading dot; corrected it in Crowd's settings.",
    ),
    Case(
        "crowd",
        "Directory sync takes hours",
        "The nightly sync of the corporate directory now takes four hours.",
        "Please send the sync log and the directory's connection pool settings.",
        "Paged results were off; with paging the sync finishes in 12 minutes.",
    ),
    Case(
        "fisheye",
        "Commits missing from the activity stream",
        "Recent commits of two repositories do not show in the activity stream.",
        "Please send the repository's indexing status and the fisheye debug log.",
        "The repositories' index was stuck; re-indexing them fixed the stream.",
    ),
    Case(
        "crucible",
        "Reviews cannot be closed",
        "Moderators get an error when they try to close finished reviews.",
        "Which error does the moderator see, and is it logged in atlassian-fisheye.log?",
        "A plugin blocked the close; disabled until its vendor's fix.",
    ),
    Case(
        "jira-software",
        "Reindex after upgrade fails on one node",
        "After the upgrade one node's background reindex stops with an error.",
        "Please send the node's index log and tell us its free disk space.",
        "The node's index directory was full; moved it to a larger volume.",
    ),
    Case(
        "confluence",
        "Page tree is empty in one space",
        "The sidebar page tree of one space shows nothing, though the pages exist.",
        "Has the space been imported or restored recently?",
        "Broken parent links from an import; fixed with the documented SQL.",
    ),
)

# Levels as they come in: few critical, most moderate or questions. L1 is production only.
LEVELS = (Level.L1,) * 1 + (Level.L2,) * 5 + (Level.L3,) * 8 + (Level.L4,) * 6
ENVIRONMENTS = (Environment.PRODUCTION,) * 3 + (Environment.STAGING, Environment.QA)
# How long a level takes from opening to resolution, in hours (low, high).
RESOLVED_AFTER_HOURS = {
    Level.L1: (2, 9),
    Level.L2: (6, 60),
    Level.L3: (20, 130),
    Level.L4: (24, 170),
}
# When a ticket is opened (UTC hours): each has at least one office on duty on a weekday.
OPENING_HOURS = (1, 4, 9, 13, 17)
RATINGS = (5, 5, 5, 4, 4, 4, 3, 2)
WENT_WELL = {
    5: "Quick, clear and the fix held.",
    4: "Solved, with good explanations along the way.",
    3: "We got there in the end.",
    2: "The answer was right once it came.",
}
COULD_BE_BETTER = {3: "It took a few rounds to get to the point.", 2: "Too long between replies."}
ATTACH_EVERY = 5  # one ticket in this many comes with the customer's log file


@contextmanager
def at(instant: datetime) -> Iterator[time_machine.Traveller]:
    """Run the actions inside as if it were ``instant``: every timestamp they write is then."""
    with time_machine.travel(instant, tick=False) as clock:
        yield clock


def load(now: datetime) -> None:
    """Play the past tickets, oldest first. Call after the named contacts were approved (they
    are, from six months back) and before today's tickets, so the keys follow the dates."""
    rng = random.Random(2026)  # noqa: S311 (a story, not a secret)
    people = {user.email: user for user in User.objects.all()}
    planned = sorted(
        (_opened_at(rng, now, n, org), org, n) for org in OPENERS for n in range(PER_ORGANIZATION)
    )
    for opened_at, org, n in planned:
        _play(rng, people, org, n, opened_at, now)


def _opened_at(rng: random.Random, now: datetime, n: int, org: str) -> datetime:
    first = now - MONTHS_BACK
    span = (MONTHS_BACK - timedelta(days=13)).total_seconds()
    offset = span * (n + rng.random()) / PER_ORGANIZATION
    day = (first + timedelta(seconds=offset)).astimezone(UTC)
    while day.weekday() >= 5:  # opened on a weekday, when the offices are in
        day += timedelta(days=1)
    hour = rng.choice(OPENING_HOURS)
    return day.replace(hour=hour, minute=rng.randrange(0, 60), second=0, microsecond=0)


def _play(
    rng: random.Random,
    people: dict[str, User],
    org: str,
    n: int,
    opened_at: datetime,
    now: datetime,
) -> None:
    sen, openers = OPENERS[org]
    license = License.objects.get(sen=sen)
    covered = set(license.products.values_list("slug", flat=True))
    case = rng.choice([c for c in CASES if c.product in covered])
    level = rng.choice(LEVELS)
    environment = Environment.PRODUCTION if level == Level.L1 else rng.choice(ENVIRONMENTS)
    contact = people[openers[n % len(openers)]]
    with at(opened_at) as clock:
        ticket = actions.open_ticket(
            contact,
            actions.TicketInput(
                sen=sen,
                product=case.product,
                product_version="9.12.14" if case.product.startswith("jira") else "8.5.16",
                environment=environment,
                level=level,
                summary=f"{case.summary} ({opened_at:%B})",
                description=case.description,
            ),
        )
        key = ticket.key
        if n % ATTACH_EVERY == 0:
            clock.shift(timedelta(minutes=3))
            actions.attach(
                contact,
                key,
                file_name=f"{case.product}-{opened_at:%Y%m%d}.log",
                chunks=_log(case, opened_at),
            )
        owner = ticket.owner or people[SUPPORT_MANAGER]
        first_response = {Level.L1: 10, Level.L2: 40, Level.L3: 120, Level.L4: 240}[level]
        clock.shift(timedelta(minutes=rng.randint(first_response // 2, first_response)))
        if level == Level.L1:
            call = actions.CallInput(
                direction="inbound",
                phone_number=PHONES[org],
                spoke_with=contact.full_name,
                started_at=timezone.now(),
                duration_minutes=rng.randint(10, 40),
                notes="Walked through the symptoms and agreed what to collect.",
            )
            actions.log_call(owner, key, call)
        actions.add_comment(owner, key, body=case.answer)
        actions.transition(owner, key, to=Status.IN_PROGRESS)
        low, high = RESOLVED_AFTER_HOURS[level]
        taken = timedelta(hours=rng.uniform(low, high))
        clock.shift(taken / 2)
        actions.add_comment(contact, key, body="Here is what you asked for.")
        clock.shift(taken / 2)
        actions.add_comment(owner, key, body=case.fix)
        actions.transition(owner, key, to=Status.RESOLVED, reason=case.fix)
        clock.shift(timedelta(hours=rng.randint(2, 60)))
        if timezone.now() > now - QUIET_BEFORE_NOW:
            return  # recent: resolved, the customer has not confirmed yet
        actions.transition(contact, key, to=Status.CLOSED, reason="Confirmed fixed.")
        if rng.random() < 0.45:
            clock.shift(timedelta(hours=rng.randint(1, 30)))
            _answer_survey(rng, ticket.pk)


def _answer_survey(rng: random.Random, ticket_id: int) -> None:
    invitation = Invitation.objects.select_related("contact").filter(ticket_id=ticket_id).first()
    if invitation is None:
        return
    rating = rng.choice(RATINGS)
    feedback.answer_survey(
        survey_token(invitation),
        feedback.AnswerInput(rating, WENT_WELL[rating], COULD_BE_BETTER.get(rating, "")),
    )


def _log(case: Case, until: datetime) -> Iterator[bytes]:
    """A short log excerpt, as a customer attaches it: generated, a few kilobytes, its lines
    from the hour before the ticket was opened."""
    yield f"# {case.product} log excerpt sent with the ticket: {case.summary}\n".encode()
    start = until - timedelta(hours=1)
    for second in range(40):
        level = "ERROR" if second % 9 == 4 else "INFO"
        logged = start + timedelta(seconds=second * 83)
        yield (
            f"{logged:%Y-%m-%d %H:%M:%S},{second * 7 % 1000:03d} {level} "
            f"[http-nio-8080-exec-{second % 8}] request {1000 + second} took "
            f"{(second * 37) % 900 + 20} ms\n"
        ).encode()
