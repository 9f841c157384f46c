"""The recipe: load -> validate -> model -> render -> produce assets -> guard, in memory.

`build` writes what it returns; `serve` keeps it in memory; `check` reads its problems.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import audit
from .cache import Cache, key_of
from .cards import Cards, font_dir
from .config import SiteConfig, languages_anyway, load_config
from .consent import CleanMemo
from .content import CaseStudy, Content, load_content
from .editions import Edition, connect
from .errors import ContentErrors, PortfolioError, Problems
from .files import Files, has_location
from .hosting import add_host_files
from .images import ImageError, Images
from .leakguard import NameFinder, guard_output, reader_text
from .links import LinkReport, Origins, check_links
from .locale import Formatter, load_words, site_words
from .markdown import Hooks, MarkdownRenderer
from .options import BuildOptions
from .pages import PageBuilder, report_image
from .paths import site_relative
from .pdf import make_pdf, pdf_text
from .protected import (
    CSP_SOURCES,
    EmbeddedImages,
    PrivateFiles,
    PrivatePageBuilder,
    PrivatePages,
    guard_view,
    logos,
    page_text,
    public_metrics,
)
from .render import Renderer
from .reuse import CachedMarkdown, PageCache, setting_key
from .routes import PROTECTED_TEMPLATE, Route, routes
from .site import Site, build_edition
from .stages import Counts, Timings
from .static import add_static_files
from .themes import FALLBACK_TEMPLATES, Theme, bundled_dir, load_theme, template_dirs, theme_static_files
from .vault import Salts, Vault

# The default theme's files for pages behind a password, left out of sites without one.
PRIVATE_ASSETS = ("assets/unlock.js", "assets/protected.css")


@dataclass
class RenderedSite:
    """The new site in memory: output path -> bytes, or the file to copy."""

    files: dict[str, bytes | Path]
    site: Site
    images: Images
    cache: Cache
    counts: Counts
    guard_read: int = 0  # files the leak guard read (not verified before)
    cards: Cards | None = None  # link-preview cards, counted with the images
    theme_dirs: tuple[Path, ...] = ()  # folders the build read, besides the site's own
    # Each variable a password was read from: (salt, digest of the key) of a page it
    # opened, or None when it was empty; a replay checks they still hold (vault.py).
    passwords: dict[str, list[str] | None] = field(default_factory=dict)
    links: LinkReport | None = None  # what the link check found (external addresses...)

    @property
    def images_made(self) -> int:
        return self.images.made + (self.cards.made if self.cards else 0)

    @property
    def images_cached(self) -> int:
        return self.images.cached + (self.cards.cached if self.cards else 0)


def render_site(
    root: Path,
    options: BuildOptions,
    problems: Problems,
    drafts: bool = False,
    preview: bool = False,
    timings: Timings | None = None,
    cache: Cache | None = None,
) -> RenderedSite:
    """The recipe: every file of the new site, in memory; nothing is written but the cache.

    `drafts` includes drafts; `preview` renders for `serve` (no analytics, banners). Every
    problem found on the way is collected, so a build reports all of them at once.
    """
    t = timings or Timings()
    with t.stage("load"):
        base_url = options.checked_base_url()
        config = load_config(root, problems)
        if config is None:
            load_content(root, problems, languages=languages_anyway(root))  # all errors at once
            raise ContentErrors(problems.errors)
        cache = cache or Cache(config.root, enabled=options.use_cache)
        content = load_content(root, problems, cache, config.languages, config.untranslated)
        if base_url:
            config = replace(config, base_url=base_url)
        theme = load_theme(config, problems)
    with t.stage("model"):
        # One edition per language (editions.py): the first at the root, the others under
        # their own folder, each from its translations.
        editions = [
            _edition(config, content, language, problems, cache, drafts, options.pdf)
            for language in config.languages
        ]
        images = Images(cache, config.max_megapixels)
        for edition in editions:
            audit.warn(edition.site, edition.problems)  # the gaps `portfolio check` lists, as warnings
            _check_images(edition.site, images, edition.problems)  # at the line naming them
        problems.raise_if_any()
        assert theme is not None
        editions, alternates = connect(editions, config.base_url)
        site = editions[0].site
    with t.stage("render", sum(len(e.routes) for e in editions)):
        files = Files()
        cards = Cards(cache, font_dir(theme.dirs)) if config.social_cards and config.base_url else None
        assets = theme_static_files(theme, problems, config.root)
        if not any(e.site.protected for e in editions):  # the password form's files, unused
            assets = {k: v for k, v in assets.items() if k not in PRIVATE_ASSETS}
        dirs = template_dirs(config.root, theme, problems)
        problems.raise_if_any()
        pages: dict[str, bytes | Path] = {}
        page_sources: dict[str, tuple[str, str]] = {}
        formatters: list[Formatter] = []
        work = _Work()
        vault = Vault(Salts(cache))
        sealed: list[tuple[PrivatePages, Edition, Formatter]] = []
        for edition in editions:
            fmt = Formatter(
                edition.language, site_words(theme.dirs, config, edition.language, edition.problems)
            )
            formatters.append(fmt)
            builder = PageBuilder(
                edition.site, fmt, dict(theme.options), images, files, edition.problems, cards,
                preview or drafts, cache, theme.colours, alternates[edition.language],
            )  # fmt: skip
            markdown = _markdown(edition.site, images, files, cache, edition.problems)
            # A build holds its pages as cache files (memory stays flat at any size); the
            # preview keeps them in memory, as it serves them.
            page_cache = PageCache(
                cache, _page_setting(cache, dirs, theme, fmt, assets), spill=not (preview or drafts)
            )
            renderer = Renderer(
                builder, dirs, fmt, markdown, assets, edition.problems, config.root, theme.dirs, page_cache
            )
            routes_now = [r for r in edition.routes if r.template != PROTECTED_TEMPLATE]
            markdown.prefetch(renderer.documents(routes_now), options.workers)
            rendered = renderer.render_all(routes_now, t.progress)
            pages.update(rendered.pages)
            page_sources.update(rendered.sources)
            work.add(page_cache, markdown)
            # Pages behind a password: the case study rendered and encrypted first, then the
            # theme's password form around it (protected.py).
            shells = [r for r in edition.routes if r.template == PROTECTED_TEMPLATE]
            if shells:
                private = _private_pages(edition, builder, dirs, fmt, assets, cache, theme, vault)
                forms = private.forms(shells, renderer, options.use_cache, t.progress)
                pages.update(forms.pages)
                page_sources.update(forms.sources)
                sealed.append((private, edition, fmt))
        vault.salts.save()
    # Images and files are produced after rendering: views and Markdown request them.
    with t.stage("assets", images.pending()):
        if cards:
            cards.start(options.use_cache)  # drawn while the images are encoded
        try:
            image_files, failed = images.produce(options.use_cache, t.progress)
        except BaseException:  # Ctrl-C, a full disk: no drawing goes on behind the error
            if cards:
                cards.cancel()
            raise
        card_files, drawn = cards.produce(options.use_cache) if cards else ({}, {})
        for source, problem in failed:
            problems.error(site_relative(source, config.root), problem)
        for source, note in images.notes.items():
            problems.warn(site_relative(source, config.root), note)
        if not config.base_url:
            problems.warn(
                "portfolio.yaml",
                "is not set: the sitemap, the feed, canonical links and link previews are left out",
                field="base_url",
                hint="add base_url: https://your-domain.example/",
            )
        copied = files.produce()
        out: dict[str, bytes | Path] = {**assets, **pages, **image_files, **card_files, **copied}
        # The PDFs last: they are laid out from the finished pages' pictures.
        drawn = {**drawn, **_make_pdfs(editions, out, theme, config.base_url, cache)}
        static = add_static_files(out, config.root, problems)
    # Links are checked on the finished site; the host files (_headers) then allow exactly
    # what its pages load, and the leak guard reads them too.
    with t.stage("links"):
        every_route = [route for edition in editions for route in edition.routes]
        # A broken link is searched for in the user's own templates, not the bundled theme's.
        own_templates = tuple(
            d for d in dirs if d != FALLBACK_TEMPLATES and not d.is_relative_to(bundled_dir())
        )
        origins = Origins(config.root, page_sources, every_route, static, own_templates)
        links = check_links(out, origins, config.base_url, cache, problems)
        # A page behind a password loads unlock.js and, once open, its own embedded pictures.
        loads = [*links.loads, *(CSP_SOURCES if sealed else ())]
        add_host_files(out, config, every_route, loads, problems)
    # The leak guard reads the finished site, so nothing a template, a data file or a file
    # name adds can name a client who has not consented; a page behind a password is read
    # without its encrypted payload, which is opened again and compared with its page.
    with t.stage("guard"):
        secrets = {output: s for private, _, _ in sealed for output, s in private.payloads().items()}
        guarded = {**out, **guard_view(out, secrets)} if secrets else out
        public_images = set(images.sources().values())
        for private, edition, fmt in sealed:
            private.verify(out, public_images)
            shows_cards = [r.output for r in edition.routes if _shows_cards(r) and r.output in out]
            private.check_figures(
                {o: page_text(guarded[o]) for o in shows_cards}, public_metrics(edition.site, fmt)
            )
        sources = _sources(page_sources, assets, images, copied, static, config.root)
        if cards:  # a card comes from its page's content
            sources.update({url: sources[page] for url, page in cards.pages().items() if page in sources})
        # Checked by name only: the user's own static/ folder, and the bundled theme's files.
        own_files = static | {name for name, path in assets.items() if path.is_relative_to(bundled_dir())}
        trusted = [phrase for fmt in formatters for phrase in _trusted_phrases(theme, fmt)]
        finder = NameFinder(site.hidden, trusted)
        # Linked files and videos are read whole, their metadata too; the CV is the user's
        # own account of their work, and may name any employer (SPEC: not checked).
        cv = os.path.realpath(config.author.resume) if config.author.resume else None
        as_is = {name for name, path in copied.items() if os.path.realpath(path) != cv}
        guard_read = guard_output(
            guarded,
            sources,
            own_files,
            finder,
            cache if options.use_cache else None,
            problems,
            drawn,
            options.workers,
            _suspects(every_route, theme.dirs, config.root),
            config.root,
            as_is,
        )  # a card's words: text no reader of PNG bytes sees
        problems.raise_if_any()
    cache.save()  # the digests and sums of what was stored: serve and check never write a site
    passwords: dict[str, list[str] | None] = {k: list(v) for k, v in vault.used.items()}
    for edition in editions:
        for variable in edition.site.missing_passwords:
            passwords.setdefault(variable, None)
    counts = work.counts(cache, drawn)
    return RenderedSite(out, site, images, cache, counts, guard_read, cards, theme.dirs, passwords, links)


def _shows_cards(route: Route) -> bool:
    """Whether the page shows locked cards of private case studies, or is a password form."""
    if route.template == PROTECTED_TEMPLATE:
        return True
    studies = [*route.data.get("studies", ()), *(p for p in (route.data.get("study"),) if p)]
    return route.template in ("home.html", "application.html") or any(
        getattr(s, "locked", False) for s in studies
    )


def _private_pages(
    edition: Edition,
    builder: PageBuilder,
    dirs: list[Path],
    fmt: Formatter,
    assets: dict[str, Path],
    cache: Cache,
    theme: Theme,
    vault: Vault,
) -> PrivatePages:
    """The renderer of one language's pages behind a password: its own images (embedded in
    the pages, never files of the site), files (never published) and Markdown."""
    site = edition.site
    images = EmbeddedImages(cache, site.config.max_megapixels, logos(site))
    files = PrivateFiles()
    inner = PrivatePageBuilder.around(builder, images, files, edition.problems)
    markdown = _markdown(site, images, files, cache, edition.problems)
    renderer = Renderer(inner, dirs, fmt, markdown, assets, edition.problems,
                        site.config.root, theme.dirs)  # fmt: skip
    return PrivatePages(renderer, inner, images, files, vault, edition.problems)


def _make_pdfs(
    editions: list[Edition], out: dict[str, bytes | Path], theme: Theme, base_url: str | None, cache: Cache
) -> dict[str, str]:
    """Each PDF in place of the HTML it is made from; returns the words of each (the
    leak guard reads them: it cannot read a PDF's bytes)."""
    words: dict[str, str] = {}
    for route in (r for e in editions for r in e.routes if r.template == "pdf.html"):
        html = out.get(route.output)
        if html is None:  # the page failed; its error is reported
            continue
        text = (html if isinstance(html, bytes) else html.read_bytes()).decode("utf-8")
        data = make_pdf(text, route.url, out, font_dir(theme.dirs), base_url, cache)
        out[route.output] = data
        words[route.output] = reader_text(text) + "\n" + pdf_text(data)
    return words


def _edition(
    config: SiteConfig,
    content: Content,
    language: str,
    problems: Problems,
    cache: Cache,
    drafts: bool,
    pdf: bool = False,
) -> Edition:
    """The site in one language: its model (consent decided, `{client}` filled in, in that
    language's grammar) and its pages."""
    if language != config.languages[0]:
        problems = content.problems[language]
    memo_key = key_of("clean studies", str(config.root), drafts, language)
    known = cache.get_json("consent", memo_key)
    memo = CleanMemo(k for k in (known if isinstance(known, list) else ()) if isinstance(k, str))
    site = build_edition(config, content, language, problems, drafts=drafts, memo=memo)
    if not problems.errors and memo.now != memo.known:
        cache.put_json("consent", memo_key, sorted(memo.now))
    return Edition(language, site, tuple(routes(site, pdf)), problems)


class _Work:
    """The work of every language's rendering, counted (tests and --timings read it)."""

    def __init__(self) -> None:
        self.rendered: list[str] = []
        self.reused = self.parsed = self.markdown_reused = 0

    def add(self, pages: PageCache, markdown: CachedMarkdown) -> None:
        self.rendered += pages.rendered
        self.reused += pages.reused
        self.parsed += markdown.parsed
        self.markdown_reused += markdown.reused

    def counts(self, cache: Cache, drawn: Mapping[str, str]) -> Counts:
        return Counts(
            pages_rendered=len(self.rendered),
            pages_reused=self.reused,
            markdown_parsed=self.parsed,
            markdown_reused=self.markdown_reused,
            discarded=cache.discarded,
            rendered=tuple(self.rendered),
            card_words=tuple(sorted((url, words) for url, words in drawn.items() if url.endswith(".png"))),
        )


def _trusted_phrases(theme: Theme, fmt: Formatter) -> list[str]:
    """The words the leak guard may take out of the output before its search: the bundled
    themes' own (and month names), never a word a theme inside the site defines, which is
    the user's text (`unused_word: Halden Cycles` would hide that name everywhere)."""
    bundled = [d for d in theme.dirs if d.is_relative_to(bundled_dir())]
    try:
        known = load_words(bundled, fmt.language) if bundled else {}
    except PortfolioError:
        known = {}
    words = {k: v for k, v in fmt.words.items() if known.get(k) == v}
    return Formatter(fmt.language, words).phrases()


def _markdown(site: Site, images: Images, files: Files, cache: Cache, problems: Problems) -> CachedMarkdown:
    """The Markdown renderer, its results kept by document and by what links can reach."""
    config = site.config
    targets = site.link_targets()
    hooks = Hooks(
        config.content_dir, config.root, targets, images.request, files.request, problems, config.language
    )
    # A link's answer depends on which files exist, not only on the pages: any file added
    # or removed under content/ changes every document's key.
    listing = sorted(str(p) for p in _tree(config.content_dir))
    setting = key_of(
        str(config.root), str(config.content_dir), sorted(map(str, targets.items())), listing, config.language
    )
    return CachedMarkdown(MarkdownRenderer(hooks), cache, images, files, problems, setting)


def _page_setting(
    cache: Cache, dirs: list[Path], theme: Theme, fmt: Formatter, assets: dict[str, Path]
) -> str:
    """What every page depends on besides its views: templates, words, theme files, options."""
    templates = [p for d in [*dirs, FALLBACK_TEMPLATES] for p in _tree(d) if p.is_file()]
    return setting_key(
        [*templates, *assets.values()],
        cache.digests.digest,
        sorted(assets),
        fmt.language,
        sorted(fmt.words.items()),
        sorted(map(str, theme.options.items())),
    )


def _tree(folder: Path) -> list[Path]:
    """Every path under `folder`, following links to folders once (as content discovery does)."""
    found: list[Path] = []
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        found += [Path(dirpath, name) for name in (*dirnames, *filenames)]
    return found


def _sources(
    pages: dict[str, tuple[str, str]],
    assets: dict[str, Path],
    images: Images,
    copied: dict[str, Path],
    static: set[str],
    root: Path,
) -> dict[str, tuple[str, str]]:
    """Output path -> (the file that makes it, what else to say), for the leak guard."""
    sources = dict(pages)
    for name, source in {**images.sources(), **copied}.items():
        sources[name] = (site_relative(source, root), "")
    for name, path in assets.items():  # a theme of the site's own is named by its path
        inside = path.is_relative_to(root)
        where = site_relative(path, root) if inside else "the theme's static/" + name.removeprefix("assets/")
        sources[name] = (where, "")
    sources.update({name: (f"static/{name}", "") for name in static})
    return sources


def _suspects(routes: list[Route], theme_dirs: tuple[Path, ...], root: Path) -> Callable[[str], list[Path]]:
    """For a page, the user's files that may have written it: its content file first, then
    the site's templates/ and a theme of the site's own. Worked out only on a leak-guard hit,
    so a clean build pays nothing for it."""

    def of(output: str) -> list[Path]:
        own = [root / "templates", *(d / "templates" for d in theme_dirs if d.is_relative_to(root))]
        templates = sorted(p for folder in own if folder.is_dir() for p in folder.rglob("*") if p.is_file())
        source = next((route.source for route in routes if route.output == output), None)
        return [*([root / source] if source else []), *templates]

    return of


def _check_images(site: Site, images: Images, problems: Problems) -> None:
    """Read the header of every image a published case study names (decoding comes later),
    and refuse a video that would publish where it was shot."""
    for study in site.studies:
        for i, item in enumerate(study.gallery):
            if item.video is not None and has_location(item.video):
                problems.error(
                    study.source,
                    f"{site_relative(item.video, site.config.root)} "
                    "carries the GPS position where it was shot, and videos are "
                    "published as they are",
                    study.lines.get(f"gallery[{i}].video"),
                    f"gallery[{i}].video",
                    hint="remove it first, e.g. ffmpeg -i in.mp4 -map_metadata -1 -c copy out.mp4",
                )
        refs = [
            study.cover,
            study.client.logo if study.client else None,
            *(item.image for item in study.gallery),
        ]
        for ref in refs:
            if ref is None:
                continue
            try:
                images.request(ref.source)
            except ImageError as exc:
                report_image(problems, ref, exc, site.config.root)


def study_pdf(root: Path, site: Site, study: CaseStudy, problems: Problems) -> bytes:
    """The PDF of one case study of `site` (the model of one language), alone, as the
    theme's `pdf.html` lays out the portfolio's: what `consent-request --preview` shows the
    client. Nothing is written but the cache."""
    config = site.config
    cache = Cache(config.root)
    theme = load_theme(config, problems)
    problems.raise_if_any()
    assert theme is not None
    fmt = Formatter(config.language, site_words(theme.dirs, config, config.language, problems))
    images, files = Images(cache, config.max_megapixels), Files()
    builder = PageBuilder(site, fmt, dict(theme.options), images, files, problems, cache=cache)
    assets = theme_static_files(theme, problems, config.root)
    dirs = template_dirs(config.root, theme, problems)
    renderer = Renderer(
        builder, dirs, fmt, _markdown(site, images, files, cache, problems), assets, problems, config.root,
        theme.dirs,
    )  # fmt: skip
    url = f"{site.urls.prefix}portfolio.pdf"
    route = Route(url, url, "pdf.html", study.title, data={"studies": (study,)}, noindex=True, sitemap=False)
    html = renderer.render(route)
    produced, failed = images.produce()
    for source, problem in failed:
        problems.error(site_relative(source, config.root), problem)
    problems.raise_if_any()
    assert html is not None
    text = (html if isinstance(html, bytes) else html.read_bytes()).decode("utf-8")
    out: dict[str, bytes | Path] = {**assets, **produced, **files.produce()}
    data = make_pdf(text, url, out, font_dir(theme.dirs), config.base_url, cache)
    cache.save()
    return data
