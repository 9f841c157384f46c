"""The audit behind `portfolio check`: what each case study publishes and what it lacks.

`audit` turns the site model into one row per case study (pure data); `warn` adds the
warnings the audit finds to a build's problems, so `build` and `check` say the same;
`format_audit` lays the rows out as text for the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .config import PITCH_WORDS
from .content import CaseStudy, ImageRef
from .errors import Problems
from .site import Site


@dataclass(frozen=True)
class Row:
    """One case study, as the audit sees it."""

    source: str
    slug: str
    status: str  # published | anonymized | withheld | draft
    detail: str  # the alias, why it is withheld, "unlisted"...
    role: bool
    contributions: int
    credited: int  # collaborators named
    team_size: int | None
    metrics: int
    sourced: int  # metrics with a source
    images: int
    with_alt: int
    cover: bool

    @property
    def credits_missing(self) -> bool:
        return (self.team_size or 1) > 1 and self.credited == 0


@dataclass(frozen=True)
class Audit:
    rows: tuple[Row, ...]
    pitch_words: int | None  # None: no pitch


def audit(site: Site) -> Audit:
    """One row per case study read, published or not, newest first."""
    rows = []
    studies = sorted(site.all_studies, key=lambda s: (s.date, s.title), reverse=True)
    for study in studies:
        decision = site.decisions.get(study.source)
        status = decision.status if decision else "withheld"
        detail = decision.reason if decision and status == "withheld" else ""
        if status == "anonymized" and study.client:
            detail = f"as \u201c{study.client.anonymized_as or '?'}\u201d"
        if study.draft and status != "withheld":
            status, detail = "draft", "build leaves it out"
        elif study.unlisted and status != "withheld":
            detail = (detail + ", " if detail else "") + "unlisted"
        images = _images(study)
        rows.append(Row(
            source=study.source, slug=study.slug, status=status, detail=detail,
            role=bool(study.role), contributions=len(study.contributions),
            credited=len(study.collaborators), team_size=study.team_size,
            metrics=len(study.metrics), sourced=sum(1 for m in study.metrics if m.source),
            images=len(images), with_alt=sum(1 for i in images if i.alt), cover=bool(study.cover),
        ))
    pitch = site.config.author.pitch
    return Audit(tuple(rows), len(pitch.split()) if pitch else None)


def _images(study: CaseStudy) -> list[ImageRef]:
    refs = [study.cover, *(item.image for item in study.gallery)]
    return [r for r in refs if r is not None]


def warn(site: Site, problems: Problems) -> None:
    """The audit's warnings for the work that is published (missing alt text and a long
    pitch are reported where they are read)."""
    for study in site.studies:
        if (study.team_size or 1) > 1 and not study.collaborators:
            problems.warn(study.source, f"a team of {study.team_size}, but no collaborator is "
                          "named", study.lines.get("team_size"), "collaborators",
                          hint="credit the people you worked with: "
                               "collaborators: [{name: ..., role: ...}]")
        for i, metric in enumerate(study.metrics):
            if not metric.source:
                problems.warn(study.source, "no source: say where the figure comes from "
                              "(tool, dates)", metric.line, f"metrics[{i}].source",
                              hint='e.g. source: "TikTok Analytics, Sept 2024 vs Feb 2025"')


# -- the report ---------------------------------------------------------------------------

Style = Callable[[str, str], str]  # (text, colour) -> text, so this module never prints


@dataclass(frozen=True)
class Marks:
    yes: str
    no: str


UNICODE_MARKS = Marks("\u2713", "\u2717")
ASCII_MARKS = Marks("yes", "no")
_STATUS_COLOUR = {"published": "green", "anonymized": "cyan", "withheld": "magenta",
                  "draft": "yellow"}
_COLUMNS = ("CASE STUDY", "STATUS", "ROLE", "DID", "CREDITS", "SOURCES", "ALT", "COVER")
_OTHER_COLUMNS = 54  # what the columns after the first take, with their gaps


def format_audit(result: Audit, style: Style, marks: Marks = UNICODE_MARKS,
                 width: int = 80) -> list[str]:
    """The audit as aligned lines that fit `width`: a header, one line per case study (with
    a detail line where there is more to say), then the elevator pitch."""
    slug_width = max(16, width - _OTHER_COLUMNS)
    table: list[list[tuple[str, str]]] = [[(c, "") for c in _COLUMNS]]
    details: list[str] = [""]
    for row in result.rows:
        def count(done: int, total: int) -> tuple[str, str]:
            return (f"{done}/{total}", "" if done == total else "yellow") if total else ("-", "")
        credits = (str(row.credited) if row.credited else
                   (f"0 of {row.team_size}", "yellow") if row.credits_missing else "solo")
        table.append([
            (_cut(row.slug, slug_width), "bold"),
            (row.status, _STATUS_COLOUR.get(row.status, "")),
            (marks.yes, "") if row.role else (marks.no, "red"),
            (str(row.contributions), "") if row.contributions else ("0", "yellow"),
            credits if isinstance(credits, tuple) else (credits, ""),
            count(row.sourced, row.metrics),
            count(row.with_alt, row.images),
            (marks.yes, "") if row.cover else (marks.no, "yellow"),
        ])
        details.append(row.detail)
    widths = [max(len(line[i][0]) for line in table) for i in range(len(_COLUMNS))]
    lines = []
    for i, line in enumerate(table):
        cells = [style(text.ljust(widths[j]) if j < len(line) - 1 else text,
                       colour if i else "dim") for j, (text, colour) in enumerate(line)]
        lines.append("  ".join(cells).rstrip())
        if details[i]:
            lines.append(" " * (widths[0] + 2) + style(details[i], "dim"))
    if not result.rows:
        lines.append("(no case studies yet: add one with `portfolio new TITLE`)")
    lines.append("")
    if result.pitch_words is None:
        lines.append("Elevator pitch: none (author.pitch): a few lines on who you are help "
                     "recruiters most")
    else:
        ok = result.pitch_words <= PITCH_WORDS
        verdict = (style(f"{marks.yes} under {PITCH_WORDS}", "green") if ok else
                   style(f"over {PITCH_WORDS}: aim for a minute's read", "yellow"))
        lines.append(f"Elevator pitch: {result.pitch_words} words {verdict}")
    return lines


def summary(result: Audit) -> str:
    """`7 case studies: 4 published, 1 anonymized, 1 withheld, 1 draft`."""
    counts = {s: sum(1 for r in result.rows if r.status == s)
              for s in ("published", "anonymized", "withheld", "draft")}
    total = len(result.rows)
    parts = [f"{n} {s}" if s != "draft" or n == 1 else f"{n} drafts"
             for s, n in counts.items() if n]
    return f"{total} case stud{'y' if total == 1 else 'ies'}" + (": " + ", ".join(parts)
                                                                  if parts else "")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"
