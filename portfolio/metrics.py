"""Metric models: changes, single figures and series (inline or from a CSV export)."""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .fields import Fields, describe, parse_month
from .paths import site_relative
from .yamlfile import YList, YMap, is_date

CHARTS = ("line", "area", "bar")
KNOWN = ("label", "before", "after", "value", "series", "x", "y", "chart", "unit", "source",
         "contribution", "better", "headline", "confidential", "date_format")


@dataclass(frozen=True)
class Point:
    x: dt.date | str  # a date, or a category for bar charts
    y: float


@dataclass(frozen=True)
class Metric:
    label: str
    kind: str  # change | value | series
    before: float | None = None
    after: float | None = None
    value: float | None = None
    points: tuple[Point, ...] = ()
    chart: str = "line"
    x_label: str | None = None
    y_label: str | None = None
    unit: str | None = None
    source: str | None = None
    contribution: str | None = None
    better: str = "higher"
    headline: bool = False
    confidential: bool = False
    decimals: int = 0  # the precision the user wrote
    line: int | None = None


def decimals_of(*numbers: float | None) -> int:
    """How many decimals the user wrote (4.8 -> 1), so figures keep that precision."""
    best = 0
    for n in numbers:
        if n is None or not math.isfinite(n) or float(n).is_integer():
            continue
        text = repr(float(n))
        if "e" in text:
            continue
        best = max(best, len(text.split(".")[1]))
    return min(best, 6)


def read_metric(f: Fields) -> Metric | None:
    label = f.text("label", required=True, one_line=True)
    has = [k for k in ("before", "after", "value", "series") if f.has(k)]
    common = dict(
        unit=f.text("unit", one_line=True),
        source=f.text("source"),
        contribution=f.text("contribution"),
        better=f.choice("better", ("higher", "lower"), "higher") or "higher",
        headline=f.boolean("headline", False),
        confidential=f.boolean("confidential", False),
        line=f.line(),
    )
    chart = f.choice("chart", CHARTS, None)
    metric: Metric | None = None
    if "series" in has and len(has) == 1:
        metric = _series(f, label or "", chart or "line", common)
    elif set(has) == {"before", "after"}:
        before, after = f.number("before"), f.number("after")
        if before is not None and after is not None:
            metric = Metric(label or "", "change", before=before, after=after,
                            decimals=decimals_of(before, after), **common)  # type: ignore[arg-type]
    elif has == ["value"]:
        value = f.number("value")
        if value is not None:
            metric = Metric(label or "", "value", value=value, decimals=decimals_of(value),
                            **common)  # type: ignore[arg-type]
    elif has in (["before"], ["after"]):
        missing = "after" if has == ["before"] else "before"
        f.error(missing, f"`{has[0]}` needs `{missing}` too", line=f.line(has[0]))
    else:
        f.error("", "a metric needs `before` and `after`, or `value`, or `series` (one of them)",
                line=f.line())
    if chart and "series" not in has:
        f.error("chart", "`chart` is only for a `series`")
    for key in ("x", "y", "date_format"):
        if f.has(key) and "series" not in has:
            f.error(key, f"`{key}` is only for a `series`")
    f.finish(KNOWN)
    return metric if label else None


def _series(f: Fields, label: str, chart: str, common: dict) -> Metric | None:  # type: ignore[type-arg]
    raw = f.raw("series")
    x_col = f.text("x", one_line=True)
    y_col = f.text("y", one_line=True)
    date_format = f.text("date_format", one_line=True)
    points: list[Point] = []
    source = ""  # the CSV file, named when it has too few rows
    if isinstance(raw, YList):
        for i, item in enumerate(raw):
            line = raw.item_lines[i]
            extra = {k for k in item if not str(k).startswith("_")} - {"x", "y"} \
                if isinstance(item, YMap) else set()
            if not isinstance(item, YMap) or extra or "y" not in item:  # `_` keys: the user's notes
                f.error(f"series[{i}]", "expected a point such as {x: 2024-09, y: 3100}",
                        line=line)
                continue
            y = item["y"]
            if isinstance(y, bool) or not isinstance(y, int | float) or not math.isfinite(y):
                f.error(f"series[{i}].y", f"expected a number, got {describe(y)}", line=line)
                continue
            x = item.get("x")
            if isinstance(x, dt.datetime):
                x = x.date()
            if not is_date(x):
                x = parse_month(x) or (str(x) if x is not None else None)
            if x is None:
                f.error(f"series[{i}].x", "is required", line=line)
                continue
            points.append(Point(x, float(y)))
    elif isinstance(raw, str):
        path = f.file("series", publish=False)  # read here, never published
        if path is None:
            return None
        try:
            points = load_csv(path, x_col, y_col, date_format, chart == "bar")
        except CsvError as exc:
            f.src.problems.error(site_relative(path, f.src.site_root), exc.message, exc.line,
                                 exc.column)
            return None
        source = " from " + site_relative(path, f.src.site_root)
    else:
        f.expected("series", "a list of points or the path of a CSV file", raw)
        return None
    dated = [p for p in points if isinstance(p.x, dt.date)]
    if chart != "bar" and len(dated) != len(points):
        f.error("series", "dates are needed on the x axis for a line or area chart; "
                "categories work with `chart: bar`")
        return None
    if not f.ok:
        return None  # a point was wrong: that is the error to fix first
    if len(points) < 2:
        f.error("series", f"a series needs at least two points, got {len(points)}{source}")
        return None
    if len(dated) == len(points):
        points.sort(key=lambda p: p.x)  # type: ignore[arg-type, return-value]
    return Metric(label, "series", points=tuple(points), chart=chart, x_label=x_col,
                  y_label=y_col, decimals=decimals_of(*(p.y for p in points)),
                  **common)


class CsvError(Exception):
    def __init__(self, message: str, line: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def decode_csv(raw: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM (Excel "Unicode text"), else Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise CsvError("starts like UTF-16 text but is not valid UTF-16; export it again") \
                from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


_CURRENCY = r"(?:[€$£]|EUR|USD|GBP)"
# Sign, currency before or after, digits grouped by spaces (plain, no-break, narrow no-break),
# apostrophes, `,` or `.`; `%` after; `(12)` is accounting for -12; `−` is U+2212.
_NUMBER = re.compile(
    rf"(?P<open>\()?\s*(?P<sign>[-+\u2212])?\s*(?:{_CURRENCY}\s*)?(?P<sign2>[-+\u2212])?\s*"
    rf"(?P<digits>\d(?:[\d\s.,'’]*\d)?)\s*(?:(?:%|{_CURRENCY})\s*)?(?P<close>\))?",
    re.IGNORECASE)


def _digits(text: str) -> tuple[str, bool, bool] | None:
    """(digits with `,`/`.` only, negative, grouped by spaces or apostrophes), or None."""
    m = _NUMBER.fullmatch(text.strip())
    if not m or bool(m["open"]) != bool(m["close"]) or (m["sign"] and m["sign2"]):
        return None
    sign = m["sign"] or m["sign2"] or ""
    if m["open"] and sign:
        return None
    grouped = re.search(r"[\s'’]", m["digits"]) is not None
    if grouped and not re.fullmatch(r"\d{1,3}(?:[\s'’]\d{3})+(?:[.,]\d+)?", m["digits"]):
        return None  # `3 12` is two numbers, not a thousands group
    return re.sub(r"[\s'’]", "", m["digits"]), bool(m["open"]) or sign in ("-", "\u2212"), grouped


def _shown_mark(digits: str, grouped: bool) -> str | None:
    """The decimal mark a number proves by itself; None for `1,234` or `4.350` (either way)."""
    commas, dots = digits.count(","), digits.count(".")
    if commas and dots:
        return "," if digits.rfind(",") > digits.rfind(".") else "."
    if commas > 1 or dots > 1:
        return "." if commas else ","  # repeated, so it groups thousands
    if commas + dots == 0:
        return None
    mark = "," if commas else "."
    # One mark is a decimal unless it could group thousands: 1-3 digits (not 0), then 3.
    ambiguous = not grouped and re.fullmatch(r"[1-9]\d{0,2}[.,]\d{3}", digits)
    return None if ambiguous else mark


def decimal_mark(column: list[str], others: list[str], delimiter: str) -> str:
    """The column's decimal mark, decided once so `1,234` reads the same in every row.

    The column's own unambiguous numbers decide (`4,8`, `1.234.567`, `18 400,50`); then the
    rest of the file; then the delimiter: `;` is what Excel writes where `,` is the decimal.
    """
    for cells in (column, others):
        votes: Counter[str] = Counter()
        for cell in cells:
            found = _digits(cell)
            mark = _shown_mark(found[0], found[2]) if found else None
            if mark:
                votes[mark] += 1
        if votes[","] != votes["."]:
            return "," if votes[","] > votes["."] else "."
    return "," if delimiter == ";" else "."


def parse_number(text: str, decimal: str = ".") -> float | None:
    """`41 230`, `4,8 %`, `1,234.5`, `1.234,5`, `€18,400`, `−12`, `(12)` -> float, else None.

    `decimal` (see decimal_mark) settles only what the number cannot: `1,234` or `4.350`.
    """
    found = _digits(text)
    if found is None:
        return None
    digits, negative, grouped = found
    mark = _shown_mark(digits, grouped) or decimal
    group = "." if mark == "," else ","
    whole, _, fraction = digits.partition(mark)
    if not re.fullmatch(r"\d*", fraction) or (
            group in whole and not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+", whole)):
        return None  # `1,2,3` or `1.5.2024`: not a number in any locale
    value = float(whole.replace(group, "") + "." + (fraction or "0"))
    if not math.isfinite(value):
        return None
    return -value if negative else value


_DMY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})")


def parse_date(text: str, date_format: str | None, month_first: bool) -> dt.date | None:
    t = text.strip()
    if date_format:
        try:
            return dt.datetime.strptime(t, date_format).date()
        except ValueError:
            return None
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", t)  # GA4
    if m:
        t = f"{m[1]}-{m[2]}-{m[3]}"
    # `2024-09-01T00:00:00` (a timestamp per day): the day is what counts.
    t = re.sub(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2})?\S*$", r"\1", t)
    iso = parse_month(t)
    if iso:
        return iso
    m = _DMY.fullmatch(t)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        year += 2000 if year < 100 else 0
        day, month = (b, a) if month_first else (a, b)
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_COMMENT = re.compile(r"#(\s|-|$)")  # GA4: `# Account: ...`, `# ----`; `#hashtag` is data


def _table(text: str) -> tuple[list[tuple[int, str]], str | None]:
    """The header and rows of the first table with their line numbers, and a `sep=` delimiter.

    Blank and `#` comment lines are left out. An export may hold more tables, each after a
    blank line and a new comment block (GA4 style): only the first is read, so none mix.
    """
    lines: list[tuple[int, str]] = []
    sep = None
    after_blank = False
    for n, line in enumerate(_LINE_BREAK.split(text), 1):
        bare = line.strip()
        if n == 1 and (m := re.fullmatch(r'"?sep=(.)"?', bare, re.IGNORECASE)):
            sep = m[1]  # Excel's hint line, written by some exports
        elif not bare:
            after_blank = True
        elif bare.startswith("#") and (not lines or _COMMENT.match(bare)):
            if after_blank and len(lines) > 1:
                break
        else:
            after_blank = False
            lines.append((n, line))
    return lines, sep


def _cells(line: str, delimiter: str, n: int) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter, skipinitialspace=True))
    except csv.Error as exc:
        raise CsvError(f"cannot be read as CSV: {exc}", n) from None


def load_csv(path: Path, x_col: str | None, y_col: str | None, date_format: str | None,
             categories: bool) -> list[Point]:
    """Read an analytics export into points (dates sorted); a bad row names line and column."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvError(f"cannot be read: {exc.strerror}") from None
    lines, sep = _table(decode_csv(raw))
    if not lines:
        raise CsvError("the file has no rows")
    header_line, header = lines[0]
    # Count delimiters outside quotes: `"Date","Reach, paid"` is two columns.
    delimiter = sep or max(";,\t", key=re.sub(r'"[^"]*"', "", header).count)
    names = [unicodedata.normalize("NFC", h).strip() for h in _cells(header, delimiter, header_line)]
    xi = _column(names, x_col, 0, header_line, "x")
    yi = _column(names, y_col, 1, header_line, "y")
    rows = []
    for n, line in lines[1:]:
        row = _cells(line, delimiter, n)
        while len(row) > len(names) and not row[-1].strip():
            row.pop()  # Excel pads rows with trailing delimiters
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(names):
            hint = (" (a number with a thousands separator must be in quotes)"
                    if len(row) > len(names) and delimiter == "," else "")
            raise CsvError(f"expected {len(names)} columns like the header, found "
                           f"{len(row)}{hint}", n)
        rows.append((n, row))
    others = [c for _, r in rows for i, c in enumerate(r) if i not in (xi, yi)]
    decimal = decimal_mark([r[yi] for _, r in rows], others, delimiter)
    # Slash dates are day-first unless one value proves month-first (09/15/2024).
    proof = None if date_format else next(
        ((n, r[xi].strip()) for n, r in rows
         if (m := _DMY.fullmatch(r[xi].strip())) and int(m[2]) > 12), None)
    points: list[Point] = []
    seen: dict[dt.date, int] = {}
    for n, row in rows:
        y = parse_number(row[yi], decimal)
        if y is None:
            raise CsvError(f"expected a number, got {describe(row[yi])}", n, names[yi])
        x: dt.date | str | None = parse_date(row[xi], date_format, proof is not None)
        if x is None and not categories:
            raise CsvError(_date_problem(row[xi], date_format, proof), n, names[xi])
        if isinstance(x, dt.date):
            if x in seen:  # e.g. a GA4 export with a second dimension: pick one per date
                raise CsvError(f"{x.isoformat()} is also on line {seen[x]}: one row per date",
                               n, names[xi])
            seen[x] = n
        points.append(Point(x if x is not None else row[xi].strip(), y))
    if seen and len(seen) == len(points):
        points.sort(key=lambda p: p.x)  # type: ignore[arg-type, return-value]
    return points


def _date_problem(text: str, date_format: str | None, proof: tuple[int, str] | None) -> str:
    problem = f"expected a date, got {describe(text)}"
    if date_format:
        return problem + f" (date_format: {date_format})"
    if _DMY.fullmatch(text.strip()) and proof:
        return problem + f" (dates are read month-first, as {describe(proof[1])} on line " \
            f"{proof[0]} shows)"
    if _DMY.fullmatch(text.strip()) or re.fullmatch(r"\d{8}|\d{4}-\d{1,2}(-\d{1,2})?", text.strip()):
        return problem + " (there is no such date)"
    return problem


def _column(names: list[str], wanted: str | None, default: int, line: int, axis: str) -> int:
    if wanted is None:
        if len(names) <= default:
            raise CsvError(f"needs at least {default + 1} columns", line)
        return default
    key = unicodedata.normalize("NFC", wanted).strip().casefold()
    for i, name in enumerate(names):
        if name.casefold() == key:
            return i
    raise CsvError(f"no column named {wanted!r} for `{axis}`; columns are: " + ", ".join(names),
                   line)
