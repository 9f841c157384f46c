"""`portfolio serve`: the real livereload server on 127.0.0.1, drafts with a banner, rebuilds."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, cli, study, write_site
from wsclient import LiveReloadClient, Refused

from portfolio.serve import DEFAULT_PORT, choose_port

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium offline: no network at start-up (see shared/judges/README.md).
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_for(check, seconds: float = 40.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = check()
        except (urllib.error.URLError, ConnectionError):
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


class Served:
    def __init__(self, root: Path, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "portfolio", "serve", "--port", str(self.port), *args],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        wait_for(lambda: get(self.url)[0] == 200)

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGINT)
        out, _ = self.proc.communicate(timeout=20)
        return out


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(
        tmp_path / "site",
        {
            "content/case-studies/done.md": study(title="Done work"),
            "content/case-studies/wip.md": study(title="Work in progress", front="draft: true"),
            "content/pages/about.md": "---\ntitle: About\n---\nHello.\n",
        },
    )


@pytest.fixture
def served(site: Path) -> Iterator[Served]:
    server = Served(site)
    yield server
    if server.proc.poll() is None:
        server.stop()


def test_serve_shows_drafts_with_a_banner_on_loopback_only(served: Served, site: Path) -> None:
    status, page = get(served.url + "case-studies/wip/")
    assert status == 200 and 'class="draft-banner"' in page
    assert "livereload.js" in page  # the reload script is injected into the preview only
    status, page = get(served.url + "case-studies/done/")
    assert status == 200 and "draft-banner" not in page
    assert get(served.url + "case-studies/done")[0] == 200  # redirected to the slash URL
    status, page = get(served.url + "no/such/page/")
    assert status == 404 and "<html" in page
    # Listening on 127.0.0.1 only: the kernel's table of listening sockets says so.
    if Path("/proc/net/tcp").exists():
        rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
        local = {r[1] for r in rows if r[3] == "0A" and int(r[1].split(":")[1], 16) == served.port}
        assert local == {f"0100007F:{served.port:04X}"}, local
    assert not (site / "output").exists()  # the preview writes no output
    out = served.stop()
    assert served.proc.returncode == 0
    assert f"Serving site at http://127.0.0.1:{served.port}/" in out
    assert "1 draft shown" in out and "Stopped." in out


def test_serve_rebuilds_on_save_and_shows_errors_in_the_browser(served: Served, site: Path) -> None:
    path = site / "content/case-studies/done.md"
    path.write_text(study(title="Renamed work"))
    wait_for(lambda: "Renamed work" in get(served.url + "case-studies/done/")[1])
    path.write_text(study(title="Renamed work", front="team_size: lots"))
    _, page = wait_for(lambda: (r := get(served.url))[0] == 500 and r)
    assert "content/case-studies/done.md:6: team_size: expected a whole number" in page
    assert "livereload.js" in page  # the error page reloads itself once fixed
    path.write_text(study(title="Fixed work"))
    wait_for(lambda: "Fixed work" in get(served.url + "case-studies/done/")[1])
    out = served.stop()
    assert "error: content/case-studies/done.md:6: team_size" in out


def test_serve_without_drafts(site: Path) -> None:
    server = Served(site, "--no-drafts")
    try:
        assert get(server.url + "case-studies/wip/")[0] == 404
    finally:
        server.stop()


def test_serve_an_explicit_port_that_is_taken_is_an_error(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port), cwd=site)
    assert result.returncode == 2
    assert f"--port {port}: the port is taken" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_without_a_port_takes_the_next_free_one() -> None:
    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", DEFAULT_PORT))
        holder.listen()
    except OSError:
        pass  # already taken by something else: the same situation
    try:
        port, note = choose_port("127.0.0.1", None)
    finally:
        holder.close()
    assert port > DEFAULT_PORT and f"Port {DEFAULT_PORT} is taken; using {port} instead." == note


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_browser_reloads_by_itself(served: Served, site: Path) -> None:
    api = pytest.importorskip("playwright.sync_api")
    with api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(served.url + "about/")
        assert page.locator("h1").inner_text() == "About"
        time.sleep(1.5)  # livereload ignores changes in the first second after connecting
        (site / "content/pages/about.md").write_text("---\ntitle: About me\n---\nHello.\n")
        page.wait_for_function(
            "document.querySelector('h1').textContent.trim() == 'About me'", timeout=20_000
        )
        # A second save soon after the first reloads the page again (livereload alone
        # would skip a reload within 3 s of the last one).
        time.sleep(0.5)
        (site / "content/pages/about.md").write_text("---\ntitle: About us\n---\nHello.\n")
        page.wait_for_function(
            "document.querySelector('h1').textContent.trim() == 'About us'", timeout=20_000
        )
        browser.close()


def test_serve_watches_folders_created_later_and_forgets_deleted_files(served: Served, site: Path) -> None:
    assert not (site / "static").exists()
    (site / "static").mkdir()
    (site / "static/hello.txt").write_text("hello\n")
    wait_for(lambda: get(served.url + "hello.txt") == (200, "hello\n"))
    (site / "static/hello.txt").unlink()
    assert get(served.url + "hello.txt")[0] == 404  # at once, before the next rebuild
    out = served.stop()
    assert "Traceback" not in out


def test_serve_answers_only_to_its_own_name(served: Served) -> None:
    # A page on another domain that resolves to 127.0.0.1 (DNS rebinding) gets nothing.
    request = urllib.request.Request(served.url, headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    assert info.value.code == 403
    request = urllib.request.Request(served.url, headers={"Host": f"localhost:{served.port}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200


def lan_address() -> str | None:
    """An IPv4 address of this machine other machines can reach, found as the tester said:
    the one traffic leaves by (a UDP socket "connected" sends nothing), else the hostname's."""
    found = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))
        found.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        found += [i[4][0] for i in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    return next((a for a in found if not a.startswith(("127.", "0."))), None)


def test_serve_on_every_interface_answers_the_network_by_address(site: Path) -> None:
    """`--host 0.0.0.0` is for a phone on the same Wi-Fi: it opens the page by this
    machine's LAN address (or `hostname.local`), which must not be refused; a domain that is
    not this machine's still is (DNS rebinding needs a name: an address typed as digits
    cannot be pointed elsewhere). The start-up line prints addresses a phone can open."""
    address = lan_address()
    if address is None:
        pytest.skip("this machine has no IPv4 address but loopback: no network to test through")
    server = Served(site, "--host", "0.0.0.0")
    port = server.port
    try:
        lan = f"http://{address}:{port}/"
        status, page = get(lan + "case-studies/wip/")  # through the network, its own Host
        assert status == 200 and 'class="draft-banner"' in page
        for host in (f"{address}:{port}", address, "[::1]", f"[fd00::2]:{port}", "10.0.0.7",
                     f"{socket.gethostname()}.local:{port}", "LOCALHOST"):  # fmt: skip
            request = urllib.request.Request(lan, headers={"Host": host})
            with urllib.request.urlopen(request, timeout=5) as response:
                assert response.status == 200, host
        for host in ("attacker.example", f"{address}.nip.io:{port}", f"{address}.attacker.example",
                     "localhost.evil", f"{socket.gethostname()}.evil.example"):  # fmt: skip
            request = urllib.request.Request(lan, headers={"Host": host})
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(request, timeout=5)
            assert info.value.code == 403, host
        # The live-reload socket takes the pages opened by address as its origin, no other.
        LiveReloadClient(port, timeout=10, host=f"{address}:{port}", origin=lan.rstrip("/")).close()
        for host, origin in [
            (f"{address}:{port}", f"http://evil.example:{port}"),
            (f"{address}:{port}", f"http://{address}:{port + 1}"),
            (f"{address}:{port}", f"http://{address}.nip.io:{port}"),
            (f"{address}:{port}", f"http://10.0.0.7:{port}"),  # another machine's page
            (f"{address}.nip.io:{port}", f"http://{address}.nip.io:{port}"),
        ]:
            with pytest.raises(Refused) as refused:
                LiveReloadClient(port, timeout=5, host=host, origin=origin)
            assert refused.value.status == 403, (host, origin)
    finally:
        out = server.stop()
    assert f"Serving site at http://127.0.0.1:{port}/ (Ctrl+C" in out  # not 0.0.0.0, no page
    assert f"  on your network: http://{address}:{port}/" in out
    assert f"  draft: http://127.0.0.1:{port}/case-studies/wip/" in out
    assert "http://0.0.0.0" not in out


def test_ctrl_c_while_a_page_connects_stops_the_preview(site: Path) -> None:
    """Ctrl+C pressed as a page opens its reload socket stops the preview: livereload's
    handshake caught every exception, the interrupt too, and the preview went on serving
    (1 start in 2 to 8 hung when the signal came right after the client's hello)."""
    for _ in range(6):
        server = Served(site)
        LiveReloadClient(server.port, timeout=20).close()
        server.proc.send_signal(signal.SIGINT)
        try:
            out, _ = server.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.communicate()
            raise AssertionError("Ctrl+C was lost: the preview kept running") from None
        assert server.proc.returncode == 0 and "Stopped." in out


def test_serve_on_a_host_that_is_not_this_machine(site: Path) -> None:
    result = cli("serve", "--host", "no-such-host.invalid", cwd=site)
    assert result.returncode == 2 and "--host no-such-host.invalid" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_lists_where_the_drafts_are(served: Served) -> None:
    out = served.stop()
    assert f"  draft: {served.url}case-studies/wip/" in out


def test_the_live_reload_socket_takes_only_the_previews_own_pages(served: Served, site: Path) -> None:
    port = served.port
    for host, origin in [
        (f"127.0.0.1:{port}", "http://evil.example"),  # any page open in the browser
        (f"127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"),  # another local server
        (f"127.0.0.1:{port}", "null"),  # a file:// page or a sandboxed frame
        ("attacker.example", "http://attacker.example"),  # DNS rebinding
    ]:
        with pytest.raises(Refused) as info:
            LiveReloadClient(port, timeout=5, host=host, origin=origin)
        assert info.value.status == 403, (host, origin)
    client = LiveReloadClient(port, timeout=10, origin=f"http://localhost:{port}")
    try:
        (site / "content/case-studies/done.md").write_text(study(title="Saved again"))
        message = client.wait_for("reload", 20)
    finally:
        client.close()
    # The message names no file: file names (and folders) often name the client.
    assert str(site) not in json.dumps(message) and "done.md" not in json.dumps(message)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_serve_answers_other_methods_with_405(served: Served, method: str) -> None:
    request = urllib.request.Request(served.url, data=b"x" if method != "OPTIONS" else None, method=method)
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    assert info.value.code == 405 and info.value.headers["Allow"] == "GET, HEAD"
    assert "Access-Control-Allow-Origin" not in info.value.headers


ESCAPES = [
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%252e%252e%252f",
    "/..%2f..%2fetc%2fpasswd",
    "/..%5c..%5c",
    "//etc/passwd",
    "/%00",
    "/content/case-studies/done.md",
    "/portfolio.yaml",
    "/.git/config",
    "/templates/page.html",
]


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    """A request sent byte for byte as written (urllib would normalise the path)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def test_path_escapes_and_sources_are_never_served(served: Served, site: Path) -> None:
    (site / ".git").mkdir()
    (site / ".git/config").write_text("[core] SECRET-GIT-CONFIG\n")
    for path in ESCAPES:
        status, body = raw_get(served.port, path)
        assert status in (400, 404), (path, status)
        assert b"root:" not in body and b"SECRET-GIT-CONFIG" not in body and b"title:" not in body, path
        assert str(site).encode() not in body, path
    assert get(served.url)[0] == 200  # and the server is still alive


def test_the_error_page_of_a_looping_template_names_it(served: Served, site: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates/page.html").write_text('{% include "page.html" %}')
    _, page = wait_for(lambda: (r := get(served.url))[0] == 500 and r)
    assert "templates/page.html:1: a template includes, extends or calls itself without end" in page


def test_the_error_page_escapes_what_it_quotes(served: Served, site: Path) -> None:
    (site / "content/case-studies/done.md").write_text(study(front='team_size: "<script>alert(1)</script>"'))
    _, page = wait_for(lambda: (r := get(served.url))[0] == 500 and r)
    assert "got &#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;" in page or "&lt;script&gt;alert(1)" in page
    assert "<script>alert(1)" not in page


def test_the_error_page_speaks_the_sites_language(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "fr",
        {"content/case-studies/a.md": study()},
        config="title: T\nlanguage: fr\nauthor: {name: Camille}\n",
    )
    server = Served(root)
    try:
        (root / "content/case-studies/a.md").write_text(study(front="team_size: x"))
        _, page = wait_for(lambda: (r := get(server.url))[0] == 500 and r)
        assert '<html lang="fr">' in page and "La construction du site a échoué" in page
    finally:
        server.stop()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_a_broken_save_shows_the_error_page_in_a_real_browser(served: Served, site: Path) -> None:
    api = pytest.importorskip("playwright.sync_api")
    artifacts = REPO / "tests" / ".artifacts"
    artifacts.mkdir(exist_ok=True)
    with api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        page = browser.new_page()
        page.goto(served.url + "case-studies/done/")
        page.wait_for_function("window.LiveReload !== undefined", timeout=10_000)
        (site / "content/case-studies/done.md").write_text(study(title="Done work", date="2024-13-45"))
        page.wait_for_selector("text=The build failed", timeout=20_000)
        text = page.inner_text("body")
        assert "content/case-studies/done.md:3: date: expected a date such as 2025-03-10" in text
        page.screenshot(path=str(artifacts / "serve-error-page.png"), full_page=True)
        (site / "content/case-studies/done.md").write_text(study(title="Done work, fixed"))
        page.wait_for_selector("h1:has-text('Done work, fixed')", timeout=20_000)
        browser.close()


def test_the_watcher_is_ready_when_start_watching_returns(tmp_path: Path) -> None:
    """A save made the moment the preview answers is never missed: watching starts before
    the first build and returns only once real file events reach it (the race CI once lost:
    a save made before inotify's watches were in place was never rebuilt). Five fresh starts,
    each saving at once."""
    import threading

    from portfolio.serve import start_watching

    for attempt in range(5):
        root = tmp_path / f"site{attempt}"
        (root / "content").mkdir(parents=True)
        saved = threading.Event()
        stop = threading.Event()
        try:
            assert start_watching(root, saved.set, stop), "the watcher never saw the probe"
            assert not saved.is_set(), "the readiness probe counted as a save"
            (root / "content" / "a.md").write_text("saved at once\n")
            assert saved.wait(10), f"start {attempt}: the save right after start was missed"
            assert not (root / ".portfolio-cache" / "serve-probe").exists()
        finally:
            stop.set()
