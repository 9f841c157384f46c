"""A page behind a password in real Chromium, served with the strict Content-Security-Policy
a private site needs (scripts and pictures from the site itself, pictures as data: URLs):
the wrong password says so, the right one shows the case study with its pictures and
charts, and a share link with the password after `#` opens it directly."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from conftest import REPO, run_build
from test_browser import CHROMIUM, FLAGS
from test_private import CLIENT, PASSWORD, SENTINEL, private_site

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")

CSP = (
    "default-src 'none'; script-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self'; "
    "media-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
AXE = REPO / ".ci/node/node_modules/axe-core/axe.min.js"  # npm install axe-core there to run it
PREFIX = "/portfolio/"


class _Handler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(PREFIX):
            return "/nonexistent"
        return super().translate_path("/" + path[len(PREFIX) :])

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = private_site(tmp_path_factory.mktemp("private-browser") / "site")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTFOLIO_PASSWORD", PASSWORD)
        env.setenv("NDA_PASSWORD", "another-Long-passphrase")
        run_build(root)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=str(root / "output"))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}{PREFIX}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


def _watched(browser: object, problems: list[str], **options: object) -> object:
    page = browser.new_page(**options)  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    return page


def _opened(page: object) -> None:
    """The case study is shown: its title, every picture decoded, its chart drawn."""
    page.wait_for_selector("h1.study-title", timeout=20_000)  # type: ignore[attr-defined]
    assert CLIENT in page.inner_text("h1")  # type: ignore[attr-defined]
    assert SENTINEL in page.inner_text("main")  # type: ignore[attr-defined]
    pictures = page.locator("main img:visible")  # type: ignore[attr-defined]
    assert pictures.count() >= 4
    for i in range(pictures.count()):
        picture = pictures.nth(i)
        picture.scroll_into_view_if_needed()
        picture.evaluate("img => img.decode()")
        assert picture.evaluate("img => img.naturalWidth") > 0
    chart = page.locator("figure.chart svg:visible").first  # type: ignore[attr-defined]
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50
    assert page.locator("figure.chart svg .chart-line, figure.chart svg path").count() > 0  # type: ignore[attr-defined]


def test_the_password_opens_the_page_and_a_wrong_one_says_so(served: str, browser: object) -> None:
    problems: list[str] = []
    page = _watched(browser, problems, viewport={"width": 1280, "height": 900})
    page.goto(served + "case-studies/analytics-relaunch/")  # type: ignore[attr-defined]
    form = page.locator("#unlock-form")  # type: ignore[attr-defined]
    assert form.is_visible()
    assert page.locator("#unlock-wrong").is_hidden()  # type: ignore[attr-defined]
    page.get_by_label("Password", exact=True).fill("not the password")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Open the case study").click()  # type: ignore[attr-defined]
    wrong = page.locator("#unlock-wrong")  # type: ignore[attr-defined]
    wrong.wait_for(state="visible", timeout=20_000)
    assert "does not open the page" in wrong.inner_text()
    assert page.get_attribute("#unlock-password", "aria-invalid") == "true"  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.id") == "unlock-password"  # type: ignore[attr-defined]
    page.get_by_label("Password", exact=True).fill(PASSWORD)  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    _opened(page)
    assert page.title().startswith(f"Relaunching {CLIENT} on LinkedIn")  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.lang") == "en"  # type: ignore[attr-defined]
    assert not page.locator("#unlock-form").count()  # type: ignore[attr-defined]
    # The lightbox (CSS :target) of the page's gallery still works inside it.
    page.locator("a.gallery-zoom").first.click()  # type: ignore[attr-defined]
    assert page.locator(".lightbox:target img").is_visible()  # type: ignore[attr-defined]
    assert not problems, problems


def test_the_share_link_opens_it_directly_and_leaves_no_password_in_the_address(
    served: str, browser: object
) -> None:
    problems: list[str] = []
    page = _watched(browser, problems, viewport={"width": 375, "height": 800})
    page.goto(served + "case-studies/analytics-relaunch/#password=" + quote(PASSWORD))  # type: ignore[attr-defined]
    _opened(page)
    assert page.evaluate("location.hash") == ""  # type: ignore[attr-defined]
    assert "password" not in page.url  # type: ignore[attr-defined]
    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")  # type: ignore[attr-defined]
    assert overflow <= 0
    # A wrong share link leaves the form, with the message.
    page = _watched(browser, problems)
    page.goto(served + "case-studies/analytics-relaunch/#password=nope")  # type: ignore[attr-defined]
    page.locator("#unlock-wrong").wait_for(state="visible", timeout=20_000)  # type: ignore[attr-defined]
    assert page.evaluate("location.hash") == ""  # type: ignore[attr-defined]
    assert not problems, problems


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed in .ci/node")
def test_axe_finds_nothing_on_the_form_the_locked_card_and_the_opened_page(
    served: str, browser: object
) -> None:
    # axe is injected as a script of the test's own: the page's policy is bypassed for it only.
    page = browser.new_page(bypass_csp=True)  # type: ignore[attr-defined]
    found: dict[str, list[str]] = {}

    def audit(name: str) -> None:
        page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
        result = page.evaluate(  # type: ignore[attr-defined]
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => v.id + ': ' + v.impact))"
        )
        found[name] = result

    page.goto(served + "case-studies/analytics-relaunch/")  # type: ignore[attr-defined]
    audit("form")
    page.goto(served + "case-studies/")  # type: ignore[attr-defined]
    audit("list")
    page.goto(served + "case-studies/analytics-relaunch/#password=" + quote(PASSWORD))  # type: ignore[attr-defined]
    page.wait_for_selector("h1.study-title", timeout=20_000)  # type: ignore[attr-defined]
    audit("opened")
    assert found == {"form": [], "list": [], "opened": []}
