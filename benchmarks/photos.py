"""Deterministic stand-ins for phone photos, for the image benchmark.

Each photo is a 4000x3000 JPEG (quality 92, like a phone's) that gives encoders real work:
a sky and ground gradient, a blurred sun, hills and buildings, cloud-like texture at three
scales and a fine sensor grain. Every photo carries EXIF like a phone's: camera make and
model, the date, an orientation (every third photo is a portrait shot stored sideways,
orientation 6) and a GPS position. The same index always gives the same pixels and tags.

    python benchmarks/photos.py FOLDER [--count 20]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

SIZE = (4000, 3000)
QUALITY = 92
ORIENTATION_TAG = 0x0112
GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def photo_name(index: int) -> str:
    """The file name of photo `index` (from 1): photo-001.jpg."""
    return f"photo-{index:03d}.jpg"


def orientation(index: int) -> int:
    """Every third photo is stored sideways with orientation 6, the others upright."""
    return 6 if index % 3 == 0 else 1


def _colour(rng: random.Random, low: int, high: int) -> tuple[int, int, int]:
    return (rng.randint(low, high), rng.randint(low, high), rng.randint(low, high))


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    """A vertical gradient from `top` to `bottom`."""
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _scenery(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """Sky over ground with a horizon somewhere in the middle third."""
    width, height = size
    horizon = rng.randint(height // 3, 2 * height // 3)
    sky = _gradient((width, horizon), _colour(rng, 40, 120), _colour(rng, 150, 240))
    ground = _gradient((width, height - horizon), _colour(rng, 60, 160), _colour(rng, 10, 70))
    image = Image.new("RGB", size)
    image.paste(sky, (0, 0))
    image.paste(ground, (0, horizon))
    return image


def _sun(image: Image.Image, rng: random.Random) -> None:
    """A soft bright disc in the upper half."""
    width, height = image.size
    glow = Image.new("L", image.size, 0)
    x, y, r = rng.randint(0, width), rng.randint(0, height // 2), rng.randint(120, 400)
    ImageDraw.Draw(glow).ellipse((x - r, y - r, x + r, y + r), fill=230)
    glow = glow.filter(ImageFilter.GaussianBlur(r // 3))
    image.paste(_colour(rng, 220, 255), (0, 0), glow)


def _shapes(image: Image.Image, rng: random.Random, count: int = 60) -> None:
    """Hills, buildings and windows: hard and soft edges, flat and busy areas."""
    width, height = image.size
    layer = image.copy()
    draw = ImageDraw.Draw(layer)
    for _ in range(count):
        x, y = rng.randint(-200, width), rng.randint(height // 4, height)
        w, h = rng.randint(80, 900), rng.randint(80, 1200)
        colour = _colour(rng, 0, 255)
        kind = rng.random()
        if kind < 0.4:
            draw.rectangle((x, y - h, x + w, y), fill=colour)
            for wx in range(x + 20, x + w - 40, 60):
                for wy in range(y - h + 20, y - 40, 80):
                    draw.rectangle((wx, wy, wx + 30, wy + 40), fill=_colour(rng, 150, 255))
        elif kind < 0.8:
            draw.ellipse((x, y - h // 2, x + w, y + h // 2), fill=colour)
        else:
            points = [(x + rng.randint(0, w), y - rng.randint(0, h)) for _ in range(5)]
            draw.polygon(points, fill=colour, outline=_colour(rng, 0, 80))
    # Out-of-focus background: blur the shapes a little, keep some edges sharp.
    image.paste(layer.filter(ImageFilter.GaussianBlur(2)), (0, 0))


def _noise(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """Uniform random grey levels, from the seeded generator (not Pillow's effect_noise)."""
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def _texture(image: Image.Image, rng: random.Random) -> Image.Image:
    """Clouds and foliage: grey noise enlarged smoothly, at three scales, then a fine grain."""
    width, height = image.size
    for divisor, strength in ((100, 0.16), (25, 0.10), (6, 0.06)):
        small = (width // divisor, height // divisor)
        grey = _noise(rng, small).resize(image.size, Image.Resampling.BICUBIC)
        image = Image.blend(image, Image.merge("RGB", (grey, grey, grey)), strength)
    grain = _noise(rng, image.size)
    return Image.blend(image, Image.merge("RGB", (grain, grain, grain)), 0.05)


def _exif(index: int, rng: random.Random) -> Image.Exif:
    """Phone-like EXIF: make, model, date, orientation and a GPS position (the privacy sentinel)."""
    exif = Image.Exif()
    exif[0x010F] = "BenchPhone"  # Make
    exif[0x0110] = "Model 12"  # Model
    exif[0x0132] = f"2025:03:{1 + index % 28:02d} 10:{index % 60:02d}:00"  # DateTime
    exif[ORIENTATION_TAG] = orientation(index)
    exif.get_ifd(EXIF_IFD)[0x9003] = exif[0x0132]  # DateTimeOriginal
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (53.0, 28.0, round(rng.uniform(0, 59), 2))  # GPSLatitude
    gps[3] = "W"  # GPSLongitudeRef
    gps[4] = (2.0, 14.0, round(rng.uniform(0, 59), 2))  # GPSLongitude
    return exif


def make_photo(index: int, size: tuple[int, int] = SIZE) -> tuple[Image.Image, Image.Exif]:
    """Photo `index` (from 1) and its EXIF; the same index always gives the same result."""
    rng = random.Random(index)
    image = _scenery(rng, size)
    _sun(image, rng)
    _shapes(image, rng)
    return _texture(image, rng), _exif(index, rng)


def generate(folder: Path, count: int = 20, size: tuple[int, int] = SIZE) -> list[Path]:
    """Write `count` photos into `folder` (made if missing) and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(1, count + 1):
        image, exif = make_photo(index, size)
        path = folder / photo_name(index)
        image.save(path, "JPEG", quality=QUALITY, exif=exif)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    for path in generate(args.folder, args.count):
        print(path)


if __name__ == "__main__":
    main()
