"""Where a long build is, drawn on a terminal: the stage, and items done out of the total.

Nothing is drawn for the first two seconds (most builds end before), nor when the output is
not a terminal (piped output stays plain lines).
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

import click

DELAY_SECONDS = 2.0
_LABELS = {"render": "Rendering pages", "assets": "Making images"}


class TerminalProgress:
    """A click progress bar per stage that has a count, once the build passes DELAY_SECONDS."""

    def __init__(self, stream: TextIO | None = None, delay: float = DELAY_SECONDS) -> None:
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.delay = delay
        self.stage = ""
        self.total = 0
        self.done = 0
        self._bar: Any = None

    def start(self, stage: str, total: int) -> None:
        self.finish()
        self.stage, self.total, self.done = stage, total, 0

    def advance(self, done: int = 1) -> None:
        self.done += done
        if self._bar is None:
            if not self.total or self.stage not in _LABELS or time.monotonic() - self.started < self.delay:
                return
            self._bar = click.progressbar(
                length=self.total, label=_LABELS[self.stage], file=self.stream, show_pos=True
            )
            self._bar.__enter__()
            self._bar.update(self.done)
        else:
            self._bar.update(done)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
