"""URL-safe names: lowercase ASCII words joined by hyphens."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

MAX_LENGTH = 80
_WINDOWS = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def slugify(text: str) -> str:
    """`Étude été` -> `etude-ete`; accents folded, punctuation and spaces become hyphens."""
    ascii_text = anyascii(unicodedata.normalize("NFKC", text)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > MAX_LENGTH:
        slug = slug[:MAX_LENGTH].rsplit("-", 1)[0] or slug[:MAX_LENGTH]
    return slug


def check_slug(value: str) -> tuple[str, str]:
    """Validate a user's `slug:`; returns (slug, problem)."""
    if any(c in value for c in "/\\\0%") or ".." in value or ":" in value:
        return "", "a slug is a single URL word such as `maison-lune-tiktok`, not a path"
    slug = slugify(value)
    if not slug:
        return "", "a slug needs at least one letter or digit"
    if len(value) > MAX_LENGTH:
        return "", f"a slug is at most {MAX_LENGTH} characters"
    if is_windows_reserved(slug):
        return "", f"`{slug}` is a reserved file name on Windows; choose another slug"
    return slug, ""


def is_windows_reserved(slug: str) -> bool:
    """CON, AUX, LPT1...: a site must also deploy from a Windows checkout."""
    return slug in _WINDOWS


def fold(text: str) -> str:
    """Compare names the way people read them: case, accents and Unicode form folded."""
    return anyascii(unicodedata.normalize("NFKC", text)).casefold()
