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
