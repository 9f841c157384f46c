"""`portfolio check --external`: ask every outside address the site links to whether it still
answers, politely (a few requests at a time, one or two per site, a short timeout).

Only a page that is gone (404, 410), a server error, a timeout or a site that cannot be
reached counts as dead: many sites answer robots with 401, 403, 429 or LinkedIn's 999 while
the page is there for people, so those count as alive. Nothing here fails a build.
"""

from __future__ import annotations

import socket
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import __version__

TIMEOUT = 10.0  # seconds for each step of a request (connecting, then each read)
WORKERS = 8  # requests at once, over all sites
PER_HOST = 2  # requests at once to one site
_AGENT = f"Mozilla/5.0 (compatible; portfolio-link-check/{__version__})"
_GONE = {404: "Not Found", 410: "Gone"}
_RETRY_WITH_GET = {400, 403, 405, 406, 501}  # servers that refuse HEAD but serve GET


@dataclass(frozen=True)
class Answer:
    url: str
    dead: bool
    why: str  # "answered 404 Not Found", "did not answer within 10 s"...
    unreachable: bool = False  # no name resolution: maybe no network at all


def check_addresses(urls: Iterable[str], timeout: float = TIMEOUT, workers: int = WORKERS) -> list[Answer]:
    """Request each address once (HEAD, then GET where HEAD is refused); in input order."""
    todo = list(dict.fromkeys(urls))
    locks: dict[str, threading.Semaphore] = {}
    guard = threading.Lock()

    def one(url: str) -> Answer:
        host = (urlsplit(url).hostname or "").lower()
        with guard:
            lock = locks.setdefault(host, threading.Semaphore(PER_HOST))
        with lock:
            return _ask(url, timeout)

    if not todo:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo)))) as pool:
        return list(pool.map(one, todo))


def _ask(url: str, timeout: float) -> Answer:
    status = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": _AGENT, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
            exc.close()
            if method == "HEAD" and status in _RETRY_WITH_GET:
                continue
        except TimeoutError:
            return Answer(url, True, f"did not answer within {timeout:g} s")
        except urllib.error.URLError as exc:
            return _failed(url, exc.reason, timeout)
        except (OSError, ValueError) as exc:
            return _failed(url, exc, timeout)
        break
    if status in _GONE:
        return Answer(url, True, f"answered {status} {_GONE[status]}: the page is gone")
    if status is not None and status >= 500:
        return Answer(url, True, f"answered {status}, a server error (it may be temporary)")
    return Answer(url, False, f"answered {status}")


def _failed(url: str, reason: object, timeout: float) -> Answer:
    if isinstance(reason, TimeoutError):
        return Answer(url, True, f"did not answer within {timeout:g} s")
    if isinstance(reason, socket.gaierror):
        return Answer(url, True, "its site's name does not exist (or this computer is offline)", True)
    if isinstance(reason, ConnectionRefusedError):
        return Answer(url, True, "refused the connection")
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return Answer(url, True, "has a certificate problem (browsers will warn readers)")
    return Answer(url, True, f"could not be reached ({reason})")
