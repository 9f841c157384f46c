"""Bilingual portfolios (`languages: [fr, en]`): the default language at the root, the
other under en/, from translation files; consent and the leak guard in both languages."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from conftest import CONFIG, build_errors, output_bytes, run_build, study, write_site

BILINGUAL = CONFIG + "languages: [fr, en]\n"

ORIGINAL = study(
    "client: {name: Brasserie Mercière, consent: pending,"
    " anonymized_as: {fr: une brasserie du Vieux-Lyon, en: a Lyon brewery}}\n"
    "channels: [Instagram]",
    title='"La campagne Fête des Lumières de {client}"',
    summary='"Les soirées de {client} : 1 903 réservations."',
    role="Community manager",
    body="## Contexte\n\n{client} voulait plus de clients le soir.\n",
)
TRANSLATION = """---
title: The Festival of Lights campaign for {client}
summary: Evenings at {client}, 1,903 bookings.
role: Community manager
---
## Context

{client} wanted more guests in the evening.
"""


def _site(tmp_path: Path, extra: dict[str, str] | None = None, config: str = BILINGUAL) -> Path:
    files = {
        "content/case-studies/lumieres.md": ORIGINAL,
        "content/case-studies/lumieres.en.md": TRANSLATION,
        "content/case-studies/seul.md": study(
            title="Un projet en français seulement", body="Texte français.\n"
        ),
        "content/pages/a-propos.md": "---\ntitle: À propos\n---\nBonjour.\n",
        "content/pages/a-propos.en.md": "---\ntitle: About me\n---\nHello.\n",
        **(extra or {}),
    }
    return write_site(tmp_path / "site", files, config=config)


def _text(path: Path) -> str:
    return html.unescape(path.read_text(encoding="utf-8"))


def test_each_language_has_its_pages_in_its_own_words(tmp_path: Path) -> None:
    root = _site(tmp_path)
    run_build(root)
    out = root / "output"
    fr = _text(out / "etudes-de-cas/lumieres/index.html")
    en = _text(out / "en/case-studies/lumieres/index.html")
    assert '<html lang="fr"' in fr and '<html lang="en"' in en
    assert "La campagne Fête des Lumières d’une brasserie du Vieux-Lyon" in fr
    assert "Une brasserie du Vieux-Lyon voulait plus de clients le soir." in fr
    assert "The Festival of Lights campaign for a Lyon brewery" in en
    assert "A Lyon brewery wanted more guests in the evening." in en
    assert "brasserie" not in en.split("<main")[1].lower()  # the English page is English
    for name in (
        "en/index.html",
        "en/case-studies/index.html",
        "en/results/index.html",
        "en/about-me/index.html",
    ):
        assert not (out / name).exists() or name != "en/about-me/index.html"
    assert (out / "en/a-propos/index.html").is_file()  # the page keeps its file's name
    assert "About me" in _text(out / "en/a-propos/index.html")
    assert (out / "en/index.html").is_file() and (out / "en/case-studies/index.html").is_file()
    assert (out / "en/results/index.html").is_file() and (out / "en/feed.xml").is_file()
    assert (out / "feed.xml").is_file() and (out / "resultats/index.html").is_file()
    # Once per site: the 404 page, robots.txt, the sitemap, the theme's options.
    assert not (out / "en/404.html").exists() and not (out / "en/sitemap.xml").exists()
    assert not (out / "en/robots.txt").exists() and not (out / "en/assets").exists()
    # The client's name is in no byte of either language.
    assert b"Merci" not in output_bytes(out) and b"Mercie" not in output_bytes(out)


def test_untranslated_work_is_shown_as_written_or_left_out(tmp_path: Path) -> None:
    root = _site(tmp_path)
    run_build(root)
    page = root / "output/en/case-studies/seul/index.html"
    assert page.is_file() and "Un projet en français seulement" in _text(page)
    sitemap = _text(root / "output/sitemap.xml")
    assert "en/case-studies/seul/" not in sitemap and "etudes-de-cas/seul/" in sitemap
    assert '<meta name="robots" content="noindex">' in _text(page)  # the original is the one indexed
    hidden = _site(tmp_path / "hide", config=BILINGUAL + "untranslated: hide\n")
    run_build(hidden)
    assert not (hidden / "output/en/case-studies/seul").exists()
    assert "seul/" not in _text(hidden / "output/en/case-studies/index.html")
    assert (hidden / "output/etudes-de-cas/seul/index.html").is_file()


def test_a_translations_problems_are_named_at_its_own_file_and_line(tmp_path: Path) -> None:
    bad = TRANSLATION.replace(
        "role: Community manager", "role: Community manager\ndate: 2020-01-01\ncolaborators: []"
    )
    root = _site(tmp_path, {"content/case-studies/lumieres.en.md": bad})
    errors = build_errors(root)
    fixed = "date: is the same in every language: change it in the original"
    assert f"content/case-studies/lumieres.en.md:5: {fixed}" in errors
    assert "content/case-studies/lumieres.en.md:6: colaborators: " in errors and "collaborators" in errors
    assert "lumieres.md:" not in errors  # the original is fine


def test_a_hidden_name_in_a_translation_is_found_there(tmp_path: Path) -> None:
    leak = TRANSLATION.replace("{client} wanted", "Brasserie Mercière wanted")
    root = _site(tmp_path, {"content/case-studies/lumieres.en.md": leak})
    errors = build_errors(root)
    assert "content/case-studies/lumieres.en.md:8" in errors and "Brasserie Mercière" in errors


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"content/case-studies/absent.en.md": TRANSLATION},
            "is a translation into `en` of absent.md, which does not exist",
        ),
        ({"content/case-studies/lumieres.fr.md": TRANSLATION}, "the site's default language"),
    ],
)
def test_translations_without_their_place(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    root = _site(tmp_path, files)
    if "does not exist" in expected:
        assert expected in build_errors(root)
    else:
        result = run_build(root)
        assert any(expected in str(w) for w in result.warnings)


def test_an_alias_missing_for_a_language_is_an_error(tmp_path: Path) -> None:
    original = ORIGINAL.replace(", en: a Lyon brewery", "")
    root = _site(tmp_path, {"content/case-studies/lumieres.md": original})
    assert "client.anonymized_as: has no alias for `en`" in build_errors(root)


def test_language_and_languages_together_are_refused(tmp_path: Path) -> None:
    root = _site(tmp_path, config=BILINGUAL + "language: fr\n")
    assert "give either `language:` or `languages:`, not both" in build_errors(root)


def test_each_page_links_its_versions_and_marks_untranslated_words(tmp_path: Path) -> None:
    root = _site(tmp_path)
    run_build(root)
    out = root / "output"
    fr = _text(out / "etudes-de-cas/lumieres/index.html")
    en = _text(out / "en/case-studies/lumieres/index.html")
    # hreflang both ways (absolute, with base_url), Open Graph's other locale, the switcher.
    for page in (fr, en):
        assert (
            '<link rel="alternate" hreflang="fr" href="https://test.example/etudes-de-cas/lumieres/">' in page
        )
        assert (
            '<link rel="alternate" hreflang="en" href="https://test.example/en/case-studies/lumieres/">'
            in page
        )
    assert '<meta property="og:locale:alternate" content="en_GB">' in fr
    assert 'href="../../en/case-studies/lumieres/" hreflang="en" lang="en">English</a>' in fr
    assert 'href="../../../etudes-de-cas/lumieres/" hreflang="fr" lang="fr">Français</a>' in en
    # Untranslated: shown as written, in its own language, said in the page's; no hreflang
    # claims an English version, and the switcher still leads to the French page.
    alone = _text(out / "en/case-studies/seul/index.html")
    assert '<article class="study" lang="fr">' in alone
    assert '<p class="untranslated" lang="en">This case study is only in French.</p>' in alone
    assert 'hreflang="en" href=' not in alone
    listing = _text(out / "en/case-studies/index.html")
    assert 'lang="fr"' in listing.split("Un projet en français seulement")[0].rsplit("<article", 1)[1]
    sitemap = _text(out / "sitemap.xml")
    assert (
        '<xhtml:link rel="alternate" hreflang="en" href="https://test.example/en/case-studies/lumieres/"/>'
        in sitemap
    )


def test_untranslated_words_keep_their_own_grammar_and_typography(tmp_path: Path) -> None:
    """English work shown as written on the French pages of an English-first site: English
    spacing and English grammar for its alias, in its fields and its body alike."""
    files = {
        "content/case-studies/shop.md": study(
            "client: {name: Halden Cycles, consent: pending, anonymized_as: A Leeds bike shop}",
            title='"Ads for {client}"',
            summary='"Results: 1 903 orders!"',
            body="{client} sells bikes. Results: 800 € a week!\n",
        ),
    }
    root = write_site(tmp_path / "site", files, config=CONFIG + "languages: [en, fr]\n")
    run_build(root)
    page = _text(root / "output/fr/etudes-de-cas/shop/index.html")
    assert "Results: 1 903 orders!" in page and "Results\u202f:" not in page
    assert "A Leeds bike shop sells bikes. Results: 800 € a week!" in page
    assert "Ads for a Leeds bike shop" in page


METRICS = (
    "metrics:\n"
    "  - {label: Abonnés, before: 812, after: 1903, unit: abonnés, source: Instagram Insights}\n"
    '  - {label: "Taux d\'engagement", value: 4.8, unit: "%", source: Instagram Insights}\n'
    "gallery:\n"
    "  - {src: p.jpg, alt: Une affiche, caption: L’affiche du festival}"
)


def test_a_translation_gives_metric_labels_and_captions_by_position(tmp_path: Path) -> None:
    """The README's promise: a translation holds only the words; each metric and gallery item
    takes the original's figures and files, item by item."""
    from images import jpeg

    translated = (
        "---\ntitle: A campaign\nsummary: Summary.\nrole: Copywriter\nmetrics:\n"
        "  - {label: Followers, unit: followers}\n  - label: Engagement rate\n"
        "gallery:\n  - {alt: A poster, caption: The festival poster}\n---\nText.\n"
    )
    root = _site(
        tmp_path,
        {
            "content/case-studies/chiffres.md": study(METRICS, title="Des chiffres"),
            "content/case-studies/chiffres.en.md": translated,
            "content/case-studies/p.jpg": jpeg(),
        },
    )
    run_build(root)
    fr = _text(root / "output/etudes-de-cas/chiffres/index.html")
    en = _text(root / "output/en/case-studies/chiffres/index.html")
    assert "Abonnés" in fr and "1\u202f903" in fr and "L’affiche du festival" in fr
    assert "Followers" in en and "Engagement rate" in en
    assert '1,903</span> <span class="figure-unit">followers' in en
    assert "4.8%" in en and "The festival poster" in en and 'alt="A poster"' in en
    assert "Abonnés" not in en and "affiche" not in en.split("<main")[1]


def test_a_translation_may_not_change_a_figure_or_the_number_of_items(tmp_path: Path) -> None:
    files = {"content/case-studies/chiffres.md": study(METRICS, title="Des chiffres")}
    head = "---\ntitle: Figures\nmetrics:\n"
    files["content/case-studies/chiffres.en.md"] = (
        head + "  - {label: Followers, after: 2000}\n  - {label: Rate, value: 4.8}\n---\n"
    )
    errors = build_errors(_site(tmp_path / "a", files))
    assert (
        "content/case-studies/chiffres.en.md:4: metrics[0].after: is the same in every language: "
        "change it in the original, not in a translation\n"
        "  hint: a translation gives only the label, unit, source and contribution" in errors
    ), errors
    assert "metrics[1].value" not in errors  # repeating the original's figure is fine
    files["content/case-studies/chiffres.en.md"] = head + "  - label: Followers\n---\n"
    errors = build_errors(_site(tmp_path / "b", files))
    assert (
        "content/case-studies/chiffres.en.md:3: metrics: has 1 item where the original has 2: "
        "a translation gives the same items in the same order, with only their words" in errors
    ), errors


NNBSP, NBSP = "\u202f", "\u00a0"

# portfolio.yaml's author texts once for the whole site (French words), or once per language.
ONCE = """\
title: Camille Test
languages: [fr, en]
author:
  name: Camille Test
  headline: "Stratège d'influence : des communautés qui achètent"
  pitch: "J'aide les marques à grandir : vraiment !"
  location: L'Isle-d'Abeau
  email: test@example.com
"""
PER_LANGUAGE = """\
title: Camille Test
languages: [fr, en]
author:
  name: Camille Test
  headline: {fr: "Stratège d'influence : des communautés", en: "Influencer strategist: I'm on it"}
  pitch: {fr: "J'aide les marques : vraiment !", en: "I'm helping brands: really!"}
  location: {fr: L'Isle-d'Abeau, en: "Lyon's east"}
  email: test@example.com
"""


@pytest.mark.parametrize("home", ["index.html", "en/index.html"])
def test_an_untranslated_pitch_keeps_its_french_typography_in_english(tmp_path: Path, home: str) -> None:
    """The author's headline, pitch and location written once, in French, read the same on
    the English home page as on the French one: curly apostrophes, narrow spaces (in the
    visible text and in the page's description); a newcomer trial found them straight."""
    root = write_site(tmp_path / "site", {"content/case-studies/a.md": study()}, config=ONCE)
    run_build(root)
    page = _text(root / "output" / home)
    assert f"J’aide les marques à grandir{NNBSP}: vraiment{NNBSP}!" in page
    assert f"Stratège d’influence{NNBSP}: des communautés qui achètent" in page
    assert "L’Isle-d’Abeau" in page
    assert f'<meta name="description" content="Stratège d’influence{NNBSP}: des' in page
    assert "d'influence" not in page and "J'aide" not in page and "L'Isle" not in page


def test_texts_given_per_language_take_their_own_typography(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"content/case-studies/a.md": study()}, config=PER_LANGUAGE)
    run_build(root)
    french = _text(root / "output/index.html")
    english = _text(root / "output/en/index.html")
    assert f"J’aide les marques{NNBSP}: vraiment{NNBSP}!" in french and "L’Isle-d’Abeau" in french
    assert f"Stratège d’influence{NNBSP}: des communautés" in french
    assert "I'm helping brands: really!" in english and "Lyon's east" in english
    assert "Influencer strategist: I'm on it" in english and NNBSP not in english.split("<body")[1]
