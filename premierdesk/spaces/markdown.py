"""Markdown to safe HTML for space pages: pure, no database.

Two layers, because staff write the text but customers read it: markdown-it never passes raw
HTML through (``html: False``) and refuses dangerous link targets, and nh3 then keeps only an
allow-list of tags, attributes and URL schemes, so a mistake in either layer alone is harmless.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "s", "del", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "img",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
# No style (markdown-it aligns table cells with it), no class, no on* handlers: nothing a
# reader's browser would run or that could dress a link up as something else.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
# Relative links stay allowed (they point into Premier Desk); javascript:, data: and the like
# are dropped with the attribute.
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "noopener noreferrer"


def render(markdown: str) -> str:
    """The page's HTML, safe to put in a page as it is."""
    return nh3.clean(
        _PARSER.render(markdown),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
