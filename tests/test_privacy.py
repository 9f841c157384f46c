"""Private fields, drafts and work without consent never reach any output byte."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from conftest import CONFIG, output_bytes, run_build, study, write_site
from images import jpeg

from portfolio.build import BuildOptions
from portfolio.errors import Problems
from portfolio.recipe import render_site


def folded(data: bytes) -> str:
    """Letters and digits only, case folded: a sentinel is found in any spelling."""
    text = html.unescape(data.decode("utf-8", "replace"))
    return "".join(c for c in text.casefold() if c.isalnum())


# Every private place SPEC.md names: private_notes, consent_note, and `_` keys anywhere.
PRIVATE_SITE = {
    "portfolio.yaml": CONFIG.replace(
        "  email: test@example.com\n",
        """\
  email: test@example.com
  _aside: SENTINEL-AUTHOR-NOTE
  links:
    linkedin: https://www.linkedin.com/in/test
    _old: SENTINEL-LINK-NOTE
""",
    )
    + """\
_notes: SENTINEL-CONFIG-NOTE
consent: {pending: anonymize, _why: SENTINEL-POLICY-NOTE}
images: {max_megapixels: 40, _x: SENTINEL-IMAGES-NOTE}
theme_options: {accent: "#224466", _idea: SENTINEL-OPTION-NOTE}
""",
    "content/case-studies/x.md": study(
        front="""\
client:
  name: Acme
  consent: granted
  consent_note: SENTINEL-CONSENT-NOTE
  _who: SENTINEL-NESTED-NOTE
_todo: SENTINEL-UNDERSCORE-KEY
period: {start: 2024-01, _x: SENTINEL-PERIOD-NOTE}
collaborators:
  - {name: Ana, role: Design, _paid: SENTINEL-COLLABORATOR-NOTE}
cover: {src: ../images/c.jpg, alt: A cover, _from: SENTINEL-COVER-NOTE}
gallery:
  - {src: ../images/c.jpg, alt: A photo, _x: SENTINEL-GALLERY-NOTE}
metrics:
  - {label: Reach, value: 10, source: Meta, _calc: SENTINEL-METRIC-NOTE}
testimonial: {quote: Great, author: Bo, consent: granted, _x: SENTINEL-QUOTE-NOTE}
school: {institution: IUT, _x: SENTINEL-SCHOOL-NOTE}
private_notes: |
  SENTINEL-PRIVATE-NOTES
"""
    ),
    "content/case-studies/anon.md": study(
        title="For {client}",
        slug="anon-work",
        front="""\
client:
  name: SENTINEL-HIDDEN-CLIENT
  url: https://sentinel-hidden-url.example
  consent: pending
  consent_note: SENTINEL-ANON-CONSENT-NOTE
  anonymized_as: A bank
private_notes: SENTINEL-ANON-PRIVATE
""",
    ),
    "content/pages/about.md": "---\ntitle: About\n_todo: SENTINEL-PAGE-NOTE\n---\nHi.\n",
    "content/pages/wip.md": "---\ntitle: SENTINEL-DRAFT-PAGE\ndraft: true\n---\n",
}


@pytest.mark.parametrize("preview", [False, True], ids=["build", "serve-preview"])
def test_private_fields_never_reach_the_output(tmp_path: Path, preview: bool) -> None:
    root = write_site(tmp_path, {**PRIVATE_SITE, "content/images/c.jpg": jpeg()})
    if preview:  # what `serve` renders: drafts too, and still no private field
        rendered = render_site(root.resolve(), BuildOptions(), Problems(), drafts=True)
        everything = b"".join(
            k.encode() + b"\n" + (v if isinstance(v, bytes) else b"") for k, v in rendered.files.items()
        )
    else:
        run_build(root)
        everything = output_bytes(root / "output")
    assert b"Acme" in everything and b"A bank" in everything  # the pages are published
    text = folded(everything)
    sentinels = [
        line.split("SENTINEL-", 1)[1].split()[0].rstrip('"}')
        for source in PRIVATE_SITE.values()
        for line in source.splitlines()
        if "SENTINEL-" in line and "DRAFT" not in line
    ]
    assert len(sentinels) == 21
    sentinels.append("HIDDEN-URL")
    for sentinel in sentinels:
        assert folded(("sentinel" + sentinel).encode()) not in text, sentinel
    assert ("sentineldraftpage" in text) == preview


def test_drafts_are_never_built(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/images/d.jpg": jpeg(colour=(9, 9, 9)),
            "content/case-studies/draft.md": study(
                title="DRAFTSENTINEL",
                front="draft: true\nskills: [Draftskill]\nfeatured: true\n"
                "cover: {src: ../images/d.jpg, alt: D}",
            ),
            "content/case-studies/real.md": study(title="Real"),
            "content/pages/wip.md": "---\ntitle: WIPSENTINEL\ndraft: true\n---\n",
        },
    )
    run_build(root)
    everything = output_bytes(root / "output")
    for word in (
        b"DRAFTSENTINEL",
        b"Draftskill",
        b"draftskill",
        b"WIPSENTINEL",
        b"draft/",
        b"wip/",
        b"images/d-",
    ):
        assert word not in everything, word
    assert b"Real" in everything


def test_testimonial_needs_its_own_consent(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x.md": study(
                front="""\
client: {name: Acme, consent: granted}
testimonial: {quote: QUOTESENTINEL, author: Q Person, consent: pending}
"""
            )
        },
    )
    run_build(root)
    assert b"QUOTESENTINEL" not in output_bytes(root / "output")


def test_unlisted_is_reachable_but_in_no_list(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/secret.md": study(
                title="UNLISTEDWORK", front="unlisted: true\nskills: [Rare]\nfeatured: true"
            ),
            "content/case-studies/open.md": study(title="Open"),
        },
    )
    run_build(root)
    out = root / "output"
    page = (out / "case-studies/secret/index.html").read_text()
    assert '<meta name="robots" content="noindex">' in page
    for name in (
        "index.html",
        "case-studies/index.html",
        "results/index.html",
        "sitemap.xml",
        "feed.xml",
        "case-studies/open/index.html",
    ):
        text = (out / name).read_text()
        assert "UNLISTEDWORK" not in text and "case-studies/secret" not in text, name
    assert not (out / "case-studies/skill/rare").exists()
