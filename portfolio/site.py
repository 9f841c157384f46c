"""The whole-site model: what is published, URLs, slugs, listings and facets (pure)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import posixpath
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from .applications import Application, live
from .config import SiteConfig
from .consent import (
    CleanMemo,
    Decision,
    check_clashes,
    check_names,
    decide,
    hidden_names,
    map_text,
    publishable,
)
from .content import CaseStudy, Content, Page, default_slug
from .errors import Problems
from .leakguard import HiddenName
from .leakguard import fold as guard_fold
from .metric_model import Metric
from .placeholders import PLACEHOLDER
from .slugs import fold, slugify
from .typography import french
from .urls import SCHEMES, Urls, scheme

T = TypeVar("T")

# Top-level names the build writes itself; a free page may not take them.
RESERVED = {
    "case-studies",
    "results",
    "assets",
    "images",
    "files",
    "media",
    "social",  # link-preview cards, cached a year by hosts (_headers)
    "for",  # applications' pages, noindex by _headers
    "404",
    "index",
    "feed",
    "sitemap",
    "robots",
}
FACETS = ("kind", "channel", "skill")
NO_PASSWORD = " is not set"  # the end of the reason a private study without its password is withheld
# A free page may not take a section's name in any language's URLs, nor a language's code
# (a second language lives under /en/).
RESERVED_PAGES = RESERVED | {name for urls in SCHEMES.values() for name in urls.reserved()} | set(SCHEMES)


@dataclass(frozen=True)
class FacetValue:
    facet: str  # kind | channel | skill
    name: str  # as written (first spelling wins)
    slug: str
    studies: tuple[CaseStudy, ...]
    url: str  # its filter page


@dataclass(frozen=True)
class Protected:
    """A case study behind a password: its page as the client allowed it to be shown
    (encrypted at build time, protected.py), and its locked card, the only thing of it
    shown anywhere else."""

    study: CaseStudy  # the page
    card: CaseStudy  # the locked card: title, kind, date, role and the alias, nothing else
    password_env: str  # the environment variable holding the password
    listed: bool  # the card is in the lists (`private: {list: false}` leaves it out)


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    studies: tuple[CaseStudy, ...]  # every published study, newest first (unlisted too)
    listed: tuple[CaseStudy, ...]  # shown in lists, feed and sitemap
    pages: tuple[Page, ...]
    nav: tuple[Page, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    decisions: dict[str, Decision] = field(default_factory=dict)  # by source path
    drafts: bool = False  # drafts included (serve only)
    all_studies: tuple[CaseStudy, ...] = ()  # every case study read, published or not
    hidden: tuple[HiddenName, ...] = ()  # clients that must not be named: the leak guard's list
    urls: Urls = SCHEMES["en"]  # where each page lives (urls.py)
    applications: tuple[Application, ...] = ()  # built today: not a draft, not expired
    protected: tuple[Protected, ...] = ()  # pages behind a password, with their locked cards
    locked: tuple[CaseStudy, ...] = ()  # the locked cards shown in lists, newest first
    missing_passwords: tuple[str, ...] = ()  # variables a private study needed, found empty

    @property
    def in_lists(self) -> tuple[CaseStudy, ...]:
        """What lists of work show: the listed studies and the locked cards, newest first
        (the feed, the sitemap, results and the PDF show `listed` only)."""
        return _in_lists(self.listed, self.locked) if self.locked else self.listed

    @property
    def featured(self) -> tuple[CaseStudy, ...]:
        shown = self.in_lists
        chosen = tuple(s for s in shown if s.featured)
        return chosen or shown[:3]

    def link_targets(self) -> dict[Path, str]:
        """Source file -> URL of every published page, for links between content files."""
        targets = {s.path.resolve(): self.study_url(s) for s in self.studies}
        targets.update({p.study.path.resolve(): self.study_url(p.study) for p in self.protected})
        targets.update({p.path.resolve(): self.page_url(p) for p in self.pages})
        return targets

    def study_url(self, study: CaseStudy) -> str:
        return self.urls.study(study.slug)

    def page_url(self, page: Page) -> str:
        return self.urls.page(page.slug)

    def application_url(self, application: Application) -> str:
        return f"{self.urls.prefix}for/{application.folder}/"

    def chosen(self, application: Application) -> tuple[CaseStudy, ...]:
        """The case studies an application shows first, in its order (checked by build_site);
        a private one as its locked card."""
        by_slug = {s.slug: s for s in (*self.studies, *(p.card for p in self.protected))}
        return tuple(by_slug[slug] for slug in application.case_studies if slug in by_slug)


def headline(study: CaseStudy) -> Metric | None:
    """The metric shown on cards: the one marked `headline`, else the first."""
    marked = [m for m in study.metrics if m.headline]
    return marked[0] if marked else (study.metrics[0] if study.metrics else None)


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` (both site-relative, `a/b/` style)."""
    if "://" in to_url or to_url.startswith(("mailto:", "#", "tel:")):
        return to_url
    folder = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    target, _, fragment = to_url.partition("#")
    rel = posixpath.relpath(target.rstrip("/") or ".", folder.strip("/") or ".")
    if not target or target.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{fragment}" if fragment else "")


# The body is Markdown, typeset with its text nodes (markdown.py), never as raw text.
_NOT_TYPESET = frozenset({"body", "source", "slug", "path"})


def as_published(study: CaseStudy, decision: Decision, language: str) -> CaseStudy:
    """A case study as the site's edition in `language` publishes it under `decision`:
    consent applied, `{client}` filled in, in the grammar and typography of the language its
    words are in (work shown untranslated keeps its own: "d’une brasserie", never "de une")."""
    words = study.language or language
    return _typeset(publishable(study, decision, words), words)


def build_edition(
    config: SiteConfig,
    content: Content,
    language: str,
    problems: Problems,
    drafts: bool = False,
    memo: CleanMemo | None = None,
) -> Site:
    """The site in one of its languages, as its pages and its PDF are made from: that
    language's content (translations laid over the originals), its settings (a headline or
    pitch given per language), its problems going where that language's go."""
    if language != config.languages[0]:
        problems = content.problems[language]
        content = content.translations[language]
    return build_site(config.in_language(language), content, problems, drafts=drafts, memo=memo)


def _typeset(item: T, language: str) -> T:
    """Every text field of a case study or page in the language's typography."""
    if language != "fr":
        return item
    typed: T = map_text(item, french, _NOT_TYPESET)
    client = getattr(typed, "client", None)
    if isinstance(typed, CaseStudy) and client is not None:
        # The client's name, alias and industry are the study's identity (map_text leaves
        # them), but a reader sees them in the facts: L'Atelier Vert is L’Atelier Vert.
        client = dataclasses.replace(
            client,
            name=french(client.name),
            industry=french(client.industry) if client.industry else client.industry,
            anonymized_as=french(client.anonymized_as) if client.anonymized_as else client.anonymized_as,
        )
        typed = dataclasses.replace(typed, client=client)  # type: ignore[assignment]
    return typed


def build_site(
    config: SiteConfig,
    content: Content,
    problems: Problems,
    drafts: bool = False,
    memo: CleanMemo | None = None,
    today: dt.date | None = None,
    environment: Mapping[str, str] | None = None,
) -> Site:
    """Decide what is published and index it; every problem goes to `problems`.

    `environment` (default: the process's) tells which passwords are set: a private case
    study whose variable is unset or empty is withheld, with a warning.
    """
    _check_slugs(content, problems)
    env = os.environ if environment is None else environment
    decisions: dict[str, Decision] = {}
    published: list[CaseStudy] = []
    protected: list[Protected] = []
    missing: dict[str, None] = {}
    for study in content.case_studies:
        decision = decide(study, config.consent)
        client = study.client
        hidden_by_alias = decision.status in ("anonymized", "private")
        if (
            decision.status == "private"
            and not (study.draft and not drafts)
            and not env.get(study.password_env)
        ):
            decision = Decision("withheld", f"private, and {study.password_env}{NO_PASSWORD}")
            _warn_no_password(study, problems)
            missing[study.password_env] = None
        decisions[study.source] = decision
        if client and hidden_by_alias and not client.anonymized_as:
            private = decision.status != "anonymized"
            problems.error(
                study.source,
                "is required for private work: outside its password it is shown under this alias"
                if private
                else f"is required when the work is anonymized (consent {client.consent})",
                line=client.line,
                field="client.anonymized_as",
                hint='describe the client without naming it, e.g. "A Paris skincare brand"',
            )
            continue
        starter_words = client and (
            PLACEHOLDER.search(client.name) or PLACEHOLDER.search(client.anonymized_as or "")
        )
        if client and hidden_by_alias and client.anonymized_as and not starter_words:
            _warn_telling_alias(study, client.name, client.anonymized_as, problems)
        if decision.status == "withheld" or (study.draft and not drafts):
            continue
        if decision.status == "private":
            # Its own words' language: work shown untranslated keeps its grammar and typography.
            protected.append(_protected(study, decision, study.language or config.language))
            continue
        published.append(as_published(study, decision, config.language))
    published.sort(key=lambda s: (s.date, s.title), reverse=True)
    protected.sort(key=lambda p: (p.study.date, p.study.title), reverse=True)
    locked = tuple(p.card for p in protected if p.listed)
    listed = tuple(s for s in published if not s.unlisted and not s.draft)
    pages = tuple(
        sorted(
            (_typeset(p, p.language or config.language) for p in content.pages if drafts or not p.draft),
            key=lambda p: (p.order if p.order is not None else 10_000, p.title),
        )
    )
    # No client who has not consented may be named in anything published, whatever the
    # state of its case study: a draft's client is as private as a published one's.
    hidden = hidden_names(content.case_studies, decisions)
    # A client who granted consent but whose work is protected on purpose is hidden too;
    # if its name is shown by another study anyway, there is nothing to hide.
    left_out = frozenset(
        s.source
        for s in content.case_studies
        if (s.draft and not drafts)
        or (
            decisions[s.source].status == "private" and s.client is not None and s.client.consent == "granted"
        )
    )
    clear = check_clashes(hidden, content.case_studies, decisions, config.author, problems, left_out)
    applications = live(
        _typeset_all(content.applications, config.language), today or dt.date.today(), drafts, problems
    )
    cards = [p.card for p in protected]
    _check_chosen(applications, [*published, *cards], content.case_studies, decisions, problems)
    # The locked cards are published: the client's name may not be in them. Each page
    # behind its password is checked for the other hidden clients, and for its own unless
    # the client allowed it to be named there.
    check_names(config, [*published, *cards], pages, clear, problems, memo, applications)
    for p in protected:
        names_own = decisions[p.study.source].shown != "published"
        names = [n for n in clear if names_own or n.source != p.study.source]
        check_names(config, [p.study], (), names, problems)
    nav = tuple(p for p in pages if p.nav and not p.unlisted)
    # A second language lives under its own folder (en/), in its own words unless `urls:`
    # names one set for all.
    default = config.languages[0] if config.language in config.languages else config.language
    prefix = "" if config.language == default else f"{config.language}/"
    urls = scheme(config.urls or config.language, prefix)
    return Site(
        config,
        tuple(published),
        listed,
        pages,
        nav,
        _facets(_in_lists(listed, locked), urls),
        decisions,
        drafts,
        content.case_studies,
        tuple(clear),
        urls,
        applications,
        tuple(protected),
        locked,
        tuple(missing),
    )


def _protected(study: CaseStudy, decision: Decision, language: str) -> Protected:
    """A private case study's page (as the client allowed it to be shown) and its locked
    card (anonymized, and without anything but its title, kind, date, role and alias)."""
    page = _typeset(publishable(study, decision, language), language)
    card = _typeset(publishable(study, Decision("anonymized", decision.reason), language), language)
    client = card.client
    card = dataclasses.replace(
        card,
        summary="",
        body="",
        period=None,
        employer=None,
        client=dataclasses.replace(client, url=None, logo=None) if client else None,
        contributions=(),
        collaborators=(),
        team_size=None,
        tags=(),
        cover=None,
        gallery=(),
        metrics=(),
        testimonial=None,
        school=None,
        locked=True,
    )
    listed = study.private_list and not study.unlisted and not study.draft
    return Protected(page, card, study.password_env, listed)


def _granted(study: CaseStudy) -> bool:
    return study.client is not None and study.client.consent == "granted"


def _warn_no_password(study: CaseStudy, problems: Problems) -> None:
    field = "protected" if study.protected else "client.consent"
    problems.warn(
        study.source,
        f"is private, and the environment has no password in {study.password_env}: it is withheld "
        "(no page, no card)",
        study.lines.get(field),
        field,
        hint=f"set it in your shell before building, e.g. export {study.password_env}='a long passphrase' "
        "(never in a file of the site)",
    )


def _in_lists(listed: tuple[CaseStudy, ...], locked: tuple[CaseStudy, ...]) -> tuple[CaseStudy, ...]:
    return tuple(sorted((*listed, *locked), key=lambda s: (s.date, s.title), reverse=True))


def _typeset_all(items: tuple[T, ...], language: str) -> tuple[T, ...]:
    return tuple(_typeset(item, getattr(item, "language", "") or language) for item in items)


def _check_chosen(
    applications: tuple[Application, ...],
    published: list[CaseStudy],
    every: tuple[CaseStudy, ...],
    decisions: dict[str, Decision],
    problems: Problems,
) -> None:
    """An application shows only what the site shows: each case study it names must be
    published (unlisted is fine: work shown on request)."""
    shown = {s.slug for s in published if not s.draft}
    known = {s.slug: s for s in every}
    # Case studies whose file has errors of its own: already reported, not also "missing".
    broken = {_file_slug(e.path) for e in problems.errors if e.path.startswith("content/case-studies/")}
    for app in applications:
        for i, slug in enumerate(app.case_studies):
            if slug in shown:
                continue
            field = f"case_studies[{i}]"
            study = known.get(slug)
            if study is None and slug in broken:
                continue
            if study is None:
                close = difflib.get_close_matches(slug, sorted(shown), n=1)
                hint = (
                    f"did you mean `{close[0]}`?"
                    if close
                    else "list case studies by their slug (the file name)"
                )
                message = f"no published case study has the slug `{slug}`"
            elif study.source in decisions and decisions[study.source].reason.endswith(NO_PASSWORD):
                # The study alone is a warning (the site builds without it); the page made for
                # a recruiter would lose work the user chose for it.
                message = (
                    f"`{slug}` is withheld ({decisions[study.source].reason}): "
                    "an application shows only what the site shows"
                )
                hint = (
                    f"set it in your shell before building, e.g. export {study.password_env}='…', "
                    "or leave it out"
                )
            elif study.draft:
                message, hint = (
                    f"`{slug}` is a draft, which is never published",
                    "publish it first, or leave it out",
                )
            else:
                why = decisions[study.source].reason if study.source in decisions else "withheld"
                message = f"`{slug}` is not published ({why}): an application shows only what the site shows"
                hint = "leave it out, or ask the client for consent"
            problems.error(app.source, message, app.lines.get(field), field, hint)


def _file_slug(path: str) -> str:
    """The slug a case study's file gives it by default; a translation (`a.fr.md`) its
    original's."""
    name = PurePosixPath(path)
    return default_slug(name.with_name(name.name.split(".")[0] + name.suffix))


def _check_slugs(content: Content, problems: Problems) -> None:
    for group, items in (("case study", content.case_studies), ("page", content.pages)):
        seen: dict[str, Any] = {}
        for item in items:
            key = fold(item.slug)
            if key in seen:
                problems.error(
                    item.source,
                    f"has the same URL slug `{item.slug}` as {seen[key].source}",
                    item.lines.get("slug"),
                    field="slug",
                    hint="rename one file or give one an explicit `slug:`",
                )
            else:
                seen[key] = item
            if key in (RESERVED_PAGES if group == "page" else FACETS):
                problems.error(
                    item.source,
                    f"the slug `{item.slug}` is used by the site itself",
                    field="slug",
                    hint="choose another `slug:`",
                )

    addresses: dict[str, Application] = {}  # two applications at one address: one page lost
    for app in content.applications:
        key = fold(app.folder)
        if key in addresses:
            problems.error(
                app.source,
                f"has the same address for/{app.folder}/ as {addresses[key].source}",
                app.lines.get("token"),
                field="token",
                hint="rename one file, or give each application its own token",
            )
        else:
            addresses[key] = app


def _facets(listed: tuple[CaseStudy, ...], urls: Urls) -> dict[str, tuple[FacetValue, ...]]:
    out: dict[str, tuple[FacetValue, ...]] = {}
    for facet in FACETS:
        groups: dict[str, tuple[Counter[str], list[CaseStudy]]] = {}
        for study in listed:
            values = {"kind": (study.kind,), "channel": study.channels, "skill": study.skills}[facet]
            slugs: set[str] = set()  # a study is in a group once, even if two values slugify alike
            for value in values:
                slug = facet_slug(value)
                if not slug or slug in slugs:
                    continue
                slugs.add(slug)
                names, members = groups.setdefault(slug, (Counter(), []))
                names[value] += 1
                members.append(study)
        # `TikTok` on three studies and `Tiktok` on one: one page, named as most write it.
        out[facet] = tuple(
            FacetValue(facet, names.most_common(1)[0][0], slug, tuple(members), urls.facet(facet, slug))
            for slug, (names, members) in sorted(groups.items(), key=lambda kv: (-len(kv[1][1]), kv[0]))
        )
    return out


def facet_slug(value: str) -> str:
    """A filter value's URL word: `TikTok` and `Tiktok` share one, but `C++` and `C#` are not
    `C` (`c-plus-plus`, `c-sharp`)."""
    return slugify(re.sub(r"(?<=\w)#", " sharp ", value.replace("+", " plus ")))


# Words of a business name that say what it is, not who: sharing them tells nothing.
_GENERIC_WORDS = {
    "agency", "agence", "bakery", "bank", "banque", "client", "boulangerie", "brand",
    "brewery", "brasserie", "cafe",
    "coffee", "company", "cycles", "design", "foods", "group", "groupe", "hotel", "house",
    "maison", "media", "shop", "store", "studio", "restaurant", "boutique", "atelier",
}  # fmt: skip


def _warn_telling_alias(study: CaseStudy, name: str, alias: str, problems: Problems) -> None:
    """`anonymized_as: Halden's bike shop` names the client to anyone who knows it, though
    the leak guard looks for the whole name only (the SPEC's rule)."""
    alias_words = set(guard_fold(alias).split())
    shared = [
        w for w in guard_fold(name).split() if len(w) >= 4 and w not in _GENERIC_WORDS and w in alias_words
    ]
    if shared:
        problems.warn(
            study.source,
            f"shares the word {shared[0]!r} with the client's name {name!r}: a reader who knows "
            "the client may recognise it",
            line=study.lines.get("client.anonymized_as", study.client.line if study.client else None),
            field="client.anonymized_as",
            hint='describe the client without any word of its name, e.g. "a Leeds bike shop"',
        )
