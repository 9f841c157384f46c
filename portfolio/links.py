"""The link check: in the finished site, every internal link, image, `srcset` entry, CSS
`url()` and `#fragment` leads somewhere, and every outside address is well formed.

Each output file is read once for what it links to (`Found`), remembered in the cache by the
digest of its name and bytes, so a rebuild reads only the files that changed. Checking that
what a file links to exists is then a set lookup per link, done on every build: a page that
disappears breaks the links to it even when the pages linking to it did not change.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .cache import Cache, key_of
from .errors import Problems
from .paths import site_relative
from .routes import Route

LINK_FORMAT = "links/2"  # bumped when what `Found` holds changes meaning
# Files read for links: pages, stylesheets, the feed and sitemap, robots.txt.
_READ = (".html", ".htm", ".css", ".xml")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass(frozen=True)
class Found:
    """What one output file links to, as data the cache keeps."""

    ids: tuple[str, ...] = ()  # the #fragments it offers: ids and <a name>
    needs: tuple[tuple[str, str], ...] = ()  # (output path, fragment) of every internal link
    external: tuple[str, ...] = ()  # the http(s) addresses it links to
    loads: tuple[str, ...] = ()  # "img-src https://host": what it loads from other sites
    outside: tuple[str, ...] = ()  # internal addresses that leave the site's folder
    malformed: tuple[tuple[str, str], ...] = ()  # (address, what is wrong with it)

    def data(self) -> list[Any]:
        """As JSON data; the links as two lists (paths, fragments), which read back fast."""
        paths, fragments = [p for p, _ in self.needs], [f for _, f in self.needs]
        return [self.ids, paths, fragments, self.external, self.loads, self.outside, self.malformed]

    @classmethod
    def of(cls, data: Any) -> Found:
        """From the cache's JSON; raises ValueError or TypeError on anything else."""
        ids, paths, fragments, external, loads, outside, malformed = data
        texts = [ids, paths, fragments, external, loads, outside]
        if not all(isinstance(t, list) and set(map(type, t)) <= {str} for t in texts):
            raise TypeError("not a list of text")
        if len(paths) != len(fragments):
            raise ValueError("paths and fragments differ in length")
        return cls(
            tuple(ids),
            tuple(zip(paths, fragments, strict=True)),
            tuple(external),
            tuple(loads),
            tuple(outside),
            tuple((str(a), str(w)) for a, w in malformed),
        )


@dataclass
class LinkReport:
    """What the check found in the whole site."""

    files_read: int = 0  # files read this build (the others were known by their digest)
    links: int = 0  # internal links checked
    external: dict[str, list[str]] = field(default_factory=dict)  # address -> pages linking to it
    loads: set[str] = field(default_factory=set)  # CSP sources the pages need: "img-src https://x"
    reporter: _Reporter | None = field(default=None, repr=False)  # names sources in messages

    def warn_dead(self, url: str, why: str, problems: Problems) -> None:
        """A warning at the file that links to `url` (`check --external` found it dead)."""
        if self.reporter is None:
            return
        hint = "update or remove the link; web.archive.org may have a copy to link to instead"
        self.reporter.problems = problems
        for page in self.external.get(url, [])[:1] or [""]:
            self.reporter.report(True, page, url, f"the link {{}} {why}", hint, pages=self.external.get(url))
        self.reporter.flush()


@dataclass(frozen=True)
class Origins:
    """Where each output file comes from, to name it in a message."""

    root: Path  # the site folder
    pages: Mapping[str, tuple[str, str]]  # output -> (its template, " (the page of X)")
    routes: list[Route]
    static: set[str]  # outputs copied from the user's static/
    # The user's template folders (the site's templates/, a theme of their own), searched
    # for a broken link's line only when there is one: a clean build reads none of them.
    templates: tuple[Path, ...] = ()


# -- reading one file ---------------------------------------------------------------------

_TAGS = (
    r"<(?:!--.*?-->"
    r"|(?P<raw>script|style|textarea|title)\b(?P<raw_attrs>[^<>]*)>(?P<body>.*?)</(?P=raw)\s*>"
    r"|(?P<tag>a|area|link|img|source|video|audio|track|iframe|embed|object|form|input|meta|use"
    r"|image|button)\b(?P<attrs>[^<>]*)>)"
)
_HTML = re.compile(_TAGS, re.S)
_HTML_ANY_CASE = re.compile(_TAGS, re.S | re.I)  # 3x slower: only for files that need it
_UPPER_TAG = re.compile(r"</?[A-Z]")
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
# `id=` is searched as a literal (fast), then kept where a space precedes it (not `data-id=`).
_ID_TEXT = r"""id\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"""
_ID = re.compile(_ID_TEXT)
_ID_ANY_CASE = re.compile(_ID_TEXT, re.I)
_CSS_URL = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')"""
)
_XML_LINK = re.compile(r"<(?:\w+:)?loc>\s*([^<\s]+)\s*</(?:\w+:)?loc>|<link\b[^<>]*?\bhref=\"([^\"]*)\"")
_META_LINKS = {"og:image", "og:image:url", "og:image:secure_url", "og:url", "twitter:image", "og:video"}
_FONTS = (".woff", ".woff2", ".ttf", ".otf", ".eot")


def _attrs(text: str) -> dict[str, str]:
    found = {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _ATTR.finditer(text)}
    return {k: html.unescape(v) if "&" in v else v for k, v in found.items()}


def _srcset(value: str) -> list[str]:
    """The addresses of a srcset: `a.jpg 480w, b.jpg 960w` -> [a.jpg, b.jpg]."""
    return [c.split()[0] for c in re.split(r",\s+|,(?=\S*\s)", value.strip()) if c.strip()]


def _css_refs(text: str) -> Iterator[tuple[str, str]]:
    for m in _CSS_URL.finditer(text):
        value = next((g for g in m.groups() if g is not None), "")
        if value.strip():
            yield ("stylesheet" if m[4] is not None or m[5] is not None else "url()", value.strip())


def refs(out_path: str, text: str) -> tuple[list[tuple[str, str]], set[str]]:
    """Every (kind, address) a file refers to, and the fragments it offers."""
    found: list[tuple[str, str]] = []
    ids: set[str] = set()
    if out_path.endswith(".css"):
        return list(_css_refs(text)), ids
    if out_path.endswith(".xml"):
        return [("link", m[1] or html.unescape(m[2])) for m in _XML_LINK.finditer(text)], ids
    if out_path.endswith(".txt"):  # robots.txt: its Sitemap lines
        return [("link", m[1]) for m in re.finditer(r"(?im)^\s*sitemap:\s*(\S+)", text)], ids
    any_case = bool(_UPPER_TAG.search(text))
    for m in (_ID_ANY_CASE if any_case else _ID).finditer(text):
        if m.start() and text[m.start() - 1].isspace():
            ids.add(html.unescape(m[1] or m[2] or m[3] or ""))
    for m in (_HTML_ANY_CASE if any_case else _HTML).finditer(text):
        raw = (m["raw"] or "").lower()
        if raw == "script":
            src = _attrs(m["raw_attrs"]).get("src")
            if src:
                found.append(("script", src))
        elif raw == "style":
            found += _css_refs(m["body"])
        tag = (m["tag"] or "").lower()
        if not tag:
            continue
        a = _attrs(m["attrs"])
        if tag in ("a", "area"):
            if "href" in a:
                found.append(("link", a["href"]))
            if "name" in a and tag == "a":
                ids.add(a["name"])
        elif tag == "link" and "href" in a:
            rel = a.get("rel", "").lower().split()
            if not {"preconnect", "dns-prefetch"} & set(rel):
                kind = "stylesheet" if "stylesheet" in rel else "icon" if "icon" in rel else "link"
                found.append((kind, a["href"]))
        elif tag in ("img", "source", "input"):
            if a.get("src"):
                found.append(("image", a["src"]))
            found += [("image", u) for u in _srcset(a.get("srcset", ""))]
        elif tag == "video":
            found += [(k, a[n]) for n, k in (("src", "video"), ("poster", "image")) if a.get(n)]
        elif tag in ("audio", "track", "iframe", "embed") and a.get("src"):
            found.append((tag, a["src"]))
        elif tag == "object" and a.get("data"):
            found.append(("object", a["data"]))
        elif tag == "form":
            found.append(("form", a.get("action", "")))
        elif tag == "button" and a.get("formaction"):
            found.append(("form", a["formaction"]))
        elif tag in ("use", "image"):
            target = a.get("href") or a.get("xlink:href")
            if target:
                found.append(("image" if tag == "image" else "link", target))
        elif tag == "meta":
            name = (a.get("property") or a.get("name") or "").lower()
            if name in _META_LINKS and a.get("content"):
                found.append(("image" if "image" in name else "link", a["content"]))
            elif a.get("http-equiv", "").lower() == "refresh":
                refresh = re.search(r"url\s*=\s*['\"]?([^'\"]+)", a.get("content", ""), re.I)
                if refresh:
                    found.append(("link", refresh[1].strip()))
    return found, ids


@dataclass(frozen=True)
class Target:
    """Where an address leads: `kind` internal (path, fragment), external, outside,
    malformed (why) or other (mailto:, data:...: nothing to check)."""

    kind: str
    path: str = ""
    fragment: str = ""
    why: str = ""


def resolve(page: str, address: str, base_url: str | None) -> Target:
    """Where `address`, written in the output file `page`, leads."""
    address = address.strip()
    scheme = _SCHEME.match(address)
    if (scheme and scheme[1].lower() in ("http", "https")) or address.startswith("//"):
        if base_url and address.startswith(base_url):  # an absolute address of the site itself
            return resolve(page, "/" + address[len(base_url) :], None)
        if base_url and address.startswith("//") and ("https:" + address).startswith(base_url):
            return resolve(page, "/" + ("https:" + address)[len(base_url) :], None)
        full = address if scheme else "https:" + address
        why = malformed(full)
        return Target("malformed", why=why) if why else Target("external", address, why=_local(full))
    if scheme:
        name = scheme[1].lower()
        rest = address[len(scheme[0]) :]
        if name == "mailto" and "@" not in rest.split("?")[0]:
            return Target("malformed", why="has no email address after mailto:")
        if name == "tel" and not re.fullmatch(r"[+\d\s().\-/]{3,}", unquote(rest)):
            return Target("malformed", why="is not a phone number")
        return Target("other")
    parts = address.split("#", 1)
    fragment = unquote(parts[1]) if len(parts) > 1 else ""
    path = unquote(parts[0].split("?", 1)[0])
    if not path:
        return Target("internal", page, fragment)
    if path.startswith("/"):
        base_path = urlsplit(base_url).path if base_url else "/"
        if not path.startswith(base_path):
            why = f"starts at the server's root, outside the site's folder {base_path}"
            return Target("outside", why=why)
        joined = path[len(base_path) :]
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    folder = path.endswith("/") or path.endswith("/.") or path in (".", "..")
    target = posixpath.normpath(joined) if joined else "."
    if target == ".." or target.startswith("../") or target.startswith("/"):
        return Target("outside", why="leads outside the site's folder")
    if folder or target == ".":
        target = "index.html" if target == "." else target + "/index.html"
    return Target("internal", target, fragment)


_HOST_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")


def malformed(url: str) -> str:
    """What is wrong with an http(s) address ('' when it is well formed)."""
    if any(c.isspace() for c in url) or any(c in url for c in '<>"{}|\\^`'):
        return "has a space or a character addresses cannot hold"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        _ = parts.port
    except ValueError:
        return "has a host or port that cannot be read"
    if not host:
        return "names no site after //"
    if re.fullmatch(r"[\d.]+|[0-9a-f:]+", host) or host == "localhost":
        return ""  # an IP address, or this computer (warned about by _local)
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return "has a host name that cannot be spelt"
    labels = ascii_host.rstrip(".").split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return "has no domain such as example.com after //"
    if labels[-1].isdigit():
        return "has a domain ending in a number"
    return ""


def _local(url: str) -> str:
    """Why readers cannot follow an address on the writer's own computer ('' for others)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in ("localhost", "::1", "0.0.0.0") or host.startswith("127.") or host.endswith(".local"):
        return "points to your own computer, which readers cannot reach"
    return ""


def extract(out_path: str, text: str, base_url: str | None) -> Found:
    """What one file links to, resolved: the part of the check a digest can remember."""
    found, ids = refs(out_path, text)
    needs: dict[tuple[str, str], None] = {}
    external: dict[str, None] = {}
    loads: dict[str, None] = {}
    outside: dict[str, None] = {}
    bad: dict[tuple[str, str], None] = {}
    for kind, address in found:
        if not address.strip() and kind == "form":
            needs[(out_path, "")] = None  # a form without action posts to its own page
            continue
        target = resolve(out_path, address, base_url)
        if target.kind == "internal":
            needs[(target.path, target.fragment)] = None
            if kind == "form":
                loads["form-action 'self'"] = None
        elif target.kind == "external":
            if target.why:
                bad[(address, target.why)] = None
            if kind in ("link", "form"):
                external[address.split("#")[0] if kind == "link" else address] = None
            directive = _directive(kind, address)
            if directive:
                loads[f"{directive} {_origin(address, directive)}"] = None
        elif target.kind == "outside":
            outside[address] = None
        elif target.kind == "malformed":
            bad[(address, target.why)] = None
    return Found(
        tuple(sorted(ids)),
        tuple(needs),
        tuple(external),
        tuple(sorted(loads)),
        tuple(outside),
        tuple(bad),
    )


def _directive(kind: str, address: str) -> str | None:
    """The CSP directive that allows loading `address` as `kind`; None for a mere link."""
    if kind == "url()":
        return "font-src" if urlsplit(address).path.lower().endswith(_FONTS) else "img-src"
    return {
        "image": "img-src",
        "icon": "img-src",
        "video": "media-src",
        "audio": "media-src",
        "track": "media-src",
        "script": "script-src",
        "stylesheet": "style-src",
        "iframe": "frame-src",
        "embed": "object-src",
        "object": "object-src",
        "form": "form-action",
    }.get(kind)


def _origin(address: str, directive: str) -> str:
    """`https://host` of an address (the whole address, less its query, for a form)."""
    parts = urlsplit(address if address[:2] != "//" else "https:" + address)
    if directive == "form-action":
        return f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"
    return f"{parts.scheme}://{parts.netloc}"


# -- the whole site -------------------------------------------------------------------------


def check_links(
    files: Mapping[str, bytes | Path],
    origins: Origins,
    base_url: str | None,
    cache: Cache | None,
    problems: Problems,
) -> LinkReport:
    """Check every link of the site about to be written; broken ones are errors naming the
    file they come from (and its line, from Markdown), malformed outside addresses warnings."""
    report = LinkReport()
    memo_key = key_of(LINK_FORMAT, str(origins.root), base_url)
    known = _load(cache, memo_key)
    now: dict[str, list[Any]] = {}
    found: dict[str, Found] = {}
    digest_of = cache.digests.digest if cache is not None else _file_digest
    for out_path in sorted(files):
        if not out_path.endswith(_READ) and out_path != "robots.txt":
            continue
        value = files[out_path]
        body = value if isinstance(value, bytes) else None
        content = hashlib.sha256(body).hexdigest() if body is not None else digest_of(value)  # type: ignore[arg-type]
        digest = hashlib.sha256(f"{out_path}\0{content}".encode()).hexdigest()
        entry = known.get(digest)
        item: Found | None = None
        if entry is not None:
            try:
                item = Found.of(entry)
            except (ValueError, TypeError):
                item = None  # a damaged entry: read the file again
        if item is None:
            item = extract(out_path, _text(value), base_url)
            report.files_read += 1
        found[out_path] = item
        now[digest] = item.data()
    if cache is not None and set(now) != set(known):
        cache.put_json("links", memo_key, now)
    _verify(files, found, origins, base_url, problems, report)
    return report


def _verify(
    files: Mapping[str, bytes | Path],
    found: dict[str, Found],
    origins: Origins,
    base_url: str | None,
    problems: Problems,
    report: LinkReport,
) -> None:
    names = set(files)
    # After an earlier error (an image that could not be made), the files it would have made
    # are missing: that error says why, so the links to them are not reported again.
    excused = _GENERATED if problems.errors else ()
    unmade = {r.output for r in origins.routes} - names if problems.errors else set()  # failed pages
    ids = {path: set(item.ids) for path, item in found.items() if path.endswith((".html", ".htm"))}
    broken: dict[str, list[tuple[str, str]]] = {}  # page -> [(path, fragment)]
    for page, item in found.items():
        for url in item.external:
            report.external.setdefault(url, []).append(page)
        report.loads.update(item.loads)
        report.links += len(item.needs)
        for path, fragment in item.needs:
            target = path if path in names else f"{path}/index.html"
            if target not in names and (path.startswith(excused) or {path, target} & unmade):
                continue
            if target not in names or (fragment and target in ids and not _offers(ids[target], fragment)):
                broken.setdefault(page, []).append((path, fragment))
    reporter = report.reporter = _Reporter(files, origins, base_url, problems, ids)
    for page, failures in broken.items():
        reporter.broken(page, set(failures))
    for page, item in found.items():
        for address in item.outside:
            reporter.outside(page, address)
        for address, why in item.malformed:
            reporter.malformed(page, address, why)
    reporter.flush()


_GENERATED = ("images/", "files/", "social/")


def _offers(ids: set[str], fragment: str) -> bool:
    """Whether a page has the #fragment (#top and text fragments need no element)."""
    return fragment in ids or fragment.lower() == "top" or fragment.startswith(":~:")


_KIND_WORDS = {
    "link": "the link",
    "image": "the image",
    "icon": "the icon",
    "stylesheet": "the stylesheet",
    "script": "the script",
    "video": "the video",
    "audio": "the audio file",
    "track": "the captions file",
    "iframe": "the embedded page",
    "embed": "the embedded file",
    "object": "the embedded file",
    "form": "the form's address",
    "url()": "the url()",
}


class _Reporter:
    """Turns broken links into messages at the file that wrote them: a Markdown file and
    line, the user's static/ file, or the template (once, with the pages it broke)."""

    def __init__(
        self,
        files: Mapping[str, bytes | Path],
        origins: Origins,
        base_url: str | None,
        problems: Problems,
        ids: dict[str, set[str]],
    ) -> None:
        self.files = files
        self.origins = origins
        self.base_url = base_url
        self.problems = problems
        self.ids = ids
        self.route_of = {r.output: r for r in origins.routes}
        self._texts: dict[str, str] = {}
        self._template_files: list[Path] | None = None
        # A template's problem, once for all the pages it shows on: by its file, line and
        # address as written there when found, else by the page's template and the message.
        self.grouped: dict[tuple[object, ...], _Group] = {}

    def broken(self, page: str, failures: set[tuple[str, str]]) -> None:
        text = _text(self.files[page])
        kinds, _ = refs(page, text)
        done: set[str] = set()
        for kind, address in kinds:
            target = resolve(page, address, self.base_url)
            key = (target.path, target.fragment)
            if target.kind != "internal" or key not in failures or address in done:
                continue
            done.add(address)
            what = _KIND_WORDS.get(kind, "the link")
            exists = target.path in self.files or f"{target.path}/index.html" in self.files
            if not exists:
                message = f"{what} {{}} leads to {target.path}, which the site does not have"
                hint = "check the spelling and the number of ../ (links start from the page's folder)"
                if address.split("#")[0].lower().endswith(".md"):
                    hint = f"a link to another content file is written in Markdown: [text]({address})"
            else:
                page_file = target.path if target.path in self.ids else f"{target.path}/index.html"
                where = "this page" if page_file == page else page_file
                message = f"{what} {{}}: {where} has no anchor #{target.fragment}"
                close = difflib.get_close_matches(target.fragment, sorted(self.ids.get(page_file, ())), n=1)
                hint = (
                    f"did you mean #{close[0]}?"
                    if close
                    else "a heading's anchor is its text in lower case, with hyphens: "
                    "## What I did -> #what-i-did"
                )
            self.report(False, page, address, message, hint, kind="anchor" if exists else "missing")

    def outside(self, page: str, address: str) -> None:
        why = resolve(page, address, self.base_url).why
        self.report(False, page, address, f"the link {{}} {why}", "use a link relative to the page", kind=why)

    def malformed(self, page: str, address: str, why: str) -> None:
        self.report(True, page, address, f"the address {{}} {why}", "", kind=why)

    def report(
        self,
        warning: bool,
        page: str,
        address: str,
        message: str,
        hint: str,
        pages: list[str] | None = None,
        kind: str = "",
    ) -> None:
        """`message` has {} where the address goes: as the user wrote it, where we know.
        `pages`: every page showing the address (the first is searched for its source).
        `kind`: what is wrong, the same on every page (`message` may name the page's target)."""
        source, line, written = self._source(page, address)
        if source is not None:
            text = message.replace("{}", repr(written), 1)
            (self.problems.warn if warning else self.problems.error)(source, text, line, hint=hint)
            return
        # A template's link: once for all the pages it broke, at the line that writes it.
        found = self._in_templates(page, address)
        if found is not None:
            template, line, written = found
            key: tuple[object, ...] = (warning, template, line, written, kind or message)
        else:  # not written as such (a variable, a theme's own file): the page's template
            template, _ = self.origins.pages.get(
                page, (f"the theme's static/{page.removeprefix('assets/')}", "")
            )
            line, key = None, (warning, template, message, hint)
        group = self.grouped.setdefault(key, _Group(warning, template, line, message, hint, address))
        group.pages.extend(pages or [page])

    def flush(self) -> None:
        grouped, self.grouped = self.grouped, {}
        for group in grouped.values():
            pages = group.pages
            on = f" (on {pages[0]})" if len(pages) == 1 else f" (on {len(pages)} pages, e.g. {pages[0]})"
            text = group.message.replace("{}", repr(group.address), 1) + on
            say = self.problems.warn if group.warning else self.problems.error
            say(group.source, text, group.line, hint=group.hint)

    def _in_templates(self, page: str, address: str) -> tuple[str, int, str] | None:
        """The user's template file that writes `address` (the page's own template first),
        its line, and the address as written there; None when none writes it as such. Read
        only for a broken link, as the leak guard pinpoints a name (leakguard.pinpoint)."""
        patterns = _template_patterns(address, resolve(page, address, self.base_url))
        route = self.route_of.get(page)
        own = [d / route.template for d in self.origins.templates] if route else []
        for path in sorted(self._templates(), key=lambda p: p not in own):
            text = self._read(str(path))
            for pattern in patterns:
                m = pattern.search(text)
                if m:
                    return site_relative(path, self.origins.root), text.count("\n", 0, m.start()) + 1, m[0]
        return None

    def _templates(self) -> list[Path]:
        if self._template_files is None:
            self._template_files = [
                p
                for folder in self.origins.templates
                if folder.is_dir()
                for p in sorted(folder.rglob("*"))
                if p.is_file() and not p.is_symlink()
            ]
        return self._template_files

    def _source(self, page: str, address: str) -> tuple[str | None, int | None, str]:
        """The user's file that wrote `address` on `page`, its line, and the address as it
        is written there (`other.md#x` for the page's `../other/#x`), if one did."""
        if page in self.origins.static:
            line, _ = _line_of(_text(self.files[page]), [address])
            return f"static/{page}", line, address
        route = self.route_of.get(page)
        candidates = [route.source] if route and route.source else []
        if (route and route.template == "home.html") or "://" in address:
            candidates.append("portfolio.yaml")  # the pitch, the author's links
        for rel in candidates:
            line, written = _line_of(self._read(rel), _needles(address))
            if line is not None:
                return rel, line, written
        return None, None, address

    def _read(self, rel: str) -> str:
        if rel not in self._texts:
            try:
                self._texts[rel] = (self.origins.root / rel).read_text(encoding="utf-8", errors="replace")
            except OSError:
                self._texts[rel] = ""
        return self._texts[rel]


@dataclass
class _Group:
    """One problem of a template, and the pages it shows on."""

    warning: bool
    source: str
    line: int | None
    message: str
    hint: str
    address: str  # as the first page shows it
    pages: list[str] = field(default_factory=list)


def _template_patterns(address: str, target: Target) -> list[re.Pattern[str]]:
    """How a template may write an address a page shows: for a page of the site, by `url()`
    or `absolute()` with its site-relative path (`url("contact/")` -> `../contact/`), or as
    such (a whole attribute value or quoted text, not part of a longer address)."""
    whole = r"(?<![^\s\"'(=])(?:{})(?![^\s\"')>])"
    written = dict.fromkeys([address, html.escape(address, quote=False), html.escape(address)])
    literal = re.compile(whole.format("|".join(map(re.escape, written))))
    patterns = []
    if target.kind == "internal":
        path = target.path
        stems = dict.fromkeys([path, path.removesuffix("index.html"), path.removesuffix("/index.html")])
        hash_ = f"#{target.fragment}" if target.fragment else ""
        paths = "|".join(re.escape(stem + hash_) for stem in stems)
        patterns.append(re.compile(rf"""\b(?:url|absolute)\(\s*(["'])/?(?:{paths})\1\s*\)"""))
    # url() first: its argument is also the address a page at the site's root shows, and
    # the call is what every page's error must be grouped by.
    return [*patterns, literal]


def _needles(address: str) -> list[str]:
    """What a Markdown file would have written for an address the page shows: the address
    itself, or its #fragment (a link to another file becomes that page's URL)."""
    needles = [address, html.escape(address), unquote(address)]
    if "#" in address:
        needles.append("#" + address.split("#", 1)[1])
    return [n for n in needles if len(n) >= 2]


def _line_of(text: str, needles: list[str]) -> tuple[int | None, str]:
    """The line of the first needle found, and the whole address written around it."""
    for needle in needles:
        at = text.find(needle)
        if at >= 0:
            start = max(text.rfind(c, 0, at) for c in "(<\"' \n") + 1
            ends = (text.find(c, at + len(needle)) for c in ")>\"' \n")
            end = min((e for e in ends if e >= 0), default=len(text))
            return text.count("\n", 0, at) + 1, text[start:end] or needle
    return None, ""


def _text(value: bytes | Path) -> str:
    data = value if isinstance(value, bytes) else value.read_bytes()
    return data.decode("utf-8", errors="replace")


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load(cache: Cache | None, key: str) -> dict[str, Any]:
    if cache is None:
        return {}
    value = cache.get_json("links", key)
    return value if isinstance(value, dict) else {}
