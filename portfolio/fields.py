"""Read one YAML mapping field by field, collecting every problem with its file, line and path."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import synonyms
from .errors import Problems
from .paths import publish_problem, resolve
from .yamlfile import YList, YMap, is_date, quoted


@dataclass
class Source:
    """Where the mapping came from: the file (for messages) and how its paths resolve."""

    rel: str  # the file, relative to the site folder
    problems: Problems
    site_root: Path  # resolved
    base_dir: Path  # folder that relative paths start from
    content_dir: Path | None = None  # where paths starting with / start
    # Field path -> line of every field read, so later checks (consent) can name the line.
    lines: dict[str, int] = field(default_factory=dict)


def printable(text: str, limit: int = 60) -> str:
    """Text safe to print in a message: invisible and control characters shown as \\uXXXX,
    long text cut."""
    shown = "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text[: limit * 2])
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def describe(value: Any) -> str:
    """Say what the user wrote, for `expected X, got Y`."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return '"' + printable(value).replace('"', '\\"') + '"'
    if not isinstance(value, int | float):
        return printable(str(value))
    return str(value)


# Displayed text has a size a page can hold: a one-line field (a title, a name, a label)
# and a paragraph (a caption, a quote, the pitch). Longer is a mistake, and would make the
# link-preview card and every page slow to lay out.
LINE_MAX = 300
TEXT_MAX = 5_000

# Characters XML forbids (tab and newline are fine): they would make the feed unreadable.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class Fields:
    """A validating reader over one mapping; unknown keys are reported by finish()."""

    def __init__(self, data: YMap, src: Source, path: str = "") -> None:
        self.data = data
        self.src = src
        self.path = path
        self.seen: set[str] = set()
        self.reported: set[str] = set()  # keys already reported as required
        self.ok = True
        for key, line in getattr(data, "key_lines", {}).items():
            src.lines[self.field_path(str(key))] = line
        for key, line in getattr(data, "duplicates", []):
            self.error(str(key), "this field is written twice", line=line)

    # -- reporting ---------------------------------------------------------
    def field_path(self, key: str) -> str:
        if not key:
            return self.path
        return f"{self.path}.{key}" if self.path else key

    def line(self, key: object = ...) -> int | None:
        """The line of `key` (any YAML key, even null), else of the mapping itself."""
        lines = getattr(self.data, "key_lines", {})
        if key is not ... and key in lines:
            return int(lines[key])
        return getattr(self.data, "line", None) or None

    def error(self, key: str, message: str, hint: str = "", line: int | None = None) -> None:
        self.ok = False
        self.src.problems.error(self.src.rel, message, line or self.line(key), self.field_path(key), hint)

    def warn(self, key: str, message: str, hint: str = "") -> None:
        self.src.problems.warn(self.src.rel, message, self.line(key), self.field_path(key), hint)

    def expected(self, key: str, what: str, value: Any, hint: str = "") -> None:
        self.error(key, f"expected {what}, got {describe(value)}", hint)

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def raw(self, key: str) -> Any:
        self.seen.add(key)
        return self.data.get(key)

    def finish(self, known: Iterable[str]) -> None:
        """Report keys that are not in `known`; keys starting with `_` are the user's notes."""
        known = list(known)
        for key, comment in getattr(self.data, "comments", {}).items():
            # `employer: #1 agency` reads as an empty field: say so, unless the comment
            # reads as one (`# to do`) or the field was already reported as required.
            if key in self.seen and key not in self.reported and re.match(r"#\S", comment):
                self.warn(
                    str(key),
                    f"is empty: YAML read {describe(comment)} as a comment",
                    _comment_hint(key, "value", comment),
                )
        for key, (whole, comment) in getattr(self.data, "cut", {}).items():
            if key in self.seen and key not in self.reported:
                self.warn(
                    str(key),
                    f"YAML read {describe(comment)} as a comment and left it out",
                    _comment_hint(key, "value", whole),
                )
        for key in self.data:
            if not isinstance(key, str):
                self.error("", f"a field name must be a word, got {describe(key)}", line=self.line(key))
                continue
            if key.startswith("_") or key in known:
                continue
            if key in self.reported:
                continue  # reported by required(): `titre` for the missing `title`
            meant = synonyms.field_for(key, known, self.data[key])
            close = [meant] if meant else difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            if not close:
                close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`?" if close else "known fields: " + ", ".join(known)
            if meant:
                hint += _english_names(key, meant)
            self.error(key, f"unknown field `{key}`", hint)

    # -- scalars -------------------------------------------------------------
    def required(self, key: str) -> bool:
        value = self.data.get(key)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return True
        if key in self.data:  # written but empty
            comment = getattr(self.data, "comments", {}).get(key)
            hint = ""
            if comment:  # `title: #1 des ventes`
                self.reported.add(key)
                hint = _comment_hint(key, str(key), comment)
            self.error(key, "is empty; a value is required", hint)
        else:
            for written, value in self.data.items():
                if isinstance(written, str) and synonyms.field_for(written, [key], value):
                    # `titre:` written for `title:`: one mistake, reported once, as finish()
                    # would ("did you mean `title`?"), not also as "title is required".
                    self.reported.add(written)
                    hint = f"did you mean `{key}`?" + _english_names(written, key)
                    self.error(written, f"unknown field `{written}`", hint)
                    return False
            self.error(key, "is required", line=self.line())
        return False

    def text(
        self, key: str, required: bool = False, max_len: int | None = None, one_line: bool = False
    ) -> str | None:
        value = self.raw(key)
        if value is None:
            if required:
                self.required(key)
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            hint = ""
            if isinstance(value, bool):
                hint = 'put the text in quotes: "..."'
            elif isinstance(value, dict | list):
                hint = 'text that starts with { or [ must be in quotes: "{client} on TikTok"'
            self.expected(key, "text", value, hint)
            return None
        text = str(value).strip()
        if not text:
            if required:
                self.required(key)
            return None
        limit = max_len or (LINE_MAX if one_line else TEXT_MAX)
        if len(text) > limit:
            self.error(key, f"is {len(text):,} characters; at most {limit:,} are allowed")
            return None  # nothing downstream (cards, the guard) should work on it
        if one_line and "\n" in text:
            self.error(key, "must be a single line")
        bad = _CONTROL.search(text)
        if bad:
            self.error(
                key,
                f"contains the invisible control character U+{ord(bad[0]):04X}",
                "delete it; it would break the feed and some browsers",
            )
            return None
        return text

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.expected(key, "true or false", value)
            return default
        return value

    def integer(self, key: str, minimum: int | None = None) -> int | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.expected(key, "a whole number", value)
            return None
        if minimum is not None and value < minimum:
            self.error(key, f"must be at least {minimum}, got {value}")
            return None
        return value

    def number(self, key: str, required: bool = False) -> float | None:
        value = self.raw(key)
        if value is None:
            if required:
                self.required(key)
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            hint = (
                "write a plain number with a dot for decimals, and the unit in `unit:`"
                if isinstance(value, str)
                else ""
            )
            self.expected(key, "a number", value, hint)
            return None
        if value != value or value in (float("inf"), float("-inf")):
            self.expected(key, "a finite number", value)
            return None
        return value if isinstance(value, float) else float(value)  # keeps how it was written

    def choice(self, key: str, options: tuple[str, ...], default: str | None) -> str | None:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, str) or value not in options:
            hint = ""
            if isinstance(value, bool):
                hint = "YAML reads yes/no/on/off as true/false: write one of the words exactly"
            elif isinstance(value, str):
                meant = synonyms.value_for(value, options)
                close = [meant] if meant else difflib.get_close_matches(value.strip().lower(), options, n=1)
                hint = f"did you mean `{close[0]}`?" if close else ""
                if meant == "pending" and synonyms.fold(value).startswith("anonym"):
                    hint += " It publishes the case study anonymized"
                if meant and meant != synonyms.fold(value):
                    hint += " (the values are English words)"
            self.expected(key, "one of " + ", ".join(options), value, hint)
            return None
        return value

    def date(self, key: str, required: bool = False, month: bool = False) -> dt.date | None:
        """A date (2025-03-10); a year-month (2024-09) stands for the first of the month."""
        value = self.raw(key)
        if value is None:
            if required:
                self.required(key)
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if is_date(value):
            return value  # type: ignore[no-any-return]
        parsed = parse_month(value)
        if parsed is None:
            example = (
                "a month such as 2024-09 or a date such as 2024-09-15"
                if month
                else "a date such as 2025-03-10"
            )
            why, hint = date_problem(value)
            self.error(key, f"expected {example}, got {describe(value)}" + (f": {why}" if why else ""), hint)
        return parsed

    def url(self, key: str, required: bool = False) -> str | None:
        value = self.text(key, required=required, one_line=True)
        if value is None:
            return None
        if not re.match(r"^(https?://[^\s/]+[^\s]*|mailto:[^\s]+@[^\s]+)$", value) or not _parses(value):
            self.expected(key, "a full web address starting with https://", value)
            return None
        return value

    def str_list(self, key: str) -> tuple[str, ...]:
        value = self.raw(key)
        if value is None:
            return ()
        if isinstance(value, str):
            self.expected(
                key,
                "a list such as [A, B]",
                value,
                "write the items in square brackets: "
                + key
                + ": ["
                + ", ".join(v.strip() for v in value.split(","))
                + "]",
            )
            return ()
        if not isinstance(value, list):
            self.expected(key, "a list such as [A, B]", value)
            return ()
        out: list[str] = []
        lines = getattr(value, "item_lines", [])
        for i, item in enumerate(value):
            if i < len(lines):
                self.src.lines[f"{self.field_path(key)}[{i}]"] = lines[i]
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                self.error(
                    f"{key}[{i}]",
                    f"expected text, got {describe(item)}",
                    line=lines[i] if i < len(lines) else None,
                )
                continue
            text = str(item).strip()
            if len(text) > LINE_MAX:
                self.error(
                    f"{key}[{i}]",
                    f"is {len(text):,} characters; at most {LINE_MAX} are allowed",
                    line=lines[i] if i < len(lines) else None,
                )
                continue
            if text and text not in out:
                out.append(text)
        return tuple(out)

    # -- structure -----------------------------------------------------------
    def sub(self, key: str, required: bool = False) -> Fields | None:
        value = self.raw(key)
        if value is None:
            if required:
                self.required(key)
            return None
        if not isinstance(value, YMap):
            self.expected(key, "a group of fields (key: value lines, indented)", value)
            return None
        return Fields(value, self.src, self.field_path(key))

    def items(self, key: str) -> list[Fields]:
        value = self.raw(key)
        if value is None:
            return []
        if not isinstance(value, YList):
            self.expected(key, "a list of items, each starting with `- `", value)
            return []
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, YMap):
                line = value.item_lines[i] if i < len(value.item_lines) else None
                self.error(f"{key}[{i}]", f"expected a group of fields, got {describe(item)}", line=line)
                continue
            out.append(Fields(item, self.src, f"{self.field_path(key)}[{i}]"))
        return out

    def file(self, key: str, required: bool = False, publish: bool = True) -> Path | None:
        """A path to an existing file inside the site (resolved, symlinks followed).

        With `publish`, the file must also be one that may be published: under content/,
        not a source, note or dot-file.
        """
        value = self.text(key, required=required, one_line=True)
        if value is None:
            return None
        content = self.src.content_dir or self.src.site_root / "content"
        path, problem = resolve(value, self.src.base_dir, content, self.src.site_root)
        if path is not None and publish:
            problem = publish_problem(path, content)
            if problem:
                problem = f"{describe(value)}: {problem}"
        if problem:
            self.error(key, problem)
            return None
        return path


def _parses(url: str) -> bool:
    """Whether the URL has a readable host and port (`https://[x` has neither)."""
    try:
        parts = urlsplit(url)
        _ = parts.hostname, parts.port
    except ValueError:
        return False
    return True


def _english_names(written: str, meant: str) -> str:
    """What to add to "did you mean `title`?" for a field name written in French or with accents."""
    return " (field names are English words)" if meant != synonyms.fold(written) else " (without accents)"


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_problem(value: object) -> tuple[str, str]:
    """Why a date-like text is not a date (the day or month that does not exist), and a
    hint (the order to write it in: 10/03/2025 -> 2025-03-10)."""
    if not isinstance(value, str):
        return "", ""
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*", value)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3] or 1)
        if not 1 <= month <= 12:
            return f"there is no month {month}", "months go from 01 to 12"
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return (
                f"{_MONTHS[month - 1]} {year} has no day {day}",
                f"its last day is {year:04d}-{month:02d}-{last}",
            )
        return "", ""
    m = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", value)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            return "", f"write the year first: {year:04d}-{month:02d}-{day:02d}"
    return "", ""


def parse_month(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*", value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3] or 1))
    except ValueError:
        return None


def _comment_hint(key: object, what: str, value: str) -> str:
    """The hint for a value YAML cut at ` #`: the line back with the value in quotes."""
    return f"a # after a space starts a comment: put the {what} in quotes: {key}: {quoted(value)}"
