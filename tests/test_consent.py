"""Consent: anonymized work is published under its alias, and no hidden name ever leaks."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import CONFIG, build_errors, cli, output_bytes, run_build, snapshot, study, write_site
from images import jpeg, png_rgba

from portfolio.leakguard import hidden_name, normalise

NAME = "Café Lumière"
ALIAS = "A Lyon coffee roaster"

# A case study for a client who has not answered yet: published anonymized by default.
ANONYMIZED = """\
---
title: Relaunching {client} on Instagram
date: 2025-03-10
summary: From 2k to 19k followers for {client} in five months.
role: Social media lead
client:
  name: Café Lumière
  url: https://cafe-lumiere.example
  logo: ../images/logo.png
  consent: pending
  anonymized_as: A Lyon coffee roaster
collaborators:
  - {name: Ana Roux, role: Photography}
tags: [coffee]
cover: {src: ../images/cover.jpg, alt: "The counter at {client}"}
gallery:
  - {src: ../images/shelf.jpg, alt: Bags of beans, caption: "{client}'s autumn blend",
     credit: "Photo: Ana Roux"}
metrics:
  - {label: Followers, before: 2000, after: 19000, source: "Instagram Insights for {client}"}
testimonial: {quote: TESTIMONIAL-SENTINEL, author: The owner, consent: granted}
slug: coffee-relaunch
---
## Context

{client} roasts coffee in Lyon.

They wanted more visits.
"""

IMAGES = {
    "content/images/logo.png": png_rgba(),
    "content/images/cover.jpg": jpeg(colour=(120, 80, 40)),
    "content/images/shelf.jpg": jpeg(colour=(40, 80, 120)),
}


def anonymized_site(
    root: Path, text: str = ANONYMIZED, name: str = "cafe.md", extra: dict[str, str | bytes] | None = None
) -> Path:
    return write_site(
        root,
        {
            **IMAGES,
            f"content/case-studies/{name}": text,
            "content/case-studies/other.md": study(title="Other work"),
            **(extra or {}),
        },
    )


def reader_folded(data: bytes) -> str:
    """An independent, stricter fold than the product's: every letter and digit, nothing else."""
    text = data.decode("utf-8", "replace")
    for _ in range(3):
        text = html.unescape(text)
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text.casefold() if c.isalnum() and c.isascii())


def test_anonymized_work_is_published_under_its_alias(tmp_path: Path) -> None:
    root = anonymized_site(tmp_path)
    result = run_build(root)
    assert result.published == 2 and result.anonymized == [("content/case-studies/cafe.md", ALIAS)]
    page = (root / "output/case-studies/coffee-relaunch/index.html").read_text()
    # The alias as a sentence has it: its article in lower case mid-sentence (grammar.py).
    assert "Relaunching a Lyon coffee roaster on Instagram" in page
    assert f"{ALIAS} roasts coffee in Lyon." in page
    assert "The counter at a Lyon coffee roaster" in page  # alt text
    assert "Name kept confidential" in page
    # The name, the link, the logo and the testimonial are not published.
    everything = output_bytes(root / "output")
    folded = reader_folded(everything)
    for hidden in ("cafelumiere", "testimonialsentinel"):
        assert hidden not in folded, hidden
    assert b"images/logo-" not in everything
    listing = (root / "output/case-studies/index.html").read_text()
    assert "coffee-relaunch/" in listing and "Relaunching a Lyon coffee roaster" in listing


# Every place a name can hide: (what the user wrote, the expected error's start).
LEAKS = {
    "title": (
        ("title: Relaunching {client} on Instagram", "title: Relaunching CAFÉ LUMIÈRE"),
        "content/case-studies/cafe.md:2: title: names the client 'Café Lumière', which "
        'is published anonymized (in "relaunching cafe lumiere")\n  hint: write {client} '
        "instead: it is published as \u201cA Lyon coffee roaster\u201d",
    ),
    "summary": (
        ("for {client} in five", "for cafe lumiere in five"),
        "content/case-studies/cafe.md:4: summary: names the client",
    ),
    "alt text": (
        ('alt: "The counter at {client}"', 'alt: "The counter at Café-Lumière"'),
        "content/case-studies/cafe.md:15: cover.alt: names the client",
    ),
    "caption": (
        ('caption: "{client}\'s autumn blend"', 'caption: "#CafeLumiere autumn blend"'),
        "content/case-studies/cafe.md:17: gallery[0].caption: names the client",
    ),
    "credit": (
        ('credit: "Photo: Ana Roux"', 'credit: "Photo: Ana Roux for Café Lumière"'),
        "content/case-studies/cafe.md:18: gallery[0].credit: names the client",
    ),
    "collaborator": (
        ("{name: Ana Roux, role: Photography}", "{name: Ana Roux, role: Photography at Cafe Lumiere}"),
        "content/case-studies/cafe.md:13: collaborators[0].role: names the client",
    ),
    "metric source": (
        (
            'source: "Instagram Insights for {client}"',
            'source: "Instagram Insights for Caf\u0065\u0301 Lumi\u00e8re"',
        ),
        "content/case-studies/cafe.md:20: metrics[0].source: names the client",
    ),
    "tag": (
        ("tags: [coffee]", "tags: [coffee, café lumière]"),
        "content/case-studies/cafe.md:14: tags[1]: names the client",
    ),
    "body": (
        ("They wanted more visits.", "They wanted more visits to Caf&eacute;&nbsp;Lumi&egrave;re."),
        "content/case-studies/cafe.md:28: names the client 'Café Lumière'",
    ),
    "body url": (
        ("They wanted more visits.", "See [their site](https://cafe-lumiere.example)."),
        "content/case-studies/cafe.md:28: names the client",
    ),
    "trademark sign": (
        ("They wanted more visits.", "They wanted more Café Lumière™ blends."),
        "content/case-studies/cafe.md:28: names the client",
    ),
    "hashtag": (
        ("They wanted more visits.", "We ran #CafeLumiereXmas on Instagram."),
        "content/case-studies/cafe.md:28: names the client 'Café Lumière', which is "
        'published anonymized (in "#CafeLumiereXmas")',
    ),
    "link split": (
        ("They wanted more visits.", "We loved [Café](https://example.org/) Lumière."),
        "content/case-studies/cafe.md:28: names the client",
    ),
    "emphasis split": (
        ("They wanted more visits.", "We loved Café **Lumi**ère."),
        "content/case-studies/cafe.md:28: names the client",
    ),
    "image file name": (
        ("src: ../images/cover.jpg", "src: ../images/cafe-lumiere-counter.jpg"),
        "content/case-studies/cafe.md:15: cover.src: names the client",
    ),
    "explicit slug": (
        ("slug: coffee-relaunch", "slug: cafe-lumiere-relaunch"),
        "content/case-studies/cafe.md:22: slug: the URL slug `cafe-lumiere-relaunch` "
        "names a client that is not published",
    ),
    "slug from the file name": (
        ("slug: coffee-relaunch\n", ""),
        "content/case-studies/cafe-lumiere-instagram.md:2: slug: the URL "
        "made from the file name, `cafe-lumiere-instagram`, names a client "
        "that is not published\n  hint: add an explicit `slug:` that does "
        "not name the client, e.g. slug: instagram",
    ),
}


@pytest.mark.parametrize("place", list(LEAKS))
def test_a_name_written_out_fails_the_build_at_its_field(tmp_path: Path, place: str) -> None:
    (old, new), expected = LEAKS[place]
    name = "cafe-lumiere-instagram.md" if place == "slug from the file name" else "cafe.md"
    root = anonymized_site(tmp_path, ANONYMIZED, name, {"content/images/cafe-lumiere-counter.jpg": jpeg()})
    run_build(root)
    before = snapshot(root / "output")
    assert old in ANONYMIZED
    (root / "content/case-studies" / name).write_text(ANONYMIZED.replace(old, new))
    errors = build_errors(root)
    assert expected in errors, errors
    assert snapshot(root / "output") == before  # output untouched


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Café Lumière SAS", "Café Lumière"),  # the legal form is not how people write it
        ("Marks & Spencer", "Marks and Spencer"),
        ("Ben & Jerry's", "Ben & Jerrys"),
        ("The Body Shop", "Body Shop"),
        ("Müller", "mueller.de"),
    ],
)
def test_every_everyday_spelling_of_the_name_is_found(tmp_path: Path, name: str, written: str) -> None:
    text = ANONYMIZED.replace("name: Café Lumière", f'name: "{name}"').replace(
        "They wanted more visits.", f"They wanted more {written} fans."
    )
    errors = build_errors(anonymized_site(tmp_path, text))
    assert f"content/case-studies/cafe.md:28: names the client {name!r}" in errors, errors


def test_a_body_naming_the_client_outright_names_each_line(tmp_path: Path) -> None:
    text = ANONYMIZED.replace(
        "They wanted more visits.",
        "They wanted more visits.\n\nThanks to the Café Lumière team!\n\n"
        "| Shop | Visits |\n|---|---|\n| Café\nLumière | 3 |",
    )
    root = anonymized_site(tmp_path, text)
    errors = build_errors(root)
    assert (
        "content/case-studies/cafe.md:30: names the client 'Café Lumière', which is published anonymized"
    ) in errors
    assert "content/case-studies/cafe.md:34: names the client" in errors  # split across lines
    assert errors.count("names the client") == 2


def test_the_alias_may_not_name_the_client(tmp_path: Path) -> None:
    root = anonymized_site(tmp_path, ANONYMIZED.replace(ALIAS, "Café Lumière's sister shop"))
    errors = build_errors(root)
    assert (
        "cafe.md:11: client.anonymized_as: names the client 'Café Lumière', which is "
        'published anonymized (in "cafe lumiere s sister shop")\n'
        "  hint: describe the client without naming it"
    ) in errors
    assert errors.count("names the client") == 1  # not once per `{client}`


def test_a_series_category_naming_the_client_is_an_error(tmp_path: Path) -> None:
    text = ANONYMIZED.replace(
        "metrics:\n",
        "metrics:\n  - {label: Visits, series: ../data/shops.csv, x: Shop, y: Visits,"
        " chart: bar, source: Till data}\n",
    )
    root = anonymized_site(
        tmp_path,
        text,
        extra={"content/data/shops.csv": "Shop,Visits\nLyon Nord,120\nCafé Lumière Part-Dieu,340\n"},
    )
    errors = build_errors(root)
    assert "cafe.md:20: metrics[0].series: names the client" in errors


def test_the_same_site_written_with_the_placeholder_leaks_no_spelling(tmp_path: Path) -> None:
    # Everything points at the client through `{client}`; several pages, a feed, a sitemap,
    # JSON-LD and images: the name must not be in any byte, however it is spelled.
    root = anonymized_site(
        tmp_path,
        extra={
            "content/pages/about.md": "---\ntitle: About\n---\nI worked for many shops.\n",
            "content/case-studies/granted.md": study(
                title="Work for {client}", front="client: {name: Maison Nord, consent: granted}"
            ),
        },
    )
    run_build(root)
    everything = output_bytes(root / "output")
    folded = reader_folded(everything)
    assert "maisonnord" in folded  # the check can see a published name
    assert "cafelumiere" not in folded
    assert b"caf&" not in everything.lower() and b"lumi%" not in everything.lower()
    assert b"cafe-lumiere" not in everything


def test_withheld_name_in_another_published_page_is_an_error(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/hidden.md": study(
                slug="housing-leads", front="client: {name: Meridian Homes, consent: denied}"
            ),
            "content/case-studies/shown.md": study(
                title="Shown", body="Intro.\n\nBefore this I ran leads for MERIDIAN homes.\n"
            ),
            "content/pages/about.md": "---\ntitle: About\nsummary: Ex Meridian-Homes marketer\n---\n",
        },
    )
    errors = build_errors(root)
    assert (
        "content/case-studies/shown.md:9: names 'Meridian Homes', the client of "
        "content/case-studies/hidden.md, which is withheld"
    ) in errors
    assert "content/pages/about.md:3: summary: names 'Meridian Homes'" in errors


def test_a_hidden_name_in_portfolio_yaml_is_an_error(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "portfolio.yaml": CONFIG.replace("headline: Marketer", "headline: Ex-Meridian Homes"),
            "content/case-studies/hidden.md": study(
                slug="leads", front="client: {name: Meridian Homes, consent: denied}"
            ),
        },
    )
    errors = build_errors(root)
    assert "portfolio.yaml:5: author.headline: names 'Meridian Homes'" in errors


@pytest.mark.parametrize("clash", ["a granted client", "the author"])
def test_a_hidden_name_that_is_also_published_is_a_clash(tmp_path: Path, clash: str) -> None:
    name = "Test Person" if clash == "the author" else "Acme"
    files: dict[str, str | bytes] = {
        "content/case-studies/hidden.md": study(
            slug="hidden", front=f"client: {{name: {name}, consent: denied}}"
        )
    }
    if clash == "a granted client":
        files["content/case-studies/shown.md"] = study(
            slug="shown", front="client: {name: ACME, consent: granted}"
        )
    root = write_site(tmp_path, files)
    errors = build_errors(root)
    what = (
        "the client of content/case-studies/shown.md, published with consent granted"
        if clash == "a granted client"
        else "your own name (author.name)"
    )
    assert (
        f"content/case-studies/hidden.md:7: client.name: the client {name!r} is withheld "
        f"here, but its name is also {what}: it cannot be both shown and hidden"
    ) in errors


@pytest.mark.parametrize("policy", ["denied", "pending-withhold"])
def test_withheld_work_leaves_no_trace(tmp_path: Path, policy: str) -> None:
    consent = "denied" if policy == "denied" else "pending"
    config = CONFIG + ("consent: {pending: withhold}\n" if policy == "pending-withhold" else "")
    root = write_site(
        tmp_path,
        {
            "portfolio.yaml": config,
            "content/images/zyx-cover.jpg": jpeg(colour=(1, 1, 1)),
            "content/case-studies/zyx-work.md": study(
                title="Growth for {client}",
                slug="quiet-work",
                front=f"""\
client: {{name: Zyxcorp, consent: {consent}, anonymized_as: A bank}}
skills: [Onlyhiddenskill]
channels: [Onlyhiddenchannel]
featured: true
cover: {{src: ../images/zyx-cover.jpg, alt: A billboard}}
metrics:
  - {{label: Zyx metric, value: 123456, source: CRM}}
""",
                body="Worked hard for {client}.\n",
            ),
            "content/case-studies/shown.md": study(
                title="Shown work", skills="[Analytics]", body="See [the bank work](zyx-work.md).\n"
            ),
        },
    )
    result = run_build(root)
    everything = output_bytes(root / "output").lower()
    for word in (
        b"zyxcorp",
        b"a bank",
        b"onlyhiddenskill",
        b"onlyhiddenchannel",
        b"quiet-work",
        b"zyx-",
        b"123456",
        b"123,456",
        b"zyx metric",
        b"growth for",
    ):
        assert word not in everything, word
    assert result.published == 1 and len(result.held_back) == 1
    assert "1 case study" in (root / "output/case-studies/index.html").read_text()
    # The link to it is plain text, with a warning.
    page = (root / "output/case-studies/shown/index.html").read_text()
    assert "the bank work" in page and 'href="../zyx-work' not in page
    assert any("zyx-work.md" in str(w) for w in result.warnings)


def test_the_leak_guard_catches_what_a_template_adds(tmp_path: Path) -> None:
    # A site template that writes the name in every disguise: entities, inline tags,
    # JSON escapes, a percent-encoded URL, and split across an attribute.
    template = """\
{% extends "theme/case-study.html" %}
{% block main %}{{ super() }}
<p>Caf&eacute; <em>Lumi&egrave;re</em></p>
{% endblock %}
"""
    root = anonymized_site(tmp_path, extra={"templates/case-study.html": template})
    errors = build_errors(root)
    assert (
        "templates/case-study.html: the leak guard found the anonymized client name "
        "'Café Lumière' (client of content/case-studies/cafe.md) in the output file "
        "case-studies/coffee-relaunch/index.html (the page of content/case-studies/cafe.md): "
        '"'
    ) in errors
    assert re.search(r'index.html \(the page of [^)]*\): "[^"\n]*cafe lumiere[^"\n]*"', errors)
    assert not (root / "output").exists()


@pytest.mark.parametrize(
    "disguise",
    [
        '<script type="application/ld+json">{{ {"brand": "Café Lumière"}|tojson }}</script>',
        '<a href="https://example.com/?q=Caf%C3%A9%20Lumi%C3%A8re">search</a>',
        '<img src="x.png" alt="CAFE&#32;LUMIERE">',
        "<!-- cafe_lumiere -->",
        "<p>Café Lu<span></span>mière</p>",
        "<svg><text>Café <tspan>Lumière</tspan></text></svg>",
        "<![CDATA[Café Lumière]]>",
        "&lt;p&gt;Caf&amp;eacute; &lt;em&gt;Lumi&amp;egrave;re&lt;/em&gt;",  # a feed's escaped HTML
        '<script>if (a<b) { x = "Café Lumière"; }</script>',
    ],
)
def test_the_leak_guard_reads_every_disguise(tmp_path: Path, disguise: str) -> None:
    template = (
        '{% extends "theme/case-study.html" %}\n{% block main %}{{ super() }}\n'
        + disguise
        + "\n{% endblock %}\n"
    )
    root = anonymized_site(tmp_path, extra={"templates/case-study.html": template})
    assert "the leak guard found the anonymized client name" in build_errors(root)


def test_the_leak_guard_ignores_layout_words_and_part_words(tmp_path: Path) -> None:
    # A client called "Client Name" meets the theme's class="client-name"; "Lune" is not
    # found in "Lunettes".
    text = ANONYMIZED.replace("Café Lumière", "Client Name").replace(
        "They wanted more visits.", "They sold lunettes."
    )
    root = anonymized_site(tmp_path, text.replace("tags: [coffee]", "tags: [lune]"))
    run_build(root)
    assert (
        'class="client-name client-alias"'
        in (root / "output/case-studies/coffee-relaunch/index.html").read_text()
    )


def test_the_leak_guard_remembers_verified_files(tmp_path: Path) -> None:
    root = anonymized_site(tmp_path)
    first = run_build(root)
    assert first.guard_read > 10
    second = run_build(root)
    assert second.guard_read == 0
    # A change is read again, and a leak in it is still found.
    (root / "templates").mkdir()
    (root / "templates/page.html").write_text(
        '{% extends "theme/page.html" %}{% block main %}Café Lumière{% endblock %}'
    )
    (root / "content/pages").mkdir()
    (root / "content/pages/about.md").write_text("---\ntitle: About\n---\nHi\n")
    assert "about/index.html" in build_errors(root)


def test_normalise_folds_every_spelling() -> None:
    name = hidden_name(NAME, "anonymized", "x.md", "https://www.cafe-lumiere.example/")
    assert name.terms[:2] == (" cafe lumiere ", " cafelumiere ")
    assert {" cafe lumiere example ", " cafe lumieres ", " cafelumieres "} <= set(name.terms)
    for spelling in (
        "CAFÉ LUMIÈRE",
        "cafe\u00a0lumiere",
        "Cafe\u0301 Lumie\u0300re",
        "caf&eacute;-lumi&#232;re",
        "Café%20Lumière",
        "#CafeLumiere",
        "Caf\\u00e9 Lumi\\u00e8re",
        "Café\u200b Lumière",
        "ＣＡＦＥ ＬＵＭＩＥＲＥ",
    ):
        words = normalise(spelling)
        assert any(t in words for t in name.terms), spelling
    assert " cafe lumiere " not in normalise("Café Lumièresque")


def test_testimonial_only_with_its_own_consent_and_never_anonymized(tmp_path: Path) -> None:
    granted = ANONYMIZED.replace("consent: pending", "consent: granted")
    root = anonymized_site(tmp_path, granted)
    run_build(root)
    assert b"TESTIMONIAL-SENTINEL" in output_bytes(root / "output")
    root2 = anonymized_site(
        tmp_path / "b",
        granted.replace("author: The owner, consent: granted", "author: The owner, consent: pending"),
    )
    run_build(root2)
    assert b"TESTIMONIAL-SENTINEL" not in output_bytes(root2 / "output")


def test_a_one_letter_name_cannot_be_hidden(tmp_path: Path) -> None:
    root = anonymized_site(tmp_path, ANONYMIZED.replace("name: Café Lumière", "name: X"))
    errors = build_errors(root)
    assert (
        "cafe.md:7: client.name: the client 'X' is anonymized, but a name this short "
        "cannot be told apart from ordinary text"
    ) in errors


def test_a_social_profile_address_hides_the_handle_not_the_platform(tmp_path: Path) -> None:
    text = ANONYMIZED.replace("https://cafe-lumiere.example", "https://www.instagram.com/lumierelyon/")
    config = CONFIG.replace(
        "  email: test@example.com\n",
        "  email: test@example.com\n  links: {instagram: 'https://www.instagram.com/testperson/'}\n",
    )
    root = anonymized_site(tmp_path, text, extra={"portfolio.yaml": config})
    run_build(root)  # the author's own Instagram link is fine
    (root / "content/case-studies/cafe.md").write_text(
        text.replace("They wanted more visits.", "Follow @lumierelyon for more.")
    )
    assert "cafe.md:28: names the client 'Café Lumière'" in build_errors(root)


def test_theme_words_that_hold_a_name_are_not_leaks(tmp_path: Path) -> None:
    # A client called "Mars" on a French site: every date in March says "mars".
    text = ANONYMIZED.replace("name: Café Lumière", "name: Mars").replace(
        "date: 2025-03-10", "date: 2025-03-10\nperiod: {start: 2025-03, end: 2025-05}"
    )
    root = anonymized_site(tmp_path, text, extra={"portfolio.yaml": CONFIG + "language: fr\n"})
    run_build(root)
    page = (root / "output/etudes-de-cas/coffee-relaunch/index.html").read_text()
    assert "mars\u00a02025" in page
    # ...and the name in the user's own text is still an error, at its line.
    (root / "content/case-studies/other.md").write_text(study(body="Merci Mars !\n"))
    assert "content/case-studies/other.md:7: names 'Mars'" in build_errors(root)


def test_what_markdown_does_not_publish_is_not_checked(tmp_path: Path) -> None:
    # A link to the hidden study's file (its slug does not name the client), an image in a
    # folder named after it, and a comment: none of these names reaches the output.
    body = (
        "See [the coffee work](cafe-lumiere-instagram.md).\n\n"
        "![Shelf](../images/cafe-lumiere/shelf.jpg)\n\n<!-- TODO ask Café Lumière -->\n"
    )
    root = anonymized_site(
        tmp_path,
        ANONYMIZED,
        "cafe-lumiere-instagram.md",
        extra={
            "content/images/cafe-lumiere/shelf.jpg": jpeg(),
            "content/case-studies/other.md": study(title="Other work", body=body),
        },
    )
    run_build(root)
    everything = output_bytes(root / "output")
    assert "cafelumiere" not in reader_folded(everything)
    assert b'href="../coffee-relaunch/"' in everything


@pytest.mark.parametrize("suffix", ["csv", "tsv", "vtt"])
def test_a_linked_text_file_is_read_by_the_leak_guard(tmp_path: Path, suffix: str) -> None:
    data = "# Account: Café Lumière\nDate,Sessions\n2024-09-01,10\n2024-10-01,20\n"
    text = ANONYMIZED.replace("They wanted more visits.", f"[Download the data](../data/sessions.{suffix})")
    root = anonymized_site(tmp_path, text, extra={f"content/data/sessions.{suffix}": data})
    errors = build_errors(root)
    assert (
        f"content/data/sessions.{suffix}: the leak guard found the anonymized client name "
        "'Café Lumière' (client of content/case-studies/cafe.md) in the output file "
        f"files/sessions.{suffix}"
    ) in errors


def test_a_site_theme_file_is_read_by_the_leak_guard(tmp_path: Path) -> None:
    root = anonymized_site(
        tmp_path,
        extra={
            "portfolio.yaml": CONFIG + "theme: ./mytheme\n",
            "mytheme/theme.yaml": "name: mytheme\ndescription: Mine\nextends: default\n",
            "mytheme/static/extra.css": "/* made for Café Lumière */\n",
        },
    )
    assert "in the output file assets/extra.css" in build_errors(root)


def test_a_malformed_address_is_an_error_not_a_crash(tmp_path: Path) -> None:
    broken_url = ANONYMIZED.replace("https://cafe-lumiere.example", "'https://[cafe'")
    broken_link = ANONYMIZED.replace("They wanted more visits.", "See [it](http://[x).")
    for text, expected in (
        (broken_url, "cafe.md:8: client.url: expected a full web address"),
        (broken_link, "cafe.md:28: the link 'http://[x' is not a valid web address"),
    ):
        result = cli("build", cwd=anonymized_site(tmp_path, text))
        assert result.returncode == 1
        assert expected in result.stderr
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_a_draft_for_a_granted_client_does_not_block_the_build(tmp_path: Path) -> None:
    # `portfolio new` makes a draft with consent pending; the same client is published
    # elsewhere with consent. The draft is not built, so nothing needs hiding.
    root = write_site(
        tmp_path,
        {
            "content/case-studies/shown.md": study(front="client: {name: Acme, consent: granted}"),
            "content/case-studies/next.md": study(
                slug="next",
                front="draft: true\nclient: {name: Acme, consent: pending, anonymized_as: A firm}",
            ),
        },
    )
    assert run_build(root).published == 1


def test_templates_never_see_an_unconsented_testimonial(tmp_path: Path) -> None:
    template = (
        '{% extends "theme/case-study.html" %}{% block main %}{{ super() }}'
        "{% if study.testimonial %}{{ study.testimonial.quote }}{% endif %}"
        "{% endblock %}"
    )
    root = write_site(
        tmp_path,
        {
            "templates/case-study.html": template,
            "content/case-studies/p.md": study(
                front="testimonial: {quote: QUOTE-SENTINEL, author: A teacher, consent: pending}"
            ),
        },
    )
    run_build(root)
    assert b"QUOTE-SENTINEL" not in output_bytes(root / "output")


def test_a_file_name_that_names_the_client_says_to_rename_the_file(tmp_path: Path) -> None:
    """`{client}` cannot go in a file name: the hint says to rename the file (it said "write
    {client} instead")."""
    text = ANONYMIZED.replace("../images/shelf.jpg", "../images/cafe-lumiere-moodboard.jpg")
    extra: dict[str, str | bytes] = {"content/images/cafe-lumiere-moodboard.jpg": jpeg()}
    root = anonymized_site(tmp_path, text, extra=extra)
    errors = build_errors(root)
    assert (
        "content/case-studies/cafe.md:17: gallery[0].src: names the client 'Café Lumière', which is not "
        "published, in the file name 'cafe-lumiere-moodboard.jpg'\n"
        "  hint: rename the file: file names are published in the pages' addresses"
    ) in errors, errors
