"""Metrics read from front matter: changes, single figures and series (inline or from a CSV
export). The values they make are the model in `metric_model`, re-exported here."""

from __future__ import annotations

import datetime as dt
import math
from typing import TypedDict

from .exports import CsvError, load_csv
from .fields import Fields, describe, parse_month
from .metric_model import Metric, Point, date_pattern, decimals_of
from .paths import site_relative
from .yamlfile import YList, YMap, is_date

__all__ = ["CHARTS", "KNOWN", "Metric", "Point", "date_pattern", "decimals_of", "read_metric"]

CHARTS = ("line", "area", "bar")
KNOWN = (
    "label",
    "before",
    "after",
    "value",
    "series",
    "x",
    "y",
    "chart",
    "unit",
    "source",
    "contribution",
    "better",
    "headline",
    "confidential",
    "date_format",
)


class _Common(TypedDict):
    """The fields every kind of metric takes."""

    unit: str | None
    source: str | None
    contribution: str | None
    better: str
    headline: bool
    confidential: bool
    line: int | None


def read_metric(f: Fields) -> Metric | None:
    label = f.text("label", required=True, one_line=True)
    has = [k for k in ("before", "after", "value", "series") if f.has(k)]
    common = _Common(
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
            metric = Metric(
                label or "",
                "change",
                before=before,
                after=after,
                decimals=decimals_of(before, after),
                **common,
            )
    elif has == ["value"]:
        value = f.number("value")
        if value is not None:
            metric = Metric(label or "", "value", value=value, decimals=decimals_of(value), **common)
        if common["confidential"]:  # a value has no change to show in its place
            f.warn(
                "confidential",
                "a confidential single value shows nothing but a dash",
                "give `before` and `after` (only the relative change is shown), or leave the metric out",
            )
    elif has in (["before"], ["after"]):
        missing = "after" if has == ["before"] else "before"
        f.error(missing, f"`{has[0]}` needs `{missing}` too", line=f.line(has[0]))
    else:
        f.error(
            "", "a metric needs `before` and `after`, or `value`, or `series` (one of them)", line=f.line()
        )
    if chart and "series" not in has:
        f.error("chart", "`chart` is only for a `series`")
    for key in ("x", "y", "date_format"):
        if f.has(key) and "series" not in has:
            f.error(key, f"`{key}` is only for a `series`")
    f.finish(KNOWN)
    return metric if label else None


def _series(f: Fields, label: str, chart: str, common: _Common) -> Metric | None:
    raw = f.raw("series")
    x_col = f.text("x", one_line=True)
    y_col = f.text("y", one_line=True)
    date_format = f.text("date_format", one_line=True)
    points: list[Point] = []
    source = ""  # the CSV file, named when it has too few rows
    if isinstance(raw, YList):
        for i, item in enumerate(raw):
            line = raw.item_lines[i]
            extra = (
                {k for k in item if not str(k).startswith("_")} - {"x", "y"}
                if isinstance(item, YMap)
                else set()
            )
            if not isinstance(item, YMap) or extra or "y" not in item:  # `_` keys: the user's notes
                f.error(f"series[{i}]", "expected a point such as {x: 2024-09, y: 3100}", line=line)
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
            points.append(Point(x, y if isinstance(y, float) else float(y)))  # keeps `written`
    elif isinstance(raw, str):
        path = f.file("series", publish=False)  # read here, never published
        if path is None:
            return None
        try:
            points = load_csv(path, x_col, y_col, date_format, chart == "bar")
        except CsvError as exc:
            f.src.problems.error(site_relative(path, f.src.site_root), exc.message, exc.line, exc.column)
            return None
        source = " from " + site_relative(path, f.src.site_root)
    else:
        f.expected("series", "a list of points or the path of a CSV file", raw)
        return None
    dated = [p for p in points if isinstance(p.x, dt.date)]
    if chart == "bar" and 0 < len(dated) < len(points):
        f.error("series", "mixes dates and categories on the x axis; use one or the other")
        return None
    seen: set[object] = set()
    for i, p in enumerate(points):
        if isinstance(p.x, dt.date) and p.x in seen:
            exact = isinstance(raw, YList) and len(raw) == len(points)
            f.error(
                f"series[{i}].x" if exact else "series",
                f"{p.x} appears twice: one point per date",
                line=raw.item_lines[i] if exact and isinstance(raw, YList) else None,
            )
            return None
        seen.add(p.x)
    if chart != "bar" and len(dated) != len(points):
        f.error(
            "series",
            "dates are needed on the x axis for a line or area chart; categories work with `chart: bar`",
        )
        return None
    if not f.ok:
        return None  # a point was wrong: that is the error to fix first
    if len(points) < 2:
        f.error("series", f"a series needs at least two points, got {len(points)}{source}")
        return None
    if len(dated) == len(points):
        points.sort(key=lambda p: p.x)  # type: ignore[arg-type, return-value]
    return Metric(
        label,
        "series",
        points=tuple(points),
        chart=chart,
        x_label=x_col,
        y_label=y_col,
        decimals=decimals_of(*(p.y for p in points)),
        **common,
    )
