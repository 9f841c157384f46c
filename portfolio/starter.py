# ruff: noqa: E501  (the templates below are text a user reads, one line per field)
"""`portfolio init` and `portfolio new`: a starter site and a case study with every field."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from importlib import metadata
from pathlib import Path

from . import __version__
from .errors import PortfolioError, UsageProblem
from .slugs import slugify

STARTER = Path(__file__).resolve().parent / "starter"
# (file, two gradient colours) for the starter's placeholder pictures.
_PICTURES = {
    "avatar.jpg": ((29, 78, 216), (236, 72, 153)),
    "spring-launch.jpg": ((251, 207, 232), (196, 181, 253)),
    "school-rebrand.jpg": ((254, 215, 170), (180, 83, 9)),
    "newsletter.jpg": ((186, 230, 253), (30, 64, 175)),
}


WORKFLOW = ".github/workflows/portfolio.yml"


def create_site(target: Path, language: str = "en", github_pages: bool = False) -> None:
    """Copy the starter site, written in `language`, into `target` (empty or absent); with
    `github_pages`, add the workflow that publishes it on GitHub Pages at every push."""
    if target.exists() and not target.is_dir():
        raise UsageProblem(f"{target} is a file; give `portfolio init` a new or empty folder")
    if target.is_dir() and any(p.name != ".git" for p in target.iterdir()):  # a fresh repo is fine
        raise UsageProblem(f"{target} is not empty; `portfolio init` only writes into an empty or new folder")
    try:
        shutil.copytree(
            STARTER / language,
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        images = target / "content" / "images"
        images.mkdir(parents=True, exist_ok=True)
        for name, colours in _PICTURES.items():
            _picture(images / name, *colours, square=name == "avatar.jpg")
        (target / ".gitignore").write_text(
            "/output/\n.portfolio-cache/\n/consent-requests/\n", encoding="utf-8"
        )
        if github_pages:
            workflow = target / WORKFLOW
            workflow.parent.mkdir(parents=True, exist_ok=True)
            workflow.write_text(github_workflow(), encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"cannot create {target}: {exc.strerror}") from None


def github_workflow(requirement: str | None = None) -> str:
    """The GitHub Actions workflow: build with --strict, then publish with the official
    Pages actions; the cache folder is kept between runs. It installs `requirement`
    (default: where this copy of portfolio came from, see `requirement_of`)."""
    return _WORKFLOW.replace("{requirement}", requirement or requirement_of(direct_url())[0])


def direct_url() -> str | None:
    """The installer's record of where this copy came from (PEP 610), if any."""
    try:
        return metadata.distribution("portfolio").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None


def requirement_of(direct_url: str | None, version: str = __version__) -> tuple[str, bool]:
    """What pip installs on GitHub's machine to get this same portfolio, and whether GitHub
    can reach it: the git commit or the archive this copy was installed from, else the
    release of this version (a copy installed from a folder of this machine cannot be
    fetched from there: False, and `init` says what to write instead)."""
    release = f"portfolio=={version}"
    try:
        record = json.loads(direct_url) if direct_url else {}
    except ValueError:
        return release, True
    url = record.get("url", "") if isinstance(record, dict) else ""
    if not isinstance(url, str) or not url.startswith(("https://", "http://", "ssh://", "git@")):
        return release, not url
    vcs = record.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git":
        commit = vcs.get("commit_id") or vcs.get("requested_revision") or ""
        return f"portfolio @ git+{url}" + (f"@{commit}" if commit else ""), True
    return f"portfolio @ {url}", True


_WORKFLOW = """\
# Builds the portfolio and publishes it on GitHub Pages at every push to main.
# Once: in the repository's Settings > Pages, set Source to "GitHub Actions".
# Written by `portfolio init --github-pages`; see "Deploying" in portfolio's README.
name: Publish the portfolio

on:
  push:
    branches: [main]
  workflow_dispatch:  # a "Run workflow" button in the Actions tab

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:  # one publication at a time; a newer push waits for the running one
  group: pages
  cancel-in-progress: false

env:
  # The portfolio this site was made with. To use another copy, write its address,
  # e.g. portfolio @ git+https://github.com/you/portfolio@main
  PORTFOLIO: {requirement}

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Check out the site
        uses: actions/checkout@v4
      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install portfolio
        run: python -m pip install "$PORTFOLIO"
      - name: Keep the cache between runs (images are not made again)
        uses: actions/cache@v4
        with:
          path: .portfolio-cache/
          key: portfolio-${{ runner.os }}-${{ hashFiles('portfolio.yaml', 'content/**', 'static/**') }}
          restore-keys: portfolio-${{ runner.os }}-
      - name: Find the site's address
        id: pages
        uses: actions/configure-pages@v5
      - name: Build (warnings fail the build, so nothing half-done is published)
        run: portfolio build --strict --base-url "${{ steps.pages.outputs.base_url }}/"
      - name: Leave out what GitHub Pages does not read (_headers names unlisted pages)
        run: rm -f output/_headers output/.portfolio-output
      - name: Upload the site
        uses: actions/upload-pages-artifact@v3
        with:
          path: output/

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Publish on GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
"""


def _picture(path: Path, top: tuple[int, int, int], bottom: tuple[int, int, int], square: bool) -> None:
    """A soft diagonal gradient: a placeholder the user replaces with real work."""
    from PIL import Image

    size = (800, 800) if square else (1600, 1000)
    ramp = Image.linear_gradient("L").rotate(45, expand=True).resize(size)
    im = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), ramp)
    im.save(path, "JPEG", quality=85)


def site_language(root: Path) -> str:
    """The language portfolio.yaml names (`en` when it names none or cannot be read)."""
    from .config import load_config
    from .errors import Problems

    try:
        config = load_config(root, Problems())
    except PortfolioError:
        config = None
    return config.language if config else "en"


# What a starter writes where only the user can write: recognised by `build` and `check`
# (placeholders.py), so none goes live.
PLACEHOLDER_WORDS = {"en": "To fill in", "fr": "À compléter"}


def new_case_study(root: Path, title: str, kind: str, language: str | None = None) -> Path:
    """Write content/case-studies/SLUG.md with every field present and explained, in the
    site's language, as a draft: placeholders where only the user knows, no invented figure."""
    language = language or site_language(root)
    words = _WORDS[language]
    slug = slugify(title)
    if not slug:
        raise UsageProblem("the title needs at least one letter or digit")
    path = root / "content" / "case-studies" / f"{slug}.md"
    if path.exists() or (path.parent / slug / "index.md").exists():
        raise PortfolioError(
            f"{path.relative_to(root)} already exists; choose another title (portfolio new never overwrites)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    has_client = kind in ("client", "agency", "freelance", "volunteer")
    text = _TEMPLATES[language].format(
        title=_quote(title),
        date=dt.date.today().isoformat(),
        kind=kind,
        client=words["client"] if has_client else words["no_client"],
        school=words["school"] if kind == "school" else words["no_school"],
        employer=words["employer"] if kind == "agency" else words["no_employer"],
    )
    path.write_text(text, encoding="utf-8")
    return path


def new_application(root: Path, company: str, language: str | None = None) -> Path:
    """Write content/applications/SLUG.md for one job application, with a fresh token."""
    from .applications import new_token

    language = language or site_language(root)
    slug = slugify(company)
    if not slug:
        raise UsageProblem("the company's name needs at least one letter or digit")
    path = root / "content" / "applications" / f"{slug}.md"
    if path.exists():
        raise PortfolioError(
            f"{path.relative_to(root)} already exists; give another name (portfolio new never overwrites)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    text = _APPLICATION[language].format(company=_quote(company), token=new_token())
    path.write_text(text, encoding="utf-8")
    return path


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_WORDS = {
    "en": {
        "client": """client:               # who the work was for
  name: "[To fill in: the client's name]"
  industry: "[To fill in: its industry]"
  # url: https://client.example
  # logo: ../images/client-logo.png
  consent: pending    # granted | pending | denied | private (behind a password): ask the client first
                      # (`portfolio consent-request SLUG` writes the message for you)
  consent_note: ""    # PRIVATE, never published: how and when the client answered
  anonymized_as: "[To fill in: the client described without its name, e.g. a Paris skincare brand]"
                      # shown instead of the name until consent is granted""",
        "no_client": """# client:             # optional for school and personal work (a real brief from a company)
#   name: The client's name
#   consent: pending""",
        "school": """school:
  institution: "[To fill in: your school]"
  course: "[To fill in: your course and year]"
  # grade: 17/20""",
        "no_school": "# school: {institution: ..., course: ..., grade: ...}   # for kind: school",
        "employer": 'employer: "[To fill in: the agency you worked for]"  # optional',
        "no_employer": "# employer: Studio Nord  # optional: the company you worked for",
    },
    "fr": {
        "client": """client:               # pour qui vous avez travaillé
  name: "[À compléter : le nom du client]"
  industry: "[À compléter : son secteur]"
  # url: https://client.example
  # logo: ../images/logo-client.png
  consent: pending    # granted | pending | denied | private (avec mot de passe) : demandez d'abord
                      # (`portfolio consent-request SLUG` rédige le message pour vous)
  consent_note: ""    # PRIVÉ, jamais publié : comment et quand le client a répondu
  anonymized_as: "[À compléter : le client décrit sans son nom, par ex. une marque de cosmétiques parisienne]"
                      # affiché à la place du nom tant que le client n'a pas dit oui""",
        "no_client": """# client:             # facultatif pour un projet d'école ou personnel (un vrai brief d'entreprise)
#   name: Le nom du client
#   consent: pending""",
        "school": """school:
  institution: "[À compléter : votre école]"
  course: "[À compléter : votre formation et votre année]"
  # grade: 17/20""",
        "no_school": "# school: {institution: ..., course: ..., grade: ...}   # pour kind: school",
        "employer": 'employer: "[À compléter : l\'agence pour laquelle vous travailliez]"  # facultatif',
        "no_employer": "# employer: Studio Nord  # facultatif : l'entreprise pour laquelle vous travailliez",
    },
}

_TEMPLATES = {
    "en": """---
# A new case study. It is a draft: `portfolio build` skips it until you set draft: false.
# Replace every "[To fill in: ...]": a published case study that still has one does not build.
# Write {{client}} wherever the client's name goes: it becomes the name, or the alias
# below while the client has not agreed to be named.
title: {title}       # required
date: {date}                       # required: for sorting and display
# period: {{start: 2024-09, end: 2025-02}}   # optional; no end means ongoing
summary: "[To fill in: one sentence with the result that matters]"   # required, at most 200 characters
kind: {kind}          # client | agency | freelance | volunteer | personal | school
{employer}
{client}
role: "[To fill in: your role, e.g. Social media strategist (lead)]"   # required: what YOU did
contributions: []     # what you did, item by item: [Strategy, Copywriting]
collaborators: []     # credit the team, e.g.
#  - {{name: First Last, role: Art direction}}
# team_size: 3        # how many people worked on it, you included
channels: []          # TikTok, Instagram, LinkedIn, Email, SEO...
skills: []            # the skills this work shows: [Content strategy, Analytics]
tags: []              # free topics
# cover: {{src: ../images/cover.jpg, alt: What the picture shows}}
# gallery:
#   - {{src: ../images/shot-1.jpg, alt: ..., caption: ..., credit: "Photo: ..."}}
#   - {{link: https://www.tiktok.com/@account/video/1, poster: ../images/poster.jpg, alt: ...}}
metrics: []           # results you can back up, each with where it came from, e.g.
#  - label: Engagement rate
#    before: ...       # the figure before you started (a number)
#    after: ...        # the figure after
#    unit: "%"
#    source: Where the number comes from (tool, period)
#    contribution: What you did to move it
#    headline: true    # the metric shown on cards
# testimonial: {{quote: ..., author: "Name, Title", consent: pending}}
{school}
featured: false       # shown on the home page
unlisted: false       # reachable by URL only: work shown on request
# protected: true     # the page opens with a password, set in PORTFOLIO_PASSWORD (never in a file)
draft: true           # set to false to publish
# slug: a-custom-url   # optional: the page's URL name
private_notes: |      # PRIVATE: never published
  Notes for yourself.
---
## Context

[To fill in: who was it for, and what was the situation?]

## Challenge

[To fill in: what needed to change?]

## What I did

[To fill in: your part, step by step. Credit the others for theirs.]

## Results

[To fill in: what changed, and how you know.]

## What I learned

[To fill in: one thing you would do again, one you would do differently.]
""",
    "fr": """---
# Une nouvelle étude de cas. C'est un brouillon : `portfolio build` l'ignore tant que
# draft: true. Remplacez chaque « [À compléter : ...] » : une étude publiée qui en contient
# encore un ne se construit pas.
# Écrivez {{client}} partout où va le nom du client : il devient le nom, ou l'alias
# ci-dessous tant que le client n'a pas accepté d'être nommé.
title: {title}       # obligatoire
date: {date}                       # obligatoire : pour le tri et l'affichage
# period: {{start: 2024-09, end: 2025-02}}   # facultatif ; sans fin, le projet est en cours
summary: "[À compléter : une phrase avec le résultat qui compte]"   # obligatoire, 200 caractères au plus
kind: {kind}          # client | agency | freelance | volunteer | personal | school
{employer}
{client}
role: "[À compléter : votre rôle, par ex. Community manager (responsable)]"   # obligatoire : ce que VOUS avez fait
contributions: []     # ce que vous avez fait, point par point : [Stratégie, Rédaction]
collaborators: []     # citez l'équipe, par ex.
#  - {{name: Prénom Nom, role: Direction artistique}}
# team_size: 3        # combien de personnes, vous comprise
channels: []          # TikTok, Instagram, LinkedIn, E-mail, SEO...
skills: []            # les compétences que ce travail montre : [Stratégie de contenu, Analyse de données]
tags: []              # thèmes libres
# cover: {{src: ../images/couverture.jpg, alt: Ce que montre l'image}}
# gallery:
#   - {{src: ../images/visuel-1.jpg, alt: ..., caption: ..., credit: "Photo : ..."}}
#   - {{link: https://www.tiktok.com/@compte/video/1, poster: ../images/vignette.jpg, alt: ...}}
metrics: []           # des résultats que vous pouvez prouver, chacun avec sa source, par ex.
#  - label: Taux d'engagement
#    before: ...       # le chiffre avant votre travail (un nombre)
#    after: ...        # le chiffre après
#    unit: "%"
#    source: D'où vient le chiffre (outil, période)
#    contribution: Ce que vous avez fait pour le faire bouger
#    headline: true    # le chiffre affiché sur les cartes
# testimonial: {{quote: ..., author: "Nom, fonction", consent: pending}}
{school}
featured: false       # affichée sur la page d'accueil
unlisted: false       # accessible seulement par son adresse : un travail montré sur demande
# protected: true     # la page s'ouvre avec un mot de passe, défini dans PORTFOLIO_PASSWORD (jamais dans un fichier)
draft: true           # passez à false pour publier
# slug: une-adresse-choisie   # facultatif : le nom de la page dans l'adresse
private_notes: |      # PRIVÉ : jamais publié
  Vos notes personnelles.
---
## Contexte

[À compléter : pour qui, et quelle était la situation ?]

## L'enjeu

[À compléter : qu'est-ce qui devait changer ?]

## Ce que j'ai fait

[À compléter : votre part, étape par étape. Citez les autres pour la leur.]

## Résultats

[À compléter : ce qui a changé, et comment vous le savez.]

## Ce que j'en retiens

[À compléter : une chose que vous referiez, une que vous feriez autrement.]
""",
}

_APPLICATION = {
    "en": """---
# A page for one job application, at for/NAME-TOKEN/: in no list, feed or sitemap, marked
# noindex. `portfolio applications` prints its address to paste into the application form.
# It is a draft until you replace every "[To fill in: ...]" and set draft: false.
company: {company}            # required: who it is for
role: "[To fill in: the job you apply for]"   # required
token: "{token}"    # required: makes the address unguessable; keep it, or the link changes
case_studies: []      # the slugs (file names) of the case studies to show first, in order
skills: []            # the skills the job ad asks for: [Paid social, Analytics]
# pitch: |            # optional: replaces author.pitch on this page
#   Why this role, in a few lines.
# expires: 2027-03-01   # optional: the page is not built after this date
draft: true           # set to false to build it
private_notes: |      # PRIVATE: never published
  Who I sent it to, and when.
---
[To fill in: your cover note, a few short paragraphs: why this company, why you, what you would do first.]
""",
    "fr": """---
# Une page pour une candidature, à l'adresse for/NOM-JETON/ : dans aucune liste, aucun flux ni
# plan du site, marquée noindex. `portfolio applications` donne son adresse, à coller dans le
# formulaire de candidature. C'est un brouillon tant que chaque « [À compléter : ...] » est là
# et que draft: true.
company: {company}            # obligatoire : pour qui
role: "[À compléter : le poste visé]"   # obligatoire
token: "{token}"    # obligatoire : rend l'adresse impossible à deviner ; le changer change le lien
case_studies: []      # les slugs (noms de fichiers) des études à montrer d'abord, dans l'ordre
skills: []            # les compétences que l'annonce demande : [Publicité sociale, Analyse de données]
# pitch: |            # facultatif : remplace author.pitch sur cette page
#   Pourquoi ce poste, en quelques lignes.
# expires: 2027-03-01   # facultatif : la page n'est plus construite après cette date
draft: true           # passez à false pour la construire
private_notes: |      # PRIVÉ : jamais publié
  À qui je l'ai envoyée, et quand.
---
[À compléter : votre lettre de motivation, quelques paragraphes courts : pourquoi cette entreprise, pourquoi vous, ce que vous feriez en premier.]
""",
}
