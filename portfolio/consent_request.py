# ruff: noqa: E501  (the messages below are text a client reads, one sentence per line)
"""`portfolio consent-request STUDY`: the message asking a client for consent.

What it lists comes from the model the site is built from: the case study as the site's
edition in that language would publish it with consent granted (site.py's `build_edition`,
as the build calls it, the study's consent set to `granted`), its metrics as the site
formats them (views.py), and its alias as the page would read anonymized (site.py's
`as_published`, in the grammar of the language the page is written in). Nothing is read
by hand. The message goes to consent-requests/SLUG.LANG.md and, with `--preview`, the page
as a PDF made from that same edition (recipe.py) to consent-requests/SLUG.pdf: nothing is
written into output/, and the build never reads that folder.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .config import load_config
from .consent import Decision
from .content import CaseStudy, Content, load_content
from .errors import ContentErrors, PortfolioError, Problems, UsageProblem
from .grammar import fill
from .locale import Formatter, site_words
from .output import write_file
from .site import as_published, build_edition
from .slugs import slugify
from .themes import load_theme
from .typography import typeset
from .views import MetricView, view_metric

FOLDER = "consent-requests"
LANGUAGES = ("en", "fr")

# Every word of the message, per language. `{client}` follows grammar.py's rules.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "subject": "Subject: May I show the work I did for {client} in my portfolio?",
        "hello": "Hello,",
        "colon": ": ",
        "intro": "I would like to show the work I did for {client}, “{title}”{period}, in my portfolio{site}. Recruiters and hiring managers read it when I apply for jobs. I will only publish it with your agreement, so here is exactly what the page would show.",
        "period": " ({period})",
        "site": " ({url})",
        "written_in": "The page is written in {language} only: its words are quoted below as the site would show them.",
        "language_en": "English",
        "language_fr": "French",
        "quoted": "“{text}”",
        "shown": "What would be published with your agreement",
        "name": "Your name",
        "link": ", with a link to {url}",
        "industry": "Your industry",
        "title": "Title",
        "summary": "Summary",
        "role": "My role",
        "when": "When",
        "ongoing": "since {start}, ongoing",
        "employer": "I worked for",
        "did": "What I did",
        "team": "The team credited",
        "channels": "Channels",
        "skills": "Skills",
        "tags": "Topics",
        "school": "School",
        "results": "Results",
        "change": "from {before} to {after} ({change})",
        "change_relative": "from {before} to {after} ({change}, {relative})",
        "hidden_change": "only the change is shown, {relative}; the figures themselves stay confidential",
        "hidden_none": "the figures stay confidential and are not shown",
        "series": "shown as a chart, {rows}",
        "hidden_series": "shown as a chart of its shape, {relative}; the figures themselves stay confidential",
        "row": "{x}: {y}",
        "and": "; ",  # between the items of a list in a sentence
        "source": "Source: {source}.",
        "part": "My part: {contribution}.",
        "logo": "Your logo",
        "logo_file": "the file {name}",
        "quote": "Quote",
        "quote_by": "“{quote}” ({author})",
        "quote_alone": "“{quote}”",
        "quote_pending": "Quote, if {author} agrees too",
        "quote_pending_anonymous": "Quote, if the person quoted agrees too",
        "pictures": "Pictures",
        "picture": "{name}: {alt}",
        "caption": "Caption: “{caption}”.",
        "credit": "Credit: {credit}.",
        "no_alt": "(no description)",
        "video": "the video {name}",
        "video_note": "Videos",
        "link_item": "a preview that links to {url}",
        "story": "The text of the page",
        "story_below": "below this message",
        "anonymous": "If you would rather not be named",
        "anonymous_text": "The page would describe you as {client}, without your name, logo, website or quote. Its title would read: “{title}”.",
        "answer": "Your answer",
        "answer_intro": "Please reply with one of these answers:",
        "granted": "**Yes, you may name us**: the page is published as described above.",
        "anonymized": "**Yes, without our name**: the page is published, and describes you as {client}.",
        "private": "**Only privately**: the page described above opens only with a password, which I give to the people I choose (recruiters and hiring managers).",
        "private_listed": "Everywhere else on the site, it appears only in the lists of my work, as an anonymized card with a lock that describes you as {client} and shows just its title, its date and my role.",
        "private_listed_plain": "Everywhere else on the site, it appears only in the lists of my work, as a card with a lock that does not name you and shows just its title, its date and my role.",
        "private_unlisted": "It appears in no list, and nothing else on the site names you.",
        "denied": "**No**: nothing about this work is published.",
        "change_mind": "You can change your mind at any time, and I will update the site.",
        "thanks": "Thank you,",
        "text_heading": "The text of the page",
    },
    "fr": {
        "subject": "Objet : Puis-je présenter le travail réalisé pour {client} dans mon portfolio ?",
        "hello": "Bonjour,",
        "colon": " : ",
        "intro": "J’aimerais présenter dans mon portfolio{site} le travail que j’ai réalisé pour {client}, « {title} »{period}. Les recruteurs le consultent quand je postule. Je ne le publierai qu’avec votre accord : voici exactement ce que la page montrerait.",
        "period": " ({period})",
        "site": " ({url})",
        "written_in": "La page n’est écrite qu’en {language} : ses mots sont cités ci-dessous tels que le site les afficherait.",
        "language_en": "anglais",
        "language_fr": "français",
        "quoted": "« {text} »",
        "shown": "Ce qui serait publié avec votre accord",
        "name": "Votre nom",
        "link": ", avec un lien vers {url}",
        "industry": "Votre secteur",
        "title": "Titre",
        "summary": "Résumé",
        "role": "Mon rôle",
        "when": "Période",
        "ongoing": "depuis {start}, en cours",
        "employer": "Pour le compte de",
        "did": "Ce que j’ai fait",
        "team": "L’équipe créditée",
        "channels": "Canaux",
        "skills": "Compétences",
        "tags": "Thèmes",
        "school": "École",
        "results": "Résultats",
        "change": "de {before} à {after} ({change})",
        "change_relative": "de {before} à {after} ({change}, {relative})",
        "hidden_change": "seule l’évolution est affichée, {relative} ; les chiffres eux-mêmes restent confidentiels",
        "hidden_none": "les chiffres restent confidentiels et ne sont pas affichés",
        "series": "sous forme de graphique, {rows}",
        "hidden_series": "sous forme d’un graphique de sa courbe, {relative} ; les chiffres eux-mêmes restent confidentiels",
        "row": "{x} : {y}",
        "and": " ; ",  # entre les éléments d’une liste dans une phrase
        "source": "Source : {source}.",
        "part": "Ma contribution : {contribution}.",
        "logo": "Votre logo",
        "logo_file": "le fichier {name}",
        "quote": "Citation",
        "quote_by": "« {quote} » ({author})",
        "quote_alone": "« {quote} »",
        "quote_pending": "Citation, si {author} est d’accord également",
        "quote_pending_anonymous": "Citation, si la personne citée est d’accord également",
        "pictures": "Images",
        "picture": "{name} : {alt}",
        "caption": "Légende : « {caption} ».",
        "credit": "Crédit : {credit}.",
        "no_alt": "(sans description)",
        "video": "la vidéo {name}",
        "video_note": "Vidéos",
        "link_item": "un aperçu qui mène à {url}",
        "story": "Le texte de la page",
        "story_below": "à la suite de ce message",
        "anonymous": "Si vous préférez que votre nom n’apparaisse pas",
        "anonymous_text": "La page vous présenterait comme {client}, sans votre nom, votre logo, votre site ni citation. Son titre deviendrait : « {title} ».",
        "answer": "Votre réponse",
        "answer_intro": "Il vous suffit de répondre par l’une de ces options :",
        "granted": "**Oui, vous pouvez nous nommer** : la page est publiée telle que décrite ci-dessus.",
        "anonymized": "**Oui, sans notre nom** : la page est publiée et vous présente comme {client}.",
        "private": "**En privé seulement** : la page décrite ci-dessus ne s’ouvre qu’avec un mot de passe, que je donne aux personnes de mon choix (des recruteurs).",
        "private_listed": "Ailleurs sur le site, elle n’apparaît que dans les listes de mes travaux, sous la forme d’une carte anonymisée marquée d’un cadenas, qui vous présente comme {client} et n’indique que son titre, sa date et mon rôle.",
        "private_listed_plain": "Ailleurs sur le site, elle n’apparaît que dans les listes de mes travaux, sous la forme d’une carte marquée d’un cadenas, qui ne vous nomme pas et n’indique que son titre, sa date et mon rôle.",
        "private_unlisted": "Elle n’apparaît dans aucune liste, et rien d’autre sur le site ne vous nomme.",
        "denied": "**Non** : rien de ce travail n’est publié.",
        "change_mind": "Vous pourrez changer d’avis à tout moment : je mettrai le site à jour.",
        "thanks": "Merci d’avance,",
        "text_heading": "Le texte de la page",
    },
}


@dataclass(frozen=True)
class Private:
    """The answer "only privately", offered with `private_offer: true`: what the site would
    show of the work then, besides its page behind a password."""

    listed: bool  # its anonymized card with a lock in the lists (`private: {list: true}`), or nothing


@dataclass(frozen=True)
class Written:
    """What `consent-request` wrote, for the command to say."""

    message: Path
    pdf: Path | None
    source: str  # the case study's file
    consent: str  # its client's consent now
    shown: CaseStudy  # the case study as it would be published with consent granted


def consent_request(root: Path, name: str, language: str | None = None, preview: bool = False) -> Written:
    """Write the message asking the client of case study `name` (a slug or a file) for
    consent, in `language` (default: the site's), and with `preview` its page as a PDF."""
    root = root.resolve()
    problems = Problems()
    config = load_config(root, problems)
    if config is None:
        raise ContentErrors(problems.errors)
    language = language or config.languages[0]
    if language not in LANGUAGES:
        raise UsageProblem(f"--language {language}: expected one of {', '.join(LANGUAGES)}")
    content = load_content(root, problems, None, config.languages, config.untranslated)
    study = _find(content, name, root)
    if study.client is None:
        raise UsageProblem(
            f"{study.source} has no client: there is nobody to ask (personal and school work is yours to show)"
        )
    # The site's edition in the language asked for, or its first where it has no such
    # edition or that edition leaves the study out (`untranslated: hide`), built as the
    # site builds it (its translation, its headline and pitch), with this study's client
    # consenting: exactly what the site, and its PDF, would publish.
    edition = language if language in config.languages else config.languages[0]
    original = _in_edition(content, config.languages, edition, study.source)
    if original is None:
        edition = config.languages[0]
        original = study
    site = build_edition(config, _consented(content, study.source), edition, problems, drafts=True)
    own = _files_of(study.source, config.languages)
    mine = [e for e in problems.errors if e.path in own]
    if mine:
        raise ContentErrors(mine)
    shown = next((s for s in site.studies if s.source == study.source), None)
    if shown is None:  # an error elsewhere kept it out; it is reported above
        raise ContentErrors(problems.errors)
    site_config = site.config
    theme_problems = Problems()
    theme = load_theme(site_config, theme_problems)
    theme_problems.raise_if_any()
    assert theme is not None
    fmt = Formatter(edition, site_words(theme.dirs, site_config, edition, theme_problems))
    client = original.client
    assert client is not None
    # The alias as the site publishes it anonymized (in the study's own words' language).
    anonymized = as_published(original, Decision("anonymized", ""), edition) if client.anonymized_as else None
    words = site_words(theme.dirs, site_config, language, theme_problems)
    theme_problems.raise_if_any()
    private = Private(original.private_list and not original.unlisted) if client.private_offer else None
    text = compose(shown, anonymized, fmt, language, site_config.base_url, config.author.name,
                   config.author.email, private, Formatter(language, words))  # fmt: skip
    folder = root / FOLDER
    target = folder / f"{study.slug}.{language}.md"
    _write(target, text.encode("utf-8"), root)
    pdf_path = None
    if preview:
        from .pdf import require
        from .recipe import study_pdf

        require()
        pdf_problems = Problems()
        data = study_pdf(root, site, shown, pdf_problems)
        pdf_path = folder / f"{study.slug}.pdf"
        _write(pdf_path, data, root)
    return Written(target, pdf_path, study.source, client.consent, shown)


def _in_edition(content: Content, languages: tuple[str, ...], edition: str, source: str) -> CaseStudy | None:
    """Case study `source` as the edition in language `edition` has it, if it has it."""
    local = content if edition == languages[0] else content.translations[edition]
    return next((s for s in local.case_studies if s.source == source), None)


def _consented(content: Content, source: str) -> Content:
    """`content` with the client of case study `source` consenting, in every language: its
    page as it would be published with consent granted (not private, not a draft)."""

    def grant(study: CaseStudy) -> CaseStudy:
        if study.source != source or study.client is None:
            return study
        client = dataclasses.replace(study.client, consent="granted")
        return dataclasses.replace(study, client=client, protected=False, draft=False)

    def each(part: Content) -> Content:
        return dataclasses.replace(part, case_studies=tuple(grant(s) for s in part.case_studies))

    return dataclasses.replace(
        each(content), translations={code: each(part) for code, part in content.translations.items()}
    )


def _files_of(source: str, languages: tuple[str, ...]) -> set[str]:
    """The files of case study `source`, its translations too, and the site's settings:
    their errors stop the message (other files' do not concern this client)."""
    path = PurePosixPath(source)
    return {source, "portfolio.yaml", *(str(path.with_name(f"{path.stem}.{code}.md")) for code in languages)}


def _find(content: Content, name: str, root: Path) -> CaseStudy:
    """The case study `name` names: its slug, its file (from here or from the site), or
    its file's name."""
    studies = content.case_studies
    for base in (Path.cwd(), root, root / "content" / "case-studies"):
        candidate = (base / name).resolve()
        for study in studies:
            if study.path.resolve() in (candidate, candidate / "index.md"):
                return study
    wanted = slugify(name.removesuffix(".md"))
    for study in studies:
        folder = study.path.parent.name if study.path.name == "index.md" else study.path.stem
        if wanted in (study.slug, slugify(folder)):
            return study
    close = difflib.get_close_matches(wanted, sorted(s.slug for s in studies), n=1)
    hint = f"; did you mean `{close[0]}`?" if close else ""
    known = ", ".join(sorted(s.slug for s in studies)) or "none yet"
    raise UsageProblem(f"no case study `{name}`{hint} (case studies: {known})")


def _write(target: Path, data: bytes, root: Path) -> None:
    """Write a file under consent-requests/, never through a link out of the site."""
    folder = target.parent
    if folder.is_symlink() or (folder.exists() and not Path(os.path.realpath(folder)).is_relative_to(root)):
        raise PortfolioError(f"{folder.relative_to(root)} must be a folder of the site, not a link")
    folder.mkdir(parents=True, exist_ok=True)
    write_file(target, data)  # whole or not at all, as the PDF command writes


# -- the message ---------------------------------------------------------------------------


def compose(
    study: CaseStudy,
    anonymized: CaseStudy | None,
    fmt: Formatter,
    language: str,
    base_url: str | None,
    author: str,
    email: str | None,
    private: Private | None,
    dates: Formatter | None = None,
) -> str:
    """The message, in Markdown: what the page would show with consent, the alias it would
    carry without, and the answers (`private`: "only privately" too). `fmt` formats the
    figures as the site does; `dates` the message's own dates, in `language`. The message's
    words get the language's typography; what is quoted from the case study stays as the
    site publishes it, in the language its words are in (a page with no translation into
    `language` is quoted as written, and the message says so)."""
    dates = dates or fmt
    w = {key: typeset(text, language) for key, text in WORDS[language].items()}
    client = study.client
    assert client is not None
    name = client.name
    written_in = study.language or fmt.language

    def named(key: str, who: str = name, alias: bool = False, **values: str) -> str:
        """A sentence of the message, `{client}` filled in the language's grammar; an alias
        in another language than the message's is quoted as the page has it."""
        text = w[key].format(client="{client}", **values)
        if alias and written_in != language:
            return text.replace("{client}", w["quoted"].format(text=who))
        return fill(text, who, language, alias)

    lines = [named("subject"), "", w["hello"], ""]
    period = _period(study, dates, w)
    lines += [
        named(
            "intro",
            title=study.title,
            period=w["period"].format(period=period) if period else "",
            site=w["site"].format(url=base_url) if base_url else "",
        ),
        "",
    ]
    if written_in != language:
        lines += [w["written_in"].format(language=w[f"language_{written_in}"]), ""]
    lines += [f"## {w['shown']}", ""]
    lines += _shown(study, fmt, w, period)
    alias = anonymized.client.name if anonymized is not None and anonymized.client is not None else None
    if anonymized is not None and alias is not None:
        lines += [
            "",
            f"## {w['anonymous']}",
            "",
            named("anonymous_text", alias, True, title=anonymized.title),
        ]
    answers = [w["granted"]]
    if alias is not None:
        answers.append(named("anonymized", alias, True))
    if private is not None:
        elsewhere = (
            named("private_listed", alias, True)
            if private.listed and alias is not None
            else w["private_listed_plain" if private.listed else "private_unlisted"]
        )
        answers.append(f"{w['private']} {elsewhere}")
    answers.append(w["denied"])
    lines += ["", f"## {w['answer']}", "", w["answer_intro"], ""]
    lines += [f"{i}. {answer}" for i, answer in enumerate(answers, 1)]
    lines += ["", w["change_mind"], "", w["thanks"], "", author + ("  " if email else "")]
    if email:
        lines.append(email)
    body = study.body.strip()
    if body:
        lines += ["", "---", "", f"## {w['text_heading']}", ""]
        body = typeset(body, written_in)  # as the page sets the story, in its words' language
        lines += ["> " + line if line.strip() else ">" for line in body.split("\n")]
    return "\n".join(lines) + "\n"


def _period(study: CaseStudy, fmt: Formatter, w: dict[str, str]) -> str:
    period = study.period
    if period is None or period.start is None:
        return ""
    if period.end is None:
        return w["ongoing"].format(start=fmt.date(period.start, "month"))
    return fmt.span(period.start, period.end, "MMMM y")


def _shown(study: CaseStudy, fmt: Formatter, w: dict[str, str], period: str) -> list[str]:
    """One item per thing the page shows, in the page's words and figures."""
    client = study.client
    assert client is not None
    colon = w["colon"]

    def item(key: str, value: str = "") -> str:
        return f"- **{w[key]}**{colon.rstrip() if not value else colon}{value}"

    out = [item("name", client.name + (w["link"].format(url=client.url) if client.url else ""))]
    if client.industry:
        out.append(item("industry", client.industry))
    out += [item("title", study.title), item("summary", study.summary), item("role", study.role)]
    if period:
        out.append(item("when", period))
    if study.employer:
        out.append(item("employer", study.employer))
    if study.school and study.school.institution:
        parts = [p for p in (study.school.institution, study.school.course, study.school.grade) if p]
        out.append(item("school", ", ".join(parts)))
    if study.contributions:
        out.append(item("did", ", ".join(study.contributions)))
    if study.collaborators:
        out.append(
            item("team", ", ".join(f"{c.name} ({c.role})" if c.role else c.name for c in study.collaborators))
        )
    for key, values in (("channels", study.channels), ("skills", study.skills), ("tags", study.tags)):
        if values:
            out.append(item(key, ", ".join(values)))
    if study.metrics:
        out.append(item("results"))
        out += ["    - " + _metric(view_metric(metric, fmt), w) for metric in study.metrics]
    if client.logo is not None:
        out.append(item("logo", w["logo_file"].format(name=client.logo.source.name)))
    quote = study.testimonial
    if quote is not None:
        said = w["quote_by" if quote.author else "quote_alone"].format(quote=quote.quote, author=quote.author)
        if quote.consent == "granted":
            out.append(item("quote", said))
        else:  # published only if the person quoted agrees too
            label = (
                w["quote_pending"].format(author=quote.author)
                if quote.author
                else w["quote_pending_anonymous"]
            )
            out.append(f"- **{label}**{colon}{said}")
    pictures = _pictures(study, w)
    if pictures:
        out.append(item("pictures"))
        out += [f"    {i}. {picture}" for i, picture in enumerate(pictures, 1)]
    videos = [
        w["video"].format(name=g.video.name) if g.video else w["link_item"].format(url=g.link)
        for g in study.gallery
        if g.kind in ("video", "link")
    ]
    if videos:
        out.append(item("video_note", w["and"].join(videos)))
    if study.body.strip():
        out.append(item("story", w["story_below"]))
    return out


def _metric(m: MetricView, w: dict[str, str]) -> str:
    """A metric as its tile shows it: before and after with the change, a figure, or the
    points of a series; a confidential one says what is kept back."""
    if m.kind == "change":
        if m.confidential:
            figures = w["hidden_change"].format(relative=m.relative) if m.relative else w["hidden_none"]
        elif m.before and m.after:
            key = "change_relative" if m.relative else "change"
            figures = w[key].format(
                before=m.before.text, after=m.after.text, change=m.change, relative=m.relative
            )
        else:
            figures = ""
    elif m.kind == "value":
        figures = m.value.text if m.value else w["hidden_none"]
    elif m.confidential:
        figures = w["hidden_series"].format(relative=m.relative) if m.relative else w["hidden_none"]
    else:
        figures = w["series"].format(rows=w["and"].join(w["row"].format(x=r.x, y=r.y) for r in m.rows))
    text = f"{m.label}{w['colon']}{figures}." if figures else f"{m.label}."
    if m.source:
        text += " " + w["source"].format(source=m.source.rstrip("."))
    if m.contribution:
        text += " " + w["part"].format(contribution=m.contribution.rstrip("."))
    return text


_BODY_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)")


def _pictures(study: CaseStudy, w: dict[str, str]) -> list[str]:
    """Every picture the page shows: the cover, the gallery (posters too), the story's."""
    refs = [study.cover, *(item.image for item in study.gallery)]
    out = []
    for ref in refs:
        if ref is None:
            continue
        text = w["picture"].format(name=ref.source.name, alt=ref.alt or w["no_alt"])
        if ref.caption:
            text += ". " + w["caption"].format(caption=ref.caption.rstrip("."))
        if ref.credit:
            text += " " + w["credit"].format(credit=ref.credit.rstrip("."))
        out.append(text)
    for alt, src in _BODY_IMAGE.findall(study.body):
        if "://" not in src:
            out.append(w["picture"].format(name=Path(src).name, alt=alt or w["no_alt"]))
    return out
