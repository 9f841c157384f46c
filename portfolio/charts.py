"""A series metric drawn as inline SVG at build time (pure, deterministic, no script).

Each chart is drawn twice, for a narrow and a wide box, so its words stay readable from a
phone to a desktop; the theme's CSS shows one of them. Colours are CSS
classes, so themes restyle them, dark mode and print included; a line carries dots and
direct labels, negative bars a hatch: nothing is told by colour alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from babel.numbers import format_scientific

from .locale import CURRENCIES, Formatter
from .metric_model import Metric, Point, date_pattern


@dataclass(frozen=True)
class Frame:
    """A drawing box: its size in SVG units, the text size and how many ticks fit."""

    name: str
    width: int
    height: int
    font: int
    x_ticks: int
    y_ticks: int


COMPACT = Frame("compact", 360, 230, 13, 4, 4)
WIDE = Frame("wide", 720, 300, 14, 7, 5)
_TOP, _BOTTOM, _RIGHT = 24, 30, 14  # room for the last value, the x labels and the last dot
_CHAR = 0.62  # the width of a character, in font sizes (for fitting labels)


def chart_svg(m: Metric, fmt: Formatter) -> str:
    """Both drawings of a series metric, compact first."""
    uid = "chart-" + hashlib.sha1(repr((m.label, m.chart, m.points)).encode()).hexdigest()[:10]
    return "".join(_draw(m, fmt, frame, f"{uid}-{frame.name}") for frame in (COMPACT, WIDE))


# -- scales --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    low: float
    high: float
    ticks: tuple[float, ...]
    step: float
    factor: float  # values were divided by this to stay within float range

    def ratio(self, value: float) -> float:
        """0 at `low`, 1 at `high` (values are given divided by `factor`)."""
        return (value - self.low) / (self.high - self.low)


def nice_step(span: float, count: int) -> float:
    """The 1, 2 or 5 times a power of ten that cuts `span` into about `count` steps."""
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if raw <= m * magnitude * (1 + 1e-9))


def value_scale(values: Sequence[float], chart: str, count: int) -> Scale:
    """A y axis with nice ticks. Areas and bars always start at zero; a line does when its
    values are all positive and not far from it."""
    biggest = max(abs(v) for v in values)
    if biggest < 1e-300:  # zero, or too small to tell from it
        return Scale(0.0, 1.0, (0.0, 0.5, 1.0), 0.5, 1.0)
    # Work on values around 1: even 1e308 and -1e308 then have a finite span.
    factor = 10.0 ** math.floor(math.log10(biggest))
    if factor == 0 or not math.isfinite(factor):
        factor = 1.0
    scaled = [v / factor for v in values]
    low, high = min(scaled), max(scaled)
    if chart in ("area", "bar") or (low >= 0 and low <= high / 2):
        low = min(low, 0.0)
    if chart == "bar":
        high = max(high, 0.0)
    if high - low <= 1e-9 * max(abs(low), abs(high)):  # equal, or apart only by float noise
        low, high = (low - 1, high + 1) if low else (0.0, 1.0)
    # The finest 1-2-5 step that needs at most count + 1 intervals: little empty space.
    step = nice_step(high - low, count * 2)
    while math.ceil(high / step - 1e-9) - math.floor(low / step + 1e-9) > count + 1:
        step = nice_step(step * 1.5, 1)
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    n = round((end - start) / step)
    ticks = tuple(round((start + i * step) / step) * step for i in range(n + 1))
    return Scale(ticks[0], ticks[-1], ticks, step, factor)


def date_ticks(
    first: dt.date,
    last: dt.date,
    count: int,
    finest: str = "day",
    fits: Callable[[list[tuple[dt.date, str]]], bool] | None = None,
) -> list[tuple[dt.date, str]]:
    """Dates for the x axis at a calendar step (days, weeks, months, years) with their
    pattern: the year is written on the first tick and in January. Steps finer than the
    data (`finest`: monthly figures get no weekly ticks) and steps whose labels would
    touch (`fits`) are skipped."""
    span = (last - first).days
    if span == 0:
        return [(first, "d MMM y")]
    units = ["day", "week", "month", "year"]
    for unit, n in _DATE_STEPS:
        if units.index(unit) < units.index(finest):
            continue
        estimate = {
            "day": span / n,
            "week": span / (7 * n),
            "month": span / (30.4 * n),
            "year": span / (365.25 * n),
        }[unit]
        if estimate > count + 1:
            continue
        ticks = _calendar(first, last, unit, n)
        labelled = [(d, _pattern(unit, d, i)) for i, d in enumerate(ticks)]
        if 1 <= len(ticks) <= count and (fits is None or fits(labelled)):
            return labelled
    return [(first, "MMM y"), (last, "MMM y")]


_DATE_STEPS = [
    ("day", 1),
    ("day", 2),
    ("week", 1),
    ("week", 2),
    ("month", 1),
    ("month", 2),
    ("month", 3),
    ("month", 6),
    *(("year", n) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)),
]


def _calendar(first: dt.date, last: dt.date, unit: str, n: int) -> list[dt.date]:
    found: list[dt.date] = []
    if unit in ("day", "week"):
        day = first
        if unit == "week":  # Mondays
            day = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        while day <= last:
            found.append(day)
            day += dt.timedelta(days=n * (7 if unit == "week" else 1))
        return found
    months = n if unit == "month" else 12 * n
    index = first.year * 12 + first.month - 1
    if first.day > 1:
        index += 1
    index += (-index) % months  # January, April... or every n-th year
    while True:
        year, month = divmod(index, 12)
        if year > 9999 or year < 1:
            break
        day = dt.date(year, month + 1, 1)
        if day > last:
            break
        found.append(day)
        index += months
    return found


def _pattern(unit: str, day: dt.date, index: int) -> str:
    if unit == "year":
        return "y"
    if unit == "month":
        return "MMM y" if index == 0 or day.month == 1 else "MMM"
    return "d MMM y" if index == 0 else "d MMM"


# -- drawing -------------------------------------------------------------------------------


def _draw(m: Metric, fmt: Formatter, frame: Frame, uid: str) -> str:
    points = list(m.points)
    values = [p.y for p in points]
    hidden = m.confidential  # the shape, never the figures
    if m.chart == "bar" and bar_layout(points, fmt, frame, m) == "horizontal":
        return _horizontal_bars(points, fmt, frame, uid, m)
    scale = value_scale(values, m.chart, frame.y_ticks)
    y_labels = [] if hidden else _tick_labels(scale, m.unit, fmt)
    # Room for the longest tick label, which ends 8 units left of the plot.
    left = 16 + max((len(t) for t in y_labels), default=0) * frame.font * _CHAR
    left = min(left, frame.width * 0.35)
    plot_w = frame.width - left - _RIGHT
    plot_h = frame.height - _TOP - _BOTTOM
    bottom = _TOP + plot_h

    def y_of(value: float) -> float:
        return _clamp(_TOP + (1 - scale.ratio(value / scale.factor)) * plot_h, _TOP, bottom)

    out = _opening(f"chart-svg chart-{frame.name}", frame.width, frame.height, uid, m, fmt)
    for tick, label in zip(scale.ticks, y_labels or [""] * len(scale.ticks), strict=True):
        y = y_of(tick * scale.factor)
        kind = "chart-zero" if tick == 0 and scale.low < 0 else "chart-grid"
        out.append(
            f'<line class="{kind}" x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + plot_w)}" y2="{_n(y)}"/>'
        )
        if label:
            out.append(
                f'<text class="chart-tick" x="{_n(left - 8)}" y="{_n(y)}" '
                f'font-size="{frame.font}" text-anchor="end" dominant-baseline="middle">'
                f"{_e(label)}</text>"
            )
    if m.chart == "bar":
        out += _bars(points, fmt, frame, uid, left, plot_w, y_of, m, hidden)
    else:
        out += _line(points, fmt, frame, left, plot_w, y_of, m, scale, hidden)
    out.append(
        f'<line class="chart-axis" x1="{_n(left)}" y1="{_n(bottom)}" '
        f'x2="{_n(left + plot_w)}" y2="{_n(bottom)}"/>'
    )
    out.append("</svg>")
    return "".join(out)


YOf = Callable[[float], float]


def _line(
    points: list[Point],
    fmt: Formatter,
    frame: Frame,
    left: float,
    plot_w: float,
    y_of: YOf,
    m: Metric,
    scale: Scale,
    hidden: bool,
) -> list[str]:
    first, last = points[0].x, points[-1].x
    assert isinstance(first, dt.date) and isinstance(last, dt.date)
    span = (last - first).days

    def x_of(day: dt.date) -> float:
        return left + ((day - first).days / span * plot_w if span else plot_w / 2)

    xy = [(x_of(p.x), y_of(p.y)) for p in points if isinstance(p.x, dt.date)]
    bottom = frame.height - _BOTTOM
    out = []

    def anchor_of(x: float) -> str:
        return "start" if x - left < 20 and span else ("end" if left + plot_w - x < 20 else "middle")

    def extent(day: dt.date, pattern: str) -> tuple[float, float]:
        """Where a tick's label is drawn, from its anchor and its width."""
        x, width = x_of(day), text_width(fmt.date(day, pattern), frame.font)
        anchor = anchor_of(x)
        return (
            (x, x + width)
            if anchor == "start"
            else (x - width, x)
            if anchor == "end"
            else (x - width / 2, x + width / 2)
        )

    def fits(ticks: list[tuple[dt.date, str]]) -> bool:
        """Adjacent labels keep a gap of 8 units and stay inside the drawing."""
        boxes = [extent(d, p) for d, p in ticks]
        inside = all(a >= 0 and b <= frame.width for a, b in boxes)
        return inside and all(b[0] - a[1] >= 8 for a, b in itertools.pairwise(boxes))

    finest = "day" if date_pattern(tuple(points)).startswith("d") else "month"
    for day, pattern in date_ticks(first, last, frame.x_ticks, finest, fits):
        x = x_of(day)
        anchor = anchor_of(x)
        out.append(
            f'<text class="chart-tick" x="{_n(x)}" y="{_n(bottom + frame.font + 6)}" '
            f'font-size="{frame.font}" text-anchor="{anchor}">'
            f"{_e(fmt.date(day, pattern))}</text>"
        )
    path = " ".join(f"{_n(x)},{_n(y)}" for x, y in xy)
    if m.chart == "area":
        base = y_of(_clamp(0.0, scale.low * scale.factor, scale.high * scale.factor))
        out.append(
            f'<path class="chart-area" d="M{_n(xy[0][0])},{_n(base)} L{path} L{_n(xy[-1][0])},{_n(base)} Z"/>'
        )
    out.append(f'<polyline class="chart-line" points="{path}"/>')
    if len(xy) <= 40:  # a dot on each figure: the line reads without colour
        out += [f'<circle class="chart-dot" cx="{_n(x)}" cy="{_n(y)}" r="3.5"/>' for x, y in xy]
    out.append(f'<circle class="chart-dot chart-dot-last" cx="{_n(xy[-1][0])}" cy="{_n(xy[-1][1])}" r="5"/>')
    if not hidden:  # the latest figure, written by its dot, on the side the line is not
        x, y = xy[-1]
        text = fmt.amount(points[-1].y, m.unit if m.unit in _SHOWN_UNITS else None, m.precision(points[-1].y))
        came_from = xy[-2][1] if len(xy) > 1 else y
        above = came_from >= y  # the line rises into the dot: the room is above it
        ty = y - 12 if above else y + frame.font + 8
        if ty < frame.font or ty > bottom - 4:
            ty = y - 12 if not above else y + frame.font + 8
        out.append(
            f'<text class="chart-value" x="{_n(x - 4)}" '
            f'y="{_n(_clamp(ty, frame.font, bottom - 4))}" font-size="{frame.font}" '
            f'text-anchor="end">{_e(text)}</text>'
        )
    return out


def _bars(
    points: list[Point],
    fmt: Formatter,
    frame: Frame,
    uid: str,
    left: float,
    plot_w: float,
    y_of: YOf,
    m: Metric,
    hidden: bool,
) -> list[str]:
    band = plot_w / len(points)
    width = max(band * 0.68, 1.0)
    zero = y_of(0.0)
    bottom = frame.height - _BOTTOM
    names = bar_names(points, fmt)
    dated = isinstance(points[0].x, dt.date)
    # Label every n-th bar, so that labels never touch: dates whole, categories cut at 12
    # characters when they must be.
    widest = max(text_width(n if dated else n[:12], frame.font) for n in names) + 8
    every = max(1, math.ceil(widest / band), math.ceil(len(points) / (frame.x_ticks * 2)))
    figures = [] if hidden else value_labels(points, fmt, m, band - 4, frame.font - 1)
    out = [_hatch(uid)]
    for i, p in enumerate(points):
        x = left + i * band + (band - width) / 2
        y = y_of(p.y)
        top, height = min(y, zero), abs(zero - y)
        name = names[i]
        figure = "" if hidden else fmt.amount(p.y, m.unit, m.precision(p.y))
        tip = fmt.word("metrics.tooltip", label=name, value=figure) if figure else name
        negative = p.y < 0
        fill = f' fill="url(#{uid}-hatch)"' if negative else ""
        out.append(
            f'<rect class="chart-bar{" chart-bar-negative" if negative else ""}"{fill} '
            f'x="{_n(x)}" y="{_n(top)}" width="{_n(width)}" height="{_n(max(height, 0.5))}">'
            f"<title>{_e(tip)}</title></rect>"
        )
        if figures:
            label = figures[i]
            ty = top - 5 if not negative else top + height + frame.font
            out.append(
                f'<text class="chart-value" x="{_n(x + width / 2)}" '
                f'y="{_n(_clamp(ty, frame.font, bottom - 2))}" font-size="{frame.font - 1}"'
                f' text-anchor="middle">{_e(label)}</text>'
            )
        if i % every == 0 and (i < every or names[i] != names[i - every]):
            label = name if dated else fit_label(name, every * band - 8, frame.font)
            half = text_width(label, frame.font) / 2
            centre = _clamp(x + width / 2, half + 1, frame.width - half - 1)  # inside the drawing
            out.append(
                f'<text class="chart-tick" x="{_n(centre)}" '
                f'y="{_n(bottom + frame.font + 6)}" font-size="{frame.font}" '
                f'text-anchor="middle">{_e(label)}</text>'
            )
    return out


def bar_names(points: Sequence[Point], fmt: Formatter) -> list[str]:
    """A bar's name: its category, or its date at the data's own step (weekly and daily
    figures by their day, monthly ones by their month); past 12 bars the year is written
    only on the first and in January."""
    dated = [p.x for p in points if isinstance(p.x, dt.date)]
    if len(dated) != len(points):
        return [str(p.x) for p in points]
    pattern = date_pattern(tuple(points))
    if len(points) <= 12:
        return [fmt.date(d, pattern) for d in dated]
    short = pattern.replace(" y", "")
    return [
        fmt.date(d, pattern if i == 0 or d.year != dated[i - 1].year else short) for i, d in enumerate(dated)
    ]


# -- bars' words: whole figures, names cut at a word ----------------------------------------


def value_labels(points: Sequence[Point], fmt: Formatter, m: Metric, room: float, font: float) -> list[str]:
    """The figure written on each bar, each within `room` units at `font`: in full, else in
    the short notation (`3,4 k`), else none at all. A figure is never cut: `3 40…` would be
    a wrong number, and the tooltip and the table keep every figure anyway."""
    shown = m.unit if m.unit in _SHOWN_UNITS else None
    full = [fmt.amount(p.y, shown, m.precision(p.y)) for p in points]
    short = [fmt.compact(p.y, m.unit) for p in points]
    # Past 100 000 the short notation is the rule, as on the axis.
    choices = [short] if max(abs(p.y) for p in points) >= 100_000 else [full, short]
    for labels in choices:
        if all(text_width(label, font) <= room for label in labels):
            return labels
    return []


def bar_layout(points: Sequence[Point], fmt: Formatter, frame: Frame, m: Metric) -> str:
    """`vertical`, or `horizontal` for categories whose names or figures would not all be
    written whole under and on upright bars (a phone's width, long names, many bars): lying
    bars give every name a line and every figure the room after its bar. Dates stay upright,
    time runs left to right."""
    if any(isinstance(p.x, dt.date) for p in points):
        return "vertical"
    if len(points) > frame.x_ticks * 2:
        return "horizontal"
    values = [p.y for p in points]
    scale = value_scale(values, "bar", frame.y_ticks)
    y_labels = [] if m.confidential else _tick_labels(scale, m.unit, fmt)
    left = min(16 + max((len(t) for t in y_labels), default=0) * frame.font * _CHAR, frame.width * 0.35)
    band = (frame.width - left - _RIGHT) / len(points)
    if any(text_width(str(p.x), frame.font) + 8 > band for p in points):
        return "horizontal"
    if not m.confidential and not value_labels(points, fmt, m, band - 4, frame.font - 1):
        return "horizontal"
    return "vertical"


_CUT_AFTER = re.compile(r"[\s,;:/(–—-]+$")  # what a cut name must not end with before "…"


def fit_label(text: str, room: float, font: float) -> str:
    """`text` if it fits in `room` units at `font`, else its longest beginning that fits with
    "…", cut after a whole word (inside a word only when the first one does not fit), and
    never with a space (no-break ones included) or a comma before the "…"."""
    if text_width(text, font) <= room:
        return text
    ellipsis = "\u2026"
    longest = 0
    for end in range(1, len(text) + 1):
        if text_width(_CUT_AFTER.sub("", text[:end]) + ellipsis, font) > room:
            break
        longest = end
    longest = max(longest, 1)
    cut = text[:longest]
    words = [w.end() for w in re.finditer(r"\S+(?=[\s,;:/(–—-])", cut)]
    if words and text[longest : longest + 1] not in ("", *_WORD_END):
        cut = cut[: words[-1]]
    kept = _CUT_AFTER.sub("", cut) or text[:1]
    return kept + ellipsis


_WORD_END = tuple(" \u00a0\u202f\t,;:/(–—-")


def wrap_label(text: str, room: float, font: float) -> list[str]:
    """`text` on one line if it fits in `room`, else on two, broken at a plain space (no-break
    spaces hold their words together), the second line cut as `fit_label` cuts; a first
    word too long for the line is cut on one line instead."""
    if text_width(text, font) <= room:
        return [text]
    breaks = [i for i, c in enumerate(text) if c == " " and text_width(text[:i], font) <= room]
    if not breaks:
        return [fit_label(text, room, font)]
    first, rest = text[: breaks[-1]].rstrip(), text[breaks[-1] + 1 :].lstrip()
    return [first, fit_label(rest, room, font)] if rest else [first]


def _horizontal_bars(points: list[Point], fmt: Formatter, frame: Frame, uid: str, m: Metric) -> str:
    """Categories as lying bars, one a line: the name on the left, the figure after the bar."""
    font = frame.font
    hidden = m.confidential
    names = [str(p.x) for p in points]
    name_room = min(max(text_width(n, font) for n in names), frame.width * 0.38)
    labels = [wrap_label(n, name_room, font) for n in names]
    name_room = max(text_width(line, font) for label in labels for line in label)
    # Two-line names take a taller row for every bar, so the bars keep one rhythm.
    two_lines = any(len(label) > 1 for label in labels)
    pitch, thick, pad = round(font * (3.3 if two_lines else 2.3)), round(font * 1.4), 6
    height = 2 * pad + len(points) * pitch
    plot_left, plot_right = 4 + name_room + 8, frame.width - 4
    choices: list[list[str]] = [[]]
    if not hidden:  # in full while the bars keep most of the width, else short, else none
        short = [fmt.compact(p.y, m.unit) for p in points]
        choices = [value_labels(points, fmt, m, frame.width * 0.25, font) or short, short, []]
    for figures in choices:
        after = [text_width(f, font) + 6 for f in figures]
        right_room = max((w for w, p in zip(after, points, strict=False) if p.y >= 0), default=0.0)
        left_room = max((w for w, p in zip(after, points, strict=False) if p.y < 0), default=0.0)
        span = plot_right - plot_left - right_room - left_room
        if span >= frame.width * 0.2:
            break
    span = max(span, 1.0)
    scale = value_scale([p.y for p in points], "bar", 8)

    def x_of(value: float) -> float:
        x = plot_left + left_room + scale.ratio(value / scale.factor) * span
        return _clamp(x, plot_left + left_room, plot_left + left_room + span)

    zero = x_of(0.0)
    out = [
        *_opening(f"chart-svg chart-{frame.name} chart-horizontal", frame.width, height, uid, m, fmt),
        _hatch(uid),
    ]
    for i, p in enumerate(points):
        middle = pad + i * pitch + pitch / 2
        end = x_of(p.y)
        negative = p.y < 0
        figure = "" if hidden else fmt.amount(p.y, m.unit, m.precision(p.y))
        tip = fmt.word("metrics.tooltip", label=names[i], value=figure) if figure else names[i]
        fill = f' fill="url(#{uid}-hatch)"' if negative else ""
        out.append(
            f'<rect class="chart-bar{" chart-bar-negative" if negative else ""}"{fill} '
            f'x="{_n(min(zero, end))}" y="{_n(middle - thick / 2)}" '
            f'width="{_n(max(abs(end - zero), 0.5))}" height="{_n(thick)}">'
            f"<title>{_e(tip)}</title></rect>"
        )
        name_x = _n(plot_left - 8)
        lines = labels[i]
        written = (
            _e(lines[0])
            if len(lines) == 1
            else f'<tspan x="{name_x}" dy="-0.6em">{_e(lines[0])}</tspan>'
            f'<tspan x="{name_x}" dy="1.2em">{_e(lines[1])}</tspan>'
        )
        out.append(
            f'<text class="chart-tick" x="{name_x}" y="{_n(middle)}" '
            f'font-size="{font}" text-anchor="end" dominant-baseline="middle">{written}</text>'
        )
        if figures:
            tx, anchor = (end - 5, "end") if negative else (end + 5, "start")
            out.append(
                f'<text class="chart-value" x="{_n(tx)}" y="{_n(middle)}" font-size="{font}" '
                f'text-anchor="{anchor}" dominant-baseline="middle">{_e(figures[i])}</text>'
            )
    out.append(
        f'<line class="chart-axis" x1="{_n(zero)}" y1="{pad - 2}" x2="{_n(zero)}" y2="{height - pad + 2}"/>'
    )
    out.append("</svg>")
    return "".join(out)


# The advance of characters in the charts' sans-serif, in font sizes, on the wide side
# (DejaVu Sans, the widest common fallback): narrow marks and spaces, wide letters,
# capitals, and the rest (tabular figures are as wide as lower-case letters).
_NARROW = set("ijlrtfI.,:;'’|!() \u202f\u00a0")
_WIDE = set("MWmwœŒ%@")


def text_width(text: str, font: float) -> float:
    """About how wide `text` is drawn at `font` (generous: labels never touch)."""
    units = sum(0.36 if c in _NARROW else 0.92 if c in _WIDE else 0.74 if c.isupper() else 0.64 for c in text)
    return units * font


# -- words ---------------------------------------------------------------------------------

_SHOWN_UNITS = {"%", *CURRENCIES}  # other units are words: the axis leaves them out


def describe(m: Metric, fmt: Formatter) -> str:
    """The chart in a sentence or two, for screen readers (and the title tooltip)."""
    points = m.points

    pattern = date_pattern(points)

    def at(p: Point) -> str:
        return fmt.date(p.x, pattern) if isinstance(p.x, dt.date) else str(p.x)

    first, last = points[0], points[-1]
    dated = isinstance(first.x, dt.date) and isinstance(last.x, dt.date)
    if m.confidential:
        if first.y and dated:
            change = (last.y - first.y) / abs(first.y) * 100
            return fmt.word(
                "metrics.chart_confidential",
                change=fmt.signed(fmt.percent(abs(change)), change),
                span=fmt.span(first.x, last.x, pattern),  # type: ignore[arg-type]
            )
        return fmt.word("metrics.confidential")
    high = max(points, key=lambda p: p.y)
    low = min(points, key=lambda p: p.y)

    def amount(p: Point) -> str:
        return fmt.amount(p.y, m.unit, m.precision(p.y))

    extremes = fmt.word(
        "metrics.chart_extremes", max=amount(high), max_at=at(high), min=amount(low), min_at=at(low)
    )
    if not isinstance(first.x, dt.date) or not isinstance(last.x, dt.date):  # categories: only sizes
        return fmt.word("metrics.chart_values", count=str(len(points))) + " " + extremes
    text = fmt.word(
        "metrics.chart_desc",
        first=amount(first),
        start=fmt.when(first.x, pattern),
        last=amount(last),
        end=fmt.when(last.x, pattern),
    )
    return text + " " + extremes


def _tick_labels(scale: Scale, unit: str | None, fmt: Formatter) -> list[str]:
    """The y axis' labels, all in one notation: `100K` never sits beside `80,000`."""
    values = [t * scale.factor for t in scale.ticks]
    biggest = max(abs(v) for v in values)
    shown = unit if unit in _SHOWN_UNITS else None
    if not all(math.isfinite(v) for v in values) or 0 < biggest < 1e-6:
        exponent = round(math.log10(scale.factor)) if scale.factor != 1 else 0
        return [
            format_scientific(t, locale=fmt.language) + (f"E{exponent}" if exponent else "")
            for t in scale.ticks
        ]
    if biggest >= 100_000:
        return [fmt.compact(v, shown) for v in values]
    step = scale.step * scale.factor
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    return [fmt.amount(v, shown, min(decimals, 6)) for v in values]


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _n(value: float) -> str:
    """A coordinate: two decimals at most, never NaN (inputs are finite and clamped)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _e(text: str) -> str:
    """Text for SVG: escaped, and without the characters XML forbids (from a CSV cell)."""
    return html.escape(_NOT_XML.sub("", text), quote=True)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _opening(classes: str, width: float, height: float, uid: str, m: Metric, fmt: Formatter) -> list[str]:
    """An SVG chart's opening tag with its title and description (what a screen reader says)."""
    return [
        f'<svg class="{classes}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-t" aria-describedby="{uid}-d" focusable="false">',
        f'<title id="{uid}-t">{_e(m.label)}</title>',
        f'<desc id="{uid}-d">{_e(describe(m, fmt))}</desc>',
    ]


def _hatch(uid: str) -> str:
    """The pattern negative bars are filled with, so they read without colour."""
    return (
        f'<defs><pattern id="{uid}-hatch" class="chart-hatch" width="6" height="6" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6"/><line x1="0" y1="0" x2="0" y2="6"/></pattern></defs>'
    )
