"""The Jinja environment (sandboxed) and every route rendered to bytes from its views.

Templates come from the user's site and from themes anyone can download, so they run in
Jinja's immutable sandbox and may read only views (views.py) and plain values: no file,
module, Python global or model object is in reach, and so no hidden client name either.
Every template file is read from inside its own folder; a symbolic link leading out is
refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2 import pass_context
from jinja2.runtime import Context, LoopContext, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from .applications import Application
from .cache import Cache, key_of
from .content import CaseStudy, Page
from .deadline import Deadline, PageTooSlow
from .errors import Problems
from .locale import Formatter
from .markdown import Document, MarkdownRenderer
from .pages import PageBuilder
from .reuse import CachedMarkdown, PageCache
from .routes import Route
from .site import relative_url
from .stages import Progress
from .themes import FALLBACK_TEMPLATES
from .views import VIEW_TYPES, Src

ASSETS = "assets"

# What a template may read attributes of: views, plain values and Jinja's own helpers.
_READABLE: tuple[type, ...] = (
    *VIEW_TYPES, str, Markup, int, float, bool, tuple, list, dict, dt.date,
    LoopContext, Namespace, Cycler, Joiner, Macro, Undefined,
)  # fmt: skip


# The largest string or list a `*` may make, and the largest number a `**` may: a page is
# never near that, and `{{ "x" * 10**10 }}` would take gigabytes before anything could stop it.
MAX_REPEAT = 1_000_000
MAX_POWER_BITS = 4096
# A page slower than this to render is a template that loops (nested ranges, say).
PAGE_SECONDS = 10.0
# A page larger than this is a template that repeats without end (10,000 cards are 10 MB).
MAX_PAGE_CHARS = 50_000_000
_WIDTH = re.compile(r"%[-#0 +]*(\d+)|%[-#0 +]*\d*\.(\d+)")


def _bounded(pad: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses a width or a format wider than a page: `center(10**9)`."""

    def bounded(*args: Any, **kwargs: Any) -> Any:
        if pad.__name__.endswith("format"):  # the widths written in the format string
            widths = [int(a or b) for a, b in _WIDTH.findall(str(args[0]))]
        else:  # the width given as a number
            values = [*args[1:], *kwargs.values()]
            widths = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
        if widths and max(widths) > MAX_REPEAT:
            raise jinja2.exceptions.SecurityError(
                f"a `{pad.__name__.removeprefix('do_')}` wider than {MAX_REPEAT:,}"
            )
        return pad(*args, **kwargs)

    if hasattr(pad, "jinja_pass_arg"):  # keep Jinja's mark: pass the environment or context
        bounded.jinja_pass_arg = pad.jinja_pass_arg  # type: ignore[attr-defined]
    bounded.__name__ = pad.__name__
    return bounded


def _too_big(text: str, method: str, args: tuple[Any, ...]) -> bool:
    """Whether str.`method`(*args) on `text` would make a string past MAX_REPEAT."""
    first = args[0] if args else None
    if method in ("ljust", "rjust", "center", "zfill"):
        return isinstance(first, int) and first > MAX_REPEAT
    if method == "expandtabs":
        return isinstance(first, int) and first * max(text.count("\t"), 1) > MAX_REPEAT
    if method == "replace" and len(args) >= 2 and isinstance(first, str) and isinstance(args[1], str):
        count = len(text) + 1 if first == "" else text.count(first)
        return count * len(args[1]) > MAX_REPEAT
    if method == "join" and isinstance(first, list | tuple):
        return len(text) * len(first) > MAX_REPEAT
    if method in ("format", "format_map"):
        return any(int(w) > MAX_REPEAT for w in re.findall(r"\{[^{}]*?:[^{}]*?(\d{7,})", text))
    return False


# Templates compiled in this process, by source: the preview compiles each one once, not at
# every save (4 templates took 0.26 s of a 0.5 s rebuild).
_COMPILED: dict[str, CodeType] = {}


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed to the template contract's types, with `*`, `**`
    and `%` bounded (Jinja then stops folding them at compile time, too)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, store: Cache | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.store = store  # compiled templates kept between builds, as Python source text
        # What shapes the generated code besides the source (autoescape is decided by name).
        self._settings = repr(
            [
                type(self).__qualname__, self.block_start_string, self.block_end_string,
                self.variable_start_string, self.variable_end_string, self.comment_start_string,
                self.comment_end_string, self.line_statement_prefix, self.line_comment_prefix,
                self.trim_blocks, self.lstrip_blocks, self.newline_sequence, self.keep_trailing_newline,
                sorted(self.intercepted_binops), sorted(self.intercepted_unops), self.optimized,
                sorted(self.extensions),
            ]
        )  # fmt: skip
        # The answer depends on the type and the name only; pages read half a million.
        self._safe: dict[tuple[type, str], bool] = {}
        self.globals.pop("lipsum", None)  # placeholder text, and a way to make megabytes
        for name in ("center", "indent", "wordwrap", "format"):  # filters that can pad
            self.filters[name] = _bounded(self.filters[name])

    def compile(  # type: ignore[override]
        self,
        source: str | jinja2.nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> str | CodeType:
        """Jinja's compile, remembered by the template's source: in this process as code, and
        in the cache as the Python source Jinja generates (text, not marshalled bytecode).
        Only the environment's own settings, which never change, shape that source."""
        if raw or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
        key = key_of("template", jinja2.__version__, source, name, filename, defer_init, self._settings)
        code = _COMPILED.get(key)
        if code is not None:
            return code
        text = self.store.get_json("templates", key) if self.store else None
        if not isinstance(text, str):
            text = str(super().compile(source, name, filename, raw=True, defer_init=defer_init))
            if self.store:
                self.store.put_json("templates", key, text)
        code = self._compile(text, filename or "<template>")
        _COMPILED[key] = code
        return code

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Calls, with str methods that pad or repeat bounded: `'x'.ljust(10**9)`."""
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and _too_big(owner, getattr(__obj, "__name__", ""), args):
            raise jinja2.exceptions.SecurityError(
                f"a `.{__obj.__name__}()` that makes more than {MAX_REPEAT:,} characters"
            )
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(count, int)
                if sized and len(seq) * count > MAX_REPEAT:
                    raise jinja2.exceptions.SecurityError(f"a `*` that makes more than {MAX_REPEAT:,} items")
        elif operator == "**":
            ints = isinstance(left, int) and isinstance(right, int) and abs(left) > 1
            if ints and right * abs(left).bit_length() > MAX_POWER_BITS:
                raise jinja2.exceptions.SecurityError("a `**` whose result is too large to compute")
        elif operator == "%" and isinstance(left, str):
            widths = [int(a or b) for a, b in _WIDTH.findall(left)]
            if widths and max(widths) > MAX_REPEAT:
                raise jinja2.exceptions.SecurityError("a `%` format wider than a page")
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = isinstance(obj, _READABLE) and super().is_safe_attribute(obj, attr, value)
            self._safe[key] = safe
        return safe


@dataclass(frozen=True)
class RenderedPages:
    """The pages of a site, and what the leak guard needs to say where a name came from."""

    pages: dict[str, bytes | Path]  # a page's bytes, or the cache file holding them
    sources: dict[str, tuple[str, str]]  # output -> (the template, " (the page of X)")


class ContainedLoader(jinja2.FileSystemLoader):
    """A file system loader that never reads a file whose real path leaves its folder."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except UnicodeDecodeError as exc:  # a template saved as Latin-1 or Windows-1252
            raise TemplateNotText(template, self._find(template), exc.start) from None
        real = os.path.realpath(filename)
        inside = any(
            Path(real).is_relative_to(os.path.realpath(folder))
            for folder in self.searchpath
            if Path(filename).is_relative_to(folder)
        )
        if not inside:
            raise TemplateOutside(template, filename)
        return source, filename, uptodate

    def _find(self, template: str) -> str:
        """The file that holds `template` (the first folder of the search path that has it)."""
        for folder in self.searchpath:
            path = Path(folder, *template.split("/"))
            if path.is_file():
                return str(path)
        return template


class TemplateNotText(jinja2.TemplateError):
    """A template file that is not UTF-8 text."""

    def __init__(self, name: str, filename: str, position: int) -> None:
        super().__init__(name)
        self.filename = filename
        self.position = position


class TemplateOutside(jinja2.TemplateError):
    """A template that is a link to a file outside its folder (not a TemplateNotFound: the
    next folder must not be tried instead)."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name)
        self.filename = filename


class Renderer:
    """Renders every route of a site through its theme; problems go to `problems`."""

    def __init__(
        self,
        builder: PageBuilder,
        template_dirs: list[Path],
        fmt: Formatter,
        markdown: MarkdownRenderer | CachedMarkdown,
        static: dict[str, Path],
        problems: Problems,
        site_root: Path,
        theme_dirs: tuple[Path, ...],
        pages: PageCache | None = None,
    ) -> None:
        self.builder = builder
        self.dirs = template_dirs  # the site's templates/, the theme, its parents, fallbacks
        self.theme_dirs = theme_dirs
        self.fmt = fmt
        self.markdown = markdown
        self.static = static
        self.problems = problems
        self.root = site_root
        self.pages = pages
        self._versions: dict[Path, str] = {}
        self.env = self._environment()

    # -- environment -----------------------------------------------------------------
    def template_source(self, name: str) -> str:
        """Where template `name` is read from: the site's templates/ or the theme's."""
        for folder in self.dirs:
            if (folder / name).is_file():
                return self._template_rel(str(folder / name))
        return f"the theme's {name}"

    def _environment(self) -> jinja2.Environment:
        theme_only = [str(d / "templates") for d in self.theme_dirs] + [str(FALLBACK_TEMPLATES)]
        # `default:base.html` reaches a theme of the chain by its folder's name (then its
        # parents): a theme that `extends` another builds on its parent's file of the same name.
        # Two of the chain with one name (a site's `default` extending the bundled one): the
        # name means the parent, so a child's `default:base.html` never reaches itself.
        by_name = {d.name: ContainedLoader(theme_only[i:]) for i, d in enumerate(self.theme_dirs)}
        loader = jinja2.ChoiceLoader(
            [
                # `theme/base.html` reaches the theme's file a site template overrides.
                jinja2.PrefixLoader({"theme": ContainedLoader(theme_only)}),
                jinja2.PrefixLoader(by_name, delimiter=":"),
                ContainedLoader([str(d) for d in self.dirs]),
            ]
        )
        env = Sandbox(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default=False),
            store=self.pages.cache if self.pages else None,
        )
        env.globals.update(t=self.fmt.word, url=_url, asset=self._asset, srcset=_srcset, absolute=_absolute)
        env.filters.update(date=self.fmt.date)
        return env

    @pass_context
    def _asset(self, ctx: Context, name: str) -> str:
        target = f"{ASSETS}/{name}"
        path = self.static.get(target)
        if path is None:
            raise KeyError(f"the theme has no static file {name!r}")
        if path not in self._versions:  # read once per build, not once per page
            self._versions[path] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        return str(_url(ctx, target)) + f"?v={self._versions[path]}"

    # -- rendering ---------------------------------------------------------------------
    def documents(self, routes: list[Route]) -> list[Document]:
        """The Markdown that rendering `routes` will read, in the order it will."""
        docs = [doc for route in routes if (doc := body_document(route)) is not None]
        docs += [doc for route in routes for doc in pdf_documents(route)]
        docs += [doc for r in routes if (doc := self._pitch_document(r)) is not None]
        return docs

    def render_all(self, routes: list[Route], progress: Progress | None = None) -> RenderedPages:
        """Every route to bytes, with what the leak guard needs to name a page's source; an
        error in one page is collected and the rest still render."""
        pages: dict[str, bytes | Path] = {}
        for route in routes:
            data = self.render(route)
            if data is not None:
                pages[route.output] = data
            if progress:
                progress.advance()
        sources = {
            route.output: (
                self.template_source(route.template),
                f" (the page of {route.source})" if route.source else "",
            )
            for route in routes
        }
        return RenderedPages(pages, sources)

    def render(self, route: Route) -> bytes | Path | None:
        """One page; from the page cache when everything its template sees is unchanged."""
        page, data = self.builder.page(route)
        context: dict[str, Any] = {"site": self.builder.site, "page": page, **data}
        doc = body_document(route)
        if doc is not None:
            context["body"] = Markup(self.markdown.render(doc))
        if route.template == "pdf.html":  # every case study's story, in one document, by its URL
            studies = [s for s in route.data.get("studies", ()) if isinstance(s, CaseStudy)]
            context["bodies"] = {
                self.builder.model.study_url(s): Markup(self.markdown.render(doc))
                for s, doc in zip(studies, pdf_documents(route), strict=True)
            }
        pitch = self._pitch_document(route)
        if pitch is not None:
            context["pitch"] = Markup(self.markdown.render(pitch))
        elif route.template in ("home.html", "application.html", "pdf.html"):
            context["pitch"] = Markup("")
        key = self.pages.key(route.output, route.template, context) if self.pages else ""
        if self.pages and (cached := self.pages.get(key)) is not None:
            return cached
        html = self._render_template(route, context)
        if html is None:
            return None
        try:
            out = html.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate: "\ud800" in a template or YAML
            self.problems.error(
                self.template_source(route.template),
                f"writes the character U+{ord(exc.object[exc.start]):04X}, half of a pair that "
                f"only means something whole, so the page cannot be saved as UTF-8 (rendering "
                f"{self._rendering(route)})",
                hint='look for an escape such as "\\ud800" in the template or in the front matter',
            )
            return None
        return self.pages.put(key, out, route.output) if self.pages else out

    def _render_template(self, route: Route, context: dict[str, Any]) -> str | None:
        try:
            with Deadline(PAGE_SECONDS):
                return _bounded_render(self.env.get_template(route.template), context)
        except PageTooBig:
            self.problems.error(
                self.template_source(route.template),
                f"makes a page of more than {MAX_PAGE_CHARS // 1_000_000} million characters "
                f"(rendering {self._rendering(route)})",
                hint="look for a loop that repeats a long text",
            )
        except PageTooSlow:
            where, line = self._template_frame()
            self.problems.error(
                where,
                f"took more than {PAGE_SECONDS:g} s to render one page, so it was stopped "
                f"(rendering {self._rendering(route)})",
                line,
                hint="look for a loop that runs far more often than the page has items",
            )
        except MemoryError:
            where, line = self._template_frame()
            self.problems.error(
                where,
                f"needed more memory than the machine has (rendering {self._rendering(route)})",
                line,
                hint="look for a loop or a filter that makes a very long text",
            )
        except TemplateOutside as exc:
            self.problems.error(
                self._template_rel(exc.filename),
                "is a link to a file outside its folder; templates are read only from inside "
                "templates/ and the theme",
                hint="copy the file in instead of linking to it",
            )
        except TemplateNotText as exc:
            self.problems.error(
                self._template_rel(exc.filename),
                f"is not UTF-8 text (byte {exc.position}); save it as UTF-8",
            )
        except jinja2.TemplateSyntaxError as exc:
            where = self._template_rel(exc.filename or exc.name or route.template)
            self.problems.error(where, f"template syntax error: {exc.message}", exc.lineno)
        except jinja2.TemplateNotFound as exc:
            self.problems.error(route.source or "theme", f"template not found: {exc.name}")
        except RecursionError:
            where, line = self._template_frame()
            self.problems.error(
                where,
                "a template includes, extends or calls itself without end (rendering "
                f"{self._rendering(route)})",
                line,
                hint="look for an include, an extends or a macro call that leads back here",
            )
        except jinja2.exceptions.SecurityError as exc:
            where, line = self._template_frame()
            self.problems.error(
                where,
                f"the template reaches for something templates may not use: {exc} (rendering "
                f"{self._rendering(route)})",
                line,
                hint="templates see the views documented in docs/themes.md",
            )
        except (
            jinja2.TemplateError,
            KeyError,
            TypeError,
            ValueError,
            AttributeError,
            ArithmeticError,
            AssertionError,  # Jinja's and Babel's checks of their arguments: `truncate(-5)`
        ) as exc:
            where, line = self._template_frame()  # a theme's mistake: name the template file:line
            during = f" (rendering {self._rendering(route)})"
            self.problems.error(where, f"{_describe(exc)}{during}", line)
        return None

    def _rendering(self, route: Route) -> str:
        """The file a page is made from, for messages: a translation's own file for the page
        of a second language (the problems of that language route to it)."""
        routes = getattr(self.problems, "routes", {})
        if route.source in routes:
            return str(routes[route.source][0])
        return route.source or route.output

    def _pitch_document(self, route: Route) -> Document | None:
        """The elevator pitch a page shows: the home page the author's, an application its
        own (or the author's)."""
        if route.template not in ("home.html", "application.html", "pdf.html"):
            return None
        app = route.data.get("application")
        if isinstance(app, Application) and app.pitch:
            line = app.lines.get("pitch", app.body_line)
            return Document(app.path, app.source, app.pitch, line, route.url)
        author = self.builder.config.author
        if not author.pitch:
            return None
        return Document(
            self.root / "portfolio.yaml",
            "portfolio.yaml",
            author.pitch,
            author.pitch_line or 1,
            route.url,
            language=self.builder.config.words_language("author.pitch"),
        )

    def _template_frame(self) -> tuple[str, int | None]:
        """The template file and line the exception being handled was raised in."""
        tb = sys.exc_info()[2]
        found: tuple[str, int | None] = ("theme", None)
        for frame in traceback.extract_tb(tb, limit=-200):
            if frame.filename.endswith((".html", ".xml", ".txt", ".svg", ".css")):
                found = (self._template_rel(frame.filename), frame.lineno)
        return found

    def _template_rel(self, filename: str) -> str:
        path = Path(filename)
        for base in (self.root, *(d.parent.parent for d in self.theme_dirs)):
            if path.is_relative_to(base):
                return path.relative_to(base).as_posix()
        return path.name


@pass_context
def _url(ctx: Context, target: str) -> str:
    """A link from the page being rendered to `target`, a site-relative path."""
    page = ctx["page"]
    if page.absolute_links:
        return str(page.base_path + target if "://" not in target else target)
    return relative_url(page.url, target)


@pass_context
def _absolute(ctx: Context, target: str) -> str:
    """`target` (site-relative) as a full address with base_url; empty without one."""
    base = ctx["site"].base_url
    return f"{base}{target}" if base else ""


@pass_context
def _srcset(ctx: Context, files: tuple[Src, ...]) -> str:
    """`a-480.webp 480w, a-960.webp 960w`, each URL relative to the page."""
    return ", ".join(f"{_url(ctx, f.url)} {f.width}w" for f in files)


class PageTooBig(Exception):
    """A page past MAX_PAGE_CHARS, stopped as it grew."""


def _bounded_render(template: jinja2.Template, context: dict[str, Any]) -> str:
    parts: list[str] = []
    size = 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > MAX_PAGE_CHARS:
            raise PageTooBig
        parts.append(chunk)
    return "".join(parts)


def pdf_documents(route: Route) -> list[Document]:
    """The PDF's case studies' bodies, with links and images made from the PDF's address."""
    if route.template != "pdf.html":
        return []
    return [
        Document(s.path, s.source, s.body, s.body_line, route.url, False, s.language)
        for s in route.data.get("studies", ())
        if isinstance(s, CaseStudy)
    ]


def body_document(route: Route) -> Document | None:
    """The Markdown body a route's page shows, if any."""
    item = route.data.get("study") or route.data.get("free_page") or route.data.get("application")
    if isinstance(item, Application):  # the cover note
        return Document(item.path, item.source, item.body, item.body_line, route.url, True, item.language)
    if not isinstance(item, CaseStudy | Page):
        return None
    # A free page, or a case study without a cover, leads with its first body image.
    lead = isinstance(item, Page) or item.cover is None
    return Document(item.path, item.source, item.body, item.body_line, route.url, lead, item.language)


def _describe(exc: Exception) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        # `'portfolio.views.StudyView object' has no attribute 'x'`: say it in docs/themes.md's words.
        found = re.fullmatch(r"'portfolio\.views\.(\w+) object' has no attribute '(\w+)'", exc.message or "")
        if found:
            return f"undefined variable: {found[1]} has no field `{found[2]}` (docs/themes.md lists them)"
        return f"undefined variable: {exc.message}"
    if isinstance(exc, KeyError):
        return str(exc.args[0]) if exc.args else "missing key"
    return f"{type(exc).__name__}: {exc}"
