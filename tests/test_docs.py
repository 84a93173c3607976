"""The repository explains itself: every relative link and anchor in README.md and docs/**/*.md
leads somewhere, every `docs/….md#anchor` the code cites exists, and nothing cites the old
specification or style note that lived outside the repository."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "var",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "build",
    "dist",
}
# Written in two halves so that this file does not mention them itself.
FORBIDDEN = ("SPEC" + " §", ".." + "/shared", "SPEC" + ".md", "STYLE" + ".md")

LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
# A page of the docs cited from code, a template or a test: docs/product/tickets.md#levels.
CITED = re.compile(r"\bdocs/[\w./-]+?\.md(?:#[\w-]+)?")


def markdown_files(root: Path) -> list[Path]:
    found = sorted((root / "docs").rglob("*.md")) if (root / "docs").is_dir() else []
    readme = root / "README.md"
    return [readme, *found] if readme.is_file() else found


def text_files(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if any(p in SKIP_DIRS or p.endswith(".egg-info") for p in parts) or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if "\0" not in text:
            found.append(path)
    return found


def prose(markdown: str) -> str:
    """The text with fenced blocks and code spans blanked: links there are examples."""
    markdown = FENCE.sub("", markdown)
    return CODE_SPAN.sub("", markdown)


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: links reduced to their text, code marks dropped,
    lower-cased, punctuation removed, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = "".join(c for c in text if c.isalnum() or c in " -_")
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    found: set[str] = set(HTML_ANCHOR.findall(text))
    seen: dict[str, int] = {}
    for heading in HEADING.findall(text):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def _broken(target: str, source: Path, root: Path) -> str | None:
    """Why ``target`` (relative to ``source``, or to ``root`` when it starts from there) leads
    nowhere, or None."""
    path, _, anchor = target.partition("#")
    page = source if not path else (source.parent / path).resolve()
    if not page.exists():
        return f"{path} does not exist"
    if root.resolve() not in page.parents and page != root.resolve():
        return f"{path} is outside the repository"
    if anchor:
        if page.is_dir() or page.suffix != ".md":
            return f"{path} is not a Markdown page, so #{anchor} means nothing"
        if anchor not in anchors(page):
            return f"{page.name} has no heading #{anchor}"
    return None


def broken_links(root: Path) -> list[str]:
    """Every relative link or anchor in the Markdown pages that leads nowhere."""
    problems = []
    for page in markdown_files(root):
        for target in LINK.findall(prose(page.read_text(encoding="utf-8"))):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            why = _broken(target, page, root)
            if why:
                problems.append(f"{page.relative_to(root)}: ({target}) {why}")
    return problems


def broken_citations(root: Path) -> list[str]:
    """Every docs/….md(#anchor) mentioned in any file that leads nowhere."""
    problems = []
    for file in text_files(root):
        for cited in CITED.findall(file.read_text(encoding="utf-8")):
            why = _broken(cited, root / "README.md", root)
            if why:
                problems.append(f"{file.relative_to(root)}: {cited}: {why}")
    return problems


def forbidden_mentions(root: Path) -> list[str]:
    problems = []
    for file in text_files(root):
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            problems += [f"{file.relative_to(root)}:{number}: {f}" for f in FORBIDDEN if f in line]
    return problems


# The repository ---------------------------------------------------------------------------------


def test_every_link_and_anchor_in_the_docs_leads_somewhere() -> None:
    assert broken_links(ROOT) == []


def test_every_docs_page_the_code_cites_exists_with_its_anchor() -> None:
    assert broken_citations(ROOT) == []


def test_nothing_cites_the_old_outside_specification() -> None:
    assert forbidden_mentions(ROOT) == []


def test_the_product_pages_are_all_in_the_index() -> None:
    index = ROOT / "docs" / "product" / "README.md"
    linked = {t.partition("#")[0] for t in LINK.findall(prose(index.read_text(encoding="utf-8")))}
    pages = {p.name for p in index.parent.glob("*.md")} - {"README.md"}
    assert pages <= linked


# The checker itself, on a small repository ------------------------------------------------------

# Built in pieces, so that the repository-wide checks above do not read these as citations.
TICKETS = "docs" + "/product/tickets.md"


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "docs" / "product").mkdir(parents=True)
    (root / "README.md").write_text(
        f"# Title\n\nSee [tickets]({TICKETS}#levels) and "
        "[the top](#title), `[not a link](nowhere.md)`.\n\n```\n[nor this](gone.md)\n```\n",
        encoding="utf-8",
    )
    (root / TICKETS).write_text(
        "# Tickets\n\n## Levels\n\n## Levels\n\n## Who sees a ticket?\n\n## São Paulo `office`\n"
        "\nBack to [the index](../../README.md), [the second](#levels-1), "
        "[who](#who-sees-a-ticket), [office](#são-paulo-office), [web](https://example.com).\n",
        encoding="utf-8",
    )
    (root / "code.py").write_text(f'"""Levels ({TICKETS}#levels)."""\n', encoding="utf-8")
    return root


def test_a_sound_repository_passes(repository: Path) -> None:
    assert broken_links(repository) == []
    assert broken_citations(repository) == []
    assert forbidden_mentions(repository) == []


def test_a_link_to_a_missing_page_is_found(repository: Path) -> None:
    page = repository / TICKETS
    page.write_text(page.read_text(encoding="utf-8") + "\n[gone](sla.md)\n", encoding="utf-8")
    assert broken_links(repository) == [f"{TICKETS}: (sla.md) sla.md does not exist"]


def test_a_link_to_a_missing_anchor_is_found(repository: Path) -> None:
    (repository / "README.md").write_text(f"[x]({TICKETS}#states)\n", encoding="utf-8")
    assert broken_links(repository) == [
        f"README.md: ({TICKETS}#states) tickets.md has no heading #states"
    ]


def test_a_link_out_of_the_repository_is_found(repository: Path) -> None:
    (repository.parent / "OUTSIDE.md").write_text("# Elsewhere\n", encoding="utf-8")
    (repository / "README.md").write_text("[outside](../OUTSIDE.md)\n", encoding="utf-8")
    assert broken_links(repository) == [
        "README.md: (../OUTSIDE.md) ../OUTSIDE.md is outside the repository"
    ]


def test_a_broken_citation_in_code_is_found(repository: Path) -> None:
    (repository / "code.py").write_text(f"# {TICKETS}#states\n", encoding="utf-8")
    assert broken_citations(repository) == [
        f"code.py: {TICKETS}#states: tickets.md has no heading #states"
    ]


@pytest.mark.parametrize("mention", FORBIDDEN)
def test_a_mention_of_the_old_specification_is_found(repository: Path, mention: str) -> None:
    (repository / "code.py").write_text(f"# see {mention}\n", encoding="utf-8")
    assert forbidden_mentions(repository) == [f"code.py:1: {mention}"]
