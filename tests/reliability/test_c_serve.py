"""RELIABILITY.md, C. The dev server (C14-C20), on the real `portfolio serve` process: it
answers only this machine's names, serves only the rendered site, and never half a page.

One preview serves most tests (a site published under a sub-path, so the prefix matters);
tests that break the build put it back and wait for the preview to recover.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CONFIG, study, write_site
from harness import env, until

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from wsclient import LiveReloadClient, Refused

PREFIX = "/~camille/portfolio/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Answer:
    status: int
    head: str
    body: bytes


def raw(port: int, path: str, method: str = "GET", host: str | None = None, headers: str = "") -> Answer:
    """A request sent byte for byte as written (no client normalises the path)."""
    host = f"127.0.0.1:{port}" if host is None else host
    request = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n"
    if method in ("POST", "PUT"):
        request += "Content-Length: 1\r\n\r\nx"
    else:
        request += "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request.encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return Answer(int(head.split(b" ")[1]), head.decode("latin-1"), body)


class Preview:
    def __init__(self, root: Path, *args: str) -> None:
        self.root = root
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "portfolio", "serve", "--port", str(self.port), *args],
            cwd=root,
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        until(lambda: raw(self.port, PREFIX).status == 200)

    def get(self, path: str, **kwargs: str) -> Answer:
        return raw(self.port, path, **kwargs)

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGINT)
        out, _ = self.proc.communicate(timeout=20)
        return out


SITE = {
    "content/case-studies/done.md": study(title="Done work", front="private_notes: NOTES-SENTINEL"),
    "content/case-studies/wip.md": study(title="Work in progress", front="draft: true"),
    "content/pages/about.md": "---\ntitle: About\n---\nHello.\n",
    "templates/page.html": '{# TEMPLATE-SENTINEL #}{% extends "theme/page.html" %}',
    "static/hello.txt": "hello\n",
    ".git/config": "[core]\n\tSECRET-GIT-CONFIG = 1\n",
}
CONFIG_SUBPATH = CONFIG.replace("https://test.example/", "https://camille.example" + PREFIX)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    root = write_site(tmp_path_factory.mktemp("serve") / "site", SITE, config=CONFIG_SUBPATH)
    server = Preview(root)
    yield server
    if server.proc.poll() is None:
        server.stop()


def assert_safe(answer: Answer, root: Path, what: str) -> None:
    """No file bytes outside the site, no source, no absolute path in the answer."""
    for secret in (b"root:", b"SECRET-GIT-CONFIG", b"NOTES-SENTINEL", b"TEMPLATE-SENTINEL", b"title: "):
        assert secret not in answer.body, (what, secret)
    assert str(root).encode() not in answer.body and b"/etc/" not in answer.body, what


def test_C14_binds_loopback_by_default(preview: Preview) -> None:
    """C14: by default the preview listens on 127.0.0.1 only (the kernel's table of
    listening sockets says so), and prints no warning about the network."""
    rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    listening = {r[1] for r in rows if r[3] == "0A" and int(r[1].split(":")[1], 16) == preview.port}
    assert listening == {f"0100007F:{preview.port:04X}"}, listening
    rows6 = [line.split() for line in Path("/proc/net/tcp6").read_text().splitlines()[1:]]
    assert not [r for r in rows6 if r[3] == "0A" and int(r[1].split(":")[1], 16) == preview.port]


def test_C14_a_wider_host_prints_a_warning_and_still_checks_names(tmp_path: Path) -> None:
    """C14: `--host 0.0.0.0` (a phone on the same Wi-Fi) says that other machines can see
    the drafts; it then answers this machine's own names and still refuses others (C17)."""
    root = write_site(tmp_path / "site", SITE, config=CONFIG_SUBPATH)
    server = Preview(root, "--host", "0.0.0.0")
    try:
        name = socket.gethostname()
        assert server.get(PREFIX, host=f"{name}:{server.port}").status == 200
        assert server.get(PREFIX, host="attacker.example").status == 403
    finally:
        out = server.stop()
    assert "warning: --host 0.0.0.0: other machines on your network can see this preview" in out


ESCAPES = [
    "/../../etc/passwd",
    PREFIX + "../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    PREFIX + "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%252e%252e%252f",
    PREFIX + "%252e%252e%252fetc%252fpasswd",
    PREFIX + "..%2f..%2f..%2fetc%2fpasswd",
    PREFIX + "..%5c..%5c..%5cetc%5cpasswd",
    "/..%5c..%5c",
    "//etc/passwd",
    PREFIX + "/etc/passwd",
    "/%00",
    PREFIX + "%00",
    PREFIX + "index.html%00.txt",
    "/~camille/portfolio-old/",  # a sibling whose name starts like the served folder
    "/~camille/portfolio-old/etc/passwd",
    "/~camille/portfolio/../portfolio-old/",
    "/etc/passwd",
]


def test_C15_path_escapes_get_404_with_no_file_bytes_and_the_server_lives(preview: Preview) -> None:
    """C15: every escape of RELIABILITY.md, sent as written, outside and under the served
    prefix (and to a sibling named like it), is answered 400 or 404, with no file bytes
    and no absolute path; the preview still answers afterwards."""
    for path in ESCAPES:
        answer = preview.get(path)
        assert answer.status in (400, 404), (path, answer.status)
        assert_safe(answer, preview.root, path)
    assert preview.get(PREFIX + "case-studies/done/").status == 200


def test_C15_a_symlink_to_etc_inside_the_site_is_never_followed(preview: Preview) -> None:
    """C15: a link to /etc put inside the served site (in static/, copied as-is) is refused
    by the build, its files are never served, and the preview recovers once it is gone."""
    link = preview.root / "static/etc"
    os.symlink("/etc", link)
    try:
        until(lambda: preview.get(PREFIX).status == 500)
        error_page = preview.get(PREFIX)
        assert b"static/etc: is a link to a" in error_page.body, error_page.body[:2000]
        for path in (PREFIX + "etc/passwd", PREFIX + "etc/hostname", PREFIX + "static/etc/passwd"):
            answer = preview.get(path)
            assert answer.status == 404, (path, answer.status)
            assert_safe(answer, preview.root, path)
    finally:
        link.unlink()
    until(lambda: preview.get(PREFIX).status == 200)


SOURCES = [
    "/content/case-studies/done.md",
    PREFIX + "content/case-studies/done.md",
    PREFIX + "content/case-studies/wip.md",
    "/portfolio.yaml",
    PREFIX + "portfolio.yaml",
    "/.git/config",
    PREFIX + ".git/config",
    "/templates/page.html",
    PREFIX + "templates/page.html",
    PREFIX + "static/hello.txt",
    PREFIX + "themes/default/templates/base.html",
    PREFIX + ".portfolio-cache/",
]


def test_C16_sources_are_never_served(preview: Preview) -> None:
    """C16: with the preview started from the site folder, its sources (Markdown,
    portfolio.yaml, .git/config, a template of the site and of the theme, the cache) are
    404, while what static/ publishes is served at its published place."""
    for path in SOURCES:
        answer = preview.get(path)
        assert answer.status == 404, (path, answer.status)
        assert_safe(answer, preview.root, path)
    assert preview.get(PREFIX + "hello.txt").body == b"hello\n"


def test_C17_foreign_host_names_and_origins_are_refused(preview: Preview) -> None:
    """C17: a Host header that is not this machine's (DNS rebinding) is refused on pages,
    the reload script and the reload socket; the socket also checks the Origin: only the
    preview's own pages may open it."""
    port = preview.port
    for host in (
        "attacker.example",
        f"attacker.example:{port}",
        "127.0.0.1.attacker.example",
        "localhost.evil",
    ):
        for path in (PREFIX, PREFIX + "case-studies/wip/", "/livereload.js"):
            answer = preview.get(path, host=host)
            assert answer.status == 403, (host, path, answer.status)
            assert b"Work in progress" not in answer.body
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST"):
        assert preview.get(PREFIX, host=host).status == 200, host
    for host, origin in [
        (f"127.0.0.1:{port}", "http://evil.example"),
        (f"127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"),
        (f"127.0.0.1:{port}", "null"),
        (f"127.0.0.1:{port}", f"http://localhost.evil.example:{port}"),
        ("attacker.example", "http://attacker.example"),
    ]:
        with pytest.raises(Refused) as info:
            LiveReloadClient(port, timeout=5, host=host, origin=origin)
        assert info.value.status == 403, (host, origin)
    LiveReloadClient(port, timeout=5, origin=f"http://localhost:{port}").close()


def test_C18_no_cors_and_other_methods_are_405(preview: Preview) -> None:
    """C18: no answer carries a CORS header (pages, 404s, a preflight), and POST, PUT,
    DELETE, PATCH and OPTIONS are 405 with `Allow: GET, HEAD`."""
    origin = "Origin: http://evil.example\r\n"
    for path in (PREFIX, PREFIX + "no/such/", "/"):
        answer = preview.get(path, headers=origin)
        assert "access-control" not in answer.head.lower(), (path, answer.head)
    preflight = "Access-Control-Request-Method: POST\r\n" + origin
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        answer = preview.get(PREFIX, method=method, headers=preflight)
        assert answer.status == 405, (method, answer.status)
        assert "Allow: GET, HEAD" in answer.head and "access-control" not in answer.head.lower()


def test_C19_the_error_page_shows_script_from_the_content_as_text(preview: Preview) -> None:
    """C19: an error that quotes the user's `<script>` (a wrong team_size) is shown on the
    error page as text; the page's only script is the preview's own reload script."""
    path = preview.root / "content/case-studies/done.md"
    path.write_text(
        study(title="Done work", front='team_size: "<script>alert(1)</script><img src=x onerror=y>"')
    )
    try:
        until(lambda: preview.get(PREFIX).status == 500)
        body = preview.get(PREFIX).body.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, body
        assert "<script>alert(1)" not in body and "<img src=x" not in body
        assert re.findall(r"<script\b[^>]*>", body) == [f'<script src="/livereload.js?port={preview.port}">']
    finally:
        path.write_text(SITE["content/case-studies/done.md"])
    until(lambda: preview.get(PREFIX).status == 200)


def test_C20_a_request_during_a_rebuild_gets_the_old_or_the_new_page_never_half(preview: Preview) -> None:
    """C20: while a page is saved 8 times in a row, requests sent without pause all get a
    whole page (its closing tag there), whose title and body come from the same save."""
    path = preview.root / "content/case-studies/done.md"
    seen: list[Answer] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            seen.append(preview.get(PREFIX + "case-studies/done/"))

    thread = threading.Thread(target=hammer)
    thread.start()
    try:
        for version in range(8):
            path.write_text(study(title=f"Version {version}", body=f"Body {version} of the work.\n"))
            until(
                lambda v=version: f"Version {v}" in preview.get(PREFIX + "case-studies/done/").body.decode()
            )
    finally:
        stop.set()
        thread.join()
        path.write_text(SITE["content/case-studies/done.md"])
    until(lambda: b"Done work" in preview.get(PREFIX + "case-studies/done/").body)
    versions = set()
    for answer in seen:
        assert answer.status == 200, answer.status
        page = answer.body.decode()
        assert page.rstrip().endswith("</html>"), page[-200:]
        titles = set(re.findall(r"<h1[^>]*>\s*Version (\d)", page))
        bodies = set(re.findall(r"Body (\d) of the work", page))
        assert titles == bodies or (not titles and not bodies), (titles, bodies)
        versions |= titles
    assert len(seen) > 20 and len(versions) >= 4, (len(seen), versions)
