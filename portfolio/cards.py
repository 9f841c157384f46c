"""Link-preview cards: which pages get one, and producing them through the cache.

Templates ask for a page's card while rendering (its URL goes into og:image); `produce()`
draws the missing ones with social.py. The words each card draws are kept for the leak
guard, which cannot read text inside a PNG.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import Cache
from .slugs import slugify

CARD_VERSION = "2"  # bump when the drawing changes (2: no line break at a no-break space)
SIZE = (1200, 630)

# The last cards drawn in this process, by key (what they show, their fonts and cover): a
# preview's rebuilds and many sites built by one process (a test run) draw a card once.
# About 35 kB each; a key names the card's whole content, so an entry is never stale.
_MEMO_SIZE = 256
_memo: dict[str, tuple[bytes, str]] = {}  # key -> (PNG, the words drawn)


def _remember(key: str, png: bytes, words: str) -> None:
    _memo.pop(key, None)
    _memo[key] = (png, words)
    while len(_memo) > _MEMO_SIZE:
        del _memo[next(iter(_memo))]  # the oldest first: dicts keep insertion order


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
        self._drawing: dict[str, Future[bytes]] = {}  # key -> PNG being drawn (start())
        self._pool: ThreadPoolExecutor | None = None
        self._found: dict[str, Path] = {}  # key -> the cached card start() found

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
        name = slugify(page.removesuffix("index.html").removesuffix(".html").strip("/")) or "home"
        url = f"social/{name}-{key[:10]}.png"
        self._requests[url] = Request(page, url, card, key)
        return url

    def pages(self) -> dict[str, str]:
        """Card URL -> the output path of the page it previews."""
        return {url: req.page for url, req in self._requests.items()}

    def start(self, use_cache: bool = True) -> None:
        """Begin drawing the cards not in the cache, in a thread beside the work that follows
        (the images' processes): drawing and PNG encoding mostly run outside Python's lock."""
        from .social import Card, draw_card

        for _, req in sorted(self._requests.items()):
            assert isinstance(req.card, Card)
            hit = self.cache.get("cards", req.key, "png") if use_cache else None
            if hit is not None:
                self._found[req.key] = hit
                continue
            if req.key in _memo:
                continue
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cards")
            self._drawing[req.key] = self._pool.submit(draw_card, req.card, self.font_dir)

    def produce(self, use_cache: bool = True) -> tuple[dict[str, Path], dict[str, str]]:
        """Draw the cards not in the cache (or take those start() drew); returns
        (URL -> file, URL -> words drawn)."""
        from .social import Card, card_words, draw_card

        drawn = self.stop()  # every font is used by this thread alone from here
        files: dict[str, Path] = {}
        words: dict[str, str] = {}
        for url, req in sorted(self._requests.items()):
            assert isinstance(req.card, Card)
            # Laying a card out again only to learn its words took 15 ms a card.
            memo_png, memo_words = _memo.get(req.key, (None, None))
            known = self.cache.get_json("card-words", req.key) if use_cache else None
            if not isinstance(known, str):
                known = memo_words or " | ".join(card_words(req.card, self.font_dir))
                self.cache.put_json("card-words", req.key, known)
            words[url] = known
            png = drawn.pop(req.key, None)
            hit = self._found.pop(req.key, None)
            if hit is None and png is None and use_cache:
                hit = self.cache.get("cards", req.key, "png")
            if hit is None:
                png = png or memo_png or draw_card(req.card, self.font_dir)
                hit = self.cache.put("cards", req.key, "png", png)
                _remember(req.key, png, known)
                self.made += 1
            else:
                self.cached += 1
            files[url] = hit
        self._found.clear()
        return files, words

    def cancel(self) -> None:
        """Drop the drawings not begun and wait for the one under way (a failed build)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self._drawing.clear()

    def stop(self) -> dict[str, bytes]:
        """Wait for the cards start() is drawing: key -> PNG bytes."""
        drawn: dict[str, bytes] = {}
        if self._pool is None:
            return drawn
        try:
            drawn = {key: future.result() for key, future in self._drawing.items()}
        finally:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            self._drawing.clear()
        return drawn


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"
