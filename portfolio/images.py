"""Images: every one the site publishes is re-encoded by Pillow without any metadata.

Templates and Markdown `request()` an image while rendering and get its URL and displayed
size at once (from the header and EXIF orientation); `produce()` then encodes each one,
through the content-addressed cache.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Cache
from .slugs import slugify

if TYPE_CHECKING:
    from PIL import Image

# Bump when the bytes produced for the same input change, so names and cache keys move.
PIPELINE_VERSION = "2"
_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# EXIF orientations 5-8 rotate by 90 degrees: width and height swap on screen.
_SWAPS = {5, 6, 7, 8}
# Formats whose animations are kept animated, in the same format.
_ANIMATED = {"gif", "png", "webp"}
# An animation may decode to this many times images.max_megapixels, all frames together.
_ANIMATION_BUDGET = 4
# Greyscale modes wider than 8 bits.
_WIDE_GREY = {"I", "I;16", "I;16L", "I;16B", "I;16N"}
# What Pillow raises for a file it cannot parse or decode, besides UnidentifiedImageError
# (found by fuzzing: IndexError and TypeError come from its GIF and TIFF readers).
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error)


@dataclass(frozen=True)
class PublishedImage:
    url: str  # site-relative: images/cover-1a2b3c4d5e.jpg
    width: int
    height: int


class ImageError(Exception):
    """An image that cannot be published, with a one-line reason."""


@dataclass(frozen=True)
class _Job:
    source: Path
    ext: str
    key: str


class Images:
    """Collects the images a build publishes; one per source file, whatever asks for it."""

    def __init__(self, cache: Cache, max_megapixels: int) -> None:
        self.cache = cache
        self.max_pixels = max_megapixels * 1_000_000
        self._done: dict[Path, PublishedImage] = {}
        self._jobs: dict[str, _Job] = {}  # output path -> job
        self.made = 0
        self.cached = 0

    def request(self, source: Path) -> PublishedImage:
        """The URL and displayed size of `source`; raises ImageError for a bad file."""
        if source in self._done:
            return self._done[source]
        data = _read(source)
        try:
            with _open(data, self.max_pixels) as im:
                fmt = im.format or ""
                width, height = im.size
                orientation = im.getexif().get(0x0112, 1)
        except _DECODE_ERRORS as exc:
            raise ImageError(f"cannot be read as an image: {exc}") from None
        if orientation in _SWAPS:
            width, height = height, width
        ext = _FORMATS.get(fmt, "png")
        digest = hashlib.sha256(data + f"|full|{PIPELINE_VERSION}".encode()).hexdigest()
        name = f"images/{slugify(source.stem) or 'image'}-{digest[:10]}.{ext}"
        self._jobs[name] = _Job(source, ext, digest)
        published = PublishedImage(name, width, height)
        self._done[source] = published
        return published

    def sources(self) -> dict[str, Path]:
        """Output path -> the source image, for messages about an output file."""
        return {name: job.source for name, job in self._jobs.items()}

    def produce(self, use_cache: bool = True) -> tuple[dict[str, Path], list[tuple[Path, str]]]:
        """Encode every requested image; returns (output path -> file, [(source, problem)])."""
        from PIL import __version__ as pil_version

        files: dict[str, Path] = {}
        failed: list[tuple[Path, str]] = []
        for name, job in sorted(self._jobs.items()):
            key = hashlib.sha256(f"{job.key}|{pil_version}".encode()).hexdigest()
            cached = self.cache.get("images", key, job.ext) if use_cache else None
            if cached is None:
                try:
                    data = encode(_read(job.source), job.ext, self.max_pixels)
                except ImageError as exc:
                    failed.append((job.source, str(exc)))
                    continue
                cached = self.cache.put("images", key, job.ext, data)
                self.made += 1
            else:
                self.cached += 1
            files[name] = cached
        return files, failed


def _read(source: Path) -> bytes:
    """The bytes of an image file; ImageError when it cannot be read or is empty."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        if source.is_dir():
            raise ImageError("is a folder, not an image file") from None
        raise ImageError(f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if not data:
        raise ImageError("is an empty file")
    return data


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Open `data` lazily (header only) and check its size against our own limit.

    Pillow's bomb check reads a module global: it is switched off around the open alone
    (our check, right after, has the clearer message) and always put back.
    """
    from PIL import Image, UnidentifiedImageError

    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        im = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise ImageError("is not an image Pillow can read (JPEG, PNG, WebP, GIF...)") from None
    except _DECODE_ERRORS as exc:
        raise ImageError(f"cannot be read as an image: {exc}") from None
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    width, height = im.size
    if width * height > max_pixels:
        im.close()
        raise ImageError(f"is {width}x{height} ({width * height / 1e6:.0f} megapixels); "
                         f"the limit is images.max_megapixels = {max_pixels // 10**6}")
    return im


def encode(data: bytes, ext: str, max_pixels: int) -> bytes:
    """Decode, orient, convert to sRGB and re-encode from pixels only: no metadata survives."""
    from PIL import Image, ImageOps

    with _open(data, max_pixels) as opened:
        try:
            with warnings.catch_warnings():
                # Pillow checks frame sizes again while decoding some formats (GIF).
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                animated = ext in _ANIMATED and _FORMATS.get(opened.format or "") == ext
                if animated and getattr(opened, "is_animated", False):
                    return _encode_animation(opened, ext, max_pixels)
                opened.load()
                im = ImageOps.exif_transpose(opened) or opened
                im = _to_srgb(im)
                clean = Image.frombytes(im.mode, im.size, im.tobytes())  # pixels only, empty info
                out = io.BytesIO()
                if ext == "jpg":
                    clean.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
                elif ext == "webp":
                    clean.save(out, "WEBP", quality=85, method=4)
                elif ext == "gif":
                    clean.save(out, "GIF")
                else:
                    clean.save(out, "PNG", optimize=True)
                return out.getvalue()
        except (*_DECODE_ERRORS, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageError(f"cannot be decoded: {exc}") from None


def _to_srgb(im: Image.Image) -> Image.Image:
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


def _encode_animation(im: Image.Image, ext: str, max_pixels: int) -> bytes:
    """Every frame re-encoded from its pixels, in the source's format, with no metadata."""
    from PIL import Image, ImageSequence

    n_frames: int = getattr(im, "n_frames", 1)
    total = im.width * im.height * n_frames
    # Every decoded frame is held until the encoder writes them all: bound the memory.
    if total > _ANIMATION_BUDGET * max_pixels:
        raise ImageError(
            f"is an animation of {n_frames} frames of {im.width}x{im.height} "
            f"({total / 1e6:.0f} megapixels in all); the limit is {_ANIMATION_BUDGET} x "
            f"images.max_megapixels = {_ANIMATION_BUDGET * max_pixels // 10**6}")
    # Orientation is one EXIF tag for the whole animation: each frame turned the same way.
    method = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}.get(im.getexif().get(0x0112, 1))
    loop = im.info.get("loop", 0)
    default_image = ext == "png" and bool(im.info.get("default_image"))
    frames: list[Image.Image] = []
    durations: list[int] = []
    for frame in ImageSequence.Iterator(im):
        frame.load()  # WebP sets the frame's duration when it is loaded
        durations.append(round(frame.info.get("duration", 100)))
        pixels = _to_srgb(frame)
        if pixels is frame:  # the iterator reuses one image for every frame
            pixels = frame.copy()
        frames.append(pixels.transpose(method) if method is not None else pixels)
    # GIF keeps RGBA frames as always; PNG and WebP gain an alpha channel only if they had one.
    mode = "RGBA" if ext == "gif" or any(f.mode == "RGBA" for f in frames) else "RGB"
    clean = [Image.frombytes(mode, f.size, f.convert(mode).tobytes()) for f in frames]
    out = io.BytesIO()
    if ext == "gif":
        clean[0].save(out, "GIF", save_all=True, append_images=clean[1:], duration=durations,
                      loop=loop, disposal=2)
    elif ext == "webp":
        clean[0].save(out, "WEBP", save_all=True, append_images=clean[1:], duration=durations,
                      loop=loop, quality=85, method=4)
    else:
        # The frames are whole pictures: each replaces the last (APNG's defaults).
        clean[0].save(out, "PNG", save_all=True, append_images=clean[1:],
                      duration=durations[1:] if default_image else durations, loop=loop,
                      default_image=default_image)
    return out.getvalue()


def has_gps(path: Path) -> bool:
    """True when a JPEG's EXIF holds a GPS block (for the warning on static/ files)."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            return bool(im.getexif().get_ifd(0x8825))
    except (OSError, ValueError, SyntaxError):
        return False
