"""What may be published of each case study, decided from its client's consent.

`decide` applies SPEC.md's table; `publishable` turns a case study into what may be shown
(the alias for an anonymized client, no logo, link or testimonial); `check_names` finds
every hidden client name written out in text that would be published, at its file and
line, before anything is rendered. The leak guard (leakguard.py) then proves the output.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .applications import Application
from .config import Analytics, Author, ConsentPolicy, Link, SiteConfig
from .content import CaseStudy, Client, GalleryItem, ImageRef, Page
from .errors import Problems
from .grammar import fill
from .leakguard import HiddenName, Hit, NameFinder, attribute_values, hidden_name, normalise
from .metric_model import Metric, Point

WRITE_PLACEHOLDER = "write {client} instead: it is published as"
# A file's name, as _texts gives it (a title such as `Acme.io` is not one).
_FILE_NAME = re.compile(
    r"[^\s/\\]+\.(?:jpe?g|png|gif|webp|avif|heic|svg|pdf|mp4|m4v|mov|webm|mp3|csv|tsv|txt|zip|docx?|pptx?|xlsx?)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Decision:
    status: str  # published | anonymized | private | withheld
    reason: str
    # For `private` (a page behind a password): what its page shows once opened,
    # `published` (everything: the client allowed it) or `anonymized`.
    shown: str = ""


def decide(study: CaseStudy, policy: ConsentPolicy) -> Decision:
    """Apply SPEC.md's consent table; work without a client is the author's own to show.

    `consent: private`, or `protected: true` on work that would be published or
    anonymized, makes it `private`: its page is encrypted, and elsewhere only its
    anonymized card is shown (site.py).
    """
    client = study.client
    if client is not None and client.consent == "private":
        return Decision("private", "consent private", "published")
    if client is None:
        decision = Decision("published", "no client")
    elif client.consent == "granted":
        decision = Decision("published", "consent granted")
    else:
        action = policy.pending if client.consent == "pending" else policy.denied
        status = "anonymized" if action == "anonymize" else "withheld"
        decision = Decision(status, f"consent {client.consent}")
    if study.protected and decision.status != "withheld":
        return Decision("private", f"{decision.reason}, protected", decision.status)
    return decision


def publishable(study: CaseStudy, decision: Decision, language: str = "en") -> CaseStudy:
    """The case study as it may be shown: `{client}` filled in (in `language`'s grammar),
    hidden parts dropped."""
    testimonial = study.testimonial
    if testimonial and testimonial.consent != "granted":
        study = dataclasses.replace(study, testimonial=None)  # the quoted person consents too
    client = study.client
    if client is None:
        return study
    if decision.status == "private":  # its page: as the client allowed it to be shown
        return publishable(study, Decision(decision.shown or "anonymized", decision.reason), language)
    if decision.status != "anonymized":
        return substitute(study, client.name, language)
    alias = client.anonymized_as or ""
    shown = Client(
        name=alias,
        consent=client.consent,
        industry=client.industry,
        anonymized_as=alias,
        anonymized=True,
        line=client.line,
    )
    return substitute(dataclasses.replace(study, client=shown, testimonial=None), alias, language, alias=True)


def substitute(study: CaseStudy, name: str, language: str = "en", alias: bool = False) -> CaseStudy:
    """Render `{client}` as `name` in every text field and in the body, as the language's
    grammar has it (grammar.py): an alias is also recased to its place in the sentence."""
    # The body is Markdown that may hold HTML: the name goes in as text, never as markup.
    body = fill(study.body, html.escape(name, quote=False), language, alias)
    study = dataclasses.replace(study, body=body)
    return map_text(study, lambda text: fill(text, name, language, alias))


# The case study's own identity, not text a reader sees: never rewritten.
_IDENTITY = {"source", "slug", "client", "path"}


def map_text(value: Any, fn: Callable[[str], str], skip: frozenset[str] = frozenset()) -> Any:
    """Apply fn to every string inside a model (dataclasses and tuples), returning a copy;
    the fields named in `skip` are left as they are at the top level."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, tuple):
        return tuple(map_text(v, fn) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        skip = skip | (_IDENTITY if isinstance(value, CaseStudy) else set())
        changes = {
            f.name: map_text(getattr(value, f.name), fn)
            for f in dataclasses.fields(value)
            if f.name not in skip
        }
        return dataclasses.replace(value, **changes)
    return value


# -- hidden names ------------------------------------------------------------------------


def hidden_names(studies: Sequence[CaseStudy], decisions: dict[str, Decision]) -> list[HiddenName]:
    """Every client of `studies` that is anonymized or withheld."""
    found = []
    for study in studies:
        status = decisions[study.source].status
        if study.client and status != "published":
            found.append(hidden_name(study.client.name, status, study.source, study.client.url))
    return found


def check_clashes(
    hidden: Sequence[HiddenName],
    studies: Sequence[CaseStudy],
    decisions: dict[str, Decision],
    author: Author | None,
    problems: Problems,
    left_out: frozenset[str] = frozenset(),
) -> list[HiddenName]:
    """A hidden name that is also a published client's, or the author's, cannot be hidden.

    Returns the names without a clash: the others are reported once, here. The client of
    a study in `left_out` (a draft `build` leaves out) that is also shown elsewhere has its
    name public already: it is dropped without an error.
    """
    by_source = {s.source: s for s in studies}
    shown: dict[str, str] = {}  # every run of words of a shown name -> what it is
    for study in studies:
        if study.client and decisions[study.source].status == "published":
            what = f"the client of {study.source}, published with consent granted"
            for run in _word_runs(normalise(study.client.name)):
                shown.setdefault(run, what)
    if author:
        for run in _word_runs(normalise(author.name)):
            shown[run] = "your own name (author.name)"
    clear: list[HiddenName] = []
    for name in hidden:
        study = by_source[name.source]
        line = study.client.line if study.client else None
        if len(normalise(name.name).replace(" ", "")) < 2:
            problems.error(
                name.source,
                f"the client {name.name!r} is {name.status}, but a name "
                "this short cannot be told apart from ordinary text, so the leak "
                "guard could not prove it is never published",
                line,
                "client.name",
                hint="write the client's full name (X Corp, not X): it is never published",
            )
            continue
        clash = next((shown[t.strip()] for t in name.terms if t.strip() in shown), None)
        if clash is None:
            clear.append(name)
        elif name.source not in left_out:
            problems.error(
                name.source,
                f"the client {name.name!r} is {name.status} here, but its name "
                f"is also {clash}: it cannot be both shown and hidden",
                line,
                "client.name",
                hint="ask the client about this work too, or set the same consent in both",
            )
    return clear


def _word_runs(words: str) -> set[str]:
    """Every run of whole words of a normalised name: a hidden term found inside it clashes."""
    parts = words.split()
    return {" ".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}


class CleanMemo:
    """Case studies already found naming no hidden client, known by the digest of everything
    that was checked (the study as published, and the names searched for): a rebuild checks
    only what changed. Kept in the build's cache."""

    def __init__(self, known: Iterable[str] = ()) -> None:
        self.known = set(known)
        self.now: set[str] = set()


def check_names(
    config: SiteConfig,
    studies: Sequence[CaseStudy],
    pages: Sequence[Page],
    hidden: Sequence[HiddenName],
    problems: Problems,
    memo: CleanMemo | None = None,
    applications: Sequence[Application] = (),
) -> None:
    """Every hidden client name written out in published text is an error at its line.

    `studies`, `pages` and `applications` are what will be published, as publishable()
    made them.
    """
    finder = NameFinder(hidden)
    if not finder:
        return
    fingerprint = finder.fingerprint() if memo else ""
    by_source: dict[str, HiddenName] = {}
    for name in finder.names:
        by_source.setdefault(name.source, name)
    for study in studies:
        key = hashlib.sha256(f"{fingerprint}\0{study!r}".encode()).hexdigest() if memo else ""
        if memo and key in memo.known:
            memo.now.add(key)
            continue
        found = len(problems.errors) + len(problems.warnings)
        _check_study(study, finder, by_source.get(study.source), problems)
        if memo and len(problems.errors) + len(problems.warnings) == found:
            memo.now.add(key)
    shown: list[Page | Application] = [*pages, *applications]
    for page in shown:
        if finder.find(page.slug):
            problems.error(
                page.source,
                f"the URL slug `{page.slug}` names a client that is not published",
                page.lines.get("slug"),
                "slug",
                hint="rename the file, or add `slug:` with a name that does not",
            )
        for field, text in _texts(page):
            hit = finder.find(text)
            if hit:
                _report(problems, page.source, page.lines, field, hit, False, "", written=text)
        _check_body(problems, page.source, page.body, page.body_line, finder, None, "")
    for field, text in _texts(config):
        hit = finder.find(text)
        if hit:
            line = config.author.pitch_line if field == "author.pitch" else None
            _report(problems, "portfolio.yaml", config.lines, field, hit, False, "", line, text)


def _check_study(study: CaseStudy, finder: NameFinder, own: HiddenName | None, problems: Problems) -> None:
    if own and study.client:
        alias_hit = finder.find(study.client.name)
        if alias_hit:
            _report(
                problems,
                study.source,
                study.lines,
                "client.anonymized_as",
                alias_hit,
                own=alias_hit.name is own,
                alias="",
            )
            return  # every `{client}` would repeat it
    alias = study.client.name if own and study.client else ""
    if study.slug and finder.find(study.slug):
        _report_slug(problems, study, finder)
    for field, text in _texts(study):
        hit = finder.find(text)
        if hit:
            _report(problems, study.source, study.lines, field, hit, hit.name is own, alias, written=text)
    _check_body(problems, study.source, study.body, study.body_line, finder, own, alias)


def _report_slug(problems: Problems, study: CaseStudy, finder: NameFinder) -> None:
    if study.slug_given:
        problems.error(
            study.source,
            f"the URL slug `{study.slug}` names a client that is not published",
            study.lines.get("slug"),
            "slug",
            hint="choose a slug that does not name the client",
        )
    else:
        problems.error(
            study.source,
            f"the URL made from the file name, `{study.slug}`, names a client that is not published",
            study.lines.get("title") or 1,
            "slug",
            hint="add an explicit `slug:` that does not name the client, e.g. "
            "slug: " + _suggest_slug(study, finder),
        )


def _suggest_slug(study: CaseStudy, finder: NameFinder) -> str:
    words = [
        w
        for w in study.slug.split("-")
        if not finder.find(w) and not any(w in t.split() for n in finder.names for t in n.terms)
    ]
    return "-".join(words) or f"{study.kind}-project"


def _report(
    problems: Problems,
    source: str,
    lines: Mapping[str, int],
    field: str,
    hit: Hit,
    own: bool,
    alias: str,
    line: int | None = None,
    written: str = "",
) -> None:
    name = hit.name
    line = line or _line(lines, field)
    seen = f' (in "{hit.context}")'
    if _FILE_NAME.fullmatch(written):  # `volcans-moodboard.jpg`: {client} cannot go there
        problems.error(
            source,
            f"names the client {name.name!r}, which is not published, in the file name {written!r}",
            line,
            field,
            hint="rename the file: file names are published in the pages' addresses",
        )
        return
    if own and alias:
        problems.error(
            source,
            f"names the client {name.name!r}, which is published anonymized{seen}",
            line,
            field,
            hint=f"{WRITE_PLACEHOLDER} \u201c{alias}\u201d",
        )
    elif own:
        problems.error(
            source,
            f"names the client {name.name!r}, which is published anonymized{seen}",
            line,
            field,
            hint="describe the client without naming it",
        )
    else:
        problems.error(
            source,
            f"names {name.name!r}, the client of {name.source}, which is {name.status}{seen}",
            line,
            field,
            hint="remove the name: a client who has not consented is never named",
        )


def _check_body(
    problems: Problems,
    source: str,
    body: str,
    first_line: int,
    finder: NameFinder,
    own: HiddenName | None,
    alias: str,
) -> None:
    """Report each body line that names a hidden client, read as Markdown publishes it."""
    lines = [_published(line) for line in _COMMENT.sub(_blank_lines, body).split("\n")]
    if not finder.find(" ".join(lines)):  # a name on any one line is a name in them all
        return
    reported = False
    for i, text in enumerate(lines):
        hit = finder.find(text)
        if hit is None and i + 1 < len(lines) and not finder.find(lines[i + 1]):
            hit = finder.find(text + " " + lines[i + 1])  # a name broken across two lines
        if hit:
            reported = True
            _report(problems, source, {}, "", hit, hit.name is own, alias, first_line + i)
    if not reported:  # split in some other way (over several table rows): the whole body
        hit = finder.find(" ".join(lines))
        assert hit is not None
        _report(problems, source, {}, "", hit, hit.name is own, alias, first_line)


# Markdown that is not published as written: comments are dropped, a link to a local file
# becomes its page's URL (`.md`) or a name made from the file's own name.
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DESTINATION = re.compile(r"\]\(\s*<?([^)\s>]*)>?((?:\s+\"[^\"]*\"|\s+'[^']*')?)\s*\)")
_REFERENCE = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*)<?(\S+?)>?(\s.*)?$")
_INLINE_MARKS = re.compile(r"\*\*?|__?|~~|`|</?[a-zA-Z][^<>]*>")
_TAG_ATTRIBUTES = re.compile(r"<[a-zA-Z][\w:-]*(\s[^<>]*)>")


def _blank_lines(match: re.Match[str]) -> str:
    return "\n" * match[0].count("\n")  # keep the line numbers


def _published(line: str) -> str:
    """One body line as a reader sees it: link text joined to the words around it, plus
    what a link's address publishes, with emphasis and inline tags taken out."""
    addresses: list[str] = []

    def keep(match: re.Match[str]) -> str:
        addresses.append(_local_name(match[1]) + match[2])
        return "]"

    line = _REFERENCE.sub(lambda m: m[1] + _local_name(m[2]) + (m[3] or ""), line)
    line = _DESTINATION.sub(keep, line)
    # A tag's attributes are published as they are: `<span class="maison-lune">`.
    addresses += [v for m in _TAG_ATTRIBUTES.finditer(line) for v in attribute_values(m[1])]
    return " ".join([_INLINE_MARKS.sub("", line), *addresses])


def _local_name(target: str) -> str:
    """What an address publishes: itself if it is a web address, else its file's name."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#|^//", target):
        return target
    name = PurePosixPath(target.split("#")[0].split("?")[0]).name
    return "" if name.endswith(".md") else name


def _line(lines: Mapping[str, int], field: str) -> int | None:
    """The line of a field path, or of the nearest field that holds it."""
    while field:
        if field in lines:
            return int(lines[field])
        cut = max(field.rfind("."), field.rfind("["))
        field = field[:cut] if cut > 0 else ""
    return None


# -- published text, field by field -------------------------------------------------------

# Per model: fields that are not text a reader sees (identity, enums, line numbers).
_NOT_TEXT: dict[type, set[str]] = {
    CaseStudy: {"source", "path", "slug", "slug_given", "body", "body_line", "kind", "lines"},
    Page: {"source", "path", "slug", "body", "body_line", "lines"},
    # An application's body (the cover note) is checked line by line, as Markdown publishes it.
    Application: {
        "source",
        "path",
        "slug",
        "body",
        "body_line",
        "lines",
        "token",
        "case_studies",
        "language",
    },
    SiteConfig: {"root", "theme", "language", "lines", "theme_line", "theme_options_lines", "consent"},
    Author: {"name", "pitch_line"},  # the author's name is checked for clashes instead
    Client: {"consent", "anonymized_as", "line"},
    ImageRef: {"source", "origin", "line", "field"},
    GalleryItem: {"kind"},
    Metric: {"kind", "chart", "better", "line"},
    Analytics: {"provider"},
}
_RENAMED = {"x_label": "x", "y_label": "y", "points": "series"}


def _texts(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text) for every string and file name of a model that is published."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Link):  # links are a mapping in portfolio.yaml: name -> address
        where = f"{path.rsplit('[', 1)[0]}.{value.name}"
        yield where, value.name
        yield where, value.url
        return
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")
    elif isinstance(value, Path):
        yield path, value.name
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]" if not isinstance(item, Point) else path)
    elif isinstance(value, Point):
        if isinstance(value.x, str):
            yield path, value.x  # a bar chart's category
    elif isinstance(value, ImageRef):
        yield value.field or f"{path}.src", value.source.name
    if dataclasses.is_dataclass(value) and not isinstance(value, type | Point):
        skip = _NOT_TEXT.get(type(value), set())
        if isinstance(value, Client) and value.anonymized:
            skip = skip | {"name"}  # the alias, checked on its own
        for f in dataclasses.fields(value):
            if f.name in skip:
                continue
            sub = getattr(value, f.name)
            name = _RENAMED.get(f.name, f.name)
            if isinstance(value, GalleryItem) and f.name == "image":
                yield from _texts(sub, path)  # the poster's fields sit on the item itself
            else:
                yield from _texts(sub, f"{path}.{name}" if path else name)
    elif hasattr(value, "items") and not isinstance(value, str):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}" if path else str(key))
