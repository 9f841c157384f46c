"""Hidden names that tried to reach the output by side roads (the red team's items 1, 2, 6, 7).

Base site as the issue gives it: a pending client, Halden Cycles, anonymized as "a bike shop",
and a case study without a client that can link files and hold anything.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
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


def test_a_binary_file_without_the_name_is_published(tmp_path: Path) -> None:
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


# -- third red-team round: what documents and media files hold in their bytes -------------
# A linked PDF, an Office file or a video is published as it is: its metadata, text and the
# files inside it are read (filetext.py), not just its name.


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(title: str = "", mdat: bytes = b"\0" * 64, utf16: bool = False) -> bytes:
    """A minimal MP4: the movie's header, its title in iTunes-style metadata (©nam), the media."""
    ftyp = box(b"ftyp", b"isom\0\0\2\0isomiso2mp41")
    mvhd = box(
        b"mvhd", bytes(12) + struct.pack(">II", 1000, 1000) + b"\0\1\0\0\1\0" + bytes(74) + b"\0\0\0\2"
    )
    value = (
        (b"\0\0\0\2" + bytes(4) + title.encode("utf-16-be"))
        if utf16
        else (b"\0\0\0\1" + bytes(4) + title.encode())
    )
    ilst = box(b"ilst", box(b"\xa9nam", box(b"data", value)))
    hdlr = box(b"hdlr", bytes(8) + b"mdirappl" + bytes(9))
    moov = box(b"moov", mvhd + box(b"udta", box(b"meta", bytes(4) + hdlr + ilst)))
    return ftyp + moov + box(b"mdat", mdat)


def pdf(*objects: bytes, trailer: bytes = b"") -> bytes:
    """A PDF of `objects` (numbered from 1; 1 is the catalog), with a true cross-reference table."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )


def stream(data: bytes, extra: bytes = b"", flate: bool = False) -> bytes:
    if flate:
        data, extra = zlib.compress(data), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), extra, data)


PAGES = (b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")


def page_pdf(content: bytes, flate: bool = True) -> bytes:
    """A one-page PDF whose page shows `content` (its operators)."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    )
    return pdf(*PAGES, page, stream(content, flate=flate), font)


def info_pdf(title: str) -> bytes:
    """A PDF with a title in its properties, as pypdf (what the `pdf` extra reads) writes it."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Title": title, "/Author": "Sam Rivera", "/Producer": "Adobe PDF Library 17.0"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attached_pdf(text: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("notes.txt", text.encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def office(parts: dict[str, str] | None = None) -> bytes:
    """A Word file as Word writes one, its parts replaced or added by `parts` (path: XML)."""
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
        "word/document.xml": (
            '<?xml version="1.0"?><w:document '
            'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">'
            "<w:body><w:p><w:r><w:t>Spring launch</w:t></w:r></w:p></w:body></w:document>"
        ),
        "word/styles.xml": '<w:styles><w:style w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        "</w:styles>",
        "docProps/app.xml": (
            "<Properties><Application>Microsoft Office Word</Application>"
            "<AppVersion>16.0</AppVersion></Properties>"
        ),
        "docProps/core.xml": (
            '<cp:coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>Spring launch</dc:title><dc:creator>Sam Rivera</dc:creator></cp:coreProperties>"
        ),
        **(parts or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, xml in files.items():
            archive.writestr(path, xml)
    return out.getvalue()


RUNS = (
    "<w:p><w:r><w:t>%s</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>%s</w:t></w:r>"
    "<w:r><w:t xml:space='preserve'>%s</w:t></w:r></w:p>"
)


def xmp(title: str) -> bytes:
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/" '
        'x:xmptk="Adobe XMP Core 5.6"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<dc:title><rdf:Alt><rdf:li>{title}</rdf:li></rdf:Alt></dc:title>"
        "<xmp:CreatorTool>Adobe InDesign 18.0</xmp:CreatorTool></rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def hexstring(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


# file name -> (bytes that name the client, what the message says holds it, the same without)
HOLDERS: dict[str, tuple[bytes, str, bytes]] = {
    "title.mp4": (mp4("Halden Cycles launch teaser"), "its metadata", mp4("Spring launch teaser")),
    "utf16-title.mov": (mp4("HALDEN CYCLES", utf16=True), "its metadata", mp4("SPRING", utf16=True)),
    "subtitles.mp4": (
        mp4(mdat=bytes(64) + "Thanks to Halden Cycles!".encode("utf-16-le") + bytes(64)),
        "its bytes",
        mp4(mdat=bytes(64) + "Thanks to the team!".encode("utf-16-le") + bytes(64)),
    ),
    "info.pdf": (info_pdf("Halden Cycles brief"), "its metadata", info_pdf("Spring brief")),
    "accented-info.pdf": (
        pdf(*PAGES[:1], b"<< /Title %s >>" % hexstring("Hålden Cyclés"), trailer=b"/Info 2 0 R "),
        "its metadata",
        pdf(*PAGES[:1], b"<< /Title %s >>" % hexstring("Spring brief"), trailer=b"/Info 2 0 R "),
    ),
    "xmp.pdf": (
        pdf(
            PAGES[0][:-2] + b"/Metadata 2 0 R >>",
            stream(xmp("Halden Cycles"), b" /Type /Metadata /Subtype /XML"),
        ),
        "its metadata",
        pdf(PAGES[0][:-2] + b"/Metadata 2 0 R >>", stream(xmp("Spring"), b" /Type /Metadata /Subtype /XML")),
    ),
    "page-text.pdf": (
        page_pdf(b"BT /F1 12 Tf 20 100 Td [(Hal) -15 (den) -300 (Cy) 10 (cles)] TJ ET"),
        "its text",
        page_pdf(b"BT /F1 12 Tf 20 100 Td [(Spr) -15 (ing) -300 (la) 10 (unch)] TJ ET"),
    ),
    "attached.pdf": (
        attached_pdf("Notes for the Halden Cycles launch"),
        "a file attached to it, in its bytes",
        attached_pdf("Notes for the spring launch"),
    ),
    "core.docx": (
        office({"docProps/core.xml": "<dc:title>Halden Cycles pitch</dc:title>"}),
        "a file inside it: docProps/core.xml",
        office(),
    ),
    "body.docx": (
        # Word splits a word into runs where its spelling check or its revisions please.
        office({"word/document.xml": RUNS % ("For Hal", "den", " Cycles")}),
        "a file inside it: word/document.xml",
        office({"word/document.xml": RUNS % ("For the", " te", "am")}),
    ),
    "names.zip": (
        office({"media/halden-cycles-logo.png": "x"}),
        "the names of the files inside it",
        office({"media/logo.png": "x"}),
    ),
    # Header-only masquerades: text behind a PDF's, a ZIP's or an MP4's first bytes.
    "masquerade.pdf": (
        b"%PDF-1.4\nHalden Cycles secret plan\n%%EOF\n",
        "its text",
        b"%PDF-1.4\nSpring plan\n%%EOF\n",
    ),
    "masquerade.mp4": (
        b"\0\0\0\x18ftypisom\0\0\2\0isomiso2" + b"\0plan for Halden Cycles\0",
        "its bytes",
        b"\0\0\0\x18ftypisom\0\0\2\0isomiso2" + b"\0plan for the launch\0",
    ),
}
HINTS = {
    "mp4": "remove its metadata, e.g. ffmpeg -i in.mp4 -map_metadata -1 -c copy out.mp4",
    "pdf": (
        "remove the name from the document's properties (title, author, subject, keywords) "
        "and export the PDF again"
    ),
}


@pytest.mark.parametrize("name", list(HOLDERS))
def test_a_document_or_video_that_names_the_client_in_its_bytes_is_refused(tmp_path: Path, name: str) -> None:
    data, where, _ = HOLDERS[name]
    root = base(tmp_path, {f"content/files/{name}": data}, g_body=f"[The file](../files/{name})\n")
    errors = assert_refused(root)
    expected = (
        f"content/files/{name}: the leak guard found the anonymized client name 'Halden Cycles' "
        f"(client of content/case-studies/bikes.md) in the output file files/{name}, in {where}: "
    )
    assert expected in errors, errors


@pytest.mark.parametrize("name", list(HOLDERS))
def test_the_same_files_without_the_name_are_published_as_they_are(tmp_path: Path, name: str) -> None:
    _, _, clean = HOLDERS[name]
    root = base(tmp_path, {f"content/files/{name}": clean}, g_body=f"[The file](../files/{name})\n")
    run_build(root)
    assert (root / "output/files" / name).read_bytes() == clean


def test_a_gallery_videos_title_is_read_and_the_message_says_how_to_remove_it(tmp_path: Path) -> None:
    """The red team's case: a video in the gallery, its title in its metadata."""
    from PIL import Image

    root = base(tmp_path, {"content/media/v.mp4": mp4("Halden Cycles launch teaser")})
    (root / "content/images").mkdir()
    Image.new("RGB", (400, 300), (200, 50, 50)).save(root / "content/images/poster.jpg")
    bikes = root / "content/case-studies/bikes.md"
    bikes.write_text(
        bikes.read_text().replace(
            "---\nBody",
            "gallery:\n  - {video: ../media/v.mp4, poster: ../images/poster.jpg, alt: Teaser}\n---\nBody",
        )
    )
    errors = assert_refused(root)
    assert (
        "content/media/v.mp4: the leak guard found the anonymized client name 'Halden Cycles' (client of "
        "content/case-studies/bikes.md) in the output file files/v.mp4, in its metadata: "
        '"halden cycles launch teaser"\n'
        f"  hint: {HINTS['mp4']}"
    ) in errors, errors


def test_a_pdfs_properties_are_read_and_the_message_says_how_to_remove_them(tmp_path: Path) -> None:
    root = base(
        tmp_path,
        {"content/files/brief.pdf": info_pdf("Halden Cycles brief")},
        g_body="[Brief](../files/brief.pdf)\n",
    )
    errors = assert_refused(root)
    assert (
        "in the output file files/brief.pdf, in its metadata: "
        '"halden cycles brief sam rivera"\n'
        f"  hint: {HINTS['pdf']}"
    ) in errors, errors


def test_the_tools_that_made_a_file_are_not_a_client_of_the_same_name(tmp_path: Path) -> None:
    """Every Word file says Microsoft Office made it, every XMP packet names Adobe: a client
    called so is still found in the words of the file, not in its machinery."""
    clients = {"word.md": "Microsoft", "pdf.md": "Adobe"}
    files: dict[str, str | bytes] = {
        f"content/case-studies/{slug}": study(
            title="For {client}", front=f"client: {{name: {name}, consent: pending, anonymized_as: a firm}}"
        )
        for slug, name in clients.items()
    }
    files["content/files/report.docx"] = office()
    files["content/files/brief.pdf"] = pdf(
        PAGES[0][:-2] + b"/Metadata 2 0 R >>",
        stream(xmp("Spring"), b" /Type /Metadata /Subtype /XML"),
        b"<< /Title (Spring) /Producer (Adobe PDF Library 17.0) /Creator (Microsoft Word) >>",
        trailer=b"/Info 3 0 R ",
    )
    files["content/case-studies/g.md"] = study(
        body="[Report](../files/report.docx) [Brief](../files/brief.pdf)\n"
    )
    root = write_site(tmp_path, files, config=CONFIG)
    run_build(root)
    files["content/files/report.docx"] = office(
        {"docProps/core.xml": "<dc:title>Microsoft rebrand</dc:title>"}
    )
    errors = build_errors(write_site(tmp_path, files, config=CONFIG))
    assert "'Microsoft'" in errors and "a file inside it: docProps/core.xml" in errors, errors


def test_the_cv_is_not_read(tmp_path: Path) -> None:
    """SPEC: the CV is the user's own account of their work, and may name any employer."""
    root = base(tmp_path, {"content/files/cv.pdf": info_pdf("Sam Rivera, for Halden Cycles")})
    (root / "portfolio.yaml").write_text(
        CONFIG.replace("{name: Sam Rivera}", "{name: Sam Rivera, resume: content/files/cv.pdf}")
    )
    run_build(root)
    assert (root / "output/files/cv.pdf").is_file()


def bomb(declared: int, real: int = 1 << 30) -> bytes:
    """A ZIP of one file of `real` zero bytes (1 GB), packed to about a megabyte, that says it
    is `declared` bytes long. Written by hand: deflating a gigabyte would take seconds."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(bytes(1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)  # 1 MB, history reset
    data = block * (real >> 20) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    name = b"zeros.bin"
    fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, 0, len(data), declared)
    local = b"PK\x03\x04" + fields + struct.pack("<HH", len(name), 0) + name
    central = (
        b"PK\x01\x02"
        + struct.pack("<H", 20)
        + fields
        + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, 0)
        + name
    )
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    return local + data + central + end


@pytest.mark.parametrize(
    ("archive", "reason"),
    [
        (lambda: bomb(declared=1 << 30), "it unpacks to more than 256 MB"),
        (lambda: bomb(declared=1000), "zeros.bin inside it cannot be unpacked"),
        (
            lambda: office({f"f{i}.txt": "" for i in range(10_001)}),
            "it holds more than 10,000 files",
        ),
    ],
    ids=["bomb", "lying-bomb", "too-many-files"],
)
def test_a_zip_bomb_is_refused_at_once(tmp_path: Path, archive: Callable[[], bytes], reason: str) -> None:
    root = base(tmp_path, {"content/files/data.zip": archive()}, g_body="[Data](../files/data.zip)\n")
    started = time.perf_counter()
    errors = build_errors(root)
    assert time.perf_counter() - started < 10
    assert f"content/files/data.zip: is published as files/data.zip, but {reason}" in errors, errors
    assert "so the leak guard cannot read it to prove it names no client who has not consented" in errors
    assert "\n  hint: " in errors
    assert not (root / "output").exists()


def test_an_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    data = pdf(
        *PAGES[:1], b"<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>", trailer=b"/Encrypt 2 0 R "
    )
    root = base(tmp_path, {"content/files/brief.pdf": data}, g_body="[Brief](../files/brief.pdf)\n")
    errors = build_errors(root)
    assert "files/brief.pdf, but it is encrypted" in errors and "without a password" in errors, errors


def test_random_bytes_do_not_spell_a_short_name(tmp_path: Path) -> None:
    """Compressed video is random bytes: 8 MB of them spell "BT", "Go" or "H&M" somewhere, but
    not in a run of text long enough to be read as words."""
    import random

    from portfolio.leakguard import NameFinder, hidden_name

    finder = NameFinder([hidden_name(n, "anonymized", "x.md") for n in ("BT", "Go", "H&M", "Ikea", "Mars")])
    noise = random.Random(7).randbytes(8 << 20)
    assert finder.find_in_file("files/v.mp4", mp4("Spring launch", mdat=noise), as_is=True) is None
    assert finder.find_in_file("files/v.mp4", mp4("BT", mdat=noise), as_is=True) is not None


def test_a_video_already_verified_is_not_read_again(tmp_path: Path) -> None:
    from portfolio.cache import Cache
    from portfolio.errors import Problems
    from portfolio.leakguard import NameFinder, guard_output, hidden_name

    video = tmp_path / "v.mp4"
    video.write_bytes(mp4("Spring launch", mdat=bytes(1 << 20)))
    finder = NameFinder([hidden_name("Halden Cycles", "anonymized", "x.md")])
    cache = Cache(tmp_path / "cache")

    def guard() -> int:
        read = guard_output(
            {"files/v.mp4": video}, {}, set(), finder, cache, Problems(), as_is={"files/v.mp4"}
        )
        cache.save()
        return read

    assert guard() == 1 and guard() == 0
    video.write_bytes(mp4("Halden Cycles launch", mdat=bytes(1 << 20)))
    problems = Problems()
    guard_output({"files/v.mp4": video}, {}, set(), finder, cache, problems, as_is={"files/v.mp4"})
    assert "in its metadata" in str(problems.errors[0])
