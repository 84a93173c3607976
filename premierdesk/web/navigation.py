"""Which navigation links each role sees, offered to every template."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from premierdesk.accounts.models import MANAGER_ROLES, Role, User
from premierdesk.tickets.rules import is_ticket_staff

# Who decides named-contact changes (SPEC §2), so who gets the approval queue in their menu.
APPROVER_ROLES = frozenset({Role.ENTERPRISE_MANAGER, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


def links_for(user: User) -> list[NavLink]:
    if user.is_customer:
        links = [
            NavLink("Home", reverse("web:portal")),
            NavLink("Tickets", reverse("tickets:mine")),
            NavLink("Open a ticket", reverse("tickets:open")),
            NavLink("Named contacts", reverse("customers:licenses")),
            NavLink("Our space", reverse("spaces:portal")),
            NavLink("Weekend standby", reverse("services:standby")),
            NavLink("Health checks", reverse("services:health-checks")),
        ]
    else:
        links = [NavLink("Console", reverse("web:console"))]
        if is_ticket_staff(user):
            links += [
                NavLink("Ticket queue", reverse("tickets:queue")),
                # Only those who work tickets own them, so only they write or receive handovers.
                NavLink("My handovers", reverse("offices:mine")),
                NavLink("Escalations", reverse("escalations:console")),
            ]
        if is_ticket_staff(user) or user.role == Role.DEVELOPER:
            links.append(NavLink("Developer assistance", reverse("escalations:assistance")))
        if is_ticket_staff(user):
            links.append(NavLink("Customer spaces", reverse("spaces:console")))
        links += [
            NavLink("Rota", reverse("offices:rota")),
            NavLink("Coverage", reverse("offices:coverage")),
            NavLink("Weekend standby", reverse("services:console-standby")),
            NavLink("Health checks", reverse("services:console-health-checks")),
        ]
        if user.role in MANAGER_ROLES:
            links.append(NavLink("Reports", reverse("reports:reports")))
        links += [
            NavLink("SLA attainment", reverse("sla:attainment")),
            NavLink("Audit trail", reverse("audit:trail")),
        ]
        if user.role in APPROVER_ROLES:
            links.append(NavLink("Named-contact approvals", reverse("customers:approvals")))
        if user.is_administrator:
            links.append(NavLink("Administration", reverse("admin:index")))
    links += [
        NavLink("Calendar feeds", reverse("services:calendar-token")),
        NavLink("API tokens", reverse("accounts:tokens")),
        NavLink("API docs", reverse("api:openapi-view")),
    ]
    return links


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"nav_links": [], "nav_area": ""}
    return {
        "nav_links": links_for(user),
        "nav_area": "Customer portal" if user.is_customer else "Staff console",
    }
