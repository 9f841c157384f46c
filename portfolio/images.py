"""Images: every one the site publishes is re-encoded by Pillow without any metadata.

Templates and Markdown `request()` an image while rendering and get its URL and displayed
size at once (from the header and EXIF orientation); `produce()` then encodes each one,
through the content-addressed cache.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Cache
from .imaging import DECODE_ERRORS, open_unlimited, to_srgb
from .slugs import slugify
from .stages import Progress
from .workers import cores, pool

if TYPE_CHECKING:
    from PIL import Image

# Bump when the bytes produced for the same input change, so names and cache keys move.
PIPELINE_VERSION = "4"
_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# Photographs: their fallback is a JPEG unless they are transparent (graphics get a PNG).
_PHOTOS = {"JPEG", "MPO", "WEBP", "HEIF", "AVIF"}
# EXIF orientations 5-8 rotate by 90 degrees: width and height swap on screen.
_SWAPS = {5, 6, 7, 8}
# Formats whose animations are kept animated, in the same format.
_ANIMATED = {"gif", "png", "webp"}
# An animation may decode to this many times images.max_megapixels, all frames together.
_ANIMATION_BUDGET = 4


def decode_problem(exc: BaseException) -> str:
    """What Pillow's reason for not reading an image means, in a user's words."""
    reason = str(exc)
    if "Truncated File Read" in reason or "truncated" in reason.lower():
        return "cannot be read as an image: it is truncated (the file ends early); export it again"
    if "MAX_TEXT_CHUNK" in reason:
        return (
            "cannot be read as an image: a text block in it inflates past what is safe to read "
            "(PngImagePlugin.MAX_TEXT_CHUNK); save the picture again without its metadata"
        )
    return f"cannot be read as an image: {reason}"


@dataclass(frozen=True)
class Variant:
    url: str  # site-relative: images/cover-1a2b3c4d5e-960.webp
    width: int
    height: int
    format: str  # avif | webp | jpg | png | gif


@dataclass(frozen=True)
class PublishedImage:
    """An image as pages use it: the fallback for `<img src>` and every responsive variant."""

    url: str  # site-relative fallback (JPEG or PNG) at the default width
    width: int  # of that fallback, for <img width height>
    height: int
    variants: tuple[Variant, ...] = ()

    def srcset(self, fmt: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.format == fmt)

    def srcsets(self, link: Callable[[str], str]) -> tuple[str, list[tuple[str, str]]]:
        """The fallback's `srcset`, and (MIME type, `srcset`) of each modern format it has,
        with each URL made by `link` (relative to the page that shows it)."""

        if self.url.endswith(".svg"):
            return "", []  # one drawing that scales to any width

        def srcset(fmt: str) -> str:
            return ", ".join(f"{link(v.url)} {v.width}w" for v in self.srcset(fmt))

        modern = [(MIME[f], srcset(f)) for f in ("avif", "webp") if self.srcset(f)]
        return srcset(self.url.rsplit(".", 1)[-1]), modern


class ImageError(Exception):
    """An image that cannot be published, with a one-line reason."""


@dataclass(frozen=True)
class _Job:
    source: Path
    key: str  # the source bytes and pipeline: every variant's cache key starts from it
    variants: tuple[Variant, ...]
    animated: bool  # kept whole, in its own format


# Widths a photo is published at (never upscaled), and the default one for <img src>.
# 160 is for what shows small (a client's logo): a few KB instead of a 480 px file.
WIDTHS = (160, 480, 960, 1600)
DEFAULT_WIDTH = 1600
# Measured on the demo's photos (bytes and encode time per setting): AVIF at speed 8 is
# four times faster than speed 7 for 20 % more bytes, still a third smaller than WebP.
# WebP's method 3 makes the same bytes and PSNR as method 4 in less time; speed 9 for AVIF
# would halve its time again but costs 5 % more bytes and 0.3 dB, so it stays at 8.
# benchmarks/images.py reports the quality (PSNR) beside Hugo's.
QUALITY = {"avif": 55, "webp": 78, "jpg": 82}
MIME = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "svg": "image/svg+xml",
}


class Images:
    """Collects the images a build publishes; one per source file, whatever asks for it."""

    def __init__(self, cache: Cache, max_megapixels: int) -> None:
        self.cache = cache
        self.max_pixels = max_megapixels * 1_000_000
        self._done: dict[Path, PublishedImage] = {}
        self._jobs: dict[Path, _Job] = {}
        self.made = 0
        self.cached = 0
        self.notes: dict[Path, str] = {}  # source -> a warning worth a line in the build
        self._drawings: dict[Path, bytes] = {}  # SVG source -> its sanitised bytes

    def request(self, source: Path) -> PublishedImage:
        """The URLs and displayed size of `source`; raises ImageError for a bad file."""
        if source in self._done:
            return self._done[source]
        data = _read(source)
        digest = hashlib.sha256(data + f"|{PIPELINE_VERSION}".encode()).hexdigest()
        stem = f"images/{slugify(source.stem) or 'image'}-{digest[:10]}"
        from .svg import looks_like_svg  # svg.py imports Pillow: only once a picture is asked for

        if source.suffix.lower() == ".svg" or looks_like_svg(data):
            variants, fallback, animated = self._drawing(source, data, stem)
        else:
            variants, fallback, animated = self._picture(source, data, stem)
        self._jobs[source] = _Job(source, digest, variants, animated)
        published = PublishedImage(fallback.url, fallback.width, fallback.height, variants)
        self._done[source] = published
        return published

    def _picture(self, source: Path, data: bytes, stem: str) -> tuple[tuple[Variant, ...], Variant, bool]:
        """(variants, the fallback, kept animated) of a bitmap, from its header alone."""
        try:
            with _open(data, self.max_pixels) as im:
                fmt = im.format or ""
                width, height = im.size
                orientation = im.getexif().get(0x0112, 1)
                alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
                animated = bool(getattr(im, "is_animated", False))
        except DECODE_ERRORS as exc:
            raise ImageError(decode_problem(exc)) from None
        if orientation in _SWAPS:
            width, height = height, width
        own = _FORMATS.get(fmt)
        if animated and own == "gif":
            weight = (
                f"{len(data) / 1e6:.1f} MB" if len(data) >= 1e6 else f"{max(round(len(data) / 1e3), 1)} KB"
            )
            self.notes[source] = (
                f"is an animated GIF ({weight}): it is published as it is, without comments "
                "or metadata, at its full size; the same clip as an MP4 video in a gallery "
                "(video: with a poster:) is usually a tenth of the weight, e.g. ffmpeg -i "
                "in.gif -pix_fmt yuv420p -movflags faststart out.mp4"
            )
        if animated and own in _ANIMATED:
            whole = Variant(f"{stem}.{own}", width, height, own)
            return (whole,), whole, True
        sizes = sorted({min(w, width) for w in WIDTHS})
        # The fallback: JPEG for photos, PNG for graphics and anything transparent.
        formats = ("avif", "webp", "jpg" if fmt in _PHOTOS and not alpha else "png")
        variants = tuple(
            Variant(f"{stem}-{w}.{f}", w, max(round(height * w / width), 1), f)
            for f in formats
            for w in sizes
        )
        default = max((w for w in sizes if w <= DEFAULT_WIDTH), default=sizes[0])
        fallback = next(v for v in variants if v.width == default and v.format == formats[2])
        return variants, fallback, False

    def _drawing(self, source: Path, data: bytes, stem: str) -> tuple[tuple[Variant, ...], Variant, bool]:
        """An SVG: one file, sanitised now (svg.py), at the size it declares."""
        from .svg import SvgError, sanitize

        try:
            clean = sanitize(data, self.max_pixels)
        except SvgError as exc:
            raise ImageError(str(exc)) from None
        self._drawings[source] = clean.data
        drawing = Variant(f"{stem}.svg", clean.width, clean.height, "svg")
        return (drawing,), drawing, False

    def sources(self) -> dict[str, Path]:
        """Output path -> the source image, for messages about an output file."""
        return {v.url: job.source for job in self._jobs.values() for v in job.variants}

    def pending(self) -> int:
        """How many images the pages asked for (for the progress bar)."""
        return len(self._jobs)

    def produce(
        self, use_cache: bool = True, progress: Progress | None = None
    ) -> tuple[dict[str, Path], list[tuple[Path, str]]]:
        """Encode every requested image; returns (output path -> file, [(source, problem)]).

        Each image is decoded once for all its variants; images to encode are shared
        between processes. A variant already in the cache costs nothing.
        """
        from PIL import __version__ as pil_version

        files: dict[str, Path] = {}
        failed: list[tuple[Path, str]] = []
        todo: list[_Job] = []
        keys: dict[str, str] = {}
        for job in sorted(self._jobs.values(), key=lambda j: str(j.source)):
            missing = False
            for v in job.variants:
                keys[v.url] = hashlib.sha256(
                    f"{job.key}|{v.width}|{v.format}|{QUALITY}|{pil_version}".encode()
                ).hexdigest()
                hit = self.cache.get("images", keys[v.url], v.format) if use_cache else None
                if hit is None:
                    missing = True
                else:
                    files[v.url] = hit
            if missing and job.source in self._drawings:  # sanitised already, in request()
                (v,) = job.variants
                files[v.url] = self.cache.put("images", keys[v.url], "svg", self._drawings[job.source])
                self.made += 1
            elif missing:
                todo.append(job)
            else:
                self.cached += 1
            if progress and not missing:
                progress.advance()
        for job, result in zip(todo, _run(todo, self.max_pixels), strict=True):
            if progress:
                progress.advance()
            if isinstance(result, str):
                failed.append((job.source, result))
                continue
            for v in job.variants:
                files[v.url] = self.cache.put("images", keys[v.url], v.format, result[v.url])
            self.made += 1
        return files, failed


def _run(jobs: list[_Job], max_pixels: int) -> Iterator[dict[str, bytes] | str]:
    """Encode jobs, in a pool of processes when there is enough work to share; results
    come in the jobs' order, each as soon as it is ready."""
    work = [(job.source, job.variants, job.animated, max_pixels) for job in jobs]
    if len(work) < 3 or cores() < 2:
        yield from (_encode_job(*w) for w in work)
        return
    with pool(min(cores(), len(work))) as workers:
        yield from workers.map(_encode_job, *zip(*work, strict=True))


def _encode_job(
    source: Path, variants: tuple[Variant, ...], animated: bool, max_pixels: int
) -> dict[str, bytes] | str:
    """Every variant of one image (in a worker process): bytes by URL, or the problem."""
    try:
        data = _read(source)
        if animated and variants[0].format == "gif":
            return {variants[0].url: strip_gif(data)}
        if animated:
            return {variants[0].url: encode_animation(data, variants[0].format, max_pixels)}
        return encode_variants(data, variants, max_pixels)
    except ImageError as exc:
        return str(exc)


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
    from PIL import UnidentifiedImageError

    try:
        im = open_unlimited(io.BytesIO(data))
    except UnidentifiedImageError:
        raise ImageError(
            "is not an image file the build can read (JPEG, PNG, WebP, GIF, HEIC, AVIF, TIFF or SVG)"
        ) from None
    except DECODE_ERRORS as exc:
        raise ImageError(decode_problem(exc)) from None
    width, height = im.size
    # A JPEG can be decoded at 1/2, 1/4 or 1/8 of its size (and every variant is far
    # smaller than the original): over the limit, it is refused only if even 1/8 is.
    allowed = max_pixels * (64 if im.format == "JPEG" else 1)
    if width * height > allowed:
        im.close()
        reduced = " even at 1/8 of its size" if im.format == "JPEG" else ""
        raise ImageError(
            f"is {width}x{height} ({width * height / 1e6:.0f} megapixels){reduced};"
            f" the limit is images.max_megapixels = {max_pixels // 10**6}"
        )
    return im


@contextmanager
def _decoding(data: bytes, max_pixels: int) -> Iterator[Image.Image]:
    """Open `data` for decoding; every way decoding can fail becomes one ImageError."""
    from PIL import Image

    with _open(data, max_pixels) as opened:
        try:
            with warnings.catch_warnings():
                # Pillow checks frame sizes again while decoding some formats (GIF).
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                yield opened
        except (*DECODE_ERRORS, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            if "truncated" in str(exc):  # Pillow's count of bytes "not processed" misleads
                raise ImageError("is truncated (the file ends early): export it again") from None
            raise ImageError(f"cannot be decoded: {exc}") from None


def encode_variants(data: bytes, variants: tuple[Variant, ...], max_pixels: int) -> dict[str, bytes]:
    """Decode once (a JPEG at reduced scale when the largest variant allows), orient,
    convert to sRGB, then resize and encode each variant from pixels only."""
    from PIL import Image, ImageOps

    largest = max(variants, key=lambda v: v.width)
    with _decoding(data, max_pixels) as opened:
        if opened.format == "JPEG":
            # draft() works in the stored orientation: ask for the turned size.
            turned = opened.getexif().get(0x0112, 1) in _SWAPS
            want = (largest.height, largest.width) if turned else (largest.width, largest.height)
            opened.draft("RGB", want)
        if opened.width * opened.height > max_pixels * 64 or (
            opened.width * opened.height > max_pixels and opened.format != "JPEG"
        ):
            raise ImageError(f"is too large to decode ({opened.width}x{opened.height})")
        opened.load()
        im = to_srgb(ImageOps.exif_transpose(opened) or opened)
        out: dict[str, bytes] = {}
        # Largest first, each from the one before: a third of the resampling work, and the
        # PSNR in benchmarks/images.py does not move.
        resized = im
        for size in sorted({(v.width, v.height) for v in variants}, reverse=True):
            if resized.size != size:
                resized = resized.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
            clean = Image.frombytes(resized.mode, resized.size, resized.tobytes())
            for v in variants:
                if (v.width, v.height) == size:
                    out[v.url] = _save(clean, v.format)
        return out


def _save(clean: Image.Image, fmt: str) -> bytes:
    """Encode pixels (no info, no EXIF, no ICC) in `fmt`."""
    out = io.BytesIO()
    if fmt in ("avif", "webp") and clean.mode not in ("RGB", "RGBA"):
        clean = clean.convert("RGBA" if "A" in clean.mode else "RGB")
    if fmt == "avif":
        clean.save(out, "AVIF", quality=QUALITY["avif"], speed=8)
    elif fmt == "webp":
        clean.save(out, "WEBP", quality=QUALITY["webp"], method=3)
    elif fmt == "jpg":
        clean.convert("RGB").save(out, "JPEG", quality=QUALITY["jpg"], optimize=True, progressive=True)
    else:
        clean.save(out, "PNG", optimize=True)
    return out.getvalue()


# Application blocks a GIF keeps: the loop count browsers read. Others (XMP, ICC, editor
# data) and comments go.
_GIF_LOOPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


def strip_gif(data: bytes) -> bytes:
    """An animated GIF passed through block by block, its frames untouched (re-encoding a
    long screen recording takes seconds and gigabytes, for a larger file), without comment
    or application blocks other than the loop count, and nothing after its end."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ImageError("is not a GIF file")

    def sub_blocks(pos: int) -> int:  # data sub-blocks: a length byte each, 0 to end
        while data[pos]:
            pos += 1 + data[pos]
        return pos + 1

    def colour_table(flags: int) -> int:
        return 3 << ((flags & 7) + 1) if flags & 0x80 else 0

    try:
        pos = 13 + colour_table(data[10])  # header, screen descriptor, global colours
        out = bytearray(data[:pos])
        while data[pos] != 0x3B:  # the trailer
            start = pos
            if data[pos] == 0x2C:  # a frame: descriptor, local colours, LZW data
                pos = sub_blocks(pos + 10 + colour_table(data[pos + 9]) + 1)
                out += data[start:pos]
            elif data[pos] == 0x21:  # an extension
                label = data[pos + 1]
                pos = sub_blocks(pos + 2)
                if label in (0xF9, 0x01) or (
                    label == 0xFF and data[start + 3 : start + 14] in _GIF_LOOPS
                ):  # timing, text, loops
                    out += data[start:pos]
            else:
                raise ImageError(f"is damaged (an unknown block at byte {pos})")
    except IndexError:
        raise ImageError("is truncated (the file ends early): export it again") from None
    return bytes(out + b"\x3b")


def encode_animation(data: bytes, ext: str, max_pixels: int) -> bytes:
    """An animated GIF, PNG or WebP, every frame re-encoded in its own format."""
    with _decoding(data, max_pixels) as opened:
        return _encode_animation(opened, ext, max_pixels)


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
            f"images.max_megapixels = {_ANIMATION_BUDGET * max_pixels // 10**6}"
        )
    # Orientation is one EXIF tag for the whole animation: each frame turned the same way.
    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(im.getexif().get(0x0112, 1))
    loop = im.info.get("loop", 0)
    default_image = ext == "png" and bool(im.info.get("default_image"))
    frames: list[Image.Image] = []
    durations: list[int] = []
    for frame in ImageSequence.Iterator(im):
        frame.load()  # WebP sets the frame's duration when it is loaded
        durations.append(round(frame.info.get("duration", 100)))
        pixels = to_srgb(frame)
        if pixels is frame:  # the iterator reuses one image for every frame
            pixels = frame.copy()
        frames.append(pixels.transpose(method) if method is not None else pixels)
    # GIF keeps RGBA frames as always; PNG and WebP gain an alpha channel only if they had one.
    mode = "RGBA" if ext == "gif" or any(f.mode == "RGBA" for f in frames) else "RGB"
    clean = [Image.frombytes(mode, f.size, f.convert(mode).tobytes()) for f in frames]
    out = io.BytesIO()
    if ext == "gif":
        clean[0].save(
            out, "GIF", save_all=True, append_images=clean[1:], duration=durations, loop=loop, disposal=2
        )
    elif ext == "webp":
        clean[0].save(
            out,
            "WEBP",
            save_all=True,
            append_images=clean[1:],
            duration=durations,
            loop=loop,
            quality=85,
            method=4,
        )
    else:
        # The frames are whole pictures: each replaces the last (APNG's defaults).
        clean[0].save(
            out,
            "PNG",
            save_all=True,
            append_images=clean[1:],
            duration=durations[1:] if default_image else durations,
            loop=loop,
            default_image=default_image,
        )
    return out.getvalue()


def has_gps(path: Path) -> bool:
    """True when a JPEG's EXIF holds a GPS block (for the warning on static/ files)."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            return bool(im.getexif().get_ifd(0x8825))
    except (OSError, ValueError, SyntaxError):
        return False
