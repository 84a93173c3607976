"""The demo's tickets: three dozen conversations in every status, played through the ticket
actions by the people of the demo world, as plain data and the small player that runs it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.audit.actions import record
from premierdesk.catalog.models import Level
from premierdesk.tickets import actions
from premierdesk.tickets.models import Environment, Status, Ticket, TicketPolicy

# Who speaks in a story: the ticket's opener, its current owner, or anyone by e-mail.
CONTACT = "contact"
OWNER = "owner"

# Staff (world.STAFF) and engineers (world.OFFICES).
SAM = "support.manager@premier.example"
EVE = "escalation@premier.example"
OLIVIA = "olivia.nguyen@premier.example"
LIAM = "liam.walker@premier.example"
PRIYA = "priya.raman@premier.example"
ARJUN = "arjun.mehta@premier.example"
SANNE = "sanne.devries@premier.example"
DAAN = "daan.bakker@premier.example"
CAMILA = "camila.souza@premier.example"
RAFAEL = "rafael.lima@premier.example"
EMILY = "emily.carter@premier.example"
MARCUS = "marcus.reed@premier.example"

# Customers (world.ORGANIZATIONS and world.LICENSES): the two named contacts active today, and
# the colleague each organization brings in as a participant.
GRACE, KEN, DAN = "grace@northwind.example", "ken@northwind.example", "dan.dba@northwind.example"
ALAN, MARY, JOAN = "alan@kestrel.example", "mary@kestrel.example", "joan.net@kestrel.example"
RUBY, MARK, HUGH = "ruby@tasman.example", "mark@tasman.example", "hugh.ops@tasman.example"

SENS = {"northwind": "SEN-4021937", "kestrel": "SEN-5187240", "tasman": "SEN-6349158"}
# The numbers customers call from (fictional ranges: NANP 555-01xx, Ofcom drama, ACMA drama).
PHONES = {
    "northwind": "+1 212 555 0142",
    "kestrel": "+44 20 7946 0321",
    "tasman": "+61 3 5550 4127",
}

PROD, STAGING, QA, OTHER = (
    Environment.PRODUCTION,
    Environment.STAGING,
    Environment.QA,
    Environment.OTHER,
)
S = Status


# The player ------------------------------------------------------------------------------


@dataclass
class Scene:
    """One ticket being played: its key, its people, and who owns it now."""

    key: str
    org: str
    opened_at: datetime
    contact: User
    people: dict[str, User]
    owner: User | None = None

    def person(self, who: str) -> User:
        if who == CONTACT:
            return self.contact
        if who == OWNER:
            assert self.owner is not None, f"{self.key}: a step needs an owner; assign one first"
            return self.owner
        return self.people[who]


class Step(Protocol):
    def play(self, scene: Scene) -> None: ...


@dataclass(frozen=True)
class Assign:
    """The support manager gives the ticket to an engineer."""

    engineer: str

    def play(self, scene: Scene) -> None:
        manager = scene.person(SAM)
        owner = Ticket.objects.get(pk=int(scene.key.removeprefix("PS-"))).owner
        if owner is None or owner.email != self.engineer:  # routing may have chosen them
            actions.assign_owner(manager, scene.key, owner_email=self.engineer)
        scene.owner = scene.person(self.engineer)


@dataclass(frozen=True)
class Handover:
    """The owner hands the ticket to an engineer in the next office (follow the sun)."""

    engineer: str
    reason: str

    def play(self, scene: Scene) -> None:
        actions.assign_owner(
            scene.person(OWNER), scene.key, owner_email=self.engineer, reason=self.reason
        )
        scene.owner = scene.person(self.engineer)


@dataclass(frozen=True)
class Say:
    """A public comment: the customer sees it."""

    who: str
    body: str

    def play(self, scene: Scene) -> None:
        actions.add_comment(scene.person(self.who), scene.key, body=self.body)


@dataclass(frozen=True)
class Note:
    """An internal comment: staff only."""

    who: str
    body: str

    def play(self, scene: Scene) -> None:
        actions.add_comment(scene.person(self.who), scene.key, body=self.body, internal=True)


@dataclass(frozen=True)
class Move:
    to: Status
    who: str = OWNER
    reason: str = ""

    def play(self, scene: Scene) -> None:
        actions.transition(scene.person(self.who), scene.key, to=self.to, reason=self.reason)


@dataclass(frozen=True)
class Relevel:
    level: Level
    who: str
    reason: str

    def play(self, scene: Scene) -> None:
        person = scene.person(self.who)
        actions.change_level(person, scene.key, level=self.level, reason=self.reason)


@dataclass(frozen=True)
class Invite:
    """The named contact adds a colleague of the same organization as a participant."""

    person: str

    def play(self, scene: Scene) -> None:
        actions.add_participant(scene.contact, scene.key, email=self.person)


@dataclass(frozen=True)
class Phone:
    """The customer called the onboarding number right after opening; the owner logs it."""

    minutes: int
    notes: str

    def play(self, scene: Scene) -> None:
        call = actions.CallInput(
            direction="inbound",
            phone_number=PHONES[scene.org],
            spoke_with=scene.contact.full_name,
            started_at=scene.opened_at,
            duration_minutes=self.minutes,
            notes=self.notes,
        )
        actions.log_call(scene.person(OWNER), scene.key, call)


@dataclass(frozen=True)
class GoesQuiet:
    """The owner asks the customer something and never hears back: the idle-ticket job makes
    the ticket inactive (see ``_without_waiting``). Always a story's last step."""

    question: str


@dataclass(frozen=True)
class DemoTicket:
    org: str
    opener: str
    product: str
    version: str
    environment: Environment
    level: Level
    summary: str
    description: str
    story: tuple[Step | GoesQuiet, ...] = ()

    def fields(self) -> actions.TicketInput:
        return actions.TicketInput(
            sen=SENS[self.org],
            product=self.product,
            product_version=self.version,
            environment=self.environment,
            level=self.level,
            summary=self.summary,
            description=self.description,
        )


def load() -> None:
    """Open every demo ticket as its named contact and play its story. Call after the named
    contacts are approved, inside the demo's transaction."""
    people = {user.email: user for user in User.objects.all()}
    quiet: list[tuple[Scene, GoesQuiet]] = []
    for spec in DEMO_TICKETS:
        scene = _opened(spec, people)
        for step in spec.story:
            if isinstance(step, GoesQuiet):
                quiet.append((scene, step))
            else:
                step.play(scene)
    _go_quiet(quiet)


def _opened(spec: DemoTicket, people: dict[str, User]) -> Scene:
    contact = people[spec.opener]
    ticket = actions.open_ticket(contact, spec.fields())
    return Scene(ticket.key, spec.org, ticket.opened_at, contact, people)


def _go_quiet(quiet: list[tuple[Scene, GoesQuiet]]) -> None:
    """The demo runs at real time, so it cannot wait a week for a customer's silence, and
    running the idle-ticket job with a ``now`` a week ahead would date the move, its timeline
    event and the ticket's status time in the future. Instead the policy's wait is 0 days while
    these tickets are put waiting for the customer, and the job runs at the real time: every
    timestamp stays true, the timeline says "No answer from the customer for 0 days", and the
    audit trail shows the policy change and its undoing. They close after the policy's real
    wait, like any other inactive ticket."""
    with _without_waiting():
        for scene, step in quiet:
            actions.add_comment(scene.person(OWNER), scene.key, body=step.question)
            actions.transition(scene.person(OWNER), scene.key, to=Status.WAITING_FOR_CUSTOMER)
        # Inside the window, so the job's reason names the wait that applied.
        actions.advance_idle_tickets(timezone.now())


@contextmanager
def _without_waiting() -> Iterator[None]:
    policy = TicketPolicy.current()
    days = policy.inactive_after_days
    _set_inactive_after(policy, 0, "Demo: tickets that went quiet become inactive at once.")
    # No try/finally: the demo loads in one transaction, so on an error none of this stays.
    yield
    _set_inactive_after(policy, days, "Demo: the policy's wait is back.")


def _set_inactive_after(policy: TicketPolicy, days: int, reason: str) -> None:
    before = policy.inactive_after_days
    policy.inactive_after_days = days
    policy.save(update_fields=["inactive_after_days"])
    record(
        None,
        "tickets.ticketpolicy.changed",
        policy,
        changes={"inactive_after_days": [before, days]},
        reason=reason,
        system="premierdesk demo",
    )


# The tickets -------------------------------------------------------------------------------
# Twelve per organization: two waiting for support (one unassigned, one back with support),
# three in progress, two waiting for the customer, one inactive, two resolved, two closed.

NORTHWIND = [
    DemoTicket(
        "northwind",
        GRACE,
        "jira-software",
        "9.12.14",
        PROD,
        Level.L1,
        "All Jira nodes return 503 after a node restart",
        "We restarted node3 for patching at 07:10 EST. Since then every node answers 503 and "
        "the warehouse teams cannot pick orders. Nothing else changed.",
        (
            Assign(EMILY),
            Move(S.IN_PROGRESS),
            Phone(25, "Cluster lock table still held by node3's old id; DBA on the line."),
            Say(
                OWNER,
                "Thanks for the call. As agreed: please send thread dumps from node1 and node2 "
                "and the atlassian-jira.log of node3 from 07:00 onwards.",
            ),
            Invite(DAN),
            Say(DAN, "clusterlock has 14 rows owned by the old node3 id. Dumps are uploading."),
            Note(EVE, "Logistics customer, warehouses stopped: hourly updates to me, please."),
            Say(
                OWNER,
                "Those stale locks block startup. Please delete the rows of clusterlockstatus "
                "owned by the old node3 id, then start node1 on its own.",
            ),
            Say(CONTACT, "Node1 is up and users are picking again. Node2 and node3 follow."),
            Relevel(Level.L2, OWNER, "Service restored; the root cause is still open."),
            Handover(OLIVIA, "End of the Austin day: Sydney continues the root-cause analysis."),
            Note(OWNER, "Read the handover notes; will go through node3's shutdown log."),
        ),
    ),
    DemoTicket(
        "northwind",
        KEN,
        "confluence",
        "8.5.16",
        PROD,
        Level.L2,
        "Page edits fail with 'Collaborative editing unavailable'",
        "Since Monday about half of the edits fail with the Synchrony error banner. Viewing "
        "pages works.",
        (
            Assign(DAAN),
            Move(S.IN_PROGRESS),
            Say(
                OWNER,
                "Could you send the Synchrony log and your proxy configuration for /synchrony? "
                "The banner usually means the websocket upgrade is refused.",
            ),
            Move(S.WAITING_FOR_CUSTOMER, reason="Waiting for the logs."),
        ),
    ),
    DemoTicket(
        "northwind",
        GRACE,
        "bitbucket",
        "8.19.9",
        PROD,
        Level.L2,
        "Git pushes over SSH time out for large repositories",
        "Pushes to the routing-engine repository (12 GB) fail after about a minute with "
        "'Connection reset'. Small repositories are fine.",
        (
            Assign(ARJUN),
            Move(S.IN_PROGRESS),
            Say(OWNER, "Is there a load balancer between the clients and Bitbucket for SSH?"),
            Move(S.WAITING_FOR_CUSTOMER),
            Say(CONTACT, "Yes, an HAProxy in TCP mode. Its idle timeout is 60 seconds."),
            Say(
                OWNER,
                "That is it: a large push is silent while objects are packed. Please raise "
                "'timeout server' and 'timeout client' to 10 minutes for the SSH frontend.",
            ),
            Move(S.RESOLVED, reason="Load balancer idle timeout raised."),
            Say(CONTACT, "Confirmed: the routing-engine push went through. Thank you."),
            Move(S.CLOSED, who=CONTACT, reason="Confirmed fixed."),
        ),
    ),
    DemoTicket(
        "northwind",
        KEN,
        "jira-service-management",
        "5.12.8",
        STAGING,
        Level.L4,
        "Upgrade path from Jira Service Management 5.12 to 10.3",
        "We plan the upgrade for next quarter. Can we go straight from 5.12 to 10.3, and which "
        "apps should we check first?",
    ),
    DemoTicket(
        "northwind",
        GRACE,
        "bamboo",
        "9.6.4",
        PROD,
        Level.L3,
        "Build agents go offline every night at 02:00",
        "All remote agents disconnect at about 02:00 and come back at 02:20. Nightly builds "
        "that start then fail.",
        (
            Assign(LIAM),
            Move(S.IN_PROGRESS),
            Note(OWNER, "02:00 is when their database backup runs; suspect the JMS broker."),
            GoesQuiet(
                "Does a database backup or snapshot run at 02:00? Please send the agent logs "
                "of one night from 01:50 to 02:30."
            ),
        ),
    ),
    DemoTicket(
        "northwind",
        KEN,
        "crowd",
        "5.3.3",
        PROD,
        Level.L2,
        "LDAP directory sync fails after the certificate renewal",
        "The corporate LDAP certificate was renewed yesterday. Since then Crowd's sync fails "
        "with 'PKIX path building failed' and new hires cannot sign in.",
        (
            Assign(SANNE),
            Move(S.IN_PROGRESS),
            Say(
                OWNER,
                "The new certificate is signed by a new intermediate CA. Import it into the "
                "truststore Crowd uses (keytool -importcert into its JRE's cacerts) and restart.",
            ),
            Say(CONTACT, "Imported and restarted; the sync finished in 3 minutes."),
            Move(S.RESOLVED, reason="Intermediate CA added to the truststore."),
        ),
    ),
    DemoTicket(
        "northwind",
        GRACE,
        "fisheye",
        "4.8.15",
        QA,
        Level.L4,
        "Indexing of a new repository never finishes",
        "In our QA Fisheye the new 'customs-api' repository has been indexing for three days.",
        (
            Assign(EMILY),
            Say(OWNER, "How many commits and branches does customs-api have?"),
            Move(S.WAITING_FOR_CUSTOMER),
        ),
    ),
    DemoTicket(
        "northwind",
        KEN,
        "crucible",
        "4.8.15",
        PROD,
        Level.L3,
        "Review e-mails link to the old base URL",
        "We moved Crucible to code.northwind.example. Review e-mails still link to the old host.",
        (
            Assign(ARJUN),
            Say(OWNER, "Set the new address under Administration > Server settings > Site URL."),
            Move(S.RESOLVED),
            Say(CONTACT, "Done, the links are right now."),
            Move(S.CLOSED, who=CONTACT, reason="Confirmed fixed."),
        ),
    ),
    DemoTicket(
        "northwind",
        GRACE,
        "jira-software",
        "10.3.2",
        PROD,
        Level.L2,
        "Boards take 40 seconds to load since the upgrade to 10.3",
        "Since the upgrade to 10.3.2 on Saturday every Scrum board takes about 40 seconds to "
        "load. Issue view is fast.",
        (
            Assign(OLIVIA),
            Move(S.IN_PROGRESS),
            Say(OWNER, "Please run the board with ?debug and send the slow query log."),
            Invite(DAN),
            Say(DAN, "Slow log attached: one query on AO_60DB71_RAPIDVIEW takes 38 s."),
            Note(OWNER, "Missing index after the upgrade task was skipped; checking the logs."),
        ),
    ),
    DemoTicket(
        "northwind",
        KEN,
        "confluence",
        "9.2.1",
        OTHER,
        Level.L4,
        "Sizing for a Confluence training instance",
        "We want a small Confluence for training, 50 users. What heap and CPU do you advise?",
        (
            Assign(CAMILA),
            Say(OWNER, "For 50 users 2 CPUs and a 4 GB heap are plenty; see the sizing guide."),
            Move(S.RESOLVED),
            Say(CONTACT, "Thanks. Does that include the Synchrony process?"),
            Move(S.WAITING_FOR_SUPPORT, who=CONTACT, reason="One more question."),
        ),
    ),
    DemoTicket(
        "northwind",
        GRACE,
        "jira-service-management",
        "10.3.2",
        PROD,
        Level.L1,
        "Customer portal answers 500 for every request",
        "Since 09:30 EST the help center and every portal page return HTTP 500. Our drivers "
        "cannot report incidents.",
        (
            Assign(RAFAEL),
            Move(S.IN_PROGRESS),
            Phone(15, "An app updated overnight breaks the portal; customer agreed to roll back."),
            Say(OWNER, "Please roll the 'Portal Themes' app back to the previous version."),
            Say(CONTACT, "Rolled back; the portal works again."),
            Move(S.RESOLVED, reason="App update rolled back; the vendor is informed."),
        ),
    ),
    DemoTicket(
        "northwind",
        KEN,
        "bitbucket",
        "9.4.3",
        STAGING,
        Level.L3,
        "Staging mirror lags hours behind the primary",
        "The smart mirror in our staging farm is 3 to 5 hours behind the primary.",
        (
            Assign(LIAM),
            Move(S.IN_PROGRESS),
            Say(OWNER, "How many repositories does the mirror farm sync, and over which link?"),
            Say(CONTACT, "About 2,000 repositories, over a 100 Mbit VPN."),
        ),
    ),
]

KESTREL = [
    DemoTicket(
        "kestrel",
        ALAN,
        "jira-software",
        "9.12.14",
        PROD,
        Level.L1,
        "Jira unavailable: database connection pool exhausted",
        "Jira stopped answering at 08:40 GMT. The logs are full of 'Timeout waiting for idle "
        "object'. Trading desks use Jira for change approvals.",
        (
            Assign(SANNE),
            Move(S.IN_PROGRESS),
            Phone(30, "Pool exhausted by dead connections; network team joins the ticket."),
            Invite(JOAN),
            Say(JOAN, "The new firewall drops idle TCP sessions after 15 minutes."),
            Say(
                OWNER,
                "That explains it. Please set a validation query and a 5 minute keep-alive in "
                "dbconfig.xml, then restart the nodes one at a time.",
            ),
            Say(CONTACT, "All nodes restarted; Jira is healthy."),
            Move(S.RESOLVED, reason="Connection validation and keep-alive configured."),
            Move(S.CLOSED, who=CONTACT, reason="Stable for a day."),
        ),
    ),
    DemoTicket(
        "kestrel",
        MARY,
        "confluence",
        "8.5.16",
        PROD,
        Level.L2,
        "PDF export of large spaces runs out of memory",
        "Exporting the Risk Policies space (4,000 pages) to PDF takes the node down with "
        "OutOfMemoryError.",
        (
            Assign(DAAN),
            Move(S.IN_PROGRESS),
            Note(OWNER, "Matches the export memory fix in 8.5.17; check their apps first."),
            Say(OWNER, "Until the upgrade, export the space in parts of a few hundred pages."),
        ),
    ),
    DemoTicket(
        "kestrel",
        ALAN,
        "crowd",
        "6.0.2",
        PROD,
        Level.L3,
        "SSO sessions expire after 5 minutes",
        "Since the move to Crowd 6 people must sign in again every 5 minutes instead of 8 hours.",
        (
            Assign(RAFAEL),
            Move(S.IN_PROGRESS),
            GoesQuiet(
                "Please send a screenshot of Session settings and the crowd.properties of "
                "one Jira node."
            ),
        ),
    ),
    DemoTicket(
        "kestrel",
        MARY,
        "bitbucket",
        "9.4.3",
        PROD,
        Level.L2,
        "Pull request diffs are blank for files over 1 MB",
        "Reviewers see an empty diff for large generated files and approve blind.",
        (
            Assign(ARJUN),
            Move(S.IN_PROGRESS),
            Say(OWNER, "Please send the value of page.max.diff.lines in bitbucket.properties."),
            Move(S.WAITING_FOR_CUSTOMER),
        ),
    ),
    DemoTicket(
        "kestrel",
        ALAN,
        "jira-service-management",
        "10.3.2",
        QA,
        Level.L4,
        "How do SLAs behave when a request type changes?",
        "If an agent moves a request to another request type, does its SLA restart?",
    ),
    DemoTicket(
        "kestrel",
        MARY,
        "crucible",
        "4.8.15",
        OTHER,
        Level.L4,
        "Can Crucible run on Java 21?",
        "Our platform team wants to move every Java service to Java 21 next year.",
        (
            Assign(EMILY),
            Say(OWNER, "Crucible 4.8 supports Java 11 and 17, not 21; the matrix is linked."),
            Move(S.RESOLVED),
            Move(S.CLOSED, who=CONTACT, reason="Answered, thanks."),
        ),
    ),
    DemoTicket(
        "kestrel",
        ALAN,
        "jira-software",
        "10.3.2",
        STAGING,
        Level.L3,
        "A full reindex on staging takes 9 hours",
        "Production reindexes in 2 hours with the same data; staging takes 9.",
        (
            Assign(PRIYA),
            Move(S.IN_PROGRESS),
            Say(OWNER, "Is staging's index on local disk, or on the shared NFS home?"),
            Say(CONTACT, "On NFS. We will move it to local SSD and try again."),
        ),
    ),
    DemoTicket(
        "kestrel",
        MARY,
        "confluence",
        "9.2.1",
        PROD,
        Level.L3,
        "Space home pages with many macros render slowly",
        "Space home pages with Jira issue macros take 10 to 15 seconds to show.",
        (
            Assign(CAMILA),
            Move(S.IN_PROGRESS),
            Relevel(Level.L2, CONTACT, "It is every department's home page: 3,000 people."),
            Say(OWNER, "Understood. Please send a page profile of one of those home pages."),
        ),
    ),
    DemoTicket(
        "kestrel",
        ALAN,
        "bitbucket",
        "9.4.3",
        PROD,
        Level.L1,
        "Bitbucket down: shared home is full",
        "Bitbucket stopped at 14:05 GMT with 'No space left on device' on the shared home.",
        (
            Assign(DAAN),
            Move(S.IN_PROGRESS),
            Phone(20, "Shared home full of old export files; customer freed space during call."),
            Say(OWNER, "Please also enable the cleanup of data exports older than 7 days."),
            Say(CONTACT, "Done. Bitbucket is back and the disk is at 40 %."),
            Move(S.RESOLVED, reason="Disk space freed; export cleanup enabled."),
        ),
    ),
    DemoTicket(
        "kestrel",
        MARY,
        "jira-service-management",
        "10.3.2",
        PROD,
        Level.L2,
        "E-mail requests are not created from the support mailbox",
        "Since Friday messages to servicedesk@kestrel.example stay unread; no requests appear.",
        (
            Assign(PRIYA),
            Move(S.IN_PROGRESS),
            Say(OWNER, "Did the mailbox password or OAuth consent change on Friday?"),
            Move(S.WAITING_FOR_CUSTOMER),
            Say(CONTACT, "Yes: IT rotated the mailbox credentials on Friday. Updated now."),
        ),
    ),
    DemoTicket(
        "kestrel",
        ALAN,
        "crowd",
        "6.0.2",
        STAGING,
        Level.L4,
        "Plan for the Crowd 6 upgrade of the remaining directories",
        "Which directory types need extra steps when we upgrade the last Crowd 5 instance?",
        (
            Assign(MARCUS),
            Say(OWNER, "Only delegated LDAP directories: re-save each after the upgrade."),
            Move(S.RESOLVED),
        ),
    ),
    DemoTicket(
        "kestrel",
        MARY,
        "jira-software",
        "10.3.2",
        PROD,
        Level.L2,
        "Automation rules run twice after a node was added",
        "Since node4 joined the cluster every scheduled automation rule runs twice.",
        (
            Assign(SANNE),
            Move(S.IN_PROGRESS),
            Say(OWNER, "Please send the cluster.properties of node4 and of one other node."),
            Move(S.WAITING_FOR_CUSTOMER),
        ),
    ),
]

TASMAN = [
    DemoTicket(
        "tasman",
        RUBY,
        "jira-software",
        "10.3.2",
        PROD,
        Level.L1,
        "Jira nodes crash with OutOfMemoryError in the morning peak",
        "Two of three nodes crashed at 08:50 AEST; clinicians cannot file incident reports.",
        (
            Assign(OLIVIA),
            Move(S.IN_PROGRESS),
            Phone(35, "Heap dumps point at an app's cache; customer disabled it on the call."),
            Invite(HUGH),
            Say(HUGH, "Heap dumps from both nodes are on the ticket's upload link."),
            Say(OWNER, "The app's cache holds 6 GB. Keep it disabled until the vendor fixes it."),
            Note(EVE, "Healthcare customer: keep the vendor escalation moving."),
            Relevel(Level.L2, CONTACT, "Stable with the app disabled."),
            Handover(SANNE, "End of the Sydney day: Amsterdam follows the app vendor."),
        ),
    ),
    DemoTicket(
        "tasman",
        MARK,
        "confluence",
        "9.2.1",
        PROD,
        Level.L2,
        "Search finds nothing for pages created today",
        "New pages do not appear in search results until the next day.",
        (
            Assign(OLIVIA),
            Move(S.IN_PROGRESS),
            Say(OWNER, "The index queue is stuck. Please flush it under General Configuration."),
            Move(S.RESOLVED, reason="Index queue flushed."),
            Move(S.CLOSED, who=CONTACT, reason="New pages are found again."),
        ),
    ),
    DemoTicket(
        "tasman",
        RUBY,
        "bamboo",
        "10.1.0",
        STAGING,
        Level.L3,
        "Plans fail to check out after the token rotation",
        "After rotating Bitbucket access tokens all staging plans fail at checkout.",
        (
            Assign(LIAM),
            Say(OWNER, "Are the plans using linked repositories or plan-level credentials?"),
            Move(S.WAITING_FOR_CUSTOMER),
        ),
    ),
    DemoTicket(
        "tasman",
        MARK,
        "fisheye",
        "4.8.15",
        PROD,
        Level.L3,
        "Repository scans have stalled",
        "Fisheye has not picked up commits for two days on five repositories.",
        (
            Assign(ARJUN),
            Move(S.IN_PROGRESS),
            GoesQuiet("Please send the Fisheye debug log with the scan of one repository."),
        ),
    ),
    DemoTicket(
        "tasman",
        RUBY,
        "jira-service-management",
        "10.3.2",
        PROD,
        Level.L2,
        "Approvals stuck in 'Waiting for approval' after the upgrade",
        "Approvers click Approve, but requests stay in 'Waiting for approval'.",
    ),
    DemoTicket(
        "tasman",
        MARK,
        "crowd",
        "6.0.2",
        PROD,
        Level.L3,
        "Nested groups missing in Jira after a Crowd sync",
        "Members of nested groups lose access to Jira projects after each sync.",
        (
            Assign(MARCUS),
            Move(S.IN_PROGRESS),
            Say(OWNER, "Is 'Enable nested groups' on for the Crowd directory in Jira as well?"),
            Say(CONTACT, "It was off in Jira. Switched on; waiting for the next sync."),
        ),
    ),
    DemoTicket(
        "tasman",
        RUBY,
        "bitbucket",
        "9.4.3",
        PROD,
        Level.L2,
        "Webhooks to CI fail with TLS handshake errors",
        "Since the CI server got a new certificate, webhooks fail with 'handshake_failure'.",
        (
            Assign(LIAM),
            Move(S.IN_PROGRESS),
            Say(OWNER, "The new certificate needs TLS 1.3; enable it in the JVM options."),
            Move(S.RESOLVED, reason="TLS 1.3 enabled for outgoing connections."),
        ),
    ),
    DemoTicket(
        "tasman",
        MARK,
        "crucible",
        "4.8.15",
        QA,
        Level.L4,
        "License user count differs between Crucible and Fisheye",
        "Crucible shows 410 licensed users, Fisheye 385, on the same instance.",
        (
            Assign(EMILY),
            Say(OWNER, "Crucible also counts users who only review; the difference is expected."),
            Move(S.RESOLVED),
            Move(S.CLOSED, who=CONTACT, reason="Understood."),
        ),
    ),
    DemoTicket(
        "tasman",
        RUBY,
        "jira-software",
        "10.3.2",
        PROD,
        Level.L2,
        "Attachments over 10 MB fail to upload",
        "Uploading imaging reports over 10 MB ends with 'Request Entity Too Large'.",
        (
            Assign(CAMILA),
            Move(S.IN_PROGRESS),
            Say(OWNER, "That message comes from the proxy; check client_max_body_size in nginx."),
            Note(OWNER, "Jira's own limit is 100 MB here, so it is the proxy."),
        ),
    ),
    DemoTicket(
        "tasman",
        MARK,
        "confluence",
        "9.2.1",
        QA,
        Level.L4,
        "Do retention rules delete page history?",
        "Before we switch on data retention rules: do they remove historical page versions?",
        (
            Assign(MARCUS),
            Say(OWNER, "Yes, version history older than the rule's age is removed for good."),
            Move(S.RESOLVED),
            Move(S.WAITING_FOR_SUPPORT, who=CONTACT, reason="And attachments' versions?"),
        ),
    ),
    DemoTicket(
        "tasman",
        RUBY,
        "jira-service-management",
        "10.3.2",
        STAGING,
        Level.L3,
        "Assets import from CSV fails on date columns",
        "The nightly Assets import stops at the first row with a date like 03/04/2026.",
        (
            Assign(RAFAEL),
            Say(OWNER, "Which date format is set in the import's data locator configuration?"),
            Move(S.WAITING_FOR_CUSTOMER),
        ),
    ),
    DemoTicket(
        "tasman",
        MARK,
        "jira-software",
        "10.3.2",
        PROD,
        Level.L1,
        "Jira down after the database failover",
        "After the planned database failover at 19:00 AEST no Jira node can connect.",
        (
            Assign(OLIVIA),
            Move(S.IN_PROGRESS),
            Phone(15, "dbconfig.xml points at the old primary's host name; fixed on the call."),
            Say(OWNER, "Please point dbconfig.xml at the cluster's listener name, not a host."),
            Say(CONTACT, "Changed on all nodes; Jira is up."),
            Move(S.RESOLVED, reason="Nodes now use the failover listener."),
        ),
    ),
]

DEMO_TICKETS = [*NORTHWIND, *KESTREL, *TASMAN]
