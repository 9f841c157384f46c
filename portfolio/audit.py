"""The audit: what each case study publishes and what it lacks (pure).

`audit` turns the site model into one row per case study; `warn` adds the gaps that are
warnings to a build's problems, so `build` and `check` say the same.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .content import CaseStudy, ImageRef
from .errors import Problems
from .links import malformed
from .locale import CURRENCIES
from .metric_model import Metric
from .site import Site


@dataclass(frozen=True)
class Row:
    """One case study, as the audit sees it."""

    slug: str
    status: str  # published | anonymized | private | withheld | draft
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
    links: int = 0  # links the case study writes: its body, client, credits, gallery
    links_ok: int = 0  # ...that lead somewhere (not shown as text, well formed, not dead)

    @property
    def credits_missing(self) -> bool:
        return _uncredited(self.team_size, self.credited)


@dataclass(frozen=True)
class Audit:
    rows: tuple[Row, ...]
    pitch_words: int | None  # None: no pitch


def audit(site: Site, dead: Collection[str] = ()) -> Audit:
    """One row per case study read, published or not, newest first; `dead`: outside
    addresses `check --external` found gone."""
    rows = []
    targets = site.link_targets()
    studies = sorted(site.all_studies, key=lambda s: (s.date, s.title), reverse=True)
    for study in studies:
        decision = site.decisions.get(study.source)
        status = decision.status if decision else "withheld"
        detail = decision.reason if decision and status == "withheld" else ""
        if status == "anonymized" and study.client:
            detail = f"as \u201c{study.client.anonymized_as or '?'}\u201d"
        if status == "private":
            detail = f"behind the password in {study.password_env}"
            if study.client and decision and decision.shown == "anonymized":
                detail += f", as \u201c{study.client.anonymized_as or '?'}\u201d"
        if study.draft and status != "withheld":
            status, detail = "draft", "build leaves it out"
        elif study.unlisted and status != "withheld":
            detail = (detail + ", " if detail else "") + "unlisted"
        quote = study.testimonial
        if quote and quote.consent != "granted" and status in ("published", "anonymized", "private"):
            detail = (detail + ", " if detail else "") + f"quote left out (consent {quote.consent})"
        images = _images(study)
        links = _links(study, site, targets, dead, status == "anonymized")
        rows.append(
            Row(
                slug=study.slug,
                status=status,
                detail=detail,
                role=bool(study.role),
                contributions=len(study.contributions),
                credited=len(study.collaborators),
                team_size=study.team_size,
                metrics=len(study.metrics),
                sourced=sum(1 for m in study.metrics if m.source),
                images=len(images),
                with_alt=sum(1 for i in images if i.alt),
                cover=bool(study.cover),
                links=len(links),
                links_ok=sum(links),
            )
        )
    pitch = site.config.author.pitch
    return Audit(tuple(rows), len(pitch.split()) if pitch else None)


# Markdown links, reference definitions and <autolinks>, outside code.
_CODE = re.compile(r"^(`{3,}|~{3,}).*?^\1|`[^`\n]+`", re.M | re.S)
_INLINE_LINK = re.compile(r"(?<!!)\[(?:[^\[\]\n]|\[[^\]\n]*\])*\]\(\s*<?([^)\s>]+)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)", re.M)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")


def _links(
    study: CaseStudy, site: Site, targets: dict[Path, str], dead: Collection[str], anonymized: bool
) -> list[bool]:
    """Whether each link the case study writes leads somewhere: a Markdown link to a page that
    is published, an outside address that is well formed (and not found dead)."""
    body = _CODE.sub("", study.body)
    found = [m[1] for pattern in (_INLINE_LINK, _REFERENCE, _AUTOLINK) for m in pattern.finditer(body)]
    if study.client and study.client.url and not anonymized:  # an alias has no address
        found.append(study.client.url)
    found += [c.url for c in study.collaborators if c.url]
    found += [g.link for g in study.gallery if g.link]
    content = site.config.content_dir
    ok = []
    for address in found:
        parts = urlsplit(address)
        if parts.scheme in ("http", "https"):
            ok.append(not malformed(address) and address.split("#")[0] not in dead)
        elif not parts.scheme and parts.path.lower().endswith(".md"):
            path = unquote(parts.path)
            base = content / path.lstrip("/") if path.startswith("/") else study.path.parent / path
            ok.append(base.resolve() in targets)
        else:
            ok.append(True)  # a file, an anchor, mailto: the build checks those
    return ok


def _images(study: CaseStudy) -> list[ImageRef]:
    refs = [study.cover, *(item.image for item in study.gallery)]
    return [r for r in refs if r is not None]


def warn(site: Site, problems: Problems) -> None:
    """The audit's warnings for the work that is published (missing alt text and a long
    pitch are reported where they are read)."""
    for study in (*site.studies, *(p.study for p in site.protected)):
        if _uncredited(study.team_size, len(study.collaborators)):
            problems.warn(
                study.source,
                f"a team of {study.team_size}, but no collaborator is named",
                study.lines.get("team_size"),
                "collaborators",
                hint="credit the people you worked with: collaborators: [{name: ..., role: ...}]",
            )
        for i, metric in enumerate(study.metrics):
            if _small_base(metric):
                problems.warn(
                    study.source,
                    f"a change from {metric.before:g} is a small base "
                    "for a count: a relative change from it overstates the result",
                    metric.line,
                    f"metrics[{i}].before",
                    hint="readers trust absolute figures here; make sure the page "
                    "shows them (leave out `confidential`), or pick a bigger "
                    "base such as a longer period",
                )
            if not metric.source:
                problems.warn(
                    study.source,
                    "no source: say where the figure comes from (tool, dates)",
                    metric.line,
                    f"metrics[{i}].source",
                    hint='e.g. source: "TikTok Analytics, Sept 2024 vs Feb 2025"',
                )


def _uncredited(team_size: int | None, credited: int) -> bool:
    """Worked in a team, credited nobody: the one thing a hiring manager must not see."""
    return (team_size or 1) > 1 and credited == 0


# A count that starts this low makes any relative change look huge (+400 % on 5 clicks).
SMALL_BASE = 20


# Units that measure rather than count: points, scores and grades (`/20`), ratios (`x`),
# durations. A change from 4 of these is not a count's small base.
_MEASURES = {"pt", "pts", "point", "points", "x", "h", "min", "mn", "s", "ms", "sec", "j", "jours", "days",
             "heures", "hours", "minutes", "secondes", "seconds", "étoiles", "stars", "★"}  # fmt: skip


def _counted(unit: str | None) -> bool:
    """Whether figures in `unit` are counts: no unit, or a word such as `followers`; not a
    percentage, a currency, a scale (`/20`) or a measure (`pts`, `h`)."""
    if unit is None:
        return True
    word = unit.strip()
    return bool(word) and word[0].isalpha() and word not in CURRENCIES and word.lower() not in _MEASURES


def _small_base(metric: Metric) -> bool:
    counted = _counted(metric.unit)
    # Counts are whole numbers: 1.9 (a ratio such as ROAS) is not one.
    return (
        metric.kind == "change"
        and counted
        and metric.before is not None
        and float(metric.before).is_integer()
        and 0 < abs(metric.before) < SMALL_BASE
    )
