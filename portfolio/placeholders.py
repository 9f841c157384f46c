"""The starters' placeholders ("[To fill in: ...]", "[À compléter : ...]"): a draft may keep
them, published work may not (`build` and `check` name each one at its line)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .errors import Problems
from .yamlfile import YList, YMap

# What `portfolio new` writes where only the user can write (starter.py), in any language.
PLACEHOLDER = re.compile(r"\[\s*(?:To fill in|À compléter)\s*:[^\]\n]*\]", re.IGNORECASE)
_PRIVATE = {"private_notes", "consent_note"}  # never published: a placeholder there is harmless


def in_data(data: Any, path: str = "") -> Iterator[tuple[str, int | None, str]]:
    """(field path, line, placeholder) for every placeholder in front-matter values."""
    if isinstance(data, YMap):
        for key, value in data.items():
            if str(key) in _PRIVATE or str(key).startswith("_"):
                continue
            field = f"{path}.{key}" if path else str(key)
            if isinstance(value, str):
                for m in PLACEHOLDER.finditer(value):
                    yield field, data.key_lines.get(key), m[0]
            else:
                yield from in_data(value, field)
    elif isinstance(data, YList):
        for i, value in enumerate(data):
            field = f"{path}[{i}]"
            if isinstance(value, str):
                line = data.item_lines[i] if i < len(data.item_lines) else data.line
                for m in PLACEHOLDER.finditer(value):
                    yield field, line, m[0]
            else:
                yield from in_data(value, field)


def in_body(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """(line, placeholder) for every placeholder in a Markdown body."""
    for offset, text in enumerate(body.split("\n")):
        for m in PLACEHOLDER.finditer(text):
            yield first_line + offset, m[0]


def report(source: str, data: Any, body: str, body_line: int, problems: Problems) -> None:
    """An error for each placeholder left in a case study or page that is to be published."""
    hint = "write your own words there, or keep `draft: true` until it is ready"
    for field, line, found in in_data(data):
        problems.error(source, f"still holds the starter's placeholder {_shown(found)}", line, field, hint)
    for line, found in in_body(body, body_line):
        problems.error(
            source, f"the text still holds the starter's placeholder {_shown(found)}", line, hint=hint
        )


def _shown(text: str) -> str:
    return "“" + (text if len(text) <= 60 else text[:57] + "…]") + "”"
