"""RELIABILITY.md, D. Privacy (D21-D32): no metadata in any published image, nothing private,
unconsented, draft or dev-only in any output byte, in either language, in the PDFs and on
application pages, and every bad image one clear error in bounded memory."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from conftest import CONFIG, build_errors, output_bytes, run_build, study, write_site
from harness import assert_nowhere, assert_somewhere, cli_run, pdf_text, readable, tree
from images import GPS_SENTINEL, XMP_SENTINEL, heic, jpeg, swapped_rgb_profile
from PIL import Image, PngImagePlugin

from portfolio.errors import ContentErrors

# -- D21-D27: images ---------------------------------------------------------------------------

IPTC_SENTINEL = b"IPTCSENTINEL-by-line-home"


def with_iptc(data: bytes) -> bytes:
    """A JPEG with an IPTC by-line in a Photoshop APP13 segment, as Lightroom writes it."""
    record = b"\x1c\x02\x50" + struct.pack(">H", len(IPTC_SENTINEL)) + IPTC_SENTINEL
    block = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record + b"\x00" * (len(record) % 2)
    payload = b"Photoshop 3.0\x00" + block
    return data[:2] + b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload + data[2:]


def exif(tag_text: str) -> bytes:
    found = Image.Exif()
    found[0x010F] = tag_text  # Make
    found[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0), 27: GPS_SENTINEL.encode()}
    return found.tobytes()


def every_metadata_image(kind: str) -> bytes:
    """A 600x400 picture (three published widths) carrying every metadata its format holds."""
    im = Image.new("RGB", (600, 400), (30, 140, 90))
    buf = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + XMP_SENTINEL + b"</x:xmpmeta>"
    if kind == "jpeg":
        return with_iptc(jpeg(600, 400, gps=True, xmp=True))
    if kind == "png":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "PNGTEXTSENTINEL")
        info.add_itxt("XML:com.adobe.xmp", xmp.decode())
        info.add_text("Author", "PNGZTXTSENTINEL", zip=True)
        im.save(buf, "PNG", pnginfo=info, exif=exif("EXIFPNGSENTINEL"))
    elif kind == "webp":
        im.save(buf, "WEBP", exif=exif("EXIFWEBPSENTINEL"), xmp=xmp)
    elif kind == "tiff":
        im.save(buf, "TIFF", exif=exif("EXIFTIFFSENTINEL"), description="TIFFDESCSENTINEL")
    elif kind == "heic":
        return heic(600, 400, gps=True, xmp=True)
    return buf.getvalue()


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the picture data."""
    markers, at = [], 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: the picture data follows
            break
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 8
    while at + 8 <= len(data):
        size = struct.unpack(">I", data[at : at + 4])[0]
        chunks.append(data[at + 4 : at + 8])
        at += 12 + size
    return chunks


def webp_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 12
    while at + 8 <= len(data):
        size = struct.unpack("<I", data[at + 4 : at + 8])[0]
        chunks.append(data[at : at + 4])
        at += 8 + size + size % 2
    return chunks


SENTINELS = [
    GPS_SENTINEL.encode(),
    XMP_SENTINEL,
    IPTC_SENTINEL,
    b"iPhone 13 mini",
    b"PNGTEXTSENTINEL",
    b"PNGZTXTSENTINEL",
    b"EXIFPNGSENTINEL",
    b"EXIFWEBPSENTINEL",
    b"EXIFTIFFSENTINEL",
    b"TIFFDESCSENTINEL",
]


def test_D21_no_exif_gps_xmp_or_iptc_in_any_output_image_of_any_format_or_size(tmp_path: Path) -> None:
    """D21: photos in JPEG (EXIF, GPS, XMP, IPTC), PNG (text, compressed text, XMP, eXIf),
    WebP (EXIF, XMP), TIFF (EXIF, GPS, description) and HEIC (EXIF, GPS, XMP), as cover,
    gallery item, logo, avatar and Markdown image: every published file of every format
    (AVIF, WebP, JPEG, PNG) and width holds none of it, checked on the bytes and by walking
    each file's own structure (no APP1/APP13 segment, no text or eXIf chunk, no EXIF or XMP
    chunk, no Exif or XMP item)."""
    kinds = ["jpeg", "png", "webp", "tiff", "heic"]
    files: dict[str, str | bytes] = {f"content/images/{k}.{k}": every_metadata_image(k) for k in kinds}
    gallery = "\n".join(f"  - {{src: ../images/{k}.{k}, alt: {k}}}" for k in kinds[1:])
    files["content/case-studies/x.md"] = study(
        front="client: {name: Acme Rockets, consent: granted, logo: ../images/png.png}\n"
        f"cover: {{src: ../images/jpeg.jpeg, alt: Cover}}\ngallery:\n{gallery}",
        body="![In the body](../images/tiff.tiff)\n",
    )
    config = CONFIG.replace("  email:", "  avatar: content/images/heic.heic\n  email:")
    root = write_site(tmp_path / "site", files, config=config)
    run_build(root)
    published = sorted((root / "output/images").iterdir())
    widths = {int(m[1]) for p in published if (m := re.search(r"-(\d+)\.\w+$", p.name))}
    assert {p.suffix for p in published} >= {".avif", ".webp", ".jpg", ".png"} and {160, 480, 600} <= widths
    for path in published:
        data = path.read_bytes()
        for sentinel in SENTINELS:
            assert sentinel not in data, (path.name, sentinel)
        for marker in (b"Exif\x00\x00", b"xmpmeta", b"ns.adobe.com/xap", b"Photoshop 3.0", b"8BIM"):
            assert marker not in data, (path.name, marker)
        if path.suffix == ".jpg":
            assert not {0xE1, 0xED} & set(jpeg_segments(data)), (path.name, jpeg_segments(data))
        elif path.suffix == ".png":
            assert not {b"tEXt", b"zTXt", b"iTXt", b"eXIf"} & set(png_chunks(data)), path.name
        elif path.suffix == ".webp":
            assert not {b"EXIF", b"XMP "} & set(webp_chunks(data)), path.name
        elif path.suffix == ".avif":
            assert b"Exif" not in data and b"mime" not in data, path.name
        with Image.open(path) as im:
            assert not im.getexif() and "xmp" not in im.info and "photoshop" not in im.info, path.name
    everything = output_bytes(root / "output")
    for sentinel in SENTINELS:
        assert sentinel not in everything, sentinel


def test_D22_an_original_linked_from_markdown_is_published_only_as_a_stripped_copy(tmp_path: Path) -> None:
    """D22: a photo with GPS, linked every way Markdown can (image, link, raw <img>), is
    published only as re-encoded copies: no output file has its bytes, its name unchanged,
    or its GPS position. A raw <a> to it cannot be rewritten: the build refuses it."""
    original = jpeg(320, 240, gps=True, xmp=True)
    body = '![Team](photo.jpg)\n\n[Full size](photo.jpg)\n\n<img src="photo.jpg" alt="Raw">\n'
    files: dict[str, str | bytes] = {
        "content/case-studies/x/index.md": study(body=body),
        "content/case-studies/x/photo.jpg": original,
    }
    root = write_site(tmp_path / "site", files)
    run_build(root)
    digest = hashlib.sha256(original).hexdigest()
    for rel, data in tree(root / "output").items():
        assert hashlib.sha256(data).hexdigest() != digest, rel
        assert not rel.endswith("/photo.jpg"), rel
    everything = output_bytes(root / "output")
    assert GPS_SENTINEL.encode() not in everything and XMP_SENTINEL not in everything
    page = (root / "output/case-studies/x/index.html").read_text()
    assert page.count("images/photo-") >= 3 and 'src="photo.jpg"' not in page

    files["content/case-studies/x/index.md"] = study(body=body + '\n<a href="photo.jpg">Raw link</a>\n')
    raw = write_site(tmp_path / "raw", files)
    with pytest.raises(ContentErrors, match=r"x/index.md:\d+: the link 'photo.jpg'"):
        run_build(raw)
    assert not (raw / "output").exists()


def test_D23_every_exif_orientation_is_shown_upright_with_its_displayed_size(tmp_path: Path) -> None:
    """D23: EXIF orientations 1 to 8 in one gallery: each published picture has its pixels
    upright (the marker drawn top-left of the camera's pixels is where a viewer saw it) and
    the page gives width and height as displayed."""
    files: dict[str, str | bytes] = {
        f"content/images/o{n}.jpg": jpeg(64, 48, orientation=n) for n in range(1, 9)
    }
    gallery = "\n".join(f"  - {{src: ../images/o{n}.jpg, alt: Orientation {n}}}" for n in range(1, 9))
    files["content/case-studies/x.md"] = study(front="gallery:\n" + gallery)
    root = write_site(tmp_path / "site", files)
    run_build(root)
    page = (root / "output/case-studies/x/index.html").read_text()
    # Where the dark marker ends up for each orientation (the EXIF rotation a viewer applies).
    corner = {1: "tl", 2: "tr", 3: "br", 4: "bl", 5: "tl", 6: "tr", 7: "br", 8: "bl"}
    for n in range(1, 9):
        swapped = n >= 5
        tag = re.findall(rf'<img[^>]*src="[^"]*/o{n}-[^>]*>', page)[0]
        assert ('width="48" height="64"' if swapped else 'width="64" height="48"') in tag, (n, tag)
        (fallback,) = [p for p in (root / "output/images").glob(f"o{n}-*.jpg")]
        with Image.open(fallback) as im:
            assert im.size == ((48, 64) if swapped else (64, 48)), n
            w, h = im.size
            points = {"tl": (2, 2), "tr": (w - 3, 2), "bl": (2, h - 3), "br": (w - 3, h - 3)}
            dark = {name for name, xy in points.items() if max(im.convert("RGB").getpixel(xy)) < 60}
            assert dark == {corner[n]}, (n, dark)


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def _png_with_huge_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "A" * (PngImagePlugin.MAX_TEXT_CHUNK + 1000), zip=True)
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            _png_header_only(30000, 30000),
            "content/case-studies/x.md:6: cover.src: content/images/c.png is 30000x30000 (900 megapixels); "
            "the limit is images.max_megapixels = 50",
        ),
        (
            _png_with_huge_text(),
            "content/case-studies/x.md:6: cover.src: content/images/c.png cannot be read",
        ),
    ],
    ids=["30000x30000 declared", "compressed text chunk past MAX_TEXT_CHUNK"],
)
def test_D24_a_decompression_bomb_is_one_clear_error_in_bounded_memory(
    tmp_path: Path, data: bytes, expected: str
) -> None:
    """D24: a PNG of a few hundred bytes declaring 30000x30000 pixels, and one whose
    compressed text chunk inflates past Pillow's limit: a real build fails with one line
    naming the file, in under 2 s of CPU and 200 MB."""
    assert len(data) < 20_000
    root = write_site(
        tmp_path / "site",
        {
            "content/images/c.png": data,
            "content/case-studies/x.md": study(front="cover: {src: ../images/c.png, alt: A}"),
        },
    )
    run = cli_run(["build"], cwd=root)
    run.refused()
    assert expected in run.err, run.err
    assert run.err.count("\n") <= 3, run.err  # the error, perhaps a hint, the count
    assert run.cpu < 2 and run.peak_mb < 200, (run.cpu, run.peak_mb)
    assert not (root / "output").exists()


def test_D25_truncated_empty_and_html_as_jpeg_are_each_one_clear_error(tmp_path: Path) -> None:
    """D25: a truncated JPEG, a zero-byte file and an HTML page saved as .jpg, all in one
    site: a real build reports the three at once, one line each naming the file and the
    field, no traceback. A JPEG cut after its header (it opens, its pixels end early) is
    found when it is encoded, as one line too."""
    whole = jpeg(400, 300, colour=(90, 140, 30))
    files: dict[str, str | bytes] = {
        "content/images/cut.jpg": whole[:300],
        "content/images/empty.jpg": b"",
        "content/images/page.jpg": b"<!doctype html><html><body>Saved as</body></html>",
        "content/case-studies/x.md": study(
            front="cover: {src: ../images/cut.jpg, alt: A}\ngallery:\n"
            "  - {src: ../images/empty.jpg, alt: B}\n  - {src: ../images/page.jpg, alt: C}"
        ),
    }
    root = write_site(tmp_path / "site", files)
    run = cli_run(["build"], cwd=root)
    run.refused()
    assert "x.md:6: cover.src: content/images/cut.jpg cannot be read" in run.err, run.err
    assert "x.md:8: gallery[0].src: content/images/empty.jpg is an empty file" in run.err
    assert (
        "x.md:9: gallery[1].src: content/images/page.jpg is not an image file the build can read" in run.err
    )
    assert run.err.strip().endswith("3 errors; output/ was left as it was."), run.err
    (root / "content/images/cut.jpg").write_bytes(whole[: len(whole) // 2])
    (root / "content/images/empty.jpg").write_bytes(jpeg())
    (root / "content/images/page.jpg").write_bytes(jpeg())
    run = cli_run(["build"], cwd=root)
    run.refused()
    assert "content/images/cut.jpg: is truncated (the file ends early): export it again" in run.err, run.err
    assert run.err.count("cut.jpg") == 1


def test_D26_cmyk_jpegs_come_out_in_their_srgb_colours(tmp_path: Path) -> None:
    """D26: a CMYK JPEG (pure red ink) without a profile, and one carrying a profile it
    cannot use (an RGB display profile, as some exporters embed), are published as RGB red,
    never inverted or failed; an RGB JPEG whose profile makes its red blue is published
    blue. (No CMYK printing profile can be made here: LittleCMS writes none and the
    system ships none, so the profile path is proven on RGB.)"""
    red = Image.new("CMYK", (32, 32), (0, 255, 255, 0))
    plain, tagged, rgb = io.BytesIO(), io.BytesIO(), io.BytesIO()
    red.save(plain, "JPEG")
    red.save(tagged, "JPEG", icc_profile=swapped_rgb_profile())
    Image.new("RGB", (32, 32), (255, 0, 0)).save(rgb, "JPEG", quality=95, icc_profile=swapped_rgb_profile())
    files: dict[str, str | bytes] = {
        "content/images/plain.jpg": plain.getvalue(),
        "content/images/tagged.jpg": tagged.getvalue(),
        "content/images/rgb.jpg": rgb.getvalue(),
        "content/case-studies/x.md": study(
            front="gallery:\n  - {src: ../images/plain.jpg, alt: A}\n"
            "  - {src: ../images/tagged.jpg, alt: B}\n  - {src: ../images/rgb.jpg, alt: C}"
        ),
    }
    root = write_site(tmp_path / "site", files)
    run_build(root)
    for name, expected in (("plain", "red"), ("tagged", "red"), ("rgb", "blue")):
        for path in (root / "output/images").glob(f"{name}-*"):
            with Image.open(path) as im:
                assert "icc_profile" not in im.info, path.name
                r, g, b = im.convert("RGB").getpixel((16, 16))  # type: ignore[misc]
                ok = (r > 200 and g < 60 and b < 60) if expected == "red" else (b > 200 and r < 60 and g < 60)
                assert ok, (path.name, (r, g, b))


def test_D27_an_animated_gif_stays_animated_with_a_warning(tmp_path: Path) -> None:
    """D27: an animated GIF is published with all its frames and timings (passed through,
    its comment stripped), never reduced to its first frame, and the build warns about its
    weight."""
    frames = [Image.new("RGB", (20, 20), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0,
                   comment=b"GIFCOMMENTSENTINEL")  # fmt: skip
    root = write_site(
        tmp_path / "site",
        {
            "content/images/anim.gif": buf.getvalue(),
            "content/case-studies/x.md": study(front="cover: {src: ../images/anim.gif, alt: A}"),
        },
    )
    result = run_build(root)
    published = [p for p in (root / "output/images").glob("anim-*") if p.suffix == ".gif"]
    assert published
    for path in published:
        assert b"GIFCOMMENTSENTINEL" not in path.read_bytes()
        with Image.open(path) as im:
            assert im.n_frames == 3
            durations = []
            for i in range(3):
                im.seek(i)
                durations.append(im.info["duration"])
            assert durations == [100, 200, 300]
    assert any(str(w).startswith("content/images/anim.gif: is an animated GIF") for w in result.warnings)


# -- D28-D32: nothing private, draft or dev-only, in any language, PDF or application ----------------

TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()

PRIVATE_ROUND = {
    "portfolio.yaml": CONFIG.replace(
        "  email: test@example.com\n", "  email: test@example.com\n  _home: SENTINEL-AUTHOR-KEY\n"
    )
    + "languages: [en, fr]\npdf: true\n_notes: SENTINEL-CONFIG-KEY\n",
    "content/case-studies/x.md": study(
        title="Launch for {client}",
        front="client:\n  name: Acme Rockets\n  consent: granted\n  consent_note: SENTINEL-CONSENT-NOTE\n"
        "  _who: SENTINEL-CLIENT-KEY\n_todo: SENTINEL-STUDY-KEY\nprivate_notes: SENTINEL-PRIVATE-NOTES\n"
        "metrics:\n  - {label: Reach, value: 10, source: Meta, _calc: SENTINEL-METRIC-KEY}",
    ),
    "content/case-studies/x.fr.md": "---\ntitle: Lancement pour {client}\n_todo: SENTINEL-TRANSLATION-KEY\n"
    "private_notes: SENTINEL-TRANSLATION-NOTES\n---\nEn français.\n",
    "content/pages/about.md": "---\ntitle: About\nprivate_notes: SENTINEL-PAGE-NOTES\n"
    "_x: SENTINEL-PAGE-KEY\n---\nHi.\n",
    "content/applications/acme.md": "---\ncompany: Globex\nrole: Growth lead\ntoken: q8Zt3kLw2mXa\n"
    "case_studies: [x]\nprivate_notes: SENTINEL-APPLICATION-NOTES\n_salary: SENTINEL-APPLICATION-KEY\n"
    f"expires: {TOMORROW}\n---\nDear Globex.\n",
}


@pytest.fixture(scope="module")
def private_round(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_site(tmp_path_factory.mktemp("private") / "site", PRIVATE_ROUND)
    run_build(root)
    return root / "output"


def test_D28_private_fields_reach_no_byte_of_either_language_the_pdfs_or_an_application(
    private_round: Path,
) -> None:
    """D28: sentinels in private_notes, consent_note and `_` keys of portfolio.yaml, a case
    study, its French translation, a page and an application: zero occurrences in any
    output byte or file name, in any folded spelling, and in the words of every PDF."""
    assert {"portfolio.pdf", "fr/portfolio.pdf", "for/acme-q8Zt3kLw2mXa/portfolio.pdf"} <= set(
        tree(private_round)
    )
    assert_somewhere(private_round, "Launch for Acme Rockets", "Lancement pour Acme Rockets", "Dear Globex")
    sentinels = sorted(set(re.findall(r"SENTINEL-[A-Z-]+", "\n".join(PRIVATE_ROUND.values()))))
    assert len(sentinels) == 13
    assert_nowhere(private_round, *sentinels)


HIDDEN_SITE = {
    "content/images/lumiere.jpg": jpeg(colour=(1, 2, 3)),
    "content/case-studies/lumiere.md": study(
        title="Nights at {client}",
        summary="Bookings for {client}.",
        slug="brewery-nights",
        front="client: {name: Brasserie Mercière, url: https://merciere.example, consent: pending,\n"
        "  anonymized_as: {fr: une brasserie lyonnaise, en: a Lyon brewery}}\n"
        "cover: {src: ../images/lumiere.jpg, alt: 'The bar of {client}'}\n"
        "metrics:\n  - {label: Bookings, before: 100, after: 190, source: 'Booking tool of {client}'}",
        body="## Context\n\n{client} wanted guests on weeknights.\n",
    ),
    "content/case-studies/lumiere.en.md": "---\ntitle: Nights at {client}\n"
    "summary: Bookings for {client}.\n---\n## Context\n\n{client} wanted guests on weeknights.\n",
    "content/case-studies/hidden.md": study(
        title="Leads for {client}",
        slug="housing-leads",
        front="client: {name: Meridian Homes, consent: denied}\nskills: [Onlywithheldskill]",
    ),
    "content/case-studies/hidden.en.md": "---\ntitle: Leads for {client}\n---\nIn English.\n",
    "content/case-studies/shown.md": study(title="Ma newsletter", front="skills: [Email]"),
    "content/applications/acme.md": "---\ncompany: Acme\nrole: Growth lead\ntoken: q8Zt3kLw2mXa\n"
    "case_studies: [brewery-nights, shown]\n---\nBonjour Acme.\n",
    "content/applications/acme.en.md": "---\nrole: Growth lead\n---\nHello Acme.\n",
}


def test_D28_a_bilingual_site_names_a_hidden_client_in_neither_language(tmp_path: Path) -> None:
    """D28 (this round): a bilingual site with an anonymized client (an alias per language)
    and a withheld one, an application choosing the anonymized work, and the PDFs: neither
    client's name, address nor the withheld work is in any byte of either language, any
    feed, the sitemap or any PDF's words; each alias is shown in its language."""
    root = write_site(tmp_path / "site", HIDDEN_SITE, config=CONFIG + "languages: [fr, en]\npdf: true\n")
    run_build(root)
    out = root / "output"
    assert (out / "en/feed.xml").is_file() and (out / "en/for/acme-q8Zt3kLw2mXa/portfolio.pdf").is_file()
    texts = readable(out)
    assert "une brasserie lyonnaise" in texts["etudes-de-cas/brewery-nights/index.html"]
    assert "a Lyon brewery" in texts["en/case-studies/brewery-nights/index.html"]
    assert "Lyon brewery" in pdf_text((out / "en/portfolio.pdf").read_bytes())
    assert_nowhere(
        out, "Brasserie Mercière", "merciere", "Meridian Homes", "housing-leads", "Onlywithheldskill"
    )


CONSENT_WORDS = {
    "yes": ("consent: yes", "got true"),
    "no": ("consent: no", "got false"),
    "on": ("consent: on", "got true"),
    "trailing space": ('consent: "granted "', 'got "granted "'),
    "capital": ("consent: Granted", 'got "Granted"'),
    "a list": ("consent: [granted]", "got a list"),
    "a number": ("consent: 1", "got 1"),
    "a mapping": ("consent: {granted: true}", "got a mapping"),
}


def test_D29_only_the_exact_consent_words_count_anything_else_fails_closed(tmp_path: Path) -> None:
    """D29: `consent: yes`, `no`, `on`, `"granted "`, `Granted`, `[granted]`, a number, a
    mapping, and `Consent: granted`: each an error at its line naming the field, all in one
    build, which then publishes nothing. The same holds for a testimonial's consent and the
    site's consent policy; a translation may not change consent at all."""
    files: dict[str, str | bytes] = {
        f"content/case-studies/c{i}.md": study(front=f"client: {{name: Client {i}, {written}}}")
        for i, (written, _) in enumerate(CONSENT_WORDS.values())
    }
    files["content/case-studies/key.md"] = study(
        front="client: {name: Keyed, Consent: granted, anonymized_as: A}"
    )
    files["content/case-studies/quote.md"] = study(front="testimonial: {quote: Great, consent: yes}")
    files["content/case-studies/quote.en.md"] = "---\ntitle: Quote\nclient: {consent: granted}\n---\n"
    root = write_site(
        tmp_path / "site", files, config=CONFIG + "languages: [fr, en]\nconsent: {pending: yes}\n"
    )
    message = build_errors(root)
    for i, (_, got) in enumerate(CONSENT_WORDS.values()):
        assert (
            f"content/case-studies/c{i}.md:6: client.consent: "
            f"expected one of granted, pending, denied, private, {got}" in (message)
        ), (i, message)
    assert "content/case-studies/key.md:6: client.Consent: unknown field `Consent`" in message
    assert (
        "content/case-studies/quote.md:6: testimonial.consent: expected one of granted, pending, denied"
        in message
    )
    assert (
        "content/case-studies/quote.en.md:3: client: a translation may only give its anonymized_as" in message
    ), message
    assert "portfolio.yaml:8: consent.pending: expected one of anonymize, withhold, got true" in message
    assert not (root / "output").exists()


DRAFTS_SITE = {
    "content/case-studies/a-first.md": study(
        title="First shown", date="2025-01-10", front="skills: [Shared]"
    ),
    "content/case-studies/b-draft.md": study(
        title="DRAFT-WORK",
        date="2025-02-10",
        front="draft: true\nfeatured: true\nskills: [Draftonlyskill, Shared]\n"
        "channels: [Draftonlychannel]\nmetrics:\n  - {label: Draftmetric, value: 1, source: x}",
    ),
    "content/case-studies/c-unlisted.md": study(
        title="UNLISTED-WORK",
        date="2025-03-10",
        front="unlisted: true\nskills: [Unlistedonlyskill]\n"
        "metrics:\n  - {label: Unlistedmetric, value: 1, source: x}",
    ),
    "content/case-studies/d-last.md": study(title="Last shown", date="2025-04-10", front="skills: [Shared]"),
    "content/pages/wip.md": "---\ntitle: DRAFT-PAGE\ndraft: true\n---\n",
    "content/pages/hidden.md": "---\ntitle: UNLISTED-PAGE\nunlisted: true\n---\nBy link only.\n",
    "content/applications/acme.md": "---\ncompany: Acme\nrole: Lead\ntoken: q8Zt3kLw2mXa\n"
    "case_studies: [c-unlisted, a-first]\n---\nHello.\n",
    "content/applications/draft.md": "---\ncompany: DRAFT-APPLICATION\nrole: Lead\ntoken: Zx81_kq-Lm0p\n"
    "case_studies: [a-first]\ndraft: true\n---\nHello.\n",
}


def test_D30_drafts_and_unlisted_work_stay_out_of_every_list_count_and_link(tmp_path: Path) -> None:
    """D30: a draft is in no page, listing, feed, sitemap, filter page, count or
    next/previous link of `build`; an unlisted study or page is built, reachable by its URL,
    noindex, and in no listing, feed, sitemap, filter page, count or neighbour's link."""
    root = write_site(tmp_path / "site", DRAFTS_SITE, config=CONFIG + "pdf: true\n")
    result = run_build(root)
    out = root / "output"
    assert result.published == 3 and result.drafts == 1
    for hidden in ("case-studies/c-unlisted/index.html", "hidden/index.html"):
        assert '<meta name="robots" content="noindex">' in (out / hidden).read_text(), hidden
    texts = readable(out)
    for rel, text in texts.items():
        for word in ("DRAFT-WORK", "Draftonlyskill", "Draftonlychannel", "Draftmetric", "DRAFT-PAGE",
                     "DRAFT-APPLICATION", "b-draft", "draftonlyskill", "/wip/"):  # fmt: skip
            assert word not in text, (rel, word)
        if rel == "_headers" or rel.startswith(
            ("case-studies/c-unlisted/", "hidden/", "for/", "social/case-studies-c-unlisted-")
        ):
            continue  # the unlisted pages, their link previews, the application, their noindex
        for word in ("UNLISTED-WORK", "Unlistedonlyskill", "Unlistedmetric", "UNLISTED-PAGE", "c-unlisted"):
            assert word not in text, (rel, word)
    assert not (out / "case-studies/skill/draftonlyskill").exists()
    assert not (out / "case-studies/skill/unlistedonlyskill").exists()
    # SPEC: `_headers` marks the unlisted pages noindex (hosts read it; they do not serve it).
    assert "/case-studies/c-unlisted/*\n  X-Robots-Tag: noindex" in texts["_headers"]
    shared = texts["case-studies/skill/shared/index.html"]
    assert "First shown" in shared and "Last shown" in shared
    listing = texts["case-studies/index.html"]
    assert "2 case studies" in listing, re.findall(r"\d+ case stud\w+", listing)
    # The neighbours of the two listed studies link each other, over the draft and the unlisted.
    first, last = texts["case-studies/a-first/index.html"], texts["case-studies/d-last/index.html"]
    assert 'href="../d-last/"' in first and 'href="../a-first/"' in last


def test_D30_the_pdf_and_an_application_show_exactly_what_the_site_shows(tmp_path: Path) -> None:
    """D30 (this round): the portfolio PDF has one section per published, listed study, the
    same ones as the site's list (no draft, no unlisted, no withheld, the anonymized under
    its alias); an application page and its PDF show what it chose, under the same consent
    (an unlisted study it names included), and a draft application is not built."""
    files = {
        **DRAFTS_SITE,
        "content/case-studies/e-anon.md": study(
            title="Ads for {client}",
            date="2025-05-10",
            front="client: {name: Halden Cycles, consent: pending, anonymized_as: a Leeds bike shop}",
        ),
        "content/case-studies/f-denied.md": study(
            title="Leads for {client}",
            date="2025-06-10",
            slug="f-denied",
            front="client: {name: Meridian Homes, consent: denied}",
        ),
        "content/applications/acme.md": "---\ncompany: Acme\nrole: Lead\ntoken: q8Zt3kLw2mXa\n"
        "case_studies: [c-unlisted, e-anon]\n---\nHello Acme.\n",
    }
    root = write_site(tmp_path / "site", files, config=CONFIG + "pdf: true\n")
    run_build(root)
    out = root / "output"
    listing = (out / "case-studies/index.html").read_text()
    listed = {"First shown", "Last shown", "Ads for a Leeds bike shop"}
    for title in listed:
        assert title in listing, title
    portfolio = " ".join(pdf_text((out / "portfolio.pdf").read_bytes()).split())
    for title in listed:
        assert title in portfolio, title
    for absent in ("DRAFT-WORK", "UNLISTED-WORK", "Meridian", "Leads for", "Halden", "DRAFT-PAGE"):
        assert absent not in portfolio, absent
    folder = out / "for/acme-q8Zt3kLw2mXa"
    page = (folder / "index.html").read_text()
    chosen = " ".join(pdf_text((folder / "portfolio.pdf").read_bytes()).split())
    for text in (page, chosen):
        assert "UNLISTED-WORK" in text and "Ads for a Leeds bike shop" in text
        assert "Halden" not in text and "Meridian" not in text and "DRAFT-WORK" not in text
    assert not (out / "for/draft-application-Zx81_kq-Lm0p").exists()
    assert_nowhere(out, "Halden Cycles", "Meridian Homes", "DRAFT-APPLICATION", "DRAFT-WORK")


def test_D31_no_dev_artifact_in_build_output(tmp_path: Path) -> None:
    """D31: nothing the tool adds for the preview (the live-reload script, the draft banner,
    a dev-server address) is in any file of `build`, while the user's own text may say
    localhost."""
    root = write_site(
        tmp_path / "site",
        {
            **DRAFTS_SITE,
            "content/pages/dev.md": "---\ntitle: My setup\n---\nI test on http://localhost:8000 first.\n",
        },
        config=CONFIG + "languages: [en, fr]\n",
    )
    run_build(root)
    texts = readable(root / "output")
    for rel, text in texts.items():
        if rel.startswith("assets/"):
            continue  # the theme's own files (its style sheet styles the preview's banner)
        for artifact in ("livereload", "LiveReload", "only this preview shows it",
                         "seul cet aperçu", "127.0.0.1", "portfolio serve"):  # fmt: skip
            assert artifact not in text, (rel, artifact)
        assert 'class="draft-banner"' not in text, rel
        if rel != "dev/index.html" and not rel.startswith(("fr/dev/",)):
            assert "localhost" not in text, rel
    assert "http://localhost:8000" in texts["dev/index.html"]


def test_D32_sources_and_junk_under_content_are_never_copied(tmp_path: Path) -> None:
    """D32: .md sources, .yaml, .env, .DS_Store, Thumbs.db, a .psd, editor backups (~, .swp,
    .bak) and dot-folders under content/ (also inside a case study's own folder) reach no
    output file, by name or bytes; static/ is copied as-is by design, dot-files included."""
    junk = {
        "notes.yaml": "secret: JUNK-YAML",
        ".env": "TOKEN=JUNK-ENV",
        ".DS_Store": b"\x00\x00\x00\x01Bud1JUNK-DSSTORE",
        "Thumbs.db": b"\xd0\xcf\x11\xe0JUNK-THUMBS",
        "design.psd": b"8BPSJUNK-PSD",
        "draft.md~": "JUNK-BACKUP",
        ".x.md.swp": "JUNK-SWAP",
        "old.md.bak": "JUNK-BAK",
        ".git/config": "JUNK-GIT",
        "notes.txt": "JUNK-UNLINKED",
    }
    files: dict[str, str | bytes] = {"content/case-studies/x/index.md": study(body="Text.\n")}
    for name, data in junk.items():
        files[f"content/{name}"] = data
        files[f"content/case-studies/x/{name}"] = data
    files["static/.well-known/security.txt"] = "Contact: mailto:a@b.c\n"
    files["static/.env.example"] = "STATIC-AS-IS\n"
    root = write_site(tmp_path / "site", files)
    run_build(root)
    out = tree(root / "output")
    everything = b"\n".join(k.encode() + b"\n" + v for k, v in out.items())
    for name, data in junk.items():
        marker = data if isinstance(data, bytes) else data.encode()
        assert marker[-10:] not in everything, name
        assert not any(rel.endswith("/" + name.split("/")[-1]) or rel == name for rel in out), name
    assert not [rel for rel in out if rel.endswith((".md", ".yaml", ".psd", "~"))]
    assert out[".env.example"] == b"STATIC-AS-IS\n" and ".well-known/security.txt" in out
