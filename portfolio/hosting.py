"""Files the hosts read from the output folder, written into every build.

- `.nojekyll`: GitHub Pages publishes the folder as it is (Jekyll would drop `_`-files).
- `_headers` (Netlify, Cloudflare Pages): how long browsers keep each file, `noindex` for
  pages shown on request, and a Content-Security-Policy that allows exactly what the site
  loads: its own files, the analytics service and the contact form's address when the user
  configured them, and the outside files the pages were found to load (links.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from .config import Analytics, SiteConfig
from .errors import Problems
from .routes import Route

# Folders whose file names carry a digest of their bytes: a new file gets a new name.
HASHED_FOLDERS = ("images", "social")
LONG = "public, max-age=31536000, immutable"
SHORT = "public, max-age=0, must-revalidate"  # always asked again; unchanged costs a 304
ASSETS = "public, max-age=3600"  # the theme's files: versioned in links, but not all of them
MAX_RULES = 100  # Cloudflare Pages reads no more

_ANALYTICS = {  # provider -> (default script, the addresses it sends visits to)
    "goatcounter": ("https://gc.zgo.at/count.js", ()),
    "plausible": ("https://plausible.io/js/script.js", ()),
    "umami": ("https://cloud.umami.is/script.js", ("https://api-gateway.umami.dev",)),
}


def add_host_files(
    files: dict[str, bytes | Path],
    config: SiteConfig,
    routes: list[Route],
    loads: Iterable[str],
    problems: Problems,
) -> None:
    """Add `.nojekyll` and `_headers` to the site, unless the user's static/ has its own."""
    files.setdefault(".nojekyll", b"")
    if "_headers" not in files:
        files["_headers"] = headers(files, config, routes, loads, problems).encode()


def content_security_policy(config: SiteConfig, loads: Iterable[str]) -> str:
    """The policy the site meets: its own files only, plus what the user configured."""
    policy: dict[str, list[str]] = {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "frame-src": [],
        "object-src": [],
        "form-action": [],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
    for directive, source in _analytics_sources(config.analytics):
        policy[directive].append(source)
    contact = config.contact
    if contact and contact.provider == "netlify":
        policy["form-action"].append("'self'")  # Netlify takes the post on the page's own URL
    elif contact and contact.form:
        policy["form-action"].append(_form_source(contact.form))
    for load in loads:
        directive, _, source = load.partition(" ")
        if directive in policy and source:
            policy[directive].append(source)
    parts = []
    for directive, sources in policy.items():
        unique = list(dict.fromkeys(sources)) or ["'none'"]
        parts.append(f"{directive} {' '.join(unique)}")
    return "; ".join(parts)


def _analytics_sources(analytics: Analytics | None) -> list[tuple[str, str]]:
    if analytics is None:
        return []
    default, collectors = _ANALYTICS[analytics.provider]
    script = _origin(analytics.script or default)
    found = [("script-src", script), ("connect-src", script)]
    if analytics.provider == "goatcounter":  # counts go to the site's own GoatCounter address
        found += [(d, f"https://{analytics.site}.goatcounter.com") for d in ("connect-src", "img-src")]
    if not analytics.script:
        found += [("connect-src", c) for c in collectors]
    return found


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _form_source(url: str) -> str:
    """The form's address as a CSP source: exactly that address (less its query)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"


def headers(
    files: Mapping[str, bytes | Path],
    config: SiteConfig,
    routes: list[Route],
    loads: Iterable[str],
    problems: Problems,
) -> str:
    """The `_headers` file: one block per path pattern. Hosts join the values of a header
    set by two matching rules, so each path gets its Cache-Control from one rule only."""
    rules: list[tuple[str, list[str]]] = [
        (
            "/*",
            [
                f"Content-Security-Policy: {content_security_policy(config, loads)}",
                "X-Content-Type-Options: nosniff",
                "Referrer-Policy: strict-origin-when-cross-origin",
            ],
        )
    ]
    tops = sorted({rel.split("/", 1)[0] for rel in files if "/" in rel})
    for folder in HASHED_FOLDERS:
        if folder in tops:
            rules.append((f"/{folder}/*", [f"Cache-Control: {LONG}"]))
    if "assets" in tops:
        rules.append(("/assets/*", [f"Cache-Control: {ASSETS}"]))
    pages: list[tuple[str, list[str]]] = []
    if "index.html" in files:
        pages.append(("/", [f"Cache-Control: {SHORT}"]))
    for name in sorted(rel for rel in files if "/" not in rel and rel.endswith(".html")):
        pages.append((f"/{name}", [f"Cache-Control: {SHORT}"]))
    skip = {*HASHED_FOLDERS, "assets"}
    html_folders = sorted({rel.split("/", 1)[0] for rel in files if "/" in rel and rel.endswith(".html")})
    pages += [(f"/{folder}/*", [f"Cache-Control: {SHORT}"]) for folder in html_folders if folder not in skip]
    hidden = [(pattern, ["X-Robots-Tag: noindex"]) for pattern in _noindex_patterns(routes)]
    if len({p for p, _ in [*rules, *pages, *hidden]}) > MAX_RULES:
        pages = []  # the hosts' own default for pages is already short
    if len({p for p, _ in [*rules, *hidden]}) > MAX_RULES:
        problems.warn(
            "_headers",
            f"has {len({p for p, _ in [*rules, *hidden]})} rules, and Cloudflare Pages reads only the first "
            f"{MAX_RULES}: pages shown on request beyond them keep only their <meta> noindex",
        )
    out = [
        "# HTTP headers for Netlify and Cloudflare Pages, written by `portfolio build`.",
        "# To use your own, put a _headers file in static/: it replaces this one.",
    ]
    merged: dict[str, list[str]] = {}  # one block per pattern (/404.html: cache and noindex)
    for pattern, lines in [*rules, *pages, *hidden]:
        merged.setdefault(pattern, []).extend(lines)
    for pattern, lines in merged.items():
        out.append(pattern)
        out += [f"  {line}" for line in lines]
    return "\n".join(out) + "\n"


def _noindex_patterns(routes: list[Route]) -> list[str]:
    """Path patterns of the pages marked noindex: work shown on request, filter pages,
    applications, 404. An application's address holds its token: only the folder of all
    applications is named (`/for/*`), never one of them."""
    patterns: dict[str, None] = {}
    for route in routes:
        if not route.noindex:
            continue
        if route.template == "list.html" or "application" in route.data:
            # A filter page, or an application (its page, its PDF): one rule for the folder
            # that holds all of them.
            folder = route.url if route.url.endswith("/") else route.url.rsplit("/", 1)[0] + "/"
            parent = folder.rstrip("/").rsplit("/", 1)[0]
            patterns[f"/{parent}/*"] = None
        elif route.url.endswith("/"):
            patterns[f"/{route.url}*"] = None
        else:
            patterns[f"/{route.url}"] = None
    return list(patterns)
