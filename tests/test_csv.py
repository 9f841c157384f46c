"""CSV series as analytics tools export them (SPEC.md, Metrics): fixtures byte for byte.

tests/fixtures/csv/ holds real export shapes: GA4 (comments, yyyymmdd, rows by metric),
Meta Business Suite (BOM, quoted "1,234"), LinkedIn (month-first dates), French Excel in
Windows-1252 (`;`, no-break spaces, `4,8 %`, `18 400,50 €`) and the same sheet as UTF-16
"Unicode text" (tabs, narrow no-break spaces), and broken files.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from conftest import build_errors, run_build, study, write_site

from portfolio.exports import decimal_mark, decode_csv, load_csv, parse_date, parse_number
from portfolio.locale import Formatter
from portfolio.metrics import Point
from portfolio.views import date_pattern

FIXTURES = Path(__file__).parent / "fixtures" / "csv"
STUDY_FILE = "content/case-studies/x.md"


def days(*pairs: tuple[str, float]) -> list[Point]:
    return [Point(dt.date.fromisoformat(d), y) for d, y in pairs]


GA4_SESSIONS = days(
    ("2024-09-01", 1312.0),
    ("2024-09-02", 1187.0),
    ("2024-09-03", 1402.0),
    ("2024-09-04", 998.0),
    ("2024-09-05", 1105.0),
    ("2024-09-06", 1480.0),
    ("2024-09-07", 1298.0),
)
META_REACH = days(
    ("2024-09-01", 1234.0),
    ("2024-09-02", 987.0),
    ("2024-09-03", 2310.0),
    ("2024-09-04", 12045.0),
    ("2024-09-05", 1876.0),
)
LINKEDIN_IMPRESSIONS = days(
    ("2024-09-01", 1520.0),
    ("2024-09-02", 1684.0),
    ("2024-09-08", 2210.0),
    ("2024-09-12", 1975.0),
    ("2024-09-15", 2480.0),
    ("2024-09-22", 2315.0),
    ("2024-09-29", 2650.0),
)
LINKEDIN_CLICKS = [
    Point(p.x, y) for p, y in zip(LINKEDIN_IMPRESSIONS, (38, 41, 67, 52, 73, 70, 81), strict=True)
]
FRENCH_DATES = ("2024-09-01", "2024-09-15", "2024-10-01", "2024-10-15", "2024-11-01")
FRENCH = {
    "Abonnés": days(*zip(FRENCH_DATES, (38912.0, 41230.0, 43105.0, 44870.0, 47002.0), strict=True)),
    "Taux d'engagement": days(*zip(FRENCH_DATES, (4.1, 4.8, 5.2, 4.9, 5.6), strict=True)),
    "Chiffre d'affaires": days(
        *zip(FRENCH_DATES, (12050.0, 18400.5, 21310.75, 19980.0, 24115.2), strict=True)
    ),
}

GOOD = [  # (fixture, x, y, expected points)
    ("ga4_sessions.csv", "Date", "Sessions", GA4_SESSIONS),
    ("meta_reach.csv", "Date", "Facebook Page reach", META_REACH),
    ("linkedin_page.csv", "Date", "Impressions (organic)", LINKEDIN_IMPRESSIONS),
    ("linkedin_page.csv", "Date", "Clicks (organic)", LINKEDIN_CLICKS),
    *[
        (name, "Période", y, points)
        for name in ("fr_excel.csv", "fr_excel_unicode.txt")
        for y, points in FRENCH.items()
    ],
]


def test_fixtures_are_the_exact_export_bytes() -> None:
    """Guard the shapes themselves, so an editor re-saving a fixture cannot weaken a test."""
    ga4 = (FIXTURES / "ga4_sessions.csv").read_bytes()
    assert ga4.startswith(b"# ---") and b"\n\nDate,Sessions,Engaged sessions\n20240906," in ga4
    meta = (FIXTURES / "meta_reach.csv").read_bytes()
    assert meta.startswith(b'\xef\xbb\xbf"Date","Facebook Page reach"\r\n"2024-09-01","1,234"\r\n')
    french = (FIXTURES / "fr_excel.csv").read_bytes()
    assert french.startswith(b"P\xe9riode;Abonn\xe9s;Taux d'engagement;")
    assert b";41\xa0230;4,8\xa0%;18\xa0400,50\xa0\x80\r\n" in french
    unicode_text = (FIXTURES / "fr_excel_unicode.txt").read_bytes()
    assert unicode_text.startswith(b"\xff\xfeP\x00\xe9\x00")
    assert "\t41\u202f230\t4,8\u00a0%\t18\u202f400,50\u00a0€\r\n" in unicode_text[2:].decode("utf-16-le")
    assert decode_csv(french) == decode_csv(unicode_text).replace("\t", ";").replace("\u202f", "\u00a0")
    assert (FIXTURES / "empty.csv").read_bytes() == b""


@pytest.mark.parametrize(("name", "x", "y", "expected"), GOOD)
def test_exports_load_to_the_exact_points(name: str, x: str, y: str, expected: list[Point]) -> None:
    assert load_csv(FIXTURES / name, x, y, None, categories=False) == expected


def test_ga4_other_column_and_a_bar_chart_of_dates_are_sorted_too() -> None:
    engaged = load_csv(FIXTURES / "ga4_sessions.csv", "Date", "Engaged sessions", None, True)
    assert [p.y for p in engaged] == [790.0, 733.0, 868.0, 611.0, 702.0, 912.0, 801.0]
    assert [p.x for p in engaged] == [p.x for p in GA4_SESSIONS]


def test_date_format_overrides_the_guess() -> None:
    points = load_csv(FIXTURES / "fr_excel.csv", "Période", "Abonnés", "%m/%d/%Y", True)
    # Read month-first on purpose: 15/09 is no date then, so it stays a bar category.
    assert [p.x for p in points][:2] == [dt.date(2024, 1, 9), "15/09/2024"]


# -- whole builds: the file in content/data/, the series table on the case study page ----------


def metric_line(name: str, x: str, y: str, chart: str = "line") -> str:
    return f'metrics:\n  - {{label: Trend, series: "../data/{name}", x: "{x}", y: "{y}", chart: {chart}}}'


def table_rows(page: str) -> list[tuple[str, str]]:
    """The (x, y) text of every row of the series table, as a reader sees it."""
    table = re.search(r'<table class="metric-table[^"]*">.*?</table>', page, re.S)
    assert table, "no series table on the page"
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>', table[0], re.S)
    return [(html.unescape(re.sub(r"<[^>]+>", "", a)).strip(), html.unescape(b).strip()) for a, b in rows]


def build_page(tmp_path: Path, name: str, x: str, y: str, chart: str = "line") -> str:
    root = write_site(
        tmp_path,
        {
            f"content/data/{name}": (FIXTURES / name).read_bytes(),
            STUDY_FILE: study(front=metric_line(name, x, y, chart)),
        },
    )
    run_build(root)
    return (root / "output/case-studies/x/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "x", "y", "chart", "expected"),
    [
        (
            "ga4_sessions.csv",
            "Date",
            "Sessions",
            "line",
            ["1,312", "1,187", "1,402", "998", "1,105", "1,480", "1,298"],
        ),
        (
            "meta_reach.csv",
            "Date",
            "Facebook Page reach",
            "area",
            ["1,234", "987", "2,310", "12,045", "1,876"],
        ),
        ("linkedin_page.csv", "Date", "Clicks (organic)", "line", ["38", "41", "67", "52", "73", "70", "81"]),
        ("fr_excel.csv", "Période", "Abonnés", "line", ["38,912", "41,230", "43,105", "44,870", "47,002"]),
        (
            "fr_excel_unicode.txt",
            "Période",
            "Chiffre d'affaires",
            "bar",
            ["12,050.00", "18,400.50", "21,310.75", "19,980.00", "24,115.20"],
        ),
    ],
)
def test_exports_render_in_a_real_build(
    tmp_path: Path, name: str, x: str, y: str, chart: str, expected: list[str]
) -> None:
    rows = table_rows(build_page(tmp_path, name, x, y, chart))
    assert [v for _, v in rows] == expected  # English site: the numbers in date order
    # Each row's date is the loaded point's date, in the same order.
    points = load_csv(FIXTURES / name, x, y, None, chart == "bar")
    # Daily figures are labelled by day, monthly ones by month.
    pattern = date_pattern(tuple(points))
    assert [d for d, _ in rows] == [
        Formatter("en", {}).date(p.x, pattern)  # type: ignore[arg-type]
        for p in points
    ]


# -- broken files: one error line naming the file, the line and the column --------------------


@pytest.mark.parametrize(
    ("name", "x", "y", "expected"),
    [
        (
            "bad_number.csv",
            "Date",
            "Sessions",
            'content/data/bad_number.csv:7: Sessions: expected a number, got "n/a"',
        ),
        (
            "bad_date.csv",
            "Période",
            "Abonnés",
            'content/data/bad_date.csv:3: Période: expected a date, got "31/09/2024" (there is no such date)',
        ),
        (
            "bad_columns.csv",
            "Date",
            "Clicks (organic)",
            "content/data/bad_columns.csv:4: expected 3 columns like the header, found 2",
        ),
        ("empty.csv", "Date", "Sessions", "content/data/empty.csv: the file has no rows"),
        (
            "header_only.csv",
            "Date",
            "Sessions",
            "content/case-studies/x.md:7: metrics[0].series: a series needs at least two points, got 0 "
            "from content/data/header_only.csv",
        ),
    ],
)
def test_broken_exports_are_one_clear_error(tmp_path: Path, name: str, x: str, y: str, expected: str) -> None:
    root = write_site(
        tmp_path,
        {
            f"content/data/{name}": (FIXTURES / name).read_bytes(),
            STUDY_FILE: study(front=metric_line(name, x, y)),
        },
    )
    message = build_errors(root)
    assert message.splitlines() == [expected, "1 error; output/ was left as it was."]
    assert "Traceback" not in message and "internal error" not in message


# -- the reading rules one by one ---------------------------------------------------------------


def load_text(
    tmp_path: Path, data: bytes | str, x: str = "Date", y: str = "Value", categories: bool = False
) -> list[Point]:
    path = tmp_path / "f.csv"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return load_csv(path, x, y, None, categories)


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("41 230", ".", 41230.0),
        ("1 234 567,5", ".", 1234567.5),
        ("41\u00a0230", ".", 41230.0),
        ("41\u202f230", ",", 41230.0),
        ("4,8 %", ".", 4.8),
        ("4,8\u00a0%", ".", 4.8),
        ("18 400,50 €", ".", 18400.5),
        ("1,234.5", ",", 1234.5),
        ("1.234,5", ".", 1234.5),
        ("1.234.567", ".", 1234567.0),
        ("1,234", ".", 1234.0),
        ("1,234", ",", 1.234),
        ("4.350", ",", 4350.0),
        ("4.350", ".", 4.35),
        ("0,500", ".", 0.5),
        ("1234,567", ".", 1234.567),
        ("1'234.5", ".", 1234.5),
        ("€18,400", ".", 18400.0),
        ("$1,234.56", ".", 1234.56),
        ("£12", ".", 12.0),
        ("12 EUR", ".", 12.0),
        ("USD 1,200.00", ".", 1200.0),
        ("18 400,50 GBP", ".", 18400.5),
        ("-12", ".", -12.0),
        ("\u221212", ".", -12.0),
        ("(12)", ".", -12.0),
        ("-€12,50", ".", -12.5),
        ("€ -12", ".", -12.0),
        ("-4,8 %", ".", -4.8),
        ("+3", ".", 3.0),
        ("0", ".", 0.0),
    ],
)
def test_parse_number(text: str, decimal: str, expected: float) -> None:
    assert parse_number(text, decimal) == expected


@pytest.mark.parametrize(
    "text",
    [
        "n/a",
        "",
        "-",
        "1,2,3",
        "1.5.2024",
        "12-",
        "-(12)",
        "(12",
        "--3",
        "3 12",
        "1 2345",
        "3 followers",
        "12%%",
        "1e5",
        "nan",
        "inf",
    ],
)
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("column", "others", "delimiter", "expected"),
    [
        (["1,234", "4,8"], [], ",", ","),  # a decimal comma in the column decides
        (["1,234", "2,345.5"], [], ";", "."),
        (["1.234", "2.345"], ["4,8 %"], "\t", ","),  # else the rest of the file
        (["1,234"], [], ";", ","),  # else the delimiter: `;` is European Excel
        (["1,234"], [], ",", "."),
        (["1,234"], [], "\t", "."),
    ],
)
def test_the_decimal_mark_is_decided_for_the_whole_column(
    column: list[str], others: list[str], delimiter: str, expected: str
) -> None:
    assert decimal_mark(column, others, delimiter) == expected


def test_ambiguous_numbers_read_alike_in_a_european_file(tmp_path: Path) -> None:
    semicolons = "Date;Value\n2024-09-01;4.350\n2024-10-01;12.800\n"
    assert [p.y for p in load_text(tmp_path, semicolons)] == [4350.0, 12800.0]
    # A decimal comma elsewhere in the column: `4.350` groups thousands there too.
    tabs = "Date\tValue\n2024-09-01\t4.350\n2024-10-01\t12,5\n"
    assert [p.y for p in load_text(tmp_path, tabs)] == [4350.0, 12.5]
    commas = 'Date,Value\n2024-09-01,4.350\n2024-10-01,"1,250"\n'
    assert [p.y for p in load_text(tmp_path, commas)] == [4.35, 1250.0]


@pytest.mark.parametrize(
    ("text", "month_first", "expected"),
    [
        ("20240915", False, dt.date(2024, 9, 15)),
        ("2024-09-15", False, dt.date(2024, 9, 15)),
        ("2024-09", False, dt.date(2024, 9, 1)),
        ("15/09/2024", False, dt.date(2024, 9, 15)),
        ("01/10/2024", False, dt.date(2024, 10, 1)),
        ("01/10/2024", True, dt.date(2024, 1, 10)),
        ("15.09.24", False, dt.date(2024, 9, 15)),
        ("2024-09-15T00:00:00", False, dt.date(2024, 9, 15)),
        ("20240931", False, None),
        ("31/09/2024", False, None),
        ("15/09/2024", True, None),
        ("1/2/345", False, None),
        ("Sep 2024", False, None),
    ],
)
def test_parse_date(text: str, month_first: bool, expected: dt.date | None) -> None:
    assert parse_date(text, None, month_first) == expected


def test_month_first_dates_that_disagree_say_why(tmp_path: Path) -> None:
    data = "Date,Value\n09/15/2024,1\n25/09/2024,2\n"
    with pytest.raises(
        Exception,
        match=r'expected a date, got "25/09/2024" \(dates are read '
        r'month-first, as "09/15/2024" on line 2 shows\)',
    ):
        load_text(tmp_path, data)


def test_one_row_per_date(tmp_path: Path) -> None:
    data = "Date,Channel,Value\n20240901,Organic,5\n20240902,Organic,6\n20240901,Paid,7\n"
    with pytest.raises(Exception, match="2024-09-01 is also on line 2: one row per date") as info:
        load_text(tmp_path, data)
    assert (info.value.line, info.value.column) == (4, "Date")  # type: ignore[attr-defined]


def test_only_the_first_ga4_table_is_read_and_hashtags_are_data(tmp_path: Path) -> None:
    data = (
        "# Account: A\n\nDate,Value\n20240902,6\n# a comment inside is skipped\n20240901,5\n\n"
        "# ----------------------------------------\n# Start date: 20240901\n\n"
        "Channel,Value\nOrganic,11\n"
    )
    assert load_text(tmp_path, data) == days(("2024-09-01", 5.0), ("2024-09-02", 6.0))
    bars = load_text(tmp_path, "Tag,Value\n#MaisonLune,120\n#Lyon,80\n", "Tag", categories=True)
    assert bars == [Point("#MaisonLune", 120.0), Point("#Lyon", 80.0)]  # file order


def test_excel_sep_line_padding_and_header_spelling(tmp_path: Path) -> None:
    data = "sep=;\r\nDate;Valeur;\r\n2024-09-01;1,5;;\r\n2024-10-01;2;\r\n"
    assert load_text(tmp_path, data, y="VALEUR") == days(("2024-09-01", 1.5), ("2024-10-01", 2.0))
    decomposed = "Date,Abonne\u0301s\n2024-09-01,1\n2024-10-01,2\n"  # a Mac writes é as e + ´
    assert [p.y for p in load_text(tmp_path, decomposed, y="Abonnés")] == [1.0, 2.0]


def test_quoted_header_with_a_comma_keeps_its_delimiter(tmp_path: Path) -> None:
    data = '"Date","Reach, paid"\n"2024-09-01","1,234"\n"2024-09-02","2,000"\n'
    assert [p.y for p in load_text(tmp_path, data, y="Reach, paid")] == [1234.0, 2000.0]
