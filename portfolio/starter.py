"""`portfolio init` and `portfolio new`: a starter site and a case study with every field."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from .errors import PortfolioError, UsageProblem
from .slugs import slugify

STARTER = Path(__file__).resolve().parent / "starter"
# (file, two gradient colours) for the starter's placeholder pictures.
_PICTURES = {
    "avatar.jpg": ((29, 78, 216), (236, 72, 153)),
    "spring-launch.jpg": ((251, 207, 232), (196, 181, 253)),
    "school-rebrand.jpg": ((254, 215, 170), (180, 83, 9)),
    "newsletter.jpg": ((186, 230, 253), (30, 64, 175)),
}


def create_site(target: Path) -> None:
    """Copy the starter site into `target`, which must be empty or absent."""
    if target.exists() and not target.is_dir():
        raise UsageProblem(f"{target} is a file; give `portfolio init` a new or empty folder")
    if target.is_dir() and any(p.name != ".git" for p in target.iterdir()):  # a fresh repo is fine
        raise UsageProblem(f"{target} is not empty; `portfolio init` only writes into an empty or new folder")
    try:
        shutil.copytree(
            STARTER, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
        images = target / "content" / "images"
        images.mkdir(parents=True, exist_ok=True)
        for name, colours in _PICTURES.items():
            _picture(images / name, *colours, square=name == "avatar.jpg")
        (target / ".gitignore").write_text("/output/\n.portfolio-cache/\n", encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"cannot create {target}: {exc.strerror}") from None


def _picture(path: Path, top: tuple[int, int, int], bottom: tuple[int, int, int], square: bool) -> None:
    """A soft diagonal gradient: a placeholder the user replaces with real work."""
    from PIL import Image

    size = (800, 800) if square else (1600, 1000)
    ramp = Image.linear_gradient("L").rotate(45, expand=True).resize(size)
    im = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), ramp)
    im.save(path, "JPEG", quality=85)


def new_case_study(root: Path, title: str, kind: str) -> Path:
    """Write content/case-studies/SLUG.md with every field present and explained."""
    slug = slugify(title)
    if not slug:
        raise UsageProblem("the title needs at least one letter or digit")
    path = root / "content" / "case-studies" / f"{slug}.md"
    if path.exists() or (path.parent / slug / "index.md").exists():
        raise PortfolioError(
            f"{path.relative_to(root)} already exists; choose another title (portfolio new never overwrites)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    has_client = kind in ("client", "agency", "freelance", "volunteer")
    text = _TEMPLATE.format(
        title=_quote(title),
        date=dt.date.today().isoformat(),
        kind=kind,
        client=_CLIENT if has_client else _NO_CLIENT,
        school=_SCHOOL if kind == "school" else _NO_SCHOOL,
        employer="employer: Studio Nord  # optional: the agency or company you worked for"
        if kind == "agency"
        else "# employer: Studio Nord  # optional: the company you worked for",
    )
    path.write_text(text, encoding="utf-8")
    return path


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_CLIENT = """client:               # who the work was for
  name: Client name
  industry: Industry
  # url: https://client.example
  # logo: ../images/client-logo.png
  consent: pending    # granted | pending | denied: ask the client before you publish
  consent_note: ""    # PRIVATE, never published: how and when the client answered
  anonymized_as: A client in its industry   # shown instead of the name until consent is granted"""
_NO_CLIENT = """# client:             # optional for school and personal work (a real brief from a company)
#   name: Client name
#   consent: pending"""
_SCHOOL = """school:
  institution: Your school
  course: Your course and year
  # grade: 17/20"""
_NO_SCHOOL = """# school: {institution: ..., course: ..., grade: ...}   # for kind: school"""

_TEMPLATE = """---
# A new case study. It is a draft: `portfolio build` skips it until you set draft: false.
# Write {{client}} wherever the client's name goes: it becomes the name, or the alias
# below while the client has not agreed to be named.
title: {title}       # required
date: {date}                       # required: for sorting and display
# period: {{start: 2024-09, end: 2025-02}}   # optional; no end means ongoing
summary: One sentence with the result that matters.   # required, at most 200 characters
kind: {kind}          # client | agency | freelance | volunteer | personal | school
{employer}
{client}
role: Your role in this project   # required: what YOU did, e.g. Social media strategist (lead)
contributions: [Strategy, Copywriting]          # what you did, item by item
collaborators:                                  # credit the team: names and roles
  - {{name: First Last, role: Art direction}}
team_size: 2
channels: [Instagram]                           # TikTok, LinkedIn, Email, SEO...
skills: [Content strategy]                      # the skills this work shows
tags: []                                        # free topics
# cover: {{src: ../images/cover.jpg, alt: What the picture shows}}
# gallery:
#   - {{src: ../images/shot-1.jpg, alt: ..., caption: ..., credit: "Photo: ..."}}
#   - {{link: https://www.tiktok.com/@account/video/1, poster: ../images/poster.jpg, alt: ...}}
metrics:                                        # results, each with where it came from
  - label: Engagement rate
    before: 1.2
    after: 2.4
    unit: "%"
    source: Where the number comes from (tool, period)
    contribution: What you did to move it
    headline: true                              # the metric shown on cards
# testimonial: {{quote: ..., author: "Name, Title", consent: pending}}
{school}
featured: false       # shown on the home page
unlisted: false       # reachable by URL only: work shown on request
draft: true           # set to false to publish
# slug: a-custom-url   # optional: the page's URL name
private_notes: |      # PRIVATE: never published
  Notes for yourself.
---
## Context

Who was it for, and what was the situation?

## Challenge

What needed to change?

## What I did

Your part, step by step. Credit the others for theirs.

## Results

What changed, and how you know.

## What I learned

One thing you would do again, one you would do differently.
"""
