"""`portfolio check`: everything a build does but writing, then the audit as text.

`check` runs the stages and collects every problem; `format_audit` and `summary` lay the
audit out for the terminal (cli.py prints them).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .audit import Audit, audit
from .config import PITCH_WORDS, load_config
from .content import load_content
from .errors import ContentErrors, Problems, SourceError, in_order
from .external import TIMEOUT, check_addresses
from .options import BuildOptions
from .recipe import render_site
from .site import build_site
from .stages import Progress, Timings


@dataclass
class CheckResult:
    """What `portfolio check` found: the audit (None when the settings cannot be read)."""

    audit: Audit | None
    errors: list[SourceError]
    warnings: list[SourceError]
    # With --external: dead outside links (warnings that never fail the check), how many
    # addresses were asked, and whether none could be reached at all (no network).
    dead: list[SourceError] = field(default_factory=list)
    asked: int = 0
    offline: bool = False


def check(
    root: Path,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
    external: bool = False,
    timeout: float = TIMEOUT,
) -> CheckResult:
    """Load, validate, render and run the leak guard and the link check, writing nothing but
    the cache; with `external`, also request every outside address the site links to."""
    root = root.resolve()
    problems = Problems()
    rendered = None
    with contextlib.suppress(ContentErrors):  # every problem is in `problems`
        rendered = render_site(root, options or BuildOptions(), problems, timings=Timings(progress))
    if progress:
        progress.finish()
    dead = Problems()
    gone: set[str] = set()
    asked, offline = 0, False
    if external and rendered is not None and rendered.links is not None:
        answers = check_addresses(sorted(rendered.links.external), timeout)
        asked = len(answers)
        offline = bool(answers) and all(a.unreachable for a in answers)
        for answer in answers:
            if answer.dead and not offline:
                gone.add(answer.url)
                rendered.links.warn_dead(answer.url, answer.why, dead)
    # The audit models the content again with its own problem list: cheap, and it works
    # whether or not rendering got that far.
    config = load_config(root, Problems())
    # In the site's first language: the aliases and words its own pages show.
    content = load_content(root, Problems(), None, config.languages, config.untranslated) if config else None
    site = build_site(config, content, Problems()) if config and content else None
    return CheckResult(
        audit(site, gone) if site else None,
        in_order(problems.errors),
        in_order(problems.warnings),
        in_order(dead.warnings),
        asked,
        offline,
    )


Style = Callable[[str, str], str]  # (text, colour) -> text, so this module never prints


@dataclass(frozen=True)
class Marks:
    yes: str
    no: str


UNICODE_MARKS = Marks("\u2713", "\u2717")
ASCII_MARKS = Marks("yes", "no")
_STATUS_COLOUR = {
    "published": "green", "anonymized": "cyan", "private": "blue", "withheld": "magenta", "draft": "yellow",
}  # fmt: skip
_COLUMNS = ("CASE STUDY", "STATUS", "ROLE", "DID", "CREDITS", "SOURCES", "ALT", "COVER", "LINKS")
_OTHER_COLUMNS = 61  # what the columns after the first take, with their gaps


def format_audit(result: Audit, style: Style, marks: Marks = UNICODE_MARKS, width: int = 80) -> list[str]:
    """The audit as aligned lines that fit `width`: a header, one line per case study (with
    a detail line where there is more to say), then the elevator pitch."""
    slug_width = max(16, width - _OTHER_COLUMNS)
    table: list[list[tuple[str, str]]] = [[(c, "") for c in _COLUMNS]]
    details: list[str] = [""]
    for row in result.rows:

        def count(done: int, total: int) -> tuple[str, str]:
            return (f"{done}/{total}", "" if done == total else "yellow") if total else ("-", "")

        credits = (
            str(row.credited)
            if row.credited
            else (f"0 of {row.team_size}", "yellow")
            if row.credits_missing
            else "solo"
        )
        table.append(
            [
                (_cut(row.slug, slug_width), "bold"),
                (row.status, _STATUS_COLOUR.get(row.status, "")),
                (marks.yes, "") if row.role else (marks.no, "red"),
                (str(row.contributions), "") if row.contributions else ("0", "yellow"),
                credits if isinstance(credits, tuple) else (credits, ""),
                count(row.sourced, row.metrics),
                count(row.with_alt, row.images),
                (marks.yes, "") if row.cover else (marks.no, "yellow"),
                count(row.links_ok, row.links),
            ]
        )
        details.append(row.detail)
    widths = [max(len(line[i][0]) for line in table) for i in range(len(_COLUMNS))]
    lines = []
    for i, line in enumerate(table):
        cells = [
            style(text.ljust(widths[j]) if j < len(line) - 1 else text, colour if i else "dim")
            for j, (text, colour) in enumerate(line)
        ]
        lines.append("  ".join(cells).rstrip())
        if details[i]:
            lines.append(" " * (widths[0] + 2) + style(details[i], "dim"))
    if not result.rows:
        lines.append("(no case studies yet: add one with `portfolio new TITLE`)")
    lines.append("")
    if result.pitch_words is None:
        lines.append("Elevator pitch: none (author.pitch): a few lines on who you are help recruiters most")
    else:
        ok = result.pitch_words <= PITCH_WORDS
        verdict = (
            style(f"{marks.yes} under {PITCH_WORDS}", "green")
            if ok
            else style(f"over {PITCH_WORDS}: aim for a minute's read", "yellow")
        )
        lines.append(f"Elevator pitch: {result.pitch_words} words {verdict}")
    return lines


def summary(result: Audit) -> str:
    """`7 case studies: 4 published, 1 anonymized, 1 withheld, 1 draft`."""
    counts = {
        s: sum(1 for r in result.rows if r.status == s)
        for s in ("published", "anonymized", "private", "withheld", "draft")
    }
    total = len(result.rows)
    parts = [f"{n} {s}" if s != "draft" or n == 1 else f"{n} drafts" for s, n in counts.items() if n]
    return f"{total} case stud{'y' if total == 1 else 'ies'}" + (": " + ", ".join(parts) if parts else "")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"
