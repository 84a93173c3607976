"""Rendering space pages: Markdown becomes HTML, and nothing a writer types (by mistake or on
purpose) can make a reader's browser run code or leave for a javascript:/data: address."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premierdesk.spaces.markdown import render

FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "form", "svg", "math", "base"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


class Tags(HTMLParser):
    """Every start tag of a fragment with its attributes, entities decoded as a browser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def tags_of(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def scheme_of(url: str) -> str | None:
    # Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
    squeezed = re.sub(r"[\x00-\x20]", "", url).lower()
    found = re.match(r"^([a-z][a-z0-9+.\-]*):", squeezed)
    return found.group(1) if found else None


def assert_inert(html: str) -> None:
    assert "<script" not in html.lower()
    for tag, attrs in tags_of(html):
        assert tag not in FORBIDDEN_TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name not in {"style", "srcdoc", "formaction"}, html
            if name in {"href", "src"}:
                scheme = scheme_of(value)
                assert scheme is None or scheme in SAFE_SCHEMES, html


def test_markdown_becomes_html():
    html = render("# Phones\n\n**L1**: call *now*.\n\n- one\n- two\n\n`SEN-1234567`")
    assert "<h1>Phones</h1>" in html
    assert "<strong>L1</strong>" in html
    assert "<em>now</em>" in html
    assert "<li>one</li>" in html
    assert "<code>SEN-1234567</code>" in html


def test_tables_render_without_style_attributes():
    html = render("| region | phone |\n|---|--:|\n| Americas | +1 512 555 0142 |")
    assert "<th>region</th>" in html
    assert "<td>+1 512 555 0142</td>" in html
    assert "style" not in html  # markdown-it aligns cells with style=; the allow-list drops it


def test_links_open_without_handing_over_the_page():
    html = render("[portal](https://desk.example/portal/) and <https://desk.example/>")
    links = [attrs for tag, attrs in tags_of(html) if tag == "a"]
    assert [a["href"] for a in links] == ["https://desk.example/portal/", "https://desk.example/"]
    assert all(a["rel"] == "noopener noreferrer" for a in links)


def test_phone_and_mail_links_and_relative_links_are_kept():
    html = render("[call](tel:+15125550142) [mail](mailto:a@example.com) [open](/portal/)")
    hrefs = [attrs["href"] for tag, attrs in tags_of(html) if tag == "a"]
    assert hrefs == ["tel:+15125550142", "mailto:a@example.com", "/portal/"]


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">click</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](&#x6A;avascript&colon;alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "![x](javascript:alert(1))",
        '![x](https://e.example/a.png "x\\" onerror=\\"alert(1)")',
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "<svg onload=alert(1)>",
        "<<script>script>alert(1)<</script>/script>",
        "<scr<script>ipt>alert(1)</script>",
        "<!-- --><script>alert(1)</script>",
        "[x](<javascript:alert(1)>)",
        "[x]: javascript:alert(1)\n\n[x]",
        "`<script>`",
        "```html\n<script>alert(1)</script>\n```",
        '<form action="https://evil.example"><input name=p></form>',
    ],
)
def test_injection_attempts_render_inert(attack):
    html = render(attack)
    assert_inert(html)
    assert not [tag for tag, _ in tags_of(html) if tag not in {"p", "pre", "code", "img", "a"}]


def test_raw_html_is_shown_as_text():
    assert render("<b>bold?</b>") == "<p>&lt;b&gt;bold?&lt;/b&gt;</p>\n"


# Text built from the pieces attacks are made of, mixed with anything at all.
ATTACK_PIECES = st.sampled_from(
    [
        "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "JaVaScRiPt:",
        "&#106;", "&#x3A;", "&colon;", "data:text/html,", "vbscript:", "onerror=", " onload=",
        "<a href=", "<svg", "<iframe", "<style>", "[x](", "![y](", "](", ")", "<", ">", '"',
        "'", "`", "```", "\n", "\n\n", " ", "\t", "|", "---", "*", "_", "\\", "&", ";", "=",
        "[ref]: ", "<https://", "<mailto:", "http://x/", "\x00",
    ]
)  # fmt: skip
TEXT = st.lists(st.one_of(ATTACK_PIECES, st.text(max_size=12)), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_any_text_renders_inert(markdown):
    assert_inert(render(markdown))
