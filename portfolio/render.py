"""Theme search path, the Jinja environment, and every route rendered to bytes."""

from __future__ import annotations

import hashlib
import sys
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from jinja2 import pass_context
from markupsafe import Markup

from .cards import Cards
from .charts import chart_svg
from .content import CaseStudy, ImageRef, Page
from .errors import Problems
from .files import Files
from .images import ImageError, Images
from .locale import Formatter, load_words
from .markdown import Document, Hooks, MarkdownRenderer
from .metrics import Metric
from .paths import site_relative
from .routes import Route, routes
from .site import FacetValue, Site, headline, page_url, relative_url, study_url
from .slugs import slugify
from .themes import FALLBACK_TEMPLATES, Theme
from .views import view_metric

ASSETS = "assets"


class Renderer:
    """Renders every route of a site through its theme; problems go to `problems`."""

    def __init__(
        self,
        site: Site,
        theme: Theme,
        images: Images,
        files: Files,
        problems: Problems,
        dev: bool = False,
        cards: Cards | None = None,
    ) -> None:
        self.site = site
        self.cards = cards  # None: no link-preview cards (social_cards: false, no base_url)
        self.theme = theme
        self.images = images
        self.files = files
        self.problems = problems
        self.dev = dev
        cfg = site.config
        self.root = cfg.root
        words = load_words(list(theme.dirs), cfg.language)
        self.fmt = Formatter(cfg.language, words)
        self.static = self._static_files()
        self._versions: dict[Path, str] = {}
        self._charts: dict[int, Markup] = {}
        self.routes = routes(site)
        self.markdown = MarkdownRenderer(
            Hooks(
                content_dir=cfg.content_dir,
                site_root=cfg.root,
                link_targets=site.link_targets(),
                image=self.images.request,
                file_url=self.files.request,
                problems=problems,
            )
        )
        self.env = self._environment()
        self.site_view = self._site_view()

    # -- environment -----------------------------------------------------------
    def template_dirs(self) -> list[Path]:
        dirs = [self.root / "templates"] if (self.root / "templates").is_dir() else []
        return dirs + [d / "templates" for d in self.theme.dirs] + [FALLBACK_TEMPLATES]

    def template_source(self, name: str) -> str:
        """Where template `name` is read from: the site's templates/ or the theme's."""
        for folder in self.template_dirs():
            if (folder / name).is_file():
                return self._template_rel(str(folder / name))
        return f"the theme's {name}"

    def _environment(self) -> jinja2.Environment:
        theme_only = [str(d / "templates") for d in self.theme.dirs] + [str(FALLBACK_TEMPLATES)]
        loader = jinja2.ChoiceLoader(
            [
                # `theme/base.html` reaches the theme's file a site template overrides.
                jinja2.PrefixLoader({"theme": jinja2.FileSystemLoader(theme_only)}),
                jinja2.FileSystemLoader([str(d) for d in self.template_dirs()]),
            ]
        )
        env = jinja2.Environment(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default=False),
        )
        env.globals.update(
            t=self.fmt.word,
            url=_url,
            asset=self._asset,
            image=self._image,
            metric=lambda m: view_metric(m, self.fmt),
            headline=self._headline,
            study_url=study_url,
            page_url=page_url,
            pitch=self._pitch,
            absolute=self._absolute,
            facet_value=self._facet_value,
            chart=self._chart,
            file=self.files.request,
        )
        env.filters.update(
            date=self.fmt.date,
            number=self.fmt.number,
            amount=lambda v, unit=None, decimals=0: self.fmt.amount(v, unit, decimals),
            platform=platform_name,
        )
        return env

    def _static_files(self) -> dict[str, Path]:
        """Theme static files, parents first so a child theme overrides file by file."""
        files: dict[str, Path] = {}
        for theme_dir in reversed(self.theme.dirs):
            static = theme_dir / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file() and not path.name.startswith("."):
                        files[f"{ASSETS}/{path.relative_to(static).as_posix()}"] = path
        return files

    # -- template helpers ------------------------------------------------------
    @pass_context
    def _asset(self, ctx: Any, name: str) -> str:
        target = f"{ASSETS}/{name}"
        path = self.static.get(target)
        if path is None:
            raise KeyError(f"the theme has no static file {name!r}")
        if path not in self._versions:  # read once per build, not once per page
            self._versions[path] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        return _url(ctx, target) + f"?v={self._versions[path]}"

    @pass_context
    def _image(self, ctx: Any, ref: ImageRef | None) -> dict[str, Any] | None:
        if ref is None:
            return None
        try:
            img = self.images.request(ref.source)
        except ImageError as exc:
            report_image(self.problems, ref, exc, self.root)
            return None
        fallback, modern = img.srcsets(lambda url: _url(ctx, url))
        sources = [{"type": kind, "srcset": srcset} for kind, srcset in modern]
        return {
            "src": _url(ctx, img.url),
            "path": img.url,
            "width": img.width,
            "height": img.height,
            "srcset": fallback,
            "sources": sources,
            "alt": ref.alt or "",
            "caption": ref.caption,
            "credit": ref.credit,
        }

    @pass_context
    def _pitch(self, ctx: Any) -> str:
        author = self.site.config.author
        if not author.pitch:
            return ""
        doc = Document(
            self.root / "portfolio.yaml",
            "portfolio.yaml",
            author.pitch,
            author.pitch_line or 1,
            ctx["page"]["url"],
        )
        return self.markdown.render(doc)

    def _chart(self, metric: Metric) -> Markup:
        """A series drawn as inline SVG (charts.py), cached per build: the results page and
        the case study draw the same one."""
        key = id(metric)
        if key not in self._charts:
            self._charts[key] = Markup(chart_svg(metric, self.fmt))
        return self._charts[key]

    def _headline(self, study: CaseStudy) -> Any:
        m = headline(study)
        return view_metric(m, self.fmt) if m else None

    def _facet_value(self, facet: str, value: str) -> FacetValue | None:
        """The filter page of a channel or skill, when listed work has it."""
        slug = slugify(value)
        return next((v for v in self.site.facets.get(facet, ()) if v.slug == slug), None)

    def _absolute(self, url: str) -> str | None:
        base = self.site.config.base_url
        return base + url if base else None

    # -- rendering -------------------------------------------------------------
    def render_all(self) -> dict[str, bytes]:
        """Every route to bytes; an error in one page is collected and the rest still render."""
        out: dict[str, bytes] = {}
        for route in self.routes:
            html = self.render(route)
            if html is not None:
                out[route.output] = html.encode("utf-8")
        return out

    def render(self, route: Route) -> str | None:
        body_html = ""
        item = route.data.get("study") or route.data.get("free_page")
        if isinstance(item, CaseStudy | Page):
            # A free page, or a case study without a cover, leads with its first body image.
            lead = isinstance(item, Page) or item.cover is None
            body_html = self.markdown.render(
                Document(item.path, item.source, item.body, item.body_line, route.url, lead)
            )
        page = self._page(route)
        context = {"site": self.site_view, "page": page, "body": body_html, **route.data}
        try:
            template = self.env.get_template(route.template)
            return template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            where = self._template_rel(exc.filename or exc.name or route.template)
            self.problems.error(where, f"template syntax error: {exc.message}", exc.lineno)
        except jinja2.TemplateNotFound as exc:
            self.problems.error(route.source or "theme", f"template not found: {exc.name}")
        except (
            jinja2.TemplateError,
            KeyError,
            TypeError,
            ValueError,
            AttributeError,
            ArithmeticError,
        ) as exc:  # a theme's mistake: name the template file:line
            where, line = self._template_frame()
            during = f" (rendering {route.source or route.output})"
            self.problems.error(where, f"{_describe(exc)}{during}", line)
        return None

    def _template_frame(self) -> tuple[str, int | None]:
        tb = sys.exc_info()[2]
        found: tuple[str, int | None] = ("theme", None)
        for frame in traceback.extract_tb(tb):
            if frame.filename.endswith((".html", ".xml", ".txt", ".svg")):
                found = (self._template_rel(frame.filename), frame.lineno)
        return found

    def _template_rel(self, filename: str) -> str:
        path = Path(filename)
        for base in (self.root, *(d.parent.parent for d in self.theme.dirs)):
            if path.is_relative_to(base):
                return path.relative_to(base).as_posix()
        return path.name

    def _page(self, route: Route) -> dict[str, Any]:
        cfg = self.site.config
        title = route.title or {
            "list.html": self.fmt.word("nav.work"),
            "results.html": self.fmt.word("nav.results"),
            "404.html": self.fmt.word("notfound.title"),
        }.get(route.template, cfg.title)
        base_path = urlsplit(cfg.base_url).path if cfg.base_url else "/"
        return {
            "url": route.url,
            "output": route.output,
            "title": title,
            "description": route.description,
            "template": route.template,
            "canonical": self._absolute(route.url) if not route.noindex else None,
            "noindex": route.noindex,
            "absolute_links": route.absolute_links,
            "base_path": base_path,
            "sitemap": route.sitemap,
            "dev": self.dev,
            "draft": bool(getattr(route.data.get("study") or route.data.get("free_page"), "draft", False)),
            "card": self._card(route, title),
        }

    def _card(self, route: Route, title: str) -> dict[str, Any] | None:
        """The link-preview card of the home page, a case study or a free page."""
        if self.cards is None or route.template not in ("home.html", "case-study.html", "page.html"):
            return None
        cfg = self.site.config
        accent = self.theme.options.get("accent")
        accent = accent if isinstance(accent, str) and accent.startswith("#") else "#1d4ed8"
        host = urlsplit(cfg.base_url).hostname if cfg.base_url else None
        study = route.data.get("study")
        metric = label = kind = role = None
        cover = cfg.author.avatar if route.template == "home.html" else None
        if isinstance(study, CaseStudy):
            m = headline(study)
            if m is not None:
                view = view_metric(m, self.fmt)
                shown = (
                    view.relative
                    if m.confidential
                    else (view.after or view.value or (view.rows[-1][1] if view.rows else ""))
                )
                metric, label = shown or None, m.label
            role, kind = study.role, self.fmt.word(f"kind.{study.kind}")
            cover = study.cover.source if study.cover else None
        if cover is not None and cover.suffix.lower() == ".svg":
            cover = None  # Pillow cannot draw vector art: the card goes without a picture
        heading = cfg.author.headline or cfg.title if route.template == "home.html" else title
        url = self.cards.request(
            route.output, heading, cfg.author.name, role, metric, label, kind, host, accent, cover
        )
        return {"path": url, "width": 1200, "height": 630, "alt": heading}

    def _site_view(self) -> dict[str, Any]:
        cfg = self.site.config
        return {
            "title": cfg.title,
            "language": cfg.language,
            "base_url": cfg.base_url,
            "author": cfg.author,
            "options": dict(self.theme.options),
            "nav": self.site.nav,
            "analytics": cfg.analytics,
            "studies": self.site.studies,
            "listed": self.site.listed,
            "featured": self.site.featured,
            "facets": self.site.facets,
            "pages": self.site.pages,
            "resume": self.files.request(cfg.author.resume) if cfg.author.resume else None,
            "avatar": ImageRef(cfg.author.avatar, cfg.author.name) if cfg.author.avatar else None,
            "sitemap_routes": [r for r in self.routes if r.sitemap],
        }


def report_image(problems: Problems, ref: ImageRef, exc: ImageError, root: Path) -> None:
    """A broken image, at the file, line and field that name it (or at the image itself)."""
    where = site_relative(ref.source, root)
    if ref.origin:
        problems.error(ref.origin, f"{where} {exc}", ref.line, ref.field)
    else:
        problems.error(where, str(exc))


@pass_context
def _url(ctx: Any, target: Any) -> str:
    """A link from the page being rendered to `target` (a path, a study, a page, a facet)."""
    if isinstance(target, CaseStudy):
        target = study_url(target)
    elif isinstance(target, Page):
        target = page_url(target)
    elif isinstance(target, FacetValue):
        target = target.url
    page = ctx["page"]
    if page["absolute_links"]:
        return page["base_path"] + target if "://" not in target else target
    return relative_url(page["url"], target)


_PLATFORMS = {
    "tiktok.com": "TikTok",
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "instagram.com": "Instagram",
    "vimeo.com": "Vimeo",
    "linkedin.com": "LinkedIn",
    "facebook.com": "Facebook",
    "x.com": "X",
    "twitter.com": "X",
    "threads.net": "Threads",
    "pinterest.com": "Pinterest",
}


def platform_name(link: str) -> str:
    """`https://www.tiktok.com/@a/video/1` -> `TikTok`; otherwise the host name."""
    host = (urlsplit(link).hostname or "").removeprefix("www.").removeprefix("m.")
    for domain, name in _PLATFORMS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return host


def _describe(exc: Exception) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"undefined variable: {exc.message}"
    if isinstance(exc, KeyError):
        return str(exc.args[0]) if exc.args else "missing key"
    return f"{type(exc).__name__}: {exc}"
