"""The user's own static/ folder, merged into the generated site as it is."""

from __future__ import annotations

from pathlib import Path

from .errors import Problems
from .images import has_gps
from .themes import contained_files


def add_static_files(out: dict[str, bytes | Path], root: Path, problems: Problems) -> set[str]:
    """Add the user's own static/ folder, copied as-is, dot-files included; it wins."""
    static = root / "static"
    added: set[str] = set()
    if not static.is_dir():
        return added
    generated = set(out)
    folders = {parent for rel in generated for parent in _parents(rel)}
    for rel, path in contained_files(static, root, problems):
        clash = next((p for p in _parents(rel) if p in generated), None)
        if rel in folders or clash:
            problems.error(
                f"static/{rel}", f"clashes with the generated {clash or rel + '/'}", hint="rename or move it"
            )
            continue
        if rel.endswith(".html") and rel in generated:
            problems.warn(f"static/{rel}", f"replaces the generated page {rel}")
        out[rel] = path
        added.add(rel)
        if path.suffix.lower() in (".jpg", ".jpeg") and has_gps(path):
            problems.warn(
                f"static/{rel}",
                "carries a GPS position and is published as it is",
                hint="move it to content/images/: images there are published without metadata",
            )
    return added


def _parents(rel: str) -> list[str]:
    parts = rel.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]
