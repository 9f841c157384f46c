"""Charts: inline SVG that is always well formed, inside its viewBox, and readable."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio.charts import (
    COMPACT,
    WIDE,
    bar_layout,
    chart_svg,
    date_ticks,
    fit_label,
    nice_step,
    text_width,
    value_labels,
    value_scale,
    wrap_label,
)
from portfolio.locale import Formatter, load_words
from portfolio.metrics import Metric, Point, decimals_of

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "charts"
SVG = "{http://www.w3.org/2000/svg}"


def formatter(language: str = "en") -> Formatter:
    return Formatter(language, load_words([REPO / "themes" / "default"], language))


def series(
    values: list[float],
    chart: str = "line",
    dates: list[dt.date] | None = None,
    categories: list[str] | None = None,
    unit: str | None = None,
    confidential: bool = False,
) -> Metric:
    if categories is not None:
        xs: list[dt.date | str] = list(categories)
    else:
        xs = list(dates or [dt.date(2024, 9, 1) + dt.timedelta(days=30 * i) for i in range(len(values))])
    points = tuple(
        sorted(
            (Point(x, y) for x, y in zip(xs, values, strict=True)),
            key=lambda p: p.x if isinstance(p.x, dt.date) else 0,
        )
    )  # type: ignore[return-value]
    if categories is not None:
        points = tuple(Point(x, y) for x, y in zip(xs, values, strict=True))
    return Metric(
        "Followers",
        "series",
        points=points,
        chart=chart,
        unit=unit,
        decimals=decimals_of(*values),
        confidential=confidential,
    )


def drawings(svg: str) -> list[ET.Element]:
    """Parse the two drawings (an XML parser: well formed or it raises)."""
    root = ET.fromstring(f'<root xmlns="http://www.w3.org/2000/svg">{svg}</root>')
    found = root.findall(f"{SVG}svg")
    assert len(found) == 2
    return found


def assert_inside(svg: ET.Element) -> None:
    """Every coordinate is a finite number inside the viewBox."""
    _, _, width, height = (float(v) for v in svg.get("viewBox", "").split())
    for el in svg.iter():
        for name in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height"):
            value = el.get(name)
            if value is None:
                continue
            number = float(value)
            assert math.isfinite(number), (el.tag, name, value)
            limit = width if name in ("x", "x1", "x2", "cx", "width") else height
            assert -0.01 <= number <= limit + 0.01, (el.tag, name, value, limit)
        for attr in ("points", "d"):
            text = el.get(attr)
            if text:
                numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]
                assert all(math.isfinite(n) for n in numbers)
                xs, ys = numbers[0::2], numbers[1::2]
                assert all(-0.01 <= x <= width + 0.01 for x in xs), text
                assert all(-0.01 <= y <= height + 0.01 for y in ys), text
        assert "nan" not in " ".join(el.attrib.values()).lower()
        assert "inf" not in " ".join(v for k, v in el.attrib.items() if k != "class").lower()


finite = st.floats(allow_nan=False, allow_infinity=False)
days = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(finite, min_size=2, max_size=60), chart=st.sampled_from(["line", "area"]), data=st.data()
)
def test_any_dated_series_draws_a_well_formed_chart(
    values: list[float], chart: str, data: st.DataObject
) -> None:
    dates = data.draw(st.lists(days, min_size=len(values), max_size=len(values)))
    svg = chart_svg(series(values, chart, dates=sorted(dates)), formatter())
    for drawing in drawings(svg):
        assert drawing.get("role") == "img"
        assert drawing.find(f"{SVG}title") is not None and drawing.find(f"{SVG}desc") is not None
        assert_inside(drawing)


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(finite, min_size=2, max_size=40),
    labels=st.lists(st.text(min_size=1, max_size=80), min_size=40, max_size=40),
    language=st.sampled_from(["en", "fr"]),
)
def test_any_bar_series_draws_a_well_formed_chart(
    values: list[float], labels: list[str], language: str
) -> None:
    categories = labels[: len(values)]
    svg = chart_svg(series(values, "bar", categories=categories), formatter(language))
    for drawing in drawings(svg):
        assert_inside(drawing)


@pytest.mark.parametrize(
    "values",
    [
        [0, 0],
        [5, 5],
        [-3, -1],
        [-5, 12],
        [1e9, 3e9],
        [1e-9, 3e-9],
        [1.7e308, -1.7e308],
        [5e-324, 0],
        [4.8, 4.8],
        [0.1, 0.2, 0.3],
    ],
)
def test_edge_values_draw_cleanly(values: list[float]) -> None:
    for chart in ("line", "area", "bar"):
        kwargs = {"categories": [f"C{i}" for i in range(len(values))]} if chart == "bar" else {}
        svg = chart_svg(series(values, chart, **kwargs), formatter())  # type: ignore[arg-type]
        for drawing in drawings(svg):
            assert_inside(drawing)
            ticks = [t.text for t in drawing.iter(f"{SVG}text") if "chart-tick" in t.get("class", "")]
            assert all(t and len(t) <= 16 for t in ticks), ticks


def test_nice_ticks_step_by_one_two_or_five() -> None:
    assert nice_step(100, 5) == 20
    assert nice_step(41230, 4) == 20000
    assert nice_step(3.6, 4) == 1
    assert nice_step(0.07, 4) == 0.02
    scale = value_scale([3100, 41230], "line", 4)
    assert scale.ticks == (0.0, 1.0, 2.0, 3.0, 4.0, 5.0) and scale.factor == 10_000
    scale = value_scale([95, 105], "line", 4)  # far from zero: a line need not start there
    assert scale.low * scale.factor == 95 and scale.high * scale.factor == 105
    assert value_scale([-5, 12], "bar", 4).ticks[0] < 0 < value_scale([-5, 12], "bar", 4).ticks[-1]


def test_date_ticks_follow_the_calendar() -> None:
    ticks = date_ticks(dt.date(2024, 9, 1), dt.date(2025, 2, 1), 7)
    assert [d for d, _ in ticks] == [dt.date(2024, m, 1) for m in (9, 10, 11, 12)] + [
        dt.date(2025, 1, 1),
        dt.date(2025, 2, 1),
    ]
    assert [p for _, p in ticks] == ["MMM y", "MMM", "MMM", "MMM", "MMM y", "MMM"]
    years = date_ticks(dt.date(2001, 5, 1), dt.date(2024, 5, 1), 5)
    assert all(d.month == 1 and d.year % 5 == 0 for d, _ in years)
    assert date_ticks(dt.date(2025, 1, 1), dt.date(2025, 1, 1), 4) == [(dt.date(2025, 1, 1), "d MMM y")]


def test_numbers_and_dates_in_french() -> None:
    metric = series([3100, 41230], "line", dates=[dt.date(2025, 1, 1), dt.date(2025, 2, 1)])
    svg = chart_svg(metric, formatter("fr"))
    assert "févr." in svg and "41\u202f230" in svg  # the value label, French grouping
    assert "De 3\u202f100 en janv.\u00a02025 à 41\u202f230 en févr.\u00a02025." in svg
    percent = chart_svg(series([1.2, 4.8], unit="%"), formatter("fr"))
    assert "4,8\u202f%" in percent


def test_the_description_says_what_the_chart_shows() -> None:
    svg = chart_svg(series([3100, 12000, 9000, 41230]), formatter())
    desc = drawings(svg)[0].find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == (
        "From 3,100 in Sep 2024 to 41,230 in Nov 2024. Highest: 41,230 (Nov 2024); lowest: 3,100 (Sep 2024)."
    )


def test_confidential_series_show_the_shape_not_the_figures() -> None:
    svg = chart_svg(series([3100, 41230], confidential=True), formatter())
    assert "3,100" not in svg and "41,230" not in svg and "41K" not in svg
    assert "+1,230% from Sep 2024 to Oct 2024; the figures are confidential." in svg


def test_negative_bars_are_hatched_not_only_coloured() -> None:
    svg = chart_svg(series([-5, 12], "bar", categories=["Loss", "Gain"]), formatter())
    assert svg.count('class="chart-bar chart-bar-negative" fill="url(#') == 2


GOLDEN_CASES = {
    "line": series([3100, 4300, 6900, 9800, 13900, 16200, 18600]),
    "area": series([1200, 1800, 1500, 2600, 3900, 4100], "area"),
    "bar": series(
        [412000, 268000, 195000, 143000],
        "bar",
        categories=["Latte art fails", "Meet the roaster", "Bean to bag", "Your order, our way"],
    ),
    "bar-negative": series([-12.5, 4.2, 18.0, -3.1], "bar", unit="%", categories=["Q1", "Q2", "Q3", "Q4"]),
    "line-percent-fr": series([1.2, 2.9, 4.8], unit="%"),
}


@pytest.mark.parametrize("name", list(GOLDEN_CASES))
def test_golden_charts(name: str, request: pytest.FixtureRequest) -> None:
    language = "fr" if name.endswith("-fr") else "en"
    svg = chart_svg(GOLDEN_CASES[name], formatter(language))
    path = GOLDEN / f"{name}.svg"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(svg + "\n")
    assert path.read_text() == svg + "\n", f"{name}: run pytest --update-golden and look at it"


def test_inline_series_refuse_a_date_twice_and_mixed_axes(tmp_path: Path) -> None:
    from conftest import build_errors, study, write_site

    root = write_site(
        tmp_path / "a",
        {
            "content/case-studies/x.md": study(
                front="""\
metrics:
  - label: Followers
    series:
      - {x: 2024-09, y: 10}
      - {x: 2024-09, y: 12}
"""
            )
        },
    )
    assert "x.md:10: metrics[0].series[1].x: 2024-09-01 appears twice: one point per date" in build_errors(
        root
    )
    root = write_site(
        tmp_path / "b",
        {
            "content/case-studies/x.md": study(
                front="""\
metrics:
  - label: Views
    chart: bar
    series: [{x: 2024-09, y: 10}, {x: Total, y: 12}]
"""
            )
        },
    )
    assert "metrics[0].series: mixes dates and categories" in build_errors(root)


def test_daily_figures_are_labelled_by_day() -> None:
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(90)]
    metric = series([float(i % 7) for i in range(90)], "bar", dates=days)
    svg = chart_svg(metric, formatter())
    wide = drawings(svg)[1]
    labels = [
        t.text or ""
        for t in wide.iter(f"{SVG}text")
        if t.get("class") == "chart-tick" and t.get("text-anchor") == "middle"
    ]
    # The year on the first label only (the figures are all from 2024).
    assert labels and labels[0] == "1 Jan 2024"
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", label) for label in labels[1:])
    xs = [float(t.get("x", 0)) for t in wide.iter(f"{SVG}text") if t.text in labels]
    assert all(b - a >= 14 * 0.62 * 6 for a, b in itertools.pairwise(xs))  # no overlap
    monthly = date_ticks(dt.date(2024, 9, 1), dt.date(2024, 11, 1), 7, "month")
    assert [d for d, _ in monthly] == [dt.date(2024, 9, 1), dt.date(2024, 10, 1), dt.date(2024, 11, 1)]


def test_tiny_and_negative_figures_keep_their_digits_and_minus() -> None:
    svg = chart_svg(series([0.0000012, 0.0000034]), formatter())
    assert "0.0000034" in svg
    bars = chart_svg(series([-1200, 3400], "bar", categories=["A", "B"], unit="$"), formatter())
    assert "\u2212$1,200" in bars and "-$" not in bars
    money = chart_svg(series([1.2e6, 2.2e6], unit="$"), formatter())
    assert "$2M" in money or "$2.0M" in money


@pytest.mark.parametrize(
    ("yaml_text", "decimals"),
    [("2.50", 2), ("4.8", 1), ("2.0", 1), ("3", 0), (".5", 1), ("1_000.25", 2), ("1.2e-06", 7)],
)
def test_a_figure_keeps_the_precision_it_was_written_with(yaml_text: str, decimals: int) -> None:
    """SPEC: rounded to the precision the user wrote; `2.50` is two decimals though a float
    forgets it, and so is the same front matter read back from the cache."""
    from portfolio.yamlfile import from_plain, load, to_plain

    value = load(f"v: {yaml_text}\n")["v"]
    assert decimals_of(value) == decimals
    assert decimals_of(from_plain(to_plain(value))) == decimals


def test_a_price_written_with_cents_shows_its_cents(tmp_path: Path) -> None:
    from conftest import run_build, study, write_site

    metrics = (
        'metrics:\n  - {label: CPC, value: 2.50, unit: "€", source: Ads}\n'
        '  - {label: Rate, before: 1.20, after: 4.80, unit: "%", source: GA4}'
    )
    root = write_site(tmp_path, {"content/case-studies/a.md": study(metrics)})
    run_build(root)
    html = (root / "output/case-studies/a/index.html").read_text()
    assert "€2.50<" in html and "1.20%<" in html and "4.80%<" in html


# -- bars' words on a phone: whole figures, names cut at a word ---------------------------

CHANNELS = ["Instagram", "TikTok", "Newsletter", "LinkedIn", "Site web", "Facebook", "Pinterest"]
FIGURES = [3400, 12850, 980, 2150, 7400, 1230, 4560]


def texts(drawing: ET.Element, kind: str) -> list[str]:
    """The words of each `kind` of text; a name on two lines is read back as one."""
    return [" ".join(t.itertext()) for t in drawing.iter(f"{SVG}text") if kind in t.get("class", "")]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("count", [2, 3, 4, 5, 6, 7, 9, 12])
@pytest.mark.parametrize("unit", [None, "€", "%"])
def test_a_bar_figure_is_written_whole_in_every_frame(language: str, count: int, unit: str | None) -> None:
    fmt = formatter(language)
    m = series(
        [float(v) for v in (FIGURES * 2)[:count]],
        "bar",
        unit=unit,
        categories=[f"{c} {i}" for i, c in enumerate((CHANNELS * 2)[:count])],
    )
    for drawing in drawings(chart_svg(m, fmt)):
        figures = texts(drawing, "chart-value")
        assert figures and not any("\u2026" in f for f in figures), figures
        names = texts(drawing, "chart-tick")
        # every category is named: upright when all fit, lying down otherwise
        assert all(f"{c} {i}"[:3] in " ".join(names) for i, c in enumerate((CHANNELS * 2)[:count]))


def test_the_french_phone_chart_lies_down_and_writes_3_400_whole() -> None:
    fmt = formatter("fr")
    m = series([3400, 12850, 980, 2150, 7400], "bar", categories=CHANNELS[:5])
    assert bar_layout(m.points, fmt, COMPACT, m) == "horizontal"
    assert bar_layout(m.points, fmt, WIDE, m) == "vertical"
    compact, wide = drawings(chart_svg(m, fmt))
    assert texts(compact, "chart-value") == ["3\u202f400", "12\u202f850", "980", "2\u202f150", "7\u202f400"]
    assert texts(compact, "chart-tick") == CHANNELS[:5]
    assert texts(wide, "chart-tick")[-5:] == CHANNELS[:5]
    assert_inside(compact)


def test_dated_bars_stay_upright_and_shorten_or_drop_figures_never_cut_them() -> None:
    fmt = formatter("fr")
    months = [dt.date(2024, m, 1) for m in range(1, 13)]
    m = series([12850.0 + 1000 * i for i in range(12)], "bar", dates=months)
    assert bar_layout(m.points, fmt, COMPACT, m) == "vertical"
    for drawing in drawings(chart_svg(m, fmt)):
        figures = texts(drawing, "chart-value")
        assert not any("\u2026" in f for f in figures), figures


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("room", [20.0, 30.0, 40.0, 60.0, 90.0])
def test_value_labels_fit_their_room_whole_or_are_left_out(language: str, room: float) -> None:
    fmt = formatter(language)
    m = series([3400, 12850, 980, 2150, 7400], "bar", unit="€", categories=CHANNELS[:5])
    labels = value_labels(m.points, fmt, m, room, 12)
    assert all(text_width(label, 12) <= room and "\u2026" not in label for label in labels)
    if labels:
        assert labels[0] in (fmt.amount(3400, "€"), fmt.compact(3400, "€"))


@pytest.mark.parametrize(
    "name",
    [
        "Instagram Reels",
        "Instagram\u202fReels",
        "Instagram\u00a0Reels",
        "Newsletter hebdomadaire du dimanche",
        "Your order, our way",
        "Site web : pages produits",
        "Anticonstitutionnellement",
    ],
)
@pytest.mark.parametrize("room", [15.0, 40.0, 60.0, 75.0, 90.0, 120.0])
def test_a_cut_name_ends_at_a_word_without_a_space_before_the_ellipsis(name: str, room: float) -> None:
    label = fit_label(name, room, 13)
    if label == name:
        assert text_width(name, 13) <= room
        return
    assert label.endswith("\u2026")
    kept = label[:-1]
    assert kept and not kept[-1].isspace() and kept[-1] not in ",;:-", repr(label)
    assert name.startswith(kept)
    assert text_width(label, 13) <= room or len(kept) == 1
    # cut after a whole word when the first one fits
    first = re.split(r"[\s,]", name)[0]
    if first != name and text_width(first + "\u2026", 13) <= room:
        following = name[len(kept) : len(kept) + 1]
        assert following in (" ", "\u00a0", "\u202f", ","), repr(label)


def test_fit_label_examples() -> None:
    assert fit_label("Instagram Reels", 80, 13) == "Instagram\u2026"
    assert fit_label("Instagram\u202fReels", 80, 13) == "Instagram\u2026"
    assert fit_label("Your order, our way", 100, 13) == "Your order\u2026"
    assert fit_label("TikTok", 80, 13) == "TikTok"


@pytest.mark.parametrize(
    "name",
    [
        "Newsletter hebdomadaire du dimanche matin",
        "Instagram Reels",
        "Publicités Meta pour la boutique en ligne de Lyon",
        "Anticonstitutionnellement long",
        "Site\u00a0web\u00a0pages\u00a0produits",
    ],
)
@pytest.mark.parametrize("room", [40.0, 75.0, 120.0])
def test_a_long_name_goes_on_two_lines_before_it_is_cut(name: str, room: float) -> None:
    """A lying bar's name breaks at a plain space onto a second line; only what still does not
    fit is cut, and every line fits its room (or is one letter and an ellipsis)."""
    lines = wrap_label(name, room, 13)
    assert 1 <= len(lines) <= 2
    assert all(text_width(line, 13) <= room or len(line) <= 2 for line in lines), lines
    if len(lines) == 2:
        assert name.startswith(lines[0] + " ")  # broken at a plain space, not inside a word
        assert name[len(lines[0]) + 1 :].startswith(lines[1].removesuffix("\u2026"))
    if text_width(name, 13) <= room:
        assert lines == [name]
    if "\u00a0" in name:
        assert len(lines) == 1  # no-break spaces hold the words together


def test_a_phone_chart_writes_long_names_on_two_lines() -> None:
    fmt = formatter("fr")
    names = ["Newsletter du dimanche", "Publicités Meta boutique", "TikTok"]
    m = series([3400, 12850, 980], "bar", categories=names)
    compact, _wide = drawings(chart_svg(m, fmt))
    ticks = [t for t in compact.iter(f"{SVG}text") if "chart-tick" in t.get("class", "")]
    assert [len(t.findall(f"{SVG}tspan")) for t in ticks] == [2, 2, 0]
    assert texts(compact, "chart-tick") == names
    assert_inside(compact)
