"""WCAG 2 contrast: which colours text may take on a theme's backgrounds and accent.

A user picks an accent for how it looks; this keeps it for fills and lines while the text
drawn in it or on it switches to a colour that passes AA (4.5:1), so no choice of accent
makes a link or a button unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass

AA_TEXT = 4.5
WHITE = "#ffffff"
NEAR_BLACK = "#111111"
BLACK = "#000000"


def parse_hex(colour: str) -> tuple[int, int, int]:
    """`#abc` or `#aabbcc` as (r, g, b)."""
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def luminance(colour: str) -> float:
    """Relative luminance, as WCAG 2 defines it."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: str, b: str) -> float:
    """The contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: str, b: str, share_of_b: float) -> str:
    """`a` moved towards `b` by `share_of_b` (0 to 1), in sRGB as CSS color-mix does."""
    ra, rb = parse_hex(a), parse_hex(b)
    return to_hex(tuple(round(x + (y - x) * share_of_b) for x, y in zip(ra, rb, strict=True)))  # type: ignore[arg-type]


def readable_on(backgrounds: tuple[str, ...], colour: str, towards: str) -> str:
    """`colour`, or the least change of it towards `towards` (black or white) that reads at
    AA on every one of `backgrounds`."""
    if all(ratio(colour, bg) >= AA_TEXT for bg in backgrounds):
        return colour
    for step in range(1, 101):
        candidate = mix(colour, towards, step / 100)
        if all(ratio(candidate, bg) >= AA_TEXT for bg in backgrounds):
            return candidate
    return towards


@dataclass(frozen=True)
class AccentColours:
    """The accent as a theme uses it: `accent` for fills, borders and charts; `on_accent`
    for text on an accent fill; `text_light` and `text_dark` for text in the accent on the
    light and dark backgrounds."""

    accent: str
    on_accent: str
    text_light: str
    text_dark: str


def accent_colours(accent: str, light: tuple[str, ...], dark: tuple[str, ...]) -> AccentColours:
    """The readable colours around `accent`, for a theme whose text sits on `light` (and
    `dark`) backgrounds."""
    on_white, on_black = ratio(accent, WHITE), ratio(accent, NEAR_BLACK)
    # White when it passes; else near-black, or black for the mid-greys where only it does.
    on_accent = WHITE if on_white >= AA_TEXT else NEAR_BLACK if on_black >= AA_TEXT else BLACK
    return AccentColours(
        accent=accent.lower(),
        on_accent=on_accent,
        text_light=readable_on(light, accent.lower(), NEAR_BLACK),
        text_dark=readable_on(dark, accent.lower(), WHITE) if dark else accent.lower(),
    )
