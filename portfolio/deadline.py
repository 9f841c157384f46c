"""Stopping a piece of work that runs too long, in whatever thread runs it (a page's
template, a document's Markdown): an exception raised in that thread at its next Python
instruction."""

from __future__ import annotations

import ctypes
import threading

# After the first exception, how often it is raised again while the block still runs: the
# first one can land where Python swallows it (a weakref callback during a garbage
# collection, a library's `except Exception`), and then nothing would stop the block.
AGAIN_EVERY_SECONDS = 0.5
MOST_RAISES = 20


class PageTooSlow(Exception):
    """Raised in the rendering thread by its Deadline (an Exception, so Jinja maps its
    traceback to the template's lines)."""


class Deadline:
    """Stops the code run in a `with` block after `seconds`, by raising PageTooSlow in its
    thread at the next Python instruction (CPython's PyThreadState_SetAsyncExc), again
    every AGAIN_EVERY_SECONDS until the block ends."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._thread = threading.get_ident()
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._fired = False
        self._watcher = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> Deadline:
        self._thread = threading.get_ident()
        try:
            self._watcher.start()
            return self
        except PageTooSlow:  # a deadline shorter than starting a thread: __exit__ will not run
            self._finish()
            raise

    def _watch(self) -> None:
        wait = self.seconds
        for _ in range(MOST_RAISES):
            if self._done.wait(wait):
                return
            with self._lock:
                if self._done.is_set():
                    return
                self._fired = True
                _async_raise(self._thread, PageTooSlow)
            wait = AGAIN_EVERY_SECONDS

    def __exit__(self, *exc: object) -> None:
        try:
            self._finish()
        except PageTooSlow:  # landed in here, before the watcher stopped: the block was late
            self._finish()
            raise

    def _finish(self) -> None:
        with self._lock:
            self._done.set()
            if self._fired:
                _async_raise(self._thread, None)  # one still pending must not escape the block


def _async_raise(thread: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), ctypes.py_object(exc) if exc else ctypes.c_void_p(0)
    )
