"""Where a user's path may lead: inside the site, and published only from content/."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

# Sources and notes are never published, even when something links to them.
_SOURCE_SUFFIXES = (".md", ".markdown", ".yaml", ".yml", ".env")
# Images: re-encoded by Pillow (SVG drawings sanitised), never copied.
IMAGE_SUFFIXES = (
    ".jpg",
    ".jpeg",
    ".jpe",
    ".jfif",
    ".png",
    ".webp",
    ".gif",
    ".tif",
    ".tiff",
    ".bmp",
    ".ico",
    ".heic",
    ".heif",
    ".avif",
    ".svg",
)


def _quoted(value: str) -> str:
    return json.dumps(value if len(value) <= 60 else value[:57] + "...", ensure_ascii=False)


def resolve(value: str, base_dir: Path, content_dir: Path, site_root: Path) -> tuple[Path | None, str]:
    """Resolve a path from `base_dir` (from content/ when it starts with /), symlinks followed.

    Returns (path, "") for an existing file inside the site, else (None, the problem).
    """
    if "\0" in value:
        return None, "a path cannot contain a NUL character"
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        return None, f"expected a file in the site, got the web address {_quoted(value)}"
    candidate = content_dir / value.lstrip("/") if value.startswith("/") else base_dir / value
    try:
        real = Path(os.path.realpath(candidate))
        if not real.is_relative_to(site_root):
            return None, f"{_quoted(value)} points outside the site folder; paths must stay inside it"
        if real.is_dir():
            return None, f"{_quoted(value)} is a folder, not a file"
        if not real.is_file():
            return None, f"file not found: {_quoted(value)}"
    except (OSError, ValueError):
        return None, f"{_quoted(value)} is not a usable file name"
    return real, ""


def publish_problem(real: Path, content_dir: Path) -> str:
    """Why a resolved file may not be published as it is ('' when it may)."""
    content = Path(os.path.realpath(content_dir))
    if not real.is_relative_to(content):
        return "only files under content/ are published; move it there"
    rel = real.relative_to(content)
    if any(part.startswith(".") for part in rel.parts):
        return "dot-files are never published"
    if real.suffix.lower() in _SOURCE_SUFFIXES or real.name.endswith("~"):
        return "source and note files (.md, .yaml, backups) are never published"
    return ""


def is_image(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def site_relative(path: Path, root: Path) -> str:
    """A path as messages show it: relative to the site folder, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def inside(path: Path, folder: Path) -> bool:
    """Whether `path` (resolved) is `folder` or below it, compared component by component."""
    return Path(path).is_relative_to(Path(os.path.realpath(folder)))
