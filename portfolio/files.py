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
