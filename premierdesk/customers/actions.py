"""Named-contact changes on a license (docs/product/customers-and-named-contacts.md): request,
approve, decline, remove, cover.

Each change is one transaction that first locks the license row, so two changes to the same
license are serialised and the slot limit is checked against what is really there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from premierdesk.accounts.actions import create_account
from premierdesk.accounts.models import Role, User, normalize_email
from premierdesk.accounts.queries import set_password_url
from premierdesk.audit.actions import record, save_configuration
from premierdesk.audit.queries import Changes
from premierdesk.customers import hooks
from premierdesk.customers.models import (
    ChangeStatus,
    License,
    NamedContact,
    Organization,
)
from premierdesk.customers.queries import as_window, find_license, unknown_sen, windows_of
from premierdesk.customers.rules import require_approve, require_manage
from premierdesk.customers.windows import Window, active_at, cut, first_fit, next_free_slot
from premierdesk.lib.errors import Conflict, InvalidInput, NotFound
from premierdesk.lib.zones import wall_time
from premierdesk.notifications.actions import notify, notify_of


def _require_manager(actor: User, license: License, at: datetime) -> None:
    require_manage(actor, license, at, unknown_sen(license.sen))


def _require_valid(license: License, at: datetime) -> None:
    today = at.astimezone(UTC).date()
    if license.valid_until < today:
        raise Conflict(
            f"{license.sen} expired on {license.valid_until:%Y-%m-%d}; renew it before "
            "changing its named contacts."
        )


def person_of_organization(
    organization: Organization, email: str, full_name: str, actor: User
) -> User:
    """The organization's existing account for ``email``, or a new one (an invitation: no
    password until the person sets one through the e-mailed link). Nobody of another
    organization, and no staff account, can be taken."""
    email = normalize_email(email)
    person = User.objects.filter(email=email).first()
    if (person is None or person.organization_id != organization.pk) and not full_name.strip():
        # The same answer whether or not the address has an account elsewhere (another
        # customer's, staff's), so asking does not tell.
        raise InvalidInput.on_field(
            "full_name",
            f"{email} is not a person of {organization} yet; give their full name to invite them.",
        )
    if person is None:
        return create_account(
            actor,
            email=email,
            full_name=full_name,
            role=Role.CUSTOMER,
            time_zone=organization.time_zone,
            organization_id=organization.pk,
        )
    if person.organization_id != organization.pk:
        raise InvalidInput.on_field(
            "email",
            f"{email} is not a person of {organization}; only people of {organization} "
            "can be added.",
        )
    return person


@dataclass(frozen=True)
class Named:
    """Whom a request names: a person of the license's organization, or (``person`` None)
    someone invited by address and name, whose account approval finds or makes."""

    person: User | None
    email: str
    full_name: str


def _named(license: License, email: str, full_name: str) -> Named:
    """Whom ``email`` names for ``license``. Only the organization's own people are looked up:
    any other address (nobody's, another customer's, staff's) is an invitation, answered
    alike, so asking never tells whether the address has an account elsewhere."""
    email = normalize_email(email)
    organization = license.organization
    person = User.objects.filter(email=email, organization=organization).first()
    if person is not None:
        return Named(person, person.email, person.full_name)
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput.on_field("email", "Enter a valid email address.") from None
    if not full_name.strip():
        raise InvalidInput.on_field(
            "full_name",
            f"{email} is not a person of {organization} yet; give their full name to invite them.",
        )
    return Named(None, email, full_name.strip())


def _refuse_overlap(
    license: License,
    email: str,
    starts_at: datetime,
    ends_at: datetime | None,
    zone: str,
    *,
    besides: int | None = None,
) -> None:
    """Windows of one person (or invited address) on a license must not overlap. ``zone``:
    the asking person's, in which the refusal gives its times; ``besides``: a window not to
    compare with (the one being approved)."""
    live = NamedContact.objects.filter(
        Q(person__email=email) | Q(person__isnull=True, invited_email=email),
        license=license,
        status__in=[ChangeStatus.PENDING, ChangeStatus.APPROVED],
    )
    if besides is not None:
        live = live.exclude(pk=besides)
    for other in live:
        other_ends = other.ends_at
        if (other_ends is None or starts_at < other_ends) and (
            ends_at is None or other.starts_at < ends_at
        ):
            raise Conflict.on_field(
                "starts_at",
                f"{email} already has a named-contact window on {license.sen} from "
                f"{wall_time(other.starts_at, zone)}"
                + (f" to {wall_time(other_ends, zone)}" if other_ends else " (permanent)")
                + "; windows of one person must not overlap.",
            )


def _check_window(starts_at: datetime, ends_at: datetime | None) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise InvalidInput.on_field("ends_at", "The window must end after it starts.")


def _open_request(
    actor: User, sen: str, starts_at: datetime | None, ends_at: datetime | None
) -> tuple[License, datetime, datetime]:
    """The checks every request starts with; returns the locked license, now, and the start
    (a window cannot start in the past)."""
    license = find_license(sen, lock=True)
    now = timezone.now()
    _require_manager(actor, license, now)
    _require_valid(license, now)
    starts_at = max(starts_at or now, now)
    _check_window(starts_at, ends_at)
    return license, now, starts_at


def _pending_window(
    actor: User,
    license: License,
    named: Named,
    now: datetime,
    starts_at: datetime,
    ends_at: datetime | None,
    covers: NamedContact | None,
    reason: str,
) -> NamedContact:
    _refuse_overlap(license, named.email, starts_at, ends_at, actor.time_zone)
    invited = named.person is None
    return NamedContact.objects.create(
        license=license,
        person=named.person,
        invited_email=named.email if invited else "",
        invited_name=named.full_name if invited else "",
        starts_at=starts_at,
        ends_at=ends_at,
        covers=covers,
        requested_by=actor,
        requested_at=now,
        request_reason=reason,
    )


@transaction.atomic
def request_named_contact(
    actor: User,
    sen: str,
    *,
    email: str,
    full_name: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    reason: str = "",
) -> NamedContact:
    """Ask for a person to become a named contact (permanently, or from/to). It takes effect
    when the enterprise manager approves; the slot limit is checked then. Someone who is not a
    person of the organization yet is invited by address and ``full_name``: their account is
    made when the request is approved."""
    license, now, starts_at = _open_request(actor, sen, starts_at, ends_at)
    named = _named(license, email, full_name)
    change = _pending_window(actor, license, named, now, starts_at, ends_at, None, reason)
    _tell_approvers(change)
    record(
        actor,
        "customers.named_contact_requested",
        change,
        changes={
            **_asked_for(named),
            "starts_at": [None, starts_at],
            "ends_at": [None, ends_at],
        },
        reason=reason,
    )
    return change


def _asked_for(named: Named) -> Changes:
    """Whom a request names, for its audit entry."""
    if named.person is not None:
        return {"person": [None, named.email]}
    return {"person": [None, named.email], "invited_name": [None, named.full_name]}


@transaction.atomic
def request_cover(
    actor: User,
    sen: str,
    *,
    covered_id: int,
    email: str,
    full_name: str = "",
    starts_at: datetime,
    ends_at: datetime,
    reason: str = "",
) -> NamedContact:
    """Ask for a colleague to fill in for a named contact on leave, from/to. Once approved,
    the colleague is active inside the window and the person on leave is suspended for it."""
    license, now, starts_at = _open_request(actor, sen, starts_at, ends_at)
    covered = NamedContact.objects.filter(
        pk=covered_id, license=license, status=ChangeStatus.APPROVED, covers__isnull=True
    ).first()
    if covered is None or not (covered.ends_at is None or covered.ends_at > starts_at):
        raise InvalidInput.on_field(
            "covered_id", f"{license.sen} has no current named contact {covered_id} to cover."
        )
    named = _named(license, email, full_name)
    if named.person is not None and named.person.pk == covered.person_id:
        raise InvalidInput.on_field("email", "A named contact cannot cover for themselves.")
    change = _pending_window(actor, license, named, now, starts_at, ends_at, covered, reason)
    _tell_approvers(change)
    record(
        actor,
        "customers.named_contact_cover_requested",
        change,
        changes={
            **_asked_for(named),
            "covers": [None, covered.person_email],
            "starts_at": [None, starts_at],
            "ends_at": [None, ends_at],
        },
        reason=reason,
    )
    return change


def _tell_approvers(change: NamedContact) -> None:
    """The enterprise manager learns of each request (administrators, if the organization has
    no enterprise manager), so nobody waits on a queue nobody looks at."""
    manager = change.license.organization.enterprise_manager
    if manager is not None and manager.is_active:
        approvers = [manager.email]
    else:
        approvers = list(
            User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).values_list(
                "email", flat=True
            )
        )
    notify(
        f"customers.named_contact_requested:{change.pk}",
        approvers,
        "named_contact_requested",
        {"change": change},
    )


def _locked_change(actor: User, change_id: int, sen: str | None = None) -> NamedContact:
    """The change, locked; to a customer, another organization's change (or one of another
    license than the ``sen`` asked about) answers like one that does not exist."""
    change = (
        # Only the change's row: the joined license is locked next (find_license), and the
        # organization and offering rows are shared, so locking them would make every change
        # of any license of one offering wait for the others.
        NamedContact.objects.select_for_update(of=("self",))
        .select_related("license__organization", "license__offering")
        .filter(pk=change_id)
        .first()
    )
    if (
        change is None
        or (actor.is_customer and actor.organization_id != change.license.organization_id)
        or (sen is not None and change.license.sen != sen.strip().upper())
    ):
        raise NotFound(
            f"There is no named-contact change {change_id}" + (f" on {sen}." if sen else ".")
        )
    return change


def _over_limit(license: License, windows: list[Window], at: datetime, zone: str) -> Conflict:
    """``zone``: the deciding person's, in which the refusal gives its times."""
    slots = license.named_contact_slots
    taken = active_at(windows, at)
    names = User.objects.filter(pk__in=[w.person_id for w in taken]).order_by("email")
    frees = next_free_slot(windows, slots, at)
    when = (
        f"A slot frees up at {wall_time(frees, zone)}."
        if frees
        else "No slot frees up unless a named contact is removed."
    )
    return Conflict(
        f"{license.sen} has {slots} named-contact slots and all are taken at "
        f"{wall_time(at, zone)} by {', '.join(p.email for p in names)}. {when}"
    )


@transaction.atomic
def approve_change(actor: User, change_id: int, reason: str = "") -> NamedContact:
    change = _locked_change(actor, change_id)
    license = find_license(change.license.sen, lock=True)
    require_approve(actor, license)
    if change.status != ChangeStatus.PENDING:
        raise Conflict(f"This change was already {change.get_status_display().lower()}.")
    now = timezone.now()
    starts_at = max(change.starts_at, now)
    if change.ends_at is not None and change.ends_at <= starts_at:
        raise Conflict("This window is already over; decline it and ask for a new one.")
    person, linking = change.person, change.person is None
    if person is None:  # an invitation: its account is found or made now
        person = _invited_account(actor, change)
        _refuse_overlap(
            license, person.email, starts_at, change.ends_at, actor.time_zone, besides=change.pk
        )
    windows = windows_of(license, since=now)
    candidate = Window(change.pk, person.pk, starts_at, change.ends_at, change.covers_id)
    breaks_at = first_fit(windows, candidate, license.named_contact_slots, now)
    if breaks_at is not None:
        raise _over_limit(license, windows, breaks_at, actor.time_zone)
    before = {"status": change.status, "starts_at": change.starts_at}
    change.person = person
    change.status = ChangeStatus.APPROVED
    change.starts_at = starts_at
    change.decided_by, change.decided_at, change.decision_reason = actor, now, reason
    change.save()
    invitation = None if person.has_usable_password() else set_password_url(person)
    approved = record(
        actor,
        "customers.named_contact_approved",
        change,
        changes={
            "status": [before["status"], change.status],
            "starts_at": [before["starts_at"], starts_at],
            **({"person": [None, person.email]} if linking else {}),
        },
        reason=reason,
    )
    notify_of(
        approved,
        [person.email, change.requested_by.email],
        {"change": change, "invitation_url": invitation},
    )
    return change


def _invited_account(actor: User, change: NamedContact) -> User:
    """The account of the person an approved invitation names: the organization's own (made
    by an earlier approval, or since), or a new customer account of it without a password
    (the approval's e-mail invites them to choose one). An address with an account elsewhere
    is refused here, to the approver: the requester only ever learns the decision."""
    organization = change.license.organization
    email = change.invited_email
    person = User.objects.filter(email=email).first()
    if person is None:
        try:
            person = create_account(
                actor,
                email=email,
                full_name=change.invited_name,
                role=Role.CUSTOMER,
                time_zone=organization.time_zone,
                organization_id=organization.pk,
            )
        except Conflict:  # made at this very moment by another approval, now committed
            person = User.objects.get(email=email)
    if person.organization_id != organization.pk:
        raise _account_elsewhere(change, person)
    return person


def _account_elsewhere(change: NamedContact, person: User) -> Conflict:
    organization = change.license.organization
    whose = "another organization's customer" if person.is_customer else "Premier Support staff"
    return Conflict(
        f"{person.email} already has a Premier Desk account, of {whose}, so it cannot become "
        f"a named contact of {organization}: named contacts are people of the license's "
        f"organization. Decline the request. {change.requested_by.full_name} is told only "
        "that it was declined and the reason you give, so do not mention the other account "
        f"there. If the person has moved to {organization}, an administrator moves their "
        "account first; then they can be asked for again."
    )


@transaction.atomic
def decline_change(actor: User, change_id: int, reason: str) -> NamedContact:
    change = _locked_change(actor, change_id)
    require_approve(actor, change.license, verb="declines")
    if not reason.strip():
        raise InvalidInput.on_field("reason", "Say why the change is declined.")
    if change.status != ChangeStatus.PENDING:
        raise Conflict(f"This change was already {change.get_status_display().lower()}.")
    change.status = ChangeStatus.DECLINED
    change.decided_by, change.decided_at, change.decision_reason = actor, timezone.now(), reason
    change.save()
    declined = record(
        actor,
        "customers.named_contact_declined",
        change,
        changes={"status": [ChangeStatus.PENDING, ChangeStatus.DECLINED]},
        reason=reason,
    )
    notify_of(declined, [change.requested_by.email], {"change": change})
    return change


@transaction.atomic
def remove_named_contact(
    actor: User, window_id: int, reason: str = "", *, sen: str | None = None
) -> NamedContact:
    """Remove a named contact now (or withdraw a request or an upcoming window).

    Removing a current named contact takes the person off the license: every live window of
    theirs on it (the covers they provide included) ends now, or is withdrawn when it has not
    started or still waits for approval. Whatever goes takes with it the temporary covers
    standing in for it (running ones end now, the others are withdrawn): nobody is on leave
    from a slot they no longer hold. Nobody gains time from this but the person a removed
    cover stood in for, who takes back that cover's slot, so the slot limit holds throughout."""
    window = _locked_change(actor, window_id, sen)
    license = find_license(window.license.sen, lock=True)
    now = timezone.now()
    _require_manager(actor, license, now)
    if not _is_live(window, now):
        raise Conflict(f"{window.person_email} is no longer a named contact of {license.sen}.")
    going = [window]
    if window.status == ChangeStatus.APPROVED and window.starts_at < now:
        going += (
            _live_windows(license, now).filter(person_id=window.person_id).exclude(pk=window.pk)
        )
    stand_ins = list(_live_windows(license, now).filter(covers__in=[w.pk for w in going]))
    changes = {w.pk: _take_away(actor, w, now, reason) for w in [*going, *stand_ins]}
    others = [w for w in [*going, *stand_ins] if w.pk != window.pk]
    on_leave = [window.covers.person_email] if window.covers is not None else []
    removed = record(
        actor,
        "customers.named_contact_removed",
        window,
        changes={
            **changes[window.pk],
            "went_with_it": [None, [_described(w) for w in others]],
        },
        reason=reason,
    )
    notify_of(
        removed,
        [_account_email(window), window.requested_by.email, *on_leave],
        {"change": window, "also": others},
    )
    for cover in others:
        if cover.covers is not None:
            _tell_cover_ended(cover, window)
    for other in others:
        record(
            actor,
            "customers.named_contact_removed",
            other,
            changes={**changes[other.pk], "with_removal_of": [None, window.pk]},
            reason=f"Went with the removal of {window.person_email}'s window {window.pk}."
            + (f" {reason}" if reason else ""),
        )
    return window


def _account_email(window: NamedContact) -> str:
    """Whom to tell of a window: its person; nobody for an invitation not yet approved (the
    invited address has heard nothing, and may be anyone's)."""
    return window.person.email if window.person is not None else ""


def _is_live(window: NamedContact, now: datetime) -> bool:
    return window.status == ChangeStatus.PENDING or (
        window.status == ChangeStatus.APPROVED and (window.ends_at is None or window.ends_at > now)
    )


def _live_windows(license: License, now: datetime) -> QuerySet[NamedContact]:
    """The license's windows still to come or running at ``now`` (pending ones included),
    locked (only their own rows: a cover's person on leave is an outer join): the removal
    changes them."""
    return (
        NamedContact.objects.select_for_update(of=("self",))
        .select_related("person", "requested_by", "covers__person")
        .filter(license=license, status__in=[ChangeStatus.PENDING, ChangeStatus.APPROVED])
        .exclude(ends_at__lte=now)
        .order_by("pk")
    )


def _take_away(actor: User, window: NamedContact, now: datetime, reason: str) -> Changes:
    """End ``window`` now, or withdraw it when it is pending or has held no time yet (ending it
    would leave a window of length zero); returns what changed, for the audit entry."""
    before = {"status": window.status, "ends_at": window.ends_at}
    kept = cut(as_window(window), now) if window.status == ChangeStatus.APPROVED else None
    if kept is None:
        window.status = ChangeStatus.WITHDRAWN
    else:
        window.ends_at = kept.ends_at
    window.removed_by, window.removed_at, window.removal_reason = actor, now, reason
    window.save()
    return {
        "status": [before["status"], window.status],
        "ends_at": [before["ends_at"], window.ends_at],
    }


def _described(window: NamedContact) -> str:
    what = (
        f"cover by {window.person_email} for {window.covers.person_email}"
        if window.covers is not None
        else f"window of {window.person_email}"
    )
    if window.status == ChangeStatus.WITHDRAWN:
        return f"{what} (window {window.pk}): withdrawn"
    return f"{what} (window {window.pk}): ended {window.ends_at:%Y-%m-%d %H:%M} UTC"


def _tell_cover_ended(cover: NamedContact, removed: NamedContact) -> None:
    """The stand-in, whoever asked for the cover and the person it stood in for (back in
    their slot unless they were the one removed) hear that a cover is over early."""
    assert cover.covers is not None
    notify(
        f"customers.named_contact_cover_ended:{cover.pk}",
        [_account_email(cover), cover.requested_by.email, cover.covers.person_email],
        "named_contact_cover_ended",
        {"cover": cover, "removed": removed},
    )


@transaction.atomic
def onboard_organization(
    actor: User, organization: Organization, fields: list[str]
) -> Organization:
    """Save a new customer organization (as edited in the admin, ``fields`` being those filled
    in); spaces gives it its space with the "How do I" page
    (docs/product/services.md#customer-spaces) in the same transaction
    (``hooks.organization_onboarded``)."""
    save_configuration(actor, organization, fields, creating=True)
    hooks.organization_onboarded.send(organization, actor)
    return organization
