"""The demo's Premier services, played at the real time the demo loads, by the people of the
demo world and only through each app's actions: every organization's "Environment notes"
page, written by an engineer and edited once; weekend standby requests waiting, confirmed,
declined and withdrawn; health checks in every state, one delivered with its report in the
customer's space; developer teams, escalations, manager callbacks and developer-assistance
requests, open and answered; and answers to some of the surveys of the closed tickets, one of
them low enough to alert the office lead.

Standby windows are asked for now, so each lies at least the policy's notice ahead: the first
acceptable weekend is computed from the real time with the standby rules' own pure functions
(``services.windows``). Survey answers use the token in the invitation e-mail's link, as the
customer would (only its digest is stored)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from premierdesk.accounts.actions import create_account
from premierdesk.accounts.models import Role, User
from premierdesk.audit.actions import save_configuration
from premierdesk.catalog.models import Product
from premierdesk.customers.models import Organization
from premierdesk.demo.tickets import (
    ALAN,
    DAAN,
    EMILY,
    EVE,
    GRACE,
    KEN,
    MARK,
    MARY,
    OLIVIA,
    PHONES,
    PRIYA,
    RUBY,
    SAM,
    SANNE,
    SENS,
)
from premierdesk.escalations import actions as escalations
from premierdesk.escalations.models import (
    AssistanceRequest,
    CallbackRole,
    DeveloperTeam,
    EscalationReason,
    Urgency,
)
from premierdesk.feedback import actions as feedback
from premierdesk.feedback.models import Invitation
from premierdesk.lib.coverage import wall_instant
from premierdesk.notifications.models import OutboxMessage
from premierdesk.services.actions import health_checks as check_actions
from premierdesk.services.actions import standby as standby_actions
from premierdesk.services.models import ServicePolicy, Severity
from premierdesk.services.windows import (
    StandbyRules,
    Window,
    broken_rule,
    earliest_window,
    next_weekend,
)
from premierdesk.spaces import actions as spaces
from premierdesk.spaces.models import PageKind
from premierdesk.tickets.models import Ticket

# People besides those of the tickets (world.STAFF).
ADMIN = "admin@premier.example"
JIRA_DEV = "jira.dev@premier.example"
CONFLUENCE_DEV = "confluence.dev@premier.example"  # made here, for the Confluence team

# The time the demo itself takes between computing a window and asking for it, and then some:
# a window chosen with this margin is still far enough ahead when the action checks it.
ASKING_MARGIN = timedelta(hours=1)


def load(password: str) -> None:
    """Play the services. Call after the tickets and the handovers, inside the demo's
    transaction; ``password`` is the demo's, for the Confluence team's developer."""
    people = {user.email: user for user in User.objects.all()}
    _environment_notes(people)
    _standby(people)
    _health_checks(people)
    _developer_teams(people, password)
    _escalations(people)
    _callbacks(people)
    _assistance(people)
    _surveys()


def _ticket(summary: str) -> Ticket:
    """A demo ticket by its summary (tickets.DEMO_TICKETS)."""
    return Ticket.objects.select_related("owner").get(summary=summary)


# Environment notes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoNotes:
    org: str
    writer: str
    first: str
    editor: str
    second: str
    change_note: str


ENVIRONMENT_NOTES = [
    DemoNotes(
        "northwind",
        EMILY,
        """## Production

| System | Version | Nodes | Database | In front |
|---|---|---|---|---|
| Jira Software | 9.12.14 | 3 (node1 to node3) | PostgreSQL 14 | F5, sticky sessions |
| Jira Service Management | 10.3.2 | 2 | PostgreSQL 14 | F5 |
| Confluence | 8.5.16 | 2 + Synchrony | PostgreSQL 14 | nginx |
| Bitbucket | 8.19.9 | 2 | PostgreSQL 14 | HAProxy (SSH in TCP mode) |

- Shared home on NetApp NFS; database backups and snapshots run every night at 02:00 EST.
- Changes go through the change board on Tuesdays: see the
  [Northwind change calendar](https://change.northwind.example/calendar).
- DBA on call: Dan Park (participant on tickets).
""",
        EMILY,
        """## Production

| System | Version | Nodes | Database | In front |
|---|---|---|---|---|
| Jira Software | 10.3.2 | 3 (node1 to node3) | PostgreSQL 14 | F5, sticky sessions |
| Jira Service Management | 10.3.2 | 2 | PostgreSQL 14 | F5 |
| Confluence | 8.5.16 | 2 + Synchrony | PostgreSQL 14 | nginx (websockets on /synchrony) |
| Bitbucket | 8.19.9 | 2 | PostgreSQL 14 | HAProxy (SSH in TCP mode, 10 min timeouts) |

- Shared home on NetApp NFS; database backups and snapshots run every night at 02:00 EST.
- Changes go through the change board on Tuesdays: see the
  [Northwind change calendar](https://change.northwind.example/calendar).
- DBA on call: Dan Park (participant on tickets).
""",
        "Jira Software is on 10.3.2 now; HAProxy's SSH timeouts raised to 10 minutes.",
    ),
    DemoNotes(
        "kestrel",
        SANNE,
        """## Production (London and Slough data centres)

| System | Version | Nodes | Database | Notes |
|---|---|---|---|---|
| Jira Software | 9.12.14 | 4 | Oracle 19c | change approvals for the trading desks |
| Confluence | 8.5.16 | 2 | Oracle 19c | Risk Policies space: 4,000 pages |
| Bitbucket | 9.4.3 | 2 + 1 mirror | PostgreSQL 15 | shared home on NFS |
| Crowd | 6.0.2 | 1 | PostgreSQL 15 | SSO for all of the above |

- The firewall drops idle TCP sessions after 15 minutes (Joan Clarke, network team).
- Maintenance windows: Saturdays 06:00 to 14:00 London, agreed in the
  [Kestrel IT service calendar](https://itsm.kestrel.example/calendar).
""",
        DAAN,
        """## Production (London and Slough data centres)

| System | Version | Nodes | Database | Notes |
|---|---|---|---|---|
| Jira Software | 10.3.2 | 4 | Oracle 19c | change approvals for the trading desks |
| Confluence | 8.5.16 | 2 | Oracle 19c | Risk Policies space: 4,000 pages |
| Confluence (intranet) | 9.2.1 | 2 | Oracle 19c | department home pages with Jira macros |
| Bitbucket | 9.4.3 | 2 + 1 mirror | PostgreSQL 15 | shared home on NFS, export cleanup 7 days |
| Crowd | 6.0.2 | 1 | PostgreSQL 15 | SSO for all of the above |

- The firewall drops idle TCP sessions after 15 minutes (Joan Clarke, network team): Jira's
  pool validates connections and keeps them alive every 5 minutes.
- Maintenance windows: Saturdays 06:00 to 14:00 London, agreed in the
  [Kestrel IT service calendar](https://itsm.kestrel.example/calendar).
""",
        "Jira on 10.3.2, the intranet Confluence added; pool keep-alive, export cleanup.",
    ),
    DemoNotes(
        "tasman",
        OLIVIA,
        """## Production (Melbourne, failover in Sydney)

| System | Version | Nodes | Database | Notes |
|---|---|---|---|---|
| Jira Software | 10.3.2 | 3 | SQL Server 2022, Always On | clinicians' incident reports |
| Jira Service Management | 10.3.2 | 2 | SQL Server 2022 | approvals, Assets |
| Confluence | 9.2.1 | 2 | SQL Server 2022 | |
| Bitbucket | 9.4.3 | 2 | PostgreSQL 15 | webhooks to the CI server |

- Morning peak 08:30 to 10:00 AEST: no changes then.
- Database failovers are planned with the DBA team; Jira uses the listener name, see the
  [Tasman runbook](https://wiki.tasman.example/display/OPS/Atlassian+runbook).
""",
        OLIVIA,
        """## Production (Melbourne, failover in Sydney)

| System | Version | Nodes | Database | Notes |
|---|---|---|---|---|
| Jira Software | 10.3.2 | 3 | SQL Server 2022, Always On | clinicians' incident reports |
| Jira Service Management | 10.3.2 | 2 | SQL Server 2022 | approvals, Assets |
| Confluence | 9.2.1 | 2 | SQL Server 2022 | |
| Bitbucket | 9.4.3 | 2 | PostgreSQL 15 | webhooks to the CI server, TLS 1.3 enabled |

- Morning peak 08:30 to 10:00 AEST: no changes then.
- Database failovers are planned with the DBA team; every node's dbconfig.xml points at the
  listener name, never a host, see the
  [Tasman runbook](https://wiki.tasman.example/display/OPS/Atlassian+runbook).
- A caching app on Jira stays disabled until its vendor ships a fix (Hugh Scott, operations).
""",
        "After the failover and OutOfMemoryError tickets: listener name, app disabled, TLS 1.3.",
    ),
]
ENVIRONMENT_TITLE = "Environment notes"


def _environment_notes(people: dict[str, User]) -> None:
    """Each organization's environment, written by an engineer after the onboarding call and
    brought up to date once since, with a change note."""
    for notes in ENVIRONMENT_NOTES:
        page = spaces.write_page(
            people[notes.writer],
            notes.org,
            ENVIRONMENT_TITLE,
            notes.first,
            kind=PageKind.ENVIRONMENT,
            change_note="Written after the onboarding call.",
        )
        spaces.edit_page(
            people[notes.editor],
            notes.org,
            page.slug,
            ENVIRONMENT_TITLE,
            notes.second,
            notes.change_note,
            based_on_version=page.version,
        )


# Weekend standby -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoStandby:
    """A window asked for on ``day`` (0 Saturday, 1 Sunday) of the first weekend the rules
    accept it on, plus ``weeks_later``; what happens to it then."""

    org: str
    asker: str
    product: str
    plan: str
    day: int
    opens: time
    hours: int
    weeks_later: int = 0
    confirm_with: str = ""
    decline: str = ""
    withdraw: str = ""


STANDBY = [
    DemoStandby(
        "kestrel",
        ALAN,
        "confluence",
        "Move Confluence to the new Slough data centre: database copy, shared home sync, DNS "
        "switch. Rollback plan: DNS back to London before 14:00.",
        day=0,
        opens=time(6),
        hours=8,
    ),
    DemoStandby(
        "northwind",
        GRACE,
        "jira-software",
        "Upgrade the three production Jira nodes from 9.12.14 to 10.3.2, rolling, with the "
        "reindex after. Tested twice on staging.",
        day=0,
        opens=time(8),
        hours=8,
        confirm_with=EMILY,
    ),
    DemoStandby(
        "tasman",
        RUBY,
        "jira-service-management",
        "Upgrade Jira Service Management to 10.3.5 and migrate Assets to the new schema.",
        day=1,
        opens=time(7),
        hours=6,
        weeks_later=1,
        confirm_with=PRIYA,
    ),
    DemoStandby(
        "tasman",
        MARK,
        "bitbucket",
        "Move Bitbucket's shared home to new NFS storage (2,000 repositories).",
        day=0,
        opens=time(9),
        hours=8,
        decline="Both engineers who know Bitbucket are on the weekend on-call roster that "
        "weekend, so nobody can stand by for a planned change. The weekend after is free: "
        "please ask for that one.",
    ),
    DemoStandby(
        "northwind",
        KEN,
        "bamboo",
        "Upgrade Bamboo from 9.6.4 to 10.1.0 and re-register the remote agents.",
        day=1,
        opens=time(10),
        hours=4,
        withdraw="The change board moved the Bamboo upgrade to next quarter.",
    ),
]


def first_window(asked_at: datetime, zone: str, rules: StandbyRules, spec: DemoStandby) -> Window:
    """The spec's window on the first weekend on which the rules accept it when asked for at
    ``asked_at`` (then ``spec.weeks_later`` weekends on): the weekend of the earliest
    acceptable window, or the next one when the wanted hours are already too soon in it."""
    weekend = next_weekend(earliest_window(asked_at, zone, rules).starts_at, zone)
    saturday = weekend.starts_at.astimezone(ZoneInfo(zone)).date()
    for weeks in range(spec.weeks_later, spec.weeks_later + 2):
        day = saturday + timedelta(weeks=weeks, days=spec.day)
        start = wall_instant(day, spec.opens, zone)
        window = Window(start, start + timedelta(hours=spec.hours))
        if broken_rule(window, asked_at, zone, rules) is None:
            return window
    raise AssertionError(f"No weekend accepts {spec}; check the demo's standby hours.")


def _standby(people: dict[str, User]) -> None:
    rules = ServicePolicy.current().standby_rules()
    manager = people[SAM]
    for spec in STANDBY:
        zone = Organization.objects.get(slug=spec.org).time_zone
        window = first_window(timezone.now() + ASKING_MARGIN, zone, rules, spec)
        asker = people[spec.asker]
        fields = standby_actions.StandbyInput(
            SENS[spec.org], spec.product, spec.plan, window.starts_at, window.ends_at
        )
        standby = standby_actions.request_standby(asker, fields)
        if spec.confirm_with:
            standby_actions.confirm_standby(manager, standby.pk, engineer=spec.confirm_with)
        if spec.decline:
            standby_actions.decline_standby(manager, standby.pk, reason=spec.decline)
        if spec.withdraw:
            standby_actions.withdraw_standby(asker, standby.pk, reason=spec.withdraw)


# Health checks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoFinding:
    severity: Severity
    title: str
    evidence: str
    recommendation: str
    done: bool = False  # followed to done by the customer after delivery


@dataclass(frozen=True)
class DemoHealthCheck:
    """A request and how far it got: scheduled with ``engineer`` in ``in_days`` (the
    customer's local date), assessed with ``findings``, delivered with ``summary``, or
    cancelled by the requester with ``cancel``."""

    org: str
    asker: str
    product: str
    version: str
    environment: str
    notes: str
    engineer: str = ""
    in_days: int = 0
    assess: bool = False
    findings: tuple[DemoFinding, ...] = ()
    summary: str = ""
    cancel: str = ""


HEALTH_CHECKS = [
    DemoHealthCheck(
        "northwind",
        GRACE,
        "jira-software",
        "10.3.2",
        "production",
        "Three nodes behind an F5, PostgreSQL 14, 2.1 million issues.",
        engineer=EMILY,
        assess=True,
        findings=(
            DemoFinding(
                Severity.HIGH,
                "Database pool smaller than the node's request threads",
                "pool-max-size is 20 while each node serves up to 100 HTTP threads; the pool "
                "was exhausted twice last week (atlassian-jira.log).",
                "Raise pool-max-size to 60 on each node and check PostgreSQL's max_connections.",
                done=True,
            ),
            DemoFinding(
                Severity.MEDIUM,
                "No index snapshot schedule",
                "A new node would rebuild its index from scratch (4 hours).",
                "Schedule a daily index snapshot in System > Indexing.",
            ),
            DemoFinding(
                Severity.LOW,
                "Twelve disabled apps still installed",
                "Universal Plugin Manager lists 12 disabled user-installed apps.",
                "Uninstall the apps nobody uses any more.",
            ),
        ),
        summary="A healthy cluster with one risk to fix soon: the database pool. Details and "
        "recommendations below.",
    ),
    DemoHealthCheck(
        "kestrel",
        MARY,
        "confluence",
        "9.2.1",
        "production",
        "The intranet: two nodes, Oracle 19c; department home pages render slowly.",
        engineer=DAAN,
        assess=True,
        findings=(
            DemoFinding(
                Severity.HIGH,
                "Jira issue macros query Jira on every view",
                "Department home pages hold up to 40 Jira issue macros each; the page profile "
                "shows 11 s spent waiting for Jira.",
                "Cache the macros' results for 10 minutes and split the largest home pages.",
            ),
            DemoFinding(
                Severity.MEDIUM,
                "Attachment versions kept for ever",
                "Attachments take 1.4 TB, 70 % of it old versions.",
                "Set a data retention rule for attachment versions older than two years.",
            ),
        ),
    ),
    DemoHealthCheck(
        "tasman",
        RUBY,
        "jira-service-management",
        "10.3.2",
        "staging",
        "Staging copy of production, refreshed monthly; check before the Assets migration.",
        engineer=PRIYA,
        in_days=12,
    ),
    DemoHealthCheck(
        "kestrel",
        ALAN,
        "bitbucket",
        "9.4.3",
        "qa",
        "QA instance used to rehearse upgrades; mirror farm included.",
    ),
    DemoHealthCheck(
        "tasman",
        MARK,
        "bamboo",
        "10.1.0",
        "staging",
        "Staging Bamboo with 40 remote agents.",
        cancel="We retire Bamboo this year; no need to check it.",
    ),
]


def _health_checks(people: dict[str, User]) -> None:
    manager = people[SAM]
    for spec in HEALTH_CHECKS:
        asker = people[spec.asker]
        fields = check_actions.HealthCheckInput(
            SENS[spec.org], spec.product, spec.version, spec.environment, spec.notes
        )
        check = check_actions.request_health_check(asker, fields)
        if spec.engineer:
            zone = ZoneInfo(check.organization.time_zone)
            agreed = timezone.now().astimezone(zone).date() + timedelta(days=spec.in_days)
            check_actions.schedule_health_check(
                manager, check.pk, engineer=spec.engineer, agreed_date=agreed
            )
        if spec.assess:
            _assess(people[spec.engineer], asker, check.pk, spec)
        if spec.cancel:
            check_actions.cancel_health_check(asker, check.pk, reason=spec.cancel)


def _assess(engineer: User, asker: User, check_id: int, spec: DemoHealthCheck) -> None:
    check_actions.start_assessment(engineer, check_id)
    written = [
        check_actions.add_finding(
            engineer,
            check_id,
            check_actions.FindingInput(f.severity, f.title, f.evidence, f.recommendation),
        )
        for f in spec.findings
    ]
    if spec.summary:
        check_actions.deliver_health_check(engineer, check_id, summary=spec.summary)
        for finding, done in zip(written, spec.findings, strict=True):
            if done.done:
                check_actions.finish_finding(asker, check_id, finding.pk)


# Developer teams, escalations, callbacks, developer assistance ------------------------------

# (name, slug, products, members). Teams are configuration with no action of their own: they
# are saved through the audited function the admin saves them with.
TEAMS = [
    ("Jira team", "jira", ("jira-software", "jira-service-management"), (JIRA_DEV,)),
    ("Confluence team", "confluence", ("confluence",), (CONFLUENCE_DEV,)),
]


def _developer_teams(people: dict[str, User], password: str) -> None:
    people[CONFLUENCE_DEV] = create_account(
        None,
        email=CONFLUENCE_DEV,
        full_name="Dev Confluence Team",
        role=Role.DEVELOPER,
        time_zone="Europe/Amsterdam",
        password=password,
    )
    for name, slug, products, members in TEAMS:
        team = DeveloperTeam(name=name, slug=slug)
        save_configuration(people[ADMIN], team, ["name", "slug"], creating=True)
        team.products.set(Product.objects.filter(slug__in=products))
        team.members.set([people[email] for email in members])


def _escalations(people: dict[str, User]) -> None:
    """Two open (one raised by the customer, one by the support manager) and one resolved."""
    escalations.escalate(
        people[RUBY],
        _ticket("Jira nodes crash with OutOfMemoryError in the morning peak").key,
        reason=EscalationReason.CRITICAL_BUG,
        details="Clinicians depend on Jira; we need the app vendor's fix, not only a workaround.",
    )
    escalations.escalate(
        people[SAM],
        _ticket("All Jira nodes return 503 after a node restart").key,
        reason=EscalationReason.CRITICAL_BUG,
        details="Warehouses stopped for hours; the root cause must be found before the next "
        "restart.",
    )
    resolved = escalations.escalate(
        people[MARY],
        _ticket("PDF export of large spaces runs out of memory").key,
        reason=EscalationReason.NOT_PROGRESSING,
        details="The quarterly risk report is due and we still cannot export the space.",
    )
    escalations.resolve_escalation(
        people[EVE],
        resolved.pk,
        outcome="Called Mary: the space is exported in parts for this quarter's report, and "
        "Daan asks the Confluence team for the release with the memory fix. Daan keeps the "
        "ticket.",
    )


def _callbacks(people: dict[str, User]) -> None:
    """One open for a support manager, one open for an escalation manager, one called back."""
    escalations.request_callback(
        people[KEN],
        _ticket("Page edits fail with 'Collaborative editing unavailable'").key,
        escalations.CallbackInput(
            wants=CallbackRole.SUPPORT_MANAGER,
            complaint="Half of our edits fail and all we get is questions. We want a plan.",
            phone=PHONES["northwind"],
            preferred_times="Weekdays 09:00 to 17:00 New York time",
        ),
    )
    escalations.request_callback(
        people[RUBY],
        _ticket("Approvals stuck in 'Waiting for approval' after the upgrade").key,
        escalations.CallbackInput(
            wants=CallbackRole.ESCALATION_MANAGER,
            complaint="Patients' equipment requests are blocked and nobody has answered yet.",
            phone=PHONES["tasman"],
            preferred_times="Any time; this is urgent",
        ),
    )
    called = escalations.request_callback(
        people[ALAN],
        _ticket("A full reindex on staging takes 9 hours").key,
        escalations.CallbackInput(
            wants=CallbackRole.SUPPORT_MANAGER,
            complaint="Each answer takes a day; our upgrade rehearsal is waiting on it.",
            phone=PHONES["kestrel"],
        ),
    )
    escalations.record_callback_outcome(
        people[SAM],
        called.pk,
        called_back_at=timezone.now(),
        outcome="Called Alan: Priya will update the ticket every morning London time until "
        "the reindex is under 3 hours. Alan is content with that.",
    )


def _assistance(people: dict[str, User]) -> None:
    """Asked by the ticket's owner; one answered by the Jira team, two still open."""
    boards = _ticket("Boards take 40 seconds to load since the upgrade to 10.3")
    answered = _ask(
        boards,
        "Board load runs a 38 s query on AO_60DB71_RAPIDVIEW after the upgrade to 10.3.2. Is "
        "an index missing when an upgrade task is skipped?",
        "Slow query log from the customer's DBA is on the ticket.",
        Urgency.HIGH,
    )
    escalations.answer_request(
        people[JIRA_DEV],
        answered.pk,
        answer="Yes: upgrade task 100234 creates that index and is skipped when the task runs "
        "on a node that was not first to start. Create the index by hand (statement in the "
        "upgrade notes of 10.3.3) and the boards load in under a second.",
    )
    _ask(
        _ticket("Jira nodes crash with OutOfMemoryError in the morning peak"),
        "An app's cache holds 6 GB of the heap; does Jira 10.3 bound app caches, or must the "
        "app vendor fix it?",
        "Heap dumps of both nodes are on the ticket.",
        Urgency.HIGH,
    )
    _ask(
        _ticket("PDF export of large spaces runs out of memory"),
        "Which release carries the PDF export memory fix, and is there a backport to 8.5?",
        "",
        Urgency.NORMAL,
    )


def _ask(ticket: Ticket, question: str, evidence: str, urgency: Urgency) -> AssistanceRequest:
    assert ticket.owner is not None, ticket.key
    return escalations.ask_developers(
        ticket.owner, ticket.key, escalations.AssistanceInput(question, evidence, urgency)
    )


# Surveys ---------------------------------------------------------------------------------------

# (closed ticket, rating, what went well, what could have been better). The other closed
# tickets' surveys wait for their answer.
SURVEY_ANSWERS = [
    (
        "Git pushes over SSH time out for large repositories",
        5,
        "One question and the exact fix: the push went through the same day.",
        "",
    ),
    (
        "Jira unavailable: database connection pool exhausted",
        4,
        "The call got our network team and support talking within the hour.",
        "We had to ask twice for the dbconfig.xml change in writing.",
    ),
    (
        "Search finds nothing for pages created today",
        5,
        "Fixed in one step.",
        "",
    ),
    (
        "Review e-mails link to the old base URL",
        2,
        "The answer was right.",
        "Two days for a one-line answer that is in the documentation.",
    ),
]


def survey_token(invitation: Invitation) -> str:
    """The token in the link of the invitation e-mail, read the way the customer reads it:
    only its digest is stored, so the e-mail is the one place it is."""
    message = OutboxMessage.objects.get(
        event_key=f"feedback.invitation:{invitation.ticket_id}",
        recipient=invitation.contact.email,
    )
    placeholder = "TOKEN"
    path = re.escape(reverse("feedback:survey", args=[placeholder]))
    found = re.search(path.replace(placeholder, "([A-Za-z0-9_-]+)"), message.body)
    if found is None:
        raise AssertionError(f"No survey link in the invitation of ticket {invitation.ticket_id}.")
    return found.group(1)


def _surveys() -> None:
    for summary, rating, went_well, could_be_better in SURVEY_ANSWERS:
        invitation = Invitation.objects.select_related("contact").get(ticket=_ticket(summary))
        feedback.answer_survey(
            survey_token(invitation),
            feedback.AnswerInput(rating, went_well, could_be_better),
        )
