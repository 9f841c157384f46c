"""Pillow as every part of the site reads pictures: the errors it raises for a bad file,
opening without its global bomb check (HEIC too), and colours brought to plain sRGB.

Shared by `images` (published pictures), `svg` (pictures embedded in a drawing) and
`social` (the cover on a link-preview card). Pillow is imported on first use only, so
importing this module costs nothing to a build that has no pictures to make.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

# What Pillow raises for a file it cannot parse or decode, besides UnidentifiedImageError
# (found by fuzzing: IndexError and TypeError come from its GIF and TIFF readers).
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error)
# Greyscale modes wider than 8 bits.
_WIDE_GREY = {"I", "I;16", "I;16L", "I;16B", "I;16N"}

_heif_registered = False


def _register_formats() -> None:
    """Let Pillow open HEIC photos from phones (once per process, on first use: importing
    pillow-heif loads libheif). libheif turns the picture upright itself and reports EXIF
    orientation 1, so nothing is turned twice."""
    global _heif_registered
    from PIL import ImageFile

    # A truncated file is an error to report, never half a picture. WeasyPrint (the pdf
    # extra) turns this on for the whole process when it is imported.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    if not _heif_registered:
        import pillow_heif

        # Thumbnails, depth maps and auxiliary images are never published: skip decoding them.
        pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
        _heif_registered = True


def open_unlimited(fp: str | Path | io.BytesIO) -> Image.Image:
    """Pillow's lazy open (header only, HEIC too) with its global bomb check switched off
    around it alone and always put back: callers apply their own, clearer limit."""
    from PIL import Image

    _register_formats()
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        return Image.open(fp)
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def to_srgb(im: Image.Image) -> Image.Image:
    """Convert CMYK, palette, 16/32-bit grey and colour profiles to plain sRGB (alpha kept)."""
    from PIL import ImageCms

    if im.mode in _WIDE_GREY:
        # convert("L") or ("RGB") clips at 255, which turns nearly every pixel white: scale
        # the 16-bit range down to 8 bits first (32-bit "I" images hold 16-bit values too).
        im = im.convert("I").point(lambda v: v / 256).convert("L")
    icc = im.info.get("icc_profile")
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    target = "RGBA" if has_alpha else "RGB"
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            srgb = ImageCms.createProfile("sRGB")
            base = im.convert("RGBA") if has_alpha and im.mode not in ("RGBA",) else im
            if base.mode not in ("RGB", "RGBA", "CMYK", "L"):
                base = base.convert(target)
            converted = ImageCms.profileToProfile(base, source, srgb, outputMode=target)
            if converted is not None:
                return converted
        except (OSError, ImageCms.PyCMSError, ValueError):
            pass  # a broken profile: fall back to a plain conversion
    if im.mode == target:
        return im
    if im.mode == "L" and not has_alpha:
        return im
    return im.convert(target)
