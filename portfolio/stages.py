"""What a build reports: the seconds of each stage, progress on long work, and the counts of
the work it did and reused."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

# The stages of the recipe, in order: `build --timings` prints them so.
STAGES = ("load", "model", "render", "assets", "links", "guard", "write")


class Progress(Protocol):
    """Told where a build is; the command line draws it, tests and `serve` ignore it."""

    def start(self, stage: str, total: int) -> None: ...

    def advance(self, done: int = 1) -> None: ...

    def finish(self) -> None: ...


class Silent:
    """No progress shown."""

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, done: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


class Timings:
    """Seconds spent in each stage of one build."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.seconds: dict[str, float] = {}
        self.progress: Progress = progress or Silent()

    @contextmanager
    def stage(self, name: str, total: int = 0) -> Iterator[None]:
        started = time.perf_counter()
        self.progress.start(name, total)
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def timing_lines(seconds: dict[str, float]) -> list[str]:
    """`render  1.23 s  61 %`, one line per stage, in the recipe's order."""
    total = sum(seconds.values()) or 1.0
    names = [s for s in STAGES if s in seconds] + [s for s in seconds if s not in STAGES]
    return [f"  {name:<7} {seconds[name]:7.3f} s  {100 * seconds[name] / total:3.0f} %" for name in names]


@dataclass(frozen=True)
class Counts:
    """The work a build did and the work it reused, by its own counters (tests read them)."""

    pages_rendered: int = 0
    pages_reused: int = 0
    markdown_parsed: int = 0
    markdown_reused: int = 0
    discarded: int = 0  # cache entries found damaged or foreign, and deleted
    rendered: tuple[str, ...] = ()  # the outputs rendered (not reused), in route order
    card_words: tuple[tuple[str, str], ...] = ()  # (card URL, the words it draws), sorted
