"""`portfolio consent-request`: the message to the client lists exactly what the site would
publish with consent (checked here against the case study's own file), the alias, the
answers, in English and in French, and writes nothing but consent-requests/."""

from __future__ import annotations

import re
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


# -- the answer "only privately", and a message in another language than the page's ---------

BREWERY_CONFIG = """\
title: Camille Martin
{languages}
author:
  name: Camille Martin
  headline: {headline}
  pitch: "J'aide les marques à parler à leurs clients. Vraiment ?"
  email: camille@example.com
"""
BREWERY = "content/case-studies/biere.md"


def brewery(tmp_path: Path, languages: str = "language: fr", extra: str = "", **files: str) -> Path:
    """A French site whose case study for a brewery has an alias per language."""
    config = BREWERY_CONFIG.format(
        languages=languages, headline='"Responsable des réseaux sociaux : j\'anime des communautés"'
    )
    return write_site(
        tmp_path / "site",
        {
            BREWERY: study(
                "client:\n  name: Brasserie Lune\n  consent: pending\n  private_offer: true\n"
                "  anonymized_as: {fr: une brasserie de la Croix-Rousse, en: a Croix-Rousse brewery}\n"
                + extra,
                title='"La bière d\'hiver de {client}"',
                summary='"Une campagne d\'hiver pour {client} : 3 000 abonnés !"',
                role="Stratège",
                body="Le texte de l'étude.\n",
            ),
            **files,
        },
        config=config,
    )


def request(site: Path, *args: str) -> str:
    language = args[args.index("--language") + 1] if "--language" in args else "fr"
    run = cli("consent-request", "biere", *args, cwd=site)
    assert run.returncode == 0, run.stderr
    return (site / f"consent-requests/biere.{language}.md").read_text(encoding="utf-8")


PRIVATE_FR = (
    f"3. **En privé seulement**{NNBSP}: la page décrite ci-dessus ne s’ouvre qu’avec un mot de passe, que je "
    "donne aux personnes de mon choix (des recruteurs). "
)
PRIVATE_EN = (
    "3. **Only privately**: the page described above opens only with a password, which I give to the people "
    "I choose (recruiters and hiring managers). "
)


def test_the_private_answer_says_the_locked_card_stays_in_the_lists(tmp_path: Path) -> None:
    """By default (`private: {list: true}`) private work is still in the lists, as its
    anonymized card with a lock: the message says so, not "it appears in no list"."""
    site = brewery(tmp_path)
    listed_fr = (
        "Ailleurs sur le site, elle n’apparaît que dans les listes de mes travaux, sous la forme d’une "
        "carte anonymisée marquée d’un cadenas, qui vous présente comme une brasserie de la "
        "Croix-Rousse et n’indique que son titre, sa date et mon rôle.\n"
    )
    assert PRIVATE_FR + listed_fr in request(site)
    listed_en = (
        "Everywhere else on the site, it appears only in the lists of my work, as an anonymized card with a "
        "lock that describes you as “une brasserie de la Croix-Rousse” and shows just its title, its date "
        "and my role.\n"
    )
    assert PRIVATE_EN + listed_en in request(site, "--language", "en")


@pytest.mark.parametrize("hidden", ["private: {list: false}", "unlisted: true"])
def test_the_private_answer_says_no_list_only_when_none_shows_it(tmp_path: Path, hidden: str) -> None:
    site = brewery(tmp_path, extra=hidden)
    french = request(site)
    unlisted = "Elle n’apparaît dans aucune liste, et rien d’autre sur le site ne vous nomme.\n"
    assert PRIVATE_FR + unlisted in french
    assert "cadenas" not in french
    english = request(site, "--language", "en")
    assert PRIVATE_EN + "It appears in no list, and nothing else on the site names you.\n" in english


FRENCH_PAGE = [
    "The page is written in French only: its words are quoted below as the site would show them.\n",
    "- **Title**: La bière d’hiver de Brasserie Lune\n",
    f"- **Summary**: Une campagne d’hiver pour Brasserie Lune{NNBSP}: 3{NNBSP}000{NBSP}abonnés{NNBSP}!\n",
    "The page would describe you as “une brasserie de la Croix-Rousse”, without your name, logo, website or "
    "quote. Its title would read: “La bière d’hiver d’une brasserie de la Croix-Rousse”.\n",
    "2. **Yes, without our name**: the page is published, and describes you as “une brasserie de la "
    "Croix-Rousse”.\n",
    "> Le texte de l’étude.\n",
]


@pytest.mark.parametrize(
    "languages", ["language: fr", "languages: [fr, en]", "languages: [fr, en]\nuntranslated: hide"]
)
def test_an_english_message_quotes_an_untranslated_french_page_as_the_site_shows_it(
    tmp_path: Path, languages: str
) -> None:
    """No English version of the page: the message quotes the French one exactly as the site
    publishes it, French alias, grammar ("d’une") and typography, and says it is French. (An
    English edition that hides untranslated work has no page to quote: the French site's is.)"""
    message = request(brewery(tmp_path, languages), "--language", "en")
    for sentence in FRENCH_PAGE:
        assert sentence in message
    assert "de une" not in message and "d'" not in message and "brewery" not in message


def test_an_english_message_quotes_the_english_translation_with_its_alias(tmp_path: Path) -> None:
    translation = (
        "---\ntitle: The winter beer of {client}\n"
        'summary: "A winter campaign for {client}: 3,000 followers!"\n'
        "---\nThe study's text.\n"
    )
    site = brewery(tmp_path, "languages: [fr, en]", **{BREWERY.replace(".md", ".en.md"): translation})
    message = request(site, "--language", "en")
    assert "- **Title**: The winter beer of Brasserie Lune\n" in message
    assert "- **Summary**: A winter campaign for Brasserie Lune: 3,000 followers!\n" in message
    assert (
        "The page would describe you as a Croix-Rousse brewery, without your name, logo, website or quote. "
        "Its title would read: “The winter beer of a Croix-Rousse brewery”.\n"
    ) in message
    answer = (
        "2. **Yes, without our name**: the page is published, and describes you as a Croix-Rousse brewery."
    )
    assert answer + "\n" in message
    assert "written in" not in message and "Croix-Rousse brewery and shows just its title" in message
    assert "> The study's text.\n" in message
    # The French message, from the same site, quotes the French page.
    french = request(site)
    title = "La bière d’hiver d’une brasserie de la Croix-Rousse"
    assert f"Son titre deviendrait{NNBSP}: «{NNBSP}{title}{NNBSP}»." in french
    assert "n’est écrite qu’en" not in french and "brewery" not in french


def pdf_pages(path: Path) -> list[str]:
    pypdf = pytest.importorskip("pypdf")
    # Runs of plain spaces and lines as one space: the narrow no-break spaces stay.
    return [
        re.sub(r"[ \t\n]+", " ", page.extract_text() or "").strip() for page in pypdf.PdfReader(path).pages
    ]


def test_the_preview_is_made_as_the_sites_pdf_in_that_language(tmp_path: Path) -> None:
    """The preview in English has the English edition's words: the headline given in English,
    the study's English translation; the pitch given only in French keeps its French
    typography, as on the site's own en/portfolio.pdf, whose cover it matches."""
    pytest.importorskip("weasyprint")
    translation = "---\ntitle: The winter beer of {client}\nsummary: A winter campaign.\n---\nIts text.\n"
    translated = {BREWERY.replace(".md", ".en.md"): translation}
    site = brewery(tmp_path, "languages: [fr, en]\npdf: true", **translated)
    config = (site / "portfolio.yaml").read_text(encoding="utf-8")
    headline = '"Responsable des réseaux sociaux : j\'anime des communautés"'
    english = "{fr: " + headline + ', en: "Social media manager: I grow communities"}'
    (site / "portfolio.yaml").write_text(config.replace(headline, english), encoding="utf-8")
    request(site, "--language", "en", "--preview")
    preview = pdf_pages(site / "consent-requests/biere.pdf")
    assert preview[0].startswith(
        "Camille Martin Social media manager: I grow communities "
        f"J’aide les marques à parler à leurs clients. Vraiment{NNBSP}? EMAIL camille@example.com"
    )
    text = " ".join(preview)
    assert "The winter beer of Brasserie Lune" in text and "Responsable" not in text
    build = cli("build", cwd=site)
    assert build.returncode == 0, build.stderr
    assert pdf_pages(site / "output/en/portfolio.pdf")[0] == preview[0]
