"""Metric models: changes, single figures and series (inline or from a CSV export)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
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
        f.error("series", f"a series needs at least two points, got {len(points)}")
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


_NUMBER_JUNK = re.compile(r"[\s\u00a0\u202f'%€$£]|EUR|USD|GBP")


def parse_number(text: str) -> float | None:
    """`41 230`, `4,8 %`, `1,234.5`, `1.234,5`, `€18,400` -> float."""
    t = _NUMBER_JUNK.sub("", text.strip())
    if not t:
        return None
    if "," in t and "." in t:
        t = t.replace(",", "") if t.rfind(".") > t.rfind(",") else t.replace(".", "").replace(",", ".")
    elif "," in t:
        # Several commas, or one before exactly three digits, group thousands; else a decimal.
        thousands = t.count(",") > 1 or re.fullmatch(r"-?\d{1,3},\d{3}", t) is not None
        t = t.replace(",", "" if thousands else ".")
    try:
        value = float(t)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


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
    iso = parse_month(t)
    if iso:
        return iso
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})", t)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        year += 2000 if year < 100 else 0
        day, month = (b, a) if month_first else (a, b)
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def load_csv(path: Path, x_col: str | None, y_col: str | None, date_format: str | None,
             categories: bool) -> list[Point]:
    """Read an analytics export into points; a row that cannot be read names line and column."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvError(f"cannot be read: {exc.strerror}") from None
    text = decode_csv(raw)
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        raise CsvError("the file has no rows")
    header_line, header = numbered[0]
    delimiter = max(";,\t", key=header.count)
    rows = list(csv.reader(io.StringIO("\n".join(line for _, line in numbered)),
                           delimiter=delimiter))
    names = [h.strip() for h in rows[0]]
    xi = _column(names, x_col, 0, header_line, "x")
    yi = _column(names, y_col, 1, header_line, "y")
    raw_x = [(numbered[i][0], row) for i, row in enumerate(rows[1:], 1) if any(c.strip() for c in row)]
    month_first = not date_format and any(
        (m := re.fullmatch(r"\s*(\d{1,2})[/.](\d{1,2})[/.]\d{2,4}\s*", row[xi]))
        and int(m[2]) > 12 for _, row in raw_x if len(row) > xi)
    points = []
    for line, row in raw_x:
        if len(row) != len(names):
            hint = (" (a number with a thousands separator must be in quotes)"
                    if len(row) > len(names) and delimiter == "," else "")
            raise CsvError(f"expected {len(names)} columns like the header, found "
                           f"{len(row)}{hint}", line)
        y = parse_number(row[yi])
        if y is None:
            raise CsvError(f"expected a number, got {describe(row[yi])}", line, names[yi])
        x: dt.date | str | None = parse_date(row[xi], date_format, month_first)
        if x is None:
            if not categories:
                raise CsvError(f"expected a date, got {describe(row[xi])}", line, names[xi])
            x = row[xi].strip()
        points.append(Point(x, y))
    return points


def _column(names: list[str], wanted: str | None, default: int, line: int, axis: str) -> int:
    if wanted is None:
        if len(names) <= default:
            raise CsvError(f"needs at least {default + 1} columns", line)
        return default
    for i, name in enumerate(names):
        if name.casefold() == wanted.casefold():
            return i
    raise CsvError(f"no column named {wanted!r} for `{axis}`; columns are: " + ", ".join(names),
                   line)
