"""Social cards: the 1200x630 image a link preview shows (Open Graph, Twitter, LinkedIn).

Pure: a `Card` and a font folder in, PNG bytes out, the same bytes for the same inputs so
the cache can key them by content. Text is laid out first (`layout()`), then painted, so
`card_words()` can tell the leak guard exactly what was drawn without drawing it.

Fonts come from the theme's `fonts/` folder (files named `*-Regular`, `*-SemiBold`,
`*-Bold`, `.otf` or `.ttf`), else Pillow's built-in scalable font: never a system font.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps

from .imaging import DECODE_ERRORS, open_unlimited, to_srgb  # the site's own readers
from .themes import bundled_dir

WIDTH, HEIGHT = 1200, 630
ELLIPSIS = "…"
_SPACES = re.compile(r"[ \t\r\n]+")  # where a line may break (not at a no-break space)

RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]  # left, top, right, bottom
Font = ImageFont.FreeTypeFont

# Geometry, in pixels of the 1200x630 card. LinkedIn shows it ~520 px wide (x0.43), so
# the smallest text (22 px) still reads as ~10 px there.
_PAD_X = 72
_PAD_TOP = 56
_PAD_BOTTOM = 48  # above the band
_BAND = 80  # the accent band at the bottom: author, role and the site's host
_THIN_BAND = 14  # the band with nothing to show
_SEPARATOR = 36  # between the author and the role, a thin rule in the middle
_SITE_GAP = 48  # at least this between the role and the host
_MIN_ROLE_WIDTH = 160  # a long author name is cut to leave the role this much
# The cover's width: the right 40%, narrowed to 30% when a long title would otherwise
# drop below _COVER_TITLE_SIZE (about 19 px when LinkedIn shows the card 520 px wide).
_COVER_WIDTHS = (480, 420, 360)
_COVER_TITLE_SIZE = 44
_GUTTER = 56  # between the text and the cover
_BADGE_PAD = (18, 9)  # inside the kind badge
_GAP = 28  # between the blocks of the text column
_METRIC_GAP = 28  # between the figure and its label
_MIN_LABEL_WIDTH = 220  # narrower than this beside the figure, the label goes under it
_TITLE_SIZES = range(64, 31, -2)  # largest that fits wins
_TITLE_LARGEST = 84  # when no metric competes with the title
_TITLE_LINES = 3
_LEADING = 1.12  # title line pitch, in font sizes
# Cover images larger than this (after JPEG draft decoding) are not drawn: a bomb guard.
_MAX_COVER_PIXELS = 60_000_000


@dataclass(frozen=True)
class Card:
    title: str  # the page title (may be 90+ characters, French, with accents)
    author: str  # e.g. "Jordan Ellis"
    role: str | None  # e.g. "Social media strategist (lead)"
    metric: str | None  # the headline figure as text, e.g. "4.8%" or "+300%"
    metric_label: str | None  # e.g. "TikTok engagement rate"
    kind: str | None  # e.g. "Agency work" (already translated)
    site: str | None  # e.g. "jordanellis.example" (host of base_url)
    accent: str  # "#c2410c" CSS hex colour from the theme options
    dark: bool = False  # colour scheme of the card
    cover: Path | None = None  # an image file to show (any size/format Pillow reads); may be None


@dataclass(frozen=True)
class Text:
    """One run of text as drawn: its anchor point ("la": left, ascender) and its ink box."""

    text: str
    xy: tuple[int, int]
    font: Font
    colour: str  # a Palette field name
    box: Box


@dataclass(frozen=True)
class Layout:
    texts: tuple[Text, ...]
    words: tuple[str, ...]  # what card_words() returns: multi-line texts joined by a space
    badge: Box | None  # the pill behind the kind
    rules: tuple[Box, ...]  # thin separators on the band
    band: Box
    cover: Box | None
    column: Box  # the area every text above the band stays inside
    title_size: int


@dataclass(frozen=True)
class Palette:
    background: RGB
    text: RGB
    muted: RGB
    accent: RGB  # fills: the band
    accent_text: RGB  # the accent as text on the background: the metric
    on_accent: RGB  # text on the band
    on_accent_soft: RGB  # secondary text and rules on the band
    soft: RGB  # the badge behind the kind
    cover_blank: RGB  # the cover panel when the cover cannot be read


# --------------------------------------------------------------------------- public API


def card_words(card: Card, font_dir: Path | None = None) -> list[str]:
    """Every text drawn on the card, after any shortening; a title wrapped on several lines
    is one string, so a name split across two lines is still found by the leak guard.
    Pass the `font_dir` given to draw_card() (default: the bundled theme's fonts)."""
    return list(layout(card, font_dir or default_font_dir()).words)


def draw_card(card: Card, font_dir: Path) -> bytes:
    """The card as PNG bytes: 1200x630 RGB, no metadata (no EXIF, text chunk or profile)."""
    plan = layout(card, font_dir)
    palette = palette_for(card.accent, card.dark)
    im = Image.new("RGB", (WIDTH, HEIGHT), palette.background)
    if plan.cover is not None and card.cover is not None:
        _paste_cover(im, card.cover, plan.cover, palette)
    draw = ImageDraw.Draw(im)
    draw.rectangle(_inclusive(plan.band), fill=palette.accent)
    for rule in plan.rules:
        draw.rectangle(_inclusive(rule), fill=palette.on_accent_soft)
    if plan.badge is not None:
        _rounded(im, plan.badge, palette.soft)
    for text in plan.texts:
        draw.text(text.xy, text.text, font=text.font, fill=getattr(palette, text.colour), anchor="la")
    out = io.BytesIO()
    # A new image from raw pixels carries no info at all; PNG's encoder adds no timestamp.
    # zlib's default level: optimize=True is 2x slower on photos for 2% fewer bytes.
    Image.frombytes("RGB", im.size, im.tobytes()).save(out, "PNG")
    return out.getvalue()


def default_font_dir() -> Path:
    """The fonts shipped with the default theme."""
    return bundled_dir() / "default" / "fonts"


# --------------------------------------------------------------------------- colours


def palette_for(accent: str, dark: bool) -> Palette:
    """The theme's colours (site.css), the accent adjusted so text on it stays readable."""
    colour = _rgb(accent)
    white, ink = (255, 255, 255), (28, 27, 25)
    if dark:
        background, text, muted = (27, 27, 25), (238, 236, 232), (170, 166, 157)
        # As in site.css: a dark accent would vanish on black, so text gets a lighter one.
        accent_text = _mix(colour, white, 0.45)
        soft = _mix(colour, background, 0.28)
    else:
        background, text, muted = (251, 250, 248), ink, (91, 88, 82)
        accent_text = colour if _contrast(colour, background) >= 3 else _mix(colour, ink, 0.5)
        soft = _mix(colour, background, 0.12)
    on_accent = white if _contrast(colour, white) >= _contrast(colour, ink) else ink
    return Palette(
        background=background,
        text=text,
        muted=muted,
        accent=colour,
        accent_text=accent_text,
        on_accent=on_accent,
        on_accent_soft=_mix(on_accent, colour, 0.8),
        soft=soft,
        cover_blank=_mix(colour, background, 0.2),
    )


def _rgb(css: str) -> RGB:
    try:
        r, g, b = ImageColor.getrgb(css)[:3]
    except ValueError:
        raise ValueError(f"accent {css!r} is not a CSS colour such as #c2410c") from None
    return r, g, b


def _mix(a: RGB, b: RGB, share_of_a: float) -> RGB:
    r, g, bl = (round(x * share_of_a + y * (1 - share_of_a)) for x, y in zip(a, b, strict=True))
    return r, g, bl


def _luminance(c: RGB) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: RGB, b: RGB) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --------------------------------------------------------------------------- fonts


@dataclass(frozen=True)
class Fonts:
    """Where each weight comes from; None means Pillow's built-in font."""

    regular: Path | None
    semibold: Path | None
    bold: Path | None

    def get(self, weight: str, size: int) -> Font:
        return _font(getattr(self, weight), size)


def find_fonts(font_dir: Path) -> Fonts:
    """Pick the weights in `font_dir` by file name; a missing weight borrows the nearest."""

    def pick(suffix: str) -> Path | None:
        files = sorted(p for ext in ("otf", "ttf") for p in font_dir.glob(f"*-{suffix}.{ext}"))
        return files[0] if files else None

    regular = pick("Regular")
    bold = pick("Bold") or pick("SemiBold") or regular
    return Fonts(regular=regular or bold, semibold=pick("SemiBold") or bold, bold=bold)


@lru_cache(maxsize=128)
def _font(path: Path | None, size: int) -> Font:
    if path is None:
        return ImageFont.load_default(size)  # type: ignore[return-value]  # scalable since 10.1
    # BASIC layout: the same glyph positions whether or not libraqm is installed.
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


# --------------------------------------------------------------------------- text fitting


def _words(text: str) -> list[str]:
    """The words of `text`, split at ordinary spaces only: a no-break space (French
    `Études de cas\u202f: TikTok`, `4\u202f200`) holds its neighbours on one line."""
    return _SPACES.split(text.strip(" \t\r\n")) if text.strip(" \t\r\n") else []


def _wrap(text: str, font: Font, width: int) -> list[str]:
    """Greedy word wrap; a word wider than `width` stays on its own (too wide) line."""
    lines: list[str] = []
    for word in _words(text):
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fits(lines: list[str], font: Font, width: int) -> bool:
    return all(font.getlength(line) <= width for line in lines)


def _shorten(text: str, font: Font, width: int) -> str:
    """The longest start of `text` (whole words when possible) that fits with an ellipsis."""
    if font.getlength(text) <= width:
        return text
    words = _words(text)
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(",;:-–—") + ELLIPSIS
        if font.getlength(candidate) <= width:
            return candidate
    chars = words[0] if words else ""
    while chars and font.getlength(chars + ELLIPSIS) > width:
        chars = chars[:-1]
    return chars + ELLIPSIS


def _clamp_lines(text: str, font: Font, width: int, max_lines: int) -> list[str]:
    """Wrap into at most `max_lines`; what overflows (more lines, or a word wider than
    the line) is shortened with an ellipsis."""
    lines = _wrap(text, font, width)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [_shorten(line, font, width) for line in lines]


def _one_line(text: str, fonts: Fonts, weight: str, sizes: range, width: int) -> Font:
    """The largest size in `sizes` at which `text` fits on one line (else the smallest)."""
    for size in sizes:
        font = fonts.get(weight, size)
        if font.getlength(text) <= width:
            return font
    return fonts.get(weight, sizes[-1])


def _height(font: Font, lines: int = 1) -> int:
    """Height of `lines` lines drawn with anchor "la": ascender to the lowest descender."""
    ascent, descent = font.getmetrics()
    return round(font.size * _LEADING) * (lines - 1) + ascent + descent


# --------------------------------------------------------------------------- layout


class _Column:
    """Records text as placed (anchor "la" at x, y) with its ink box; `left`/`right` bound
    the text column above the band."""

    def __init__(self, left: int, right: int) -> None:
        self.left, self.right = left, right
        self.texts: list[Text] = []
        self.rules: list[Box] = []

    @property
    def width(self) -> int:
        return self.right - self.left

    def put(self, text: str, x: int, y: int, font: Font, colour: str) -> Text:
        left, top, right, bottom = (int(v) for v in font.getbbox(text, anchor="la"))
        placed = Text(text, (x, y), font, colour, (x + left, y + top, x + right, y + bottom))
        self.texts.append(placed)
        return placed

    def on_baseline(self, text: str, x: int, baseline: int, font: Font, colour: str) -> Text:
        return self.put(text, x, baseline - font.getmetrics()[0], font, colour)


def layout(card: Card, font_dir: Path) -> Layout:
    """Where every text, the badge, the band and the cover go (nothing drawn yet).

    Column (left, or beside the cover): the kind badge at the top, the title under it at
    the largest size that fits, the metric at the bottom. Band (full width, in the
    accent): author and role on the left, the site's host on the right. A cover narrows
    from 40% of the width when that keeps a long title legible."""
    fonts = find_fonts(font_dir)
    if card.cover is None:
        return _layout(card, fonts, 0)
    for width in _COVER_WIDTHS:
        plan = _layout(card, fonts, width)
        if plan.title_size >= _COVER_TITLE_SIZE:
            break
    return plan


def _layout(card: Card, fonts: Fonts, cover_width: int) -> Layout:
    byline = any((card.author.strip(), (card.role or "").strip(), (card.site or "").strip()))
    band = (0, HEIGHT - (_BAND if byline else _THIN_BAND), WIDTH, HEIGHT)
    right = WIDTH - (cover_width + _GUTTER if cover_width else _PAD_X)
    col = _Column(_PAD_X, right)
    top, bottom = _PAD_TOP, band[1] - _PAD_BOTTOM

    badge: Box | None = None
    kind_words: list[str] = []
    metric_words: list[str] = []
    kind = (card.kind or "").strip()
    if kind:
        badge, drawn = _place_badge(col, kind, fonts, top)
        kind_words, top = [drawn], badge[3] + _GAP
    title_bottom = bottom
    if (card.metric or "").strip():
        title_bottom, metric_words = _place_metric(col, card, fonts, bottom)
    title, title_size = _place_title(col, card.title, fonts, top, title_bottom, centred=not metric_words)
    band_words = _place_band(col, card, fonts, band) if byline else []

    cover = (WIDTH - cover_width, 0, WIDTH, band[1]) if cover_width else None
    words = [*kind_words, title, *metric_words, *band_words]
    return Layout(
        texts=tuple(col.texts),
        words=tuple(w for w in words if w),
        badge=badge,
        rules=tuple(col.rules),
        band=band,
        cover=cover,
        column=(_PAD_X, _PAD_TOP, right, bottom),
        title_size=title_size,
    )


def _place_badge(col: _Column, kind: str, fonts: Fonts, top: int) -> tuple[Box, str]:
    """The kind of work in a pill of the soft accent."""
    pad_x, pad_y = _BADGE_PAD
    font = _one_line(kind, fonts, "semibold", range(23, 17, -1), col.width - 2 * pad_x)
    text = _shorten(kind, font, col.width - 2 * pad_x)
    ascent, descent = font.getmetrics()
    placed = col.put(text, col.left + pad_x, top + pad_y, font, "accent_text")
    return (col.left, top, placed.box[2] + pad_x, top + pad_y * 2 + ascent + descent), text


def _place_title(
    col: _Column, title: str, fonts: Fonts, top: int, bottom: int, centred: bool
) -> tuple[str, int]:
    """The largest title that fits in 3 lines and the room left, lines balanced; an
    ellipsis only when even the smallest size cannot hold it. Alone in the column (no
    metric), it is larger and centred in the room."""
    title = " ".join(_words(title))
    room = bottom - top
    sizes = range(_TITLE_LARGEST if centred else _TITLE_SIZES.start, _TITLE_SIZES.stop, _TITLE_SIZES.step)
    for size in sizes:
        font = fonts.get("bold", size)
        lines = _wrap(title, font, col.width)
        if len(lines) <= _TITLE_LINES and _fits(lines, font, col.width) and _height(font, len(lines)) <= room:
            lines = _balance(title, font, col.width, len(lines))
            break
    else:
        font = fonts.get("bold", sizes[-1])
        lines = _clamp_lines(title, font, col.width, _lines_in(font, room))
    if centred:
        top += (room - _height(font, len(lines))) // 2
    pitch = round(font.size * _LEADING)
    for i, line in enumerate(lines):
        col.put(line, col.left, top + i * pitch, font, "text")
    return " ".join(lines), int(font.size)


def _balance(text: str, font: Font, width: int, count: int) -> list[str]:
    """The same number of lines, as even as they can be (CSS `text-wrap: balance`): the
    narrowest wrap width that still needs no more lines, found by bisection."""
    low, high = 1, width
    while low < high:
        middle = (low + high) // 2
        lines = _wrap(text, font, middle)
        if len(lines) <= count and _fits(lines, font, middle):
            high = middle
        else:
            low = middle + 1
    return _wrap(text, font, high)


def _lines_in(font: Font, room: int) -> int:
    """How many title lines (1 to 3) fit in `room` pixels; at least one is always drawn."""
    return max([1] + [n for n in range(1, _TITLE_LINES + 1) if _height(font, n) <= room])


def _place_metric(col: _Column, card: Card, fonts: Fonts, bottom: int) -> tuple[int, list[str]]:
    """The headline figure, large in the accent, its label beside it (under it when the
    figure leaves too little room), sitting on `bottom`. Returns the block's top (less
    the gap above it) and the texts drawn."""
    metric = (card.metric or "").strip()
    font = _one_line(metric, fonts, "bold", range(92, 47, -4), col.width)
    metric = _shorten(metric, font, col.width)
    metric_width = int(font.getlength(metric))
    # Figures have no descender: align on their ink, not on the font's line box.
    _, ink_top, _, ink_bottom = (int(v) for v in font.getbbox(metric, anchor="ls"))
    label = (card.metric_label or "").strip()
    label_font = fonts.get("regular", 27)
    beside = col.width - metric_width - _METRIC_GAP
    placed: list[Text] = []
    words = [metric]
    if label and beside >= _MIN_LABEL_WIDTH:
        lines = _clamp_lines(label, label_font, beside, 2)
        if not lines[-1].endswith(ELLIPSIS):
            lines = _balance(label, label_font, beside, len(lines))
        label_height = _height(label_font, len(lines))
        # Figure and label share a centre line; the taller of the two sits on `bottom`.
        centre = bottom - max(ink_bottom - ink_top, label_height) / 2
        baseline = round(centre - (ink_top + ink_bottom) / 2)
        label_top = round(centre - label_height / 2)
        pitch = round(label_font.size * _LEADING)
        for i, line in enumerate(lines):
            placed.append(
                col.put(
                    line, col.left + metric_width + _METRIC_GAP, label_top + i * pitch, label_font, "muted"
                )
            )
        words.append(" ".join(lines))
    elif label:
        line = _shorten(label, label_font, col.width)
        label_top = bottom - _height(label_font)
        placed.append(col.put(line, col.left, label_top, label_font, "muted"))
        baseline = label_top - 12 - ink_bottom
        words.append(line)
    else:
        baseline = bottom - ink_bottom
    placed.append(col.on_baseline(metric, col.left, baseline, font, "accent_text"))
    return min(t.box[1] for t in placed) - _GAP, words


def _place_band(col: _Column, card: Card, fonts: Fonts, band: Box) -> list[str]:
    """Author | role on the left of the band, the host on the right, on one baseline.
    All three shrink together first; then the host, the role and last the author are
    shortened, so the name survives longest."""
    author, role, site = card.author.strip(), (card.role or "").strip(), (card.site or "").strip()
    width = WIDTH - 2 * _PAD_X
    for size in range(28, 21, -1):
        bold, regular = fonts.get("semibold", size), fonts.get("regular", size)
        if _band_width(author, role, site, bold, regular) <= width:
            break
    site = _shorten(site, regular, width * 2 // 5) if site else ""
    room = width - (int(regular.getlength(site)) + _SITE_GAP if site else 0)
    separator = _SEPARATOR if author and role else 0
    author = _shorten(author, bold, room - (separator + _MIN_ROLE_WIDTH if role else 0)) if author else ""
    author_width = int(bold.getlength(author)) if author else 0
    role = _shorten(role, regular, room - author_width - separator) if role else ""

    # Centre the capitals (and the lowercase, which is shorter) in the band.
    cap_top = int(bold.getbbox("H", anchor="ls")[1])
    baseline = (band[1] + band[3]) // 2 - cap_top // 2
    if author:
        col.on_baseline(author, _PAD_X, baseline, bold, "on_accent")
    if author and role:
        x = _PAD_X + author_width + separator // 2
        col.rules.append((x - 1, baseline + cap_top, x + 1, baseline))
    if role:
        col.on_baseline(role, _PAD_X + author_width + separator, baseline, regular, "on_accent_soft")
    if site:
        x = WIDTH - _PAD_X - int(regular.getlength(site))
        col.on_baseline(site, x, baseline, regular, "on_accent_soft")
    return [t for t in (author, role, site) if t]


def _band_width(author: str, role: str, site: str, bold: Font, regular: Font) -> int:
    width = bold.getlength(author) + regular.getlength(role) + regular.getlength(site)
    width += (_SEPARATOR if author and role else 0) + (_SITE_GAP if site else 0)
    return int(width) + 1


# --------------------------------------------------------------------------- painting


def _inclusive(box: Box) -> Box:
    """ImageDraw's rectangles include their right and bottom edges; our boxes do not."""
    return box[0], box[1], box[2] - 1, box[3] - 1


def _rounded(im: Image.Image, box: Box, fill: RGB, scale: int = 4) -> None:
    """A rounded rectangle with smooth edges: drawn 4x larger as a mask, then reduced."""
    w, h = box[2] - box[0], box[3] - box[1]
    mask = Image.new("L", (w * scale, h * scale), 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, w * scale - 1, h * scale - 1), radius=h * scale // 2, fill=255
    )
    mask = mask.resize((w, h), Image.Resampling.LANCZOS)
    im.paste(Image.new("RGB", (w, h), fill), box[:2], mask)


def _paste_cover(im: Image.Image, source: Path, box: Box, palette: Palette) -> None:
    """The cover cropped to fill `box`; a plain panel when it cannot be read (the image
    pipeline reports a bad file once; the card must not fail the page for it)."""
    size = (box[2] - box[0], box[3] - box[1])
    try:
        cover = _load_cover(source, size, palette.background)
    except (*DECODE_ERRORS, Image.DecompressionBombError, Image.DecompressionBombWarning):
        cover = Image.new("RGB", size, palette.cover_blank)
    im.paste(cover, box[:2])


def _load_cover(source: Path, size: tuple[int, int], background: RGB) -> Image.Image:
    # The image pipeline has already applied images.max_megapixels to this file; Pillow's
    # own bomb check would refuse a 108 MP phone photo here before draft() could shrink it.
    opened = open_unlimited(source)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with opened:
            if opened.format == "JPEG":
                # Decode at reduced scale (a 12 MP photo needs ~1/16 of its pixels here);
                # a square request stays large enough whichever way EXIF turns it.
                side = max(size)
                opened.draft("RGB", (side, side))
            if opened.width * opened.height > _MAX_COVER_PIXELS:
                raise ValueError("cover too large")
            opened.load()
            im = to_srgb(ImageOps.exif_transpose(opened) or opened)
    if im.mode in ("RGBA", "LA"):
        flat = Image.new("RGB", im.size, background)
        flat.paste(im.convert("RGBA"), (0, 0), im.convert("RGBA"))
        im = flat
    # Centred a little above the middle: faces and product shots sit high more often.
    return ImageOps.fit(im.convert("RGB"), size, Image.Resampling.LANCZOS, centering=(0.5, 0.4))


def text_boxes(card: Card, font_dir: Path) -> Iterator[tuple[str, Box]]:
    """Each text run and its ink box on the card, for tests that nothing is cut off."""
    for text in layout(card, font_dir).texts:
        yield text.text, text.box
