"""Text that a database cannot store: U+0000 (PostgreSQL refuses it in text columns) and lone
surrogates (not encodable as UTF-8). Input carrying them is refused, never half-saved."""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None if it can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    character = found.group()
    name = "U+0000 (NUL)" if character == "\x00" else f"U+{ord(character):04X} (a lone surrogate)"
    return f"contains the character {name}, which cannot be stored; remove it and send again."
