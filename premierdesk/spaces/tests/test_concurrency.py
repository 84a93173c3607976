"""Two staff saving the same version of a page at the same moment, on separate connections:
the conditional update on the page's version lets exactly one through, and the other is told."""

from __future__ import annotations

import pytest

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.tests.factories import OrganizationFactory
from premierdesk.lib.tests.threads import run_at_once
from premierdesk.spaces import actions
from premierdesk.spaces.models import PageVersion


@pytest.mark.postgresql  # SQLite's test database cannot be shared by threads this way
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_version_let_exactly_one_through():
    olivia, sanne = (UserFactory.create(role=Role.SUPPORT_ENGINEER) for _ in range(2))
    organization = OrganizationFactory.create()
    page = actions.create_space(organization, olivia)

    outcomes = run_at_once(
        *(
            lambda who=who: actions.edit_page(
                who, organization.slug, page.slug, "How do I", f"by {who.email}", "", 1
            )
            for who in (olivia, sanne)
        )
    )

    assert outcomes[0] == "done"
    assert outcomes[1].startswith("refused: ")
    assert "saved version 2" in outcomes[1]
    assert PageVersion.objects.filter(page=page).count() == 2
