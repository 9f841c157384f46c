"""Hidden client names: find them in any text, and prove the new output holds none.

Text is compared the way a reader sees it: entities and percent-escapes decoded, tags
removed, accents folded, case folded, and punctuation and spaces collapsed to one space.
A name is found only as whole words (`Lune` is not found in `Lunettes`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import json
import mmap
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from anyascii import anyascii

from .cache import Cache
from .encodings import read_text_file
from .errors import Problems
from .filetext import MACHINE_PHRASES, CannotRead, passages
from .paths import site_relative
from .workers import shared, worker_count

# Files that are never text. Generated ones (pictures, the portfolio's PDF) are checked by
# name; those copied from content/ as they are are read as what they are (filetext.py). Any
# other file is read when it is text (CSV, TSV, captions, calendars...).
BINARY_SUFFIXES = {
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".avif",
    ".heic",
    ".ico",
    ".pdf",
    ".mp4",
    ".webm",
    ".mov",
    ".mp3",
    ".m4a",
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".zip",
    ".gz",
    ".docx",
    ".xlsx",
    ".pptx",
    ".key",
    ".odt",
    ".ods",
    ".odp",
    ".epub",
    ".m4v",
    ".mkv",
    ".psd",
}
_MARKUP_SUFFIXES = {".html", ".htm", ".xml", ".svg"}
# How each binary format's files begin (offset, bytes): a text file renamed `.pdf` is text.
_FTYP = ((4, b"ftyp"),)
_SIGNATURES: dict[str, tuple[tuple[int, bytes], ...]] = {
    ".jpg": ((0, b"\xff\xd8\xff"),),
    ".jpeg": ((0, b"\xff\xd8\xff"),),
    ".png": ((0, b"\x89PNG\r\n\x1a\n"),),
    ".gif": ((0, b"GIF87a"), (0, b"GIF89a")),
    ".webp": ((8, b"WEBP"),),
    ".avif": _FTYP,
    ".heic": _FTYP,
    ".mp4": _FTYP,
    ".m4v": _FTYP,
    ".mov": (*_FTYP, (4, b"moov"), (4, b"wide"), (4, b"mdat"), (4, b"free")),
    ".m4a": _FTYP,
    ".ico": ((0, b"\x00\x00\x01\x00"),),
    ".webm": ((0, b"\x1a\x45\xdf\xa3"),),
    ".mkv": ((0, b"\x1a\x45\xdf\xa3"),),
    ".mp3": ((0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"), (0, b"\xff\xf2"), (0, b"\xff\xe3")),
    ".woff": ((0, b"wOFF"),),
    ".woff2": ((0, b"wOF2"),),
    ".ttf": ((0, b"\x00\x01\x00\x00"),),
    ".otf": ((0, b"OTTO"),),
    ".zip": ((0, b"PK\x03\x04"), (0, b"PK\x05\x06")),
    ".docx": ((0, b"PK\x03\x04"),),
    ".xlsx": ((0, b"PK\x03\x04"),),
    ".pptx": ((0, b"PK\x03\x04"),),
    ".key": ((0, b"PK\x03\x04"),),
    ".odt": ((0, b"PK\x03\x04"),),
    ".ods": ((0, b"PK\x03\x04"),),
    ".odp": ((0, b"PK\x03\x04"),),
    ".epub": ((0, b"PK\x03\x04"),),
    ".gz": ((0, b"\x1f\x8b"),),
    ".psd": ((0, b"8BPS"),),
}
_HEAD = 1024  # a PDF's %PDF may follow a little junk


def is_what_it_says(suffix: str, head: bytes) -> bool:
    """Whether a file named `.pdf`, `.jpg`... begins as such files do, and its head does not
    read as text (a text file given a PDF's first bytes is still text)."""
    if suffix == ".pdf":
        signed = head.startswith(b"%PDF-")
    else:
        signed = any(head[at : at + len(magic)] == magic for at, magic in _SIGNATURES.get(suffix, ()))
    return signed and (suffix == ".pdf" or read_text_file(head) is None)


_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['\u2019\u02bc]")  # Ben & Jerry's is also Ben & Jerrys
# @handles, #hashtags and host names: where a name is run into other words.
_MARKUP = re.compile(
    r"<!--(?P<comment>.*?)-->|<!\[CDATA\[(?P<cdata>.*?)\]\]>"
    r"|<(?P<open>[a-zA-Z][\w:.-]*)(?P<attrs>[^<>]*)>|</(?P<close>[a-zA-Z][\w:.-]*)\s*>"
    r"|<[!?][^>]*>",
    re.S,
)
_ATTRIBUTE = re.compile(
    r"""(?P<key>[^\s=/>"']+)\s*=\s*(?:"(?P<v1>[^"]*)"|'(?P<v2>[^']*)'|(?P<v3>[^\s>"']+))"""
)
# The same, with only the values captured (findall then gives one tuple per attribute).
_ATTRIBUTE_VALUES = re.compile(r"""[^\s=/>"']+\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")
_TOKENS = re.compile(r"[@#][^\s<>\"'()\[\]{},;|]+|(?<![\w.-])(?:[\w-]+\.)+[^\W\d_]{2,}(?![\w-])")
_LEGAL_SUFFIXES = {
    "ltd",
    "limited",
    "llc",
    "llp",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "sarl",
    "sasu",
    "eurl",
    "srl",
    "spa",
    "bv",
    "nv",
    "ab",
    "oy",
    "as",
    "pty",
    "kg",
    "group",
    "groupe",
}
_TLDS = {"com", "net", "org", "io", "co", "fr", "de", "uk", "eu", "app", "shop", "store"}
# A client whose address is a profile on one of these is known by its handle, not the host.
_PLATFORMS = {
    "instagram.com",
    "facebook.com",
    "fb.com",
    "tiktok.com",
    "linkedin.com",
    "youtube.com",
    "youtu.be",
    "x.com",
    "twitter.com",
    "threads.net",
    "pinterest.com",
    "linktr.ee",
    "behance.net",
    "etsy.com",
    "medium.com",
    "substack.com",
    "bsky.app",
    "vimeo.com",
    "twitch.tv",
    "snapchat.com",
    "wa.me",
    "t.me",
}
# Tags that sit inside a line of text: `Maison <em>Lune</em>` reads "Maison Lune" and
# `Lu<span></span>ne` reads "Lune". Any other tag is a word break.
_INLINE = {
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "cite",
    "code",
    "data",
    "del",
    "dfn",
    "em",
    "i",
    "ins",
    "kbd",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
    "wbr",
    "tspan",
    "textpath",
    "big",
    "tt",
    "font",
    "label",
    "nobr",
    "ruby",
    "rb",
    "output",
}
# Attribute values are read like text, except the words the bundled themes use for layout
# (their class names, ids, meta names): `class="card-media"` must not read as a client
# called "Card Media". A user's own template or theme is read whole.
_ATTRIBUTE_LITERAL = re.compile(r"""[\w:-]+\s*=\s*["']([^"']*)["']""")
_CSS_NAME = re.compile(r"[.#]([a-zA-Z][\w-]*)")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


@functools.cache
def theme_vocabulary() -> frozenset[str]:
    """Every layout word of the bundled themes' templates and style sheets, and of the
    charts the build draws, lowercase."""
    from .themes import bundled_dir

    words: set[str] = set()
    sources = [Path(__file__).with_name("charts.py")]
    for theme in bundled_dir().iterdir():
        sources += sorted((theme / "templates").rglob("*")) + sorted((theme / "static").rglob("*.css"))
    for path in sources:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".css":
            words.update(m.lower() for m in _CSS_NAME.findall(text))
            continue
        for value in _ATTRIBUTE_LITERAL.findall(_JINJA.sub(" ", text)):
            words.update(token.lower() for token in value.split() if not token.endswith("-"))
    return frozenset(words)


# Bump when what the guard checks changes, so verified files are checked again.
_GUARD_VERSION = "6"
_PREFIX = 6  # the shortest fragment a handle or host is searched for


@dataclass(frozen=True)
class HiddenName:
    """A client whose name must not be published, and the ways it can be written."""

    name: str  # as the user wrote it
    status: str  # anonymized | withheld
    source: str  # the case study whose client it is
    terms: tuple[str, ...]  # normalised whole words, padded with spaces: " maison lune "
    fragments: tuple[str, ...] = ()  # run together, found inside @handles, #tags and hosts


@dataclass(frozen=True)
class Hit:
    name: HiddenName
    context: str  # the normalised words around it, for the message
    where: str = ""  # in a document or media file: what holds it ("its metadata"...)


def decode(text: str) -> str:
    """Undo the escapes a name can hide behind: entities, JSON `\\u00e9`, percent-encoding,
    each applied as often as it was (feeds escape HTML that itself holds entities; an
    address may be percent-encoded twice)."""
    for _ in range(4):
        decoded = unquote(_JSON_ESCAPE.sub(lambda m: chr(int(m[1], 16)), html.unescape(text)))
        if decoded == text:
            break
        text = decoded
    return text


_RIGHT_TO_LEFT_OVERRIDE = "\u202e"
_CODE_ESCAPE = re.compile(
    r"\\(?:x([0-9a-fA-F]{2})|u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})"
    r"|([0-9a-fA-F]{1,6})[ \t\n\f]?|([^0-9a-fA-F\n]))"
)


def _code_unescape(text: str) -> str:
    """Undo the escapes of CSS (`\\48 `, `\\l`) and JavaScript (`\\x48`, `\\u{48}`)."""

    def one(m: re.Match[str]) -> str:
        if m[5] is not None:
            return m[5]
        code = int(m[1] or m[2] or m[3] or m[4], 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else " "

    return _CODE_ESCAPE.sub(one, text)


def fold(text: str) -> str:
    """Letters and digits only, lowercase ASCII, single-spaced, padded with a space each side.

    Symbols and punctuation become spaces before transliteration, so `Lune™` reads `lune`
    (not `lunetm`); invisible format characters are dropped, so `Hal\u200bden` reads
    `halden`.
    """
    if not text.isascii():
        # One C-level pass: each non-ASCII character's folding is worked out once, then kept.
        text = text.translate(_FOLDED)
    return " " + _NOT_WORD.sub(" ", text.casefold()).strip() + " "


# Letters of other scripts drawn like Latin ones (after Unicode's confusables.txt): a name
# typed with a Cyrillic Н or a Greek Η reads "Halden" to everyone, so it is "Halden" here.
# Transliteration would spell them N and I.
_LOOKALIKES = dict(
    zip(
        "АВЕКМНОРСТХУЅІЈԁһӏԛԝаеорсухіјѕԜԚвнткмпгьӀ"  # Cyrillic
        "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιϳκνρτυχαϹϲ"  # Greek
        "ꓐꓑꓒꓓꓔꓖꓗꓙꓚꓜꓝꓟꓠꓡꓢꓣꓦꓧꓪꓫꓬꓮꓰꓲꓳꓴ",  # Lisu
        "ABEKMHOPCTXYSIJdhlqwaeopcyxijsWQbhtkmnrbl"  # Cyrillic
        "ABEZHIKMNOPTYXoijkvptuxaCc"  # Greek
        "BPdDTGKJCZFMNLSRVHWXYAEIOU",  # Lisu
        strict=True,
    )
)
# Letters drawn as symbols, A..Z from each start: regional indicators 🇦, negative circled 🅐
# and negative squared 🅰 (the "fancy text" of social bios); NFKC leaves them alone.
_LETTER_RUNS = (0x1F1E6, 0x1F150, 0x1F170)
_TAG_CHARACTERS = range(0xE0020, 0xE007F)  # invisible copies of ASCII: read as ASCII


class _FoldTable(dict[int, str]):
    """str.translate's table for non-ASCII characters, filled on first sight. Letters go
    through anyascii (it folds ｆｕｌｌｗｉｄｔｈ and ligatures; no NFKC first, which would
    spell `™` as `TM`), lookalikes of Latin letters become them, a symbol that is one letter
    drawn in a circle, a square or parentheses (Ⓗ 🄷 ⒣ 🇭) becomes that letter, other
    symbols become spaces, invisible format characters nothing."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        kind = unicodedata.category(c)
        if code < 128:
            folded = c
        elif c in _LOOKALIKES:
            folded = _LOOKALIKES[c]
        elif kind[0] in "LM" or kind == "Nd":
            folded = anyascii(c)
        elif any(start <= code < start + 26 for start in _LETTER_RUNS):
            folded = chr(ord("a") + next(code - a for a in _LETTER_RUNS if a <= code < a + 26))
        elif code in _TAG_CHARACTERS:
            folded = chr(code - 0xE0000).lower()
        elif kind == "Cf":
            folded = ""
        else:
            letter = unicodedata.normalize("NFKC", c).strip("()")
            folded = letter if len(letter) == 1 and letter.isascii() and letter.isalnum() else " "
        self[code] = folded
        return folded


_FOLDED = _FoldTable()


def normalise(text: str) -> str:
    """What a reader sees of `text`, folded for comparison."""
    return fold(decode(text))


def hidden_name(name: str, status: str, source: str, url: str | None = None) -> HiddenName:
    """The ways a hidden client is searched for: its name with and without a legal suffix
    (`Maison Lune SAS`), `&` read as `and`, the words run together (`#MaisonLune`), and its
    web address or social handle."""
    spellings = [fold(name).strip(), fold(_german(name)).strip(), fold(_APOSTROPHES.sub("", name)).strip()]
    for words in list(spellings):
        parts = words.split()
        while len(parts) > 1 and parts[-1] in _LEGAL_SUFFIXES and len("".join(parts[:-1])) >= 4:
            parts = parts[:-1]
            spellings.append(" ".join(parts))
        if len(parts) > 2 and parts[0] == "the":  # The Body Shop is also the Body Shop
            spellings.append(" ".join(parts[1:]))
    packed = [w.replace(" ", "") for w in spellings if " " in w and len(w) >= 5]
    address = _address_terms(url)
    ands = [fold(name.replace("&", f" {word} ")).strip() for word in ("and", "et", "n") if "&" in name]
    names = [*spellings, *packed, *ands]
    terms = tuple(dict.fromkeys(f" {w} " for w in [*names, *_plurals(names), *address] if len(w) >= 2))
    # Inside a handle, a hashtag or a host name only long forms count: `#main` is not "Main".
    fragments = tuple(
        dict.fromkeys(
            w.replace(" ", "")
            for w in [*spellings, *address]
            if len(w.replace(" ", "")) >= (8 if " " in w else 6)
        )
    )
    return HiddenName(name, status, source, terms, fragments)


def _plurals(spellings: list[str]) -> list[str]:
    """Word forms of a name are the name: "two Nestors stores", "the Nestors' stores",
    "Nestores" (folding turns the apostrophe into a space, so "Nestor's" reads "nestor s")."""
    forms = []
    for words in spellings:
        head, _, last = words.rpartition(" ")
        if len(last) < 3 or not last.isalpha():
            continue
        if last.endswith(("s", "x", "z")):
            endings = [last + "es"]
        else:
            endings = [last + "s", last + "es", last + "x"]
            if last.endswith("y"):
                endings.append(last[:-1] + "ies")
        forms += [f"{head} {form}".strip() for form in endings]
    return forms


def _german(name: str) -> str:
    """Müller is also written Mueller."""
    for letter, spelled in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
        ("ß", "ss"),
    ):
        name = name.replace(letter, spelled)
    return name


def _address_terms(url: str | None) -> list[str]:
    """The client's domain, or its handle when the address is a social profile."""
    if not url:
        return []
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return []
    if any(host == p or host.endswith("." + p) for p in _PLATFORMS):
        handle = parts.path.strip("/").split("/")[0].lstrip("@")
        return [fold(handle).strip()] if len(handle) >= 3 else []
    return [fold(host).strip()] if "." in host else []


class NameFinder:
    """Searches text for any of a set of hidden names.

    `theme_phrases` are the theme's own words (and month names): where one holds a hidden
    name (a client called "Mars", a French site's "10 mars 2025"), the phrase is taken out
    of the output before searching it. User text is checked at its source all the same.
    """

    def __init__(self, names: Iterable[HiddenName], theme_phrases: Iterable[str] = ()) -> None:
        self.names = tuple(n for n in names if n.terms)
        terms = [t for n in self.names for t in n.terms]
        # Indexed so a search costs the same for one hidden name as for a thousand: whole
        # words by their first word, run-together fragments by their first six letters.
        self._by_first: dict[str, list[tuple[list[str], HiddenName]]] = {}
        for name in self.names:
            for term in name.terms:
                words = term.split()
                self._by_first.setdefault(words[0], []).append((words, name))
        self._by_prefix: dict[str, list[tuple[str, HiddenName]]] = {}
        for name in self.names:
            for fragment in name.fragments:
                self._by_prefix.setdefault(fragment[:_PREFIX], []).append((fragment, name))
        first_words = set(self._by_first)
        self.phrases = sorted(
            {
                p
                for p in (fold(x) for x in theme_phrases)
                if first_words.intersection(p.split()) and any(t in p for t in terms)
            },
            key=len,
            reverse=True,
        )

    def __bool__(self) -> bool:
        return bool(self.names)

    def find(self, text: str) -> Hit | None:
        """The first hidden name in `text` (raw text, Markdown, HTML text or a URL)."""
        if not self.names:
            return None
        decoded = decode(text)
        hit = self.find_normalised(fold(decoded))
        if hit is None and ("@" in decoded or "#" in decoded or "." in decoded):
            hit = self._find_in_tokens(decoded)
        if hit is None and "\\" in decoded:  # CSS `\48 alden`, JavaScript `\x48alden`
            unescaped = _code_unescape(decoded)
            if unescaped != decoded:
                hit = self.find(unescaped)
        if hit is None and _RIGHT_TO_LEFT_OVERRIDE in decoded:
            # Shown right to left: `\u202eselcyC nedlaH` reads "Halden Cycles" on screen.
            hit = self.find_normalised(fold(decoded[::-1]))
        return hit

    def find_normalised(self, words: str) -> Hit | None:
        """The first hidden name in folded text, found as whole words."""
        for phrase in self.phrases:
            words = words.replace(phrase, " | ")
        tokens = words.split()
        by_first = self._by_first
        for i, token in enumerate(tokens):
            for term, name in by_first.get(token, ()):
                if tokens[i : i + len(term)] == term:
                    return Hit(name, _context(tokens, i, i + len(term)))
                end = _match_over_marks(tokens, i, term)
                if end:
                    return Hit(name, _context(tokens, i, end))
        return None

    def _find_in_tokens(self, decoded: str) -> Hit | None:
        """Handles, hashtags and web addresses run words together: @maisonluneparis."""
        by_prefix = self._by_prefix
        if not by_prefix:
            return None
        for match in _TOKENS.finditer(decoded):
            token = match[0]
            if "xn--" in token:
                token = _punycode(token)
            packed = fold(token).replace(" ", "")
            for at in range(len(packed) - _PREFIX + 1):
                for fragment, name in by_prefix.get(packed[at : at + _PREFIX], ()):
                    if packed.startswith(fragment, at):
                        return Hit(name, token)
        return None

    def fingerprint(self) -> str:
        """Changes whenever the set of names (or the guard) changes."""
        terms = sorted(t for n in self.names for t in (*n.terms, *n.fragments))
        return hashlib.sha256(
            json.dumps([_GUARD_VERSION, terms, self.phrases, sorted(theme_vocabulary())]).encode()
        ).hexdigest()

    def find_in_file(self, out_path: str, data: bytes | mmap.mmap | None, as_is: bool = False) -> Hit | None:
        """A hidden name in an output file's name or URL, or in its text (in any encoding
        the CSV reader takes); raises Unreadable for a file that is neither text nor a
        known binary format, whose bytes nobody could check. `as_is`: a file copied from
        content/ as it is (a linked PDF, a video), whose bytes are read too (filetext.py);
        raises CannotRead for one too big unpacked, encrypted or broken."""
        hit = self.find(out_path)
        if hit or data is None:
            return hit
        suffix = Path(out_path).suffix.lower()
        if suffix in BINARY_SUFFIXES and is_what_it_says(suffix, bytes(data[:_HEAD])):
            # Generated media (pictures re-encoded, social cards, the portfolio's PDF,
            # whose words are read where it is made) is checked by name.
            return self.find_in_binary(data) if as_is else None
        text = read_text_file(bytes(data))
        if text is None:
            raise Unreadable(out_path)
        if suffix in _MARKUP_SUFFIXES:
            text = reader_text(text)
        elif suffix in (".ics", ".vcf"):  # a long line goes on after a line break and a space
            text = re.sub(r"\r?\n[ \t]", "", text)
        return self.find(text)

    def find_in_binary(self, data: bytes | mmap.mmap) -> Hit | None:
        """The first hidden name a document or media file holds, and where it holds it."""
        every, long = self._in_files
        for passage in passages(data):
            if passage.kind == "short":  # maybe noise: only names random bytes do not spell
                hit = long.find(passage.text)
                hit = hit and dataclasses.replace(hit, name=long.original[hit.name])
            else:
                hit = every.find(reader_text(passage.text) if passage.kind == "markup" else passage.text)
            if hit is not None:
                return dataclasses.replace(hit, where=passage.where)
        return None

    @functools.cached_property
    def _in_files(self) -> tuple[NameFinder, _LongNames]:
        """Finders that read past what tools write into files (filetext.MACHINE_PHRASES)."""
        phrases = [*self.phrases, *MACHINE_PHRASES]
        return NameFinder(self.names, phrases), _LongNames(self.names, phrases)


class _LongNames(NameFinder):
    """The names of 4 letters or more, for runs of text in binary bytes (textruns.py)."""

    def __init__(self, names: Iterable[HiddenName], phrases: Iterable[str]) -> None:
        self.original: dict[HiddenName, HiddenName] = {}
        for name in names:
            terms = tuple(t for t in name.terms if len(t.replace(" ", "")) >= 4)
            self.original[dataclasses.replace(name, terms=terms)] = name
        super().__init__(self.original, phrases)


def _match_over_marks(tokens: list[str], start: int, term: list[str]) -> int:
    """The end of `term` at `start` if only footnote marks (numbers) come between its words:
    `Halden[^1] Cycles` reads "Halden¹ Cycles". 0 when it does not match."""
    at = start
    for k, word in enumerate(term):
        if k:
            while at < len(tokens) and tokens[at].isdigit() and len(tokens[at]) <= 3:
                at += 1
        if at >= len(tokens) or tokens[at] != word:
            return 0
        at += 1
    return at


def _context(tokens: list[str], start: int, end: int, reach: int = 30) -> str:
    """The words of a hit with about `reach` characters of words either side."""
    before = start
    while before > 0 and sum(len(t) + 1 for t in tokens[before:start]) < reach:
        before -= 1
    after = end
    while after < len(tokens) and sum(len(t) + 1 for t in tokens[end:after]) < reach:
        after += 1
    return " ".join(tokens[before:after])


class Unreadable(Exception):
    """An output file the guard cannot read as text."""


def attribute_values(attrs: str) -> list[str]:
    """The values of a tag's attributes (`class="a b" href=x`), without the bundled themes'
    layout words."""
    if "=" not in attrs:  # most tags of a page: `<p>`, `<li>`, `</div>`
        return []
    vocabulary = theme_vocabulary()
    values = []
    for v1, v2, v3 in _ATTRIBUTE_VALUES.findall(attrs):
        value = v1 or v2 or v3
        if value and not vocabulary.isdisjoint(value.lower().split()):
            value = " ".join(t for t in value.split() if t.lower() not in vocabulary)
        if value:
            values.append(value)
    return values


def reader_text(markup: str, depth: int = 0) -> str:
    """The text of HTML, XML or SVG with the tags taken out, then its attribute values and
    comments, one per line. A regular-expression reader: five times faster than
    html.parser, and it need not be a full parser, since it only ever adds text to check."""
    text: list[str] = []
    attributes: list[str] = []
    pos = 0
    # No tag ends after the last `>`: searching past it would cost a scan per `<` (quadratic).
    last = markup.rfind(">") + 1
    while (m := _MARKUP.search(markup, pos, last)) is not None:
        text.append(markup[pos : m.start()])
        pos = m.end()
        comment, cdata, opened, attrs, closed = m.group("comment", "cdata", "open", "attrs", "close")
        if comment is not None:
            attributes.append(comment)
        elif cdata is not None:  # XML text a theme may wrap in CDATA
            text.append(cdata)
        elif opened:
            tag = opened.lower()
            if "=" in attrs:
                attributes.extend(attribute_values(attrs))
            if tag not in _INLINE:
                text.append(" ")  # a block starts: a word break; an inline tag: none
            if tag in ("script", "style"):  # raw text up to the closing tag (JSON-LD)
                close = re.compile(rf"</{tag}\s*>", re.I).search(markup, pos)
                end = close.start() if close else len(markup)
                text.append(markup[pos:end])
                pos = end
        elif closed and closed.lower() not in _INLINE:
            text.append(" ")
    text.append(markup[pos:])
    joined = html.unescape("".join(text))
    if depth < 1 and "<" in joined:  # a feed's escaped HTML: read it as markup too
        joined = reader_text(joined, depth + 1) + "\n" + joined
    return joined + "\n" + "\n".join(html.unescape(a) for a in attributes)


def guard_output(
    files: Mapping[str, bytes | Path],
    sources: Mapping[str, tuple[str, str]],
    own_files: set[str],
    finder: NameFinder,
    cache: Cache | None,
    problems: Problems,
    drawn: Mapping[str, str] | None = None,
    workers: int = 0,
    suspects: Callable[[str], Sequence[Path]] | None = None,
    root: Path | None = None,
    as_is: Collection[str] = (),
) -> int:
    """Search every output file for hidden names; a hit is an error. Returns files read.

    `own_files` (the user's static/ folder, the bundled theme's files) are checked by name
    only, and so are generated pictures and PDFs (the social cards' words come in `drawn`).
    `as_is`: the files copied from content/ as they are (linked files, videos, not the
    CV): a document or media file among them is read whole, its metadata, text and the
    files inside it (filetext.py). Files verified against the same names before are
    skipped. `workers`: 0 for every core when the work is big, else that many processes.
    `suspects`: for an output file, the files of the user's that may have written it (its
    content file, the site's templates), read on a hit to name the line the name comes from.
    """
    if not finder:
        return 0
    key = finder.fingerprint()
    verified = _load_verified(cache, key)
    now: set[str] = set()
    digests: dict[str, str] = {}
    todo: list[_Item] = []
    for out_path in sorted(files):
        value = files[out_path]
        words = (drawn or {}).get(out_path, "")  # text drawn into an image (a social card)
        whole = (
            isinstance(value, Path) and out_path in as_is and Path(out_path).suffix.lower() in BINARY_SUFFIXES
        )
        data = value if isinstance(value, bytes) else None
        if isinstance(value, Path) and whole:
            # A video may be large: its digest is remembered by size and time, not read.
            content = (cache.digests.digest(value) if cache is not None else _file_digest(value)).encode()
        else:
            if isinstance(value, Path) and out_path not in own_files:
                data = _contents(value)  # a page, a generated or theme file held on disk
            content = data or b""
        digest = hashlib.sha256(
            out_path.encode() + b"\0" + content + b"\0" + words.encode() + (b"\0whole" if whole else b"")
        ).hexdigest()
        if digest in verified:
            now.add(digest)
        else:  # a file is read again where it is searched: no site is held twice in memory
            held = value if isinstance(value, Path) and (whole or data is not None) else data
            todo.append(_Item(out_path, held, words, whole))
            digests[out_path] = digest
    # Reading is the guard's whole cost: shared over the cores when there is a lot to read.
    found = shared(_search, finder, todo, worker_count(workers, len(todo), _BIG_ENOUGH))
    for item, hit in zip(todo, found, strict=True):
        out_path = item.out_path
        if isinstance(hit, _Refused) or hit == "unreadable":
            source, _ = sources.get(out_path, (out_path, ""))
            reason, hint = (
                (hit.reason, hit.hint)
                if isinstance(hit, _Refused)
                else (
                    "it is neither text nor a known image, video or document format",
                    "save it as UTF-8 text, or as a PDF, or leave it out",
                )
            )
            problems.error(
                source,
                f"is published as {out_path}, but {reason}, so the leak guard cannot read it to "
                "prove it names no client who has not consented",
                hint=hint,
            )
            continue
        if hit is None:
            now.add(digests[out_path])
            continue
        assert isinstance(hit, Hit)
        source, detail = sources.get(out_path, ("the theme", ""))
        line = None
        if hit.where:  # in the file's own bytes: it is the file to mend
            detail += f", in {hit.where}"
            hint = binary_hint(out_path, hit.where)
        else:
            if root is not None and suspects and (found_at := pinpoint(finder, hit, suspects(out_path))):
                where, line = found_at
                source = site_relative(where, root)
            hint = (
                "remove the name from the drawing (its text, title or ids)"
                if source.endswith(".svg")
                else "remove the name where it comes from: a template, a data file or a file name"
            )
        problems.error(
            source,
            f"the leak guard found the {hit.name.status} client name {hit.name.name!r} "
            f"(client of {hit.name.source}) in the output file {out_path}{detail}: "
            f'"{hit.context}"',
            hint=hint,
            line=line,
        )
    if cache is not None and not problems.errors and now != verified:
        cache.put("leak-guard", key, "json", json.dumps(sorted(now)).encode())
    return len(todo)


_VIDEO_SUFFIXES = {".mp4", ".m4v", ".mov", ".webm", ".mkv", ".m4a", ".mp3"}
_OFFICE_SUFFIXES = {".docx", ".xlsx", ".pptx", ".key", ".odt", ".ods", ".odp", ".epub"}


def binary_hint(out_path: str, where: str) -> str:
    """How to take a name out of a document or media file, by its kind and where it is."""
    suffix = Path(out_path).suffix.lower()
    if suffix in _VIDEO_SUFFIXES:
        if where.startswith("its metadata"):
            return "remove its metadata, e.g. ffmpeg -i in.mp4 -map_metadata -1 -c copy out.mp4"
        return (
            "export it again without the name (a title, subtitles or chapters can hold it), "
            "e.g. ffmpeg -i in.mp4 -map 0:v -map 0:a? -map_metadata -1 -map_chapters -1 -c copy out.mp4"
        )
    if suffix == ".pdf":
        if where.startswith("its metadata"):
            return (
                "remove the name from the document's properties (title, author, subject, keywords) "
                "and export the PDF again"
            )
        return "export the PDF again without the name (its text, bookmarks, comments and attached files)"
    if suffix in _OFFICE_SUFFIXES:
        return (
            "remove the name from the document (its text, comments and properties: in Office, "
            "File > Info > Check for Issues > Inspect Document), then save it again"
        )
    if suffix == ".zip" and where.startswith(("a file inside it", "the names")):
        return "take the name out of the files inside it (and their names), then make the ZIP again"
    return "export the file again without the name, or leave it out"


@dataclass(frozen=True)
class _Item:
    out_path: str
    value: bytes | Path | None
    words: str  # drawn into it (a social card)
    whole: bool  # a document or media file copied as it is: every byte read


@dataclass(frozen=True)
class _Refused:
    """A file whose bytes cannot all be read (a ZIP bomb, an encrypted PDF)."""

    reason: str
    hint: str


def pinpoint(finder: NameFinder, hit: Hit, files: Iterable[Path]) -> tuple[Path, int] | None:
    """The first file and line of `files` that writes the name `hit` found; only read on a
    hit, so a clean build pays nothing."""
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines = text.splitlines()
        start = 0
        if path.suffix == ".md" and lines and lines[0].strip() == "---":
            # The front matter names the client on purpose, and consent checks its other
            # fields: the body is what may still carry the name.
            start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        for number, line in enumerate(lines[start:], start + 1):
            found = finder.find(line)
            if found is not None and found.name == hit.name:
                return path, number
    return None


# Files to read before a second process pays for its start (about 0.3 s).
_BIG_ENOUGH = 400


def _search(finder: NameFinder, items: list[_Item]) -> list[Hit | _Refused | str | None]:
    """Each file's first hit, a refusal, "unreadable", or None (run in a worker process too)."""
    found: list[Hit | _Refused | str | None] = []
    for item in items:
        try:
            if item.whole and isinstance(item.value, Path):
                hit = _search_whole(finder, item.out_path, item.value)
            else:
                data = _contents(item.value) if isinstance(item.value, Path) else item.value
                hit = finder.find_in_file(item.out_path, data)
            found.append(hit or (finder.find(item.words) if item.words else None))
        except Unreadable:
            found.append("unreadable")
        except CannotRead as exc:
            found.append(_Refused(exc.reason, exc.hint))
    return found


def _search_whole(finder: NameFinder, out_path: str, path: Path) -> Hit | None:
    """A file read through a memory map: a video's pages are read by the system as the
    search goes, never copied whole into memory."""
    with path.open("rb") as f:
        if path.stat().st_size == 0:
            return finder.find_in_file(out_path, b"", as_is=True)
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return finder.find_in_file(out_path, data, as_is=True)


def _contents(path: Path) -> bytes:
    """A file's bytes to search, or just its head for a media file that is what it says
    (whose other bytes are never searched, so its head stands for it in the digest)."""
    suffix = path.suffix.lower()
    if suffix in BINARY_SUFFIXES:
        with path.open("rb") as f:
            head = f.read(_HEAD)
            if is_what_it_says(suffix, head):
                return head
    return path.read_bytes()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


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


def _punycode(token: str) -> str:
    """`xn--caflumire-63ag.fr` -> `cafélumière.fr`: an address as a browser shows it."""
    labels = []
    for label in token.split("."):
        try:
            labels.append(label.encode("ascii").decode("idna") if label.startswith("xn--") else label)
        except (UnicodeError, ValueError):
            labels.append(label)
    return ".".join(labels)
