"""The console queue's filter writes its long lists (every engineer, every organization) with
``pages.forms.QuickSelect``."""

from __future__ import annotations

from premierdesk.pages.forms import QuickSelect
from premierdesk.tickets.forms import Choices, QueueFilterForm


def test_the_queue_filter_uses_it_for_its_long_lists():
    options: dict[str, Choices] = {
        "product": [],
        "owner": [],
        "office": [],
        "organization": [("o", "Org")],
    }
    form = QueueFilterForm(options=options)
    for name in options:
        assert isinstance(form.fields[name].widget, QuickSelect)
    assert '<option value="o">Org</option>' in str(form["organization"])
