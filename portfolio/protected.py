"""Pages behind a password: a private case study rendered like a published one, its
pictures inside it, encrypted (vault.py), and proved.

Each such page is rendered by the theme's `case-study.html` through its own PageBuilder,
Images and Files, whose files are never added to the site: every picture goes into the
page itself, once, at the size the page shows it; videos and linked files stay out (with
a warning). The page is then packed, encrypted with the key of its password, and put in
the theme's `protected.html` (the password form), which the reader's browser opens with
`unlock.js`. Once the site is finished, each payload is decrypted again from the
published page and compared with the page that was rendered; the leak guard reads the
site with the payloads taken out, and the figures of each private study are searched for
in every page that shows its locked card.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache
from .content import GalleryItem
from .errors import Problems
from .files import Files
from .images import MIME, Images, Variant
from .leakguard import reader_text
from .locale import Formatter
from .pages import PageBuilder
from .paths import site_relative
from .render import RenderedPages, Renderer
from .routes import PROTECTED_TEMPLATE, Route
from .site import Protected, Site
from .stages import Progress
from .vault import ITERATIONS, Embedded, Vault, WrongPassword, encrypt, fill, open_payload, pack
from .views import GalleryItemView, LockView, MetricView, OgImage, StudyView, view_metric

# An embedded picture's name in the page until its bytes are put in: a fragment, so every
# link helper leaves it as it is.
MARKER = "#portfolio-embedded-"
# The widths a picture is embedded at: what the page shows it at (a cover across the
# column, a gallery picture, a picture in the story), and a logo's small box.
WIDTH = 1280
LOGO_WIDTH = 320
# What a Content-Security-Policy must allow on a site with pages behind a password: the
# theme's script that opens them, and the pictures inside them (data: URLs).
CSP_SOURCES = ("script-src 'self'", "img-src data:")
_EMBEDDED = re.compile(re.escape(MARKER) + r"[0-9a-f]{10}-\d+\.[a-z]+")


class EmbeddedImages(Images):
    """The pictures of pages behind a password: one file each (WebP, or a drawing or an
    animation as it is), at the width the page shows it, named by a marker. Produced
    through the same cache as the site's images; never added to the site."""

    def __init__(self, cache: Cache, max_megapixels: int, logos: Iterable[Path] = ()) -> None:
        super().__init__(cache, max_megapixels)
        self.logos = set(logos)

    def request(self, source: Path):  # type: ignore[no-untyped-def]
        """One file, without the responsive variants a published image has."""
        known = self._done.get(source)
        if known is not None:
            return known
        one = dataclasses.replace(super().request(source), variants=())
        self._done[source] = one
        return one

    def _picture(self, source: Path, data: bytes, stem: str) -> tuple[tuple[Variant, ...], Variant, bool]:
        variants, fallback, animated = super()._picture(source, data, stem)
        digest = stem.rsplit("-", 1)[-1]
        if animated:  # kept whole, in its own format
            whole = dataclasses.replace(fallback, url=f"{MARKER}{digest}-{fallback.width}.{fallback.format}")
            return (whole,), whole, True
        largest = max(variants, key=lambda v: v.width)
        width = min(largest.width, LOGO_WIDTH if source in self.logos else WIDTH)
        height = max(round(largest.height * width / largest.width), 1)
        one = Variant(f"{MARKER}{digest}-{width}.webp", width, height, "webp")
        return (one,), one, False

    def _drawing(self, source: Path, data: bytes, stem: str) -> tuple[tuple[Variant, ...], Variant, bool]:
        _, drawing, animated = super()._drawing(source, data, stem)
        digest = stem.rsplit("-", 1)[-1]
        one = dataclasses.replace(drawing, url=f"{MARKER}{digest}-{drawing.width}.svg")
        return (one,), one, animated


class PrivateFiles(Files):
    """Files a private page links to: none is published, so each link leads nowhere."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[Path] = []

    def request(self, source: Path) -> str:
        if source not in self.asked:
            self.asked.append(source)
        return "#"

    def produce(self) -> dict[str, Path]:
        return {}


class PrivatePageBuilder(PageBuilder):
    """The views of a page behind a password: the site's own (links, navigation, words),
    the case study as its client allowed, its pictures embedded; no link preview, no
    JSON-LD, no analytics inside."""

    @classmethod
    def around(
        cls, outer: PageBuilder, images: EmbeddedImages, files: PrivateFiles, problems: Problems
    ) -> PrivatePageBuilder:
        """A builder with every setting of the site's own `outer` (words, options, URLs,
        translations...) but its own pictures, files and no link-preview cards. The site's
        view is the same, less analytics: the avatar and the CV stay its published files."""
        inner = cls.__new__(cls)
        inner.__dict__.update(outer.__dict__)
        inner.images, inner.files, inner.problems, inner.cards = images, files, problems, None
        inner._studies = {}
        inner.site = dataclasses.replace(outer.site, analytics=None)
        return inner

    def _og_image(self, route: Route, title: str, study: StudyView | None) -> OgImage | None:
        return None

    def _jsonld(self, route: Route, study: StudyView | None, canonical: str | None) -> None:
        return None

    def _gallery(self, item: GalleryItem) -> GalleryItemView:
        if item.kind == "video":  # a video is not published: its poster stands for it
            return GalleryItemView("image", self.image(item.image))
        return super()._gallery(item)


@dataclass
class _Page:
    route: Route  # of the password form (protected.html)
    protected: Protected
    html: str  # as rendered, with a marker for each picture
    figures: frozenset[str]  # its metrics' figures, as pages write them (see `compact`)
    lock: LockView | None = None
    shown: str = ""  # the page as the browser shows it once opened


class PrivatePages:
    """The pages behind a password of one language of the site."""

    def __init__(
        self,
        renderer: Renderer,
        builder: PrivatePageBuilder,
        images: EmbeddedImages,
        files: PrivateFiles,
        vault: Vault,
        problems: Problems,
    ) -> None:
        self.renderer = renderer
        self.builder = builder
        self.images = images
        self.files = files
        self.vault = vault
        self.problems = problems
        self.pages: list[_Page] = []

    def render(self, route: Route) -> None:
        """Render the page of `route` (a password form's) as the case study it hides."""
        protected: Protected = route.data["protected"]
        study = protected.study
        inner = Route(
            route.output, route.url, "case-study.html", study.title, study.summary, study.source,
            {"study": study, "newer": None, "older": None}, noindex=True, sitemap=False, key=route.key,
            translated=route.translated,
        )  # fmt: skip
        for i, item in enumerate(study.gallery):
            if item.video is not None:
                self.problems.warn(
                    study.source,
                    "is a video of a private case study: videos are not published with it, its "
                    "poster is shown instead",
                    study.lines.get(f"gallery[{i}].video"),
                    f"gallery[{i}].video",
                    hint="show it in person, or link to it on a platform (link:) if the client allows",
                )
        before = len(self.files.asked)
        html = self.renderer.render(inner)
        videos = {item.video for item in study.gallery if item.video is not None}  # said above
        for source in self.files.asked[before:]:
            if source in videos:
                continue
            self.problems.warn(
                study.source,
                f"links to {site_relative(source, self.builder.config.root)}, which is not published with a "
                "private case study (only the encrypted page is): the link leads nowhere",
                hint="attach the file when you send the password, or leave the link out",
            )
        if html is None:  # the template's error is reported
            return
        text = (html if isinstance(html, bytes) else html.read_bytes()).decode("utf-8")
        figures = figures_of(self.builder.study(study).metrics)
        self.pages.append(_Page(route, protected, text, figures))

    def forms(
        self,
        routes: list[Route],
        renderer: Renderer,
        use_cache: bool = True,
        progress: Progress | None = None,
    ) -> RenderedPages:
        """Each route's case study rendered and encrypted, then its password form, rendered
        by the site's `renderer` around the encrypted page."""
        for route in routes:
            self.render(route)
        locks = self.seal(use_cache)
        pages: dict[str, bytes | Path] = {}
        for route in routes:
            lock = locks.get(route.output)
            if lock is not None:
                page = renderer.render(dataclasses.replace(route, data={**route.data, "lock": lock}))
                if page is not None:
                    pages[route.output] = page
            if progress:
                progress.advance()
        template = renderer.template_source(PROTECTED_TEMPLATE)
        return RenderedPages(pages, {r.output: (template, f" (the page of {r.source})") for r in routes})

    def seal(self, use_cache: bool = True) -> dict[str, LockView]:
        """Produce the embedded pictures, pack and encrypt every page rendered; returns
        each password form's lock (by its output path)."""
        produced, failed = self.images.produce(use_cache)
        root = self.builder.config.root
        for source, problem in failed:
            self.problems.error(site_relative(source, root), problem)
        locks: dict[str, LockView] = {}
        for page in self.pages:
            embedded = []
            for marker in dict.fromkeys(_EMBEDDED.findall(page.html)):
                path = produced.get(marker)
                if path is None:  # its error is reported
                    continue
                embedded.append(Embedded(marker, MIME[marker.rsplit(".", 1)[-1]], path.read_bytes()))
            salt, key = self.vault.key(page.protected.study.source, page.protected.password_env)
            payload = encrypt(key, pack(page.html, embedded))
            page.shown = fill(page.html, embedded)
            page.lock = LockView(_b64(payload), _b64(salt), ITERATIONS)
            locks[page.route.output] = page.lock
        return locks

    def verify(self, out: Mapping[str, bytes | Path], public_images: set[Path]) -> None:
        """Open each published payload again with the password, from the page as written,
        and compare it with the page that was rendered; no picture of a hidden client's
        logo may be a file of the site."""
        template = self.renderer.template_source(PROTECTED_TEMPLATE)
        for page in self.pages:
            study = page.protected.study
            data = out.get(page.route.output)
            if data is None or page.lock is None:
                continue
            text = (data if isinstance(data, bytes) else data.read_bytes()).decode("utf-8")
            lock = page.lock
            missing = [
                name
                for name, value in (("lock.payload", lock.payload), ("lock.salt", lock.salt))
                if text.count(value) != 1
            ]
            if str(lock.iterations) not in text:
                missing.append("lock.iterations")
            if missing:
                self.problems.error(
                    template,
                    f"must write {', '.join(missing)} into the page once (rendering {study.source}): "
                    "without it the page cannot be opened",
                    hint='keep the default theme\'s <script id="protected-payload"> element',
                )
                continue
            try:
                opened = open_payload(self.vault.password(page.protected.password_env), lock.salt,
                                      lock.iterations, lock.payload)  # fmt: skip
            except (WrongPassword, ValueError, KeyError) as exc:
                opened = f"(not opened: {exc})"
            if opened != page.shown:
                self.problems.error(
                    study.source,
                    "internal error: its encrypted page does not open to the page that was rendered",
                    hint="run the build again with --no-cache, and report it if it stays",
                )
            logo = study.client.logo if study.client else None
            hidden = any(name.source == study.source for name in self.builder.model.hidden)
            if logo is not None and hidden and logo.source in public_images:
                self.problems.error(
                    study.source,
                    f"the logo {site_relative(logo.source, self.builder.config.root)} of this private case "
                    "study is also published as a picture of the site, outside its password",
                    logo.line,
                    "client.logo",
                    hint="use the logo only here, or ask the client's consent for the other page",
                )

    def payloads(self) -> dict[str, tuple[str, ...]]:
        """Output path -> the encrypted strings in it, which the leak guard does not read."""
        return {p.route.output: (p.lock.payload, p.lock.salt) for p in self.pages if p.lock}

    def check_figures(
        self,
        texts: Mapping[str, str],
        published: Iterable[MetricView],
    ) -> None:
        """No figure of a private case study may be in a page that shows its locked card
        (the card's title, role and alias are the user's words): `texts` are those pages'
        text, by output path. A figure the site also publishes for another study tells
        nothing, and is not searched for."""
        public = figures_of(published)
        compacted = {output: compact(text) for output, text in texts.items()}
        for page in self.pages:
            study = page.protected.study
            for found in sorted(page.figures - public):
                pattern = re.compile(r"(?<![\d.,])" + re.escape(found) + r"(?![\d]|[.,]\d)")
                where = next((o for o, text in sorted(compacted.items()) if pattern.search(text)), None)
                if where is not None:
                    self.problems.error(
                        study.source,
                        f"the figure {found!r} of this private case study is published outside its "
                        f"password, in {where}",
                        study.lines.get("title"),
                        "title",
                        hint="outside its password a private case study shows its title, role and "
                        "alias: leave its figures out of them",
                    )


def guard_view(out: Mapping[str, bytes | Path], payloads: Mapping[str, tuple[str, ...]]) -> dict[str, bytes]:
    """The password forms as the leak guard reads them: without their encrypted strings."""
    view: dict[str, bytes] = {}
    for output, secrets in payloads.items():
        data = out.get(output)
        if data is None:
            continue
        raw = data if isinstance(data, bytes) else data.read_bytes()
        for secret in secrets:
            raw = raw.replace(secret.encode("ascii"), b"")
        view[output] = raw
    return view


def figures_of(metrics: Iterable[MetricView]) -> frozenset[str]:
    """Every figure a metric shows (before, after, value, change, each point of a series),
    as `compact` writes them, that is distinctive enough to search for: two digits or more
    with a separator or a unit (`3,100`, `4.6x`, `£14.75`, `+212%`; not `12` or `2024`)."""
    texts: list[str] = []
    for m in metrics:
        texts += [f.text for f in (m.before, m.after, m.value, m.figure) if f is not None]
        texts += [m.change, m.relative, m.card.text, *(row.y for row in m.rows)]
    found = set()
    for text in texts:
        small = compact(text)
        digits = sum(c.isdigit() for c in small)
        if digits >= 2 and any(not c.isdigit() for c in small.lstrip("+−-")):
            found.add(small)
    return frozenset(found)


def compact(text: str) -> str:
    """Text without any kind of space: `4.6 x` and `4.6x`, `212 %` and `212%` are one."""
    return re.sub(r"\s+", "", text.replace("\u202f", " ").replace("\u00a0", " ").replace("\u2009", " "))


def page_text(data: bytes | Path) -> str:
    raw = data if isinstance(data, bytes) else data.read_bytes()
    return reader_text(raw.decode("utf-8", errors="replace"))


def public_metrics(site: Site, fmt: Formatter) -> list[MetricView]:
    """The metrics the site publishes, formatted as its pages show them."""
    return [view_metric(m, fmt) for s in site.studies for m in s.metrics]


def logos(site: Site) -> list[Path]:
    return [p.study.client.logo.source for p in site.protected if p.study.client and p.study.client.logo]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
