"""Replaying the last build when nothing it could read has changed (make's rule, by content).

A rebuild of an unchanged site is the most common build of all (an editor's save hook, a CI
run, a second `portfolio build`). Its inputs are every file of the site folder and of the
tool itself, known by their digests (remembered by size, time and inode, so unchanged files
are not read again), and the options; when they are the ones of the last successful build
and the output folder still holds exactly what that build wrote, the build is its summary.
This module imports nothing heavy: a replayed build never loads the renderer.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .cache import Cache, key_of

# Folders of a site that are never an input: the tool's own, the user's drafts of
# consent requests (SPEC.md: nothing of them reaches the site), and compiled Python.
_NOT_INPUTS = {".portfolio-cache", "consent-requests"}
_PACKAGE = Path(__file__).resolve().parent


def inputs_key(
    root: Path, output: Path, options: Iterable[object], digest: Callable[[Path], str], extra: Iterable[Path]
) -> str:
    """A digest of everything a build may read: the site folder (but for dot-folders such as
    .git and .venv, and the output), the tool's code and bundled themes, the options, the day.

    The day is in the key because a build's result may depend on it (application pages
    expire); anything a build reads from outside these folders must join the key too.
    """
    entries: list[tuple[str, str]] = []
    seen: set[str] = set()
    for folder in (root, _PACKAGE, *extra):
        entries += _entries(folder, output, digest, seen, top_level_skip=folder == root)
    return key_of("build", entries, list(map(str, options)), dt.date.today().isoformat())


def _entries(
    folder: Path, output: Path, digest: Callable[[Path], str], seen: set[str], top_level_skip: bool
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    real_output = os.path.realpath(output)
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen or real == real_output:
            dirnames[:] = []
            continue
        seen.add(real)
        if top_level_skip and dirpath == str(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in _NOT_INPUTS]
            filenames = [f for f in filenames if not f.startswith(".")]
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        found.append((dirpath, "folder"))
        for name in sorted(filenames):
            path = Path(dirpath, name)
            try:
                mode = os.stat(path).st_mode
                # Only regular files are read: opening a FIFO would wait for a writer.
                found.append((str(path), digest(path) if stat.S_ISREG(mode) else f"mode {mode:o}"))
            except OSError as exc:  # unreadable or a dead link: the build will say so
                found.append((str(path), f"unreadable: {exc.errno}"))
    return found


def output_manifest(output: Path) -> dict[str, list[int]]:
    """Every entry of the output folder (files, folders, links) with its kind, size and time."""
    manifest: dict[str, list[int]] = {}
    for dirpath, dirnames, filenames in os.walk(output):
        for name in (*dirnames, *filenames):
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            manifest[os.path.relpath(path, output)] = [st.st_mode, st.st_size, st.st_mtime_ns]
    return manifest


def last_summary(cache: Cache, output: Path, inputs: str) -> dict[str, Any] | None:
    """The summary of the last build into `output`, if its inputs were `inputs` and the
    output folder was not touched since (a file edited, added or removed there rebuilds)."""
    record = cache.get_json("builds", key_of("build", str(output)))
    if not isinstance(record, dict) or record.get("inputs") != inputs:
        return None
    try:
        if record.get("output") != output_manifest(output):
            return None
    except OSError:
        return None
    summary = record.get("summary")
    return summary if isinstance(summary, dict) else None


def remember(cache: Cache, output: Path, inputs: str, summary: dict[str, Any]) -> None:
    record = {"inputs": inputs, "output": output_manifest(output), "summary": summary}
    cache.put_json("builds", key_of("build", str(output)), record)
