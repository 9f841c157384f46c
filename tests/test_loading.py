"""Loading: portfolio.yaml and content files into typed models, every SPEC.md field read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import build_errors, run_build, study, write_site
from images import jpeg, png_rgba

from portfolio.config import load_config
from portfolio.content import load_content
from portfolio.errors import Problems

# SPEC.md's case-study example, field for field (the video item is covered in the gallery test).
SPEC_STUDY = """\
---
title: Relaunching {client} on TikTok
date: 2025-03-10
period: {start: 2024-09, end: 2025-02}
summary: From 3k to 41k followers in five months.
kind: agency
employer: Studio Nord
client:
  name: Maison Lune
  industry: Skincare
  url: https://maisonlune.example
  logo: ../images/maison-lune-logo.png
  consent: granted
  consent_note: Email from the marketing director, 2 March 2025
  anonymized_as: A Paris skincare brand
role: Social media strategist (lead)
contributions: [Channel strategy, Copywriting, Paid social buying]
collaborators:
  - {name: Léa Dubois, role: Art direction, url: https://leadubois.example}
  - {name: Hugo Petit, role: Video editing}
team_size: 4
channels: [TikTok, Instagram]
skills: [Community management, Paid social, Analytics]
tags: [beauty, launch]
cover: {src: ../images/maison-lune-cover.jpg, alt: Three TikTok videos side by side}
gallery:
  - src: ../images/ml-1.jpg
    alt: A flat lay of the range
    caption: The launch kit
    credit: "Photo: Léa Dubois"
  - {video: ../media/teaser.mp4, poster: ../images/teaser.jpg, alt: The teaser video}
  - {link: https://www.tiktok.com/@maisonlune/video/1, poster: ../images/tt.jpg, alt: Our best TikTok}
metrics:
  - label: Engagement rate
    before: 1.2
    after: 4.8
    unit: "%"
    source: TikTok Analytics, Sept 2024 vs Feb 2025
    contribution: I wrote and scheduled all 60 videos.
    headline: true
  - label: Cost per click
    before: 0.82
    after: 0.41
    unit: "€"
    better: lower
  - label: Followers
    series: ../data/followers.csv
    x: Date
    y: Followers
    chart: line
  - label: Revenue from social
    value: 18400
    unit: "€"
testimonial:
  quote: Camille rebuilt our community from scratch.
  author: Marie Laurent, Marketing director
  consent: granted
school:
  institution: IUT Lyon 3
  course: Digital marketing, 2nd year
  grade: 17/20
featured: true
unlisted: false
draft: false
slug: maison-lune-tiktok
private_notes: |
  Only for me.
---
Markdown body: context, challenge, what you did, results, what you learned.
"""

FULL_CONFIG = """\
title: Camille Martin · Social media & content
language: fr
base_url: https://camille.example.com/
theme: default
author:
  name: Camille Martin
  headline: Social media manager who turns communities into customers
  pitch: |
    I help **brands** grow.
  location: Lyon, France
  email: camille@example.com
  avatar: content/images/camille.jpg
  resume: content/files/camille-martin-cv.pdf
  links:
    linkedin: https://www.linkedin.com/in/camille-martin
    newsletter: https://camille.substack.com
    malt: https://www.malt.fr/profile/camille
consent:
  pending: anonymize
  denied: withhold
images:
  max_megapixels: 50
social_cards: true
analytics:
  provider: goatcounter
  site: camille
  script: https://stats.example.com/script.js
theme_options:
  accent: "#d94f2b"
_my_notes: anything
"""


def spec_site(root: Path) -> Path:
    images = {
        f"content/images/{n}": jpeg()
        for n in ("maison-lune-cover.jpg", "ml-1.jpg", "teaser.jpg", "tt.jpg", "camille.jpg")
    }
    return write_site(
        root,
        {
            "portfolio.yaml": FULL_CONFIG,
            "content/case-studies/maison-lune.md": SPEC_STUDY,
            "content/images/maison-lune-logo.png": png_rgba(),
            "content/media/teaser.mp4": b"\x00\x00\x00\x18ftypmp42",
            "content/data/followers.csv": "Date,Followers\n2024-09-01,3100\n2024-12-01,12 400\n"
            "2025-02-01,41230\n",
            "content/files/camille-martin-cv.pdf": b"%PDF-1.4 test cv",
            **images,
        },
    )


def test_config_reads_every_field(tmp_path: Path) -> None:
    root = spec_site(tmp_path)
    problems = Problems()
    cfg = load_config(root, problems)
    assert problems.errors == []
    assert cfg is not None
    assert cfg.title == "Camille Martin · Social media & content"
    assert cfg.language == "fr" and cfg.base_url == "https://camille.example.com/"
    assert cfg.author.avatar == (root / "content/images/camille.jpg").resolve()
    assert cfg.author.resume == (root / "content/files/camille-martin-cv.pdf").resolve()
    assert [(link.name, link.known) for link in cfg.author.links] == [
        ("linkedin", True),
        ("newsletter", True),
        ("malt", True),
    ]
    assert cfg.consent.pending == "anonymize" and cfg.consent.denied == "withhold"
    assert cfg.max_megapixels == 50 and cfg.social_cards is True
    assert cfg.analytics is not None and cfg.analytics.provider == "goatcounter"
    assert cfg.theme_options["accent"] == "#d94f2b"


def test_case_study_reads_every_field(tmp_path: Path) -> None:
    root = spec_site(tmp_path)
    problems = Problems()
    content = load_content(root, problems)
    assert problems.errors == []
    (s,) = content.case_studies
    assert s.title == "Relaunching {client} on TikTok"  # substituted later, by consent
    assert s.date == dt.date(2025, 3, 10)
    assert s.period is not None and s.period.start == dt.date(2024, 9, 1)
    assert s.period.end == dt.date(2025, 2, 1)
    assert s.kind == "agency" and s.employer == "Studio Nord"
    assert s.client is not None and s.client.name == "Maison Lune"
    assert s.client.industry == "Skincare" and s.client.url == "https://maisonlune.example"
    assert s.client.logo is not None and s.client.consent == "granted"
    assert s.client.anonymized_as == "A Paris skincare brand"
    assert s.role == "Social media strategist (lead)"
    assert s.contributions == ("Channel strategy", "Copywriting", "Paid social buying")
    assert [(c.name, c.role, c.url) for c in s.collaborators] == [
        ("Léa Dubois", "Art direction", "https://leadubois.example"),
        ("Hugo Petit", "Video editing", None),
    ]
    assert s.team_size == 4 and s.channels == ("TikTok", "Instagram")
    assert s.skills == ("Community management", "Paid social", "Analytics")
    assert s.tags == ("beauty", "launch")
    assert s.cover is not None and s.cover.alt == "Three TikTok videos side by side"
    assert [g.kind for g in s.gallery] == ["image", "video", "link"]
    assert s.gallery[0].image is not None and s.gallery[0].image.credit == "Photo: Léa Dubois"
    kinds = [(m.label, m.kind) for m in s.metrics]
    assert kinds == [
        ("Engagement rate", "change"),
        ("Cost per click", "change"),
        ("Followers", "series"),
        ("Revenue from social", "value"),
    ]
    assert s.metrics[0].headline and s.metrics[1].better == "lower"
    assert [p.y for p in s.metrics[2].points] == [3100, 12400, 41230]
    assert s.testimonial is not None and s.testimonial.consent == "granted"
    assert s.school is not None and s.school.grade == "17/20"
    assert s.featured and not s.unlisted and not s.draft
    assert s.slug == "maison-lune-tiktok"
    assert "private_notes" not in repr(s) and "Only for me" not in repr(s)
    assert "2 March 2025" not in repr(s)  # consent_note is checked, never kept


def test_every_field_is_shown_where_it_belongs(tmp_path: Path) -> None:
    root = spec_site(tmp_path)
    run_build(root)
    html = (root / "output/etudes-de-cas/maison-lune-tiktok/index.html").read_text()
    for shown in (
        "Relaunching Maison Lune on TikTok",
        "From 3k to 41k followers",
        "Studio Nord",
        "Skincare",
        "https://maisonlune.example",
        "Social media strategist (lead)",
        "Channel strategy",
        "Léa Dubois",
        "Art direction",
        "https://leadubois.example",
        "Hugo Petit",
        "TikTok",
        "Community management",
        "beauty",
        "Three TikTok videos side by side",
        "The launch kit",
        "Photo\u202f: Léa Dubois",  # a French site: French typography in the user's text
        "https://www.tiktok.com/@maisonlune/video/1",
        "Engagement rate",
        "4,8\u202f%",
        "1,2\u202f%",
        "+3,6\u00a0pts",
        "Cost per click",
        "0,41\u00a0€",
        "Followers",
        "41\u202f230",
        "Revenue from social",
        "18\u202f400\u00a0€",
        "TikTok Analytics, Sept 2024\u00a0vs Feb 2025",
        "I wrote and scheduled all 60\u00a0videos.",
        "Camille rebuilt our community",
        "Marie Laurent",
        "IUT Lyon 3",
        "Digital marketing, 2nd year",
        "17/20",
        "Markdown body",
        "sept.\u00a02024",  # French dates hold together
        "févr.\u00a02025",
    ):
        assert shown in html, shown
    for private in ("Only for me", "2 March 2025", "A Paris skincare brand"):
        assert private not in html
    home = (root / "output/index.html").read_text()
    assert "Relaunching Maison Lune on TikTok" in home  # featured
    assert "4,8\u202f%" in home  # the headline metric on the card
    assert "files/camille-martin-cv.pdf" in home
    assert "https://www.malt.fr/profile/camille" in home and "Malt" in home


def test_folders_and_subfolders(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/2024/old-work.md": study(),
            "content/case-studies/maison-lune/index.md": study(title="Folder study"),
            "content/case-studies/maison-lune/notes.md": "not a page, no front matter",
            "content/case-studies/.hidden.md": "junk",
            "content/case-studies/draft.md~": "junk",
            "content/pages/about.md": "---\ntitle: About\n---\nHello",
        },
    )
    run_build(root)
    out = root / "output"
    assert (out / "case-studies/old-work/index.html").is_file()
    assert (out / "case-studies/maison-lune/index.html").is_file()
    assert (out / "about/index.html").is_file()
    assert not (out / "case-studies/notes").exists()


def test_kind_defaults(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/a.md": study(front="client: {name: Acme, consent: granted}"),
            "content/case-studies/b.md": study(title="B"),
        },
    )
    problems = Problems()
    content = load_content(root, problems)
    kinds = {s.slug: s.kind for s in content.case_studies}
    assert kinds == {"a": "client", "b": "personal"}


def test_site_with_no_case_study_builds(tmp_path: Path) -> None:
    root = write_site(tmp_path, {})
    result = run_build(root)
    assert (root / "output/index.html").is_file()
    assert result.published == 0


def test_parsed_yaml_survives_its_json_form_with_every_line() -> None:
    """The front-matter cache keeps the parse as JSON: values, types, lines of keys and items
    and duplicate keys come back exactly (floats such as inf, nan and -0.0 included)."""
    import math

    from portfolio.yamlfile import from_plain, load, to_plain

    text = (
        "title: A study\ndate: 2025-03-10\nat: 2025-03-10 10:20:30+01:00\nratio: -0.0\nbig: .inf\n"
        "odd: .nan\n2: two\ntrue: yes\nnothing:\nlist:\n  - 1\n  - [a, {b: 2.5}]\n"
        "title: again\nempty: {}\n"
    )
    data = load(text, 1)
    back = from_plain(json.loads(json.dumps(to_plain(data))))

    def same(a: object, b: object) -> bool:
        if isinstance(a, float) and isinstance(b, float):
            return (math.isnan(a) and math.isnan(b)) or (
                a == b and math.copysign(1, a) == math.copysign(1, b)
            )
        if isinstance(a, dict) and isinstance(b, dict):
            return (
                type(a) is type(b)
                and list(a) == list(b)
                and all(same(a[k], b[k]) for k in a)
                and a.line == b.line  # type: ignore[attr-defined]
                and a.key_lines == b.key_lines  # type: ignore[attr-defined]
                and a.duplicates == b.duplicates  # type: ignore[attr-defined]
            )
        if isinstance(a, list) and isinstance(b, list):
            return (
                type(a) is type(b)
                and len(a) == len(b)
                and all(map(same, a, b))
                and (a.line, a.item_lines) == (b.line, b.item_lines)  # type: ignore[attr-defined]
            )
        return type(a) is type(b) and a == b

    assert same(data, back)
    assert data.duplicates == [("title", 14)] and data.key_lines[2] == 8


def test_a_set_is_not_kept_as_json() -> None:
    from portfolio.yamlfile import NotPlain, load, to_plain

    with pytest.raises(NotPlain):
        to_plain(load("tags: !!set {a, b}\n"))


def test_a_content_folder_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    """`content/case-studies` saved as a file (not a folder) built a site with no work and no
    word about it."""
    root = write_site(tmp_path, {"content/pages/about.md": "---\ntitle: About\n---\n"})
    (root / "content/case-studies").write_text("title: oops\n")
    assert build_errors(root).splitlines()[:2] == [
        "content/case-studies: is not a folder, so nothing in it can be read",
        "  hint: make case-studies/ a folder and put the Markdown files in it",
    ]
