"""Routes, on the pure parts: where every kind of page lives, in one language and in two.

The site model (`build_site`), its routes (`routes`) and the editions of a bilingual site
(`connect`) are made from case studies, pages and applications in memory: no file, no
build. SPEC.md, Output and Languages: `case-studies/SLUG/`, the filter pages, `results/`,
free pages at the top, applications under `for/`, French segments with `urls: fr` (the
default on a French site), a second language under `/LANG/`; slugs and their collisions.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from portfolio.applications import Application
from portfolio.config import Author, PdfSettings, SiteConfig
from portfolio.content import CaseStudy, Client, Content, Page
from portfolio.editions import Edition, connect
from portfolio.errors import Problems
from portfolio.routes import Route, routes
from portfolio.site import Site, build_site, relative_url
from portfolio.slugs import slugify

ROOT = Path("/nowhere/site")  # never read: everything here is in memory
TODAY = dt.date(2025, 6, 1)
TOKEN = "q8Zt3kLw2mXa"


def study(slug: str = "tiktok-launch", **changes: Any) -> CaseStudy:
    fields: dict[str, Any] = {
        "source": f"content/case-studies/{slug}.md",
        "path": ROOT / f"content/case-studies/{slug}.md",
        "slug": slug,
        "slug_given": False,
        "title": "Relaunching {client} on TikTok",
        "date": dt.date(2025, 3, 10),
        "summary": "From 3k to 41k followers.",
        "kind": "agency",
        "role": "Social media strategist",
        "body": "Body.\n",
        "body_line": 12,
        "client": Client("Maison Lune", "granted"),
        "channels": ("TikTok",),
        "skills": ("Paid social",),
    }
    return CaseStudy(**{**fields, **changes})


def page(slug: str = "about", **changes: Any) -> Page:
    fields: dict[str, Any] = {
        "source": f"content/pages/{slug}.md",
        "path": ROOT / f"content/pages/{slug}.md",
        "slug": slug,
        "title": "About me",
        "body": "Hello.\n",
        "body_line": 4,
    }
    return Page(**{**fields, **changes})


def application(slug: str = "acme", **changes: Any) -> Application:
    fields: dict[str, Any] = {
        "source": f"content/applications/{slug}.md",
        "path": ROOT / f"content/applications/{slug}.md",
        "slug": slug,
        "company": "Acme",
        "role": "Growth lead",
        "token": TOKEN,
        "case_studies": ("tiktok-launch",),
        "skills": (),
        "pitch": None,
        "expires": None,
        "body": "Dear Acme,\n",
        "body_line": 8,
    }
    return Application(**{**fields, **changes})


def config(**changes: Any) -> SiteConfig:
    author = Author("Camille Martin", headline="Social media manager")
    return SiteConfig(root=ROOT, title="Camille Martin", author=author, **changes)


CONTENT = Content((study(),), (page(),), (application(),))


def site_of(cfg: SiteConfig, content: Content = CONTENT) -> tuple[Site, Problems]:
    problems = Problems()
    return build_site(cfg, content, problems, today=TODAY, environment={}), problems


def urls_by_template(found: list[Route] | tuple[Route, ...]) -> list[tuple[str, str]]:
    return [(r.template, r.url) for r in found]


# -- one language ----------------------------------------------------------------------------------

ENGLISH = [
    ("home.html", ""),
    ("list.html", "case-studies/"),
    ("list.html", "case-studies/kind/agency/"),
    ("list.html", "case-studies/channel/tiktok/"),
    ("list.html", "case-studies/skill/paid-social/"),
    ("case-study.html", "case-studies/tiktok-launch/"),
    ("results.html", "results/"),
    ("page.html", "about/"),
    ("application.html", f"for/acme-{TOKEN}/"),
    ("404.html", "404.html"),
    ("options.css", "assets/options.css"),
    ("robots.txt", "robots.txt"),
]
FRENCH = [
    ("home.html", ""),
    ("list.html", "etudes-de-cas/"),
    ("list.html", "etudes-de-cas/type/agence/"),
    ("list.html", "etudes-de-cas/canal/tiktok/"),
    ("list.html", "etudes-de-cas/competence/paid-social/"),
    ("case-study.html", "etudes-de-cas/tiktok-launch/"),
    ("results.html", "resultats/"),
    ("page.html", "about/"),
    ("application.html", f"for/acme-{TOKEN}/"),
    ("404.html", "404.html"),
    ("options.css", "assets/options.css"),
    ("robots.txt", "robots.txt"),
]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, ENGLISH),
        ({"language": "fr", "languages": ("fr",)}, FRENCH),  # urls: fr is a French site's default
        ({"language": "fr", "languages": ("fr",), "urls": "en"}, ENGLISH),
        ({"urls": "fr"}, FRENCH),
    ],
)
def test_every_kind_of_page_in_one_language(
    settings: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    site, problems = site_of(config(**settings))
    assert not problems.errors and not problems.warnings
    found = routes(site)
    assert urls_by_template(found) == expected
    for route in found:  # a page is written as index.html in its folder
        assert route.output == (
            route.url + "index.html" if route.url.endswith("/") or not route.url else route.url
        )


def test_feed_and_sitemap_need_base_url_and_list_the_indexable_pages() -> None:
    site, _ = site_of(config())
    assert {"feed.xml", "sitemap.xml"}.isdisjoint(r.url for r in routes(site))
    site, _ = site_of(config(base_url="https://camille.example/"))
    found = routes(site)
    assert [r.url for r in found[-2:]] == ["sitemap.xml", "feed.xml"]
    entries = [e.url for e in found[-2].data["entries"]]
    assert entries == ["", "case-studies/", "case-studies/tiktok-launch/", "results/", "about/"]


@pytest.mark.parametrize(
    ("template", "noindex"),
    [
        ("home.html", False),
        ("case-study.html", False),
        ("results.html", False),
        ("page.html", False),
        ("application.html", True),  # private: in no list, feed or sitemap
        ("404.html", True),
    ],
)
def test_what_search_engines_may_index(template: str, noindex: bool) -> None:
    site, _ = site_of(config(base_url="https://camille.example/"))
    (route,) = [r for r in routes(site) if r.template == template]
    assert route.noindex is noindex
    assert route.sitemap is not noindex


def test_filter_pages_are_noindex_and_outside_the_sitemap() -> None:
    site, _ = site_of(config())
    facets = [r for r in routes(site) if r.key.startswith("facet:")]
    assert len(facets) == 3 and all(r.noindex and not r.sitemap for r in facets)


@pytest.mark.parametrize(
    ("changes", "noindex"),
    [({}, False), ({"unlisted": True}, True), ({"translated": False}, True)],
)
def test_a_pages_own_flags(changes: dict[str, Any], noindex: bool) -> None:
    """Unlisted pages and work shown as written in another language are reachable but noindex."""
    site, _ = site_of(config(), Content((study(**changes),), (page(**changes),)))
    for template in ("case-study.html", "page.html"):
        (route,) = [r for r in routes(site) if r.template == template]
        assert (route.noindex, route.sitemap) == (noindex, not noindex)


@pytest.mark.parametrize(
    ("pdf_setting", "asked", "expected"),
    [
        (None, False, []),
        (PdfSettings("a4"), False, ["portfolio.pdf", f"for/acme-{TOKEN}/portfolio.pdf"]),
        (None, True, ["portfolio.pdf", f"for/acme-{TOKEN}/portfolio.pdf"]),  # portfolio pdf
    ],
)
def test_pdfs_beside_the_site_and_each_application(
    pdf_setting: PdfSettings | None, asked: bool, expected: list[str]
) -> None:
    site, _ = site_of(config(pdf=pdf_setting))
    found = [r for r in routes(site, pdf=asked) if r.template == "pdf.html"]
    assert [r.url for r in found] == expected
    assert all(r.noindex and not r.sitemap for r in found)


@pytest.mark.parametrize(
    ("changes", "built"),
    [
        ({}, True),
        ({"draft": True}, False),
        ({"expires": TODAY}, True),  # the last day it is shared
        ({"expires": TODAY - dt.timedelta(days=1)}, False),
    ],
)
def test_applications_built_today(changes: dict[str, Any], built: bool) -> None:
    site, _ = site_of(config(), Content((study(),), (), (application(**changes),)))
    assert any(r.template == "application.html" for r in routes(site)) is built


@pytest.mark.parametrize(
    ("kind", "english", "french"),
    [
        ("client", "kind/client", "type/client"),
        ("agency", "kind/agency", "type/agence"),
        ("freelance", "kind/freelance", "type/freelance"),
        ("volunteer", "kind/volunteer", "type/benevolat"),
        ("personal", "kind/personal", "type/personnel"),
        ("school", "kind/school", "type/ecole"),
    ],
)
def test_each_kind_of_work_has_its_filter_page(kind: str, english: str, french: str) -> None:
    content = Content((study(kind=kind),), ())
    for settings, expected in (
        ({}, f"case-studies/{english}/"),
        ({"urls": "fr"}, f"etudes-de-cas/{french}/"),
    ):
        site, _ = site_of(config(**settings), content)
        assert f"facet:kind:{kind}" in {r.key for r in routes(site)}
        assert [v.url for v in site.facets["kind"]] == [expected]


def test_facet_values_that_make_one_slug_are_one_page() -> None:
    """`Paid social` and `paid-social` are one filter page; a study is counted in it once."""
    content = Content(
        (
            study("a", skills=("Paid social", "paid-social")),
            study("b", skills=("PAID SOCIAL",), date=dt.date(2024, 1, 1)),
        ),
        (),
    )
    site, _ = site_of(config(), content)
    (skill,) = site.facets["skill"]
    assert (skill.name, skill.url, [s.slug for s in skill.studies]) == (
        "Paid social",
        "case-studies/skill/paid-social/",
        ["a", "b"],
    )


def test_c_plus_plus_and_c_sharp_are_not_c_and_the_common_spelling_names_a_page() -> None:
    """`C++`, `C#` and `C` are three skills (they all slugified to `c`); `TikTok` written so
    by two studies and `Tiktok` by one is one page, named `TikTok`."""
    content = Content(
        (
            study("a", skills=("C++", "Tiktok"), date=dt.date(2025, 3, 1)),
            study("b", skills=("C#", "TikTok"), date=dt.date(2024, 1, 1)),
            study("c", skills=("C", "TikTok"), date=dt.date(2023, 1, 1)),
        ),
        (),
    )
    site, _ = site_of(config(), content)
    found = {v.url: (v.name, len(v.studies)) for v in site.facets["skill"]}
    assert found == {
        "case-studies/skill/c-plus-plus/": ("C++", 1),
        "case-studies/skill/c-sharp/": ("C#", 1),
        "case-studies/skill/c/": ("C", 1),
        "case-studies/skill/tiktok/": ("TikTok", 3),
    }


def test_every_output_file_is_written_once() -> None:
    content = Content(
        (study("a"), study("b", unlisted=True), study("c", kind="school", client=None)),
        (page("about"), page("contact", nav=False)),
        (
            application("acme", case_studies=("a",)),
            application("globex", token="Zz9-Zz9-Zz9", case_studies=()),
        ),
    )
    site, problems = site_of(config(base_url="https://camille.example/", pdf=PdfSettings("a4")), content)
    assert not problems.errors
    outputs = [r.output for r in routes(site)]
    # home, list, 4 filters, 3 studies, results, 2 pages, 2 applications, 3 PDFs, 404,
    # options.css, robots.txt, sitemap and feed.
    assert len(outputs) == len(set(outputs)) == 22


# -- two languages ---------------------------------------------------------------------------------


def editions(**settings: Any) -> dict[str, list[tuple[str, str]]]:
    """Each language's pages as the site publishes them (connect: shared files once)."""
    cfg = config(base_url="https://camille.example/", **settings)
    made = []
    for language in cfg.languages:
        site, problems = site_of(cfg.in_language(language))
        assert not problems.errors
        made.append(Edition(language, site, tuple(routes(site)), problems))
    connected, _ = connect(made, cfg.base_url)
    return {e.language: urls_by_template(e.routes) for e in connected}


FIRST_FRENCH = [*FRENCH, ("sitemap.xml", "sitemap.xml"), ("feed.xml", "feed.xml")]
SECOND_ENGLISH = [
    ("home.html", "en/"),
    ("list.html", "en/case-studies/"),
    ("list.html", "en/case-studies/kind/agency/"),
    ("list.html", "en/case-studies/channel/tiktok/"),
    ("list.html", "en/case-studies/skill/paid-social/"),
    ("case-study.html", "en/case-studies/tiktok-launch/"),
    ("results.html", "en/results/"),
    ("page.html", "en/about/"),
    ("application.html", f"en/for/acme-{TOKEN}/"),
    ("feed.xml", "en/feed.xml"),  # each language its own feed; 404, robots and the sitemap once
]


def test_a_bilingual_site_french_first() -> None:
    found = editions(language="fr", languages=("fr", "en"))
    assert found == {"fr": FIRST_FRENCH, "en": SECOND_ENGLISH}


def test_a_bilingual_site_with_french_segments_in_both_languages() -> None:
    found = editions(language="fr", languages=("fr", "en"), urls="fr")
    assert found["fr"] == FIRST_FRENCH
    assert found["en"] == [(template, _french_segments(url)) for template, url in SECOND_ENGLISH]
    assert ("case-study.html", "en/etudes-de-cas/tiktok-launch/") in found["en"]


def _french_segments(url: str) -> str:
    for english, french in (
        ("case-studies", "etudes-de-cas"),
        ("results", "resultats"),
        ("/kind/agency/", "/type/agence/"),
        ("/channel/", "/canal/"),
        ("/skill/", "/competence/"),
    ):
        url = url.replace(english, french)
    return url


def test_a_bilingual_site_english_first() -> None:
    found = editions(language="en", languages=("en", "fr"))
    assert found["en"] == [*ENGLISH, ("sitemap.xml", "sitemap.xml"), ("feed.xml", "feed.xml")]
    assert found["fr"][:8] == [
        ("home.html", "fr/"),
        ("list.html", "fr/etudes-de-cas/"),
        ("list.html", "fr/etudes-de-cas/type/agence/"),
        ("list.html", "fr/etudes-de-cas/canal/tiktok/"),
        ("list.html", "fr/etudes-de-cas/competence/paid-social/"),
        ("case-study.html", "fr/etudes-de-cas/tiktok-launch/"),
        ("results.html", "fr/resultats/"),
        ("page.html", "fr/about/"),
    ]


def test_a_page_has_one_key_in_every_language() -> None:
    """The same key in each edition: how a page finds its translation (hreflang, switcher)."""
    cfg = config(language="fr", languages=("fr", "en"))
    keys = []
    for language in cfg.languages:
        site, _ = site_of(cfg.in_language(language))
        keys.append({r.key: r.url for r in routes(site) if r.key})
    french, english = keys
    assert french.keys() == english.keys()
    assert french["study:content/case-studies/tiktok-launch.md"] == "etudes-de-cas/tiktok-launch/"
    assert english["study:content/case-studies/tiktok-launch.md"] == "en/case-studies/tiktok-launch/"


# -- slugs and their collisions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "slug"),
    [
        ("Étude été", "etude-ete"),
        ("Lancement TikTok — Maison Lune", "lancement-tiktok-maison-lune"),
        ("café_crème", "cafe-creme"),
        ("2024 Q3 report", "2024-q3-report"),
    ],
)
def test_a_slug_from_a_file_name_is_its_url(file_name: str, slug: str) -> None:
    assert slugify(file_name) == slug
    site, _ = site_of(config(), Content((study(slugify(file_name)),), ()))
    assert f"case-studies/{slug}/" in {r.url for r in routes(site)}


NFD_ETE = unicodedata.normalize("NFD", "été")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("launch", "launch"),
        ("launch", "Launch"),  # by case
        ("été", NFD_ETE),  # by Unicode form
    ],
)
def test_two_case_studies_at_one_url_name_both_files(first: str, second: str) -> None:
    a = study(first, source="content/case-studies/a.md")
    b = study(second, source="content/case-studies/b.md", date=dt.date(2024, 1, 1))
    _, problems = site_of(config(), Content((a, b), ()))
    (error,) = problems.errors
    assert (error.path, error.field) == ("content/case-studies/b.md", "slug")
    assert "content/case-studies/a.md" in error.message


def test_two_pages_at_one_url_name_both_files() -> None:
    a, b = page("about", source="content/pages/a.md"), page("About", source="content/pages/b.md")
    _, problems = site_of(config(), Content((), (a, b)))
    assert [(e.path, e.field) for e in problems.errors] == [("content/pages/b.md", "slug")]


def test_a_page_and_a_case_study_may_share_a_slug() -> None:
    """They live in different folders: `about/` and `case-studies/about/`."""
    site, problems = site_of(config(), Content((study("about"),), (page("about"),)))
    assert not problems.errors
    urls = {r.url for r in routes(site)}
    assert {"about/", "case-studies/about/"} <= urls


@pytest.mark.parametrize(
    "slug",
    [
        "case-studies", "results", "etudes-de-cas", "resultats", "assets", "images", "files",
        "media", "404", "index", "feed", "sitemap", "robots", "en", "fr", "Results", "social", "for",
    ],
)  # fmt: skip
def test_a_page_may_not_take_a_name_the_site_uses(slug: str) -> None:
    """Any language's section names too: a French site may add English tomorrow."""
    _, problems = site_of(config(), Content((), (page(slug),)))
    (error,) = problems.errors
    assert (error.field, error.message) == ("slug", f"the slug `{slug}` is used by the site itself")


@pytest.mark.parametrize("slug", ["kind", "channel", "skill"])
def test_a_case_study_may_not_take_a_filter_pages_name(slug: str) -> None:
    _, problems = site_of(config(), Content((study(slug),), ()))
    assert [e.field for e in problems.errors] == ["slug"]


def test_two_applications_at_one_address_are_an_error() -> None:
    a = application("acme")
    b = application("ACME", source="content/applications/acme-2.md")
    _, problems = site_of(config(), Content((study(),), (), (a, b)))
    (error,) = problems.errors
    assert (error.path, error.field) == ("content/applications/acme-2.md", "token")
    assert f"for/ACME-{TOKEN}/" in error.message


# -- links between pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "link"),
    [
        ("", "case-studies/tiktok-launch/", "case-studies/tiktok-launch/"),
        ("case-studies/tiktok-launch/", "", "../../"),
        ("case-studies/tiktok-launch/", "case-studies/other/", "../other/"),
        ("case-studies/tiktok-launch/", "images/cover-1a2b-960.webp", "../../images/cover-1a2b-960.webp"),
        ("en/case-studies/x/", "case-studies/x/", "../../../case-studies/x/"),  # to the other language
        ("about/", "about/#contact", "./#contact"),
        ("about/", "https://example.com/", "https://example.com/"),
        ("about/", "mailto:camille@example.com", "mailto:camille@example.com"),
        ("404.html", "case-studies/", "case-studies/"),
    ],
)
def test_links_between_pages_are_relative(source: str, target: str, link: str) -> None:
    assert relative_url(source, target) == link
