"""The site in each of its languages: one model and one set of pages per language, and
what links them (a page's translations, the sitemap's alternates). Pure.

A site with `languages: [fr, en]` has two editions: French at the root, English under
en/. Files every host needs once (404.html, robots.txt, the sitemap, the theme's options)
belong to the first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import Problems
from .routes import Route
from .site import Site
from .views import Alternate, SitemapEntry

# Each language named in its own words, for the language switcher, and its Open Graph locale.
ENDONYMS = {"en": "English", "fr": "Français"}
LOCALES = {"en": "en_GB", "fr": "fr_FR"}
_SHARED = {"404.html", "options.css", "robots.txt", "sitemap.xml"}


Alternates = dict[str, dict[str, tuple[Alternate, ...]]]  # language -> page key -> versions


@dataclass(frozen=True)
class Edition:
    """One language of the site."""

    language: str
    site: Site
    routes: tuple[Route, ...]
    problems: Problems  # where this language's problems go (translations.Routed)


def link(editions: list[Edition], base_url: str | None) -> Alternates:
    """For each language, each page's key -> every language's version of it (the page's own
    first): the language switcher and, for translated pages, hreflang."""
    by_key: dict[str, dict[str, Route]] = {}
    for edition in editions:
        for route in edition.routes:
            if route.key:
                by_key.setdefault(route.key, {})[edition.language] = route
    homes = {e.language: e.site.urls.home for e in editions}
    out: Alternates = {}
    for edition in editions:
        mine: dict[str, tuple[Alternate, ...]] = {}
        for route in edition.routes:
            if not route.key or len(editions) < 2:
                continue
            versions = by_key.get(route.key, {})
            alternates = []
            for other in editions:
                found = versions.get(other.language)
                url = found.url if found is not None else homes[other.language]
                translated = found is not None and found.translated
                alternates.append(
                    Alternate(
                        language=other.language,
                        locale=LOCALES.get(other.language, other.language),
                        name=ENDONYMS.get(other.language, other.language),
                        url=url,
                        absolute=f"{base_url}{url}" if base_url and translated else None,
                        current=other.language == edition.language,
                    )
                )
            alternates.sort(key=lambda a: not a.current)
            mine[route.key] = tuple(alternates)
        out[edition.language] = mine
    return out


def connect(editions: list[Edition], base_url: str | None) -> tuple[list[Edition], Alternates]:
    """The editions as the site publishes them: the files a site has once in the first
    only, the sitemap of every language; and each page's versions in every language."""
    if len(editions) < 2:
        return editions, {e.language: {} for e in editions}
    first, *others = editions
    editions = [first] + [
        replace(e, routes=tuple(r for r in e.routes if r.template not in _SHARED)) for e in others
    ]
    alternates = link(editions, base_url)
    return _sitemap(editions, alternates), alternates


def _sitemap(editions: list[Edition], alternates: Alternates) -> list[Edition]:
    """The first edition's sitemap lists every language's pages, each with its translations."""
    if len(editions) < 2:
        return editions
    entries = []
    for edition in editions:
        for route in edition.routes:
            if route.sitemap:
                lastmod = route.data["study"].date if "study" in route.data else None
                versions = alternates[edition.language].get(route.key, ())
                entries.append(SitemapEntry(route.url, lastmod, tuple(a for a in versions if a.absolute)))
    first = editions[0]
    every = {"entries": tuple(entries)}
    routes = tuple(replace(r, data=every) if r.template == "sitemap.xml" else r for r in first.routes)
    return [replace(first, routes=routes), *editions[1:]]
