"""`portfolio serve`: a live preview, drafts included, rebuilt and reloaded on every save.

The site is rendered in memory (nothing is written but the cache) and served by a small
Tornado application on 127.0.0.1. watchfiles reports each save as it happens (inotify on
Linux); the rebuild runs in a thread, swaps the new files in whole, and tells the browser
to reload over LiveReload's WebSocket protocol (livereload's handler and script). A
build that fails shows its errors in the browser, in the site's language, and the page
recovers once they are fixed.

Only names of this machine are answered (no DNS rebinding), the WebSocket takes only this
preview's own pages as its origin, and no message carries a file's path. Listening on every
interface (a phone on the same Wi-Fi), it also answers any IP address: a rebinding attack
needs a domain name of its own, so an address typed as digits is always this machine.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import html
import ipaddress
import logging
import mimetypes
import socket
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import click

from .cache import CACHE_DIR, Cache
from .config import load_config
from .errors import PortfolioError, Problems, SourceError, UsageProblem
from .options import BuildOptions
from .recipe import render_site
from .themes import bundled_dir, load_theme

DEFAULT_PORT = 8000
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WILDCARD = {"0.0.0.0", "::", ""}  # every interface
RELOAD_SCRIPT = "/livereload.js"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".js": "text/javascript; charset=utf-8",
}
# Folders whose changes are the build's own, never the user's.
_NOT_WATCHED = {"output", CACHE_DIR, ".git", "consent-requests", "node_modules", ".venv", "__pycache__"}


@dataclass
class Response:
    status: int
    body: bytes = b""
    kind: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class Preview:
    """The site as the last build left it, and the answer to each request."""

    def __init__(self, root: Path, drafts: bool, host: str) -> None:
        self.root = root
        self.drafts = drafts
        self.host = host
        self.port = 0
        self.files: dict[str, bytes | Path] = {}
        self.errors: list[SourceError] = []
        self.language = "en"
        self.prefix = "/"
        self.draft_urls: list[str] = []
        self.names = allowed_names(host)
        self.any_address = host in WILDCARD
        self._lock = threading.Lock()  # one rebuild at a time
        # One cache for the whole preview: its file digests and sums are read once, not at
        # every save.
        self.cache = Cache(root)

    # -- building --------------------------------------------------------------------
    def rebuild(self) -> float:
        """Render the site again and swap the result in whole; returns the seconds it took.

        A request during a rebuild gets the old site or the new one, never a mix."""
        with self._lock:
            started = time.perf_counter()
            problems = Problems()
            try:
                rendered = render_site(
                    self.root, BuildOptions(), problems, drafts=self.drafts, preview=True, cache=self.cache
                )
            except PortfolioError as exc:
                self._failed(list(problems.errors) or [SourceError("portfolio", exc.message)])
                return time.perf_counter() - started
            except Exception as exc:  # a bug: say so in the browser too, keep serving
                self._failed([SourceError("portfolio", f"internal error: {type(exc).__name__}: {exc}")])
                return time.perf_counter() - started
            site = rendered.site
            base = site.config.base_url
            # Drafts are in no list (lists are what visitors see): say where they are.
            drafts = [site.study_url(s) for s in site.studies if s.draft] + [
                site.page_url(p) for p in site.pages if p.draft
            ]
            self.files, self.errors = rendered.files, []
            self.language = site.config.language
            self.prefix = unquote(urlsplit(base).path) if base else "/"
            self.draft_urls = drafts
            seconds = time.perf_counter() - started
        for warning in problems.warnings:
            click.echo(click.style("warning: ", fg="yellow") + str(warning), err=True)
        count = len(self.draft_urls)
        shown = f", {count} draft{'s' if count != 1 else ''} shown" if count else ""
        pages = sum(1 for name in self.files if name.endswith(".html"))
        click.echo(f"Rebuilt {pages} pages in {seconds:.2f} s{shown}.")
        return seconds

    def _failed(self, errors: list[SourceError]) -> None:
        self.errors = errors
        config = load_config(self.root, Problems())
        self.language = config.language if config else "en"
        for error in errors:
            click.echo(click.style("error: ", fg="red", bold=True) + str(error), err=True)
        click.echo(
            f"Build failed with {len(errors)} error{'s' if len(errors) != 1 else ''}; the browser shows "
            "them until they are fixed.",
            err=True,
        )

    # -- answering -------------------------------------------------------------------
    def host_allowed(self, host_header: str) -> bool:
        """Only names of this machine: a web page that points another domain at 127.0.0.1
        (DNS rebinding) cannot read the drafts."""
        return self._name_allowed(_host_name(host_header))

    def _name_allowed(self, name: str) -> bool:
        return name in self.names or (self.any_address and _is_address(name))

    def origin_allowed(self, origin: str, host_header: str) -> bool:
        """The live-reload socket takes only this preview's own pages as its origin: by one
        of its names, or by the address the socket itself was opened at (a page served by
        another machine of the network at its own address is refused)."""
        try:
            parts = urlsplit(origin)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return False
        name = (parts.hostname or "").lower()
        by_address = self.any_address and _same_address(name, _host_name(host_header))
        return parts.scheme == "http" and (name in self.names or by_address) and port == self.port

    def respond(self, method: str, raw_path: str) -> Response:
        if method not in ("GET", "HEAD"):
            return Response(405, b"Method not allowed", headers={"Allow": "GET, HEAD"})
        path = raw_path
        if not path.startswith(self.prefix):
            if path == "/" or path + "/" == self.prefix:  # preview where it will be published
                return Response(302, headers={"Location": _quote(self.prefix)})
            return self._not_found()
        rel = path[len(self.prefix) :]
        name = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        if self.errors and name.endswith(".html"):
            return Response(500, self.error_page(), _TYPES[".html"])
        body = self._bytes(name)
        if body is not None:
            return Response(200, body, _kind(name))
        if f"{name}/index.html" in self.files:
            return Response(301, headers={"Location": _quote(path + "/")})
        return self._not_found()

    def _bytes(self, name: str) -> bytes | None:
        value = self.files.get(name)
        if value is None or isinstance(value, bytes):
            return value
        try:
            return value.read_bytes()
        except OSError:  # deleted since the last rebuild: the next one drops it
            return None

    def _not_found(self) -> Response:
        return Response(404, self._bytes("404.html") or b"Not found", _TYPES[".html"])

    def error_page(self) -> bytes:
        """The build's errors as a page, in the site's language, that reloads once fixed."""
        words = _ERROR_WORDS.get(self.language, _ERROR_WORDS["en"])
        items = "\n".join(f"<li><pre>{html.escape(str(e))}</pre></li>" for e in self.errors)
        many = len(self.errors) > 1
        return (
            f'<!doctype html><html lang="{self.language}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{words['title']} · portfolio serve</title>"
            "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
            "padding:0 1rem;color:#1c1b19;background:#fff8f6}h1{color:#b42318}"
            "pre{white-space:pre-wrap;margin:0;font-size:.95rem}li{margin:.6rem 0;padding:.6rem .8rem;"
            "background:#fff;border-left:4px solid #b42318}</style></head><body>"
            f"<h1>{words['title']}</h1><p>{words['many' if many else 'one']}</p>"
            f"<ol>{items}</ol></body></html>"
        ).encode()


_ERROR_WORDS = {
    "en": {
        "title": "The build failed",
        "one": "Fix this and save: this page reloads by itself.",
        "many": "Fix these and save: this page reloads by itself.",
    },
    "fr": {
        "title": "La construction du site a échoué",
        "one": "Corrigez ce point et enregistrez\u202f: la page se recharge d’elle-même.",
        "many": "Corrigez ces points et enregistrez\u202f: la page se recharge d’elle-même.",
    },
}


def _kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _quote(path: str) -> str:
    return quote(path, safe="/~")


def _host_name(host_header: str) -> str:
    if host_header.startswith("["):  # [::1]:8000
        return host_header[1 : host_header.find("]")].lower()
    return (host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header).lower()


def _is_address(name: str) -> bool:
    """Whether a host name is an IP address (IPv4, or IPv6 without its brackets)."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _same_address(name: str, other: str) -> bool:
    """Whether two host names are the same IP address (`::ffff:a.b.c.d` is `a.b.c.d`)."""
    try:
        one, two = ipaddress.ip_address(name), ipaddress.ip_address(other)
    except ValueError:
        return False
    mapped = [getattr(a, "ipv4_mapped", None) or a for a in (one, two)]
    return mapped[0] == mapped[1]


def allowed_names(host: str) -> set[str]:
    """The Host names the preview answers to: loopback, the address it listens on, and when
    it listens on every interface, this machine's names: its hostname, its full name, and
    `hostname.local`, the name a phone finds it by over mDNS (Bonjour, Avahi). Its IP
    addresses are answered too, whatever they are (`Preview.host_allowed`)."""
    names = set(LOOPBACK) | {host.lower()}
    if host in WILDCARD:
        hostname = socket.gethostname().lower()
        names |= {hostname, socket.getfqdn().lower(), hostname.split(".")[0] + ".local"}
    return names


def network_addresses(host: str) -> list[str]:
    """The addresses other machines can reach a preview listening on every interface by:
    the one this machine's traffic leaves by (a UDP socket "connected" towards a
    documentation address sends nothing), then the others its hostname resolves to."""
    families = {"0.0.0.0": [socket.AF_INET], "::": [socket.AF_INET6]}.get(
        host, [socket.AF_INET, socket.AF_INET6]
    )
    found: list[str] = []
    for family in families:
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1" if family == socket.AF_INET else "2001:db8::1", 9))
            found.append(str(probe.getsockname()[0]))
        with contextlib.suppress(OSError):
            infos = socket.getaddrinfo(socket.gethostname(), None, family, socket.SOCK_STREAM)
            found += [str(info[4][0]) for info in infos]
    reachable = []
    for text in dict.fromkeys(found):
        address = ipaddress.ip_address(text.split("%")[0])
        # Loopback is this machine only; a link-local IPv6 address needs a zone no URL carries.
        if not (address.is_loopback or address.is_link_local or address.is_unspecified):
            reachable.append(text)
    return reachable


def _url_host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


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


def watched(root: Path) -> list[Path]:
    """Folders whose changes trigger a rebuild: the site folder itself (settings, content,
    templates, static, folders created later) and a theme of the site's own elsewhere."""
    folders = [root]
    config = load_config(root, Problems())
    theme = load_theme(config, Problems()) if config else None
    if theme:
        folders += [
            d for d in theme.dirs if not d.is_relative_to(bundled_dir()) and not d.is_relative_to(root)
        ]
    return folders


def _user_change(root: Path) -> Callable[[Any, str], bool]:
    """A save worth a rebuild: anything in the site but the build's own folders, hidden
    output staging and editors' swap files."""

    def wanted(_change: Any, path: str) -> bool:
        try:
            parts = Path(path).relative_to(root).parts
        except ValueError:
            return True  # a theme folder outside the site
        if not parts or parts[0] in _NOT_WATCHED or parts[0].startswith(".output"):
            return False
        name = parts[-1]
        return not (name.endswith(("~", ".swp", ".swx", ".tmp")) or name.startswith((".#", "#")))

    return wanted


_PROBE = "serve-probe"


def start_watching(root: Path, on_change: Callable[[], None], stop: threading.Event) -> bool:
    """Watch the site in a thread and call `on_change` after each save; return once the
    watcher sees changes (True; False if it did not within 5 s), so a save made as soon as
    the preview answers is never missed.

    If the system's file events fail (inotify's instance limit, a queue overflow), the
    watcher says so once and carries on by polling, rather than leaving a preview that
    silently stops updating."""
    from watchfiles import watch

    ready = threading.Event()
    wanted = _user_change(root)

    def accept(change: Any, path: str) -> bool:
        if Path(path).parts[-2:] == (CACHE_DIR, _PROBE):
            ready.set()
            return False
        return wanted(change, path)

    def run() -> None:
        polling = False
        while not stop.is_set():
            try:
                # step: changes that come within 20 ms are one save (an editor writes, renames).
                for _changes in watch(*watched(root), watch_filter=accept, step=20, stop_event=stop,
                                      raise_interrupt=False, force_polling=polling):  # fmt: skip
                    on_change()
                return
            except Exception as exc:  # watchfiles' own errors are RuntimeError and OSError kinds
                warning = click.style("warning: ", fg="yellow")
                if polling:
                    click.echo(f"{warning}saves are not watched ({exc}); restart the preview", err=True)
                    return
                click.echo(f"{warning}file events failed ({exc}); watching for saves by polling", err=True)
                polling = True

    threading.Thread(target=run, name="watch", daemon=True).start()
    # The handshake: write a probe in the cache folder (the build's own, never rebuilt on)
    # until the watcher reports it.
    probe = root / CACHE_DIR / _PROBE
    with contextlib.suppress(OSError):
        probe.parent.mkdir(exist_ok=True)
        deadline = time.monotonic() + 5
        count = 0
        while not ready.is_set() and time.monotonic() < deadline:
            count += 1
            probe.write_text(str(count))
            ready.wait(0.05)
        probe.unlink(missing_ok=True)
    return ready.is_set()


def serve(root: Path, host: str, port: int | None, open_browser: bool, drafts: bool) -> None:
    """Serve the preview until Ctrl+C."""
    import tornado.ioloop

    preview = Preview(root, drafts, host)
    loop = tornado.ioloop.IOLoop.current()
    stop = threading.Event()

    def rebuild_and_reload() -> None:
        preview.rebuild()
        loop.add_callback(_reload_browsers)

    # Watching starts before the first build: a save made during it is built next.
    start_watching(root, rebuild_and_reload, stop)
    preview.rebuild()
    # What the first build keeps (caches, compiled templates, views) lives as long as the
    # preview: frozen out of the collector's reach, a save no longer pays for a full
    # collection over it (30 ms of a 100 ms rebuild of the demo, measured).
    gc.freeze()
    # Chosen last, just before listening: the first build can take a while.
    chosen, note = choose_port(host, port)
    preview.port = chosen
    if note:
        click.echo(note)
    app = _application(preview)
    try:
        app.listen(chosen, address=host)
    except OSError as exc:  # taken between the check and the listen
        stop.set()
        shown = f"[{host}]" if ":" in host else host
        raise UsageProblem(f"cannot listen on {shown}:{chosen}: {exc.strerror or exc}") from None
    # 0.0.0.0 is no address a browser can open: this machine's own, then the network's.
    local = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    path = _quote(preview.prefix)
    url = f"http://{_url_host(local)}:{chosen}{path}"
    click.echo(f"Serving {root.name} at {url} (Ctrl+C to stop). Pages reload when you save a file.")
    if host in WILDCARD:
        others = network_addresses(host)
        for address in others:
            click.echo(f"  on your network: http://{_url_host(address)}:{chosen}{path}")
        if not others:
            click.echo("  on your network: no address found (is this machine on a network?)")
    for draft in preview.draft_urls:
        click.echo(f"  draft: {url}{_quote(draft)}")
    if host not in LOOPBACK:
        click.echo(
            click.style("warning: ", fg="yellow") + f"--host {host}: other machines on your network can "
            "see this preview, drafts included."
        )
    if open_browser:
        threading.Timer(0.5, webbrowser.open, [url]).start()
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
    click.echo("Stopped.")


def _reload_browsers() -> None:
    """Tell every open page to reload; the message names no file."""
    from livereload.handlers import LiveReloadHandler

    message = {"command": "reload", "path": "/", "liveCSS": False, "liveImg": False}
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message(message)
        except Exception:  # a page closed meanwhile
            LiveReloadHandler.waiters.discard(waiter)


def _application(preview: Preview) -> Any:
    """The Tornado application: the live-reload socket and script, then every page."""
    import tornado.web
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler

    for name in ("tornado.access", "tornado.application", "tornado.general", "livereload"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    class ReloadSocket(LiveReloadHandler):  # type: ignore[misc]
        def prepare(self) -> None:
            if not preview.host_allowed(self.request.host):
                raise tornado.web.HTTPError(403)

        def check_origin(self, origin: str) -> bool:
            return preview.origin_allowed(origin, self.request.host)

        def send_message(self, message: dict[str, Any] | str) -> None:
            # livereload's own catches everything, Ctrl+C too: pressed while a page said
            # hello, it was lost and the preview went on serving.
            with contextlib.suppress(Exception):
                self.write_message(message)

    class ReloadScript(LiveReloadJSHandler):  # type: ignore[misc]
        def prepare(self) -> None:
            if not preview.host_allowed(self.request.host):
                raise tornado.web.HTTPError(403)

    class Page(tornado.web.RequestHandler):
        SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")

        def _answer(self) -> None:
            if not preview.host_allowed(self.request.host):
                self._send(Response(403, b"Forbidden"))
                return
            # Tornado hands the path over percent-encoded: the site's own names are UTF-8.
            path = unquote(self.request.path, errors="replace")
            self._send(preview.respond(self.request.method or "GET", path))

        def _send(self, response: Response) -> None:
            self.set_status(response.status)
            body = response.body
            if response.kind.startswith("text/html") and b"</head>" in body:
                tag = f'<script src="{RELOAD_SCRIPT}?port={preview.port}"></script>'.encode()
                body = body.replace(b"</head>", tag + b"</head>", 1)
            self.set_header("Content-Type", response.kind)
            self.set_header("Cache-Control", "no-store")
            for key, value in response.headers.items():
                self.set_header(key, value)
            if self.request.method != "HEAD":
                self.write(body)
            else:
                self.set_header("Content-Length", str(len(body)))

        def set_default_headers(self) -> None:
            self.clear_header("Server")

        get = head = post = put = delete = patch = options = _answer  # type: ignore[assignment]

    return tornado.web.Application(
        [(r"/livereload", ReloadSocket), (RELOAD_SCRIPT, ReloadScript), (r"/.*", Page)],
        compress_response=False,
    )
