"""Which navigation links each person sees, offered to every template.

A customer is offered what the rules let them do (``may_…`` in each app's ``rules.py``, the
same functions whose ``require_…`` twins refuse in the actions), so nobody fills a form in
only to be refused. Staff links go through the small ``may_…`` functions below, one per
area, so each can point at that area's read rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from premierdesk.accounts import rules as accounts_rules
from premierdesk.accounts.models import User
from premierdesk.audit import rules as audit_rules
from premierdesk.customers.rules import (
    may_manage_named_contacts,
    may_read_approval_queue,
    one_reading,
)
from premierdesk.escalations import rules as escalations_rules
from premierdesk.offices import rules as offices_rules
from premierdesk.reports import rules as reports_rules
from premierdesk.services import rules as services_rules
from premierdesk.services.rules import may_request_health_check, may_request_standby
from premierdesk.spaces.rules import may_read_space
from premierdesk.spaces.rules import may_read_spaces as may_read_customer_spaces
from premierdesk.tickets.rules import is_ticket_staff, may_open_ticket


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


@dataclass(frozen=True)
class Offers:
    """What a customer may do, by the rules; templates read it as ``offers``."""

    open_ticket: bool = False
    manage_named_contacts: bool = False
    read_space: bool = False
    request_standby: bool = False
    request_health_check: bool = False


def offers_for(user: User, at: datetime) -> Offers:
    if not user.is_customer:
        return Offers()
    with one_reading():
        return Offers(
            open_ticket=may_open_ticket(user, at),
            manage_named_contacts=may_manage_named_contacts(user, at),
            read_space=may_read_space(user, at),
            request_standby=may_request_standby(user, at),
            request_health_check=may_request_health_check(user, at),
        )


# Staff links: one function per area, each the area's read rule, so every link a person
# sees opens for them.


def may_work_tickets(user: User) -> bool:
    return is_ticket_staff(user)


def may_read_handovers(user: User) -> bool:
    return offices_rules.may_read_handovers(user)


def may_read_escalations(user: User) -> bool:
    return escalations_rules.may_read_escalations(user)


def may_ask_developers(user: User) -> bool:
    return escalations_rules.may_read_assistance(user)


def may_read_spaces(user: User) -> bool:
    return may_read_customer_spaces(user)


def may_read_rota(user: User) -> bool:
    return offices_rules.may_read_rota(user)


def may_read_standby(user: User) -> bool:
    return services_rules.may_read_standby(user)


def may_read_health_checks(user: User) -> bool:
    return services_rules.may_read_health_checks(user)


def may_read_reports(user: User) -> bool:
    return reports_rules.may_read_reports(user)


def may_read_trail(user: User) -> bool:
    return audit_rules.may_read_trail(user)


def may_approve_named_contacts(user: User) -> bool:
    return may_read_approval_queue(user)


def may_administer(user: User) -> bool:
    return accounts_rules.may_administer(user)


def _customer_links(offers: Offers) -> list[NavLink]:
    links = [
        NavLink("Home", reverse("web:portal")),
        NavLink("Tickets", reverse("tickets:mine")),
    ]
    offered = [
        (offers.open_ticket, "Open a ticket", "tickets:open"),
        (offers.manage_named_contacts, "Named contacts", "customers:licenses"),
        (offers.read_space, "Our space", "spaces:portal"),
        (offers.request_standby, "Weekend standby", "services:standby"),
        (offers.request_health_check, "Health checks", "services:health-checks"),
    ]
    return links + [NavLink(label, reverse(name)) for shown, label, name in offered if shown]


def _staff_links(user: User) -> list[NavLink]:
    links = [NavLink("Console", reverse("web:console"))]
    offered = [
        (may_work_tickets(user), "Ticket queue", "tickets:queue"),
        # Those who own tickets at an office's end of day write and receive handovers.
        (may_read_handovers(user), "My handovers", "offices:mine"),
        (may_read_escalations(user), "Escalations", "escalations:console"),
        (may_ask_developers(user), "Developer assistance", "escalations:assistance"),
        (may_read_spaces(user), "Customer spaces", "spaces:console"),
        (may_read_rota(user), "Rota", "offices:rota"),
        (may_read_rota(user), "Coverage", "offices:coverage"),
        (may_read_standby(user), "Weekend standby", "services:console-standby"),
        (may_read_health_checks(user), "Health checks", "services:console-health-checks"),
        (may_read_reports(user), "Reports", "reports:reports"),
        (may_read_reports(user), "SLA attainment", "reports:attainment"),
        (may_read_trail(user), "Audit trail", "audit:trail"),
        (may_approve_named_contacts(user), "Named-contact approvals", "customers:approvals"),
        (may_administer(user), "Administration", "admin:index"),
    ]
    return links + [NavLink(label, reverse(name)) for shown, label, name in offered if shown]


def links_for(user: User, offers: Offers | None = None) -> list[NavLink]:
    if user.is_customer:
        links = _customer_links(offers or offers_for(user, timezone.now()))
    else:
        links = _staff_links(user)
    links += [
        NavLink("Calendar feeds", reverse("services:calendar-token")),
        NavLink("API tokens", reverse("accounts:tokens")),
        NavLink("API docs", reverse("api:openapi-view")),
    ]
    return links


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"nav_links": [], "nav_area": "", "offers": Offers()}
    offers = offers_for(user, timezone.now())
    return {
        "nav_links": links_for(user, offers),
        "nav_area": "Customer portal" if user.is_customer else "Staff console",
        "offers": offers,
    }
