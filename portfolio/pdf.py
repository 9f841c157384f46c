"""The portfolio as a PDF: the HTML the theme's `pdf.html` renders, laid out by WeasyPrint
(the `pdf` extra) as a tagged PDF/UA document with the title, author and language as its
only metadata; its text read back with pypdf, for the leak guard.

Pictures and fonts come from the built site in memory, never from the network; links
are absolute (`base_url`) so they stay clickable in the PDF, or plain text without one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .cache import Cache, key_of
from .errors import PortfolioError

EXTRA = 'the PDF needs the pdf extra: pip install "portfolio[pdf]" (WeasyPrint and pypdf)'
# Where the document "lives" for WeasyPrint: a name of no network, answered from memory.
_BASE = "https://portfolio.invalid/"
_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")')
_MAX_BYTES = 30_000_000  # a picture bigger than this is not a portfolio's


def require() -> None:
    """Raise a clear error naming the extra when WeasyPrint or pypdf is missing."""
    try:
        import pypdf  # noqa: F401
        import weasyprint  # noqa: F401
    except ImportError:
        raise PortfolioError(EXTRA) from None
    except OSError as exc:  # WeasyPrint installed without Pango (a system library)
        raise PortfolioError(f"WeasyPrint cannot start: {exc}; see its installation guide") from None


def make_pdf(
    html: str,
    url: str,
    files: Mapping[str, bytes | Path],
    fonts: Path,
    base_url: str | None,
    cache: Cache | None,
) -> bytes:
    """The PDF of `html` (rendered for the site-relative `url`), cached by content."""
    require()
    import weasyprint
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False  # WeasyPrint's import turns it on for everyone
    html = _charts_styled(_absolute_links(html, url, base_url))
    version = metadata.version("weasyprint")
    key = key_of("pdf", html, version, url)
    if cache is not None:
        hit = cache.get("pdf", key, "pdf")
        if hit is not None:
            return hit.read_bytes()
    fetch = _fetcher(url, files, fonts)
    document = weasyprint.HTML(string=html, base_url=_BASE + url, url_fetcher=fetch).render()
    # Title, author and language only: no producer, no dates, no keywords.
    document.metadata.generator = None
    document.metadata.created = None
    document.metadata.modified = None
    document.metadata.description = None
    document.metadata.keywords = []
    data = document.write_pdf(pdf_variant="pdf/ua-1", finisher=_without_producer, uncompressed_pdf=False)
    assert isinstance(data, bytes)
    if cache is not None:
        cache.put("pdf", key, "pdf", data)
    return data


def _absolute_links(html: str, url: str, base_url: str | None) -> str:
    """Links to the site's own pages made absolute (clickable in a PDF); without base_url
    they lead nowhere from a PDF, so they become plain text."""

    def fix(m: re.Match[str]) -> str:
        target = m[2]
        if "://" in target or target.startswith(("mailto:", "tel:", "#")):
            return m[0]
        site_path = _resolve(url, target)
        if base_url:
            return m[1] + base_url + site_path + m[3]
        return m[1] + "#" + m[3]

    return _HREF.sub(fix, html)


_SVG_STYLE = re.compile(r'<style id="svg-style">(.*?)</style>', re.S)
_SVG_OPEN = re.compile(r"(<svg\b[^>]*>)")


def _charts_styled(html: str) -> str:
    """The template's `<style id="svg-style">` copied into each inline SVG: WeasyPrint
    draws an SVG with the styles inside it only."""
    m = _SVG_STYLE.search(html)
    if m is None:
        return html
    style = f"<style>{m[1]}</style>"
    html = html[: m.start()] + html[m.end() :]
    return _SVG_OPEN.sub(lambda svg: svg[1] + style, html)


def _resolve(page_url: str, target: str) -> str:
    """A relative link from the page at `page_url` as a site-relative path."""
    folder = page_url.rsplit("/", 1)[0] + "/" if "/" in page_url else ""
    parts: list[str] = []
    for part in (folder + target).split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    trailing = "/" if target.endswith("/") and parts else ""
    return "/".join(parts) + trailing


def _fetcher(url: str, files: Mapping[str, bytes | Path], fonts: Path) -> Any:
    """Answers WeasyPrint from the built site in memory (and the theme's fonts); anything
    else is refused, so a PDF never makes a request."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SiteFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, address: str, headers: Any = None) -> URLFetcherResponse:
            if not address.startswith(_BASE):
                raise ValueError(f"the PDF loads nothing from outside: {address}")
            path = unquote(urlsplit(address).path).lstrip("/")
            if "theme-fonts/" in path:
                font = fonts / path.rsplit("/", 1)[-1]
                if font.parent == fonts and font.is_file():
                    return URLFetcherResponse(address, font.read_bytes(), {"Content-Type": "font/otf"})
                raise ValueError(f"no font {path}")
            found = files.get(path)
            if found is None:
                raise ValueError(f"not in the site: {path}")
            data = found if isinstance(found, bytes) else found.read_bytes()
            if len(data) > _MAX_BYTES:
                raise ValueError(f"too large: {path}")
            return URLFetcherResponse(address, data, {"Content-Type": _mime(path)})

    return SiteFetcher(allowed_protocols=("https",))


def _mime(path: str) -> str:
    ext = path.rsplit(".", 1)[-1].lower()
    return {
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
        "webp": "image/webp", "svg": "image/svg+xml", "avif": "image/avif", "css": "text/css",
    }.get(ext, "application/octet-stream")  # fmt: skip


def _without_producer(document: Any, pdf: Any) -> None:
    """WeasyPrint names itself in the info dictionary and the XMP packet: neither stays."""
    pdf.info.pop("Producer", None)
    reference = pdf.catalog.get("Metadata")  # b"12 0 R": the XMP stream's object number
    number = re.match(rb"(\d+) 0 R", reference) if isinstance(reference, bytes) else None
    stream = reference
    if number is not None:
        stream = pdf.objects[int(number[1])]
    if stream is not None and hasattr(stream, "stream"):
        stream.stream = [
            re.sub(rb'<rdf:Description rdf:about="" pdf:Producer="[^"]*" />', b"", bytes(part))
            if isinstance(part, bytes | bytearray)
            else part
            for part in stream.stream
        ]


def pdf_text(data: bytes) -> str:
    """Every word of a PDF, page by page (pypdf), for the leak guard."""
    require()
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    words = []
    for page in reader.pages:
        words.append(page.extract_text() or "")
        for annotation in page.get("/Annots") or ():  # link addresses are text too
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                words.append(str(action["/URI"]))
    return "\n".join(words)
