"""`portfolio serve`: a live preview, drafts included, rebuilt and reloaded on every change.

The preview is rendered in memory (nothing is written but the cache) and served by
livereload's Tornado server, which also injects the reload script into each page. A build
that fails shows its errors in the browser, and the page recovers once they are fixed.
"""

from __future__ import annotations

import html
import logging
import mimetypes
import socket
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from .build import BuildOptions, render_site
from .config import CONFIG_FILE, load_config
from .errors import PortfolioError, Problems, SourceError, UsageProblem
from .themes import bundled_dir, load_theme

DEFAULT_PORT = 8000
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".txt": "text/plain; "
          "charset=utf-8", ".webp": "image/webp", ".avif": "image/avif"}

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class Preview:
    """The site as the last build left it, served from memory as a WSGI application."""

    def __init__(self, root: Path, drafts: bool) -> None:
        self.root = root
        self.drafts = drafts
        self.files: dict[str, bytes | Path] = {}
        self.errors: list[SourceError] = []
        self.prefix = "/"

    def rebuild(self) -> None:
        """Render the site again; print what happened, keep the errors for the browser."""
        started = time.perf_counter()
        problems = Problems()
        try:
            rendered = render_site(self.root, BuildOptions(), problems, drafts=self.drafts,
                                   preview=True)
        except PortfolioError as exc:
            self.errors = list(problems.errors) or [SourceError("portfolio", exc.message)]
            for error in self.errors:
                click.echo(click.style("error: ", fg="red", bold=True) + str(error), err=True)
            click.echo(f"Build failed with {len(self.errors)} error"
                       f"{'s' if len(self.errors) != 1 else ''}; the browser shows them until "
                       "they are fixed.", err=True)
            return
        self.errors = []
        self.files = rendered.files
        base = rendered.site.config.base_url
        self.prefix = urlsplit(base).path if base else "/"
        for warning in problems.warnings:
            click.echo(click.style("warning: ", fg="yellow") + str(warning), err=True)
        drafts = sum(1 for s in rendered.site.studies if s.draft)
        drafts += sum(1 for p in rendered.site.pages if p.draft)
        shown = f", {drafts} draft{'s' if drafts != 1 else ''} shown" if drafts else ""
        pages = sum(1 for name in self.files if name.endswith(".html"))
        click.echo(f"Rebuilt {pages} pages in {time.perf_counter() - started:.2f} s{shown}.")

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # WSGI hands the path over as Latin-1: get the UTF-8 the browser sent back.
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        if not path.startswith(self.prefix):
            if path == "/":  # base_url has a sub-path: preview the site where it will live
                return _respond(start_response, "302 Found", b"", location=self.prefix)
            return self._not_found(start_response)
        rel = path[len(self.prefix):]
        name = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        if self.errors and name.endswith(".html"):
            return _respond(start_response, "500 Internal Server Error", self._error_page(),
                            ".html")
        if name in self.files:
            return _respond(start_response, "200 OK", self._bytes(name), name)
        if f"{name}/index.html" in self.files:
            return _respond(start_response, "301 Moved Permanently", b"", location=path + "/")
        return self._not_found(start_response)

    def _bytes(self, name: str) -> bytes:
        value = self.files[name]
        return value if isinstance(value, bytes) else value.read_bytes()

    def _not_found(self, start_response: StartResponse) -> Iterable[bytes]:
        body = self._bytes("404.html") if "404.html" in self.files else b"Not found"
        return _respond(start_response, "404 Not Found", body, ".html")

    def _error_page(self) -> bytes:
        items = "\n".join(f"<li><pre>{html.escape(str(e))}</pre></li>" for e in self.errors)
        return (
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Build failed · portfolio serve</title>"
            "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
            "padding:0 1rem;color:#1c1b19;background:#fff8f6}h1{color:#b42318}"
            "pre{white-space:pre-wrap;margin:0}li{margin:.6rem 0;padding:.6rem .8rem;"
            "background:#fff;border-left:4px solid #b42318}</style></head><body>"
            f"<h1>The build failed</h1><p>Fix {'these' if len(self.errors) > 1 else 'this'} "
            "and save: this page reloads by itself.</p>"
            f"<ol>{items}</ol></body></html>"
        ).encode()


def _respond(start_response: StartResponse, status: str, body: bytes, name: str = "",
             location: str | None = None) -> list[bytes]:
    suffix = Path(name).suffix.lower()
    kind = _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = [("Content-Type", kind), ("Content-Length", str(len(body))),
               ("Cache-Control", "no-store")]
    if location:
        headers.append(("Location", location))
    start_response(status, headers)
    return [body]


def choose_port(host: str, port: int | None) -> tuple[int, str]:
    """The port to listen on, and a note when the default one was taken."""
    if port is not None:
        if not _free(host, port):
            raise UsageProblem(f"--port {port}: the port is taken (is another server running?);"
                               " choose another, or leave --port out to take a free one")
        return port, ""
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + 100):
        if _free(host, candidate):
            note = (f"Port {DEFAULT_PORT} is taken; using {candidate} instead."
                    if candidate != DEFAULT_PORT else "")
            return candidate, note
    raise UsageProblem(f"no free port between {DEFAULT_PORT} and {DEFAULT_PORT + 99}; "
                       "pass --port N")


def _free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def watched(root: Path) -> list[Path]:
    """What a change in triggers a rebuild: the settings, content, templates, static files,
    and a theme the site keeps in its own folder or elsewhere on disk."""
    paths = [root / CONFIG_FILE, root / "content", root / "templates", root / "static"]
    problems = Problems()
    config = load_config(root, problems)
    theme = load_theme(config, problems) if config else None
    if theme:
        paths += [d for d in theme.dirs if not d.is_relative_to(bundled_dir())]
    return [p for p in paths if p.exists()]


def serve(root: Path, host: str, port: int | None, open_browser: bool, drafts: bool) -> None:
    """Serve the preview until Ctrl+C."""
    chosen, note = choose_port(host, port)
    preview = Preview(root, drafts)
    preview.rebuild()
    server = _quiet_server(preview)
    server.watcher.ignored_dirs.extend(["output", ".portfolio-cache", "node_modules", ".venv"])
    for path in watched(root):
        server.watch(str(path), preview.rebuild)
    if note:
        click.echo(note)
    shown = "[::1]" if host == "::1" else host
    click.echo(f"Serving {root.name} at http://{shown}:{chosen}{preview.prefix} "
               "(Ctrl+C to stop). Pages reload when you save a file.")
    if host not in LOOPBACK:
        click.echo(click.style("warning: ", fg="yellow") + f"--host {host}: other machines "
                   "on your network can see this preview, drafts included.")
    server.serve(port=chosen, host=host, debug=False, open_url_delay=0.5 if open_browser else None)
    click.echo("Stopped.")


def _quiet_server(app: Preview) -> Any:
    """livereload's Server without its log lines: the preview prints its own."""
    from livereload import Server

    class QuietServer(Server):  # type: ignore[misc]
        def _setup_logging(self) -> None:
            for name in ("livereload", "tornado.access", "tornado.application",
                         "tornado.general"):
                logging.getLogger(name).setLevel(logging.ERROR)

    return QuietServer(app)
