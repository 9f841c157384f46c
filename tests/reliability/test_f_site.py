"""RELIABILITY.md, F. The generated site (F43-F48): hostile text in every field comes out as
text, escaped exactly once, in every page, feed, sitemap, JSON-LD block, chart and PDF of
both languages; links cannot run script; a strict CSP holds in a real browser.

One hostile site is built once per theme and read by every test (the checks walk every
output file, so a theme added later is covered as soon as it is bundled).
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import CONFIG, build_errors, run_build, study, write_site
from harness import html_files, json_ld_blocks, pdf_text
from images import jpeg

from portfolio.themes import bundled_dir

TITLE = "\"'><script>alert(1)</script> & </title><script>alert(2)</script>"
LD = "</script><!--<script> & \u2028\u2029 done"
AMP = "Payments & Crypto"
THEMES = sorted(p.name for p in bundled_dir().iterdir() if (p / "theme.yaml").is_file())

BODY = """\
## Context

[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](vbscript:msgbox(3))
[d](data:text/html,<script>x</script>) [e][ref] <javascript:alert(5)> [f]( javascript:alert(6) )

<a href="javascript:alert(7)">g</a> <a href=" jAvAsCrIpT:alert(8)">h</a>
<a href="https://ok.example/" target="_blank">opens a tab</a>
<a href="https://ok.example/2" target="_blank" rel="opener">i</a> <svg onload="alert(10)"></svg>
<iframe src="javascript:alert(11)"></iframe> <form action="javascript:alert(12)"><button>j</button></form>
<p style="background:url(javascript:alert(13))">k</p> <object data="javascript:alert(14)"></object>

Payments & Crypto, and &amp; written as an entity.

[ref]: javascript:alert(4)
"""


def json_string(text: str) -> str:
    """A YAML double-quoted string (escapes, so U+2028 stays a character, not a YAML line break)."""
    return json.dumps(text)


def hostile_files() -> dict[str, str | bytes]:
    return {
        "content/images/c.jpg": jpeg(120, 80),
        "content/case-studies/x.md": study(
            title=json_string(TITLE + " " + LD),
            summary=json_string(AMP + " " + LD),
            front=f"client: {{name: {json_string('Acme </script> & Co')}, consent: granted}}\n"
            f"cover: {{src: ../images/c.jpg, alt: {json_string(TITLE)}}}\n"
            f"skills: [{json_string(AMP)}]\n"
            f"metrics:\n  - {{label: {json_string(AMP)}, before: 10, after: 20,\n"
            f"      source: {json_string(TITLE)}}}\n"
            f"  - label: {json_string(AMP + ' <b>')}\n"
            "    series: [{x: 2024-01, y: 1}, {x: 2024-02, y: 3}]\n"
            f"collaborators:\n  - {{name: {json_string(TITLE)}, role: {json_string(AMP)}}}\n"
            f"  - {{name: {json_string(LD)}, role: Design}}",
            body=BODY,
        ),
        "content/case-studies/x.en.md": f"---\ntitle: {json_string(TITLE + ' (en)')}\n"
        f"summary: {json_string(AMP + ' ' + LD)}\n---\n" + BODY,
        "content/pages/about.md": f"---\ntitle: {json_string(TITLE)}\n"
        f"summary: {json_string(AMP)}\n---\n{BODY}",
        "content/applications/acme.md": f"---\ncompany: {json_string(AMP + ' </script>')}\n"
        f"role: {json_string(TITLE)}\ntoken: q8Zt3kLw2mXa\ncase_studies: [x]\n---\n" + BODY,
    }


HOSTILE_CONFIG = CONFIG.replace("name: Test Person", f"name: {json_string('Sam <b>Lee</b> & Co')}") + (
    "languages: [fr, en]\npdf: true\n"
)


@pytest.fixture(scope="module", params=THEMES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = HOSTILE_CONFIG + f"theme: {request.param}\n"
    root = write_site(tmp_path_factory.mktemp(request.param) / "site", hostile_files(), config=config)
    run_build(root)
    return root / "output"


class Parsed(HTMLParser):
    """Every element as a browser's tokenizer sees it: (tag, attributes), and texts by tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        for tag in set(self._open):
            self.texts.setdefault(tag, []).append(data)


def parse(path: Path) -> Parsed:
    parsed = Parsed()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def test_F43_markup_in_a_title_comes_out_as_text_in_every_place(built: Path) -> None:
    """F43: `"><script>` and `</title><script>` in a title, an alt text, a name and a role
    are text in <title>, <h1>, Open Graph, alt and aria attributes of every page of both
    languages: the only script elements are JSON-LD, and each place, decoded as a browser
    decodes it, holds the title exactly. The feeds and the sitemap stay well-formed XML."""
    seen = {"title": 0, "h1": 0, "og": 0, "alt": 0}
    for page in html_files(built):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "</title><script>" not in text, page
        parsed = parse(page)
        scripts = [a for tag, a in parsed.elements if tag == "script"]
        assert all(a.get("type") == "application/ld+json" for a in scripts), (page, scripts)
        for tag, attrs in parsed.elements:
            for name, value in attrs.items():
                assert not name.startswith("on"), (page, tag, name)
                if TITLE in value:
                    assert name in ("alt", "content", "aria-label", "title", "data-title"), (page, tag, name)
                    seen["og" if name == "content" else "alt"] += 1
        titles = "".join(parsed.texts.get("title", []))
        if TITLE in titles:
            seen["title"] += 1
        if any(TITLE in t for t in parsed.texts.get("h1", [])):
            seen["h1"] += 1
    assert all(count >= 2 for count in seen.values()), seen
    for feed in (built / "feed.xml", built / "en/feed.xml", built / "sitemap.xml"):
        root = ET.parse(feed).getroot()  # well-formed, or it raises
        if "feed" in feed.name:
            titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
            assert any(t and t.startswith(TITLE) for t in titles), titles


def test_F44_json_ld_parses_and_gives_back_the_original_strings(built: Path) -> None:
    """F44: every JSON-LD block of every page parses with json.loads, and the title, the
    title, the summary and a collaborator (`</script>`, `<!--<script>`, `&`, U+2028, U+2029)
    and the author's name come
    back exactly; no block ends early (no raw `</script` or `<!--` inside)."""
    found = set()
    for page in html_files(built):
        text = page.read_text(encoding="utf-8")
        for raw in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            assert "</script" not in raw.lower() and "<!--" not in raw, page
            assert "\u2028" not in raw and "\u2029" not in raw, page
        for block in json_ld_blocks(text):
            flat = json.dumps(block, ensure_ascii=False)
            for original in (TITLE + " " + LD, "Sam <b>Lee</b> & Co", AMP + " " + LD, LD):
                if json.dumps(original, ensure_ascii=False)[1:-1] in flat:
                    found.add(original)
    assert len(found) == 4, found


def test_F45_text_is_escaped_exactly_once_everywhere(built: Path) -> None:
    """F45: `Payments & Crypto` is never `&amp;amp;` in any page, feed, sitemap, chart or
    style sheet; decoded once it reads `Payments & Crypto` in the pages, the feed's titles,
    the charts' SVG text and the PDF's words; an `&amp;` the user wrote stays one `&`."""
    for path in sorted(built.rglob("*")):
        if path.suffix in (".html", ".xml", ".svg", ".css", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert "&amp;amp;" not in text and "&amp;lt;" not in text and "&amp;#" not in text, path
    page = (built / "en/case-studies/x/index.html").read_text(encoding="utf-8")
    decoded = html.unescape(page)
    assert AMP in decoded and "&amp; written as an entity" in page and "& written as an entity" in decoded
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    chart_texts = [t for svg in svgs if "chart" in svg for t in ET.fromstring(svg).itertext()]
    assert any(AMP in t for t in chart_texts), chart_texts[:20]
    assert AMP in pdf_text((built / "en/portfolio.pdf").read_bytes())
    feed = ET.parse(built / "en/feed.xml").getroot()
    summaries = [e.text or "" for e in feed.iter() if e.tag.endswith(("summary", "title"))]
    assert any(s.startswith(AMP) for s in summaries), summaries


SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.I)


def test_F46_script_urls_are_neutralised_wherever_they_are_written(built: Path, tmp_path: Path) -> None:
    """F46: `javascript:` (any case, spaced, as a reference, an autolink or raw HTML),
    `vbscript:` and `data:` links in a case study, a translation, a page and an application
    leave no href, src, action, data or style that could run them; in front matter such
    addresses are refused at their line."""
    for page in html_files(built):
        for tag, attrs in parse(page).elements:
            for name in ("href", "src", "action", "data", "formaction", "xlink:href", "poster"):
                value = html.unescape(attrs.get(name, ""))
                assert not SCRIPT_URL.match(value), (page, tag, name, value)
            assert "javascript" not in attrs.get("style", "").lower(), (page, tag)
    bad = study(
        front="client: {name: Acme, consent: granted, url: 'javascript:alert(1)'}\n"
        "collaborators:\n  - {name: Ana, url: 'JAVASCRIPT:alert(2)'}\n"
        "gallery:\n  - {link: 'data:text/html,x', poster: ../images/c.jpg, alt: A}"
    )
    root = write_site(
        tmp_path / "front",
        {"content/case-studies/x.md": bad, "content/images/c.jpg": jpeg()},
        config=CONFIG + "  links: {blog: 'javascript:alert(3)'}\n",
    )
    message = build_errors(root)
    for where in (
        "x.md:6: client.url",
        "x.md:8: collaborators[0].url",
        "x.md:10: gallery[0].link",
        "portfolio.yaml:7",
    ):
        assert where in message, (where, message)


def test_F47_every_target_blank_carries_noopener_noreferrer(built: Path) -> None:
    """F47: in every page of every bundled theme, a link that opens a new tab carries
    `rel="noopener noreferrer"`; the user's raw `target="_blank"` (one asking for
    `rel="opener"`) is either dropped or given both."""
    for page in html_files(built):
        for _tag, attrs in parse(page).elements:
            if attrs.get("target", "").lower() == "_blank":
                rel = attrs.get("rel", "").lower().split()
                assert "noopener" in rel and "noreferrer" in rel and "opener" not in rel, (page, attrs)
    page = (built / "en/case-studies/x/index.html").read_text(encoding="utf-8")
    assert "opens a tab" in page


CSP = (
    "default-src 'none'; img-src 'self'; style-src 'self'; font-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def test_F48_the_theme_needs_no_inline_script_style_or_handler(built: Path) -> None:
    """F48: every page of every bundled theme, with hostile content in both languages, has
    no inline script (JSON-LD data aside), no `on*=` handler, no `style=` attribute and no
    <style> element, so `script-src 'none'; style-src 'self'` holds; the same is checked
    in a real browser below."""
    for page in html_files(built):
        parsed = parse(page)
        for tag, attrs in parsed.elements:
            assert tag != "style", page
            assert "style" not in attrs, (page, tag, attrs.get("style"))
            assert not [a for a in attrs if a.startswith("on")], (page, tag)
            if tag == "script":
                assert attrs.get("type") == "application/ld+json" or "src" in attrs, (page, attrs)


CHROMIUM = Path("/usr/bin/chromium")


class _CspHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(built: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_CspHandler, directory=str(built))
    )
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_F48_a_strict_csp_holds_in_headless_chromium(built: Path, served: str) -> None:
    """F48: the pages of this round (a French home, an English case study, an application,
    a free page, the 404) served with a strict Content-Security-Policy: headless Chromium
    reports no violation, no console error and no failed request."""
    api = pytest.importorskip("playwright.sync_api")
    pages = [
        "",
        "etudes-de-cas/x/",
        "en/case-studies/x/",
        "for/acme-q8Zt3kLw2mXa/",
        "en/a-propos/",
        "404.html",
    ]
    pages = [p for p in pages if (built / (p + "index.html" if p.endswith("/") or not p else p)).exists()]
    problems: list[str] = []
    with api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI))"
        )
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on(
            "requestfailed",  # a favicon still loading when the next page is opened is aborted
            lambda r: problems.append(f"failed: {r.url}") if r.failure != "net::ERR_ABORTED" else None,
        )
        for rel in pages:
            page.goto(served + rel)
            page.wait_for_load_state("load")
        browser.close()
    assert len(pages) >= 5 and not problems, problems
