"""The portfolio as a PDF (WeasyPrint), read back from the PDF itself with pypdf: what the
site shows and nothing more, tagged, with title, author and language as its only metadata."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONFIG, REPO, cli, run_build, study, write_site
from images import jpeg

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

DEMO_TITLES = (
    "412 founding members before the new wall opened",
    "The Sunday Scroll",
    "Brewing a TikTok community for Northern Roast",
    "More bikes sold from the same ad budget",
    "A summer social campaign for Tidal Kombucha",
)


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("demo") / "site"
    site.mkdir()
    shutil.copy(REPO / "portfolio.yaml", site / "portfolio.yaml")
    shutil.copytree(REPO / "content", site / "content")
    with (site / "portfolio.yaml").open("a", encoding="utf-8") as config:
        config.write("\npdf: {paper: a4}\n")
    (site / "content/applications").mkdir(exist_ok=True)
    (site / "content/applications/acme.md").write_text(
        "---\ncompany: Acme\nrole: Head of social\ntoken: q8Zt3kLw2mXa\n"
        "case_studies: [northern-roast-tiktok]\nskills: [TikTok]\n---\nA note for Acme.\n",
        encoding="utf-8",
    )
    run_build(site)
    return site / "output"


def _text(reader: object) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)  # type: ignore[attr-defined]


def _links(reader: object) -> list[str]:
    found = []
    for page in reader.pages:  # type: ignore[attr-defined]
        for annotation in page.get("/Annots") or ():
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def test_the_demo_pdf_shows_the_site(demo_pdf: Path) -> None:
    data = (demo_pdf / "portfolio.pdf").read_bytes()
    assert len(data) < 5_000_000
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(_text(reader).split())
    assert 6 <= len(reader.pages) <= 40
    assert "Jordan Ellis" in text
    for title in DEMO_TITLES:
        assert " ".join(title.split()) in text, title
    # What the site does not show is not in the PDF either: the withheld study, the
    # anonymized client's name, drafts and private notes.
    for hidden in (
        "Halden",
        "Meridian Homes",
        "Ancoats Pantry",
        "waiting for the final meal count",
        "slow on email",
    ):
        assert hidden not in text, hidden
    # Metadata: title, author, language; nothing else (no producer, no dates).
    assert set(reader.metadata) == {"/Title", "/Author"}
    assert reader.metadata["/Author"] == "Jordan Ellis"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and "/StructTreeRoot" in root  # tagged for accessibility
    assert b"WeasyPrint" not in data
    # The XMP packet (a compressed stream, so read back): the same three facts, no producer.
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "WeasyPrint" not in xmp and "Producer" not in xmp and "Jordan Ellis" in xmp
    assert "<dc:title>" in xmp and "CreateDate" not in xmp and "ModifyDate" not in xmp
    # A4, and links that work from the PDF.
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)
    links = _links(reader)
    assert "mailto:hello@jordan-ellis.example" in links
    assert any(link.startswith("https://jordan-ellis.example/case-studies/") for link in links)
    assert all("portfolio.invalid" not in link for link in links)


def test_a_case_studys_first_page_goes_on_to_its_results(demo_pdf: Path) -> None:
    """The results tiles start under the cover, on the study's first page, instead of
    leaving half of it empty (WeasyPrint moved a whole flex box of tiles to the next page)."""
    reader = pypdf.PdfReader(demo_pdf / "portfolio.pdf")
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    for summary, first_result in (
        ("Took Northern Roast from 3.1k", "TikTok engagement rate"),
        ("An in-house pre-launch campaign for Loop Climbing", "Founding members before opening"),
    ):
        first = next(text for text in pages if summary in text)
        assert first_result in first, first


def test_an_applications_pdf_sits_beside_its_page(demo_pdf: Path) -> None:
    folder = demo_pdf / "for/acme-q8Zt3kLw2mXa"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="portfolio.pdf"' in page
    reader = pypdf.PdfReader(folder / "portfolio.pdf")
    text = " ".join(_text(reader).split())
    assert "FOR ACME" in text.upper() and "Head of social" in text and "A note for Acme." in text
    assert "Brewing a TikTok community for Northern Roast" in text
    assert "newsletter for small businesses on social" not in text  # only the chosen work
    assert 'href="portfolio.pdf"' in (demo_pdf / "index.html").read_text(encoding="utf-8")


def test_a_french_pdf_is_a4_and_says_it_is_french(tmp_path: Path) -> None:
    files = {"content/case-studies/a.md": study(title="Une campagne", summary="1 903 abonnés.")}
    root = write_site(tmp_path / "site", files, config=CONFIG + "language: fr\npdf: true\n")
    run_build(root)
    reader = pypdf.PdfReader(root / "output/portfolio.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert round(float(reader.pages[0].mediabox.height)) == 842  # A4 by default in French
    assert "Résultats choisis" in _text(reader)


@pytest.mark.parametrize("theme", ["default", "bold", "data"])
def test_every_bundled_theme_links_the_pdf_from_the_home_page(tmp_path: Path, theme: str) -> None:
    files = {"content/case-studies/a.md": study(title="A campaign")}
    root = write_site(tmp_path / "site", files, config=CONFIG + f"theme: {theme}\npdf: true\n")
    run_build(root)
    home = (root / "output/index.html").read_text(encoding="utf-8")
    assert 'href="portfolio.pdf" type="application/pdf"' in home
    assert "Download as PDF" in home
    assert (root / "output/portfolio.pdf").read_bytes().startswith(b"%PDF")


def test_portfolio_pdf_writes_the_file_asked_for(tmp_path: Path) -> None:
    files = {"content/case-studies/a.md": study(title="A campaign")}
    root = write_site(tmp_path / "site", files)
    result = cli("pdf", "--output", str(tmp_path / "mine.pdf"), cwd=root)
    assert result.returncode == 0, result.stderr
    assert "Wrote" in result.stdout
    reader = pypdf.PdfReader(tmp_path / "mine.pdf")
    assert round(float(reader.pages[0].mediabox.height)) == 792  # US Letter in English
    assert not (root / "output").exists()  # nothing built but the PDF
    missing = cli("pdf", "--for", "nobody", cwd=root)
    assert missing.returncode == 2 and "no application of that name" in missing.stderr


def test_pdf_for_an_expired_or_draft_application_says_so(tmp_path: Path) -> None:
    """Not "no application of that name" for one whose file is right there."""
    application = (
        "---\ncompany: {c}\nrole: Lead\ntoken: q8Zt3kLw2mXa{n}\ncase_studies: [a]\n{extra}\n---\nHello.\n"
    )
    files = {
        "content/case-studies/a.md": study(title="A campaign"),
        "content/applications/old.md": application.format(c="Old", n="1", extra="expires: 2025-01-01"),
        "content/applications/wip.md": application.format(c="Wip", n="2", extra="draft: true"),
    }
    root = write_site(tmp_path / "site", files)
    expired = cli("pdf", "--for", "old", cwd=root)
    assert expired.returncode == 2
    assert "--for old: expired on 2025-01-01: its page is not built any more" in expired.stderr
    draft = cli("pdf", "--for", "wip", cwd=root)
    assert draft.returncode == 2
    assert "--for wip: it is a draft, which is never built (set draft: false to build it)" in draft.stderr


def test_without_the_extra_the_message_names_it(tmp_path: Path) -> None:
    """A Python that cannot import WeasyPrint (as after a plain `pip install portfolio`)."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "weasyprint.py").write_text("raise ImportError('No module named weasyprint')\n")
    root = write_site(tmp_path / "site", {"content/case-studies/a.md": study()})
    env = {**os.environ, "PYTHONPATH": f"{shim}{os.pathsep}{REPO}"}
    result = subprocess.run(
        [sys.executable, "-m", "portfolio", "pdf"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert 'pip install "portfolio[pdf]"' in result.stderr and "Traceback" not in result.stderr


# -- --output: never over the user's work ---------------------------------------------------

THEME = "name: mine\nextends: default\n"


@pytest.fixture
def pdf_site(tmp_path: Path) -> Path:
    """A site with every folder a PDF must stay out of, and a file in each."""
    files: dict[str, str | bytes] = {
        "content/case-studies/a.md": study(title="A campaign"),
        "static/robots-note.txt": "mine\n",
        "templates/page-note.txt": "mine\n",
        "themes/mine/theme.yaml": THEME,
        "themes/mine/x.pdf": b"%PDF-1.7 the theme's own",
        ".portfolio-cache/x.pdf": b"%PDF-1.7 not ours to replace",
        "notes.txt": "My notes, not a PDF.\n",
        "empty.pdf": b"",
    }
    root = write_site(tmp_path / "site", files, config=CONFIG + "theme: themes/mine\n")
    (root / "output").mkdir()
    (root / "output/x.pdf").write_bytes(b"%PDF-1.7 in the built site")
    return root


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("portfolio.yaml", "it is the site's portfolio.yaml"),
        ("content/case-studies/a.md", "it is inside the site's content/ folder"),
        ("content/new.pdf", "it is inside the site's content/ folder"),
        ("static/robots-note.txt", "it is inside the site's static/ folder"),
        ("templates/new.pdf", "it is inside the site's templates/ folder"),
        ("themes/mine/x.pdf", "it is inside the site's themes/ folder"),
        ("output/x.pdf", "it is inside the site's output/ folder"),
        (".portfolio-cache/x.pdf", "it is inside the site's .portfolio-cache/ folder"),
        ("output", "it is a folder; give the PDF's file name, e.g. output/portfolio.pdf"),
        ("content", "it is a folder"),
        ("notes.txt", "it is a file that is not a PDF"),
        ("empty.pdf", "it is a file that is not a PDF"),
        ("missing/x.pdf", "a folder that does not exist"),
        ("notes.txt/x.pdf", "which is not a folder"),
        ("new/", "it names a folder"),
    ],
)
def test_pdf_output_refuses_to_write_over_the_users_work(pdf_site: Path, target: str, why: str) -> None:
    before = {p: p.read_bytes() for p in pdf_site.rglob("*") if p.is_file()}
    result = cli("pdf", "--output", target, cwd=pdf_site)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        next(line for line in result.stderr.splitlines() if line.startswith("refusing"))
    ]
    assert f"refusing to write the PDF to {target}: " in result.stderr and why in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    after = {p: p.read_bytes() for p in pdf_site.rglob("*") if p.is_file()}
    assert after == before  # every file byte for byte, and nothing new (no temporary file)


def test_pdf_output_refuses_a_folder_outside_the_site(pdf_site: Path, tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    result = cli("pdf", "--output", str(folder), cwd=pdf_site)
    assert result.returncode == 2
    assert f"refusing to write the PDF to {folder}: it is a folder" in result.stderr
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob(".*.tmp"))
    root = cli("pdf", "--output", "/", cwd=pdf_site)
    assert root.returncode == 2 and "refusing to write the PDF to /: it is a folder" in root.stderr


def test_pdf_output_refuses_a_theme_folder_and_a_built_site(pdf_site: Path, tmp_path: Path) -> None:
    """The site's theme, wherever it is, and a site built elsewhere (`build --output`)."""
    run_build(pdf_site, output=tmp_path / "public")
    built = cli("pdf", "--output", str(tmp_path / "public/portfolio.pdf"), cwd=pdf_site)
    assert built.returncode == 2 and "a site built by portfolio" in built.stderr
    assert not (tmp_path / "public/portfolio.pdf").exists()
    bundled = REPO / "themes/default/refused.pdf"
    result = cli("pdf", "--output", str(bundled), cwd=pdf_site)
    assert result.returncode == 2 and "the theme folder" in result.stderr
    assert not bundled.exists()


def test_pdf_output_replaces_an_earlier_pdf_whole(pdf_site: Path, tmp_path: Path) -> None:
    target = tmp_path / "export.pdf"
    assert cli("pdf", "--output", str(target), cwd=pdf_site).returncode == 0
    first = target.read_bytes()
    target.write_bytes(b"%PDF-1.4 an older export")
    result = cli("pdf", "--output", str(target), cwd=pdf_site)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    default = cli("pdf", cwd=pdf_site)  # the default place is unchanged: here, portfolio.pdf
    assert default.returncode == 0 and (pdf_site / "portfolio.pdf").read_bytes() == first


# -- the PDF shows what the page shows -------------------------------------------------------


def _drawn_images(reader: object, page: object) -> int:
    """The pictures a page draws (pypdf's `page.images` lists the resources WeasyPrint
    shares between all pages)."""
    from pypdf.generic import ContentStream

    xobjects = page["/Resources"].get("/XObject", {})  # type: ignore[index]
    operations = ContentStream(page.get_contents(), reader).operations  # type: ignore[attr-defined]
    names = [operands[0] for operands, operator in operations if operator == b"Do"]
    return sum(1 for name in names if xobjects[name].get_object().get("/Subtype") == "/Image")


def _study_pages(reader: object, title: str) -> list[object]:
    """The pages of the case study `title` (its name heads each of them)."""
    return [p for p in reader.pages if title in p.extract_text()]  # type: ignore[attr-defined]


GALLERY = """\
cover: {src: ../images/cover.jpg, alt: The cover}
gallery:
  - {src: ../images/g1.jpg, alt: A flat white, caption: The pour that started it, credit: "Photo: Léa Dubois"}
  - {src: ../images/g2.jpg, alt: A tall screenshot, caption: The series on a phone}
  - link: "https://www.tiktok.com/@x/video/1"
    poster: ../images/g3.jpg
    alt: A still
    credit: "Video: Hugo Petit"
"""


def _gallery_site(root: Path, theme: str, language: str = "en") -> Path:
    images: dict[str, str | bytes] = {
        "content/images/cover.jpg": jpeg(1200, 600),
        "content/images/g1.jpg": jpeg(1200, 800, colour=(40, 120, 200)),
        "content/images/g2.jpg": jpeg(600, 1100, colour=(60, 160, 80)),
        "content/images/g3.jpg": jpeg(1000, 560, colour=(160, 60, 160)),
        "content/images/w.jpg": jpeg(800, 600, colour=(10, 10, 10)),
    }
    files = {
        **images,
        "content/case-studies/plain.md": study(
            "cover: {src: ../images/cover.jpg, alt: The cover}", title="Plain study", date="2025-03-01"
        ),
        "content/case-studies/shown.md": study(GALLERY, title="Gallery study", date="2025-02-01"),
        "content/case-studies/denied.md": study(
            "client: {name: Zephyr Labs, consent: denied}\n"
            "gallery:\n  - {src: ../images/w.jpg, alt: Withheld, caption: Never in any output}",
            title="Withheld study",
            date="2025-01-01",
        ),
    }
    config = CONFIG + f"theme: {theme}\nlanguage: {language}\npdf: true\n"
    return write_site(root, files, config=config)


@pytest.mark.parametrize("theme", ["default", "bold", "data"])
def test_the_pdf_shows_the_gallery_as_the_page_does(tmp_path: Path, theme: str) -> None:
    root = _gallery_site(tmp_path / "site", theme)
    run_build(root)
    page = (root / "output/case-studies/shown/index.html").read_text(encoding="utf-8")
    reader = pypdf.PdfReader(root / "output/portfolio.pdf")
    text = " ".join(_text(reader).split())
    captions = ("The pour that started it", "The series on a phone")
    for words in (*captions, "Photo: Léa Dubois", "Video: Hugo Petit"):
        assert words in page and words in text, words
    assert "Watch on TikTok" in text and "https://www.tiktok.com/@x/video/1" in _links(reader)
    # The cover on both studies; the gallery's three pictures (a poster too) on top of it.
    plain = sum(_drawn_images(reader, p) for p in _study_pages(reader, "Plain study"))
    shown = sum(_drawn_images(reader, p) for p in _study_pages(reader, "Gallery study"))
    assert plain == 1 and shown == plain + 3
    # Consent as on the site: the withheld study's picture and caption are nowhere.
    assert "Never in any output" not in text and "Zephyr" not in text and "Withheld study" not in text
    assert sum(_drawn_images(reader, p) for p in reader.pages) == plain + shown


@pytest.mark.parametrize(
    ("language", "ongoing", "done"),
    [
        ("en", "January 2024 – ongoing", "May 2023 – February 2024"),
        ("fr", "janvier 2024 – en cours", "mai 2023 – février 2024"),
    ],
)
def test_the_pdf_shows_the_period_as_the_page_does(
    tmp_path: Path, language: str, ongoing: str, done: str
) -> None:
    files = {
        "content/case-studies/now.md": study("period: {start: 2024-01}", title="Still going"),
        "content/case-studies/then.md": study("period: {start: 2023-05, end: 2024-02}", title="Finished"),
    }
    root = write_site(tmp_path / "site", files, config=CONFIG + f"language: {language}\npdf: true\n")
    run_build(root)
    text = " ".join(_text(pypdf.PdfReader(root / "output/portfolio.pdf")).split())
    # French dates hold together with no-break spaces; the comparison is of the words.
    pages = {
        p.parent.name: p.read_text(encoding="utf-8").replace("\u00a0", " ")
        for p in (root / "output").glob("*/*/index.html")
    }
    for slug, period in (("now", ongoing), ("then", done)):
        assert f"<dd>{period}</dd>" in pages[slug] and period in text, (period, text)
