"""Python-Markdown set up for case studies: links between content files, images, safe HTML."""

from __future__ import annotations

import difflib
import functools
import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown as md
import nh3
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import slugify as toc_slugify
from markdown.serializers import to_html_string
from markdown.treeprocessors import Treeprocessor

from .deadline import Deadline, PageTooSlow
from .errors import Problems
from .images import ImageError, PublishedImage
from .links import malformed
from .paths import is_image, publish_problem, resolve
from .site import relative_url
from .typography import french

_EXTENSIONS = ["tables", "fenced_code", "footnotes", "attr_list", "toc", "sane_lists", "smarty"]
# Ids the theme gives its own elements; a Markdown heading never takes one of them.
_THEME_IDS = ("main", "facts-title")
_THEME_ID_PREFIXES = ("study-", "site-")


def _heading_id(value: str, separator: str) -> str:
    slug = toc_slugify(value, separator)
    if slug in _THEME_IDS or slug.startswith(_THEME_ID_PREFIXES):
        slug = f"section-{slug}"
    return slug


_CONFIG: dict[str, dict[str, Any]] = {
    "tables": {"use_align_attribute": True},  # no style="" so a strict CSP holds
    "toc": {"permalink": False, "slugify": _heading_id},
    "smarty": {"smart_quotes": False},
}
# The title of a footnote's way back to its call, in the page's language ({}: its number).
_BACKLINK_TITLES = {"en": "Jump back to footnote {} in the text", "fr": "Revenir à l’appel de note {}"}
_SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_BODY_SIZES = "(min-width: 48rem) 44rem, 94vw"  # the prose column's width
_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "h1",
}
_ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes", "fetchpriority"},
    "source": {"srcset", "type", "sizes"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}


@dataclass
class Document:
    """Where one Markdown text comes from and which page will show it."""

    path: Path  # the Markdown file (relative links start from its folder)
    source: str  # for messages
    text: str
    first_line: int
    page_url: str
    # The page shows no image above the body: its first image loads at once, and first.
    lead_image: bool = False
    language: str = ""  # the language of its words, for typography ("": the site's)


@dataclass
class Hooks:
    """What the Markdown pass asks of the build: page URLs, images, files and reporting."""

    content_dir: Path
    site_root: Path
    link_targets: dict[Path, str]
    image: Callable[[Path], PublishedImage]  # Images.request: raises ImageError
    file_url: Callable[[Path], str]
    problems: Problems
    language: str = "en"  # the typography of the text (typography.py)


# Text inside these is code or data, never typeset.
_NOT_PROSE = {"code", "pre", "kbd", "samp", "script", "style", "math"}


class _Typography(Treeprocessor):
    """The language's typography in the text of the document (not in code, nor in URLs)."""

    def __init__(self, md_instance: md.Markdown, hooks: Hooks) -> None:
        super().__init__(md_instance)
        self.hooks = hooks

    doc: Document | None = None  # set for each document by MarkdownRenderer.render

    def run(self, root: etree.Element) -> None:
        language = (self.doc.language if self.doc else "") or self.hooks.language
        if language != "fr":
            return
        self._walk(root)

    def _walk(self, el: etree.Element) -> None:
        if el.tag in _NOT_PROSE:
            return
        if el.text:
            el.text = french(el.text)
        for child in el:
            self._walk(child)
            if child.tail:
                child.tail = french(child.tail)


class _Links(Treeprocessor):
    def __init__(self, md_instance: md.Markdown, hooks: Hooks) -> None:
        super().__init__(md_instance)
        self.hooks = hooks
        self.doc: Document | None = None
        self._lead_done = False  # the first image of the document was placed

    def run(self, root: etree.Element) -> None:
        self._lead_done = False
        self.raw_images()  # raw <img> tags too (they take the first-image priority first)
        # Listed first: _image wraps each image in a <picture>, which iter() would visit.
        for parent in list(root.iter()):
            for el in list(parent):
                if el.tag == "a" and el.get("href") is not None:
                    self._link(el)
                elif el.tag == "img" and el.get("src") is not None and parent.tag != "picture":
                    self._image(parent, el)
                elif el.tag in ("td", "th") and el.get("align"):
                    # A class instead of the obsolete align attribute (and no style="").
                    el.set("class", f"align-{el.attrib.pop('align')}")

    def _line(self, needle: str) -> int | None:
        doc = self.doc
        if doc is None:
            return None
        at = doc.text.find(needle)
        return doc.first_line + doc.text.count("\n", 0, at) if at >= 0 else doc.first_line

    def _resolve(self, target: str) -> tuple[Path | None, str]:
        assert self.doc is not None
        return resolve(unquote(target), self.doc.path.parent, self.hooks.content_dir, self.hooks.site_root)

    def _link(self, el: etree.Element) -> None:
        assert self.doc is not None
        href = el.get("href", "").strip()
        try:
            parts = urlsplit(href)
        except ValueError:  # `http://[x`: not an address any browser could follow
            self.hooks.problems.error(
                self.doc.source, f"the link {href!r} is not a valid web address", self._line(href)
            )
            el.attrib.pop("href")
            return
        if parts.scheme or href.startswith("//"):
            if parts.scheme.lower() not in _SAFE_SCHEMES:
                el.tag = "span"  # javascript:, data:, htp: ... never become links
                el.attrib.clear()
                self.hooks.problems.warn(
                    self.doc.source,
                    f"the link {href!r} is not a web, email or phone address; shown as plain text",
                    self._line(href),
                    hint=_scheme_hint(parts.scheme),
                )
            elif parts.scheme.lower() in ("http", "https") and (why := malformed(href)):
                el.tag = "span"  # the sanitiser would drop the address without a word
                el.attrib.clear()
                self.hooks.problems.warn(
                    self.doc.source, f"the link {href!r} {why}; shown as plain text", self._line(href)
                )
            return
        if not parts.path:  # #fragment on the same page
            return
        source, line = self.doc.source, self._line(parts.path)
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        real, problem = self._resolve(parts.path)
        if parts.path.lower().endswith(".md") and "outside the site" not in problem:
            url = self.hooks.link_targets.get(real) if real else None
            if url is None:
                what = "a draft, withheld or missing page" if real else "a missing file"
                self.hooks.problems.warn(
                    source, f"the link to {parts.path!r} leads to {what}; shown as plain text", line
                )
                el.tag = "span"
                el.attrib.clear()
                return
            el.set("href", relative_url(self.doc.page_url, url) + fragment)
            return
        if real is not None and (why := publish_problem(real, self.hooks.content_dir)):
            problem = f"the link to {parts.path!r}: {why}"
        if problem:
            self.hooks.problems.error(source, problem, line, hint=_address_hint(parts.path))
            el.attrib.pop("href")  # reported here: the link check need not report it again
            return
        assert real is not None
        try:
            url = self.hooks.image(real).url if is_image(real) else self.hooks.file_url(real)
        except ImageError as exc:
            self.hooks.problems.error(source, f"{parts.path!r} {exc}", line)
            el.attrib.pop("href")
            return
        el.set("href", relative_url(self.doc.page_url, url) + fragment)

    def _image(self, parent: etree.Element, el: etree.Element) -> None:
        published = self._publish(el.get("src", ""), el.get("alt", ""), el.get("title"), raw=False)
        index = list(parent).index(el)
        parent.remove(el)
        if published is not None:
            published.tail = el.tail
            parent.insert(index, published)
        elif el.tail:  # keep the text that followed the image
            if index:
                previous = parent[index - 1]
                previous.tail = (previous.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail

    def _publish(self, src: str, alt: str, title: str | None, raw: bool) -> etree.Element | None:
        """An image as published: a <picture> of its variants, an outside address kept with
        a warning, or None (an address that cannot load, or a file that cannot be published:
        reported)."""
        assert self.doc is not None
        src = src.strip()
        source, line = self.doc.source, self._line(src)
        el = etree.Element("img", {"src": src, "alt": alt})
        if title:
            el.set("title", title)
        try:
            parts = urlsplit(src)
        except ValueError:
            self.hooks.problems.error(source, f"the image {src!r} is not a valid address", line)
            return None
        if parts.scheme or src.startswith("//"):
            self.hooks.problems.warn(
                source,
                f"the image {src!r} loads from another site (a third-party request); put the file in "
                "content/images/",
                line,
            )
            return el if parts.scheme.lower() in ("http", "https") or src.startswith("//") else None
        real, problem = self._resolve(parts.path)
        if real is not None and (why := publish_problem(real, self.hooks.content_dir)):
            problem = f"the image {src!r}: {why}"
        if problem:
            self.hooks.problems.error(source, problem, line)
            return None
        assert real is not None
        try:
            img = self.hooks.image(real)
        except ImageError as exc:
            self.hooks.problems.error(source, f"the image {src!r} {exc}", line)
            return None
        if not alt:
            how = '<img alt="...">' if raw else f"![...]({src})"
            self.hooks.problems.warn(source, f"the image {src!r} has no alt text: write it in {how}", line)
        page = self.doc.page_url
        fallback, modern = img.srcsets(lambda url: relative_url(page, url))
        el.set("src", relative_url(page, img.url))
        if fallback:  # an SVG has one file for every width
            el.set("srcset", fallback)
            el.set("sizes", _BODY_SIZES)
        el.set("width", str(img.width))
        el.set("height", str(img.height))
        if self.doc.lead_image and not self._lead_done:
            el.set("fetchpriority", "high")  # the largest paint: no lazy loading
        else:
            el.set("loading", "lazy")
        self._lead_done = True
        el.set("decoding", "async")
        # AVIF and WebP for browsers that take them, the fallback for the rest.
        picture = etree.Element("picture")
        for kind, srcset in modern:
            etree.SubElement(picture, "source", {"type": kind, "srcset": srcset, "sizes": _BODY_SIZES})
        picture.append(el)
        return picture

    def raw_images(self) -> None:
        """Images written as raw HTML (`<img src=...>`) are published like Markdown ones."""
        stash = self.md.htmlStash
        for i, block in enumerate(stash.rawHtmlBlocks):
            if isinstance(block, str) and "<img" in block.lower():
                stash.rawHtmlBlocks[i] = _RAW_IMG.sub(self._raw_image, block)

    def _raw_image(self, match: re.Match[str]) -> str:
        attrs = {
            a["key"].lower(): html.unescape(a["v1"] or a["v2"] or a["v3"] or "")
            for a in _RAW_ATTRIBUTE.finditer(match[1])
        }
        published = self._publish(attrs.get("src", ""), attrs.get("alt", ""), attrs.get("title"), raw=True)
        return "" if published is None else to_html_string(published)


class _Extension(Extension):
    def __init__(self, hooks: Hooks) -> None:
        super().__init__()
        self.hooks = hooks
        self.processor: _Links | None = None
        self.typography: _Typography | None = None

    def extendMarkdown(self, md_instance: md.Markdown) -> None:
        self.processor = _Links(md_instance, self.hooks)
        # After inline parsing (20) and unescaping (0): links and images exist, in plain text.
        md_instance.treeprocessors.register(self.processor, "portfolio_links", -1)
        self.typography = _Typography(md_instance, self.hooks)
        md_instance.treeprocessors.register(self.typography, "portfolio_typography", -2)


class MarkdownRenderer:
    """One Markdown instance, reused with reset() (a new one per document costs ~1 ms)."""

    def __init__(self, hooks: Hooks) -> None:
        self.hooks = hooks
        self.ext = _Extension(hooks)
        self.md = md.Markdown(
            extensions=[*_EXTENSIONS, self.ext], extension_configs=_CONFIG, output_format="html"
        )
        self.footnotes = next(e for e in self.md.registeredExtensions if isinstance(e, FootnoteExtension))

    def _warn_raw_html(self, doc: Document) -> None:
        """Raw HTML is passed through, not rewritten: a local file in it would not publish."""
        for m in _RAW_LOCAL.finditer(doc.text):
            target = m[2]
            try:
                if urlsplit(target).scheme or target.startswith("//"):
                    continue
            except ValueError:
                continue
            line = doc.first_line + doc.text.count("\n", 0, m.start())
            how = "![alt](...)" if m[1].lower() == "img" else "[text](...)"
            self.hooks.problems.warn(
                doc.source,
                f"the raw HTML <{m[1].lower()}> pointing to "
                f"{target!r} is not published; write it in Markdown: {how}",
                line,
            )

    def render(self, doc: Document) -> str:
        """Markdown to sanitised HTML; problems are reported through the hooks."""
        assert self.ext.processor is not None
        found = _deep_brackets(doc.text)
        if found is not None:
            line, what = found
            self.hooks.problems.error(
                doc.source, f"{what}; Markdown would take minutes to read this", doc.first_line + line
            )
            return ""
        self._warn_raw_html(doc)
        language = doc.language or self.hooks.language
        self.footnotes.setConfig("BACKLINK_TITLE", _BACKLINK_TITLES.get(language, _BACKLINK_TITLES["en"]))
        self.ext.processor.doc = doc
        if self.ext.typography is not None:
            self.ext.typography.doc = doc
        self.md.reset()
        seconds = markdown_seconds(len(doc.text))
        try:
            with Deadline(seconds):
                html = self.md.convert(doc.text)
        except RecursionError:
            self.hooks.problems.error(
                doc.source, "the Markdown is nested too deeply to render (lists or quotes)", doc.first_line
            )
            return ""
        except PageTooSlow:  # a shape Python-Markdown reads in quadratic time
            self.hooks.problems.error(
                doc.source,
                f"took more than {seconds:.0f} s to read as Markdown ({len(doc.text) // 1000:,} KB), "
                "so it was stopped",
                doc.first_line,
                hint="look for a long run of *, _, [, (, | or footnotes that never close",
            )
            return ""
        return clean_html(html)


# Python-Markdown's link parsing slows down sharply with nested brackets (2,000 take over a
# second) and with links left open (`[a](` 20,000 times took 160 s: each one looks for its
# `)` to the end of the paragraph); real writing never opens more than a few at once.
MAX_BRACKET_DEPTH = 64
# Any other slow shape is stopped by time: a second for every 60 KB plus 5, twice what a real
# document of that size needs on a busy machine (a 1.3 MB one takes about 10 s).
MARKDOWN_SECONDS = 5.0
MARKDOWN_SECONDS_PER_MB = 15.0


def markdown_seconds(characters: int) -> float:
    """How long Markdown may take to read a document of that many characters."""
    return MARKDOWN_SECONDS + MARKDOWN_SECONDS_PER_MB * characters / 1_000_000


def _deep_brackets(text: str) -> tuple[int, str] | None:
    """The 0-based line where `[` nesting, or links left open (`](` without `)`), pass the
    limit within one paragraph, and what passed it; None when nothing does."""
    depth = opened = 0
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            depth = opened = 0
            continue
        opened += line.count("](") - line.count(")")
        if opened > MAX_BRACKET_DEPTH:
            return number, f"more than {MAX_BRACKET_DEPTH} links left open (`](` without its `)`)"
        opened = max(opened, 0)
        for char in line.replace("\\[", "").replace("\\]", ""):
            if char == "[":
                depth += 1
                if depth > MAX_BRACKET_DEPTH:
                    return number, f"more than {MAX_BRACKET_DEPTH} `[` open at once"
            elif char == "]" and depth:
                depth -= 1
    return None


# `[^<>]`, not `[^>]`: a scan stops at the next tag, so `<a<a<a...` costs one pass, not one
# pass per `<` (an 80 KB code block of them took 50 s).
_RAW_LOCAL = re.compile(r"""<(a)\b[^<>]*?\bhref\s*=\s*["']([^"'#<>][^"'<>]*)["']""", re.I)
_RAW_IMG = re.compile(r"<img\b([^<>]*)/?>", re.I)
_RAW_ATTRIBUTE = re.compile(
    r"""(?P<key>[^\s=/>"']+)\s*=\s*(?:"(?P<v1>[^"]*)"|'(?P<v2>[^']*)'|(?P<v3>[^\s>"']+))"""
)


def _scheme_hint(scheme: str) -> str:
    """A typed scheme (`htp:`, `http;`) next to the usual ones: say which was meant."""
    close = difflib.get_close_matches(scheme.lower(), ("https", "http", "mailto"), n=1, cutoff=0.5)
    return f"did you mean {close[0]}:?" if close else "links may start with https://, mailto: or tel:"


_BARE_DOMAIN = re.compile(r"[\w-]+\.(?:com|fr|org|net|io|co|uk|de|be|ch|ca)(?:/|$)")


def _address_hint(path: str) -> str:
    """A link read as a file of the site that was meant as an outside address."""
    if "@" in path and "/" not in path:
        return f"an email address needs mailto: in front, e.g. (mailto:{path})"
    if path.lower().startswith("www.") or _BARE_DOMAIN.match(path):
        return f"an outside address needs https:// in front, e.g. (https://{path})"
    return ""


def clean_html(html: str) -> str:
    """Keep only safe tags and attributes: no script, no on* handler, no javascript: URL."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_SAFE_SCHEMES,
        link_rel=None,
        strip_comments=True,
        attribute_filter=_own_classes,
    )


# Classes that hide text from readers are dropped from the body: the usual names of
# frameworks, and every class the bundled themes' CSS hides (`visually-hidden`, `lightbox`,
# ones hidden on narrow screens): `Hal<span class="lightbox">zz</span>den` reads "Halden"
# on screen, and the leak guard reads what is on screen.
_HIDING_CLASS = re.compile(
    r"(?i).*(hidden|hide|sr-only|screen-reader|invisible|offscreen|clip).*|d-none|none"
)
_CSS_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_HIDES = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|clip|opacity\s*:\s*0(?![.\d])|font-size\s*:\s*0(?![.\d])"
    r"|text-indent\s*:\s*-|width\s*:\s*[01]px|height\s*:\s*[01]px",
    re.I,
)


@functools.cache
def themes_hiding_classes() -> frozenset[str]:
    """Every class a rule of a bundled theme's CSS hides, in any media query."""
    from .themes import bundled_dir

    found: set[str] = set()
    for css in sorted(bundled_dir().glob("*/static/*.css")):
        for selectors, declarations in _CSS_RULE.findall(css.read_text(encoding="utf-8")):
            if _HIDES.search(declarations):
                found.update(re.findall(r"\.([\w-]+)", selectors))
    return frozenset(found)


def _own_classes(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "class":
        return value
    hiding = themes_hiding_classes()
    kept = [c for c in value.split() if not _HIDING_CLASS.fullmatch(c) and c not in hiding]
    return " ".join(kept) or None
