"""Running a build: replay the last one when nothing changed, else the recipe, then write.

This module stays light (no renderer imports), so a replayed build starts and ends fast.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import replay
from .cache import Cache
from .errors import PortfolioError, Problems, SourceError, in_order
from .options import BuildOptions
from .output import build_lock, check_output_folder, check_output_outside, output_lock, recover, write_site
from .stages import Counts, Progress, Timings
from .themes import bundled_dir

__all__ = ["REQUIRED_OUTPUT", "BuildOptions", "BuildResult", "Counts", "build"]

# Files every build must produce (and each other language's home page); their absence
# is a bug, caught before the swap.
REQUIRED_OUTPUT = ("index.html", "404.html")


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
    published: int = 0  # case studies with a page, anonymized ones included
    anonymized: list[tuple[str, str]] = field(default_factory=list)  # (file, alias)
    held_back: list[tuple[str, str]] = field(default_factory=list)  # (file, why): withheld
    private: list[tuple[str, str]] = field(default_factory=list)  # (file, URL): behind a password
    drafts: int = 0
    guard_read: int = 0  # output files the leak guard had to read
    counts: Counts = field(default_factory=Counts)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    replayed: bool = False  # nothing had changed: the last build's summary, no work done


def build(
    root: Path, options: BuildOptions = BuildOptions(), progress: Progress | None = None
) -> BuildResult:
    """Build the site at `root` into its output folder; raises PortfolioError on any problem."""
    started = time.perf_counter()
    root = root.resolve()
    output = check_output_folder(options.output or root / "output", root)
    problems = Problems()
    timings = Timings(progress)
    cache = Cache(root, enabled=options.use_cache)  # one per build, shared by every stage
    with build_lock(cache.lock_path()):
        # Taken before anything is read: an edit made during the build changes the key.
        with timings.stage("load"):
            inputs = replay.inputs_key(
                root, output, _options_key(options), cache.digests.digest, [bundled_dir()]
            )
            last = replay.last_summary(cache, output, inputs)
            if last is not None and last.get("passwords") and not _same_passwords(last["passwords"]):
                last = None  # a password changed: its pages are encrypted again
        if last is not None and (result := _from_summary(last, output)) is not None:
            cache.save()
            result.seconds = time.perf_counter() - started
            result.timings = dict(timings.seconds)
            return result
        from .recipe import render_site  # the renderer's imports, only when there is work

        rendered = render_site(root, options, problems, timings=timings, cache=cache)
        check_output_outside(output, rendered.theme_dirs)
        # Each language's home page too: a second language's lives under its folder (en/).
        homes = [f"{language}/index.html" for language in rendered.site.config.languages[1:]]
        missing = [name for name in (*REQUIRED_OUTPUT, *homes) if name not in rendered.files]
        if missing:
            raise PortfolioError("internal error: the build made no " + ", ".join(missing))
        if options.strict and problems.warnings:
            count = len(problems.warnings)
            raise PortfolioError(
                "\n".join("warning: " + str(w) for w in problems.warnings)
                + f"\n{count} warning{'s' if count != 1 else ''} with --strict;"
                " output/ was left as it was."
            )
        with timings.stage("write"), output_lock(output):  # another site may build into it
            recover(output)
            written = write_site(output, rendered.files, cache.digests.digest)
            site = rendered.site
            result = BuildResult(
                output=output,
                pages=sum(1 for f in rendered.files if f.endswith(".html")),
                written=written.written,
                unchanged=written.unchanged,
                removed=written.removed,
                images_made=rendered.images_made,
                images_cached=rendered.images_cached,
                swapped=written.swapped,
                warnings=in_order(problems.warnings),
                published=sum(1 for s in site.studies if not s.draft),
                anonymized=[
                    (s.source, s.client.name)
                    for s in site.studies
                    if s.client and s.client.anonymized and not s.draft
                ],
                held_back=[
                    (s.source, site.decisions[s.source].reason)
                    for s in site.all_studies
                    if not s.draft and site.decisions[s.source].status == "withheld"
                ],
                drafts=sum(1 for s in site.all_studies if s.draft),
                guard_read=rendered.guard_read,
                counts=rendered.counts,
                private=[
                    (p.study.source, site.study_url(p.study)) for p in site.protected if not p.study.draft
                ],
            )
            replay.remember(cache, output, inputs, _summary(result, rendered.passwords))
        cache.save()
    if progress:
        progress.finish()
    result.seconds = time.perf_counter() - started
    result.timings = dict(timings.seconds)
    return result


def _options_key(options: BuildOptions) -> list[object]:
    return [options.output, options.checked_base_url(), options.strict]


def _same_passwords(used: Any) -> bool:
    """Whether the passwords the last build encrypted with are still the ones set."""
    from .vault import same_passwords  # the cryptography library, only for private sites

    return isinstance(used, dict) and same_passwords(used)


def _summary(result: BuildResult, passwords: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a replay reports: the last build's figures and warnings, as JSON data, and a
    digest of each password's key (never the password), to know if one changed."""
    return {
        "pages": result.pages,
        "images": result.images_made + result.images_cached,
        "warnings": [[w.path, w.message, w.line, w.field, w.hint] for w in result.warnings],
        "published": result.published,
        "anonymized": result.anonymized,
        "held_back": result.held_back,
        "drafts": result.drafts,
        "private": result.private,
        "passwords": passwords or {},
    }


def _from_summary(data: dict[str, Any], output: Path) -> BuildResult | None:
    """The replayed result; None when the record does not read as one (then: a real build)."""
    try:
        return BuildResult(
            output=output,
            pages=int(data["pages"]),
            unchanged=int(data["pages"]),
            images_cached=int(data["images"]),
            warnings=[SourceError(*_fields(w)) for w in data["warnings"]],
            published=int(data["published"]),
            anonymized=[(str(a), str(b)) for a, b in data["anonymized"]],
            held_back=[(str(a), str(b)) for a, b in data["held_back"]],
            private=[(str(a), str(b)) for a, b in data.get("private", [])],
            drafts=int(data["drafts"]),
            replayed=True,
        )
    except (KeyError, TypeError, ValueError):
        return None


def _fields(warning: list[Any]) -> tuple[str, str, int | None, str, str]:
    path, message, line, field_name, hint = warning
    if line is not None and not isinstance(line, int):
        raise ValueError(line)
    return str(path), str(message), line, str(field_name), str(hint)
