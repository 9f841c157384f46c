"""Referenced files that are published as they are (the CV, a brief in PDF), under files/."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .slugs import slugify


class Files:
    def __init__(self) -> None:
        self._names: dict[Path, str] = {}
        self._taken: dict[str, Path] = {}

    def request(self, source: Path) -> str:
        """The site-relative URL of `source`; keeps a readable name for recruiters' downloads."""
        if source in self._names:
            return self._names[source]
        stem = slugify(source.stem) or "file"
        ext = slugify(source.suffix.lstrip(".")) or "bin"
        name = f"files/{stem}.{ext}"
        if name in self._taken:
            digest = hashlib.sha256(source.read_bytes()).hexdigest()[:8]
            name = f"files/{stem}-{digest}.{ext}"
        self._names[source] = name
        self._taken[name] = source
        return name

    def produce(self) -> dict[str, Path]:
        return dict(self._taken)


# What phones write into a video's metadata where they record the place it was shot:
# QuickTime's ©xyz atom and Apple's ISO 6709 location key.
_LOCATION_MARKS = (b"\xa9xyz", b"com.apple.quicktime.location.ISO6709")
_CHUNK = 1 << 20


def has_location(path: Path) -> bool:
    """True when a video file carries a GPS position (read in chunks: videos are large)."""
    keep = max(len(m) for m in _LOCATION_MARKS)
    tail = b""
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                window = tail + chunk
                if any(m in window for m in _LOCATION_MARKS):
                    return True
                tail = window[-keep:]
    except OSError:
        return False
    return False
