"""Text in the encodings our users' tools write: UTF-8, UTF-16 (Excel "Unicode text"),
Windows-1252 and Latin-1 (French Excel). Shared by the CSV reader and the leak guard, so a
file the charts can read is a file the guard reads too."""

from __future__ import annotations

import re

# Control characters text files do not hold (tab, line ends, form feed and escape do).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


class EncodingError(ValueError):
    """Bytes that start like one encoding and are not valid in it."""


def decode_text(raw: bytes) -> str:
    """Decode text: a UTF-16 byte-order mark, else UTF-8 (BOM or not), else UTF-16 without
    a mark (NULs in every other byte), else Windows-1252, else Latin-1 (which decodes any
    byte: use `looks_like_text` to tell text from binary data)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise EncodingError("starts like UTF-16 text but is not valid UTF-16") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    bare = _bare_utf16(raw)
    if bare is not None:
        return bare
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        return raw.decode("latin-1")


def _bare_utf16(raw: bytes) -> str | None:
    """UTF-16 written without a byte-order mark: mostly ASCII, so every other byte is NUL."""
    sample = raw[:4096]
    if len(raw) % 2 or len(sample) < 4:
        return None
    for codec, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if zeros.count(0) >= 0.6 * len(zeros):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def looks_like_text(text: str) -> bool:
    """Whether decoded bytes read as text: no NUL, almost no other control character."""
    if "\0" in text:
        return False
    return len(_CONTROL.findall(text)) <= len(text) // 200


def read_text_file(raw: bytes) -> str | None:
    """The text of a file in any encoding above, or None when it is not text."""
    try:
        text = decode_text(raw)
    except EncodingError:
        return None
    return text if looks_like_text(text) else None


def not_utf8(raw: bytes, start: int) -> tuple[str, int, str]:
    """For a file that must be UTF-8 and is not: the message, the 1-based line of the first
    bad byte (`start`), and a hint naming the encoding it was most likely saved in."""
    line = raw.count(b"\n", 0, start) + 1
    byte = raw[start]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _bare_utf16(raw) is not None:
        return (
            "is UTF-16 text, not UTF-8",
            1,
            'save it again choosing the encoding "UTF-8" (in Excel or Notepad: Save as, then Encoding)',
        )
    try:
        shown = f', "{bytes([byte]).decode("cp1252")}" in Windows-1252'
    except UnicodeDecodeError:
        shown = ""
    return (
        f"is not UTF-8 text (byte 0x{byte:02X}{shown}); save it as UTF-8",
        line,
        'reopen it in your editor as Windows-1252 (Western), then save it with the encoding "UTF-8"',
    )
