"""`portfolio consent-request`: the message to the client lists exactly what the site would
publish with consent (checked here against the case study's own file), the alias, the
answers, in English and in French, and writes nothing but consent-requests/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO, cli, study, write_site

NNBSP = "\u202f"
NBSP = "\u00a0"
STUDY = "content/case-studies/bike-shop-paid-social.md"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("demo") / "site"
    site.mkdir()
    shutil.copy(REPO / "portfolio.yaml", site / "portfolio.yaml")
    shutil.copytree(REPO / "content", site / "content")
    return site


def front_matter(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])  # type: ignore[no-any-return]


def test_the_english_message_lists_every_published_field_and_figure(demo: Path) -> None:
    run = cli("consent-request", "bike-shop-paid-social", cwd=demo)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Wrote consent-requests/bike-shop-paid-social.en.md\n")
    assert "set `consent:` in content/case-studies/bike-shop-paid-social.md (now pending)" in run.stdout
    message = (demo / "consent-requests/bike-shop-paid-social.en.md").read_text(encoding="utf-8")
    data = front_matter(demo / STUDY)
    name = data["client"]["name"]

    def filled(text: str) -> str:
        return text.replace("{client}", name)

    assert message.startswith(f"Subject: May I show the work I did for {name} in my portfolio?\n")
    assert f"- **Your name**: {name}, with a link to {data['client']['url']}\n" in message
    assert f"- **Your industry**: {data['client']['industry']}\n" in message
    assert f"- **Title**: {filled(data['title'])}\n" in message
    assert f"- **Summary**: {filled(data['summary'])}\n" in message
    assert f"- **My role**: {data['role']}\n" in message
    assert "- **When**: from March 2024 to July 2024\n" in message
    assert f"- **What I did**: {', '.join(data['contributions'])}\n" in message
    team = ", ".join(f"{c['name']} ({c['role']})" for c in data["collaborators"])
    assert f"- **The team credited**: {team}\n" in message
    for key, label in (("channels", "Channels"), ("skills", "Skills"), ("tags", "Topics")):
        assert f"- **{label}**: {', '.join(data[key])}\n" in message
    # Every metric with its label, its source, the part the author played, and its figures
    # as the site writes them; a confidential metric's figures are not in the message.
    results = message.split("- **Results**:\n")[1].split("\n- **")[0].splitlines()
    assert len(results) == len(data["metrics"])
    for line, metric in zip(results, data["metrics"], strict=True):
        assert line.startswith(f"    - {metric['label']}: ")
        assert f"Source: {metric['source']}." in line
        if "contribution" in metric:
            assert f"My part: {metric['contribution'].rstrip('.')}." in line
    assert "from 1.9\u00a0x to 4.6\u00a0x (+2.7\u00a0x, +142%)" in results[0]
    assert "from £38.20 to £14.75 (−£23.45, −61%)" in results[1]
    assert "only the change is shown, +212%; the figures themselves stay confidential" in results[2]
    assert "42" not in results[2] and "131" not in results[2]
    assert "from 2.1% to 5.4% (+3.3 pts, +157%)" in results[3]
    cover, carousel = data["cover"], data["gallery"][0]
    assert f"    1. bike-shop-cover.jpg: {cover['alt']}\n" in message
    assert (
        f"    2. bike-shop-ad-carousel.jpg: {carousel['alt']}. Caption: “{carousel['caption'].rstrip('.')}”. "
        f"Credit: {carousel['credit']}.\n"
    ) in message
    # The alias, in the page's own words, and the answers.
    alias = data["client"]["anonymized_as"]
    assert f"The page would describe you as {alias}, without your name, logo, website or quote." in message
    assert f"Its title would read: “{data['title'].replace('{client}', alias)}”." in message
    assert "1. **Yes, you may name us**" in message
    assert f"2. **Yes, without our name**: the page is published, and describes you as {alias}." in message
    assert "3. **No**: nothing about this work is published." in message
    assert "privately" not in message  # not offered: no `private_offer: true`
    assert message.count(name) >= 5 and "\n> Halden Cycles sells road, gravel and commuter bikes" in message
    assert "Jordan Ellis  \nhello@jordan-ellis.example\n" in message
    # The private notes never reach the client either.
    assert "Invoice" not in message and "Asked the owner" not in message
    assert not (demo / "output").exists()


def test_the_french_message_reads_as_french(demo: Path) -> None:
    """The demo is bilingual: the French message shows what its French pages would show,
    from the study's French translation, with French figures and typography."""
    run = cli("consent-request", STUDY, "--language", "fr", cwd=demo)
    assert run.returncode == 0, run.stderr
    message = (demo / "consent-requests/bike-shop-paid-social.fr.md").read_text(encoding="utf-8")
    data = front_matter(demo / STUDY.replace(".md", ".fr.md"))
    title = data["title"].replace("{client}", "Halden Cycles")
    assert message.startswith(
        f"Objet{NNBSP}: Puis-je présenter le travail réalisé pour Halden Cycles dans mon portfolio{NNBSP}?\n"
    )
    assert f"«{NNBSP}{title}{NNBSP}» (de mars\u00a02024 à juillet\u00a02024)" in message
    assert f"- **Titre**{NNBSP}: {title}\n" in message
    assert f"- **Mon rôle**{NNBSP}: {data['role']}\n" in message
    assert f"de 38,20{NBSP}£ à 14,75{NBSP}£ (−23,45{NBSP}£, −61{NNBSP}%). Source{NNBSP}: " in message
    assert (
        f"seule l’évolution est affichée, +212{NNBSP}%{NNBSP}; les chiffres eux-mêmes restent confidentiels"
        in message
    )
    assert "## Si vous préférez que votre nom n’apparaisse pas" in message
    assert (
        "La page vous présenterait comme une boutique de vélos indépendante à Leeds, sans votre nom"
        in message
    )
    assert "1. **Oui, vous pouvez nous nommer**" in message and "3. **Non**" in message
    assert not (demo / "output").exists()


def test_a_french_site_gets_french_figures_grammar_and_the_private_answer(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert cli("init", str(site), "--language", "fr").returncode == 0
    path = site / "content/case-studies/lancement-printemps.md"
    text = path.read_text(encoding="utf-8").replace("consent: granted ", "consent: pending ", 1)
    path.write_text(
        text.replace("  anonymized_as:", "  private_offer: true\n  anonymized_as:", 1), encoding="utf-8"
    )
    run = cli("consent-request", "lancement-printemps", cwd=site)
    assert run.returncode == 0, run.stderr
    message = (site / "consent-requests/lancement-printemps.fr.md").read_text(encoding="utf-8")
    assert f"Taux d’engagement{NNBSP}: de 1,2{NNBSP}% à 4,8{NNBSP}% (+3,6{NBSP}pts, +300{NNBSP}%)" in message
    assert f"Ventes issues des réseaux sociaux{NNBSP}: 18{NNBSP}400\u00a0€. Source{NNBSP}: Shopify" in message
    # The alias where the page would have the client's name, with French elision.
    assert (
        "Son titre deviendrait" in message and "de la gamme printemps d’une marque de cosmétiques" in message
    )
    assert "3. **En privé seulement**" in message and "4. **Non**" in message
    assert f"- **Citation**{NNBSP}: «{NNBSP}Camille a reconstruit notre communauté" in message
    assert not (site / "output").exists()


def test_the_preview_is_the_page_as_a_pdf_with_consent(demo: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    run = cli("consent-request", "bike-shop-paid-social", "--preview", cwd=demo)
    assert run.returncode == 0, run.stderr
    assert "Wrote consent-requests/bike-shop-paid-social.pdf" in run.stdout
    reader = pypdf.PdfReader(demo / "consent-requests/bike-shop-paid-social.pdf")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "More bikes sold from the same ad budget for Halden Cycles" in text
    assert "Brewing a TikTok community" not in text  # that case study alone
    assert not (demo / "output").exists()


def test_a_wrong_study_is_a_usage_error(demo: Path, tmp_path: Path) -> None:
    run = cli("consent-request", "bike-shop-paid-socal", cwd=demo)
    assert run.returncode == 2
    assert "no case study `bike-shop-paid-socal`; did you mean `bike-shop-paid-social`?" in run.stderr
    site = write_site(tmp_path / "site", {"content/case-studies/mine.md": study(title="Mine")})
    run = cli("consent-request", "mine", cwd=site)
    assert run.returncode == 2 and "has no client: there is nobody to ask" in run.stderr


def test_the_build_never_reads_the_requests(demo: Path) -> None:
    from portfolio.replay import _NOT_INPUTS

    assert "consent-requests" in _NOT_INPUTS
    from portfolio.starter import create_site

    create_site(demo.parent / "new", "en")
    assert "/consent-requests/" in (demo.parent / "new/.gitignore").read_text(encoding="utf-8")


def test_every_mark_of_the_french_message_has_its_narrow_space(tmp_path: Path) -> None:
    """The lists the message writes itself (a series' points, the videos) are joined as French
    has it ("teaser.mp4 ; two.mp4"), and no ; : ! ? of the message lacks its narrow no-break
    space (a newcomer trial found "la vidéo teaser.mp4; la vidéo two.mp4")."""
    from PIL import Image

    site = write_site(
        tmp_path / "site",
        {
            "content/case-studies/etude.md": study(
                "client: {name: Maison Lune, consent: pending, anonymized_as: une marque lyonnaise}\n"
                "metrics:\n  - {label: Abonnés, series: [{x: 2024-09, y: 3100}, {x: 2024-10, y: 4100}]}\n"
                "gallery:\n  - {video: ../media/teaser.mp4, poster: ../images/a.jpg, alt: Un teaser}\n"
                "  - {video: ../media/two.mp4, poster: ../images/a.jpg, alt: Un autre}",
                title='"Campagne pour {client}"',
                summary='"Ça a marché ! Vraiment ?"',
                body="Le texte ; et voilà !\n",
            ),
            "content/media/teaser.mp4": b"\x00",
            "content/media/two.mp4": b"\x00",
        },
        config="title: Camille\nlanguage: fr\nauthor:\n  name: Camille Test\n  email: c@example.com\n",
    )
    (site / "content/images").mkdir(parents=True)
    Image.new("RGB", (40, 30), "red").save(site / "content/images/a.jpg")
    run = cli("consent-request", "etude", cwd=site)
    assert run.returncode == 0, run.stderr
    message = (site / "consent-requests/etude.fr.md").read_text(encoding="utf-8")
    assert f"la vidéo teaser.mp4{NNBSP}; la vidéo two.mp4" in message
    assert f"sept.\u00a02024{NNBSP}: 3{NNBSP}100{NNBSP}; oct.\u00a02024{NNBSP}: 4{NNBSP}100" in message
    prose = message.replace("c@example.com", "")
    bare = [i for i, c in enumerate(prose) if c in ";:!?" and prose[i - 1] not in (NNBSP, ";", ":", "!", "?")]
    assert not bare, [prose[max(0, i - 30) : i + 5] for i in bare]
