"""Images: every one the site publishes is re-encoded by Pillow without any metadata.

Templates and Markdown `request()` an image while rendering and get its URL and displayed
size at once (from the header and EXIF orientation); `produce()` then encodes each one,
through the content-addressed cache.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache
from .slugs import slugify

# Bump when the bytes produced for the same input change, so names and cache keys move.
PIPELINE_VERSION = "1"
_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# EXIF orientations 5-8 rotate by 90 degrees: width and height swap on screen.
_SWAPS = {5, 6, 7, 8}


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
        from PIL import Image, UnidentifiedImageError

        data = source.read_bytes()
        if not data:
            raise ImageError("is an empty file")
        # Opening reads only the header: the size check is ours, with a clearer message.
        limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as im:
                    fmt = im.format or ""
                    width, height = im.size
                    if width * height > self.max_pixels:
                        raise ImageError(
                            f"is {width}x{height} ({width * height / 1e6:.0f} megapixels); "
                            f"the limit is images.max_megapixels = {self.max_pixels // 10**6}")
                    orientation = im.getexif().get(0x0112, 1)
        except UnidentifiedImageError:
            raise ImageError("is not an image Pillow can read (JPEG, PNG, WebP, GIF...)") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageError(f"is too large to decode safely ({exc})") from None
        except OSError as exc:
            raise ImageError(f"cannot be read as an image: {exc}") from None
        finally:
            Image.MAX_IMAGE_PIXELS = limit
        if orientation in _SWAPS:
            width, height = height, width
        ext = _FORMATS.get(fmt, "png")
        digest = hashlib.sha256(data + f"|full|{PIPELINE_VERSION}".encode()).hexdigest()
        name = f"images/{slugify(source.stem) or 'image'}-{digest[:10]}.{ext}"
        self._jobs[name] = _Job(source, ext, digest)
        published = PublishedImage(name, width, height)
        self._done[source] = published
        return published

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
                    data = encode(job.source.read_bytes(), job.ext, self.max_pixels)
                except ImageError as exc:
                    failed.append((job.source, str(exc)))
                    continue
                cached = self.cache.put("images", key, job.ext, data)
                self.made += 1
            else:
                self.cached += 1
            files[name] = cached
        return files, failed


def encode(data: bytes, ext: str, max_pixels: int) -> bytes:
    """Decode, orient, convert to sRGB and re-encode from pixels only: no metadata survives."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            if ext == "gif" and getattr(opened, "n_frames", 1) > 1:
                return _encode_animation(opened)
            opened.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"cannot be decoded: {exc}") from None
    im: Image.Image = ImageOps.exif_transpose(opened) or opened
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


def _to_srgb(im):  # type: ignore[no-untyped-def]
    """Convert CMYK, palette and embedded colour profiles to plain sRGB (with alpha if any)."""
    from PIL import ImageCms

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


def _encode_animation(im) -> bytes:  # type: ignore[no-untyped-def]
    from PIL import Image, ImageSequence

    frames, durations = [], []
    for frame in ImageSequence.Iterator(im):
        rgba = frame.convert("RGBA")
        frames.append(Image.frombytes("RGBA", rgba.size, rgba.tobytes()))
        durations.append(frame.info.get("duration", 100))
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=durations,
                   loop=im.info.get("loop", 0), disposal=2)
    return out.getvalue()


def has_gps(path: Path) -> bool:
    """True when a JPEG's EXIF holds a GPS block (for the warning on static/ files)."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            return bool(im.getexif().get_ifd(0x8825))
    except (OSError, ValueError, SyntaxError):
        return False
