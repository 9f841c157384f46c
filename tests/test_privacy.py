"""Private fields, drafts and work without consent never reach any output byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CONFIG, output_bytes, run_build, study, write_site
from images import jpeg

SENTINELS = ("SENTINEL-PRIVATE-NOTES", "SENTINEL-CONSENT-NOTE", "SENTINEL-UNDERSCORE-KEY",
             "SENTINEL-CONFIG-NOTE", "SENTINEL-NESTED-NOTE")


def test_private_fields_never_reach_the_output(tmp_path: Path) -> None:
    root = write_site(tmp_path, {
        "portfolio.yaml": CONFIG + "_notes: SENTINEL-CONFIG-NOTE\n",
        "content/case-studies/x.md": study(front="""\
client:
  name: Acme
  consent: granted
  consent_note: SENTINEL-CONSENT-NOTE
  _who: SENTINEL-NESTED-NOTE
_todo: SENTINEL-UNDERSCORE-KEY
private_notes: |
  SENTINEL-PRIVATE-NOTES
"""),
    })
    run_build(root)
    everything = output_bytes(root / "output")
    assert b"Acme" in everything  # the page itself is published
    for sentinel in SENTINELS:
        assert sentinel.encode() not in everything, sentinel
        assert sentinel.lower().encode() not in everything.lower(), sentinel


def test_drafts_are_never_built(tmp_path: Path) -> None:
    root = write_site(tmp_path, {
        "content/images/d.jpg": jpeg(colour=(9, 9, 9)),
        "content/case-studies/draft.md": study(
            title="DRAFTSENTINEL", front="draft: true\nskills: [Draftskill]\nfeatured: true\n"
                                         "cover: {src: ../images/d.jpg, alt: D}"),
        "content/case-studies/real.md": study(title="Real"),
        "content/pages/wip.md": "---\ntitle: WIPSENTINEL\ndraft: true\n---\n",
    })
    run_build(root)
    everything = output_bytes(root / "output")
    for word in (b"DRAFTSENTINEL", b"Draftskill", b"draftskill", b"WIPSENTINEL", b"draft/",
                 b"wip/", b"images/d-"):
        assert word not in everything, word
    assert b"Real" in everything


@pytest.mark.parametrize("consent", ["pending", "denied"])
def test_work_without_consent_leaves_no_trace(tmp_path: Path, consent: str) -> None:
    root = write_site(tmp_path, {
        "content/images/hidden-cover.jpg": jpeg(colour=(1, 1, 1)),
        "content/case-studies/hidden.md": study(
            title="Growth for {client}", slug="hidden-work",
            front=f"""\
client: {{name: Zyxcorp, consent: {consent}, anonymized_as: A bank}}
skills: [Onlyhiddenskill]
channels: [Onlyhiddenchannel]
featured: true
cover: {{src: ../images/hidden-cover.jpg, alt: Zyxcorp billboard}}
metrics:
  - {{label: Zyx metric, value: 123456}}
"""),
        "content/case-studies/shown.md": study(title="Shown work"),
    })
    result = run_build(root)
    everything = output_bytes(root / "output").lower()
    for word in (b"zyxcorp", b"a bank", b"onlyhiddenskill", b"onlyhiddenchannel",
                 b"hidden-work", b"hidden-cover", b"123456", b"123,456", b"zyx metric"):
        assert word not in everything, word
    assert result.published == 1 and len(result.held_back) == 1
    listing = (root / "output/case-studies/index.html").read_text()
    assert "1 case study" in listing


def test_testimonial_needs_its_own_consent(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/case-studies/x.md": study(front="""\
client: {name: Acme, consent: granted}
testimonial: {quote: QUOTESENTINEL, author: Q Person, consent: pending}
""")})
    run_build(root)
    assert b"QUOTESENTINEL" not in output_bytes(root / "output")


def test_unlisted_is_reachable_but_in_no_list(tmp_path: Path) -> None:
    root = write_site(tmp_path, {
        "content/case-studies/secret.md": study(title="UNLISTEDWORK", front="unlisted: true\n"
                                                "skills: [Rare]\nfeatured: true"),
        "content/case-studies/open.md": study(title="Open"),
    })
    run_build(root)
    out = root / "output"
    page = (out / "case-studies/secret/index.html").read_text()
    assert '<meta name="robots" content="noindex">' in page
    for name in ("index.html", "case-studies/index.html", "results/index.html", "sitemap.xml",
                 "feed.xml", "case-studies/open/index.html"):
        text = (out / name).read_text()
        assert "UNLISTEDWORK" not in text and "case-studies/secret" not in text, name
    assert not (out / "case-studies/skill/rare").exists()
