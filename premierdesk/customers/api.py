"""API: organizations, licenses (by SEN), their contacts, and named-contact changes.

Endpoints parse, call ``customers.actions`` (changes) or ``customers.queries`` (reads), and
render; who may see or change what is decided there, once for pages, API and CLI.
"""

from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from premierdesk.accounts.access import current_user
from premierdesk.accounts.models import User
from premierdesk.customers import actions, queries
from premierdesk.customers.models import ChangeStatus, License, NamedContact, Organization
from premierdesk.customers.rules import readable_licenses
from premierdesk.lib.errors import NotFound
from premierdesk.restapi.pagination import Mapped, PagePagination
from premierdesk.restapi.schemas import REFUSALS, Instant

router = Router(tags=["customers"])


class PersonOut(Schema):
    email: str
    full_name: str
    has_account: bool = Field(
        description="False while an invited person has not yet set a password, or has no "
        "account yet (an invitation waiting for approval); until then they cannot sign in "
        "or open tickets."
    )


def person_out(user: User) -> PersonOut:
    return PersonOut(
        email=user.email, full_name=user.full_name, has_account=user.has_usable_password()
    )


def named_person_out(window: NamedContact) -> PersonOut:
    """The window's person, or, for an invitation not yet approved, the address and name
    asked for."""
    if window.person is not None:
        return person_out(window.person)
    return PersonOut(email=window.invited_email, full_name=window.invited_name, has_account=False)


class OrganizationOut(Schema):
    slug: str
    name: str
    time_zone: str
    enterprise_manager: str | None

    @staticmethod
    def resolve_enterprise_manager(organization: Organization) -> str | None:
        manager = organization.enterprise_manager
        return manager.email if manager else None


class LicenseOut(Schema):
    sen: str
    organization: str = Field(description="The organization's slug.")
    offering: str
    valid_from: date
    valid_until: date
    products: list[str] = Field(description="Slugs of the products the license covers.")
    named_contact_slots: int

    @staticmethod
    def resolve_organization(license: License) -> str:
        return license.organization.slug

    @staticmethod
    def resolve_offering(license: License) -> str:
        return license.offering.slug

    @staticmethod
    def resolve_products(license: License) -> list[str]:
        return [product.slug for product in license.products.all()]


class WindowOut(Schema):
    id: int
    sen: str
    person: PersonOut
    invited: bool = Field(
        description="The request named someone who was not a person of the license's "
        "organization yet: their account is made, and an invitation e-mailed, when the "
        "change is approved."
    )
    starts_at: datetime
    ends_at: datetime | None = Field(description="Empty for a permanent named contact.")
    covers: PersonOut | None = Field(
        description="For a temporary cover: the named contact on leave, suspended meanwhile."
    )
    covers_window_id: int | None
    status: str = Field(description="pending, approved, declined or withdrawn.")
    state: str = Field(
        description="At the instant asked about: pending, declined, withdrawn, upcoming, "
        "active, suspended (a cover holds the slot) or ended."
    )
    why: str
    requested_by: str
    requested_at: datetime
    request_reason: str
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str
    removed_at: datetime | None
    removal_reason: str


def window_out(entry: queries.RosterEntry) -> WindowOut:
    window = entry.window
    return WindowOut(
        id=window.pk,
        sen=window.license.sen,
        person=named_person_out(window),
        invited=window.is_invitation,
        starts_at=window.starts_at,
        ends_at=window.ends_at,
        covers=named_person_out(window.covers) if window.covers else None,
        covers_window_id=window.covers_id,
        status=window.status,
        state=entry.state,
        why=entry.why,
        requested_by=window.requested_by.email,
        requested_at=window.requested_at,
        request_reason=window.request_reason,
        decided_by=window.decided_by.email if window.decided_by else None,
        decided_at=window.decided_at,
        decision_reason=window.decision_reason,
        removed_at=window.removed_at,
        removal_reason=window.removal_reason,
    )


def change_out(change: NamedContact) -> WindowOut:
    """A change as it stands now, reloaded with everything its answer shows."""
    return window_out(queries.entry_now(change.pk, timezone.now()))


class RosterOut(Schema):
    sen: str
    at: datetime
    slots: int
    taken: int = Field(description="Named contacts active at `at`.")
    items: list[WindowOut]


class SlotSpanOut(Schema):
    starts_at: datetime
    ends_at: datetime | None = Field(description="Empty: from then on.")
    slots: int
    free: int
    people: list[str] = Field(description="E-mails of the named contacts holding a slot.")


class ContactOut(Schema):
    person: PersonOut
    role: str = Field(description="billing or technical")
    is_primary: bool


class NamedContactRequest(Schema):
    email: str = Field(max_length=254)
    full_name: str = Field(
        "",
        max_length=150,
        description="Needed for someone who is not a person of your organization yet: they "
        "are invited, and their account made, when an approver approves the change.",
    )
    starts_at: Instant | None = Field(None, description="Empty: from approval on.")
    ends_at: Instant | None = Field(None, description="Empty: permanent.")
    reason: str = Field("", max_length=2000)


class CoverRequest(Schema):
    email: str = Field(max_length=254, description="The colleague who fills in.")
    full_name: str = Field(
        "", max_length=150, description="As for a named contact: needed to invite someone."
    )
    starts_at: Instant
    ends_at: Instant
    reason: str = Field("", max_length=2000)


class Decision(Schema):
    reason: str = Field("", max_length=2000)


class RosterQuery(Schema):
    at: Instant | None = Field(None, description="The instant to ask about; default now.")
    include_closed: bool = Field(False, description="Also ended, declined and withdrawn.")


class ChangesQuery(Schema):
    status: ChangeStatus | None = Field(
        ChangeStatus.PENDING, description="Default: the changes waiting for approval."
    )


@router.get("/organizations", response=list[OrganizationOut], summary="Organizations you see")
@paginate(PagePagination)
def list_organizations(request: HttpRequest) -> QuerySet[Organization]:
    return queries.visible_organizations(current_user(request))


@router.get(
    "/organizations/{slug}", response={200: OrganizationOut, **REFUSALS}, summary="One organization"
)
def get_organization(request: HttpRequest, slug: str) -> Organization:
    found = queries.visible_organizations(current_user(request)).filter(slug=slug).first()
    if found is None:
        raise NotFound(f"No organization has the slug {slug}.")
    return found


@router.get(
    "/licenses",
    response=list[LicenseOut],
    summary="Licenses you read (customers: those whose named contacts you manage)",
)
@paginate(PagePagination)
def list_licenses(request: HttpRequest) -> QuerySet[License]:
    return readable_licenses(current_user(request), timezone.now())


@router.get("/licenses/{sen}", response={200: LicenseOut, **REFUSALS}, summary="One license")
def get_license(request: HttpRequest, sen: str) -> License:
    return queries.readable_license(current_user(request), sen, timezone.now())


@router.get(
    "/licenses/{sen}/named-contacts",
    response={200: RosterOut, **REFUSALS},
    summary="Named contacts with their windows and their state at an instant",
)
def list_named_contacts(request: HttpRequest, sen: str, params: Query[RosterQuery]) -> RosterOut:
    at = params.at or timezone.now()
    license = queries.readable_license(current_user(request), sen, timezone.now())
    entries = queries.roster(license, at, include_closed=params.include_closed)
    return RosterOut(
        sen=license.sen,
        at=at,
        slots=license.named_contact_slots,
        taken=sum(1 for e in entries if e.state == queries.WindowState.ACTIVE),
        items=[window_out(e) for e in entries],
    )


@router.post(
    "/licenses/{sen}/named-contacts",
    response={201: WindowOut, **REFUSALS},
    summary="Ask for a named contact (permanent, or from/to); it waits for approval",
)
def add_named_contact(
    request: HttpRequest, sen: str, payload: NamedContactRequest
) -> Status[WindowOut]:
    change = actions.request_named_contact(current_user(request), sen, **payload.dict())
    return Status(201, change_out(change))


@router.post(
    "/licenses/{sen}/named-contacts/{window_id}/cover",
    response={201: WindowOut, **REFUSALS},
    summary="Ask for a colleague to cover for this named contact from/to; waits for approval",
)
def cover_named_contact(
    request: HttpRequest, sen: str, window_id: int, payload: CoverRequest
) -> Status[WindowOut]:
    change = actions.request_cover(
        current_user(request), sen, covered_id=window_id, **payload.dict()
    )
    return Status(201, change_out(change))


@router.delete(
    "/licenses/{sen}/named-contacts/{window_id}",
    response={200: WindowOut, **REFUSALS},
    summary="Remove a named contact now, or withdraw a request or an upcoming window",
)
def remove_named_contact(
    request: HttpRequest, sen: str, window_id: int, reason: str = ""
) -> WindowOut:
    window = actions.remove_named_contact(current_user(request), window_id, reason, sen=sen)
    return change_out(window)


@router.get(
    "/licenses/{sen}/slots",
    response={200: list[SlotSpanOut], **REFUSALS},
    summary="Free named-contact slots now and over time",
)
def list_slots(request: HttpRequest, sen: str) -> list[SlotSpanOut]:
    now = timezone.now()
    license = queries.readable_license(current_user(request), sen, now)
    return [
        SlotSpanOut(
            starts_at=span.starts_at,
            ends_at=span.ends_at,
            slots=span.slots,
            free=span.free,
            people=span.people,
        )
        for span in queries.slot_timeline(license, now)
    ]


@router.get(
    "/licenses/{sen}/contacts",
    response={200: list[ContactOut], **REFUSALS},
    summary="Billing and technical contacts of the license",
)
def list_contacts(request: HttpRequest, sen: str) -> list[ContactOut]:
    license = queries.readable_license(current_user(request), sen, timezone.now())
    return [
        ContactOut(person=person_out(c.person), role=c.role, is_primary=c.is_primary)
        for c in queries.license_contacts(license)
    ]


@router.get(
    "/named-contact-changes",
    response=list[WindowOut],
    summary="Named-contact changes (default: waiting for approval), oldest request first",
)
@paginate(PagePagination)
def list_changes(request: HttpRequest, params: Query[ChangesQuery]) -> Mapped:
    now = timezone.now()
    changes = queries.changes_for(current_user(request), now, params.status)
    return Mapped(changes, lambda change: window_out(queries.entry_at(change, now)))


@router.get(
    "/named-contact-changes/{change_id}",
    response={200: WindowOut, **REFUSALS},
    summary="One named-contact change",
)
def get_change(request: HttpRequest, change_id: int) -> WindowOut:
    user = current_user(request)
    now = timezone.now()
    change = queries.changes_for(user, now, None).filter(pk=change_id).first()
    if change is None:
        raise NotFound(f"There is no named-contact change {change_id}.")
    return window_out(queries.entry_at(change, now))


@router.post(
    "/named-contact-changes/{change_id}/approve",
    response={200: WindowOut, **REFUSALS},
    summary="Approve a requested named contact or cover (enterprise manager, administrator)",
)
def approve_change(request: HttpRequest, change_id: int, payload: Decision) -> WindowOut:
    return change_out(actions.approve_change(current_user(request), change_id, payload.reason))


@router.post(
    "/named-contact-changes/{change_id}/decline",
    response={200: WindowOut, **REFUSALS},
    summary="Decline a requested change, saying why",
)
def decline_change(request: HttpRequest, change_id: int, payload: Decision) -> WindowOut:
    return change_out(actions.decline_change(current_user(request), change_id, payload.reason))
