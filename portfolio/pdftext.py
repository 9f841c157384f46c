"""The words a PDF holds: its properties (the Info dictionary and XMP metadata), the strings
of its pages, bookmarks, comments and links, and the files attached to it.

Read with regular expressions, not a full parser: it only ever adds text to check. Page
text written through a font's own glyph numbers (most embedded fonts) is not readable
without laying the page out, and PDF names (`/Type`, `/Helvetica-Bold`) are the file's
machinery, not its words: neither is read. Images and font programs are not unpacked.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from mmap import mmap

from .textruns import text_runs

METADATA = "its metadata"
TEXT = "its text"
ATTACHED = "a file attached to it"


class Encrypted(Exception):
    """Its strings and streams are encrypted: nothing in it can be read without the key."""


@dataclass(frozen=True)
class PdfPart:
    where: str  # METADATA, TEXT or ATTACHED
    text: str = ""
    kind: str = "text"  # text | markup | short (see textruns)
    data: bytes = b""  # an attached file


Inflate = Callable[[bytes], bytes | None]  # zlib, within the budget; None when damaged

_STREAM = re.compile(rb"\bstream(?:\r\n|\n|\r)")
_ENDSTREAM = re.compile(rb"\s*endstream")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/<>\[\]()]+)")
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]*)")
_LITERAL = re.compile(rb"\(((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*+\))*+)\)", re.S)
_HEX = re.compile(rb"(?<!<)<([0-9A-Fa-f\s]*)>(?!>)")
_STRING = re.compile(_LITERAL.pattern + rb"|" + _HEX.pattern, re.S)
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))", re.S)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_INFO = re.compile(rb"/Info\s+(\d+)\s+(\d+)\s+R")
# Strings no reader is shown and no author writes: the tools that made the file, and the
# font machinery (`/Registry (Adobe)` in every PDF with embedded fonts).
_MACHINE_STRINGS = re.compile(
    rb"/(?:Producer|Creator|PTEX\.Fullbanner|Registry|Ordering|FontFamily)\s*(?:" + _STRING.pattern + rb")",
    re.S,
)
_KEYWORDS = re.compile(
    rb"(?<![^\s\[\]<>(){}/%])(?:obj|endobj|stream|endstream|xref|trailer|startxref|R|n|f|true|false|null)"
    rb"(?![^\s\[\]<>(){}/%])"
)
# Between two strings of a TJ array, a kerning this small (thousandths of an em) is no space.
_KERN = re.compile(rb"(?<!\\)\)\s*(?:-(?:1\d\d|\d{1,2})(?:\.\d*)?|-?\.\d+|\+?\d+(?:\.\d*)?)?\s*\(")
_INLINE_IMAGE = re.compile(rb"BI\s.*?\sID\s.*?\sEI(?=\s)", re.S)
_GLYPH_SAMPLE = 64
_PRINTABLE = bytes([9, 10, 13, *range(0x20, 0x7F)])
_UNPRINTABLE = re.compile(r"[^\t\n\r\x20-\x7e\xa0-\U0010ffff]")


def pdf_parts(data: bytes | mmap, inflate: Inflate) -> Iterator[PdfPart]:
    """What a PDF holds, its properties first; raises Encrypted."""
    outside, streams = _split(data)
    if any(b"/Encrypt" in part for part in outside):
        raise Encrypted
    objects: dict[bytes, bytes] = {}
    xmp: list[bytes] = []
    pages: list[bytes] = []
    attached: list[bytes] = []
    for head, raw in streams:
        kind = _kind(head)
        content = _decode(head, raw, inflate) if kind else None
        if content is None:
            continue
        if kind == "objects":
            objects.update(_objects(head, content))
            outside.append(content)
        elif kind == "xmp":
            xmp.append(content)
        elif kind == "attached":
            attached.append(content)
        elif b"begincmap" not in content:  # a CMap: glyph numbers, nothing to read
            pages.append(content)
    # Without the tools' words: a client called Adobe would be in every PDF.
    structure = _MACHINE_STRINGS.sub(b" ", b"\n".join(outside))
    if info := _MACHINE_STRINGS.sub(b" ", _info(structure, objects)):
        yield PdfPart(METADATA, "\n".join(_strings(info)))
    for packet in xmp:
        yield PdfPart(METADATA, packet.decode("utf-8", "replace"), "markup")
    if _is_structure(structure):
        yield PdfPart(TEXT, "\n".join(_strings(structure)))
        yield from _runs(_remainder(structure))
    else:  # junk between the objects (or no objects at all): its runs of text only
        yield from _runs(structure)
    for content in pages:
        yield PdfPart(TEXT, _page_text(content))
    for content in attached:
        yield PdfPart(ATTACHED, data=content)


def _split(data: bytes | mmap) -> tuple[list[bytes], list[tuple[bytes, bytes]]]:
    """The bytes outside streams, and each stream as (its dictionary, its raw bytes)."""
    outside: list[bytes] = []
    streams: list[tuple[bytes, bytes]] = []
    pos = 0
    while (m := _STREAM.search(data, pos)) is not None:
        opened = data.rfind(b"obj", pos, m.start())
        head = bytes(data[opened if opened >= 0 else pos : m.start()])
        start = m.end()
        end = -1
        if (length := _LENGTH.search(head)) is not None:
            end = start + int(length[1])
            if _ENDSTREAM.match(data, end) is None:
                end = -1
        if end < 0:
            end = data.find(b"endstream", start)
            end = len(data) if end < 0 else end
        outside.append(bytes(data[pos:start]))
        streams.append((head, bytes(data[start:end])))
        pos = end
    outside.append(bytes(data[pos:]))
    return outside, streams


def _kind(head: bytes) -> str | None:
    """What a stream holds, from its dictionary; None for what is not read."""

    def has(pattern: bytes) -> bool:
        return re.search(pattern, head) is not None

    if (
        has(rb"/Subtype\s*/Image")
        or has(rb"/Length[123]\b")
        or has(rb"/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)")
    ):
        return None  # pictures and font programs
    if has(rb"/Type\s*/ObjStm"):
        return "objects"
    if has(rb"/Type\s*/Metadata") or has(rb"/Subtype\s*/XML"):
        return "xmp"
    if has(rb"/Type\s*/EmbeddedFile"):
        return "attached"
    if has(rb"/Type\s*/(?:XRef|CMap)") or has(rb"/Alternate\s*/") or has(rb"/N\s+[134]\b(?!\s+\d+\s+R)"):
        return None  # cross-references, CMaps, colour profiles
    return "page"


def _decode(head: bytes, raw: bytes, inflate: Inflate) -> bytes | None:
    """A stream's bytes through its filters; None for a filter that is not read (pictures)."""
    found = _FILTERS.search(head)
    names = _NAME.findall(found[1]) if found else []
    data: bytes | None = raw
    for name in names:
        if data is None:
            return None
        if name in (b"FlateDecode", b"Fl"):
            data = inflate(data)
        elif name in (b"ASCIIHexDecode", b"AHx"):
            data = _unhex(data.split(b">")[0])
        elif name in (b"ASCII85Decode", b"A85"):
            try:
                data = base64.a85decode(data.strip().removesuffix(b"~>").removeprefix(b"<~"))
            except ValueError:
                return None
        else:
            return None
    return data


def _objects(head: bytes, content: bytes) -> dict[bytes, bytes]:
    """The objects of an object stream, by number."""
    first = re.search(rb"/First\s+(\d+)", head)
    if first is None:
        return {}
    start = int(first[1])
    numbers = [n for n in content[:start].split() if n.isdigit()]
    pairs = [
        (numbers[i], int(numbers[i + 1])) for i in range(0, len(numbers) - 1, 2) if numbers[i + 1].isdigit()
    ]
    body = content[start:]
    return {
        number: body[offset : pairs[i + 1][1] if i + 1 < len(pairs) else len(body)]
        for i, (number, offset) in enumerate(pairs)
    }


def _info(structure: bytes, objects: dict[bytes, bytes]) -> bytes:
    """The document's Info dictionary (title, author, subject, keywords...)."""
    ref = _INFO.search(structure)
    if ref is None:
        return b""
    number, generation = ref[1], ref[2]
    found = re.search(rb"(?<!\d)" + number + rb"\s+" + generation + rb"\s+obj\b(.*?)endobj", structure, re.S)
    return found[1] if found else objects.get(number, b"")


def _strings(pdf: bytes) -> Iterator[str]:
    for m in _STRING.finditer(pdf):
        text = _text(_unescape(m[1]) if m[1] is not None else _unhex(m[2]))
        if text:
            yield text


def _page_text(content: bytes) -> str:
    """The strings a page shows, a TJ array's pieces joined where its kerning is small
    (`[(Hal) -15 (den) -300 (Cycles)] TJ` reads "Halden Cycles"). Read in bulk: a vector
    drawing's page can be megabytes of operators."""
    if b"BI" in content:
        content = _INLINE_IMAGE.sub(b" ", content)
    content = _KERN.sub(b"", content)
    literals = b"\n".join(_LITERAL.findall(content))
    texts = []
    if b"\0" in literals or b"\xfe\xff" in literals or b"\xef\xbb\xbf" in literals:
        texts += [t for raw in _LITERAL.findall(content) if (t := _text(_unescape(raw)))]
    else:
        raw = _unescape(literals)
        try:
            texts.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(raw.decode("latin-1"))  # WinAnsiEncoding, near enough
    read = 0
    for count, digits in enumerate(_HEX.findall(content)):
        if count >= _GLYPH_SAMPLE and not read:
            break  # glyph numbers, as embedded fonts write their text: nothing to read
        if text := _text(_unhex(digits)):
            texts.append(text)
            read += 1
    return "\n".join(texts)


def _is_structure(structure: bytes) -> bool:
    """Whether the bytes between the streams are a PDF's objects (text, bar a few binary
    strings) rather than junk, whose stray parentheses would read as strings."""
    binary = len(structure.translate(None, _PRINTABLE))
    return binary <= 0.2 * len(structure)


def _runs(data: bytes) -> Iterator[PdfPart]:
    runs = text_runs(data)
    if runs.long:
        yield PdfPart(TEXT, "\n".join(runs.long))
    if runs.short:
        yield PdfPart(TEXT, "\n".join(runs.short), "short")


def _remainder(structure: bytes) -> bytes:
    """Text between a PDF's objects outside its strings, which no reader is shown but its
    bytes keep (a text file given a PDF's first line), without the PDF's own words."""
    rest = _NAME.sub(b" ", _STRING.sub(b" ", structure))
    return _KEYWORDS.sub(b" ", rest)


def _unescape(literal: bytes) -> bytes:
    if b"\\" not in literal:
        return literal

    def one(m: re.Match[bytes]) -> bytes:
        if m[1] is not None:
            return bytes([int(m[1], 8) & 0xFF])
        if m[2] is not None:
            return b""  # a line continued
        return _ESCAPED.get(m[3], m[3])

    return _ESCAPE.sub(one, literal)


def _unhex(digits: bytes) -> bytes:
    digits = re.sub(rb"\s+", b"", digits)
    try:
        return binascii.unhexlify(digits + b"0" * (len(digits) % 2))
    except (binascii.Error, ValueError):
        return b""


def _text(raw: bytes) -> str:
    """A PDF string as text: UTF-16 or UTF-8 with a byte-order mark, else UTF-8 if valid, else
    PDFDocEncoding (Latin-1 near enough). Glyph numbers and binary ids read as nothing."""
    if raw.startswith((b"\xfe\xff", b"\xff\xfe")):
        return raw[2:].decode("utf-16-be" if raw[0] == 0xFE else "utf-16-le", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    if b"\0" in raw:
        return ""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if text.isprintable():
        return text
    return text if len(_UNPRINTABLE.findall(text)) <= 0.1 * len(text) else ""
