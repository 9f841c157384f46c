"""The runs of text in binary bytes, as `strings` finds them: ASCII (so UTF-8 and Latin-1
too, for the words of a name without accents) and UTF-16 in either byte order.

Compressed media is random bytes, and random bytes spell short words now and then: a run
of 8 printable bytes turns up every few kilobytes, and "BT" or "Go" somewhere in 20 MB of
video every time. So runs come in two lengths: long ones (16 characters or more) are
searched for every name, short ones (8 to 15, or 3 to 15 in UTF-16, whose NULs random
bytes seldom place) only for names of 4 letters or more. A name alone in fewer bytes is
found only where a format is parsed (a video's title, a PDF's properties), not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from mmap import mmap

SHORT = 8
LONG = 16
_CHUNK = 16 << 20  # big files are read in pieces: no copy of a whole video in memory
_OVERLAP = 512  # a name across two pieces is whole in the second one

_TEXT = {9, 10, 13, *range(0x20, 0x7F)}
# One class letter per byte, so runs are found with bytes.find (C speed, no regex stepping
# through every byte): `a` text, `z` NUL, `.` anything else.
_ASCII = bytes(ord("a") if b in _TEXT else ord("z") if b == 0 else ord(".") for b in range(256))
_WIDE = bytes(ord("a") if b in _TEXT or b >= 0xA0 else ord("z") if b == 0 else ord(".") for b in range(256))
_NOT_TEXT = re.compile(rb"[^a]")
_WIDE_RUN = re.compile(rb"(?:az)+a?")
# What encoders write into every video they make: their settings (`me=hex trellis=1`),
# never the user's words.
_MACHINE = (b"x264 - core ", b"x265 (build ")


@dataclass
class Runs:
    long: list[str] = field(default_factory=list)
    short: list[str] = field(default_factory=list)


def text_runs(data: bytes | mmap, start: int = 0, end: int | None = None) -> Runs:
    """The runs of text in data[start:end]."""
    end = len(data) if end is None else end
    found = Runs()
    at = start
    while at < end:
        stop = min(end, at + _CHUNK)
        _scan(data[max(start, at - _OVERLAP) : stop], found)
        at = stop
    return found


def _scan(chunk: bytes, found: Runs) -> None:
    classes = chunk.translate(_ASCII)
    for begin, finish in _spans(classes, b"a" * SHORT, _NOT_TEXT):
        run = chunk[begin:finish]
        if run.startswith(_MACHINE):
            continue
        (found.long if finish - begin >= LONG else found.short).append(run.decode("ascii"))
    if b"\0" not in chunk:
        return
    wide = chunk.translate(_WIDE)
    pos = 0
    # Three characters with NULs between: UTF-16 in either order (`Z\0o\0r\0`, `\0Z\0o\0r`).
    while (seed := wide.find(b"azaza", pos)) >= 0:
        begin = seed
        while begin >= 2 and wide[begin - 2 : begin] == b"az":
            begin -= 2
        match = _WIDE_RUN.match(wide, begin)
        assert match is not None
        text = chunk[begin : match.end() : 2].decode("latin-1")
        (found.long if len(text) >= LONG else found.short).append(text)
        pos = match.end()


def _spans(classes: bytes, seed: bytes, stop: re.Pattern[bytes]) -> Iterator[tuple[int, int]]:
    pos = 0
    while (begin := classes.find(seed, pos)) >= 0:
        after = stop.search(classes, begin + len(seed))
        finish = after.start() if after else len(classes)
        yield begin, finish
        pos = finish
