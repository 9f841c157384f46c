"""Stopping a piece of work that runs too long, in whatever thread runs it (a page's
template, a document's Markdown): an exception raised in that thread at its next Python
instruction."""

from __future__ import annotations

import ctypes
import threading


class PageTooSlow(Exception):
    """Raised in the rendering thread by its Deadline (an Exception, so Jinja maps its
    traceback to the template's lines)."""


class Deadline:
    """Stops the code run in a `with` block after `seconds`, by raising PageTooSlow in its
    thread at the next Python instruction (CPython's PyThreadState_SetAsyncExc)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._thread = threading.get_ident()
        self._lock = threading.Lock()
        self._done = False
        self._fired = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._thread = threading.get_ident()
        self._timer.start()
        return self

    def _fire(self) -> None:
        with self._lock:
            if not self._done:
                self._fired = True
                # Once only: the exception may land anywhere up to the end of `with`, even
                # in __enter__ (then __exit__ never runs), so a second one could escape it.
                _async_raise(self._thread, PageTooSlow)

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._done = True
            self._timer.cancel()
            if self._fired and exc[0] is None:
                _async_raise(self._thread, None)  # fired as the block ended: take it back


def _async_raise(thread: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), ctypes.py_object(exc) if exc else ctypes.c_void_p(0)
    )
