"""Translations: `NAME.LANG.md` (or a folder's `index.LANG.md`) beside `NAME.md`.

A translation's fields are laid over the default language's (its body replaces the body
when it has one); what must be the same in every language (the date, the kind, the
client's name and consent, the figures' team size...) stays with the original and is
refused in a translation. Problems found in translated text are reported at the
translation's file and line (`Routed`), the others at the original's, once.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import Problems, SourceError
from .paths import site_relative
from .yamlfile import YList, YMap

_TRANSLATION = re.compile(r"^(?P<stem>.+)\.(?P<language>[a-z]{2})\.md$")
KNOWN_LANGUAGES = ("en", "fr")

# What a translation may not change: facts, not words.
FIXED = {
    "case study": {
        "date",
        "period",
        "kind",
        "team_size",
        "featured",
        "unlisted",
        "employer",
        "protected",
        "private",
        "password_env",
    },
    "page": {"order", "nav", "unlisted"},
    "application": {"token", "expires"},
}
# Inside these blocks, only these words may be translated.
TRANSLATABLE_INSIDE = {
    "client": {"industry", "anonymized_as"},
    "testimonial": {"quote", "author"},
    "school": {"course"},
}
# Lists a translation gives item by item in the original's order, with only these words: the
# figures, files and choices stay the original's, so translating a label is not retyping a
# metric (an item may repeat an original's value unchanged).
BY_POSITION = {
    "metrics": ("label", "unit", "source", "contribution"),
    "gallery": ("alt", "caption", "credit"),
}


def language_of(path: Path) -> tuple[str, str] | None:
    """(language, the original's file name) if `path` names a translation."""
    m = _TRANSLATION.match(path.name)
    if m is None or m["language"] not in KNOWN_LANGUAGES:
        return None
    return m["language"], m["stem"] + ".md"


def split(
    paths: Iterable[Path], languages: tuple[str, ...], root: Path, problems: Problems
) -> tuple[list[Path], dict[Path, dict[str, Path]]]:
    """The originals, and each original's translations by language. A translation into a
    language the site does not have, or without an original, is reported and left out."""
    paths = list(paths)
    names = set(paths)
    originals: list[Path] = []
    translations: dict[Path, dict[str, Path]] = {}
    for path in paths:
        found = language_of(path)
        if found is None:
            originals.append(path)
            continue
        language, original_name = found
        original = path.with_name(original_name)
        rel = site_relative(path, root)
        if original not in names:
            problems.error(
                rel,
                f"is a translation into `{language}` of {original_name}, which does not exist",
                hint=f"name it after the file it translates: NAME.{language}.md beside NAME.md",
            )
        elif language == languages[0]:
            problems.warn(
                rel,
                f"translates {original_name} into `{language}`, the site's default language, and is "
                "not published",
                hint="write the default language in the original file itself",
            )
        elif language not in languages:
            listed = ", ".join(languages)
            problems.warn(
                rel,
                f"is a translation into `{language}`, which is not one of the site's languages "
                f"({listed}), and is not published",
                hint=f"add it in portfolio.yaml: languages: [{listed}, {language}]",
            )
        else:
            translations.setdefault(original, {})[language] = path
    return originals, translations


@dataclass(frozen=True)
class Translated:
    """The fields a translation set, as field paths (`title`, `client.industry`)."""

    keys: frozenset[str]
    body: bool  # the translation has a body of its own

    def covers(self, field: str) -> bool:
        return any(field == k or field.startswith((k + ".", k + "[")) for k in self.keys)


def merge(
    original: YMap, translation: YMap, kind: str, rel: str, problems: Problems
) -> tuple[YMap, frozenset[str]]:
    """The original's fields with the translation's over them; a field that may not be
    translated is an error at the translation's line, and is left as the original has it."""
    merged = _copy(original)
    keys: set[str] = set()
    for key, value in translation.items():
        name = str(key)
        line = translation.key_lines.get(key)
        if name.startswith("_") or name == "private_notes":
            continue
        if name in FIXED[kind]:
            problems.error(
                rel,
                "is the same in every language: change it in the original, not in a translation",
                line,
                name,
            )
            continue
        inside = TRANSLATABLE_INSIDE.get(name)
        if inside is not None and kind == "case study":
            if not isinstance(value, YMap) or not isinstance(merged.get(key), YMap):
                problems.error(
                    rel, f"a translation may only give its {', '.join(sorted(inside))}", line, name
                )
                continue
            block = merged[key] = _copy(merged[key])
            for inner, inner_value in value.items():
                inner_line = value.key_lines.get(inner)
                if str(inner) not in inside:
                    problems.error(
                        rel,
                        "is the same in every language: change it in the original, not in a translation",
                        inner_line,
                        f"{name}.{inner}",
                    )
                    continue
                block[inner] = inner_value
                block.key_lines[inner] = inner_line or block.line
                keys.add(f"{name}.{inner}")
            continue
        words = BY_POSITION.get(name)
        if words is not None and kind == "case study" and isinstance(merged.get(key), list):
            merged[key] = _by_position(merged[key], value, words, name, line, rel, problems, keys)
            continue
        merged[key] = value
        merged.key_lines[key] = line or merged.line
        keys.add(name)
    return merged, frozenset(keys)


def _by_position(
    original: list[object],
    translation: object,
    words: tuple[str, ...],
    name: str,
    line: int | None,
    rel: str,
    problems: Problems,
    keys: set[str],
) -> list[object]:
    """The original's items with the translation's words over them, item by item."""
    example = "- {alt: ..., caption: ...}" if name == "gallery" else "- {label: ...}"
    if not isinstance(translation, list) or len(translation) != len(original):
        given = (
            f"{len(translation)} item{'s' if len(translation) != 1 else ''}"
            if isinstance(translation, list)
            else "no list"
        )
        problems.error(
            rel,
            f"has {given} where the original has {len(original)}: a translation gives the same "
            "items in the same order, with only their words",
            line,
            name,
            hint=f"one line per item of the original, e.g. {example}",
        )
        return original
    lines = getattr(translation, "item_lines", [line] * len(translation))
    merged = YList(original)
    merged.line = getattr(original, "line", line or 0)
    merged.item_lines = list(getattr(original, "item_lines", [merged.line] * len(original)))
    for i, (theirs, ours) in enumerate(zip(translation, original, strict=True)):
        at = f"{name}[{i}]"
        if not isinstance(theirs, YMap) or not isinstance(ours, YMap):
            problems.error(rel, f"expected the item's words, e.g. {example[2:]}", lines[i] or line, at)
            continue
        item = merged[i] = _copy(ours)
        for inner, inner_value in theirs.items():
            inner_line = theirs.key_lines.get(inner)
            if str(inner) in words:
                item[inner] = inner_value
                item.key_lines[inner] = inner_line or item.line
                keys.add(f"{at}.{inner}")
            elif ours.get(inner) != inner_value:
                problems.error(
                    rel,
                    "is the same in every language: change it in the original, not in a translation",
                    inner_line,
                    f"{at}.{inner}",
                    hint=f"a translation gives only the {', '.join(words[:-1])} and {words[-1]}",
                )
    return merged


def _copy(data: YMap) -> YMap:
    out = YMap(data)
    out.line, out.key_lines, out.duplicates = data.line, dict(data.key_lines), list(data.duplicates)
    return out


def localise(data: YMap, language: str, rel: str, problems: Problems) -> YMap:
    """`anonymized_as: {fr: ..., en: ...}` read for one language (the others' are its own)."""
    client = data.get("client")
    if not isinstance(client, YMap) or not isinstance(client.get("anonymized_as"), YMap):
        return data
    aliases: YMap = client["anonymized_as"]
    line = client.key_lines.get("anonymized_as")
    unknown = [str(k) for k in aliases if str(k) not in KNOWN_LANGUAGES]
    if unknown:
        problems.error(
            rel,
            f"`{unknown[0]}` is not a language; write one alias per language, e.g. "
            "{fr: une brasserie lyonnaise, en: a Lyon brewery}",
            aliases.key_lines.get(unknown[0], line),
            "client.anonymized_as",
        )
    localised = _copy(data)
    block = localised["client"] = _copy(client)
    if language in aliases:
        block["anonymized_as"] = aliases[language]
        block.key_lines["anonymized_as"] = aliases.key_lines.get(language, line or block.line)
    else:
        # Reported here, once: another language's alias stands in so the reader does not say
        # again that an alias is required (the build fails on this error all the same).
        if aliases:
            block["anonymized_as"] = next(iter(aliases.values()))
        else:
            del block["anonymized_as"]
        shown = ", ".join(f"{code}: ..." for code in [*map(str, aliases), language])
        problems.error(
            rel,
            f"has no alias for `{language}`",
            line,
            "client.anonymized_as",
            hint=f"add it: anonymized_as: {{{shown}}}",
        )
    return localised


class Routed(Problems):
    """A language's problems: those in a translation's words go to the translation's file,
    the rest to the original's (where the default language reports them too, once)."""

    def __init__(self, parent: Problems) -> None:
        super().__init__()
        self.parent = parent
        self.routes: dict[str, tuple[str, Translated, int]] = {}  # original -> (translation, keys, body line)
        self.errors = parent.errors  # one list: `raise_if_any` and the recipe see every error
        self.warnings = parent.warnings

    def route(self, original: str, translation: str, translated: Translated, body_line: int) -> None:
        self.routes[original] = (translation, translated, body_line)

    def add(self, problem: SourceError, warning: bool) -> None:
        route = self.routes.get(problem.path)
        if route is not None:
            translation, translated, body_line = route
            in_body = not problem.field and problem.line is not None and problem.line >= body_line
            if (problem.field and translated.covers(problem.field)) or (translated.body and in_body):
                problem = dataclasses.replace(problem, path=translation)
        self.parent.add(problem, warning)
