"""The text a document or media file holds, and where it holds it, for the leak guard: a
video's metadata, a PDF's properties and strings, each file inside a ZIP (Word, Excel,
PowerPoint, OpenDocument), and the runs of text in any file's bytes.

Unpacking is bounded: a file that unpacks to more than `UNPACKED` bytes, or holds more
than `MEMBERS` files, is refused (CannotRead) rather than read, so a ZIP bomb costs a
moment and no memory.
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from mmap import mmap
from pathlib import PurePosixPath
from typing import Any

from .encodings import read_text_file
from .pdftext import Encrypted, pdf_parts
from .textruns import text_runs

UNPACKED = 256 << 20
MEMBERS = 10_000
_DEPTH = 3  # a ZIP in a ZIP in a ZIP is read; deeper ones by their bytes only
_WHOLE = 32 << 20  # a file inside a ZIP up to this size is read whole (parsed), else in runs
_PIECE = 4 << 20

METADATA = "its metadata"
BYTES = "its bytes"
NAMES = "the names of the files inside it"
COMMENT = "its comment"
_MARKUP_SUFFIXES = {".xml", ".rels", ".html", ".htm", ".xhtml", ".svg", ".opf", ".ncx", ".plist"}
# Parts of an Office file that are its machinery (styles, fonts, themes: "Normal", "Office
# Theme", "Calibri Light"), never the document's words.
_MACHINERY_PARTS = re.compile(
    r"\[content_types\]\.xml|(?:word|xl|ppt)/(?:theme/[^/]+|styles|styleswitheffects|fonttable"
    r"|websettings|presprops|tablestyles|viewprops)\.xml"
)

# What the tools that make files write into them, wherever it turns up in the bytes: the
# guard reads past these phrases (a client called Apple or Adobe would be in every photo's
# colour profile or XMP packet otherwise). A name outside them is found as ever.
MACHINE_PHRASES = (
    "Copyright Apple Inc",
    "apple quicktime",
    "Core Media Video",
    "Core Media Audio",
    "Core Media Metadata",
    "Apple Video Media Handler",
    "Apple Sound Media Handler",
    "Apple Alias Data Handler",
    "ISO Media file produced by Google Inc",
    "Hewlett-Packard Company",
    "ns.adobe.com",
    "com.adobe.xmp",
    "adobe:ns:meta",
    "adobe:docid",
    "Adobe XMP Core",
    "Adobe RGB",
    "Adobe Photoshop",
    "Adobe Lightroom",
    "Adobe Illustrator",
    "Adobe InDesign",
    "Adobe Acrobat",
    "Adobe PDF Library",
    "Adobe Premiere",
    "Adobe After Effects",
    "Adobe Media Encoder",
    "Adobe ImageReady",
    "schemas.microsoft.com",
    "Microsoft Office",
    "Microsoft Word",
    "Microsoft Excel",
    "Microsoft PowerPoint",
    "Microsoft 365",
    "Google Docs Renderer",
)
# In XML (XMP packets, Office files): namespace declarations and schema addresses, the
# tool that wrote it and the ids it gave the document.
_TOOL_TAGS = (
    r"xmp:CreatorTool|pdf:Producer|stEvt:softwareAgent|x:xmptk|xmpMM:DocumentID|xmpMM:InstanceID"
    r"|xmpMM:OriginalDocumentID|stRef:documentID|stRef:instanceID|stRef:originalDocumentID"
    r"|stEvt:instanceID|Application|AppVersion|photoshop:DocumentAncestors"
)
_XML_MACHINERY = re.compile(
    rf"""\s(?:xmlns(?::[\w.-]+)?|{_TOOL_TAGS})\s*=\s*(?:"[^"]*"|'[^']*')"""
    rf"""|\s[\w:.-]+\s*=\s*["'](?:https?://(?:schemas\.|purl\.org/|ns\.adobe\.com/|www\.w3\.org/)|urn:schemas-)[^"']*["']"""
    rf"|<(?P<tag>{_TOOL_TAGS})\b[^>]*>.*?</(?P=tag)\s*>",
    re.S,
)


# Office files cut a paragraph's words into runs where they please (`<w:t>Hal</w:t></w:r>
# <w:r><w:t>den</w:t>`): its text is read whole, each paragraph on its own line.
_PARAGRAPH_END = re.compile(
    r"</(?:w:p|a:p|text:p|text:h)\s*>|<(?:w:tab|w:br|w:cr|a:br|text:s|text:tab|text:line-break)\b[^>]*>"
)
_TAG = re.compile(r"<[^>]*>")


def paragraphs(xml: str) -> str:
    """The text of an Office file's XML, a paragraph a line."""
    return html.unescape(_TAG.sub("", _PARAGRAPH_END.sub("\n", xml)))


def machine_free(xml: str) -> str:
    """XML without the words of its machinery (see _XML_MACHINERY)."""
    return _XML_MACHINERY.sub(" ", xml)


@dataclass(frozen=True)
class Passage:
    where: str  # "its metadata", "its text", "a file inside it: word/document.xml"...
    text: str
    kind: str = "text"  # text | markup (HTML, XML) | short (runs that may be noise: textruns)


class CannotRead(Exception):
    """A file whose every byte cannot be read: the reason, and how to publish it anyway."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


_TOO_BIG_HINT = "publish it unpacked (the files it holds, linked one by one), or leave it out"


class Budget:
    """How many more bytes unpacking may make, shared by every part of one file."""

    def __init__(self, limit: int = UNPACKED) -> None:
        self.left = limit

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise CannotRead(f"it unpacks to more than {UNPACKED >> 20} MB", _TOO_BIG_HINT)

    def inflate(self, raw: bytes) -> bytes | None:
        """zlib data unpacked, within the budget; None when it is damaged."""
        unpacker = zlib.decompressobj()
        try:
            out = unpacker.decompress(raw, self.left + 1)
        except zlib.error:
            return None
        self.take(len(out))
        return out


def passages(data: bytes | mmap, budget: Budget | None = None, depth: int = 0) -> Iterator[Passage]:
    """What `data` holds, by where, the parsed parts first (a hit there says more). Raises
    CannotRead for a file that is too big unpacked, encrypted, or a broken ZIP."""
    budget = budget or Budget()
    head = bytes(data[:1024])
    if b"%PDF-" in head:
        yield from _pdf(data, budget, depth)
    elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        yield from _zip(data, budget, depth)
    elif head[4:8] in _BOX_TYPES:
        yield from _mp4(data)
    else:
        yield from runs(data, BYTES)


def runs(data: bytes | mmap, where: str, start: int = 0, end: int | None = None) -> Iterator[Passage]:
    """The runs of text in data[start:end], an XMP packet in them read as XML (a photo
    inside a Word file, a video's own packet)."""
    end = len(data) if end is None else end
    at = start
    while (packet := data.find(b"<x:xmpmeta", at, end)) >= 0:
        close = data.find(b"</x:xmpmeta>", packet, end)
        close = end if close < 0 else close + len(b"</x:xmpmeta>")
        yield from _runs(data, where, at, packet)
        yield Passage(where, machine_free(bytes(data[packet:close]).decode("utf-8", "replace")), "markup")
        at = close
    yield from _runs(data, where, at, end)


def _runs(data: bytes | mmap, where: str, start: int, end: int) -> Iterator[Passage]:
    found = text_runs(data, start, end)
    if found.long:
        yield Passage(where, "\n".join(found.long))
    if found.short:
        yield Passage(where, "\n".join(found.short), "short")


# -- PDF ------------------------------------------------------------------------------


def _pdf(data: bytes | mmap, budget: Budget, depth: int) -> Iterator[Passage]:
    try:
        for part in pdf_parts(data, budget.inflate):
            if part.data:
                inside = (
                    passages(part.data, budget, depth + 1) if depth + 1 < _DEPTH else runs(part.data, BYTES)
                )
                for inner in inside:
                    yield Passage(f"{part.where}, in {inner.where}", inner.text, inner.kind)
            else:
                text = machine_free(part.text) if part.kind == "markup" else part.text
                yield Passage(part.where, text, part.kind)
    except Encrypted:
        raise CannotRead(
            "it is encrypted (a password, or restrictions on printing or copying)",
            "export it again without a password or restrictions, or leave it out",
        ) from None


# -- ZIP: Word, Excel, PowerPoint, OpenDocument, archives ------------------------------


def _zip(data: bytes | mmap, budget: Budget, depth: int) -> Iterator[Passage]:
    try:
        archive = zipfile.ZipFile(io.BufferedReader(_Reader(data)))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        # Its first bytes only: whatever it holds is read as bytes, then it is refused.
        yield from runs(data, BYTES)
        raise CannotRead(
            "it is not a ZIP file, though it begins like one (as Word, Excel and PowerPoint files do)",
            "save it again from the application that made it, or leave it out",
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MEMBERS:
            raise CannotRead(f"it holds more than {MEMBERS:,} files", _TOO_BIG_HINT)
        budget.take(sum(m.file_size for m in members))  # as declared; reading stops there too
        yield Passage(NAMES, "\n".join(m.filename for m in members))
        if archive.comment:
            yield Passage(COMMENT, archive.comment.decode("utf-8", "replace"))
        for member in members:
            if not member.is_dir():
                yield from _member(archive, member, budget, depth)


class _Reader(io.RawIOBase):
    """Bytes or a memory map as a file, for zipfile (which reads what it needs, no copy)."""

    def __init__(self, data: bytes | mmap) -> None:
        self._data = data
        self._at = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data[self._at : self._at + len(buffer)]
        buffer[: len(chunk)] = chunk
        self._at += len(chunk)
        return len(chunk)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: len(self._data)}[whence]
        self._at = max(0, base + offset)
        return self._at

    def tell(self) -> int:
        return self._at


def _member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: Budget, depth: int
) -> Iterator[Passage]:
    where = f"a file inside it: {member.filename}"
    try:
        with archive.open(member) as f:
            if member.file_size <= _WHOLE:
                content = f.read(member.file_size + 1)
                name = member.filename.lower()
                if _MACHINERY_PARTS.fullmatch(name):
                    return
                if PurePosixPath(name).suffix in _MARKUP_SUFFIXES:
                    xml = machine_free(content.decode("utf-8", "replace"))
                    yield Passage(where, paragraphs(xml))
                    yield Passage(where, xml, "markup")
                elif b"\0" not in content[:4096] and (text := read_text_file(content)) is not None:
                    yield Passage(where, text)
                elif depth + 1 < _DEPTH:
                    for inner in passages(content, budget, depth + 1):
                        yield Passage(f"{where}, in {inner.where}", inner.text, inner.kind)
                else:
                    yield from runs(content, where)
                return
            while piece := f.read(_PIECE):  # a video inside: its runs, piece by piece
                yield from runs(piece, where)
    except RuntimeError:  # zipfile's word for a member behind a password
        raise CannotRead(
            f"{member.filename} inside it is encrypted", "publish it without a password, or leave it out"
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise CannotRead(
            f"{member.filename} inside it cannot be unpacked ({exc})",
            "save it again from the application that made it, or leave it out",
        ) from None


# -- MP4, MOV, M4A (ISO base media) -----------------------------------------------------

_BOX_TYPES = {b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"uuid", b"pnot"}
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"udta", b"meta", b"ilst", b"edts"}
_XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")


def _mp4(data: bytes | mmap) -> Iterator[Passage]:
    """The text of its metadata boxes (title, artist, comment, XMP...), then the runs of
    text in its bytes: in the movie box they are metadata too (chapters, other boxes)."""
    found = _Metadata()
    regions: list[tuple[int, int]] = []
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind in (b"moov", b"uuid", b"meta", b"udta"):
            found.read(bytes(data[start:end]), kind)
            regions.append((start, end))
    if found.texts:
        yield Passage(METADATA, "\n".join(found.texts))
    for xmp in found.markup:
        yield Passage(METADATA, machine_free(xmp), "markup")
    at = 0
    for start, end in regions:
        yield from runs(data, BYTES, at, start)
        yield from runs(data, METADATA, start, end)
        at = end
    yield from runs(data, BYTES, at)


def _boxes(data: bytes | mmap, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, start of content, end) of each box in data[start:end]; stops at a broken one."""
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        header = 8
        if size == 1 and at + 16 <= end:
            size, header = struct.unpack(">Q", data[at + 8 : at + 16])[0], 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            return
        yield kind, at + header, at + size
        at += size


# What the camera or the encoder wrote (its make, model and software): not the user's words.
_TOOL_BOXES = {b"\xa9too", b"\xa9swr", b"\xa9mak", b"\xa9mod", b"hdlr", b"keys"}
_TOOL_KEYS = (b".make", b".model", b".software", b".encoder")


class _Metadata:
    """The text of a movie's metadata boxes, read from the boxes inside one another."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.markup: list[str] = []

    def read(
        self, box: bytes, kind: bytes, parent: bytes = b"", skip: frozenset[bytes] = frozenset()
    ) -> None:
        if kind in _TOOL_BOXES or kind in skip:
            return
        if kind == b"uuid":
            if box.startswith(_XMP_UUID):
                self.markup.append(box[16:].decode("utf-8", "replace"))
        elif kind == b"XMP_":
            self.markup.append(box.decode("utf-8", "replace"))
        elif kind == b"data" and len(box) >= 8:  # iTunes-style: a type, a locale, the value
            codec = {1: "utf-8", 2: "utf-16-be"}.get(int.from_bytes(box[1:4], "big"))
            if codec:
                self.texts.append(box[8:].decode(codec, "replace"))
        elif parent == b"udta" and kind[:1] == b"\xa9" and box[4:8] != b"data":
            length = int.from_bytes(box[:2], "big")  # QuickTime's text: size, language, text
            self.texts.append(box[4 : 4 + length].decode("utf-8", "replace"))
        elif kind == b"name" and parent == b"udta":
            self.texts.append(box.decode("utf-8", "replace"))
        elif kind in (b"name", b"mean") and parent == b"----":  # a free-form key
            self.texts.append(box[4:].decode("utf-8", "replace"))
        elif kind in _CONTAINERS or parent == b"ilst" or kind == b"----" or box[4:8] == b"data":
            # ISO's meta is a full box (four bytes of version and flags first), QuickTime's not.
            inner = box[4:] if kind == b"meta" and box[4:8] != b"hdlr" else box
            children = list(_boxes(inner, 0, len(inner)))
            if kind == b"meta":
                skip = _tool_items(inner, children)
            for child, start, end in children:
                self.read(inner[start:end], child, kind, skip if kind in (b"meta", b"ilst") else frozenset())


def _tool_items(meta: bytes, children: list[tuple[bytes, int, int]]) -> frozenset[bytes]:
    """The item types of an Apple `keys` list that name the device or software."""
    for kind, start, end in children:
        if kind != b"keys":
            continue
        skip = set()
        at, index = start + 8, 1  # version and flags, then the count
        while at + 8 <= end:
            size = int.from_bytes(meta[at : at + 4], "big")
            if size < 8:
                break
            if meta[at + 8 : at + size].endswith(_TOOL_KEYS):
                skip.add(index.to_bytes(4, "big"))
            at, index = at + size, index + 1
        return frozenset(skip)
    return frozenset()
