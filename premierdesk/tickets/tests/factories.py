"""Factories and helpers for tickets: the catalog a ticket needs, and opening one through the
action, as a named contact would."""

from __future__ import annotations

from typing import Any

from premierdesk.accounts.models import User
from premierdesk.catalog.models import Product, WeekendClass
from premierdesk.tickets import actions
from premierdesk.tickets.models import Ticket

PRODUCTS = {
    "jira-software": ("Jira Software Data Center", True, WeekendClass.L1_AND_L2),
    "confluence": ("Confluence Data Center", True, WeekendClass.L1_AND_L2),
    "bamboo": ("Bamboo Data Center", True, WeekendClass.L1_ONLY),
    "opsgenie": ("Opsgenie", False, WeekendClass.NONE),
}


def make_products() -> dict[str, Product]:
    return {
        slug: Product.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "covered": covered,
                "weekend_class": weekend,
                "not_covered_reason": ""
                if covered
                else f"{name} is not covered by Premier Support.",
            },
        )[0]
        for slug, (name, covered, weekend) in PRODUCTS.items()
    }


def ticket_fields(sen: str, **overrides: Any) -> actions.TicketInput:
    fields = {
        "sen": sen,
        "product": "jira-software",
        "product_version": "10.3.2",
        "environment": "production",
        "level": "L2",
        "summary": "Boards load slowly after the upgrade",
        "description": "Since the upgrade to 10.3.2 every board takes 40 s to load.",
    }
    return actions.TicketInput(**{**fields, **overrides})


def open_ticket(author: User, sen: str, **overrides: Any) -> Ticket:
    return actions.open_ticket(author, ticket_fields(sen, **overrides))
