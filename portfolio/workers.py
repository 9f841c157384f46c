"""Process pools for the build's heavy work, whose workers never outlive the build.

A worker asks the kernel to kill it when its parent dies (Linux `PR_SET_PDEATHSIG`), and
watches its parent besides (other systems, or a parent killed before the request took
effect): after `kill -9` of a build, no worker keeps a core busy or a file open.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

A = TypeVar("A")
T = TypeVar("T")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` fresh processes (spawned: safe beside serve's threads)."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
    )


def die_with_parent(parent: int) -> None:
    """Run in each worker first: end this process as soon as `parent` is gone."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request above
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def worker_count(requested: int, work: int, big_enough: int) -> int:
    """The processes to share `work` items over: `requested` when the user asked for a
    number, else every core once the work is big enough to pay for starting them."""
    if requested > 0:
        return min(requested, max(work, 1))
    return cores() if work >= big_enough else 1


def shared(task: Callable[[A, list[T]], list[R]], common: A, items: list[T], workers: int) -> list[R]:
    """`task(common, items)`, the items split in order over `workers` processes, this one
    among them (so two cores need one new process); the results in the order of the items."""
    if workers < 2 or len(items) < 2:
        return task(common, items)
    size = -(-len(items) // workers)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with pool(len(chunks) - 1) as others:
        futures = [others.submit(task, common, chunk) for chunk in chunks[1:]]
        results = task(common, chunks[0])
        for future in futures:
            results += future.result()
    return results
