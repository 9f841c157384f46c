"""Hidden names that tried to reach the output by side roads (the red team's items 1, 2, 6, 7).

Base site as the issue gives it: a pending client, Halden Cycles, anonymized as "a bike shop",
and a case study without a client that can link files and hold anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_errors, output_bytes, run_build, snapshot, study, write_site

CONFIG = "title: T\nbase_url: https://t.example/\nauthor: {name: Sam Rivera}\n"
HIDDEN = study(
    title="Ads for {client}",
    date="2024-08-12",
    summary="s",
    role="r",
    front="client: {name: Halden Cycles, consent: pending, anonymized_as: a bike shop}",
)


def base(root: Path, files: dict[str, str | bytes] | None = None, g_body: str = "Hello.\n") -> Path:
    return write_site(
        root,
        {
            "content/case-studies/bikes.md": HIDDEN,
            "content/case-studies/g.md": study(date="2024-08-12", summary="s", role="r", body=g_body),
            **(files or {}),
        },
        config=CONFIG,
    )


def assert_refused(root: Path, *expected: str) -> str:
    """The build fails naming the client, and leaves the previous output as it was."""
    before = snapshot(root / "output") if (root / "output").exists() else None
    errors = build_errors(root)
    assert "Halden Cycles" in errors, errors
    for text in expected:
        assert text in errors, errors
    if before is not None:
        assert snapshot(root / "output") == before
    return errors


# -- 1. linked text files in every encoding our users' tools write ----------------------

TABLE = "Magasin;Ventes\nHalden Cycles Café;10\n"
ENCODINGS = {
    "utf-8": TABLE.encode("utf-8"),
    "utf-8-bom": b"\xef\xbb\xbf" + TABLE.encode("utf-8"),
    "utf-16-le-bom": b"\xff\xfe" + TABLE.encode("utf-16-le"),
    "utf-16-be-bom": b"\xfe\xff" + TABLE.encode("utf-16-be"),
    "utf-16-le-no-bom": TABLE.encode("utf-16-le"),
    "windows-1252": TABLE.replace("Café", "Café – été").encode("cp1252"),
    "latin-1": TABLE.encode("latin-1"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_a_linked_text_file_in_any_encoding_is_read_by_the_leak_guard(tmp_path: Path, encoding: str) -> None:
    root = base(
        tmp_path,
        {"content/data/export.csv": ENCODINGS[encoding]},
        g_body="[The export](../data/export.csv)\n",
    )
    assert_refused(root, "output file files/export.csv", "content/data/export.csv")


def test_a_linked_file_the_guard_cannot_read_is_not_published(tmp_path: Path) -> None:
    # Not text in any known encoding, and not a known binary format: nobody can prove it
    # names no client, so it is refused rather than published unread.
    blob = bytes(range(256)) * 8
    root = base(tmp_path, {"content/files/notes.dat": blob}, g_body="[Notes](../files/notes.dat)\n")
    errors = build_errors(root)
    assert "content/files/notes.dat" in errors and "cannot read" in errors, errors


def test_binary_media_is_checked_by_name_only(tmp_path: Path) -> None:
    root = base(tmp_path, {"content/files/brief.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 4})
    (root / "content/case-studies/g.md").write_text(study(body="[Brief](../files/brief.pdf)\n"))
    run_build(root)
    assert (root / "output/files/brief.pdf").is_file()


def test_a_clean_linked_file_in_windows_1252_is_published_unchanged(tmp_path: Path) -> None:
    data = "Magasin;Ventes\nCafé été;10\n".encode("cp1252")
    root = base(tmp_path, {"content/data/export.csv": data}, g_body="[Export](../data/export.csv)\n")
    run_build(root)
    assert (root / "output/files/export.csv").read_bytes() == data


# -- 2. every client that is not granted hides its name, whatever its study's state -------


@pytest.mark.parametrize(
    "state",
    ["draft: true", "unlisted: true", "draft: true\nunlisted: true"],
    ids=["draft", "unlisted", "both"],
)
@pytest.mark.parametrize("consent", ["denied", "pending"])
def test_a_client_that_is_not_granted_hides_its_name_in_any_state(
    tmp_path: Path, state: str, consent: str
) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/z.md": study(
                title="For {client}",
                front=f"client: {{name: Zephyr Labs, consent: {consent}, anonymized_as: a lab}}\n{state}",
            ),
            "content/pages/about.md": "---\ntitle: About\n---\nI worked with Zephyr Labs.\n",
        },
        config=CONFIG,
    )
    errors = build_errors(root)
    assert "content/pages/about.md:4" in errors and "Zephyr Labs" in errors, errors


def test_a_draft_of_a_client_granted_elsewhere_does_not_hide_the_granted_name(tmp_path: Path) -> None:
    # The client agreed to be named for other work: its name is public, and the draft's
    # pending consent concerns the draft's own work, which build leaves out.
    root = write_site(
        tmp_path,
        {
            "content/case-studies/a.md": study(
                title="For {client}", front="client: {name: Zephyr Labs, consent: granted}"
            ),
            "content/case-studies/b.md": study(
                title="Next for {client}",
                slug="b-draft",
                front="draft: true\nclient: {name: Zephyr Labs, consent: pending, anonymized_as: a lab}",
            ),
        },
        config=CONFIG,
    )
    run_build(root)
    assert b"For Zephyr Labs" in output_bytes(root / "output")


# -- 6. attributes and every other place a name can hide ----------------------------------


def test_a_name_in_an_inline_tags_attribute_in_the_body_fails_at_its_line(tmp_path: Path) -> None:
    root = base(tmp_path, g_body='Intro.\n\nA <span class="halden-cycles">shop</span>.\n')
    assert_refused(root, "content/case-studies/g.md:9")


PLACES = {
    "text": "<p>Halden Cycles</p>",
    "class": '<p class="halden-cycles">x</p>',
    "lang": '<p lang="halden-cycles">x</p>',
    "style": '<p style="--shop: halden-cycles">x</p>',
    "data-attribute": '<p data-who="Halden Cycles">x</p>',
    "id": '<p id="halden_cycles">x</p>',
    "title": '<p title="HALDEN&#32;CYCLES">x</p>',
    "comment": "<!-- made for Halden Cycles -->",
    "css": "<style>.x::after { content: 'Halden Cycles' }</style>",
    "url-once": '<a href="https://x.example/Halden%20Cycles">x</a>',
    "url-twice": '<a href="https://x.example/Halden%2520Cycles">x</a>',
    "entity": "<p>Hal&#100;en &#x43;ycles</p>",
    "split-by-tags": "<p>Hal<b></b>den <em>Cycles</em></p>",
    "accents-case": "<p>HÄLDEN cyclés</p>",
    "packed-handle": "<p>@haldencycles</p>",
}


@pytest.mark.parametrize("place", list(PLACES))
def test_a_name_anywhere_in_a_user_template_is_caught_by_the_leak_guard(tmp_path: Path, place: str) -> None:
    template = (
        '{% extends "theme/page.html" %}{% block main %}' + PLACES[place] + "{{ super() }}{% endblock %}"
    )
    root = base(
        tmp_path,
        {"templates/page.html": template, "content/pages/about.md": "---\ntitle: About\n---\nHi.\n"},
    )
    assert_refused(root, "templates/page.html", "output file about/index.html")


SVG_PLACES = {
    "text": "<text>Halden Cycles</text>",
    "class": '<rect class="halden-cycles" width="1" height="1"/>',
    "lang": '<text lang="halden-cycles">x</text>',
    "style": '<rect style="fill:red" class="x halden-cycles" width="1" height="1"/>',
    "id": '<rect id="halden-cycles" width="1" height="1"/>',
    "title": "<title>Halden Cycles</title>",
    "css": "<style>.x { fill: red } /* ok */ .halden-cycles { fill: blue }</style>",
}


@pytest.mark.parametrize("place", list(SVG_PLACES))
def test_a_name_anywhere_in_an_svg_is_caught(tmp_path: Path, place: str) -> None:
    drawing = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' + SVG_PLACES[place] + "</svg>"
    ).encode()
    root = base(tmp_path, {"content/images/logo.svg": drawing}, g_body="![A logo](../images/logo.svg)\n")
    errors = assert_refused(root)
    assert "content/images/logo.svg" in errors


def test_the_themes_own_class_names_are_not_a_hidden_name(tmp_path: Path) -> None:
    # Reading every attribute must not turn the theme's layout words into leaks: a client
    # called "Card Media" (a class of the default theme) is hidden all the same.
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x.md": study(
                title="For {client}",
                front="client: {name: Card Media, consent: pending, anonymized_as: an agency}",
            ),
        },
        config=CONFIG,
    )
    run_build(root)
    assert b"card-media" in output_bytes(root / "output")


# -- 7. word forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    ["Two Nestors stores opened.", "Nestor's stores.", "The Nestors' stores.", "Nestores abiertas."],
)
def test_plurals_and_possessives_of_a_hidden_name_are_the_name(tmp_path: Path, sentence: str) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/n.md": study(
                title="For {client}", front="client: {name: Nestor, consent: pending, anonymized_as: a chain}"
            ),
            "content/pages/about.md": f"---\ntitle: About\n---\n{sentence}\n",
        },
        config=CONFIG,
    )
    errors = build_errors(root)
    assert "content/pages/about.md:4" in errors and "Nestor" in errors, errors


def test_plural_forms_do_not_swallow_other_words(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/n.md": study(
                title="For {client}", front="client: {name: Cycle, consent: pending, anonymized_as: a shop}"
            ),
            "content/pages/about.md": "---\ntitle: About\n---\nA cyclone, and bicycles.\n",
        },
        config=CONFIG,
    )
    run_build(root)


# -- second red-team round: spellings a reader reads as the name -------------------------

LOOKALIKES = {
    "circled": "Ⓗⓐⓛⓓⓔⓝ Ⓒⓨⓒⓛⓔⓢ",
    "parenthesized": "⒣⒜⒧⒟⒠⒩ ⒞⒴⒞⒧⒠⒮",
    "squared": "🄷🄰🄻🄳🄴🄽 🄲🅈🄲🄻🄴🅂",
    "regional-indicators": "🇭🇦🇱🇩🇪🇳 🇨🇾🇨🇱🇪🇸",
    "cyrillic": "Наlden Cусles",
    "greek": "Ηalden Cycles",
    "lisu": "ꓧalden Cycles",
    "right-to-left-override": "We worked with \u202eselcyC nedlaH\u202c last year.",
    "negative-circled": "🅗🅐🅛🅓🅔🅝 🅒🅨🅒🅛🅔🅢",
    "negative-squared": "🅷🅰🅻🅳🅴🅽 🅲🆈🅲🅻🅴🆂",
    "palochka": "HaӀden CycӀes",
    "lunate-sigma": "Halden Ϲycles",
    "footnote-mark": "Halden[^1] Cycles\n\n[^1]: A note.",
}


@pytest.mark.parametrize("spelling", list(LOOKALIKES))
def test_a_name_in_lookalike_letters_is_the_name(tmp_path: Path, spelling: str) -> None:
    root = base(tmp_path, g_body=f"Thanks to {LOOKALIKES[spelling]} for the brief.\n")
    assert_refused(root, "content/case-studies/g.md")


def test_ordinary_symbols_and_other_scripts_are_not_read_as_letters(tmp_path: Path) -> None:
    root = base(tmp_path, g_body="Lune™ © ① — Ελληνικά, русский, 東京. Cycles of growth.\n")
    run_build(root)
    assert b"Lune\xe2\x84\xa2" in (root / "output/case-studies/g/index.html").read_bytes()


def test_a_class_in_raw_html_cannot_hide_letters_from_the_guard(tmp_path: Path) -> None:
    # The theme's `visually-hidden` would hide "zz" from readers, who would read "Halden".
    root = base(tmp_path, g_body='Hal<span class="visually-hidden">zz</span>den Cycles.\n')
    run_build(root)
    page = (root / "output/case-studies/g/index.html").read_text()
    assert "Hal<span>zz</span>den" in page and 'class="visually-hidden">zz' not in page


@pytest.mark.parametrize("name", ["export.pdf", "export.zip", "export.mp4", "export.docx"])
def test_a_text_file_named_as_media_is_read_as_text(tmp_path: Path, name: str) -> None:
    root = base(tmp_path, {f"content/files/{name}": TABLE.encode()}, g_body=f"[Export](../files/{name})\n")
    assert_refused(root, f"output file files/{name}")


def test_a_random_file_named_pdf_is_refused_unread(tmp_path: Path) -> None:
    blob = bytes(range(256)) * 8
    root = base(tmp_path, {"content/files/brief.pdf": blob}, g_body="[Brief](../files/brief.pdf)\n")
    errors = build_errors(root)
    assert "content/files/brief.pdf" in errors and "cannot read" in errors, errors


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("static/site.css", ".credit::after { content: '\\48 alden Cycles'; }\n"),
        ("static/site.css", ".credit::after { content: 'H\\61 lden \\43 ycles'; }\n"),
        ("static/menu.js", "const who = '\\x48alden \\u{43}ycles';\n"),
        ("static/menu.js", "const who = '\\u0048alden Cycles';\n"),
    ],
)
def test_escapes_in_a_themes_css_and_javascript_are_read(tmp_path: Path, file: str, text: str) -> None:
    import shutil

    from portfolio.themes import bundled_dir

    root = base(tmp_path)
    shutil.copytree(bundled_dir() / "default", root / "themes/mine")
    with (root / "themes/mine" / file).open("a", encoding="utf-8") as f:
        f.write(text)
    (root / "portfolio.yaml").write_text(CONFIG + "theme: themes/mine\n")
    assert_refused(root, f"themes/mine/{file}")


def test_an_alias_that_keeps_a_word_of_the_name_is_warned(tmp_path: Path) -> None:
    root = base(tmp_path)
    bikes = root / "content/case-studies/bikes.md"
    bikes.write_text(bikes.read_text().replace("a bike shop", "Halden's bike shop"))
    result = run_build(root)
    warnings = [str(w) for w in result.warnings]
    assert any("'halden'" in w and "anonymized_as" in w for w in warnings), warnings
    bikes.write_text(bikes.read_text().replace("Halden's bike shop", "a Leeds cycles shop"))
    assert not any("anonymized_as" in str(w) for w in run_build(root).warnings)


def test_a_class_the_bundled_css_hides_cannot_hide_letters(tmp_path: Path) -> None:
    root = base(tmp_path, g_body='Hal<span class="lightbox">zz</span>den and <b class="brand-tag">x</b>.\n')
    run_build(root)
    page = (root / "output/case-studies/g/index.html").read_text()
    assert "Hal<span>zz</span>den" in page and "<b>x</b>" in page


def test_a_word_of_a_theme_in_the_site_does_not_hide_a_name_from_the_guard(tmp_path: Path) -> None:
    import shutil

    from portfolio.themes import bundled_dir

    root = base(tmp_path, {"templates/404.html": "<!doctype html><title>404</title><h1>Halden Cycles</h1>\n"})
    shutil.copytree(bundled_dir() / "default", root / "themes/mine")
    with (root / "themes/mine/i18n/en.yaml").open("a", encoding="utf-8") as f:
        f.write("unused_word: Halden Cycles\n")
    (root / "portfolio.yaml").write_text(CONFIG + "theme: themes/mine\n")
    assert_refused(root, "output file 404.html")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("brief.pdf", b"<html><h1>Halden Cycles brief</h1></html>\n%PDF-1.4\n"),
        ("brief.ttf", b"true\nHalden Cycles brief\n"),
        ("note.mp3", b"ID3 Halden Cycles notes\n"),
        ("event.ics", b"BEGIN:VCALENDAR\r\nSUMMARY:Hal\r\n den Cycles\r\nEND:VCALENDAR\r\n"),
    ],
)
def test_a_text_file_with_a_media_files_first_bytes_is_read(tmp_path: Path, name: str, data: bytes) -> None:
    root = base(tmp_path, {f"content/files/{name}": data}, g_body=f"[File](../files/{name})\n")
    assert_refused(root, f"output file files/{name}")


def test_a_page_full_of_unclosed_tags_builds_in_linear_time(tmp_path: Path) -> None:
    import time

    root = base(tmp_path, g_body="```\n" + "<a" * 40000 + "\n```\n")
    started = time.perf_counter()
    run_build(root)
    assert time.perf_counter() - started < 10


def test_a_leak_from_a_template_override_is_blamed_on_its_line(tmp_path: Path) -> None:
    """The user's own `templates/base.html` wrote the name: the error names that file and
    line, not the bundled theme's template nor the client's own `name:` line."""
    override = (
        '{% extends "theme/base.html" %}\n{% block styles %}\n{{ super() }}\n'
        "<p>Thanks to\nCAFE LUMIERE</p>\n{% endblock %}\n"
    )
    root = write_site(
        tmp_path,
        {
            "templates/base.html": override,
            "content/case-studies/a.md": study(
                "client: {name: Café Lumière, consent: pending, anonymized_as: a café}"
            ),
        },
    )
    errors = build_errors(root)
    lines = [line for line in errors.splitlines() if "the leak guard found" in line]
    assert lines and all(line.startswith("templates/base.html:5: ") for line in lines), errors
    assert "the theme's" not in errors
