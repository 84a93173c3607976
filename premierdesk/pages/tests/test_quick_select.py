"""``QuickSelect`` writes the select Django's template-rendered ``Select`` writes: the same
elements, attributes, chosen option and escaping."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms

from premierdesk.pages.forms import QuickSelect

CHOICES = [
    ("", "Any"),
    ("none", "Unassigned"),
    ("a&b", 'Ampersand & "quotes" <b>'),
    (7, "A number"),
    ("Group", [("g1", "In a group"), ("g2", "Also <there>")]),
]


class _Elements(HTMLParser):
    """The elements, their attributes and text, whatever the whitespace between them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, ...]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append(("start", tag, *sorted(f"{k}={v}" for k, v in attrs)))

    def handle_endtag(self, tag):
        self.found.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.found.append(("text", data))


def _elements(html: str) -> list[tuple[str, ...]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("value", [None, "", "a&b", "7", "g2", "not a choice"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_owner", "required": True, "disabled": False}])
def test_it_writes_what_django_select_writes(value, attrs):
    quick = QuickSelect(choices=CHOICES).render("owner", value, attrs)
    django = forms.Select(choices=CHOICES).render("owner", value, attrs)
    assert _elements(quick) == _elements(django)
    assert "<b>" not in quick  # labels are escaped
