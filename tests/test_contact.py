"""The contact form (portfolio.yaml's `contact:`): validated, rendered as a real accessible form
with no script, allowed by the Content-Security-Policy, and posted by real Chromium."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import CONFIG, REPO, build_errors, run_build, study, write_site

CONTACT_PAGE = "---\ntitle: Contact\n---\nThe quickest way to reach me is this form.\n"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def contact_site(root: Path, contact: str, language: str = "en") -> Path:
    config = CONFIG.replace("base_url:", f"language: {language}\nbase_url:") + contact
    return write_site(
        root,
        {"content/case-studies/a.md": study(), "content/pages/contact.md": CONTACT_PAGE},
        config=config,
    )


# -- portfolio.yaml -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        (
            "contact:\n  from: https://formspree.io/f/x\n",
            "portfolio.yaml:9: contact.from: unknown field `from`\n  hint: did you mean `form`?",
        ),
        (
            "contact:\n  provider: netlfy\n",
            'portfolio.yaml:9: contact.provider: expected one of netlify, got "netlfy"\n'
            "  hint: did you mean `netlify`?",
        ),
        (
            "contact:\n  form: http://forms.example/x\n",
            "portfolio.yaml:9: contact.form: sends messages unencrypted (http://); a form must post "
            "to an https:// address",
        ),
        (
            "contact:\n  form: formspree.io/f/x\n",
            "portfolio.yaml:9: contact.form: expected the web address your form service gave you, "
            'starting with https://, got "formspree.io/f/x"',
        ),
        (
            "contact:\n  form: https://formspree.io/f/x\n  provider: netlify\n",
            "portfolio.yaml:10: contact.provider: give either `form:` (an address) or `provider:`, not both",
        ),
        (
            "contact:\n  honeypot: name\n  provider: netlify\n",
            "portfolio.yaml:9: contact.honeypot: `name` is a field people fill in",
        ),
        ("contact: {}\n", "portfolio.yaml:8: contact: says where the form sends messages"),
    ],
)
def test_contact_settings_are_checked(tmp_path: Path, contact: str, expected: str) -> None:
    root = contact_site(tmp_path / "site", contact)
    assert expected in build_errors(root)


def test_a_form_without_its_page_is_a_warning(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {"content/case-studies/a.md": study()},
        config=CONFIG + "contact:\n  form: https://formspree.io/f/abc\n",
    )
    result = run_build(root)
    assert [str(w) for w in result.warnings if w.field == "contact"] == [
        "portfolio.yaml:7: contact: the form goes on the page `contact`, and the site has no such page\n"
        "  hint: add content/pages/contact.md (title: Contact), or name another page with "
        "contact: {page: SLUG}"
    ]


# -- the page and the policy ----------------------------------------------------------------


def _csp(root: Path) -> str:
    headers = (root / "output/_headers").read_text()
    found = re.search(r"^  Content-Security-Policy: (.+)$", headers, re.M)
    assert found, headers
    return found[1]


def test_a_form_address_renders_an_accessible_form_and_is_the_only_form_action(tmp_path: Path) -> None:
    root = contact_site(tmp_path / "site", "contact:\n  form: https://formspree.io/f/abcd1234?x=1\n")
    run_build(root)
    page = (root / "output/contact/index.html").read_text()
    form = page[page.index("<form") : page.index("</form>")]
    assert 'method="post" action="https://formspree.io/f/abcd1234?x=1"' in form
    for field, label in (("name", "Your name"), ("email", "Your email address"), ("message", "Your message")):
        assert f'<label for="contact-{field}">{label}</label>' in form
        assert f'id="contact-{field}"' in form and f'name="{field}"' in form
    assert 'type="email" name="email" autocomplete="email" required' in form
    trap = '<p class="form-trap" hidden><label>Leave this field empty <input type="text" name="_gotcha" '
    assert trap in form
    assert "<script" not in page and not re.search(r"\son\w+=", page)
    assert 'href="mailto:test@example.com"' in page[page.index("</form>") :]  # the fallback
    assert "delivered by formspree.io" in page
    # Other pages have no form; the policy allows exactly that address.
    assert "<form" not in (root / "output/index.html").read_text()
    assert "form-action https://formspree.io/f/abcd1234;" in _csp(root)


def test_netlify_forms_post_to_the_page_itself(tmp_path: Path) -> None:
    root = contact_site(tmp_path / "site", "contact:\n  provider: netlify\n", language="fr")
    run_build(root)
    page = (root / "output/contact/index.html").read_text()
    assert (
        '<form method="post" aria-labelledby="contact-form-title" name="contact" data-netlify="true" '
        'data-netlify-honeypot="bot-field">' in page
    )
    assert '<input type="hidden" name="form-name" value="contact">' in page
    assert '<h2 id="contact-form-title">Envoyez-moi un message</h2>' in page
    assert "Vous pouvez aussi m’écrire directement\u202f:" in page
    assert "Votre message est transmis par Netlify et n’est lu que par moi." in page
    assert "form-action 'self';" in _csp(root)


@pytest.mark.parametrize("theme", ["default", "bold", "data"])
def test_every_bundled_theme_shows_the_form_with_its_trap_hidden(tmp_path: Path, theme: str) -> None:
    root = contact_site(tmp_path / "site", "contact:\n  form: https://formspree.io/f/abc\n")
    config = root / "portfolio.yaml"
    config.write_text(config.read_text().replace("title:", f"theme: {theme}\ntitle:", 1))
    run_build(root)
    page = (root / "output/contact/index.html").read_text()
    assert '<form method="post" action="https://formspree.io/f/abc"' in page
    assert '<p class="form-trap" hidden><label>' in page


def test_without_contact_there_is_no_form_and_no_form_action(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site", {"content/case-studies/a.md": study(), "content/pages/contact.md": CONTACT_PAGE}
    )
    run_build(root)
    assert "<form" not in (root / "output/contact/index.html").read_text()
    assert "form-action 'none';" in _csp(root)


# -- real Chromium: the form posts to a local endpoint, the policy blocks nothing ---------------


class HeadersHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site with the headers its `_headers` file gives, as Netlify does."""

    def end_headers(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        for name, value in headers_for(Path(self.directory) / "_headers", path).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


def headers_for(file: Path, path: str) -> dict[str, str]:
    """The headers a `_headers` file gives `path`: every matching rule, values joined."""
    found: dict[str, str] = {}
    pattern = None
    for line in file.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith((" ", "\t")):
            pattern = re.compile(re.escape(line.strip()).replace(r"\*", ".*") + "$")
            continue
        if pattern and pattern.match(path):
            name, _, value = line.strip().partition(":")
            found[name] = f"{found[name]}, {value.strip()}" if name in found else value.strip()
    return found


class _Recorder(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, list[str]]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        fields = urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
        type(self).received.append(fields)
        body = b"<!doctype html><title>Thanks</title><p>Thanks</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # the browser asks the endpoint's site for a favicon
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _serve(handler: type[http.server.BaseHTTPRequestHandler] | functools.partial[object]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # type: ignore[arg-type]
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture
def endpoint() -> Iterator[str]:
    _Recorder.received = []
    yield from _serve(_Recorder)


def _watch(page: object, problems: list[str]) -> None:
    page.on(  # type: ignore[attr-defined]
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))  # type: ignore[attr-defined]
    # A violation the console might not show: the page's own event, reported by an init
    # script (Chromium runs it outside the policy).
    page.add_init_script(  # type: ignore[attr-defined]
        "document.addEventListener('securitypolicyviolation', "
        "e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_form_posts_every_field_to_its_endpoint_in_chromium(tmp_path: Path, endpoint: str) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    root = contact_site(tmp_path / "site", f"contact:\n  form: {endpoint}/f/portfolio\n")
    run_build(root)
    assert f"form-action {endpoint}/f/portfolio;" in _csp(root)
    site = _serve(functools.partial(HeadersHandler, directory=str(root / "output")))
    base = next(site)
    problems: list[str] = []
    try:
        with playwright_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            page = browser.new_page()
            _watch(page, problems)
            response = page.goto(base + "/contact/")
            assert response is not None and "form-action" in response.headers["content-security-policy"]
            assert page.locator("input[name=_gotcha]").is_hidden()
            page.get_by_label("Your name").fill("Léa Dubois")
            page.get_by_label("Your email address").fill("lea@example.com")
            page.get_by_label("Your message").fill("Hello,\nare you free in May?")
            with page.expect_navigation():
                page.get_by_role("button", name="Send the message").click()
            assert page.url == f"{endpoint}/f/portfolio"
            assert page.locator("p").inner_text() == "Thanks"
            browser.close()
    finally:
        site.close()
    assert _Recorder.received == [
        {
            "_gotcha": [""],
            "name": ["Léa Dubois"],
            "email": ["lea@example.com"],
            "message": ["Hello,\r\nare you free in May?"],
        }
    ]
    assert problems == []


# Every image loaded, the lazy ones too, and the fonts (waiting for the network to be idle took
# half a second a page).
LOAD_EVERY_IMAGE = """async () => {
  const images = [...document.images];
  images.forEach(i => { i.loading = "eager"; });
  const loaded = Promise.all(images.map(i => i.complete ? null : new Promise(done => {
    i.addEventListener("load", done); i.addEventListener("error", done);
  })));
  await Promise.race([Promise.all([loaded, document.fonts.ready]),
                      new Promise(done => setTimeout(done, 5000))]);
}"""


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_demo_under_its_own_headers_has_no_csp_violation(tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    out = tmp_path / "output"
    run_build(REPO, output=out)
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    site = _serve(functools.partial(HeadersHandler, directory=str(out)))
    base = next(site)
    problems: list[str] = []
    try:
        with playwright_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            page = browser.new_page()
            _watch(page, problems)
            for rel in pages:
                response = page.goto(f"{base}/{rel.removesuffix('index.html')}")
                assert response is not None and response.status == 200, rel
                assert "default-src 'none'" in response.headers["content-security-policy"]
                page.evaluate(LOAD_EVERY_IMAGE)
            browser.close()
    finally:
        site.close()
    assert problems == []
