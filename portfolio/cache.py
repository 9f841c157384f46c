"""A content-addressed store under .portfolio-cache/: safe to delete at any time."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_DIR = ".portfolio-cache"


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root / CACHE_DIR

    def get(self, kind: str, key: str, ext: str) -> Path | None:
        path = self._path(kind, key, ext)
        return path if path.is_file() else None

    def put(self, kind: str, key: str, ext: str, data: bytes) -> Path:
        """Store bytes under their key; written to a temporary name then renamed."""
        path = self._path(kind, key, ext)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return path

    def _path(self, kind: str, key: str, ext: str) -> Path:
        return self.root / kind / key[:2] / f"{key}.{ext}"

    def lock_path(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root / "build.lock"
