"""Social cards: 1200x630 PNGs with nothing cut off, no metadata, the same bytes every time."""

from __future__ import annotations

import dataclasses
import io
import struct
from pathlib import Path

import pytest
from images import GPS_SENTINEL, XMP_SENTINEL, jpeg, png_rgba
from PIL import Image

from portfolio.social import (
    ELLIPSIS,
    HEIGHT,
    WIDTH,
    Card,
    card_words,
    default_font_dir,
    draw_card,
    layout,
    palette_for,
)

FONTS = default_font_dir()
FRENCH = "Comment une boulangerie lyonnaise a triplé ses commandes en ligne grâce à Instagram et TikTok"
CARD = Card(
    title="Northern Roast: a TikTok series that made a local coffee brand the talk of Leeds",
    author="Jordan Ellis",
    role="Social media strategist (lead)",
    metric="4.8%",
    metric_label="TikTok engagement rate",
    kind="Agency work",
    site="jordanellis.example",
    accent="#c2410c",
)
LONG = dataclasses.replace(
    CARD,
    title=FRENCH,
    role="Responsable de la stratégie social media et de la création de contenu (lead)",
    metric="+300%",
    metric_label="de commandes en ligne sur six mois, toutes boutiques confondues",
    kind="Mission en agence",
)


def _cover(tmp_path: Path, data: bytes, name: str = "cover.jpg") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        chunks.append(data[at + 4 : at + 8])
        at += 12 + length
    return chunks


def _covers(tmp_path: Path) -> dict[str, Path]:
    cmyk = io.BytesIO()
    Image.new("CMYK", (300, 200), (0, 255, 255, 0)).save(cmyk, "JPEG")
    return {
        "landscape": _cover(tmp_path, jpeg(1600, 900, gps=True, xmp=True), "landscape.jpg"),
        "portrait": _cover(tmp_path, jpeg(600, 1400, orientation=1), "portrait.jpg"),
        "tiny": _cover(tmp_path, jpeg(20, 20), "tiny.jpg"),
        "rgba": _cover(tmp_path, png_rgba(400, 300), "rgba.png"),
        "cmyk": _cover(tmp_path, cmyk.getvalue(), "cmyk.jpg"),
    }


def _check_fits(card: Card) -> None:
    """Every text inside the canvas, the column texts beside any cover and above the band,
    the band texts inside the band, and no two texts on top of each other."""
    plan = layout(card, FONTS)
    boxes = [t.box for t in plan.texts]
    for left, top, right, bottom in boxes:
        assert 0 <= left < right <= WIDTH and 0 <= top < bottom <= HEIGHT
        in_band = top >= plan.band[1]
        if in_band:
            assert bottom <= plan.band[3] and left >= 0 and right <= WIDTH
        else:
            col_left, col_top, col_right, col_bottom = plan.column
            assert col_left <= left and right <= col_right and col_top <= top and bottom <= col_bottom
            if plan.cover:
                assert right < plan.cover[0]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    if plan.badge:
        assert plan.badge[3] <= min(t.box[1] for t in plan.texts if t.box[1] > plan.badge[3])


def _draw(card: Card) -> Image.Image:
    im = Image.open(io.BytesIO(draw_card(card, FONTS)))
    im.load()
    return im


# --------------------------------------------------------------------------- the image


@pytest.mark.parametrize("dark", [False, True])
def test_card_is_a_1200x630_png_without_any_metadata(tmp_path: Path, dark: bool) -> None:
    cover = _cover(tmp_path, jpeg(800, 600, gps=True, xmp=True))
    data = draw_card(dataclasses.replace(CARD, dark=dark, cover=cover), FONTS)
    im = Image.open(io.BytesIO(data))
    assert (im.format, im.size, im.mode) == ("PNG", (WIDTH, HEIGHT), "RGB")
    assert im.info == {}
    assert not im.getexif()
    assert set(_png_chunks(data)) == {b"IHDR", b"IDAT", b"IEND"}  # no text, time, iCCP, eXIf
    assert GPS_SENTINEL.encode() not in data and XMP_SENTINEL not in data
    assert b"Apple" not in data and b"iPhone" not in data


def test_same_card_same_bytes(tmp_path: Path) -> None:
    cover = _cover(tmp_path, jpeg(900, 700))
    card = dataclasses.replace(LONG, cover=cover)
    assert draw_card(card, FONTS) == draw_card(dataclasses.replace(card), FONTS)
    assert draw_card(card, FONTS) != draw_card(dataclasses.replace(card, dark=True), FONTS)


@pytest.mark.parametrize("shape", ["landscape", "portrait", "tiny", "rgba", "cmyk"])
def test_every_cover_shape_fills_the_panel(tmp_path: Path, shape: str) -> None:
    card = dataclasses.replace(CARD, cover=_covers(tmp_path)[shape])
    plan = layout(card, FONTS)
    assert plan.cover is not None
    im = _draw(card)
    assert im.size == (WIDTH, HEIGHT)
    left, top, right, bottom = plan.cover
    # The panel shows the picture, not the card's background, right to its edges.
    background = palette_for(card.accent, card.dark).background
    for x, y in [(left + 2, top + 2), (right - 3, bottom - 3), ((left + right) // 2, (top + bottom) // 2)]:
        assert im.getpixel((x, y)) != background
    _check_fits(card)


def test_cmyk_cover_is_converted_to_rgb_colours(tmp_path: Path) -> None:
    card = dataclasses.replace(CARD, cover=_covers(tmp_path)["cmyk"])
    box = layout(card, FONTS).cover
    assert box is not None
    r, g, b = _draw(card).getpixel(((box[0] + box[2]) // 2, (box[1] + box[3]) // 2))  # type: ignore[misc]
    assert r > 200 and g < 60 and b < 60


def test_rgba_cover_is_flattened_on_the_card_background(tmp_path: Path) -> None:
    card = dataclasses.replace(CARD, cover=_covers(tmp_path)["rgba"])
    box = layout(card, FONTS).cover
    assert box is not None
    r, g, b = _draw(card).getpixel(((box[0] + box[2]) // 2, (box[1] + box[3]) // 2))  # type: ignore[misc]
    # (10, 120, 200) at half opacity over the light background (251, 250, 248).
    assert abs(r - 130) < 8 and abs(g - 185) < 8 and abs(b - 224) < 8


def test_cover_is_turned_by_its_exif_orientation(tmp_path: Path) -> None:
    # Stored landscape, left half red and right half blue; orientation 6 turns it a quarter
    # clockwise, so it shows portrait with red on top and blue underneath.
    stored = Image.new("RGB", (400, 200), (220, 20, 20))
    stored.paste((20, 20, 220), (200, 0, 400, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    stored.save(buf, "JPEG", exif=exif.tobytes(), quality=95)
    card = dataclasses.replace(CARD, cover=_cover(tmp_path, buf.getvalue()))
    box = layout(card, FONTS).cover
    assert box is not None
    im = _draw(card)
    middle = (box[0] + box[2]) // 2
    top = im.getpixel((middle, box[1] + 20))
    bottom = im.getpixel((middle, box[3] - 20))
    assert top[0] > 150 and top[2] < 100, top  # type: ignore[index]
    assert bottom[2] > 150 and bottom[0] < 100, bottom  # type: ignore[index]


def test_a_photo_past_pillow_s_bomb_limit_is_drawn_at_reduced_scale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 108 MP phone photo is past Pillow's own limit (twice it raises at open); the build's
    # images.max_megapixels has let it through, so the card decodes it small, as pages do.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 2_000_000)  # the text masks stay below
    card = dataclasses.replace(CARD, cover=_cover(tmp_path, jpeg(3000, 2000, colour=(20, 40, 220))))
    box = layout(card, FONTS).cover
    assert box is not None
    r, g, b = _draw(card).getpixel(((box[0] + box[2]) // 2, (box[1] + box[3]) // 2))  # type: ignore[misc]
    assert b > 180 and r < 60, (r, g, b)
    assert Image.MAX_IMAGE_PIXELS == 2_000_000  # put back


def test_unreadable_cover_still_gives_a_card(tmp_path: Path) -> None:
    card = dataclasses.replace(CARD, cover=_cover(tmp_path, b"<html>not a photo</html>"))
    assert _draw(card).size == (WIDTH, HEIGHT)
    missing = dataclasses.replace(CARD, cover=tmp_path / "gone.jpg")
    assert _draw(missing).size == (WIDTH, HEIGHT)


# --------------------------------------------------------------------------- the text


@pytest.mark.parametrize("cover", [False, True])
@pytest.mark.parametrize("dark", [False, True])
def test_long_french_title_fits_whole(tmp_path: Path, cover: bool, dark: bool) -> None:
    card = dataclasses.replace(LONG, dark=dark, cover=_cover(tmp_path, jpeg(1200, 800)) if cover else None)
    words = card_words(card)
    assert FRENCH in words  # every word drawn, none cut or replaced by an ellipsis
    title_lines = [t for t in layout(card, FONTS).texts if t.text in FRENCH]
    assert 1 <= len(title_lines) <= 3
    assert title_lines[0].font.size >= 36  # legible at LinkedIn's ~520 px
    _check_fits(card)
    _draw(card)


@pytest.mark.parametrize("cover", [False, True])
@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"metric": None, "metric_label": None},
        {"metric_label": None},
        {"kind": None, "site": None, "role": None},
        {"metric": "€1,250,000 in attributed revenue", "metric_label": "across all markets"},
        {
            "author": "Maria-Fernanda de la Cruz Villanueva-Echeverría",
            "site": "a-very-long-portfolio-host-name.example",
        },
        {"title": "Home", "metric": None, "metric_label": None, "kind": None},
        {"title": "Supercalifragilisticexpialidocious" * 3},
    ],
)
def test_nothing_is_cut_off(tmp_path: Path, cover: bool, variant: dict[str, str | None]) -> None:
    card = dataclasses.replace(LONG, **variant)  # type: ignore[arg-type]
    if cover:
        card = dataclasses.replace(card, cover=_cover(tmp_path, jpeg(500, 900)))
    _check_fits(card)
    assert _draw(card).size == (WIDTH, HEIGHT)


def test_card_words_are_what_is_drawn() -> None:
    assert card_words(CARD) == [
        "Agency work",
        CARD.title,
        "4.8%",
        "TikTok engagement rate",
        "Jordan Ellis",
        "Social media strategist (lead)",
        "jordanellis.example",
    ]
    drawn = " ".join(t.text for t in layout(CARD, FONTS).texts)
    for word in " ".join(card_words(CARD)).split():
        assert word in drawn
    bare = Card(
        title="Home",
        author="",
        role=None,
        metric=None,
        metric_label=None,
        kind=None,
        site=None,
        accent="#1d4ed8",
    )
    assert card_words(bare) == ["Home"]


def test_too_long_texts_are_shortened_last_and_reported_shortened() -> None:
    card = dataclasses.replace(
        LONG,
        title=" ".join([FRENCH] * 3),
        role="Responsable de la stratégie social media, de la création de contenu, des partenariats "
        "avec les créateurs et de la publicité payante sur Meta et TikTok",
    )
    words = card_words(card)
    title = next(w for w in words if w.startswith("Comment"))
    assert title.endswith(ELLIPSIS) and len(title) < len(card.title)
    assert "Jordan Ellis" in words  # the name survives whole; the role gives way
    role = next(w for w in words if w.startswith("Responsable"))
    assert role.endswith(ELLIPSIS)
    drawn = [t.text for t in layout(card, FONTS).texts]
    assert " ".join(t for t in drawn if t in title) == title
    _check_fits(card)


def test_accents_render_with_the_shipped_font() -> None:
    plan = layout(CARD, FONTS)
    font = plan.texts[0].font
    assert Path(str(font.path)).parent == FONTS
    # Accented capitals keep their own glyphs: wider or taller ink than the bare letter.
    for plain, accented in [("E", "É"), ("A", "À"), ("C", "Ç"), ("a", "â"), ("e", "è")]:
        assert font.getbbox(accented) != font.getbbox(plain)
    assert (FONTS / "OFL.txt").is_file()


def test_without_font_files_pillow_s_own_font_is_used(tmp_path: Path) -> None:
    im = Image.open(io.BytesIO(draw_card(LONG, tmp_path)))
    assert im.size == (WIDTH, HEIGHT)
    assert FRENCH in card_words(LONG, tmp_path)


def test_band_text_stays_readable_on_a_light_accent() -> None:
    assert palette_for("#c2410c", dark=False).on_accent == (255, 255, 255)
    assert palette_for("#fde047", dark=False).on_accent == (28, 27, 25)
    # A dark accent is lightened for text on the dark card, as site.css does.
    assert sum(palette_for("#1d4ed8", dark=True).accent_text) > sum((29, 78, 216))
    with pytest.raises(ValueError, match="accent"):
        palette_for("not-a-colour", dark=False)


# -- cards in a build ---------------------------------------------------------------------------


def test_the_pages_of_a_small_site_get_their_cards_in_the_build(tmp_path: Path) -> None:
    from conftest import CONFIG, run_build, study, write_site

    root = write_site(
        tmp_path,
        {
            "content/case-studies/a.md": study(
                title="Relaunch", front="metrics:\n  - {label: Reach, before: 100, after: 400, source: Meta}"
            ),
            "content/pages/about.md": "---\ntitle: About me\n---\nHi.\n",
        },
    )
    first = run_build(root)
    out = root / "output"
    cards = sorted(p.name for p in (out / "social").iterdir())
    assert [c.rsplit("-", 1)[0] for c in cards] == [
        "404", "about", "case-studies", "case-studies-a", "case-studies-kind-personal", "home", "results"
    ]  # fmt: skip
    for page, card in (
        ("index.html", "home-"),
        ("case-studies/a/index.html", "case-studies-a-"),
        ("about/index.html", "about-"),
    ):
        html = (out / page).read_text()
        assert f'<meta property="og:image" content="https://test.example/social/{card}' in html
        assert '<meta property="og:image:width" content="1200">' in html
        assert '<meta name="twitter:card" content="summary_large_image">' in html
    with Image.open(next((out / "social").glob("case-studies-a-*"))) as im:
        assert im.size == (1200, 630) and not im.info and not im.getexif()
    second = run_build(root)
    assert second.images_made == 0 and first.images_made == 7
    # Off in portfolio.yaml, or without base_url (og:image needs an absolute address): none.
    for config in (CONFIG + "social_cards: false\n", CONFIG.replace("base_url: https://test.example/\n", "")):
        (root / "portfolio.yaml").write_text(config)
        run_build(root)
        assert not (out / "social").exists()


def test_the_words_a_card_draws_are_read_by_the_leak_guard() -> None:
    from portfolio.errors import Problems
    from portfolio.leakguard import NameFinder, guard_output, hidden_name

    finder = NameFinder([hidden_name("Café Lumière", "anonymized", "content/x.md")])
    problems = Problems()
    files: dict[str, bytes | Path] = {"social/x-1.png": b"\x89PNG not text"}
    guard_output(
        files,
        {"social/x-1.png": ("content/y.md", "")},
        set(),
        finder,
        None,
        problems,
        {"social/x-1.png": "Relaunching Cafe Lumiere | Jordan"},
    )
    assert len(problems.errors) == 1
    assert "in the output file social/x-1.png" in str(problems.errors[0])


def test_every_page_with_open_graph_tags_has_its_own_card_in_each_language(tmp_path: Path) -> None:
    """A bilingual site: each page that has Open Graph tags (lists, filters, results, 404
    included) previews with its own 1200x630 PNG, in its language; no hidden client name or
    draft reaches a card's words or file name; a rebuild draws nothing."""
    import re

    from conftest import CONFIG, run_build, study, write_site

    metric = "metrics:\n  - {label: Followers, before: 3000, after: 41000, source: TikTok Analytics}"
    root = write_site(
        tmp_path,
        {
            "content/case-studies/own.md": study(
                title="My coffee account",
                front=f"kind: personal\nchannels: [TikTok]\nskills: [Community management]\n{metric}",
            ),
            "content/case-studies/lune.md": study(
                title="Relaunching {client}",
                slug="skincare-relaunch",
                front="client: {name: Maison Lune, consent: pending, anonymized_as: a skincare brand}\n"
                "channels: [TikTok]",
            ),
            "content/case-studies/wip.md": study(
                title="Zanzibar rebrand", front="draft: true\nchannels: [Email]"
            ),
            "content/pages/about.md": "---\ntitle: About me\n---\nHi.\n",
            "content/applications/acme.md": (
                "---\ncompany: Acme\nrole: Growth lead\ntoken: q8Zt3kLw2mXa\n---\nHi.\n"
            ),
        },
        config=CONFIG + "languages: [fr, en]\n",
    )
    first = run_build(root)
    out = root / "output"
    words = dict(first.counts.card_words)
    alts: dict[str, str] = {}
    for page in sorted(out.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if 'property="og:title"' not in html:
            continue
        rel = page.relative_to(out).as_posix()
        if rel.startswith(("for/", "en/for/")):
            # An application keeps the portrait (none here): its address is its secret.
            assert "/social/" not in html
            continue
        found = re.search(r'<meta property="og:image" content="https://test\.example/(social/[^"]+)">', html)
        assert found, f"{rel} has og:title but no generated card"
        card = found.group(1)
        assert re.fullmatch(r"social/[a-z0-9-]+-[0-9a-f]{10}\.png", card), card
        with Image.open(out / card) as im:
            assert (im.format, im.size) == ("PNG", (1200, 630)), rel
        assert card in words, rel
        alt = re.search(r'<meta property="og:image:alt" content="([^"]*)">', html)
        assert alt, rel
        alts[rel] = alt.group(1)
        assert "Test Person" in words[card], rel  # the owner's name in the band
    assert list(out.glob("for/acme-*/index.html"))  # the application page was built
    facet_fr = "etudes-de-cas/canal/tiktok/index.html"
    facet_en = "en/case-studies/channel/tiktok/index.html"
    for rel in ("index.html", "etudes-de-cas/index.html", facet_fr, "resultats/index.html", "404.html"):
        assert rel in alts, rel
    for rel in ("en/index.html", "en/case-studies/index.html", facet_en, "en/results/index.html"):
        assert rel in alts, rel
    # The filter page's card: its title in its language (French typography), the count.
    assert alts[facet_fr] == "Études de cas\u202f: TikTok"
    assert alts[facet_en] == "Case studies: TikTok"
    fr_words = words[_card_of(out / facet_fr)]
    assert "Canal | Études de cas\u202f: TikTok | 2 | études de cas" in fr_words
    assert "Channel | Case studies: TikTok | 2 | case studies" in words[_card_of(out / facet_en)]
    # The results: the page's title and the first headline figure the page shows.
    assert "Résultats | 41\u202f000 | Followers | " in words[_card_of(out / "resultats/index.html")]
    assert alts["404.html"] == "Page introuvable"
    # Privacy: the anonymized client and the draft are in no card's words or file name.
    everything = " ".join(f"{url} {text}" for url, text in words.items()).lower()
    for secret in ("maison", "lune", "zanzibar", "acme", "q8zt3klw2mxa"):
        assert secret not in everything
    assert "a skincare brand" in everything
    assert run_build(root).images_made == 0
    # A new title redraws that study's card in each language, and no list's or filter's.
    own = root / "content/case-studies/own.md"
    own.write_text(own.read_text().replace("My coffee account", "My tea account"))
    again = run_build(root)
    assert again.images_made == 2, sorted(dict(again.counts.card_words))


def _card_of(page: Path) -> str:
    import re

    found = re.search(r'og:image" content="https://test\.example/(social/[^"]+)"', page.read_text("utf-8"))
    assert found
    return found.group(1)


def test_a_count_is_split_into_its_figure_and_its_words() -> None:
    from portfolio.locale import Formatter
    from portfolio.pages import split_count

    fr, en = Formatter("fr", {}), Formatter("en", {})
    assert split_count("1\u202f200 études de cas", 1200, fr) == ("1\u202f200", "études de cas")
    assert split_count("1200 études de cas", 1200, fr) == ("1200", "études de cas")
    assert split_count("3 case studies", 3, en) == ("3", "case studies")
    assert split_count("One case study", 1, en) == (None, "One case study")  # a theme's own words
    assert split_count("12th edition", 12, en) == (None, "12th edition")
    assert split_count("", 0, en) == (None, None)


def test_a_line_never_breaks_at_a_no_break_space() -> None:
    from portfolio.social import _wrap, find_fonts

    font = find_fonts(default_font_dir()).get("bold", 64)
    # French typography: the colon stays with its word, a number stays whole.
    assert _wrap("Études de cas\u202f: TikTok", font, 1) == ["Études", "de", "cas\u202f:", "TikTok"]
    assert _wrap("41\u202f000 abonnés", font, 1) == ["41\u202f000", "abonnés"]
