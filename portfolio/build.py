"""The recipe: load -> validate -> model -> render -> produce assets -> write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cache import Cache
from .config import load_config, normalise_base_url
from .content import load_content
from .errors import PortfolioError, Problems, SourceError, UsageProblem
from .files import Files
from .images import Images, has_gps
from .output import build_lock, check_output_folder, recover, write_site
from .paths import site_relative
from .render import Renderer
from .site import build_site
from .themes import load_theme

# Files every build must produce; their absence is a bug, caught before the swap.
REQUIRED_OUTPUT = ("index.html", "404.html", "case-studies/index.html")


@dataclass
class BuildResult:
    """What a build did: counts for the one-line summary and for tests."""

    output: Path
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    images_made: int = 0
    images_cached: int = 0
    swapped: bool = False
    seconds: float = 0.0
    warnings: list[SourceError] = field(default_factory=list)
    published: int = 0
    withheld: int = 0


@dataclass(frozen=True)
class BuildOptions:
    output: Path | None = None  # default: <site>/output
    base_url: str | None = None
    strict: bool = False
    use_cache: bool = True


def render_site(root: Path, options: BuildOptions, problems: Problems,
                drafts: bool = False) -> tuple[dict[str, bytes | Path], Renderer]:
    """Everything up to the files of the new site, in memory; nothing is written but cache."""
    config = load_config(root, problems)
    content = load_content(root, problems) if config else None
    problems.raise_if_any()
    assert config is not None and content is not None
    if options.base_url is not None:
        base = normalise_base_url(options.base_url)
        if base is None:
            raise UsageProblem(f"--base-url: expected a web address such as "
                               f"https://camille.example.com/, got {options.base_url!r}")
        config = replace(config, base_url=base)
    theme = load_theme(config, problems)
    site = build_site(config, content, problems, drafts=drafts)
    problems.raise_if_any()
    assert theme is not None
    images = Images(Cache(config.root), config.max_megapixels)
    files = Files()
    renderer = Renderer(site, theme, images, files, problems, dev=drafts)
    pages = renderer.render_all()
    # Images and files are produced after rendering: templates and Markdown request them.
    image_files, failed = images.produce(options.use_cache)
    for source, problem in failed:
        problems.error(site_relative(source, config.root), problem)
    if not config.base_url:
        problems.warn("portfolio.yaml", "is not set: the sitemap, the feed, canonical links "
                      "and link previews are left out", field="base_url",
                      hint="add base_url: https://your-domain.example/")
    problems.raise_if_any()
    out: dict[str, bytes | Path] = {**renderer.static, **pages, **image_files,
                                    **files.produce()}
    out.update(_static_site_files(config.root, problems))  # the user's static/ wins
    return out, renderer


def _static_site_files(root: Path, problems: Problems) -> dict[str, Path]:
    """The user's own static/ folder, copied as-is, dot-files included."""
    static = root / "static"
    found: dict[str, Path] = {}
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.is_symlink():
                rel = path.relative_to(static).as_posix()
                found[rel] = path
                if path.suffix.lower() in (".jpg", ".jpeg") and has_gps(path):
                    problems.warn(f"static/{rel}", "carries a GPS position and is published as "
                                  "it is", hint="move it to content/images/: images there are "
                                  "published without metadata")
    return found


def build(root: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Build the site at `root` into its output folder; raises PortfolioError on any problem."""
    started = time.perf_counter()
    root = root.resolve()
    output = check_output_folder(options.output or root / "output", root)
    problems = Problems()
    with build_lock(Cache(root).lock_path()):
        recover(output)
        files, renderer = render_site(root, options, problems)
        missing = [name for name in REQUIRED_OUTPUT if name not in files]
        if missing:
            raise PortfolioError("internal error: the build made no " + ", ".join(missing))
        if options.strict and problems.warnings:
            count = len(problems.warnings)
            raise PortfolioError("\n".join("warning: " + str(w) for w in problems.warnings)
                                 + f"\n{count} warning{'s' if count != 1 else ''} with --strict;"
                                 " output/ was left as it was.")
        written = write_site(output, files)
    decisions = renderer.site.decisions.values()
    return BuildResult(
        output=output, pages=sum(1 for f in files if f.endswith(".html")),
        written=written.written, unchanged=written.unchanged, removed=written.removed,
        images_made=renderer.images.made, images_cached=renderer.images.cached,
        swapped=written.swapped, seconds=time.perf_counter() - started,
        warnings=list(problems.warnings),
        published=sum(1 for d in decisions if d.status == "published"),
        withheld=sum(1 for d in decisions if d.status != "published"),
    )
