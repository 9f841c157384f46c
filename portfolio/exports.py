"""Analytics exports (GA4, Meta Business Suite, LinkedIn, Excel) read into series points.

Files come as UTF-8, UTF-16 or Windows-1252, with `,`, `;` or tabs, comment lines, dates
in four shapes and numbers in every national format: see SPEC.md, Metrics.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path

from .encodings import EncodingError, decode_text, looks_like_text
from .fields import describe, parse_month, printable
from .metric_model import Point
from .yamlfile import WrittenFloat


class CsvError(Exception):
    def __init__(self, message: str, line: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def decode_csv(raw: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 (Excel "Unicode text"), else Windows-1252 or Latin-1."""
    try:
        text = decode_text(raw)
    except EncodingError:
        raise CsvError("starts like UTF-16 text but is not valid UTF-16; export it again") from None
    if not looks_like_text(text):
        raise CsvError("is not a text file (it holds binary data); export the table as CSV")
    return text


_CURRENCY = r"(?:[€$£]|EUR|USD|GBP)"
# Sign, currency before or after, digits grouped by spaces (plain, no-break, narrow no-break),
# apostrophes, `,` or `.`; `%` after; `(12)` is accounting for -12; `−` is U+2212.
_NUMBER = re.compile(
    rf"(?P<open>\()?\s*(?P<sign>[-+\u2212])?\s*(?:{_CURRENCY}\s*)?(?P<sign2>[-+\u2212])?\s*"
    rf"(?P<digits>\d(?:[\d\s.,'’]*\d)?)\s*(?:(?:%|{_CURRENCY})\s*)?(?P<close>\))?",
    re.IGNORECASE,
)


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
        group in whole and not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+", whole)
    ):
        return None  # `1,2,3` or `1.5.2024`: not a number in any locale
    value = float(whole.replace(group, "") + "." + (fraction or "0"))
    if not math.isfinite(value):
        return None
    if not fraction:
        return -value if negative else value
    # `12 050,00 €` keeps its two decimals, as a number written in YAML does.
    shown = WrittenFloat(-value if negative else value)
    shown.written = ("-" if negative else "") + whole.replace(group, "") + "." + fraction
    return shown


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


def load_csv(
    path: Path, x_col: str | None, y_col: str | None, date_format: str | None, categories: bool
) -> list[Point]:
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
            hint = (
                " (a number with a thousands separator must be in quotes)"
                if len(row) > len(names) and delimiter == ","
                else ""
            )
            raise CsvError(f"expected {len(names)} columns like the header, found {len(row)}{hint}", n)
        rows.append((n, row))
    others = [c for _, r in rows for i, c in enumerate(r) if i not in (xi, yi)]
    decimal = decimal_mark([r[yi] for _, r in rows], others, delimiter)
    # Slash dates are day-first unless one value proves month-first (09/15/2024).
    proof = (
        None
        if date_format
        else next(
            ((n, r[xi].strip()) for n, r in rows if (m := _DMY.fullmatch(r[xi].strip())) and int(m[2]) > 12),
            None,
        )
    )
    points: list[Point] = []
    seen: dict[dt.date, int] = {}
    for n, row in rows:
        y = parse_number(row[yi], decimal)
        if y is None:
            raise CsvError(f"expected a number, got {describe(row[yi])}", n, printable(names[yi], 40))
        x: dt.date | str | None = parse_date(row[xi], date_format, proof is not None)
        if x is None and not categories:
            raise CsvError(_date_problem(row[xi], date_format, proof), n, printable(names[xi], 40))
        if isinstance(x, dt.date):
            if x in seen:  # e.g. a GA4 export with a second dimension: pick one per date
                raise CsvError(
                    f"{x.isoformat()} is also on line {seen[x]}: one row per date",
                    n,
                    printable(names[xi], 40),
                )
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
        return problem + f" (dates are read month-first, as {describe(proof[1])} on line {proof[0]} shows)"
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
    columns = ", ".join(printable(n, 40) for n in names)
    raise CsvError(f"no column named {describe(wanted)} for `{axis}`; columns are: {columns}", line)
