"""What the load test's browser reads off a page: a form's fields (as it would post them) and
the tickets a page links to. Standard library only: it runs inside Locust's process."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

TICKET_LINK = re.compile(r'href="/tickets/(PS-\d+)/"')
# An address as the ticket page shows a person: "Name <e-mail>" (opener, participants).
SHOWN_ADDRESS = re.compile(r"&lt;([^&\s<>]+@[^&\s<>]+)&gt;")


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # hidden and pre-filled inputs
    options: dict[str, list[str]] = field(default_factory=dict)  # select name -> its values


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(action=attr.get("action", "")))
        elif not self.forms:
            return
        elif tag == "input" and attr.get("name"):
            if attr.get("type") not in ("radio", "checkbox") or "checked" in attr:
                self.forms[-1].fields[attr["name"]] = attr.get("value", "")
        elif tag == "select":
            self._select = attr.get("name")
            if self._select:
                self.forms[-1].options.setdefault(self._select, [])
        elif tag == "option" and self._select and attr.get("value"):
            self.forms[-1].options[self._select].append(attr["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def forms(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_posting_to(html: str, action: str) -> Form | None:
    """The page's form whose action is ``action`` (a path), or None."""
    return next((form for form in forms(html) if form.action == action), None)


def form_with_field(html: str, name: str) -> Form | None:
    """The page's first form with a field called ``name`` (the sign-in form has a password)."""
    for form in forms(html):
        if name in form.fields or name in form.options:
            return form
    return None


def ticket_keys(html: str) -> list[str]:
    """The tickets a page links to, in page order, each once."""
    return list(dict.fromkeys(TICKET_LINK.findall(html)))


def shown_addresses(html: str) -> set[str]:
    return {address.lower() for address in SHOWN_ADDRESS.findall(html)}
