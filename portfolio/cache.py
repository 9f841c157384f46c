"""A content-addressed store under .portfolio-cache/: safe to delete at any time.

Entries are data (bytes, or JSON stamped with the tool's version), never pickle: an entry
that is truncated, malformed or from another version is discarded, never trusted. A bytes
entry (an image, a page) is trusted only if its digest is the one recorded when it was
stored (in sums.json); a JSON entry carries its own key and format.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = ".portfolio-cache"


def _code_digest() -> str:
    """A digest of the tool's own code: a fix (to the Markdown reader, the leak guard...)
    must reach entries made before it even when the version number stays the same, as it
    does for anyone who installs from a clone."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# Bumped whenever what an entry holds changes meaning; with the tool's version and code in
# every key.
FORMAT = f"{__version__}/{_code_digest()}/2"


def key_of(*parts: object) -> str:
    """The key of a result: a digest of everything that produces it, and of the tool."""
    text = json.dumps([FORMAT, *parts], ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class Cache:
    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.root = root / CACHE_DIR
        self.enabled = enabled  # `--no-cache`: nothing is read (results are still stored)
        self.discarded = 0  # entries found corrupt or foreign
        self._digests: FileDigests | None = None
        self._sums: dict[str, str] | None = None  # bytes entries: relative path -> sha256
        self._sums_changed = False

    def get(self, kind: str, key: str, ext: str) -> Path | None:
        """The stored file, if it is exactly what was stored; a damaged one is deleted."""
        if not self.enabled:
            return None
        path = self._path(kind, key, ext)
        if not path.is_file():
            return None
        if ext == "json":  # checked by get_json: it names its key and format
            return path
        expected = self.sums.get(self._rel(path))
        try:
            if expected is not None and self.digests.digest(path) == expected:
                return path
        except OSError:
            pass
        self._discard(path)
        return None

    def put(self, kind: str, key: str, ext: str, data: bytes) -> Path:
        """Store bytes under their key; written to a temporary name then renamed."""
        path = self._path(kind, key, ext)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        if ext != "json":
            self.sums[self._rel(path)] = hashlib.sha256(data).hexdigest()
            self._sums_changed = True
        return path

    def get_json(self, kind: str, key: str) -> Any:
        """The value stored under `key`, or None; a damaged or foreign entry is deleted."""
        path = self.get(kind, key, "json")
        if path is None:
            return None
        try:
            entry = json.loads(path.read_bytes())
            if isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("key") == key:
                return entry["value"]
        except (OSError, ValueError, KeyError):
            pass
        self._discard(path)
        return None

    def _discard(self, path: Path) -> None:
        self.discarded += 1
        with contextlib.suppress(OSError):
            path.unlink()

    def put_json(self, kind: str, key: str, value: Any) -> None:
        entry = {"format": FORMAT, "key": key, "value": value}
        self.put(kind, key, "json", json.dumps(entry, ensure_ascii=False).encode())

    def _path(self, kind: str, key: str, ext: str) -> Path:
        return self.root / kind / key[:2] / f"{key}.{ext}"

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @property
    def sums(self) -> dict[str, str]:
        if self._sums is None:
            self._sums = {}
            with contextlib.suppress(OSError, ValueError):
                data = json.loads((self.root / "sums.json").read_bytes())
                if isinstance(data, dict) and data.get("format") == FORMAT:
                    sums = data.get("sums")
                    if isinstance(sums, dict):
                        self._sums = {k: v for k, v in sums.items() if isinstance(v, str)}
        return self._sums

    def read_state(self, name: str) -> Any:
        """A piece of the site's own state kept here (a private page's salt): not a result
        that could be made again, so it is read even with --no-cache. None when absent or
        unreadable."""
        try:
            return json.loads((self.root / f"{name}.json").read_bytes())
        except (OSError, ValueError):
            return None

    def write_state(self, name: str, value: Any) -> None:
        _write_json(self.root / f"{name}.json", value)

    def lock_path(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root / "build.lock"

    @property
    def digests(self) -> FileDigests:
        """File digests remembered by size, time and inode, so unchanged files are not read."""
        if self._digests is None:
            self._digests = FileDigests(self.root / "digests.json" if self.enabled else None)
        return self._digests

    def save(self) -> None:
        if self._digests is not None:
            self._digests.save(self.root / "digests.json")
        if self._sums is not None and self._sums_changed:
            _write_json(self.root / "sums.json", {"format": FORMAT, "sums": self._sums})
            self._sums_changed = False


# A file changed again within this many seconds of being hashed could keep its size and
# time stamp (coarse file-system clocks): such a digest is not trusted on the next build.
_RACY_SECONDS = 2.0


class FileDigests:
    """sha256 of files, by path, remembered with (size, mtime_ns, inode) as git's index does."""

    def __init__(self, store: Path | None) -> None:
        self._known: dict[str, list[Any]] = {}
        self._changed = False
        if store is not None:
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(store.read_bytes())
                if isinstance(data, dict) and data.get("format") == FORMAT:
                    self._known = {k: v for k, v in data["files"].items() if _valid(v)}

    def digest(self, path: Path) -> str:
        """The file's sha256 in hex; raises OSError as reading it would."""
        st = path.stat()
        name = str(path)
        known = self._known.get(name)
        if (
            known
            and known[:3] == [st.st_size, st.st_mtime_ns, st.st_ino]
            and not _racy(known, st.st_mtime_ns)
        ):
            return str(known[4])
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self._known[name] = [st.st_size, st.st_mtime_ns, st.st_ino, time.time_ns(), digest]
        self._changed = True
        return digest

    def save(self, store: Path) -> None:
        if not self._changed:
            return
        _write_json(store, {"format": FORMAT, "files": self._known})
        self._changed = False


def _write_json(store: Path, value: Any) -> None:
    """Written to a temporary name, then renamed: a reader sees the old file or the new."""
    store.parent.mkdir(parents=True, exist_ok=True)
    tmp = store.with_name(f".{store.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value))
    os.replace(tmp, store)


def _valid(entry: object) -> bool:
    return (
        isinstance(entry, list)
        and len(entry) == 5
        and all(isinstance(x, int) for x in entry[:4])
        and isinstance(entry[4], str)
    )


def _racy(known: list[Any], mtime_ns: int) -> bool:
    return bool(known[3] - mtime_ns < _RACY_SECONDS * 1e9)
