"""The link check: internal links, images, srcset entries, CSS url() and #fragments of the
finished site resolve; outside addresses are well formed; `check --external` asks them."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CONFIG, REPO, build_errors, cli, run_build, study, write_site
from images import jpeg

from portfolio.build import BuildOptions
from portfolio.check import check
from portfolio.external import check_addresses
from portfolio.links import extract, malformed, resolve

# -- pure parts -------------------------------------------------------------------------------


def test_resolve_follows_relative_root_and_absolute_addresses() -> None:
    page = "case-studies/a/index.html"
    assert resolve(page, "../../about/", None).path == "about/index.html"
    assert resolve(page, "../", None).path == "case-studies/index.html"
    assert resolve(page, "./", None).path == page
    assert resolve(page, "#results", None) == resolve(page, "#results", None)
    assert (resolve(page, "#results", None).path, resolve(page, "#results", None).fragment) == (
        page,
        "results",
    )
    assert resolve(page, "../b/#r%C3%A9sultats", None).fragment == "résultats"
    assert resolve(page, "../../images/x%20y.jpg?v=1", None).path == "images/x y.jpg"
    assert resolve(page, "../../../x/", None).kind == "outside"
    # Under a sub-path, root-relative addresses start at base_url's path (404.html's links).
    base = "https://camille.example/portfolio/"
    assert resolve("404.html", "/portfolio/case-studies/", base).path == "case-studies/index.html"
    assert resolve("404.html", "/elsewhere/", base).kind == "outside"
    assert resolve("sitemap.xml", base + "about/", base).path == "about/index.html"
    assert resolve(page, "https://other.example/x", base).kind == "external"
    assert resolve(page, "mailto:someone@example.com", base).kind == "other"
    assert resolve(page, "mailto:nobody", base).kind == "malformed"


@pytest.mark.parametrize(
    ("url", "wrong"),
    [
        ("https://example.com/a?b=c#d", False),
        ("https://café.example/", False),
        ("https://xn--caf-dma.example/", False),
        ("http://192.0.2.4:8080/x", False),
        ("https://exa mple.com", True),
        ("https://", True),
        ("https://example", True),
        ("https://example..com", True),
        ("https://-bad-.example/", True),
        ("http://localhost:8000/x", False),  # well formed; warned about as local (below)
        ("https://[::1/", True),
    ],
)
def test_malformed_outside_addresses(url: str, wrong: bool) -> None:
    assert bool(malformed(url)) is wrong, malformed(url)


def test_extract_reads_links_images_srcsets_css_and_ids() -> None:
    page = """<!doctype html><html><head>
<link rel="stylesheet" href="../assets/site.css?v=1"><link rel="preconnect" href="https://cdn.example">
<meta property="og:image" content="https://s.example/social/a.png">
<style>.x { background: url('../images/bg.png') }</style>
<script type="application/ld+json">{"url": "<a href='nowhere/'>"}</script>
</head><body><!-- <a href="commented/"> -->
<h2 id="results">R</h2><a name="old-anchor"></a>
<A HREF="#results">up</A>
<picture><source type="image/webp" srcset="../images/a-480.webp 480w, ../images/a-960.webp 960w">
<img src="../images/a-480.jpg" srcset="../images/a-480.jpg 480w,../images/a-960.jpg 960w" alt=""></picture>
<video src="../files/v.mp4" poster="../images/p.jpg"></video>
<img src="https://cdn.example/x.png" alt="">
<a href="https://other.example/page#frag">out</a><a href="mailto:a@b.example">mail</a>
</body></html>"""
    found = extract("docs/index.html", page, "https://s.example/")
    assert set(found.ids) >= {"results", "old-anchor"}
    paths = {p for p, _ in found.needs}
    assert paths == {
        "assets/site.css",
        "social/a.png",
        "images/bg.png",
        "docs/index.html",
        "images/a-480.webp",
        "images/a-960.webp",
        "images/a-480.jpg",
        "images/a-960.jpg",
        "files/v.mp4",
        "images/p.jpg",
    }
    assert ("docs/index.html", "results") in found.needs
    assert found.external == ("https://other.example/page",)
    assert "img-src https://cdn.example" in found.loads
    css = extract("assets/site.css", "@import 'more.css'; a { background: url(img/x.svg) }", None)
    assert {p for p, _ in css.needs} == {"assets/more.css", "assets/img/x.svg"}


# -- builds ----------------------------------------------------------------------------------

BROKEN = {
    "content/images/photo.jpg": jpeg(),
    "content/case-studies/one.md": study(
        title="One",
        body="## Results\n\nSee [the results](#resuts).\n\n"
        '<a href="../../missing-page/">an old page</a>\n\n'
        "Also [two](two.md#nope).\n",
    ),
    "content/case-studies/two.md": study(title="Two", date="2025-01-02", body="## Intro\n\nHello.\n"),
}


def test_broken_links_fail_the_build_with_one_line_each_then_pass_once_fixed(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", BROKEN)
    (root / "content/case-studies/three.md").write_text(
        study(title="Three", date="2025-01-03", body="Intro.\n\n![a photo](../images/phto.jpg)\n")
    )
    message = build_errors(root)
    lines = [line for line in message.splitlines() if not line.startswith("  hint:")]
    assert lines[-1] == "4 errors; output/ was left as it was."
    assert lines[0] == ("content/case-studies/one.md:9: the link '#resuts': this page has no anchor #resuts")
    assert "  hint: did you mean #results?" in message
    assert lines[1] == (
        "content/case-studies/one.md:11: the link '../../missing-page/' leads to "
        "missing-page/index.html, which the site does not have"
    )
    assert lines[2] == (
        "content/case-studies/one.md:13: the link 'two.md#nope': "
        "case-studies/two/index.html has no anchor #nope"
    )
    assert lines[3] == 'content/case-studies/three.md:9: file not found: "../images/phto.jpg"'
    assert not (root / "output").exists()
    one = root / "content/case-studies/one.md"
    one.write_text(
        one.read_text()
        .replace("#resuts", "#results")
        .replace("../../missing-page/", "../two/")
        .replace("#nope", "#intro")
    )
    three = root / "content/case-studies/three.md"
    three.write_text(three.read_text().replace("phto", "photo"))
    result = run_build(root)
    assert (root / "output/case-studies/one/index.html").is_file()
    assert not [w for w in result.warnings if "anchor" in w.message or "does not have" in w.message]


def test_a_broken_template_link_is_one_error_naming_the_template(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(),
            "templates/list.html": '{% extends "theme/list.html" %}'
            '{% block main %}<a href="{{ url("no-such-section/") }}">x</a>{{ super() }}{% endblock %}',
        },
    )
    message = build_errors(root)
    assert message.splitlines()[0].startswith(  # found by its url("...") call
        "templates/list.html:1: the link '../no-such-section/' leads to no-such-section/index.html, "
        "which the site does not have (on "
    )
    assert message.splitlines()[-1] == "1 error; output/ was left as it was."


def test_a_broken_link_in_a_template_override_is_named_once_at_its_line(tmp_path: Path) -> None:
    """A link in the site's own base.html (copied from the theme, as the README says to)
    shows on every page, each built from another of the theme's templates: it is one error
    at the override's line, not one per theme file the user never touched. So is a link
    written with url(), which each page shows differently (`/about/#x`, `../about/#x`)."""
    lines = (REPO / "themes/default/templates/base.html").read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("</main>"))
    lines[at:at] = ['<a href="nowhere/">x</a>\n', "<a href=\"{{ url('about/#nope') }}\">y</a>\n"]
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(),
            "content/pages/about.md": "---\ntitle: About\n---\nHello.\n",
            "templates/base.html": "".join(lines),
        },
    )
    message = build_errors(root)
    errors = [line for line in message.splitlines() if not line.startswith("  ")]
    assert errors[-1] == "2 errors; output/ was left as it was.", message
    assert errors[0].startswith(
        f"templates/base.html:{at + 1}: the link 'nowhere/' leads to nowhere/index.html, "
        "which the site does not have (on 7 pages, e.g. 404.html)"
    ), message
    assert errors[1].startswith(
        f"templates/base.html:{at + 2}: the link '/about/#nope': about/index.html has no anchor "
        "#nope (on 7 pages, e.g. 404.html)"
    ), message
    assert "themes/default" not in message


def test_static_files_and_css_urls_are_checked_too(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(),
            "static/extra/page.html": '<!doctype html><title>x</title>\n<a href="../case-studies/">ok</a>\n'
            '<img src="gone.png" alt="">\n',
            "static/extra/style.css": "body { background: url('../nowhere.png') }",
        },
    )
    message = build_errors(root)
    assert "static/extra/page.html:3: the image 'gone.png' leads to extra/gone.png" in message
    assert "static/extra/style.css:1: the url() '../nowhere.png' leads to nowhere.png" in message


def test_outside_addresses_are_warned_about_and_links_to_drafts_stay_text(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(
                body="Made with [the local preview](http://localhost:8000/).\n\n"
                "Read [the draft](b.md) and [the shop](https://shop.example/).\n"
            ),
            "content/case-studies/b.md": study(title="B", front="draft: true"),
        },
    )
    result = run_build(root)
    warnings = [str(w) for w in result.warnings]
    assert (
        "content/case-studies/a.md:7: the address 'http://localhost:8000/' points to your own "
        "computer, which readers cannot reach" in warnings
    )
    assert any(
        "'b.md' leads to a draft, withheld or missing page; shown as plain text" in w for w in warnings
    )
    page = (root / "output/case-studies/a/index.html").read_text()
    assert "<span>the draft</span>" in page


def test_rebuilds_read_only_the_files_that_changed(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            f"content/case-studies/s{i}.md": study(title=f"S{i}", date=f"2025-01-{i + 1:02d}")
            for i in range(6)
        },
    )
    from portfolio.errors import Problems
    from portfolio.recipe import render_site

    first = render_site(root, BuildOptions(), Problems())
    assert first.links is not None and first.links.files_read > 10
    again = render_site(root, BuildOptions(), Problems())
    assert again.links is not None and again.links.files_read == 0
    assert again.links.links == first.links.links
    s3 = root / "content/case-studies/s3.md"
    s3.write_text(s3.read_text().replace("Body text.", "Body text, edited."))
    edited = render_site(root, BuildOptions(), Problems())
    assert edited.links is not None and edited.links.files_read == 1  # only that study's page
    # A page that disappears breaks the links to it, though the linking pages did not change.
    (root / "content/case-studies/s5.md").write_text(
        study(title="S5", date="2025-01-06", body="See [s0](s0.md#body).\n")
    )
    problems = Problems()
    from portfolio.errors import ContentErrors

    with pytest.raises(ContentErrors):
        render_site(root, BuildOptions(), problems)
    assert any("has no anchor #body" in e.message for e in problems.errors)


# -- check --external against a local server -------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        if self.path.startswith("/slow"):
            time.sleep(3)
        if self.path.startswith("/no-head") and not body:
            self.send_response(405)
            self.end_headers()
            return
        status = 404 if self.path.startswith("/gone") else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_check_addresses_reports_gone_and_slow_pages(server: str) -> None:
    answers = check_addresses([f"{server}/ok", f"{server}/gone", f"{server}/slow", f"{server}/no-head"], 0.5)
    by_url = {a.url.removeprefix(server): a for a in answers}
    assert not by_url["/ok"].dead and not by_url["/no-head"].dead
    assert by_url["/gone"].dead and "404" in by_url["/gone"].why
    assert by_url["/slow"].dead and by_url["/slow"].why == "did not answer within 0.5 s"


def test_check_external_warns_about_dead_links_and_never_fails(tmp_path: Path, server: str) -> None:
    # 127.0.0.1 is this computer: the build warns (a reader could not follow it), and
    # check --external still asks it, as it would ask a client's site.
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(
                body=f"The [launch article]({server}/gone/article) and [the shop]({server}/ok).\n\n"
                f"A [slow site]({server}/slow).\n"
            )
        },
    )
    result = check(root, external=True, timeout=0.5)
    assert not result.errors
    assert result.asked == 3
    dead = [str(w) for w in result.dead]
    assert dead == [
        f"content/case-studies/a.md:7: the link '{server}/gone/article' answered 404 Not Found: the "
        "page is gone\n  hint: update or remove the link; web.archive.org may have a copy to link to instead",
        f"content/case-studies/a.md:9: the link '{server}/slow' did not answer within 0.5 s\n"
        "  hint: update or remove the link; web.archive.org may have a copy to link to instead",
    ]
    assert result.audit is not None and (result.audit.rows[0].links, result.audit.rows[0].links_ok) == (3, 1)
    done = cli("check", "--external", "--timeout", "0.5", "--strict", cwd=root)
    assert "External links: 3 checked, 2 dead" in done.stdout
    # --strict fails on the build's own warnings (the addresses on 127.0.0.1), never on dead links.
    assert "dead link: content/case-studies/a.md:7:" in done.stdout


def test_check_external_alone_never_changes_the_exit_code(tmp_path: Path, server: str) -> None:
    root = write_site(tmp_path / "site", {"content/case-studies/a.md": study()})
    (root / "portfolio.yaml").write_text(
        CONFIG + f"  links:\n    website: {server}/gone/profile\n", encoding="utf-8"
    )
    done = cli("check", "--external", "--timeout", "1", cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "dead link: portfolio.yaml:8: the link" in done.stdout
    assert "External links: 1 checked, 1 dead" in done.stdout


def test_the_audit_counts_the_links_each_case_study_writes(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(
                front="client: {name: Acme, consent: granted, url: https://acme.example}\n"
                "collaborators: [{name: Ana, role: Design, url: https://ana.example}]",
                body="See [b](b.md), [the draft](c.md#x) and [gone](missing.md).\n\n"
                "```\n[not a link](d.md)\n```\n\n[ref]: https://press.example/article\n",
            ),
            "content/case-studies/b.md": study(title="B"),
            "content/case-studies/c.md": study(title="C", front="draft: true"),
        },
    )
    done = cli("check", cwd=root)
    row = next(line.split() for line in done.stdout.splitlines() if line.startswith("a "))
    # b.md, the client's and Ana's addresses and the reference lead somewhere; the draft and
    # the missing page are shown as text.
    assert row[-1] == "4/6", done.stdout


def test_a_damaged_link_memo_is_read_again(tmp_path: Path) -> None:
    import json

    from portfolio.errors import Problems
    from portfolio.recipe import render_site

    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(body="See [b](b.md#intro).\n"),
            "content/case-studies/b.md": study(title="B", body="## Intro\n"),
        },
    )
    first = render_site(root, BuildOptions(), Problems())
    assert first.links is not None
    (memo,) = (root / ".portfolio-cache/links").rglob("*.json")
    entry = json.loads(memo.read_text())
    entry["value"] = {digest: [["x"], 3, None, [], [], [], []] for digest in entry["value"]}
    memo.write_text(json.dumps(entry))
    again = render_site(root, BuildOptions(), Problems())
    assert again.links is not None and again.links.files_read == first.links.files_read
    assert again.links.links == first.links.links
