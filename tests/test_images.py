"""Images: re-encoded by Pillow at full size, oriented, with no metadata; bad files named."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import build_errors, output_bytes, run_build, study, write_site
from images import GPS_SENTINEL, XMP_SENTINEL, jpeg, png_rgba
from PIL import Image


def _site_with_cover(tmp_path: Path, data: bytes, name: str = "c.jpg") -> Path:
    return write_site(tmp_path, {
        f"content/images/{name}": data,
        "content/case-studies/x.md": study(front=f"cover: {{src: ../images/{name}, alt: A}}"),
    })


def _published(root: Path, pattern: str = "c-*") -> Path:
    (path,) = (root / "output/images").glob(pattern)
    return path


def test_metadata_is_stripped_from_every_output_byte(tmp_path: Path) -> None:
    root = write_site(tmp_path, {
        "content/images/c.jpg": jpeg(gps=True, xmp=True),
        "content/images/body.jpg": jpeg(gps=True, xmp=True, colour=(1, 2, 3)),
        "content/case-studies/x.md": study(front="cover: {src: ../images/c.jpg, alt: A}",
                                           body="![A photo](../images/body.jpg)\n"),
    })
    run_build(root)
    everything = output_bytes(root / "output")
    assert GPS_SENTINEL.encode() not in everything
    assert XMP_SENTINEL not in everything
    assert b"iPhone 13 mini" not in everything and b"Exif\x00\x00" not in everything
    for path in (root / "output/images").iterdir():
        with Image.open(path) as im:
            assert not im.getexif() and "xmp" not in im.info and "exif" not in im.info


def test_image_from_markdown_body_is_published_stripped(tmp_path: Path) -> None:
    root = write_site(tmp_path, {
        "content/case-studies/x/index.md": study(body="![Team photo](photo.jpg)\n"),
        "content/case-studies/x/photo.jpg": jpeg(gps=True),
    })
    run_build(root)
    html = (root / "output/case-studies/x/index.html").read_text()
    assert 'src="../../images/photo-' in html and 'alt="Team photo"' in html
    assert 'width="64"' in html and 'height="48"' in html and 'loading="lazy"' in html
    assert not (root / "output/case-studies/x/photo.jpg").exists()
    assert GPS_SENTINEL.encode() not in output_bytes(root / "output")


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied(tmp_path: Path, orientation: int) -> None:
    root = _site_with_cover(tmp_path, jpeg(64, 48, orientation=orientation))
    run_build(root)
    swapped = orientation >= 5
    with Image.open(_published(root)) as im:
        assert im.size == ((48, 64) if swapped else (64, 48))
        # The black marker was drawn top-left of the stored pixels; after orientation it
        # sits where a viewer of the original photo saw it: never all four corners black.
        corners = [im.getpixel(p) for p in ((1, 1), (im.width - 2, 1), (1, im.height - 2),
                                              (im.width - 2, im.height - 2))]
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


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    im = Image.new("CMYK", (32, 32), (0, 255, 255, 0))  # pure red in CMYK
    buf = io.BytesIO()
    im.save(buf, "JPEG")
    root = _site_with_cover(tmp_path, buf.getvalue())
    run_build(root)
    with Image.open(_published(root)) as out:
        assert out.mode == "RGB"
        r, g, b = out.getpixel((16, 16))
        assert r > 200 and g < 60 and b < 60


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "content/images/c.jpg: is an empty file"),
    (b"<!doctype html><html><body>not a picture</body></html>",
     "content/images/c.jpg: is not an image Pillow can read"),
])
def test_bad_images_give_one_clear_error(tmp_path: Path, data: bytes, expected: str) -> None:
    root = _site_with_cover(tmp_path, data)
    assert expected in build_errors(root)


def test_truncated_jpeg_gives_one_clear_error(tmp_path: Path) -> None:
    root = _site_with_cover(tmp_path, jpeg(400, 300)[:300])
    message = build_errors(root)
    assert "content/images/c.jpg:" in message and "Traceback" not in message
    assert message.count("\n") <= 2


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    # A tiny PNG that declares 30000 x 30000 pixels.
    im = Image.new("1", (30000, 30000))
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=True)
    assert len(buf.getvalue()) < 1_000_000
    root = _site_with_cover(tmp_path, buf.getvalue(), "bomb.png")
    message = build_errors(root)
    assert "content/images/bomb.png: is 30000x30000 (900 megapixels); the limit is " \
           "images.max_megapixels = 50" in message


def test_second_build_processes_no_image(tmp_path: Path) -> None:
    root = _site_with_cover(tmp_path, jpeg())
    first = run_build(root)
    second = run_build(root)
    assert first.images_made == 1 and second.images_made == 0 and second.images_cached == 1


def test_animated_gif_stays_animated(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (20, 20), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0,
                   comment=b"GIFCOMMENTSENTINEL")
    root = _site_with_cover(tmp_path, buf.getvalue(), "anim.gif")
    run_build(root)
    out = _published(root, "anim-*.gif")
    with Image.open(out) as im:
        assert im.n_frames == 3
    assert b"GIFCOMMENTSENTINEL" not in out.read_bytes()
