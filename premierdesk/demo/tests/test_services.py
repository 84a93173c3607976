"""The demo's Premier services, loaded at LOADED_AT: environment notes in every space, weekend
standby and health checks in every state, developer teams, escalations, callbacks and
developer assistance open and done, and answered surveys with one low rating. Each belongs to
one organization, and nothing is dated after the load but what is meant to be ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Model
from django.utils import timezone

from premierdesk.accounts.models import Role, User
from premierdesk.audit.models import AuditEntry
from premierdesk.customers.models import Organization
from premierdesk.customers.queries import active_contacts
from premierdesk.demo import services as demo_services
from premierdesk.demo import world
from premierdesk.demo.tests.conftest import LOADED_AT
from premierdesk.escalations.models import (
    AssistanceRequest,
    CallbackRequest,
    CallbackRole,
    DeveloperTeam,
    Escalation,
)
from premierdesk.feedback.models import Answer, Invitation
from premierdesk.feedback.queries import low_rating_recipients
from premierdesk.lib.coverage import wall_instant
from premierdesk.lib.errors import NotFound
from premierdesk.notifications.models import OutboxMessage
from premierdesk.offices.models import Engineer
from premierdesk.services.models import (
    FindingStatus,
    HealthCheck,
    HealthCheckStatus,
    ServicePolicy,
    StandbyRequest,
    StandbyStatus,
)
from premierdesk.services.windows import (
    StandbyRules,
    Window,
    broken_rule,
    earliest_window,
    next_weekend,
)
from premierdesk.spaces.actions import HOW_DO_I_SLUG
from premierdesk.spaces.markdown import render
from premierdesk.spaces.models import Page, PageKind, PageVersion
from premierdesk.spaces.queries import readable_page
from premierdesk.tickets import queries as ticket_queries
from premierdesk.tickets.models import EventKind, Status, Ticket, Visibility

pytestmark = pytest.mark.django_db


def local_today(org: Organization):
    return timezone.now().astimezone(ZoneInfo(org.time_zone)).date()


def is_engineer(user: User | None) -> bool:
    return user is not None and Engineer.objects.filter(user=user).exists()


# Spaces --------------------------------------------------------------------------------------


def test_each_space_has_its_how_do_i_page_and_environment_notes_in_two_versions(loaded):
    for org in Organization.objects.all():
        assert Page.objects.filter(organization=org, slug=HOW_DO_I_SLUG).exists()
        page = Page.objects.get(organization=org, kind=PageKind.ENVIRONMENT)
        assert page.title == "Environment notes"
        assert page.version == 2
        first, second = page.versions.order_by("number")
        assert (first.number, second.number) == (1, 2)
        assert is_engineer(first.author)
        assert is_engineer(second.author)
        assert second.change_note
        assert second.body_markdown != first.body_markdown
        html = render(second.body_markdown)
        assert "<table>" in html
        assert '<a href="https://' in html
        assert f".{org.slug}.example/" in second.body_markdown  # the org's own systems
        assert page.updated_by == second.author
    edits = AuditEntry.objects.filter(action="spaces.page_edited", object_type="spaces.page")
    assert edits.count() == Organization.objects.count()


# Weekend standby ---------------------------------------------------------------------------


def test_standby_requests_are_in_every_state(loaded):
    found = StandbyRequest.objects.select_related("engineer__user", "decided_by", "product")
    assert set(found.values_list("status", flat=True)) == set(StandbyStatus)
    for standby in found.filter(status=StandbyStatus.CONFIRMED):
        assert standby.engineer is not None
        assert standby.engineer.skills.filter(pk=standby.product_id).exists()
        assert standby.decided_by is not None
        assert standby.decided_by.role == Role.SUPPORT_MANAGER
    for standby in found.filter(status=StandbyStatus.DECLINED):
        assert standby.decision_reason
        assert standby.decided_by is not None
        assert standby.decided_by.role == Role.SUPPORT_MANAGER
    for standby in found.filter(status=StandbyStatus.WITHDRAWN):
        assert standby.withdrawn_at == LOADED_AT
        assert standby.withdrawal_reason
    for standby in found.filter(status=StandbyStatus.REQUESTED):
        assert standby.engineer is None
        assert standby.decided_at is None
    assert AuditEntry.objects.filter(action="services.standby_requested").count() == found.count()


def test_the_pending_standby_is_on_the_first_weekend_the_rules_accept(loaded):
    """Asked on Monday 15 June 2026: 21 days on is Monday 6 July, so the first weekend is
    11 and 12 July, and Kestrel asks for Saturday 06:00 to 14:00 London time."""
    pending = StandbyRequest.objects.select_related("organization").get(
        status=StandbyStatus.REQUESTED
    )
    zone = pending.organization.time_zone
    rules = ServicePolicy.current().standby_rules()
    weekend = next_weekend(earliest_window(pending.requested_at, zone, rules).starts_at, zone)
    assert weekend.starts_at <= pending.starts_at < pending.ends_at <= weekend.ends_at
    assert (pending.starts_at, pending.ends_at) == (
        datetime(2026, 7, 11, 5, tzinfo=UTC),
        datetime(2026, 7, 11, 13, tzinfo=UTC),
    )


def test_every_standby_window_keeps_the_rules_when_it_was_asked_for(loaded):
    rules = ServicePolicy.current().standby_rules()
    for standby in StandbyRequest.objects.select_related("organization"):
        window = Window(standby.starts_at, standby.ends_at)
        zone = standby.organization.time_zone
        assert broken_rule(window, standby.requested_at, zone, rules) is None, standby.key
        assert standby.starts_at >= timezone.now() + rules.notice


def test_each_standby_belongs_to_its_organization(loaded):
    for standby in StandbyRequest.objects.select_related("license", "requested_by"):
        assert standby.license.organization_id == standby.organization_id
        assert standby.license.products.filter(pk=standby.product_id).exists(), standby.key
        assert standby.requested_by.organization_id == standby.organization_id
        active = {c.person_id for c in active_contacts(standby.license, standby.requested_at)}
        assert standby.requested_by_id in active
    assert StandbyRequest.objects.values("organization").distinct().count() == 3


# Health checks -----------------------------------------------------------------------------


def test_health_checks_are_in_every_state(loaded):
    checks = HealthCheck.objects.select_related("engineer", "organization")
    assert set(checks.values_list("status", flat=True)) == set(HealthCheckStatus)
    for check in checks:
        if check.status == HealthCheckStatus.REQUESTED:
            assert check.engineer is None
            assert check.agreed_date is None
        if check.status == HealthCheckStatus.SCHEDULED:
            assert check.engineer is not None
            assert check.agreed_date is not None
            assert check.agreed_date > local_today(check.organization)
        if check.status == HealthCheckStatus.IN_ASSESSMENT:
            assert check.findings.exists()
            assert not check.summary
            assert check.delivered_at is None
        if check.status == HealthCheckStatus.CANCELLED:
            assert check.cancel_reason
            assert check.cancelled_at == LOADED_AT
        if check.engineer is not None:
            assert check.engineer.skills.filter(pk=check.product_id).exists(), check.key


def test_the_delivered_health_check_is_a_report_in_its_space_with_one_finding_done(loaded):
    check = HealthCheck.objects.select_related("organization", "requested_by").get(
        status=HealthCheckStatus.DELIVERED
    )
    assert check.summary
    assert check.delivered_at == LOADED_AT
    report = Page.objects.get(source=f"health_check:{check.pk}")
    assert report.organization_id == check.organization_id
    assert report.kind == PageKind.HEALTH_CHECK_REPORT
    body = report.versions.get().body_markdown
    for finding in check.findings.all():
        assert finding.title in body
    done = check.findings.filter(status=FindingStatus.DONE)
    assert done.count() == 1
    assert check.findings.filter(status=FindingStatus.OPEN).exists()
    finisher = done.get().done_by
    assert finisher is not None
    assert finisher.organization_id == check.organization_id
    # Its contact reads it; another organization's contact finds no such space.
    assert readable_page(check.requested_by, check.organization.slug, report.slug) == report
    other = User.objects.get(email="alan@kestrel.example")
    assert other.organization_id != check.organization_id
    with pytest.raises(NotFound, match="no customer space"):
        readable_page(other, check.organization.slug, report.slug)


def test_each_health_check_belongs_to_its_organization(loaded):
    for check in HealthCheck.objects.select_related("license", "requested_by"):
        assert check.license.organization_id == check.organization_id
        assert check.license.products.filter(pk=check.product_id).exists(), check.key
        assert check.requested_by.organization_id == check.organization_id
    assert HealthCheck.objects.values("organization").distinct().count() == 3


# Developer teams, escalations, callbacks, assistance ----------------------------------------


def test_developer_teams_have_their_products_and_members(loaded):
    jira = DeveloperTeam.objects.get(slug="jira")
    assert jira.name == "Jira team"
    assert set(jira.products.values_list("slug", flat=True)) == {
        "jira-software",
        "jira-service-management",
    }
    assert list(jira.members.values_list("email", flat=True)) == ["jira.dev@premier.example"]
    confluence = DeveloperTeam.objects.get(slug="confluence")
    assert list(confluence.products.values_list("slug", flat=True)) == ["confluence"]
    assert {m.role for m in DeveloperTeam.objects.get(slug="confluence").members.all()} == {
        Role.DEVELOPER
    }
    created = AuditEntry.objects.filter(action="escalations.developerteam.created")
    assert created.count() == 2


def test_escalations_open_and_resolved_each_on_its_ticket(loaded):
    escalations = Escalation.objects.select_related("ticket", "raised_by", "manager")
    assert escalations.filter(resolved_at__isnull=True).count() >= 2
    resolved = escalations.filter(resolved_at__isnull=False)
    assert resolved.count() >= 1
    assert all(e.outcome for e in resolved)
    for escalation in escalations:
        assert escalation.manager.role == Role.ESCALATION_MANAGER
        raiser = escalation.raised_by
        if raiser.is_customer:
            assert raiser.organization_id == escalation.ticket.organization_id
        kinds = set(escalation.ticket.events.values_list("kind", flat=True))
        assert EventKind.ESCALATED in kinds
    assert {e.raised_by.is_customer for e in escalations} == {True, False}


def test_callbacks_open_for_each_kind_of_manager_and_one_called_back(loaded):
    callbacks = CallbackRequest.objects.select_related("ticket", "requested_by", "assignee")
    open_ = callbacks.filter(closed_at__isnull=True)
    assert {c.wants for c in open_} == set(CallbackRole)
    for callback in callbacks:
        assert callback.assignee.role == callback.wants
        assert callback.requested_by.organization_id == callback.ticket.organization_id
    [closed] = callbacks.filter(closed_at__isnull=False)
    assert closed.outcome
    assert closed.called_back_at == LOADED_AT


def test_developer_assistance_open_and_answered_on_the_ticket_timeline(loaded):
    requests = AssistanceRequest.objects.select_related("ticket", "team", "asked_by")
    assert requests.filter(answered_at__isnull=True).exists()
    answered = requests.filter(answered_at__isnull=False)
    assert answered.exists()
    for asked in requests:
        assert asked.team.products.filter(pk=asked.ticket.product_id).exists()
        assert asked.asked_by == asked.ticket.owner
    for asked in answered:
        event = asked.ticket.events.get(kind=EventKind.DEVELOPERS_ANSWERED)
        assert event.data["answer"] == asked.answer
        assert event.visibility == Visibility.INTERNAL
        contact = asked.ticket.opened_by  # the customer never sees it
        assert not ticket_queries.timeline(contact, asked.ticket).filter(pk=event.pk).exists()
        assert ticket_queries.timeline(asked.asked_by, asked.ticket).filter(pk=event.pk).exists()


# Surveys -------------------------------------------------------------------------------------


def test_every_closed_ticket_has_an_invitation_and_some_are_answered(loaded):
    closed = Ticket.objects.filter(status=Status.CLOSED)
    invitations = Invitation.objects.select_related("ticket", "contact")
    assert set(invitations.values_list("ticket_id", flat=True)) == set(
        closed.values_list("pk", flat=True)
    )
    for invitation in invitations:
        assert invitation.contact.organization_id == invitation.ticket.organization_id
    # Today's answers; the history's were given at their own dates.
    answers = Answer.objects.select_related("invitation").filter(answered_at=LOADED_AT)
    assert answers.count() == len(demo_services.SURVEY_ANSWERS)
    assert invitations.filter(answered_at__isnull=True).exists()  # some still wait
    for answer in answers:
        assert answer.invitation.answered_at == answer.answered_at == LOADED_AT
        assert answer.went_well
    assert {a.rating for a in answers} == {2, 4, 5}


def test_the_low_rating_alerts_the_lead_of_the_owners_office_only(loaded):
    today = Answer.objects.filter(answered_at=LOADED_AT)
    low = today.select_related("ticket__owner__engineer__office__lead").get(rating=2)
    assert low.could_be_better
    owner = low.ticket.owner
    assert owner is not None
    office = owner.engineer.office
    assert office.lead is not None
    assert office.lead != owner
    assert low_rating_recipients(low.ticket) == [office.lead.email]
    alerts = OutboxMessage.objects.filter(
        event_key__startswith="feedback.low_rating:", created_at=LOADED_AT
    )
    assert list(alerts.values_list("event_key", "recipient")) == [
        (f"feedback.low_rating:{low.ticket_id}", office.lead.email)
    ]


# Time ----------------------------------------------------------------------------------------


def test_nothing_is_dated_after_the_load_but_windows_dates_and_deadlines(loaded):
    now = timezone.now()
    past: list[tuple[type[Model], tuple[str, ...]]] = [
        (StandbyRequest, ("requested_at", "decided_at", "withdrawn_at", "updated_at")),
        (HealthCheck, ("requested_at", "delivered_at", "cancelled_at", "updated_at")),
        (Escalation, ("raised_at", "resolved_at")),
        (CallbackRequest, ("requested_at", "called_back_at", "closed_at")),
        (AssistanceRequest, ("asked_at", "answered_at")),
        (Answer, ("answered_at",)),
        (Invitation, ("sent_at", "answered_at")),
        (Page, ("created_at", "updated_at")),
        (PageVersion, ("written_at",)),
        (AuditEntry, ("at",)),
        (OutboxMessage, ("created_at",)),
    ]
    for model, fields in past:
        for name in fields:
            assert not model._default_manager.filter(**{f"{name}__gt": now}).exists(), (model, name)
    # Meant to be ahead: standby windows, scheduled dates, callback deadlines, survey links.
    assert not StandbyRequest.objects.filter(starts_at__lt=now + timedelta(days=21)).exists()
    for check in HealthCheck.objects.exclude(agreed_date=None).select_related("organization"):
        today = local_today(check.organization)
        if check.status == HealthCheckStatus.SCHEDULED:
            assert today < check.agreed_date <= today + timedelta(days=30)
        else:
            assert check.agreed_date == today
    assert not CallbackRequest.objects.filter(due_at__lte=now).exists()
    # Survey links of today's tickets are still valid (the history's have expired since).
    today = Invitation.objects.filter(sent_at__gte=now - timedelta(days=1))
    assert today.exists()
    assert not today.filter(expires_at__lte=now).exists()


# Nothing crosses organizations -------------------------------------------------------------


def organization_of(event_key: str) -> int | None:
    """The organization an e-mail of the services is about; None for staff-only e-mails."""
    event, pk = event_key.split(":")[:2]
    app = event.split(".")[0]
    if event.startswith("services.standby"):
        return StandbyRequest.objects.get(pk=pk).organization_id
    if event.startswith("services.health_check"):
        return HealthCheck.objects.get(pk=pk).organization_id
    if event in ("escalations.raised", "escalations.resolved"):
        return Escalation.objects.get(pk=pk).ticket.organization_id
    if event in ("escalations.callback", "escalations.callback_closed"):
        return CallbackRequest.objects.get(pk=pk).ticket.organization_id
    if event == "feedback.invitation":
        return Ticket.objects.get(pk=pk).organization_id
    assert app in ("escalations", "feedback"), event_key  # developers' help, low ratings
    return None


def test_each_customer_hears_only_of_their_own_organizations_services(loaded):
    customers = dict(
        User.objects.filter(role=Role.CUSTOMER).values_list("email", "organization_id")
    )
    mails = OutboxMessage.objects.filter(event_key__regex=r"^(services|escalations|feedback)\.")
    assert mails.count() >= 30
    for key, recipient in mails.values_list("event_key", "recipient"):
        org = organization_of(key)
        if recipient in customers:
            assert org is not None, (key, recipient)
            assert customers[recipient] == org, (key, recipient)


# The standby windows the demo asks for, whenever it is loaded ---------------------------------


@pytest.mark.parametrize("zone", sorted({zone for _, _, zone, _, _ in world.ORGANIZATIONS}))
def test_the_demo_windows_are_accepted_on_the_first_weekend_they_fit_at_any_load_time(zone):
    """Loaded at any hour of the year (every 5 hours here, daylight-saving changes
    included), each demo window keeps the rules, and without ``weeks_later`` the weekend
    before it would have been too soon."""
    rules = StandbyRules(notice=timedelta(days=21), max_length=timedelta(hours=8))
    asked_at = datetime(2026, 1, 1, tzinfo=UTC)
    while asked_at < datetime(2027, 1, 1, tzinfo=UTC):
        for spec in demo_services.STANDBY:
            window = demo_services.first_window(asked_at, zone, rules, spec)
            assert broken_rule(window, asked_at, zone, rules) is None, (asked_at, spec)
            assert window.length == timedelta(hours=spec.hours)
            local = window.starts_at.astimezone(ZoneInfo(zone))
            assert (local.weekday(), local.time()) == (5 + spec.day, spec.opens)
            weeks = timedelta(weeks=1 + spec.weeks_later)
            earlier = wall_instant(local.date() - weeks, spec.opens, zone)
            assert earlier < asked_at + rules.notice, (asked_at, spec)  # too soon
        asked_at += timedelta(hours=5)
