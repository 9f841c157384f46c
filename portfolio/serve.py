"""`portfolio serve`: a live preview, drafts included, rebuilt and reloaded on every change.

The preview is rendered in memory (nothing is written but the cache) and served by
livereload's Tornado server, which also injects the reload script into each page. A build
that fails shows its errors in the browser, and the page recovers once they are fixed.
"""

from __future__ import annotations

import errno
import html
import logging
import mimetypes
import socket
import threading
import time
import webbrowser
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import click

from .build import BuildOptions, render_site
from .config import CONFIG_FILE, load_config
from .errors import PortfolioError, Problems, SourceError, UsageProblem
from .site import page_url, study_url
from .themes import bundled_dir, load_theme

DEFAULT_PORT = 8000
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".webp": "image/webp",
    ".avif": "image/avif",
}

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class Preview:
    """The site as the last build left it, served from memory as a WSGI application."""

    def __init__(self, root: Path, drafts: bool, host: str) -> None:
        self.root = root
        self.drafts = drafts
        self.host = host
        self.files: dict[str, bytes | Path] = {}
        self.errors: list[SourceError] = []
        self.prefix = "/"
        self.draft_urls: list[str] = []

    def rebuild(self) -> None:
        """Render the site again; print what happened, keep the errors for the browser."""
        started = time.perf_counter()
        problems = Problems()
        try:
            rendered = render_site(self.root, BuildOptions(), problems, drafts=self.drafts, preview=True)
        except PortfolioError as exc:
            self.errors = list(problems.errors) or [SourceError("portfolio", exc.message)]
            for error in self.errors:
                click.echo(click.style("error: ", fg="red", bold=True) + str(error), err=True)
            click.echo(
                f"Build failed with {len(self.errors)} error"
                f"{'s' if len(self.errors) != 1 else ''}; the browser shows them until "
                "they are fixed.",
                err=True,
            )
            return
        self.errors = []
        self.files = rendered.files
        base = rendered.site.config.base_url
        self.prefix = unquote(urlsplit(base).path) if base else "/"
        for warning in problems.warnings:
            click.echo(click.style("warning: ", fg="yellow") + str(warning), err=True)
        site = rendered.site
        # Drafts are in no list (lists are what visitors see): say where they are.
        self.draft_urls = [study_url(s) for s in site.studies if s.draft]
        self.draft_urls += [page_url(p) for p in site.pages if p.draft]
        count = len(self.draft_urls)
        shown = f", {count} draft{'s' if count != 1 else ''} shown" if count else ""
        pages = sum(1 for name in self.files if name.endswith(".html"))
        click.echo(f"Rebuilt {pages} pages in {time.perf_counter() - started:.2f} s{shown}.")

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not self._host_allowed(environ.get("HTTP_HOST", "")):
            return _respond(start_response, "403 Forbidden", b"Forbidden", ".txt")
        # WSGI hands the path over as Latin-1: get the UTF-8 the browser sent back.
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        if not path.startswith(self.prefix):
            if path == "/" or path + "/" == self.prefix:  # preview where it will be published
                return _respond(start_response, "302 Found", b"", location=_quote(self.prefix))
            return self._not_found(start_response)
        rel = path[len(self.prefix) :]
        name = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        if self.errors and name.endswith(".html"):
            return _respond(start_response, "500 Internal Server Error", self._error_page(), ".html")
        body = self._bytes(name)
        if body is not None:
            return _respond(start_response, "200 OK", body, name)
        if f"{name}/index.html" in self.files:
            return _respond(start_response, "301 Moved Permanently", b"", location=_quote(path + "/"))
        return self._not_found(start_response)

    def _host_allowed(self, host_header: str) -> bool:
        """A preview on 127.0.0.1 answers only to its own names: a web page that points
        another domain at 127.0.0.1 (DNS rebinding) cannot read the drafts."""
        if self.host not in LOOPBACK:
            return True
        if host_header.startswith("["):  # [::1]:8000
            name = host_header[1 : host_header.find("]")]
        else:
            name = host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header
        return name.lower() in LOOPBACK

    def _bytes(self, name: str) -> bytes | None:
        value = self.files.get(name)
        if value is None or isinstance(value, bytes):
            return value
        try:
            return value.read_bytes()
        except OSError:  # deleted since the last rebuild: the next one drops it
            return None

    def _not_found(self, start_response: StartResponse) -> Iterable[bytes]:
        body = self._bytes("404.html") or b"Not found"
        return _respond(start_response, "404 Not Found", body, ".html")

    def _error_page(self) -> bytes:
        items = "\n".join(f"<li><pre>{html.escape(str(e))}</pre></li>" for e in self.errors)
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Build failed · portfolio serve</title>"
            "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
            "padding:0 1rem;color:#1c1b19;background:#fff8f6}h1{color:#b42318}"
            "pre{white-space:pre-wrap;margin:0}li{margin:.6rem 0;padding:.6rem .8rem;"
            "background:#fff;border-left:4px solid #b42318}</style></head><body>"
            f"<h1>The build failed</h1><p>Fix {'these' if len(self.errors) > 1 else 'this'} "
            "and save: this page reloads by itself.</p>"
            f"<ol>{items}</ol></body></html>"
        ).encode()


def _quote(path: str) -> str:
    return quote(path, safe="/~")


def _respond(
    start_response: StartResponse, status: str, body: bytes, name: str = "", location: str | None = None
) -> list[bytes]:
    suffix = Path(name).suffix.lower()
    kind = _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = [("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")]
    if location:
        headers.append(("Location", location))
    start_response(status, headers)
    return [body]


def choose_port(host: str, port: int | None) -> tuple[int, str]:
    """The port to listen on, and a note when the default one was taken."""
    if port is not None:
        if not _free(host, port):
            raise UsageProblem(
                f"--port {port}: the port is taken (is another server running?);"
                " choose another, or leave --port out to take a free one"
            )
        return port, ""
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + 100):
        if _free(host, candidate):
            note = (
                f"Port {DEFAULT_PORT} is taken; using {candidate} instead."
                if candidate != DEFAULT_PORT
                else ""
            )
            return candidate, note
    raise UsageProblem(f"no free port between {DEFAULT_PORT} and {DEFAULT_PORT + 99}; pass --port N")


def _free(host: str, port: int) -> bool:
    """Whether Tornado will be able to listen there; a host we cannot use is an error."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise UsageProblem(f"--host {host}: not an address of this machine") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As Tornado does: a port left in TIME_WAIT by the last preview is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise UsageProblem(f"--host {host}: cannot listen there ({exc.strerror or exc})") from None
    return True


def watched(root: Path) -> list[str]:
    """Patterns for everything whose change triggers a rebuild: the settings, content,
    templates and static files (folders created later included), and a theme of the
    site's own."""
    patterns = [str(root / CONFIG_FILE)]
    patterns += [str(root / folder / "**" / "*") for folder in ("content", "templates", "static")]
    config = load_config(root, Problems())
    theme = load_theme(config, Problems()) if config else None
    if theme:
        patterns += [str(d / "**" / "*") for d in theme.dirs if not d.is_relative_to(bundled_dir())]
    return patterns


def serve(root: Path, host: str, port: int | None, open_browser: bool, drafts: bool) -> None:
    """Serve the preview until Ctrl+C."""
    preview = Preview(root, drafts, host)
    preview.rebuild()
    server = _quiet_server(preview)
    watching: set[str] = set()

    def rebuild() -> None:
        preview.rebuild()
        for pattern in watched(root):  # portfolio.yaml may name another theme now
            if pattern not in watching:
                watching.add(pattern)
                server.watch(pattern, rebuild)

    for pattern in watched(root):
        watching.add(pattern)
        server.watch(pattern, rebuild)
    # Chosen last, just before listening: the first build can take a while.
    chosen, note = choose_port(host, port)
    if note:
        click.echo(note)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{chosen}{_quote(preview.prefix)}"
    click.echo(f"Serving {root.name} at {url} (Ctrl+C to stop). Pages reload when you save a file.")
    for draft in preview.draft_urls:
        click.echo(f"  draft: {url}{_quote(draft)}")
    if host not in LOOPBACK:
        click.echo(
            click.style("warning: ", fg="yellow") + f"--host {host}: other machines "
            "on your network can see this preview, drafts included."
        )
    if open_browser:
        threading.Timer(0.5, webbrowser.open, [url]).start()
    try:
        server.serve(port=chosen, host=host, debug=False)
    except OSError as exc:  # taken between the check and the listen
        raise UsageProblem(f"cannot listen on {shown}:{chosen}: {exc.strerror or exc}") from None
    click.echo("Stopped.")


def _quiet_server(app: Preview) -> Any:
    """livereload's Server without its log lines (the preview prints its own), reloading
    the browser after every rebuild: livereload skips reloads that come within 3 s of the
    last, which would leave a fixed mistake on screen."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0

    class QuietServer(Server):  # type: ignore[misc]
        def _setup_logging(self) -> None:
            for name in ("livereload", "tornado.access", "tornado.application", "tornado.general"):
                logging.getLogger(name).setLevel(logging.CRITICAL)

    return QuietServer(app)
