"""What templates show of a metric, formatted in the site's language (pure)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from .locale import Formatter
from .metrics import Metric, Point


@dataclass(frozen=True)
class MetricView:
    metric: Metric
    label: str
    kind: str  # change | value | series
    before: str = ""
    after: str = ""
    value: str = ""
    change: str = ""  # absolute change in the unit: +3.6 pts, −€0.41
    relative: str = ""  # +300 %; empty when the base is 0
    trend: str = "neutral"  # good | bad | neutral
    rows: tuple[tuple[str, str], ...] = ()  # a series as (x, y) text
    confidential: bool = False


def view_metric(m: Metric, fmt: Formatter) -> MetricView:
    if m.kind == "change" and m.before is not None and m.after is not None:
        delta = m.after - m.before
        if m.unit == "%":
            change = fmt.word("metrics.points", value=fmt.signed(fmt.number(abs(delta), m.decimals), delta))
        else:
            change = fmt.signed(fmt.amount(abs(delta), m.unit, m.decimals), delta)
        relative = _relative(m.before, m.after, fmt)
        trend = "neutral"
        if delta:
            trend = "good" if (delta > 0) == (m.better == "higher") else "bad"
        return MetricView(
            m,
            m.label,
            "change",
            before="" if m.confidential else fmt.amount(m.before, m.unit, m.decimals),
            after="" if m.confidential else fmt.amount(m.after, m.unit, m.decimals),
            change="" if m.confidential else change,
            relative=relative,
            trend=trend,
            confidential=m.confidential,
        )
    if m.kind == "value" and m.value is not None:
        return MetricView(
            m, m.label, "value", value=fmt.amount(m.value, m.unit, m.decimals), confidential=m.confidential
        )
    pattern = date_pattern(m.points)
    rows = tuple(
        (
            fmt.date(p.x, pattern) if isinstance(p.x, dt.date) else str(p.x),
            fmt.amount(p.y, m.unit, m.decimals),
        )
        for p in m.points
    )
    # A dated series changes from its first figure to its last: the one relative change a
    # confidential series may show.
    first, last = m.points[0], m.points[-1]
    relative, trend = "", "neutral"
    if isinstance(first.x, dt.date) and first.y != 0 and len(m.points) > 1:
        relative = _relative(first.y, last.y, fmt)
        if last.y != first.y:
            trend = "good" if (last.y > first.y) == (m.better == "higher") else "bad"
    return MetricView(
        m, m.label, "series", rows=rows, relative=relative, trend=trend, confidential=m.confidential
    )


def _relative(before: float, after: float, fmt: Formatter) -> str:
    """`+300%`, one decimal below 10 %; empty from 0, where no ratio exists."""
    if before == 0:
        return ""
    ratio = (after - before) / abs(before) * 100
    return fmt.signed(fmt.percent(abs(ratio), 0 if abs(ratio) >= 10 else 1), ratio)


def date_pattern(points: tuple[Point, ...]) -> str:
    """Monthly figures read `Sep 2024`; daily or weekly ones `15 Sep 2024`."""
    days = sorted(p.x for p in points if isinstance(p.x, dt.date))
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    return "d MMM y" if gaps and min(gaps) < 28 else "MMM y"
