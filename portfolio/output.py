"""Write the output folder safely: refuse dangerous targets, stage beside it, swap atomically.

The new site is prepared in a sibling folder (`.NAME.new-PID`), files whose bytes are
unchanged are hard-linked from the current output, host files (.git, CNAME...) are carried
across, then two renames swap it in. A crash between the renames leaves both folders; the
next build finishes or undoes the swap, so the user always has a complete site.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import PortfolioError, UsageProblem

MARKER = ".portfolio-output"
MARKER_TEXT = b"This folder is written by `portfolio build`; it replaces everything here but host files.\n"
HOST_FILES = frozenset({".git", "CNAME", ".nojekyll", "_redirects", ".domains"})


@dataclass(frozen=True)
class WriteResult:
    written: int
    unchanged: int
    removed: int
    swapped: bool


def check_output_folder(output: Path, site_root: Path) -> Path:
    """Refuse (exit 2) an output folder that could destroy the user's files."""
    out = Path(os.path.realpath(output))
    root = Path(os.path.realpath(site_root))
    content = root / "content"
    home = Path(os.path.realpath(Path.home()))
    why = ""
    if out == Path(out.anchor):
        why = "is the root of the file system"
    elif out == home:
        why = "is your home folder"
    elif out == root:
        why = "is the site folder itself"
    elif root.is_relative_to(out):
        why = "holds the site folder"
    elif out.is_relative_to(content) or content.is_relative_to(out):
        why = "is inside content/" if out.is_relative_to(content) else "holds content/"
    elif any(out.is_relative_to(root / name) for name in ("static", "templates",
                                                          ".portfolio-cache")):
        why = "is inside a folder the build reads"
    elif (out / "portfolio.yaml").exists():
        why = "holds a portfolio.yaml"
    elif out.is_dir() and not (out / MARKER).is_file():
        others = sorted(p.name for p in out.iterdir() if p.name not in HOST_FILES)
        if others:
            shown = ", ".join(others[:3]) + (" ..." if len(others) > 3 else "")
            why = (f"already exists and holds files that are not from portfolio ({shown}); "
                   "empty it or choose another --output")
    elif out.exists() and not out.is_dir():
        why = "is a file, not a folder"
    if why:
        raise UsageProblem(f"refusing to write the site to {output}: it {why}")
    return out


@contextmanager
def build_lock(lock_file: Path, wait_seconds: float = 60) -> Iterator[None]:
    """Keep two builds of one site apart; the second waits, then gives up with a message."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "w") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PortfolioError("another build of this site is still running "
                                         f"(lock: {lock_file}); try again when it ends") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _siblings(out: Path, kind: str) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.{kind}-*"))


def recover(out: Path) -> None:
    """Finish or undo a swap a crash interrupted; remove leftovers of killed builds."""
    if not out.exists():
        complete = [p for p in _siblings(out, "new") if (p / MARKER).is_file()]
        old = _siblings(out, "old")
        if complete:
            os.rename(complete[-1], out)  # the new site was ready: finish the swap
        elif old:
            os.rename(old[-1], out)  # undo: put the previous site back
    for leftover in _siblings(out, "new") + _siblings(out, "old"):
        shutil.rmtree(leftover, ignore_errors=True)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _current(out: Path) -> dict[str, Path]:
    """Regular files of the current output, except host files and our marker."""
    found: dict[str, Path] = {}
    if not out.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(out):
        rel_dir = Path(dirpath).relative_to(out)
        if rel_dir == Path("."):
            dirnames[:] = [d for d in dirnames if d not in HOST_FILES]
        for name in filenames:
            rel = (rel_dir / name).as_posix()
            if rel in HOST_FILES or rel == MARKER:
                continue
            path = Path(dirpath) / name
            if not path.is_symlink():
                found[rel] = path
            else:
                found[rel] = Path("/dev/null/symlink")  # never equal: forces a rewrite
    return found


def _safe_rel(rel: str) -> str:
    parts = rel.split("/")
    if (not rel or rel.startswith("/") or any(p in ("", ".", "..") for p in parts)
            or "\\" in rel or "\0" in rel):
        raise PortfolioError(f"internal error: unsafe output path {rel!r}")
    return rel


def write_site(out: Path, files: dict[str, bytes | Path]) -> WriteResult:
    """Make `out` hold exactly `files` (plus host files), atomically; skip if nothing changed."""
    new_digests = {
        _safe_rel(rel): hashlib.sha256(data).hexdigest() if isinstance(data, bytes)
        else _digest(data)
        for rel, data in files.items()
    }
    current = _current(out)
    old_digests = {rel: _digest(p) if p.is_file() and not p.is_symlink() else "" for rel, p in
                   current.items()}
    if out.is_dir() and (out / MARKER).is_file() and old_digests == new_digests:
        return WriteResult(0, len(files), 0, swapped=False)

    stage = out.parent / f".{out.name}.new-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    written = unchanged = 0
    try:
        for rel, data in sorted(files.items()):
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if old_digests.get(rel) == new_digests[rel]:
                try:
                    os.link(current[rel], target)
                    unchanged += 1
                    continue
                except OSError:
                    pass  # another file system or no hard links: copy instead
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                shutil.copyfile(data, target)
            written += 1
        for name in sorted(HOST_FILES):
            _carry_host_file(out / name, stage / name)
        (stage / MARKER).write_bytes(MARKER_TEXT)  # last: marks the staged site complete
        _swap(out, stage)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    removed = len(set(current) - set(files))
    return WriteResult(written, unchanged, removed, swapped=True)


def _carry_host_file(source: Path, target: Path) -> None:
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
    elif source.is_file():
        _link_or_copy(str(source), str(target))


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _swap(out: Path, stage: Path) -> None:
    if not out.exists():
        os.rename(stage, out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.rename(out, old)
    os.rename(stage, out)
    shutil.rmtree(old, ignore_errors=True)
