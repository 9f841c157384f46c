"""Every page the site has, with its URL, template and data (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .site import FACETS, Site
from .views import SitemapEntry

# The page of a case study behind a password: the theme's form and the encrypted page.
PROTECTED_TEMPLATE = "protected.html"


@dataclass(frozen=True)
class Route:
    output: str  # file written: case-studies/x/index.html
    url: str  # how pages link to it: case-studies/x/
    template: str
    title: str
    description: str | None = None
    source: str | None = None  # the content file, for error messages
    data: dict[str, Any] = field(default_factory=dict)
    noindex: bool = False
    sitemap: bool = True  # listed in sitemap.xml
    absolute_links: bool = False  # 404.html is served at any depth
    key: str = ""  # the same page in every language of the site (editions.py)
    translated: bool = True  # False: work shown in another language's pages as written


def routes(site: Site, pdf: bool = False) -> list[Route]:
    """The pages of the site, home first; feed and sitemap only with base_url; the PDFs
    with `pdf:` in portfolio.yaml (or `pdf`, for `portfolio pdf`)."""
    cfg = site.config
    urls = site.urls
    home = Route(f"{urls.home}index.html", urls.home, "home.html", cfg.title, cfg.author.headline, key="home")
    out = [home]
    out.append(
        Route(
            f"{urls.work_list}index.html",
            urls.work_list,
            "list.html",
            "",
            data={"studies": site.in_lists, "facet": None},
            key="work",
        )
    )
    for facet in FACETS:
        for value in site.facets[facet]:
            out.append(
                Route(
                    f"{value.url}index.html",
                    value.url,
                    "list.html",
                    value.name,
                    data={"studies": value.studies, "facet": value},
                    sitemap=False,
                    noindex=True,
                    key=f"facet:{facet}:{value.slug}",
                )
            )
    listed = list(site.listed)
    position = {s.source: i for i, s in enumerate(listed)}
    for study in site.studies:
        i = position.get(study.source, -1)
        newer = listed[i - 1] if i > 0 else None
        older = listed[i + 1] if 0 <= i < len(listed) - 1 else None
        hidden = study.unlisted or study.draft
        out.append(
            Route(
                f"{site.study_url(study)}index.html",
                site.study_url(study),
                "case-study.html",
                study.title,
                study.summary,
                study.source,
                {"study": study, "newer": newer, "older": older},
                # Shown as written in another language's pages: the original is the one to index.
                noindex=hidden or not study.translated,
                sitemap=not hidden and study.translated,
                key=f"study:{study.source}",
                translated=study.translated,
            )
        )
    for protected in site.protected:  # behind a password: in no sitemap, noindex
        card = protected.card
        out.append(
            Route(
                f"{site.study_url(card)}index.html",
                site.study_url(card),
                PROTECTED_TEMPLATE,
                card.title,
                None,
                card.source,
                {"protected": protected},
                noindex=True,
                sitemap=False,
                key=f"study:{card.source}",
                translated=card.translated,
            )
        )
    out.append(
        Route(
            f"{urls.results_list}index.html",
            urls.results_list,
            "results.html",
            "",
            data={"studies": [s for s in site.listed if s.metrics]},
            key="results",
        )
    )
    for page in site.pages:
        hidden = page.unlisted or page.draft
        out.append(
            Route(
                f"{site.page_url(page)}index.html",
                site.page_url(page),
                "page.html",
                page.title,
                page.summary,
                page.source,
                {"free_page": page},
                noindex=hidden or not page.translated,
                sitemap=not hidden and page.translated,
                key=f"page:{page.source}",
                translated=page.translated,
            )
        )
    for application in site.applications:  # private: in no list, feed or sitemap; noindex
        url = site.application_url(application)
        out.append(
            Route(
                f"{url}index.html",
                url,
                "application.html",
                f"{application.role} · {application.company}",
                None,
                application.source,
                {"application": application},
                noindex=True,
                sitemap=False,
                key=f"application:{application.source}",
            )
        )
    if cfg.pdf is not None or pdf:
        out += pdf_routes(site)
    out.append(
        Route("404.html", "404.html", "404.html", "", noindex=True, sitemap=False, absolute_links=True)
    )
    out.append(Route("assets/options.css", "assets/options.css", "options.css", "", sitemap=False))
    out.append(Route("robots.txt", "robots.txt", "robots.txt", "", sitemap=False))
    if cfg.base_url:
        entries = tuple(
            SitemapEntry(r.url, r.data["study"].date if "study" in r.data else None) for r in out if r.sitemap
        )
        out.append(
            Route("sitemap.xml", "sitemap.xml", "sitemap.xml", "", sitemap=False, data={"entries": entries})
        )
        out.append(Route(urls.feed, urls.feed, "feed.xml", "", sitemap=False, key="feed"))
    return out


def pdf_routes(site: Site) -> list[Route]:
    """The portfolio as a PDF, and each application's beside its page (pdf.py makes them
    from the HTML the `pdf.html` template renders)."""
    title = site.config.title
    out = [
        Route(
            f"{site.urls.prefix}portfolio.pdf",
            f"{site.urls.prefix}portfolio.pdf",
            "pdf.html",
            title,
            data={"studies": site.listed},
            noindex=True,
            sitemap=False,
        )
    ]
    for application in site.applications:
        url = site.application_url(application)
        out.append(
            Route(
                f"{url}portfolio.pdf",
                f"{url}portfolio.pdf",
                "pdf.html",
                f"{title} · {application.company}",
                source=application.source,
                # A private case study is never in a PDF, not even as its card.
                data={
                    "application": application,
                    "studies": tuple(s for s in site.chosen(application) if not s.locked),
                },
                noindex=True,
                sitemap=False,
            )
        )
    return out
