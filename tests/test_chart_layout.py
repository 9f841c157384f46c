# ruff: noqa: E501  (the JavaScript measuring the drawn boxes reads best unwrapped)
"""Chart words in the language, laid out without collisions: the drawn text boxes of every
label, measured in real Chromium (getBBox), never overlap and stay inside the drawing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from portfolio.charts import chart_svg, describe
from portfolio.locale import Formatter, load_words
from portfolio.metrics import Metric, Point, decimals_of
from portfolio.themes import bundled_dir

CHROMIUM = Path("/usr/bin/chromium")


def formatter(language: str) -> Formatter:
    return Formatter(language, load_words([bundled_dir() / "default"], language))


def metric(points: list[tuple[object, float]], chart: str = "line", unit: str | None = None) -> Metric:
    return Metric(
        label="Abonnés",
        kind="series",
        points=tuple(Point(x, y) for x, y in points),  # type: ignore[arg-type]
        chart=chart,
        unit=unit,
        decimals=min(decimals_of(*(float(y) for _, y in points)), 1),
    )


def weekly(start: dt.date, count: int, step: int = 7) -> list[dt.date]:
    return [start + dt.timedelta(days=step * i) for i in range(count)]


CASES = {
    "weekly bars": metric(
        [(d, 3.1 + i / 10) for i, d in enumerate(weekly(dt.date(2025, 1, 6), 8))], "bar", "%"
    ),
    "weekly line": metric([(d, 812 + 90 * i) for i, d in enumerate(weekly(dt.date(2025, 1, 6), 12))]),
    "daily line": metric([(d, 40 + i) for i, d in enumerate(weekly(dt.date(2024, 12, 20), 30, 1))]),
    "long daily bars": metric([(d, i % 9) for i, d in enumerate(weekly(dt.date(2024, 12, 1), 70, 1))], "bar"),
    "monthly area": metric([(dt.date(2024, m, 1), 3100 * m) for m in range(1, 13)], "area"),
    "monthly bars": metric([(dt.date(2024, m, 1), 3100.0 * m) for m in range(3, 9)], "bar", "€"),
    "yearly line": metric([(dt.date(y, 1, 1), 10.0 * (y - 2010)) for y in range(2011, 2026)]),
    "categories": metric(
        [("Instagram Reels", 900), ("Newsletter hebdomadaire", 450), ("TikTok", 1200), ("E-mail", 100)],
        "bar",
    ),
}


def test_dates_take_their_preposition() -> None:
    fr, en = formatter("fr"), formatter("en")
    days = metric(
        [(d, 812.0 + 10 * i) for i, d in enumerate(weekly(dt.date(2025, 1, 6), 8))]
        + [(dt.date(2025, 3, 3), 1903.0)]
    )
    assert describe(days, fr).startswith(
        "De 812 le 6\u00a0janv.\u00a02025 à 1\u202f903 le 3\u00a0mars\u00a02025."
    )
    assert describe(days, en).startswith("From 812 on 6 Jan 2025 to 1,903 on 3 Mar 2025.")
    months = metric([(dt.date(2024, 9, 1), 3100.0), (dt.date(2025, 2, 1), 41230.0)])
    assert describe(months, fr).startswith(
        "De 3\u202f100 en sept.\u00a02024 à 41\u202f230 en févr.\u00a02025."
    )
    assert describe(months, en).startswith("From 3,100 in Sep 2024 to 41,230 in Feb 2025.")
    years = metric([(dt.date(2020, 1, 1), 1.0), (dt.date(2025, 1, 1), 2.0)])
    assert "en 2020" in describe(years, fr) or "en janv.\u00a02020" in describe(years, fr)
    assert fr.date(dt.date(2025, 3, 1), "d MMM y") == "1er\u00a0mars\u00a02025"
    assert fr.when(dt.date(2025, 3, 1), "d MMM y") == "le 1er\u00a0mars\u00a02025"
    hidden = Metric(label="Ventes", kind="series", points=days.points, chart="line", confidential=True)
    assert "du 6\u00a0janv.\u00a02025 au 3\u00a0mars\u00a02025" in describe(hidden, fr)
    assert "from 6 Jan 2025 to 3 Mar 2025" in describe(hidden, en)


def test_a_weekly_bar_is_named_by_its_day_and_its_tooltip_reads_in_french() -> None:
    svg = chart_svg(CASES["weekly bars"], formatter("fr"))
    titles = re.findall(r"<title>([^<]*)</title>", svg)[: len(CASES["weekly bars"].points)]
    assert titles[0] == "6\u00a0janv.\u00a02025\u202f: 3,1\u202f%", titles
    assert len(set(titles)) == len(titles)  # no two bars share a name
    ticks = re.findall(r'class="chart-tick"[^>]*text-anchor="middle">([^<]*)<', svg)
    assert "janv. 2025" not in ticks  # a week is not named by its month


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_chart_label_touches_another(tmp_path: Path, language: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    fmt = formatter(language)
    css = REPO_CSS.read_text(encoding="utf-8") if REPO_CSS.exists() else ""
    body = "".join(
        f'<figure class="chart" data-case="{name}">{chart_svg(m, fmt)}</figure>' for name, m in CASES.items()
    )
    page_file = tmp_path / "charts.html"
    page_file.write_text(
        f'<!doctype html><html lang="{language}"><meta charset="utf-8"><style>{css}'
        ".chart-svg{display:block!important;width:720px}</style><body>" + body,
        encoding="utf-8",
    )
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=flags)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.goto(page_file.as_uri())
            problems = page.evaluate(
                """() => {
                    const found = [];
                    for (const svg of document.querySelectorAll('svg.chart-svg')) {
                        const name = svg.closest('figure').dataset.case + ' ' + svg.getAttribute('class');
                        const [, , w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
                        const texts = [...svg.querySelectorAll('text.chart-tick, text.chart-value')];
                        const boxes = texts.map((t) => [t.textContent, t.getBBox()]);
                        for (const [label, b] of boxes) {
                            if (b.x < -0.5 || b.y < -0.5 || b.x + b.width > w + 0.5 || b.y + b.height > h + 0.5)
                                found.push(`${name}: "${label}" leaves the drawing (${b.x.toFixed(1)}+${b.width.toFixed(1)} of ${w})`);
                        }
                        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                            const [la, a] = boxes[i], [lb, b] = boxes[j];
                            const dx = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
                            const dy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
                            if (dx > 0.5 && dy > 0.5) found.push(`${name}: "${la}" touches "${lb}"`);
                        }
                        const ticks = texts.filter((t) => t.classList.contains('chart-tick')
                            && t.getAttribute('dominant-baseline') !== 'middle').map((t) => t.textContent);
                        if (new Set(ticks).size !== ticks.length) found.push(`${name}: repeated ${ticks}`);
                    }
                    return found;
                }"""
            )
        finally:
            browser.close()
    assert not problems, problems


REPO_CSS = bundled_dir() / "default" / "static" / "site.css"
