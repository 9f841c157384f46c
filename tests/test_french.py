"""French as a first language: the grammar of `{client}` and French typography, on real
output (HTML, feed, social-card words), and line breaks measured in real Chromium."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from conftest import CONFIG, REPO, run_build, study, write_site

from portfolio.locale import Formatter, load_words
from portfolio.metric_model import Metric, Point
from portfolio.typography import NBSP, NNBSP, french
from portfolio.views import view_metric

FR_CONFIG = CONFIG.replace(
    "headline: Marketer", 'headline: "Social media : des communautés qui achètent"'
) + ("language: fr\n")

BODY = """\
## Contexte

{client} voulait plus de clients le soir. Nous sommes passés de 812 à 1 903 abonnés pour
800 € par mois : un succès ! Le taux d'engagement est monté à 4,8% en « trois » mois.

Voir [le compte](https://www.instagram.com/exemple/?hl=fr) ou écrire à contact@exemple.fr ; réponse à 10:30.

```
code: 1 903 ; ok ?
```
"""


def _site(tmp_path: Path, config: str = FR_CONFIG) -> Path:
    files = {
        "content/case-studies/lumieres.md": study(
            "client: {name: Brasserie Mercière, consent: pending,"
            " anonymized_as: Une brasserie du Vieux-Lyon}",
            title='"La campagne Fête des Lumières de {client}"',
            summary='"Les soirées de {client} : 1 903 réservations !"',
            body=BODY,
        ),
    }
    return write_site(tmp_path / "site", files, config=config)


def test_french_typography_rules() -> None:
    assert french("Résultat: 1 903 abonnés pour 800 €!") == (
        f"Résultat{NNBSP}: 1{NNBSP}903{NBSP}abonnés pour 800{NBSP}€{NNBSP}!"
    )
    assert french("« Bonjour » et «salut»") == f"«{NNBSP}Bonjour{NNBSP}» et «{NNBSP}salut{NNBSP}»"
    assert french("3,1% puis 12 345,67 €") == f"3,1{NNBSP}% puis 12{NNBSP}345,67{NBSP}€"
    # Addresses, times and emoticons are not text to typeset.
    for kept in (
        "https://x.fr/a?b=1",
        "mailto:a@b.fr",
        "À 10:30",
        "Bravo :)",
        "Note:voir",
        "www.exemple.fr/?q",
    ):
        assert french(kept) == kept, kept
    assert french("Quoi ?! Vraiment!") == f"Quoi{NNBSP}?! Vraiment{NNBSP}!"
    assert french("L'enjeu d'aujourd'hui") == "L\u2019enjeu d\u2019aujourd\u2019hui"


def test_a_french_site_reads_as_written_in_french(tmp_path: Path) -> None:
    root = _site(tmp_path)
    run_build(root)
    page = html.unescape((root / "output/etudes-de-cas/lumieres/index.html").read_text(encoding="utf-8"))
    # The grammar of the alias: "de une" is "d'une", a sentence starts with a capital.
    assert "La campagne Fête des Lumières d’une brasserie du Vieux-Lyon" in page
    assert "Une brasserie du Vieux-Lyon voulait plus de clients le soir." in page
    assert "de une" not in page.lower() and "de Une" not in page
    # French typography in the body and in the fields, not in code or addresses.
    assert f"1{NNBSP}903{NBSP}abonnés" in page
    assert f"800{NBSP}€ par mois{NNBSP}: un succès{NNBSP}!" in page
    assert f"4,8{NNBSP}% en «{NNBSP}trois{NNBSP}» mois" in page
    assert f"contact@exemple.fr{NNBSP}; réponse à 10:30" in page
    assert 'href="https://www.instagram.com/exemple/?hl=fr"' in page
    assert "code: 1 903 ; ok ?" in page
    assert f"Les soirées d’une brasserie du Vieux-Lyon{NNBSP}: 1{NNBSP}903{NBSP}réservations{NNBSP}!" in page
    feed = (root / "output/feed.xml").read_text(encoding="utf-8")
    assert "La campagne Fête des Lumières d’une brasserie du Vieux-Lyon" in feed
    home = (root / "output/index.html").read_text(encoding="utf-8")
    assert f"Social media{NNBSP}: des communautés qui achètent" in home


def test_the_social_card_draws_the_french_title(tmp_path: Path) -> None:
    from portfolio.build import BuildOptions
    from portfolio.errors import Problems
    from portfolio.recipe import render_site

    rendered = render_site(_site(tmp_path).resolve(), BuildOptions(), Problems())
    assert rendered.cards is not None
    _, words = rendered.cards.produce()
    drawn = " ".join(words.values())
    assert "d’une brasserie du Vieux-Lyon" in drawn and "de une" not in drawn.lower()


def test_an_english_site_keeps_its_spaces(tmp_path: Path) -> None:
    root = _site(tmp_path, CONFIG)
    run_build(root)
    page = (root / "output/case-studies/lumieres/index.html").read_text(encoding="utf-8")
    assert "1 903 abonnés" in page and NNBSP + ":" not in page.split("<body")[1].split("<svg")[0]


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_no_line_breaks_inside_a_figure_and_its_unit(tmp_path: Path) -> None:
    """In a column a few characters wide, where a plain space would break, "1 903 abonnés"
    and "800 €" each stay on one line (Chromium's own layout, measured)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    root = _site(tmp_path)
    run_build(root)
    page_file = root / "output/etudes-de-cas/lumieres/index.html"
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=flags)
        try:
            page = browser.new_page(viewport={"width": 320, "height": 800})
            page.goto(page_file.as_uri())
            # The paragraph is made just wide enough for the longest figure: a figure then
            # moves to the next line whole, where a plain space would let it break.
            lines = page.evaluate(
                """(phrases) => {
                    const body = document.querySelector('.study-body');
                    const find = (phrase) => {
                        const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
                        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                            const at = node.data.indexOf(phrase);
                            if (at >= 0) {
                                const range = document.createRange();
                                range.setStart(node, at);
                                range.setEnd(node, at + phrase.length);
                                return range;
                            }
                        }
                        return null;
                    };
                    const first = find(phrases[0]);
                    const width = first.getBoundingClientRect().width;
                    first.startContainer.parentElement.style.width = (width * 1.05) + 'px';
                    return phrases.map((phrase) => {
                        const range = find(phrase);
                        if (!range) return -1;
                        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
                    });
                }""",
                [f"1{NNBSP}903{NBSP}abonnés", f"800{NBSP}€", "Nous sommes passés de"],
            )
        finally:
            browser.close()
    assert lines[0] == 1 and lines[1] == 1, lines
    assert lines[2] > 1, lines  # a plain space does break there: the column is narrow enough


def test_a_french_site_has_french_urls_unless_it_asks_for_english_ones(tmp_path: Path) -> None:
    files = {
        "content/case-studies/a.md": study(
            front="kind: agency\nclient: {name: Acme, consent: granted}\nchannels: [TikTok]"
        ),
        "content/case-studies/b.md": study(title="B", front="channels: [TikTok]\nskills: [SEO]"),
        "content/pages/a-propos.md": "---\ntitle: À propos\n---\nBonjour.\n",
    }
    root = write_site(tmp_path / "fr", files, config=FR_CONFIG)
    run_build(root)
    out = root / "output"
    for path in (
        "etudes-de-cas/index.html",
        "etudes-de-cas/a/index.html",
        "etudes-de-cas/canal/tiktok/index.html",
        "etudes-de-cas/competence/seo/index.html",
        "etudes-de-cas/type/agence/index.html",
        "etudes-de-cas/type/personnel/index.html",
        "resultats/index.html",
        "a-propos/index.html",
    ):
        assert (out / path).is_file(), path
    assert not (out / "case-studies").exists() and not (out / "results").exists()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="etudes-de-cas/"' in home and 'href="resultats/"' in home
    english = write_site(tmp_path / "en", files, config=FR_CONFIG + "urls: en\n")
    run_build(english)
    assert (english / "output/case-studies/channel/tiktok/index.html").is_file()
    assert (english / "output/case-studies/kind/agency/index.html").is_file()


def test_a_free_page_may_not_take_a_section_name_in_either_language(tmp_path: Path) -> None:
    from conftest import build_errors

    for slug in ("resultats", "case-studies", "en"):
        root = write_site(tmp_path / slug, {f"content/pages/{slug}.md": "---\ntitle: X\n---\nx\n"})
        assert f"the slug `{slug}` is used by the site itself" in build_errors(root)


def test_french_charts_in_the_built_page(tmp_path: Path) -> None:
    """Weekly figures on a French site: the since line and the chart's words as French has
    them (a day takes `le`), in the visible text and the screen-reader description."""
    series = "[" + ", ".join(f"{{x: 2025-01-{d:02d}, y: {800 + d * 10}}}" for d in (6, 13, 20, 27)) + "]"
    files = {
        "content/case-studies/a.md": study(
            f"metrics:\n  - {{label: Abonnés, series: {series}, unit: abonnés, chart: line}}",
            title="Une campagne",
        )
    }
    root = write_site(tmp_path / "site", files, config=FR_CONFIG)
    run_build(root)
    page = html.unescape((root / "output/etudes-de-cas/a/index.html").read_text(encoding="utf-8"))
    assert f"contre 860{NBSP}abonnés le 6{NBSP}janv.{NBSP}2025" in page
    day6, day27 = f"6{NBSP}janv.{NBSP}2025", f"27{NBSP}janv.{NBSP}2025"
    assert f"De 860{NBSP}abonnés le {day6} à 1{NNBSP}070{NBSP}abonnés le {day27}." in page
    assert " en 6 janv." not in page


def _formatter(language: str) -> Formatter:
    return Formatter(language, load_words([REPO / "themes" / "default"], language))


# (language, before, after, unit, decimals, the change as a tile shows it, the "after" figure)
CHANGES = [
    ("fr", 60, 32.7, "%", 1, f"−27,3{NBSP}pts", f"32,7{NNBSP}%"),
    ("fr", 1.2, 4.8, "%", 1, f"+3,6{NBSP}pts", f"4,8{NNBSP}%"),
    ("en", 1.2, 4.8, "%", 1, "+3.6 pts", "4.8%"),
    ("fr", 12, 17.5, "/20", 1, "+5,5/20", "17,5/20"),
    ("en", 12, 17.5, "/20", 1, "+5.5/20", "17.5/20"),
    ("fr", 3, 4, "/5", 0, "+1/5", "4/5"),
    ("fr", 812, 1903, "abonnés", 0, f"+1{NNBSP}091{NBSP}abonnés", f"1{NNBSP}903{NBSP}abonnés"),
    ("en", 812, 1903, "followers", 0, "+1,091\u00a0followers", "1,903\u00a0followers"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "before", "after", "unit", "decimals", "change", "shown"), CHANGES)
def test_a_change_keeps_its_figure_and_unit_together(
    language: str, before: float, after: float, unit: str, decimals: int, change: str, shown: str
) -> None:
    metric = Metric("Taux", "change", before=before, after=after, unit=unit, decimals=decimals)
    view = view_metric(metric, _formatter(language))
    assert view.change == change
    assert view.after is not None and view.after.text == shown


@pytest.mark.parametrize(("language", "shown"), [("fr", "17,5/20"), ("en", "17.5/20")])
def test_a_grade_reads_17_5_over_20(language: str, shown: str) -> None:
    fmt = _formatter(language)
    assert fmt.amount(17.5, "/20", 1) == shown
    view = view_metric(Metric("Note", "value", value=17.5, unit="/20", decimals=1), fmt)
    assert view.value is not None
    assert (view.value.text, view.value.number, view.value.unit) == (shown, shown, "")


def test_the_client_fact_and_the_figures_on_a_french_page(tmp_path: Path) -> None:
    """The facts list's Client line in French typography (the alias's apostrophe curly), an
    alias such as eBay not recased, "de des" contracted, and a grade without a space."""
    files = {
        "content/case-studies/atelier.md": study(
            'client: {name: Brasserie Mercière, consent: pending, anonymized_as: "L\'Atelier Vert"}\n'
            "metrics:\n  - {label: Taux de rebond, before: 60, after: 32.7, unit: '%'}\n"
            "  - {label: Note, value: 17.5, unit: /20}",
            title='"Les pages de {client}"',
            body="Un site pour {client}.\n",
        ),
        "content/case-studies/ebay.md": study(
            "client: {name: Vraie Marque, consent: pending, anonymized_as: eBay}",
            title='"{client} voulait plus"',
            date="2025-02-01",
        ),
        "content/case-studies/agences.md": study(
            "client: {name: Groupe Secret, consent: pending, anonymized_as: des agences lyonnaises}",
            title='"Les pages de {client}"',
            date="2025-01-01",
        ),
    }
    root = write_site(tmp_path / "site", files, config=FR_CONFIG)
    run_build(root)
    out = root / "output/etudes-de-cas"
    page = html.unescape((out / "atelier/index.html").read_text(encoding="utf-8"))
    facts = page.split('class="facts"')[1].split("</dl>")[0]
    assert "L’Atelier Vert" in facts and "L'Atelier" not in page
    assert "Un site pour l’Atelier Vert." in page
    assert f"−27,3{NBSP}pts" in page and "−27,3 pts" not in page
    assert "17,5/20" in page.replace('<span class="figure-num">', "").replace("</span>", "")
    assert "17,5 /20" not in page and f"17,5{NBSP}/20" not in page
    ebay = html.unescape((out / "ebay/index.html").read_text(encoding="utf-8"))
    assert "eBay voulait plus" in ebay and "EBay" not in ebay
    agences = html.unescape((out / "agences/index.html").read_text(encoding="utf-8"))
    assert "Les pages d’agences lyonnaises" in agences and "de des" not in agences


def test_each_figure_keeps_the_precision_it_was_written_with() -> None:
    """SPEC: "rounded to the precision the user wrote": `before: 14, after: 16.5` shows 14/20,
    not 14,0/20; the change takes the finer of the two; money with cents shows both digits."""
    from portfolio.yamlfile import load

    fr = _formatter("fr")
    grade = Metric("Note", "change", before=14, after=16.5, unit="/20", decimals=1)
    view = view_metric(grade, fr)
    assert (view.before and view.before.text, view.after and view.after.text) == ("14/20", "16,5/20")
    assert view.change == "+2,5/20"
    written = load("a: 2.50\nb: 3\n")  # YAML keeps `2.50` as written
    price = Metric("Prix", "change", before=written["a"], after=written["b"], unit="€", decimals=2)
    view = view_metric(price, fr)
    assert (view.before and view.before.text, view.after and view.after.text) == (f"2,50{NBSP}€", f"3{NBSP}€")
    assert fr.amount(18400.5, "€", 1) == f"18{NNBSP}400,50{NBSP}€"
    assert fr.amount(18400, "€", 0) == f"18{NNBSP}400{NBSP}€"
    rate = Metric(
        "Taux", "series", points=(Point("A", 48), Point("B", 5.5)), unit="%", decimals=1, chart="bar"
    )
    assert [row.y for row in view_metric(rate, fr).rows] == [f"48{NNBSP}%", f"5,5{NNBSP}%"]


@pytest.mark.parametrize(
    ("before", "after", "relative"),
    [(2, 2, "0%"), (4, 5, "+25%"), (100, 95.5, "−4.5%"), (0, 12, ""), (-5, 10, ""), (-5, -2, "")],
)
def test_a_relative_change_only_where_a_ratio_means_something(
    before: float, after: float, relative: str
) -> None:
    """No change reads `0%` (not `0.0%`); from zero or from a negative figure there is no
    relative change to show (−5 to 10 is not "+300%")."""
    view = view_metric(
        Metric("Marge", "change", before=before, after=after, unit="%", decimals=1), _formatter("en")
    )
    assert view.relative == relative
