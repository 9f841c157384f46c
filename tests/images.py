"""Real images made with Pillow for tests (no binary fixtures: encoders differ)."""

from __future__ import annotations

import io

from PIL import Image

GPS_SENTINEL = "GPSSENTINEL-48.8584N"
XMP_SENTINEL = b"XMPSENTINEL-creator-home-address"


def jpeg(width: int = 64, height: int = 48, orientation: int | None = None,
         gps: bool = False, xmp: bool = False, colour: tuple[int, int, int] = (200, 60, 40)) -> bytes:
    im = Image.new("RGB", (width, height), colour)
    # A marker in the top-left corner tells which way up the pixels are.
    im.paste((0, 0, 0), (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 13 mini"  # Model
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0),
                        27: GPS_SENTINEL.encode()}
    out = io.BytesIO()
    kwargs: dict[str, object] = {"exif": exif.tobytes(), "quality": 90}
    if xmp:
        kwargs["xmp"] = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + XMP_SENTINEL + b"</x:xmpmeta>"
    im.save(out, "JPEG", **kwargs)
    return out.getvalue()


def png_rgba(width: int = 40, height: int = 30) -> bytes:
    im = Image.new("RGBA", (width, height), (10, 120, 200, 128))
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()
