"""Hidden client names: find them in any text, and prove the new output holds none.

Text is compared the way a reader sees it: entities and percent-escapes decoded, tags
removed, accents folded, case folded, and punctuation and spaces collapsed to one space.
A name is found only as whole words (`Lune` is not found in `Lunettes`).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from anyascii import anyascii

from .cache import Cache
from .errors import Problems

# Output files whose bytes are text a reader or a crawler sees; others are checked by name.
TEXT_SUFFIXES = {".html", ".htm", ".xml", ".svg", ".txt", ".css", ".js", ".json",
                 ".webmanifest", ".csv", ".md"}
_MARKUP_SUFFIXES = {".html", ".htm", ".xml", ".svg"}
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Tags that sit inside a line of text: `Maison <em>Lune</em>` reads "Maison Lune" and
# `Lu<span></span>ne` reads "Lune". Any other tag is a word break.
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i",
           "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
           "time", "u", "var", "wbr", "tspan", "textpath"}
# Attributes that only lay a page out (their values are the theme's words, not the user's):
# `class="client-name"` must not read as a client called "Client Name".
_LAYOUT_ATTRIBUTES = {
    "class", "style", "rel", "type", "role", "lang", "dir", "loading", "decoding",
    "fetchpriority", "width", "height", "viewbox", "xmlns", "xmlns:xlink", "d", "points",
    "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "transform",
    "aria-hidden", "focusable", "sizes", "media", "charset", "crossorigin", "integrity",
    "referrerpolicy", "tabindex", "colspan", "rowspan", "scope", "cx", "cy", "r", "x", "y",
    "x1", "x2", "y1", "y2", "rx", "ry", "preserveaspectratio", "text-anchor", "opacity",
    "dominant-baseline", "font-size", "font-weight", "fill-opacity", "stroke-dasharray",
    "offset", "stop-color", "method", "http-equiv", "name", "property", "for", "headers",
    "aria-labelledby", "aria-describedby", "aria-controls", "version", "encoding",
}
# Bump when what the guard checks changes, so verified files are checked again.
_GUARD_VERSION = "1"


@dataclass(frozen=True)
class HiddenName:
    """A client whose name must not be published, and the ways it can be written."""

    name: str  # as the user wrote it
    status: str  # anonymized | withheld
    source: str  # the case study whose client it is
    terms: tuple[str, ...]  # normalised, padded with spaces: " maison lune "


@dataclass(frozen=True)
class Hit:
    name: HiddenName
    context: str  # the normalised words around it, for the message


def normalise(text: str) -> str:
    """Reader-visible words, lowercase ASCII, single-spaced, padded with a space each side."""
    for _ in range(3):  # feeds escape HTML that itself holds entities
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    text = unquote(_JSON_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text))
    if not text.isascii():
        text = anyascii(text)  # folds accents, ligatures, ß, ø; drops zero-width characters
    return " " + _NOT_WORD.sub(" ", text.casefold()).strip() + " "


def hidden_name(name: str, status: str, source: str, url: str | None = None) -> HiddenName:
    """The terms a hidden client is searched by: its name, the name run together, its domain."""
    words = normalise(name).strip()
    terms = [words]
    if " " in words:
        terms.append(words.replace(" ", ""))  # #MaisonLune, maisonlune.com
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.removeprefix("www.")
    if "." in host:
        terms.append(normalise(host).strip())
    padded = tuple(dict.fromkeys(f" {t} " for t in terms if len(t) >= 2))
    return HiddenName(name, status, source, padded)


class NameFinder:
    """Searches text for any of a set of hidden names."""

    def __init__(self, names: Iterable[HiddenName]) -> None:
        self.names = tuple(n for n in names if n.terms)

    def __bool__(self) -> bool:
        return bool(self.names)

    def find(self, text: str) -> Hit | None:
        """The first hidden name in `text` (raw text, Markdown or a URL)."""
        return self.find_normalised(normalise(text)) if self.names else None

    def find_normalised(self, words: str) -> Hit | None:
        for name in self.names:
            for term in name.terms:
                at = words.find(term)
                if at >= 0:
                    start = words.rfind(" ", 0, max(at - 30, 0)) + 1
                    end = words.find(" ", min(at + len(term) + 30, len(words) - 1))
                    return Hit(name, words[start:end if end > 0 else None].strip())
        return None

    def fingerprint(self) -> str:
        """Changes whenever the set of names (or the guard) changes."""
        terms = sorted(t for n in self.names for t in n.terms)
        return hashlib.sha256(json.dumps([_GUARD_VERSION, terms]).encode()).hexdigest()

    def find_in_file(self, out_path: str, data: bytes | None) -> Hit | None:
        """A hidden name in an output file's name or URL, or in its text."""
        hit = self.find(out_path)
        if hit or data is None:
            return hit
        suffix = Path(out_path).suffix.lower()
        if suffix not in TEXT_SUFFIXES:
            return None
        text = data.decode("utf-8", "replace")
        if suffix in _MARKUP_SUFFIXES:
            text = reader_text(text)
        return self.find(text)


class _Reader(HTMLParser):
    """Collects what a page tells its readers: text with tags removed, and attribute values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _INLINE:
            self.text.append(" ")

    def unknown_decl(self, data: str) -> None:
        if data.startswith("CDATA["):  # XML text a theme may wrap in CDATA
            self.text.append(data[6:])

    def handle_comment(self, data: str) -> None:
        self.attributes.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.extend(v for k, v in attrs if v and k not in _LAYOUT_ATTRIBUTES)
        self.handle_endtag(tag)  # a block starts: a word break; an inline tag: none


def reader_text(markup: str, depth: int = 0) -> str:
    """The text and attribute values of HTML, XML or SVG, one chunk per line."""
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    text = "".join(reader.text)
    if depth < 1 and "<" in text:  # a feed's escaped HTML: read it as markup too
        text = reader_text(text, depth + 1) + "\n" + text
    return text + "\n" + "\n".join(reader.attributes)


def guard_output(files: Mapping[str, bytes | Path], sources: Mapping[str, tuple[str, str]],
                 own_files: set[str], finder: NameFinder, cache: Cache | None,
                 problems: Problems) -> int:
    """Search every output file for hidden names; a hit is an error. Returns files read.

    The user's own files (static/, the CV and other copied files) are checked by name
    only: their contents are not read (the README says so). Files verified against the
    same names before are skipped.
    """
    if not finder:
        return 0
    key = finder.fingerprint()
    verified = _load_verified(cache, key)
    now: set[str] = set()
    read = 0
    for out_path in sorted(files):
        value = files[out_path]
        data = value if isinstance(value, bytes) else None
        if (isinstance(value, Path) and out_path not in own_files
                and value.suffix.lower() in TEXT_SUFFIXES):
            data = value.read_bytes()  # a generated or theme file held on disk
        digest = hashlib.sha256(out_path.encode() + b"\0" + (data or b"")).hexdigest()
        if digest in verified:
            now.add(digest)
            continue
        read += 1
        hit = finder.find_in_file(out_path, data)
        if hit is None:
            now.add(digest)
            continue
        source, detail = sources.get(out_path, ("the theme", ""))
        problems.error(
            source,
            f"the leak guard found the {hit.name.status} client name {hit.name.name!r} "
            f"(client of {hit.name.source}) in the output file {out_path}{detail}: "
            f"\"{hit.context}\"",
            hint="remove the name where it comes from: a template, a data file or a file name",
        )
    if cache is not None and not problems.errors:
        cache.put("leak-guard", key, "json", json.dumps(sorted(now)).encode())
    return read


def _load_verified(cache: Cache | None, key: str) -> set[str]:
    if cache is None:
        return set()
    path = cache.get("leak-guard", key, "json")
    if path is None:
        return set()
    try:
        return set(json.loads(path.read_text()))
    except (OSError, ValueError):
        return set()  # a damaged cache only costs a full check
