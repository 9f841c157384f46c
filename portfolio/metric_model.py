"""The metric model: what a case study's results are once read, for charts, pages and consent.

Pure data (no files, no YAML): `metrics` reads them from front matter, `exports` reads a
series' points from a CSV export, and both make the values defined here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass
from decimal import Decimal


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
    decimals: int = 0  # the most decimals the user wrote in any of its figures
    line: int | None = None

    def precision(self, value: float) -> int:
        """The decimals one figure is shown with: as many as it was written with (`14` next
        to `16.5` stays 14, not 14.0), within the metric's own (a computed value such as a
        change takes the metric's)."""
        return min(decimals_of(value), self.decimals)


def decimals_of(*numbers: float | None) -> int:
    """How many decimals the user wrote (4.8 -> 1, 2.50 -> 2, 1.2e-06 -> 7), so figures keep
    them; a number read from YAML carries its text (`written`), as a float forgets `2.50`."""
    best = 0
    for n in numbers:
        if n is None or not math.isfinite(n):
            continue
        written = getattr(n, "written", None)
        try:
            exact = Decimal(written.replace("_", "")) if isinstance(written, str) else None
        except ArithmeticError:
            exact = None
        if exact is None and float(n).is_integer():
            continue
        exponent = (exact if exact is not None else Decimal(repr(float(n)))).as_tuple().exponent
        if isinstance(exponent, int):
            best = max(best, -exponent)
    return min(best, 12)


def date_pattern(points: tuple[Point, ...]) -> str:
    """Monthly figures read `Sep 2024`; daily or weekly ones `15 Sep 2024`."""
    days = sorted(p.x for p in points if isinstance(p.x, dt.date))
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    return "d MMM y" if gaps and min(gaps) < 28 else "MMM y"
