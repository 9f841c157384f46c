"""SVG files published as static images: parsed, whitelisted, re-serialised.

The output is served from the user's domain, so an SVG opened directly must not run script,
make any third-party request or leak the author's metadata (editor paths, RDF, comments).
Whatever is not known to be static, local SVG is dropped rather than repaired.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from PIL import Image, ImageOps

from .imaging import DECODE_ERRORS

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_XLINK_HREF = f"{{{XLINK_NS}}}href"
_XML_ATTRS = {f"{{{XML_NS}}}space": "xml:space", f"{{{XML_NS}}}lang": "xml:lang"}
_PREFIXED = {_XLINK_HREF: "xlink:href", **_XML_ATTRS}  # the only namespaced attributes kept

MAX_BYTES = 10_000_000
MAX_ELEMENTS = 100_000
MAX_DEPTH = 256  # cleaning and writing recurse; real drawings nest a few dozen levels
MAX_CHARS = 2 * MAX_BYTES  # text and attributes after entity expansion (quadratic blowups)
_EMBED_BUDGET = 4  # all embedded images together: this many times max_pixels

_ANIMATIONS = {"animate", "animateTransform", "animateMotion", "set"}
_FILTERS = {
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
}
_ELEMENTS = (
    {
        "svg",
        "g",
        "defs",
        "symbol",
        "use",
        "title",
        "desc",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "pattern",
        "marker",
        "filter",
        "image",
        "style",
        "switch",
        "a",
        "view",
        "mpath",
    }
    | _ANIMATIONS
    | _FILTERS
)  # no feImage: it loads files
_TEXT = {"text", "tspan", "textPath"}  # inside these an <a> becomes <tspan>, a <g> would hide it
_LINK_ATTRS = {"target", "download", "ping", "rel", "hreflang", "type", "referrerpolicy"}

# CSS that loads or runs something, searched after escapes and whitespace are taken out (so
# `u\72 l( 'x')` and `java\9script:` are caught too), with and without comments (a "/*" in a
# string is not a comment, so removing comments alone could hide what follows it).
_CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.S)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.S)
_CSS_BAD = re.compile(
    r"url\((?!['\"]?(?:#|data:font/|data:application/(?:x-)?font))|"
    r"@import|expression\(|javascript:|vbscript:|-moz-binding|"
    r"behavior:|image-set\(|image\(|src\("
)
_DATA_IMAGE = re.compile(r"data:image/(png|jpe?g|gif|webp)(?:;[\w.+-]+=[\w.+\"-]+)*;base64,(.*)", re.I | re.S)
_LENGTH = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z%]*)\s*")
_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
# What Pillow raises for a file it cannot read (imaging.py), plus bad base64.
_DECODE_ERRORS = (*DECODE_ERRORS, binascii.Error, Image.DecompressionBombError)


class SvgError(Exception):
    """An SVG that cannot be published, with a one-line reason (no traceback, no path)."""


@dataclass(frozen=True)
class CleanSvg:
    data: bytes  # UTF-8 SVG document, no XML declaration needed
    width: int  # displayed size in CSS px, >= 1, for <img width height>
    height: int


def sanitize(data: bytes, max_pixels: int = 50_000_000) -> CleanSvg:
    """The SVG with only static, local content left, and its displayed size."""
    root = _parse(data)
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgError(
            f"is not an SVG image (its root element is <{_local(root.tag)}>"
            + (", not in the SVG namespace)" if _local(root.tag) == "svg" else ")")
        )
    clean = _Cleaner(max_pixels).element(root, "")
    assert clean is not None  # the root is a whitelisted <svg>
    width, height = _size(root)
    if _viewbox(root.get("viewBox")) is None:  # so that it scales when CSS resizes it
        clean.set("viewBox", f"0 0 {_num(width)} {_num(height)}")
    w, h = max(1, int(width + 0.5)), max(1, int(height + 0.5))
    clean.set("width", str(w))
    clean.set("height", str(h))
    xmlns = f' xmlns="{SVG_NS}"'
    if any(_XLINK_HREF in e.attrib for e in clean.iter()):
        xmlns += f' xmlns:xlink="{XLINK_NS}"'
    out: list[str] = []
    _write(clean, out, xmlns)
    return CleanSvg("".join(out).encode("utf-8"), w, h)


def looks_like_svg(data: bytes) -> bool:
    """Whether the root element is <svg>, from the first 64 KB (no parsing, no namespace check)."""
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "replace")
    else:
        text = head.decode("utf-8", "replace").lstrip("\ufeff")
    prolog = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.S | re.I)
    pos = 0
    while m := prolog.match(text, pos):
        pos = m.end()
    return re.compile(r"<(?:[\w.-]+:)?svg[\s/>]").match(text, pos) is not None


_TOO_MUCH_TEXT = "expands to too much text (entities repeated too many times)"


class _Builder:
    """ElementTree's builder, counting as it goes so that a hostile file stops early.

    A wrapper, not a subclass: data() runs once per entity expansion, so it must be cheap.
    """

    def __init__(self) -> None:
        tree = ET.TreeBuilder()  # comments and processing instructions are not kept
        self._start, self._end, self._data, self.close = tree.start, tree.end, tree.data, tree.close
        self.elements = self.depth = self.chars = 0

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        self.elements += 1
        self.depth += 1
        self.chars += sum(map(len, attrs.values()))
        if self.chars > MAX_CHARS:
            raise SvgError(_TOO_MUCH_TEXT)
        if self.elements > MAX_ELEMENTS:
            raise SvgError(f"has more than {MAX_ELEMENTS} elements")
        if self.depth > MAX_DEPTH:
            raise SvgError(f"has elements nested more than {MAX_DEPTH} levels deep")
        return self._start(tag, attrs)

    def end(self, tag: str) -> ET.Element:
        self.depth -= 1
        return self._end(tag)

    def data(self, data: str) -> None:
        self.chars += len(data)
        if self.chars > MAX_CHARS:
            raise SvgError(_TOO_MUCH_TEXT)
        self._data(data)


def _parse(data: bytes) -> ET.Element:
    # expat >= 2.4 stops entity-expansion bombs; ElementTree never loads external entities
    # (a reference to one is an "undefined entity" error) nor the external DTD.
    if len(data) > MAX_BYTES:
        raise SvgError(f"is larger than {MAX_BYTES // 1_000_000} MB")
    parser = ET.XMLParser(target=_Builder())
    try:
        for i in range(0, len(data), 65536):  # chunks, so the limits above stop it early
            parser.feed(data[i : i + 65536])
        root: ET.Element = parser.close()
    except ET.ParseError as e:
        if "amplification" in str(e):  # expat's own bomb check: the file is well-formed
            raise SvgError(_TOO_MUCH_TEXT) from None
        raise SvgError(f"is not a well-formed SVG file: {e}") from None
    return root


class _Cleaner:
    def __init__(self, max_pixels: int) -> None:
        self.max_pixels = max_pixels
        self.pixels_left = _EMBED_BUDGET * max_pixels

    def element(self, el: ET.Element, parent: str) -> ET.Element | None:
        """A clean copy of a whitelisted element, or None to drop it with its subtree."""
        if not el.tag.startswith(f"{{{SVG_NS}}}") or (name := _local(el.tag)) not in _ELEMENTS:
            return None
        if name in _ANIMATIONS:  # could swap in a link or a handler after load
            target = el.get("attributeName", "").strip().lower()
            if (
                target.rpartition(":")[2] == "href"
                or target.startswith("on")
                or any("javascript:" in _compact(el.get(k, "")) for k in ("values", "from", "to", "by"))
            ):
                return None
        if name == "a":  # links do nothing in <img> and could be javascript:
            name = "tspan" if parent in _TEXT else "g"
        out = ET.Element(f"{{{SVG_NS}}}{name}")
        for key, value in el.attrib.items():
            if key in ("href", _XLINK_HREF):
                if (kept := self.href(name, value)) is not None:
                    out.set(key, kept)
            elif (key.startswith("{") and key not in _XML_ATTRS) or key.lower().startswith("on"):
                continue  # editor metadata (sodipodi:docname...), event handlers
            elif not (_unsafe_css(value) or (_local(el.tag) == "a" and key in _LINK_ATTRS)):
                out.set(key, value)
        if name in ("use", "image") and not ({"href", _XLINK_HREF} & out.attrib.keys()):
            return None
        if "style" in out.attrib:  # comments can hold the designer's file paths
            out.set("style", _CSS_COMMENT.sub("", out.attrib["style"]))
        if name == "style":  # CSS only, without comments or the rules that load or run things
            css = _clean_css("".join(el.itertext()))
            if not css.strip():
                return None
            out.text = css
            return out
        out.text = el.text
        for child in el:
            kept_child = self.element(child, name)
            if kept_child is not None:
                kept_child.tail = child.tail
                out.append(kept_child)
            elif child.tail:  # the text after a dropped element still belongs to its parent
                if len(out):
                    out[-1].tail = (out[-1].tail or "") + child.tail
                else:
                    out.text = (out.text or "") + child.tail
        return out

    def href(self, element: str, value: str) -> str | None:
        """A local #fragment, or on <image> an embedded image re-encoded; None otherwise."""
        value = value.strip()
        if element == "image":
            return self.embedded(value)
        return value if re.fullmatch(r"#\S+", value) else None

    def embedded(self, url: str) -> str | None:
        """A data: image rebuilt from its pixels alone (no EXIF, GPS, XMP, ICC, comments)."""
        m = _DATA_IMAGE.fullmatch(url)
        if not m:
            return None
        try:
            raw = base64.b64decode(re.sub(r"\s+", "", m[2]), validate=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(raw), formats=["PNG", "JPEG", "GIF", "WEBP"]) as im:
                    pixels = im.width * im.height
                    if pixels > min(self.max_pixels, self.pixels_left):
                        return None
                    self.pixels_left -= pixels
                    lossy = im.format in ("JPEG", "MPO", "WEBP")
                    upright = ImageOps.exif_transpose(im)  # first frame only
                    alpha = upright.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
                    mode = "RGBA" if alpha else "RGB"
                    pixels_only = upright.convert(mode)
                    fresh = Image.frombytes(mode, pixels_only.size, pixels_only.tobytes())
                    buf = io.BytesIO()
                    kind = "jpeg" if lossy and not alpha else "png"  # photos stay JPEG, the rest PNG
                    fresh.save(buf, kind.upper(), **({"quality": 85} if kind == "jpeg" else {}))
        except _DECODE_ERRORS:
            return None
        return f"data:image/{kind};base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _compact(value: str) -> str:
    """Lower case, without CSS escapes, whitespace and control characters."""

    def unescape(m: re.Match[str]) -> str:
        if m[2] is not None:
            return m[2]
        code = int(m[1], 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return re.sub(r"[\x00-\x20\x7f]+", "", _CSS_ESCAPE.sub(unescape, value)).lower()


def _clean_css(css: str) -> str:
    """A style sheet without comments and without each statement (`@import ...;`, a rule, an
    @font-face or @media block) that loads or runs something: the rest still styles the
    drawing, so a logo whose sheet imports a web font keeps its colours."""
    css = _CSS_COMMENT.sub("", css)
    statements, depth, start = [], 0, 0
    for i, char in enumerate(css):
        if char == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        if (char == "}" and depth == 0) or (char == ";" and depth == 0):
            statements.append(css[start : i + 1])
            start = i + 1
    statements.append(css[start:])
    kept = "".join(part for part in statements if not _unsafe_css(part))
    return "" if _unsafe_css(kept) else kept  # pieces that turn unsafe together: all go


def _unsafe_css(value: str) -> bool:
    return any(_CSS_BAD.search(_compact(v)) for v in (value, _CSS_COMMENT.sub("", value)))


def _length(value: str | None) -> float | None:
    """An absolute length in CSS px; None for percentages, em, nonsense or absurd sizes."""
    m = _LENGTH.fullmatch(value or "")
    if not m or m[2].lower() not in _UNITS:
        return None
    px = float(m[1]) * _UNITS[m[2].lower()]
    return px if 0 < px <= 1e6 else None


def _viewbox(value: str | None) -> tuple[float, float] | None:
    """The viewBox's width and height, when it has four numbers and a positive size."""
    parts = re.split(r"[\s,]+", (value or "").strip())
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    if len(numbers) != 4 or not all(map(math.isfinite, numbers)) or min(numbers[2:]) <= 0:
        return None
    return numbers[2], numbers[3]


def _size(root: ET.Element) -> tuple[float, float]:
    """The displayed size, as a browser sizes an <img> of it (300x150 when nothing says)."""
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = _viewbox(root.get("viewBox"))
    if width is not None and height is not None:
        return width, height
    if width is not None:
        return width, width * box[1] / box[0] if box else 150.0
    if height is not None:
        return height * box[0] / box[1] if box else 300.0, height
    return box if box else (300.0, 150.0)


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if attribute:  # keep whitespace that attribute normalisation would turn into spaces
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _write(el: ET.Element, out: list[str], xmlns: str = "") -> None:
    """Serialise with SVG as the default namespace (ElementTree would write ns0: prefixes)."""
    attrs = "".join(f' {_PREFIXED.get(k, k)}="{_escape(v, True)}"' for k, v in el.attrib.items())
    tag = _local(el.tag)
    out.append(f"<{tag}{xmlns}{attrs}")
    if el.text or len(el):
        out.append(">" + _escape(el.text or ""))
        for child in el:
            _write(child, out)
            out.append(_escape(child.tail or ""))
        out.append(f"</{tag}>")
    else:
        out.append("/>")
