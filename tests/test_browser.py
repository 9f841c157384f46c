"""The demo site in real Chromium, served under a sub-path with a strict CSP header."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import REPO, run_build

CHROMIUM = Path("/usr/bin/chromium")
CSP = (
    "default-src 'none'; img-src 'self'; style-src 'self'; font-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
PREFIX = "/~camille/portfolio/"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under PREFIX and answers missing paths with 404.html, as hosts do."""

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(PREFIX):
            return "/nonexistent"
        return super().translate_path("/" + path[len(PREFIX) :])

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if not path.exists():
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the browser closing a connection early is not a finding


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    out = tmp_path_factory.mktemp("demo") / "output"
    run_build(REPO, output=out, base_url="https://camille.example" + PREFIX)
    handler = functools.partial(_Handler, directory=str(out))
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}{PREFIX}", out
    server.shutdown()


def test_pages_work_under_a_sub_path_with_a_strict_csp(served: tuple[str, Path]) -> None:
    base, out = served
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.name != "404.html")
    problems: list[str] = []
    seen_links: set[str] = set()
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        for width in (320, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on(
                "console",
                lambda m: (
                    problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None
                ),
            )
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on(
                "requestfailed",
                lambda r: (
                    problems.append(f"failed: {r.url} {r.failure}")
                    if r.failure != "net::ERR_ABORTED"
                    else None
                ),
            )  # aborted by navigating on
            page.on(
                "response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None
            )
            for rel in pages:
                url = base + rel.removesuffix("index.html")
                page.goto(url)
                overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
                if overflow > 0:
                    problems.append(f"{rel} overflows by {overflow}px at {width}px")
                for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                    if href.startswith(base):
                        seen_links.add(urljoin(url, href).split("#")[0])
            page.close()
        check = browser.new_page()
        for link in sorted(seen_links):
            response = check.goto(link)
            if response is None or response.status != 200:
                problems.append(f"broken link {link}")
        browser.close()
    assert not problems, "\n".join(problems[:40])
    assert len(seen_links) >= len(pages)


def test_404_page_works_at_any_depth(served: tuple[str, Path]) -> None:
    base, _ = served
    problems: list[str] = []
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page()
        page.on(
            "response",
            lambda r: (
                problems.append(f"{r.status}: {r.url}")
                if r.status >= 400 and "no/such" not in r.url
                else None
            ),
        )
        response = page.goto(base + "no/such/page/here/")
        assert response is not None and response.status == 404
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # CSS loaded
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        here = base + "no/such/page/here/"
        internal = [link for link in links if link.startswith(base) and link.split("#")[0] != here]
        assert internal
        for link in internal:
            r = page.goto(link)
            if r is None or r.status != 200:
                problems.append(f"broken link from 404.html: {link}")
        browser.close()
    assert not problems, problems
