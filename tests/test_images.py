"""Images: re-encoded by Pillow at full size, oriented, with no metadata; bad files named."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from conftest import CONFIG, build_errors, output_bytes, run_build, study, write_site
from images import GPS_SENTINEL, XMP_SENTINEL, heic, jpeg, png_rgba, swapped_rgb_profile
from PIL import Image, PngImagePlugin, features

from portfolio.cache import Cache
from portfolio.images import ImageError, Images


def _site_with_cover(tmp_path: Path, data: bytes, name: str = "c.jpg") -> Path:
    return write_site(
        tmp_path,
        {
            f"content/images/{name}": data,
            "content/case-studies/x.md": study(front=f"cover: {{src: ../images/{name}, alt: A}}"),
        },
    )


def _published(root: Path, pattern: str = "c-*") -> Path:
    """The widest fallback (JPEG or PNG) of an image: the file every browser can show."""
    found = list((root / "output/images").glob(pattern))
    fallbacks = [p for p in found if p.suffix not in (".avif", ".webp")] or found  # animated

    def width(path: Path) -> int:
        with Image.open(path) as im:
            return im.width

    return max(fallbacks, key=width)


def test_every_variant_is_upright_stripped_and_never_upscaled(tmp_path: Path) -> None:
    from PIL import Image

    root = _site_with_cover(tmp_path, jpeg(1200, 900, orientation=6, gps=True, xmp=True))
    run_build(root)
    files = sorted((root / "output/images").glob("c-*"))
    sizes = {(p.suffix, Image.open(p).size) for p in files}
    # Turned upright (900 wide), at 160, 480 and 900 (never upscaled to 960 or more), 3 formats.
    assert sizes == {
        (ext, size) for ext in (".avif", ".webp", ".jpg") for size in ((160, 213), (480, 640), (900, 1200))
    }
    for path in files:
        with Image.open(path) as im:
            assert not im.getexif() and "xmp" not in im.info and "icc_profile" not in im.info
            assert im.getpixel((im.width - 2, 2))[0] < 60, path  # the dark marker, top right
    page = (root / "output/case-studies/x/index.html").read_text()
    assert '<source type="image/avif" srcset="../../images/c-' in page
    assert re.search(r'srcset="[^"]*160\.jpg 160w, [^"]*480\.jpg 480w, [^"]*900\.jpg 900w"', page)


def test_metadata_is_stripped_from_every_output_byte(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/images/c.jpg": jpeg(gps=True, xmp=True),
            "content/images/body.jpg": jpeg(gps=True, xmp=True, colour=(1, 2, 3)),
            "content/case-studies/x.md": study(
                front="cover: {src: ../images/c.jpg, alt: A}", body="![A photo](../images/body.jpg)\n"
            ),
        },
    )
    run_build(root)
    everything = output_bytes(root / "output")
    assert GPS_SENTINEL.encode() not in everything
    assert XMP_SENTINEL not in everything
    assert b"iPhone 13 mini" not in everything and b"Exif\x00\x00" not in everything
    for path in (root / "output/images").iterdir():
        with Image.open(path) as im:
            assert not im.getexif() and "xmp" not in im.info and "exif" not in im.info


def test_image_from_markdown_body_is_published_stripped(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x/index.md": study(body="![Team photo](photo.jpg)\n"),
            "content/case-studies/x/photo.jpg": jpeg(gps=True),
        },
    )
    run_build(root)
    html = (root / "output/case-studies/x/index.html").read_text()
    assert 'src="../../images/photo-' in html and 'alt="Team photo"' in html
    # The page's only image: it loads first (the next test covers lazy loading).
    assert 'width="64"' in html and 'height="48"' in html and 'fetchpriority="high"' in html
    assert not (root / "output/case-studies/x/photo.jpg").exists()
    assert GPS_SENTINEL.encode() not in output_bytes(root / "output")


def _img_tags(html: str, name: str) -> list[str]:
    return re.findall(rf'<img[^>]*src="[^"]*/{name}-[^>]*>', html)


def test_the_first_image_of_a_page_loads_first_and_the_rest_lazily(tmp_path: Path) -> None:
    body = "Intro.\n\n![First](a.jpg)\n\nMore.\n\n![Second](b.jpg)\n"
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x/index.md": study(body=body),
            "content/case-studies/x/a.jpg": jpeg(),
            "content/case-studies/x/b.jpg": jpeg(),
            "content/case-studies/y/index.md": study(
                front="cover: {src: c.jpg, alt: C}", body=body, title="Other"
            ),
            "content/case-studies/y/a.jpg": jpeg(),
            "content/case-studies/y/b.jpg": jpeg(),
            "content/case-studies/y/c.jpg": jpeg(),
        },
    )
    run_build(root)
    # Without a cover, the body's first image is the page's largest paint.
    html = (root / "output/case-studies/x/index.html").read_text()
    (first,), (second,) = _img_tags(html, "a"), _img_tags(html, "b")
    assert 'fetchpriority="high"' in first and "loading=" not in first
    assert 'loading="lazy"' in second and "fetchpriority" not in second
    # With a cover, the cover goes first and every body image waits.
    html = (root / "output/case-studies/y/index.html").read_text()
    (cover,), (a,) = _img_tags(html, "c"), _img_tags(html, "a")
    assert 'fetchpriority="high"' in cover and 'loading="lazy"' in a
    assert html.count('fetchpriority="high"') == 1
    # The list of work: the first card's cover first.
    listing = (root / "output/case-studies/index.html").read_text()
    assert listing.count('fetchpriority="high"') == 1


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied(tmp_path: Path, orientation: int) -> None:
    root = _site_with_cover(tmp_path, jpeg(64, 48, orientation=orientation))
    run_build(root)
    swapped = orientation >= 5
    with Image.open(_published(root)) as im:
        assert im.size == ((48, 64) if swapped else (64, 48))
        # The black marker was drawn top-left of the stored pixels; after orientation it
        # sits where a viewer of the original photo saw it: never all four corners black.
        corners = [
            im.getpixel(p)
            for p in ((1, 1), (im.width - 2, 1), (1, im.height - 2), (im.width - 2, im.height - 2))
        ]
        assert sum(1 for c in corners if max(c) < 60) == 1
    html = (root / "output/case-studies/x/index.html").read_text()
    assert ('width="48" height="64"' if swapped else 'width="64" height="48"') in html


def test_upright_pixels_match_the_viewer(tmp_path: Path) -> None:
    # Orientation 6 means "rotate 90 degrees clockwise to view": the marker stored top-left
    # is seen top-right.
    root = _site_with_cover(tmp_path, jpeg(64, 48, orientation=6))
    run_build(root)
    with Image.open(_published(root)) as im:
        assert max(im.getpixel((im.width - 3, 3))) < 60
        assert min(im.getpixel((3, 3))) > 30


def test_transparency_is_kept(tmp_path: Path) -> None:
    root = _site_with_cover(tmp_path, png_rgba(), "logo.png")
    run_build(root)
    with Image.open(_published(root, "logo-*.png")) as im:
        assert im.mode == "RGBA" and im.getpixel((0, 0))[3] == 128


@pytest.mark.parametrize("profile", [None, "unusable"])
def test_cmyk_jpeg_becomes_rgb(tmp_path: Path, profile: str | None) -> None:
    im = Image.new("CMYK", (32, 32), (0, 255, 255, 0))  # pure red in CMYK
    buf = io.BytesIO()
    # An RGB profile in a CMYK file (as some exporters write) cannot be applied: the plain
    # conversion is used instead of failing the build.
    im.save(buf, "JPEG", **({"icc_profile": swapped_rgb_profile()} if profile else {}))
    root = _site_with_cover(tmp_path, buf.getvalue())
    run_build(root)
    with Image.open(_published(root)) as out:
        assert out.mode == "RGB"
        r, g, b = out.getpixel((16, 16))
        assert r > 200 and g < 60 and b < 60


def test_embedded_colour_profile_is_converted_to_srgb(tmp_path: Path) -> None:
    # Red pixels tagged with a profile whose red primary is sRGB's blue look blue in any
    # colour-managed viewer: the published file, which has no profile, must be blue too.
    im = Image.new("RGB", (32, 32), (255, 0, 0))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=95, icc_profile=swapped_rgb_profile())
    root = _site_with_cover(tmp_path, buf.getvalue())
    run_build(root)
    for path in (root / "output/images").glob("c-*"):
        with Image.open(path) as out:
            assert "icc_profile" not in out.info
            r, g, b = out.convert("RGB").getpixel((16, 16))
            assert b > 200 and r < 60 and g < 60, (path.name, (r, g, b))


def test_heic_photo_from_a_phone_is_published_upright_without_metadata(tmp_path: Path) -> None:
    root = _site_with_cover(tmp_path, heic(64, 48, orientation=6, gps=True, xmp=True), "c.heic")
    run_build(root)
    # Turned upright like the phone shows it, with a JPEG fallback (a photo, not a graphic).
    with Image.open(_published(root)) as im:
        assert _published(root).suffix == ".jpg" and im.size == (48, 64)
        assert max(im.getpixel((im.width - 3, 3))) < 60 and min(im.getpixel((3, 3))) > 30
    assert {p.suffix for p in (root / "output/images").glob("c-*")} == {".avif", ".webp", ".jpg"}
    html = (root / "output/case-studies/x/index.html").read_text()
    assert 'width="48" height="64"' in html
    everything = output_bytes(root / "output")
    assert GPS_SENTINEL.encode() not in everything and XMP_SENTINEL not in everything
    assert b"iPhone 13 mini" not in everything


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # Found with the content errors, at the line that names the image.
        (b"", "content/case-studies/x.md:6: cover.src: content/images/c.jpg is an empty file"),
        (
            b"<!doctype html><html><body>not a picture</body></html>",
            "content/case-studies/x.md:6: cover.src: content/images/c.jpg is not an image file the build "
            "can read",
        ),
    ],
)
def test_bad_images_give_one_clear_error(tmp_path: Path, data: bytes, expected: str) -> None:
    root = _site_with_cover(tmp_path, data)
    assert expected in build_errors(root)


def test_truncated_jpeg_gives_one_clear_error(tmp_path: Path) -> None:
    root = _site_with_cover(tmp_path, jpeg(400, 300)[:300])
    message = build_errors(root)
    assert "content/case-studies/x.md:6: cover.src: content/images/c.jpg cannot be read" in message
    assert "Traceback" not in message and message.count("\n") <= 2
    # Cut after its header: it opens, and decoding finds the end missing.
    data = jpeg(400, 300, colour=(90, 140, 30))
    (root / "content/images/c.jpg").write_bytes(data[: len(data) // 2])
    message = build_errors(root)
    assert "content/images/c.jpg: is truncated (the file ends early): export it again" in message
    assert "Traceback" not in message and message.count("\n") <= 2


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    # A tiny PNG that declares 30000 x 30000 pixels.
    im = Image.new("1", (30000, 30000))
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=True)
    assert len(buf.getvalue()) < 1_000_000
    root = _site_with_cover(tmp_path, buf.getvalue(), "bomb.png")
    message = build_errors(root)
    assert (
        "x.md:6: cover.src: content/images/bomb.png is 30000x30000 (900 megapixels); the "
        "limit is images.max_megapixels = 50" in message
    )


def test_second_build_processes_no_image(tmp_path: Path) -> None:
    root = _site_with_cover(tmp_path, jpeg())
    first = run_build(root)
    second = run_build(root)
    # The cover, and the link-preview cards of the home page, the case study, the list of
    # work, its one filter page (kind: personal), the results and the 404 page.
    assert first.images_made == 7 and second.images_made == 0 and second.images_cached == 7


def test_animated_gif_stays_animated(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (20, 20), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(
        buf,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=b"GIFCOMMENTSENTINEL",
    )
    source = buf.getvalue()
    # XMP as Photoshop writes it into a GIF (an application block), and bytes after the end.
    at = source.index(b"\x21\xff")
    source = (
        source[:at]
        + b"\x21\xff\x0bXMP DataXMP"
        + bytes([len(XMP_SENTINEL[:40])])
        + XMP_SENTINEL[:40]
        + b"\x00"
        + source[at:]
        + b"TRAILINGSENTINEL"
    )
    root = _site_with_cover(tmp_path, source, "anim.gif")
    result = run_build(root)
    out = _published(root, "anim-*.gif")
    data = out.read_bytes()
    for trace in (b"GIFCOMMENTSENTINEL", XMP_SENTINEL[:40], b"TRAILINGSENTINEL"):
        assert trace not in data
    # Passed through: every frame, its timing and the loop count as they were.
    with Image.open(out) as im, Image.open(io.BytesIO(source)) as original:
        assert im.n_frames == 3 and im.info["loop"] == 0
        for i in range(3):
            im.seek(i)
            original.seek(i)
            assert im.info["duration"] == 100 * (i + 1)
            assert im.convert("RGB").tobytes() == original.convert("RGB").tobytes()
    # Kept animated, with a word about its weight: a video is usually far lighter.
    (warning,) = [str(w) for w in result.warnings if "anim.gif" in str(w)]
    assert warning.startswith("content/images/anim.gif: is an animated GIF") and "MP4" in warning


# --- Unreadable files and decoder failures: one line naming the file, never a template error.


def _one_clear_error(message: str, rel: str) -> None:
    assert f"{rel}:" in message or f"cover.src: {rel} " in message, message
    assert "Traceback" not in message and "internal error" not in message, message
    assert "templates/" not in message and "Error:" not in message, message
    assert message.count(rel) == 1, message


def test_folder_named_like_an_image_gives_one_clear_error(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/images/logo.png": png_rgba()})
    folder = root / "content/images/c.jpg"
    folder.mkdir()
    images = Images(Cache(root), 50)
    with pytest.raises(ImageError) as info:
        images.request(folder)
    assert str(info.value) == "is a folder, not an image file"
    # Through a build, the content check names it first, as one line.
    root = write_site(
        root,
        {
            "content/case-studies/x.md": study(
                front="cover: {src: ../images/c.jpg, alt: A}", body="![A photo](../images/c.jpg)\n"
            ),
        },
    )
    message = build_errors(root)
    assert "Traceback" not in message and "templates/" not in message and "Error:" not in message


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def _png_with_huge_text(kind: str, after_pixels: bool = False) -> bytes:
    """A small PNG whose compressed text chunk inflates past Pillow's MAX_TEXT_CHUNK."""
    text = "A" * (PngImagePlugin.MAX_TEXT_CHUNK + 1000)
    buf = io.BytesIO()
    if not after_pixels:
        info = PngImagePlugin.PngInfo()
        if kind == "zTXt":
            info.add_text("Comment", text, zip=True)
        else:
            info.add_itxt("Comment", text, zip=True)
        Image.new("RGB", (8, 8), (1, 2, 3)).save(buf, "PNG", pnginfo=info)
        return buf.getvalue()
    # Text after the pixels is only read when the image is decoded, not by the header.
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buf, "PNG")
    data = buf.getvalue()
    payload = b"Comment\x00\x00" + zlib.compress(text.encode())
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + _png_chunk(b"zTXt", payload) + data[iend:]


@pytest.mark.parametrize(("kind", "after_pixels"), [("zTXt", False), ("iTXt", False), ("zTXt", True)])
def test_huge_compressed_text_chunk_gives_one_clear_error(
    tmp_path: Path, kind: str, after_pixels: bool
) -> None:
    data = _png_with_huge_text(kind, after_pixels)
    assert len(data) < 20_000
    root = _site_with_cover(tmp_path, data, "t.png")
    message = build_errors(root)
    _one_clear_error(message, "content/images/t.png")
    assert "MAX_TEXT_CHUNK" in message


def test_image_gone_before_encoding_is_reported_not_raised(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/images/c.jpg": jpeg()})
    source = root / "content/images/c.jpg"
    images = Images(Cache(root), 50)
    assert images.request(source).width == 64
    source.unlink()
    source.mkdir()  # replaced by a folder between rendering and encoding
    files, failed = images.produce(use_cache=False)
    assert files == {}
    assert failed == [(source, "is a folder, not an image file")]


# --- High bit depth: scaled to 8 bits, not clipped to white.


def _gradient_16bit(mode: str) -> Image.Image:
    """256 x 16 pixels from black (0) to white (65535), left to right."""
    row = b"".join(struct.pack("<H", i * 257) for i in range(256))
    im = Image.frombytes("I;16", (256, 1), row).resize((256, 16), Image.Resampling.NEAREST)
    return im if mode == "I;16" else im.convert("I")


@pytest.mark.parametrize(("mode", "fmt", "name"), [("I;16", "PNG", "g.png"), ("I", "TIFF", "g.tif")])
def test_high_bit_depth_grey_keeps_its_tones(tmp_path: Path, mode: str, fmt: str, name: str) -> None:
    im = _gradient_16bit(mode)
    buf = io.BytesIO()
    im.save(buf, fmt)
    with Image.open(io.BytesIO(buf.getvalue())) as check:
        assert check.mode == mode
    root = _site_with_cover(tmp_path, buf.getvalue(), name)
    run_build(root)
    with Image.open(_published(root, "g-*.png")) as out:
        grey = out.convert("L")
        assert grey.getpixel((0, 8)) < 3
        assert 120 <= grey.getpixel((128, 8)) <= 136
        assert grey.getpixel((255, 8)) > 250


# --- Animations: every frame kept, in the same format, with no metadata.

COLOURS = ((255, 0, 0), (0, 255, 0), (0, 0, 255))


def _animation(fmt: str, size: tuple[int, int] = (20, 20), frames: int = 3) -> bytes:
    images = [Image.new("RGB", size, COLOURS[i % 3]) for i in range(frames)]
    exif = Image.Exif()
    exif[0x010F] = GPS_SENTINEL
    buf = io.BytesIO()
    kwargs: dict[str, object] = {
        "save_all": True,
        "append_images": images[1:],
        "duration": [100 * (i + 1) for i in range(frames)],
        "loop": 0,
    }
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", GPS_SENTINEL)
        kwargs["pnginfo"] = info
    elif fmt == "WEBP":
        kwargs.update(exif=exif.tobytes(), xmp=XMP_SENTINEL, lossless=True)
    else:
        kwargs["comment"] = GPS_SENTINEL.encode()
    images[0].save(buf, fmt, **kwargs)
    return buf.getvalue()


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "anim.png"), ("WEBP", "anim.webp")])
def test_animated_png_and_webp_stay_animated(tmp_path: Path, fmt: str, name: str) -> None:
    if fmt == "WEBP" and not features.check("webp"):
        pytest.skip("Pillow built without WebP")
    root = _site_with_cover(tmp_path, _animation(fmt), name)
    run_build(root)
    out = _published(root, "anim-*." + name.rsplit(".", 1)[1])
    data = out.read_bytes()
    assert GPS_SENTINEL.encode() not in data and XMP_SENTINEL not in data
    with Image.open(out) as im:
        assert im.format == fmt and im.n_frames == 3
        assert not im.getexif() and "xmp" not in im.info and "Comment" not in im.info
        for i, colour in enumerate(COLOURS):
            im.seek(i)
            pixel = im.convert("RGB").getpixel((10, 10))
            assert isinstance(pixel, tuple)
            assert all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True)), (i, pixel)
            assert im.info["duration"] == 100 * (i + 1)


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "anim.png"), ("WEBP", "anim.webp")])
def test_animation_frames_are_turned_upright(tmp_path: Path, fmt: str, name: str) -> None:
    if fmt == "WEBP" and not features.check("webp"):
        pytest.skip("Pillow built without WebP")
    frames = [Image.new("RGB", (40, 20), c) for c in COLOURS]
    for frame in frames:
        frame.paste((0, 0, 0), (0, 0, 10, 5))  # marker top-left of the stored pixels
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    frames[0].save(
        buf, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0, exif=exif.tobytes()
    )
    root = _site_with_cover(tmp_path, buf.getvalue(), name)
    run_build(root)
    assert 'width="20" height="40"' in (root / "output/case-studies/x/index.html").read_text()
    with Image.open(_published(root, "anim-*")) as im:
        assert im.size == (20, 40) and im.n_frames == 3 and not im.getexif()
        for i in range(3):
            im.seek(i)
            rgb = im.convert("RGB")
            assert max(rgb.getpixel((18, 1))) < 60
            assert max(rgb.getpixel((1, 1))) > 200


def test_apng_default_image_stays_the_still_fallback(tmp_path: Path) -> None:
    # An APNG may carry a still picture for viewers without animation, outside the animation.
    frames = [Image.new("RGB", (20, 20), c) for c in ((9, 9, 9), *COLOURS[:2])]
    buf = io.BytesIO()
    frames[0].save(
        buf, "PNG", save_all=True, append_images=frames[1:], duration=[100, 200], loop=2, default_image=True
    )
    root = _site_with_cover(tmp_path, buf.getvalue(), "anim.png")
    run_build(root)
    with Image.open(_published(root, "anim-*.png")) as im:
        assert im.n_frames == 3 and im.info["default_image"] and im.info["loop"] == 2
        seen = []
        for i in range(3):
            im.seek(i)
            seen.append((im.convert("RGB").getpixel((1, 1)), im.info.get("duration")))
        assert seen == [((9, 9, 9), None), (COLOURS[0], 100), (COLOURS[1], 200)]


@pytest.mark.parametrize(("fmt", "name"), [("WEBP", "anim.webp"), ("PNG", "anim.png")])
def test_huge_animation_is_refused(tmp_path: Path, fmt: str, name: str) -> None:
    # Each frame is within the limit; all 20 together are 5 megapixels, over 4 x 1.
    root = write_site(
        tmp_path,
        {
            "content/images/" + name: _animation(fmt, (500, 500), frames=20),
            "content/case-studies/x.md": study(front=f"cover: {{src: ../images/{name}, alt: A}}"),
        },
        config=CONFIG + "images:\n  max_megapixels: 1\n",
    )
    message = build_errors(root)
    _one_clear_error(message, "content/images/" + name)
    assert (
        f"content/images/{name}: is an animation of 20 frames of 500x500 (5 megapixels in all); "
        "the limit is 4 x images.max_megapixels = 4" in message
    )


def test_a_long_gif_is_passed_through_without_decoding(tmp_path: Path) -> None:
    # 20 frames of 500x500 are 5 megapixels decoded, over 4 x 1: a GIF is not decoded at all.
    root = write_site(
        tmp_path,
        {
            "content/images/anim.gif": _animation("GIF", (500, 500), frames=20),
            "content/case-studies/x.md": study(front="cover: {src: ../images/anim.gif, alt: A}"),
        },
        config=CONFIG + "images:\n  max_megapixels: 1\n",
    )
    run_build(root)
    with Image.open(_published(root, "anim-*.gif")) as im:
        assert im.n_frames == 20 and im.size == (500, 500)


def test_a_truncated_gif_gives_one_clear_error(tmp_path: Path) -> None:
    data = _animation("GIF")
    root = _site_with_cover(tmp_path, data[: len(data) * 2 // 3], "anim.gif")
    message = build_errors(root)
    _one_clear_error(message, "content/images/anim.gif")
    assert "is truncated" in message


# --- Pillow's global bomb limit is never left changed.


def test_pillow_global_limit_is_left_alone(tmp_path: Path) -> None:
    before = Image.MAX_IMAGE_PIXELS
    root = _site_with_cover(tmp_path, jpeg())
    run_build(root, use_cache=False)
    assert before == Image.MAX_IMAGE_PIXELS
    bomb = io.BytesIO()
    Image.new("1", (30000, 30000)).save(bomb, "PNG", optimize=True)
    build_errors(_site_with_cover(tmp_path / "bomb", bomb.getvalue(), "bomb.png"))
    assert before == Image.MAX_IMAGE_PIXELS


def test_broken_image_and_content_error_come_together(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/images/c.jpg": b"",
            "content/case-studies/x.md": study(front="cover: {src: ../images/c.jpg, alt: A}\ntittle: oops"),
        },
    )
    message = build_errors(root)
    assert "x.md:6: cover.src: content/images/c.jpg is an empty file" in message
    assert "x.md:7: tittle: unknown field" in message


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def test_gallery_videos_play_from_a_poster_and_images_open_large(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/media/teaser.mp4": MP4,
            "content/images/poster.jpg": jpeg(),
            "content/images/shot.jpg": jpeg(colour=(10, 200, 10)),
            "content/case-studies/x.md": study(
                front="""\
gallery:
  - {src: ../images/shot.jpg, alt: A shot, caption: The launch, credit: "Photo: Ana"}
  - {video: ../media/teaser.mp4, poster: ../images/poster.jpg, alt: The teaser}
"""
            ),
        },
    )
    run_build(root)
    page = (root / "output/case-studies/x/index.html").read_text()
    assert re.search(
        r'<video class="gallery-video" controls preload="none" '
        r'poster="../../images/poster-[0-9a-f]{10}-64.jpg" width="64" height="48" '
        r'aria-label="The teaser">',
        page,
    )
    assert '<source src="../../files/teaser.mp4" type="video/mp4">' in page
    assert (root / "output/files/teaser.mp4").read_bytes() == MP4
    assert '<a class="gallery-zoom" href="#view-1">' in page and 'id="view-1"' in page
    assert "The launch" in page and "Photo: Ana" in page


def test_a_video_that_would_publish_where_it_was_shot_is_refused(tmp_path: Path) -> None:
    located = MP4 + b"\x00\x00\x00\x1e\xa9xyz\x00\x12\x15\xc7+53.4808-002.2426/"
    root = write_site(
        tmp_path,
        {
            "content/media/teaser.mp4": located,
            "content/case-studies/x.md": study(
                front="gallery:\n  - {video: ../media/teaser.mp4, alt: Teaser}"
            ),
        },
    )
    errors = build_errors(root)
    assert (
        "content/case-studies/x.md:7: gallery[0].video: content/media/teaser.mp4 carries "
        "the GPS position where it was shot"
    ) in errors


def test_gallery_large_views_are_written_once(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/images/a.jpg": jpeg(),
            "content/case-studies/x.md": study(
                front="""\
collaborators: [{name: Ana, role: Design}]
gallery:
  - {src: ../images/a.jpg, alt: A}
"""
            ),
        },
    )
    run_build(root)
    page = (root / "output/case-studies/x/index.html").read_text()
    assert page.count('id="view-1"') == 1


def test_a_jpeg_over_the_limit_is_decoded_at_reduced_scale(tmp_path: Path) -> None:
    # max_megapixels: 1, a 3-megapixel JPEG: a JPEG is decoded at the reduced scale its
    # variants need (at most 1/8), so it is published. The same picture as PNG is refused.
    big = Image.new("RGB", (2000, 1500), (30, 90, 160))
    jpg, png = io.BytesIO(), io.BytesIO()
    big.save(jpg, "JPEG")
    big.save(png, "PNG")
    config = CONFIG + "images:\n  max_megapixels: 1\n"
    root = write_site(
        tmp_path / "a",
        {
            "content/images/c.jpg": jpg.getvalue(),
            "content/case-studies/x.md": study(front="cover: {src: ../images/c.jpg, alt: A}"),
        },
        config=config,
    )
    run_build(root)
    with Image.open(_published(root, "c-*-960.jpg")) as im:
        assert im.size == (960, 720)
    root = write_site(
        tmp_path / "b",
        {
            "content/images/c.png": png.getvalue(),
            "content/case-studies/x.md": study(front="cover: {src: ../images/c.png, alt: A}"),
        },
        config=config,
    )
    assert "c.png is 2000x1500 (3 megapixels); the limit is images.max_megapixels = 1" in build_errors(root)


# --- SVG drawings: published sanitised (svg.py), once, at the size they declare.

_SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
    b'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
    b'inkscape:export-filename="/home/sam/PRIVATEPATH.png" width="120" height="80" '
    b'onload="alert(1)"><script>alert(2)</script><!-- COMMENTSENTINEL -->'
    b'<rect width="120" height="80" fill="#c33"/><text x="8" y="40">{text}</text></svg>'
)


def test_svg_is_published_sanitised_wherever_it_is_used(tmp_path: Path) -> None:
    drawing = _SVG.replace(b"{text}", b"Funnel")
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x/index.md": study(
                front="cover: {src: logo.svg, alt: A logo}", body="![The funnel](funnel.svg)\n"
            ),
            "content/case-studies/x/logo.svg": drawing,
            "content/case-studies/x/funnel.svg": drawing.replace(b"#c33", b"#3c3"),
        },
    )
    result = run_build(root)
    (logo,) = (root / "output/images").glob("logo-*.svg")
    (funnel,) = (root / "output/images").glob("funnel-*.svg")
    assert b"Funnel" in funnel.read_bytes() and b'viewBox="0 0 120 80"' in logo.read_bytes()
    everything = output_bytes(root / "output")
    for trace in (b"alert(", b"PRIVATEPATH", b"COMMENTSENTINEL", b"onload"):
        assert trace not in everything, trace
    assert b"<script" not in logo.read_bytes() + funnel.read_bytes()
    html = (root / "output/case-studies/x/index.html").read_text()
    # One file for every width: no srcset, no modern formats; the size from the drawing.
    for tag in (_img_tags(html, "logo")[0], _img_tags(html, "funnel")[0]):
        assert 'width="120"' in tag and 'height="80"' in tag and "srcset" not in tag
    assert 'type="image/avif"' not in html
    # A link preview cannot show an SVG: the case study's card is drawn without it.
    assert 'og:image" content="https://test.example/social/' in html
    assert run_build(root).images_made == 0 and result.images_made >= 2


def test_svg_without_social_cards_is_never_the_link_preview(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x/index.md": study(front="cover: {src: logo.svg, alt: A logo}"),
            "content/case-studies/x/logo.svg": _SVG.replace(b"{text}", b"Hi"),
        },
        config=CONFIG + "social_cards: false\n",
    )
    run_build(root)
    html = (root / "output/case-studies/x/index.html").read_text()
    assert 'og:image"' not in html and 'name="twitter:card" content="summary"' in html


def test_broken_svg_gives_one_clear_error(tmp_path: Path) -> None:
    root = _site_with_cover(tmp_path, b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "logo.svg")
    message = build_errors(root)
    assert "x.md:6: cover.src: content/images/logo.svg is not a well-formed SVG file" in message
    assert message.count("\n") <= 2 and "Traceback" not in message


def test_a_hidden_client_named_inside_an_svg_fails_the_build(tmp_path: Path) -> None:
    front = (
        "client:\n  name: Maison Lune\n  consent: pending\n  anonymized_as: a fashion brand\n"
        "cover: {src: chart.svg, alt: Results}"
    )
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x/index.md": study(front=front, title="Work for {client}"),
            "content/case-studies/x/chart.svg": _SVG.replace(b"{text}", b"MAISON LUNE sales"),
        },
    )
    message = build_errors(root)
    assert "images/chart-" in message and "Maison Lune" in message
    assert "remove the name from the drawing" in message
