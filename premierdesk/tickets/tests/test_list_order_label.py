"""The queue and the customer's list say what they are sorted by: the soonest SLA due time
first, not the oldest ticket."""

from __future__ import annotations

import re

import pytest

from premierdesk.tickets.tests.conftest import SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db


def keys_and_lede(html: str, table_id: str) -> tuple[list[str], str]:
    table = html[html.index(f'<table id="{table_id}"') :]
    keys = re.findall(r'<tr id="row-(PS-\d+)"', table)
    lede = html[html.index('<p class="lede">') : html.index("</p>", html.index('class="lede"'))]
    return keys, lede


@pytest.mark.parametrize(
    ("url", "table_id", "who"),
    [
        ("/console/tickets/", "queue", "engineer"),
        ("/portal/tickets/", "tickets", "contact"),
    ],
)
def test_the_label_says_the_order_the_rows_are_in(request, as_user, contact, url, table_id, who):
    older = open_ticket(contact, SEN, summary="Question", level="L4")  # due in days
    newer = open_ticket(contact, SEN, summary="Production down", level="L1")  # due in an hour
    html = as_user(request.getfixturevalue(who)).get(url).content.decode()
    keys, lede = keys_and_lede(html, table_id)
    assert keys == [newer.key, older.key]  # the newer ticket is due first
    assert "soonest SLA due time first" in lede
    assert "oldest first" not in lede.split(";")[0]
