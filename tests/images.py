"""Real images made with Pillow for tests (no binary fixtures: encoders differ)."""

from __future__ import annotations

import io
import struct

from PIL import Image

GPS_SENTINEL = "GPSSENTINEL-48.8584N"
XMP_SENTINEL = b"XMPSENTINEL-creator-home-address"


def jpeg(
    width: int = 64,
    height: int = 48,
    orientation: int | None = None,
    gps: bool = False,
    xmp: bool = False,
    colour: tuple[int, int, int] = (200, 60, 40),
) -> bytes:
    im = Image.new("RGB", (width, height), colour)
    # A marker in the top-left corner tells which way up the pixels are.
    im.paste((0, 0, 0), (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 13 mini"  # Model
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {
            1: "N",
            2: (48.0, 51.0, 29.0),
            3: "E",
            4: (2.0, 17.0, 40.0),
            27: GPS_SENTINEL.encode(),
        }
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


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + bytes(4) + _s15(x) + _s15(y) + _s15(z)


def swapped_rgb_profile() -> bytes:
    """An ICC v2 RGB display profile with sRGB's red and blue colourants swapped: pure red
    pixels tagged with it are blue to any viewer that honours the profile."""
    red, green, blue = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
    text = b"swapped\0"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(8 + 3 + 67)
    curve = b"curv" + bytes(4) + struct.pack(">I", 0)  # gamma 1
    tags = [
        (b"desc", desc),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(*blue)),
        (b"gXYZ", _xyz(*green)),
        (b"bXYZ", _xyz(*red)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, data in tags:
        data += bytes(-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (
        struct.pack(">I", offset + len(body))
        + bytes(4)
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + bytes(12)
        + b"acsp"
        + bytes(28)
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + bytes(48)
    )
    return header + struct.pack(">I", len(tags)) + table + body


def heic(
    width: int = 64, height: int = 48, orientation: int | None = None, gps: bool = False, xmp: bool = False
) -> bytes:
    """A HEIC photo as phones write it (through pillow-heif's encoder), marker top-left."""
    import pillow_heif

    im = Image.new("RGB", (width, height), (200, 60, 40))
    im.paste((0, 0, 0), (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 13 mini"
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0), 27: GPS_SENTINEL.encode()}
    kwargs: dict[str, object] = {"exif": exif.tobytes(), "quality": 90}
    if xmp:
        kwargs["xmp"] = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + XMP_SENTINEL + b"</x:xmpmeta>"
    out = io.BytesIO()
    pillow_heif.from_pillow(im).save(out, **kwargs)
    return out.getvalue()
