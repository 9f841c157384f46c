"""Link-preview cards: which pages get one, and producing them through the cache.

Templates ask for a page's card while rendering (its URL goes into og:image); `produce()`
draws the missing ones with social.py. The words each card draws are kept for the leak
guard, which cannot read text inside a PNG.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import Cache
from .slugs import slugify

CARD_VERSION = "1"  # bump when the drawing changes
SIZE = (1200, 630)


def font_dir(theme_dirs: tuple[Path, ...] | list[Path]) -> Path:
    """The theme's `fonts/` folder (a child theme's first), else the default theme's."""
    from .themes import bundled_dir

    for folder in theme_dirs:
        if (folder / "fonts").is_dir():
            return folder / "fonts"
    return bundled_dir() / "default" / "fonts"


@dataclass(frozen=True)
class Request:
    page: str  # the page's output path, for messages
    url: str  # social/<page>-<hash>.png
    card: object  # social.Card (kept untyped here: social.py imports Pillow)
    key: str


class Cards:
    """Collects the cards a build publishes, one per page that asks."""

    def __init__(self, cache: Cache, font_dir: Path) -> None:
        self.cache = cache
        self.font_dir = font_dir
        self._requests: dict[str, Request] = {}
        # New fonts redraw every card.
        self._fonts = "".join(_digest(p) for p in sorted(font_dir.glob("*")) if p.is_file())
        self.made = 0
        self.cached = 0

    def request(
        self,
        page: str,
        title: str,
        author: str,
        role: str | None,
        metric: str | None,
        metric_label: str | None,
        kind: str | None,
        site: str | None,
        accent: str,
        cover: Path | None,
    ) -> str:
        """The site-relative URL of the card for `page` (its output path)."""
        from .social import Card

        card = Card(
            title=title,
            author=author,
            role=role,
            metric=metric,
            metric_label=metric_label,
            kind=kind,
            site=site,
            accent=accent,
            cover=cover,
        )
        cover_digest = _digest(cover) if cover else ""
        key = hashlib.sha256(
            repr((replace(card, cover=None), cover_digest, self._fonts, CARD_VERSION)).encode()
        ).hexdigest()
        name = slugify(page.removesuffix("index.html").strip("/")) or "home"
        url = f"social/{name}-{key[:10]}.png"
        self._requests[url] = Request(page, url, card, key)
        return url

    def pages(self) -> dict[str, str]:
        """Card URL -> the output path of the page it previews."""
        return {url: req.page for url, req in self._requests.items()}

    def produce(self, use_cache: bool = True) -> tuple[dict[str, Path], dict[str, str]]:
        """Draw the cards not in the cache; returns (URL -> file, URL -> words drawn)."""
        from .social import Card, card_words, draw_card

        files: dict[str, Path] = {}
        words: dict[str, str] = {}
        for url, req in sorted(self._requests.items()):
            assert isinstance(req.card, Card)
            # Laying a card out again only to learn its words took 15 ms a card.
            known = self.cache.get_json("card-words", req.key) if use_cache else None
            if not isinstance(known, str):
                known = " | ".join(card_words(req.card, self.font_dir))
                self.cache.put_json("card-words", req.key, known)
            words[url] = known
            hit = self.cache.get("cards", req.key, "png") if use_cache else None
            if hit is None:
                hit = self.cache.put("cards", req.key, "png", draw_card(req.card, self.font_dir))
                self.made += 1
            else:
                self.cached += 1
            files[url] = hit
        return files, words


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"
