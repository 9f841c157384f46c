"""Discover content files, split front matter and check them into CaseStudy and Page models."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, TypeVar

from . import placeholders
from .applications import Application, read_application
from .cache import Cache, key_of
from .encodings import not_utf8
from .errors import Problems
from .fields import Fields, Source, describe
from .metric_model import Metric
from .metrics import read_metric
from .paths import site_relative
from .slugs import check_slug, is_windows_reserved, slugify
from .translations import Routed, Translated, language_of, localise, merge
from .translations import split as translations_of
from .yamlfile import (
    NotPlain,
    YamlError,
    YList,
    YMap,
    from_plain,
    load,
    read_text,
    split_front_matter,
    to_plain,
)

T = TypeVar("T")
PLACEHOLDER = "{client}"
KINDS = ("client", "agency", "freelance", "volunteer", "personal", "school")
CLIENT_REQUIRED = ("client", "agency", "freelance")
CONSENT = ("granted", "pending", "denied")
# A client may also allow the work to be shown only to people the author chooses: a page
# behind a password (SPEC.md "Private case studies").
CLIENT_CONSENT = (*CONSENT, "private")
DEFAULT_PASSWORD_ENV = "PORTFOLIO_PASSWORD"
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_SOURCE_BYTES = 2_000_000  # a case study is words, not a book; bounds Markdown's time
TITLE_MAX = 150  # a page title, a link preview, a card: a long sentence at most

CASE_STUDY_FIELDS = (
    "title",
    "date",
    "period",
    "summary",
    "kind",
    "employer",
    "client",
    "role",
    "contributions",
    "collaborators",
    "team_size",
    "channels",
    "skills",
    "tags",
    "cover",
    "gallery",
    "metrics",
    "testimonial",
    "school",
    "featured",
    "unlisted",
    "draft",
    "slug",
    "protected",
    "private",
    "password_env",
    "private_notes",
)
PAGE_FIELDS = ("title", "summary", "nav", "order", "unlisted", "draft", "slug", "private_notes")


@dataclass(frozen=True)
class ImageRef:
    """An image the user points at; `source` is resolved and inside the site."""

    source: Path
    alt: str | None = None
    caption: str | None = None
    credit: str | None = None
    # Where it was named, so a broken image is reported at the line that points to it.
    origin: str = ""
    line: int | None = None
    field: str = ""


@dataclass(frozen=True)
class GalleryItem:
    kind: str  # image | video | link
    image: ImageRef | None  # the picture itself, or the poster of a video or link
    video: Path | None = None
    link: str | None = None


@dataclass(frozen=True)
class Client:
    name: str
    consent: str = "pending"
    industry: str | None = None
    url: str | None = None
    logo: ImageRef | None = None
    anonymized_as: str | None = None
    anonymized: bool = False  # shown under its alias: `name` holds the alias then
    line: int | None = None  # of the client block, for messages about it
    private_offer: bool = False  # the consent request offers the private answer too


@dataclass(frozen=True)
class Collaborator:
    name: str
    role: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Testimonial:
    quote: str
    author: str | None = None
    consent: str = "pending"


@dataclass(frozen=True)
class School:
    institution: str | None = None
    course: str | None = None
    grade: str | None = None


@dataclass(frozen=True)
class Period:
    start: dt.date | None
    end: dt.date | None  # None: ongoing


@dataclass(frozen=True)
class CaseStudy:
    source: str  # relative to the site folder, for messages
    path: Path
    slug: str
    slug_given: bool  # the consent rules ask for an explicit slug when a name would leak
    title: str
    date: dt.date
    summary: str
    kind: str
    role: str
    body: str
    body_line: int
    period: Period | None = None
    employer: str | None = None
    client: Client | None = None
    contributions: tuple[str, ...] = ()
    collaborators: tuple[Collaborator, ...] = ()
    team_size: int | None = None
    channels: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    cover: ImageRef | None = None
    gallery: tuple[GalleryItem, ...] = ()
    metrics: tuple[Metric, ...] = ()
    testimonial: Testimonial | None = None
    school: School | None = None
    featured: bool = False
    unlisted: bool = False
    draft: bool = False
    # Field path -> line in the file; numbers only, for messages about a field.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    language: str = ""  # the language its words are in ("": the site's only language)
    translated: bool = True  # False: shown in another language's pages as it was written
    # A page behind a password (SPEC.md "Private case studies"): `protected: true`, or
    # implied by the client's `consent: private`; `private: {list: false}` leaves even its
    # locked card out of the lists; the password is read from the variable `password_env`.
    protected: bool = False
    private_list: bool = True
    password_env: str = DEFAULT_PASSWORD_ENV
    locked: bool = False  # the model's locked card of a protected study (site.py), not its page


@dataclass(frozen=True)
class Page:
    source: str
    path: Path
    slug: str
    title: str
    body: str
    body_line: int
    summary: str | None = None
    nav: bool = True
    order: int | None = None
    unlisted: bool = False
    draft: bool = False
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    language: str = ""
    translated: bool = True


@dataclass(frozen=True)
class Content:
    case_studies: tuple[CaseStudy, ...]
    pages: tuple[Page, ...]
    applications: tuple[Application, ...] = ()
    # The same content in each other language of a bilingual site (translations laid over
    # the originals), and where its problems go (translations.Routed).
    translations: Mapping[str, Content] = field(default_factory=dict)
    problems: Mapping[str, Problems] = field(default_factory=dict)


def _is_junk(path: Path) -> bool:
    name = path.name
    return (
        name.startswith((".", "#", "_"))
        or name.endswith(("~", ".swp", ".tmp", ".bak"))
        or any(part.startswith(".") for part in path.parts)
    )


def discover(folder: Path, root: Path, problems: Problems) -> list[Path]:
    """Markdown sources under `folder`; in a folder with index.md only index.md is a page.

    Linked folders are followed while they stay inside the site (once each); anything
    named `.md` that is not a readable file is reported, never skipped silently.
    """
    if not folder.is_dir():
        if folder.exists() or folder.is_symlink():  # a file, or a link to nothing: not silently empty
            problems.error(
                site_relative(folder, root),
                "is not a folder, so nothing in it can be read",
                hint=f"make {folder.name}/ a folder and put the Markdown files in it",
            )
        return []
    found = []
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        real = os.path.realpath(dirpath)
        rel_dir = Path(dirpath).relative_to(folder)
        if real in seen or _is_junk(rel_dir):
            dirnames[:] = []
            continue
        seen.add(real)
        if not Path(real).is_relative_to(root):
            problems.error(site_relative(Path(dirpath), root), "is a link to a folder outside the site; "
                           "copy the files in instead")  # fmt: skip
            dirnames[:] = []
            continue
        for name in sorted(dirnames):
            if name.endswith(".md") and not _is_junk(rel_dir / name):
                problems.warn(site_relative(Path(dirpath) / name, root), "is a folder, not a Markdown "
                              "file, and is skipped; a case study in a folder is NAME/index.md")  # fmt: skip
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not name.endswith(".md") or _is_junk(rel_dir / name):
                continue
            if not path.is_file():
                what = "a link that leads nowhere" if path.is_symlink() else "not a regular file"
                problems.warn(site_relative(path, root), f"is {what}, and is skipped")
                continue
            found.append(path)
    found.sort()
    return [p for p in found if _belongs(p, folder)]


def _belongs(path: Path, folder: Path) -> bool:
    """A file inside a case-study folder (one with index.md) belongs to it: not a page."""
    rel = path.relative_to(folder)
    bundles = [p for p in rel.parents if p != Path(".") and (folder / p / "index.md").is_file()]
    index = path.name == "index.md" or (language_of(path) or ("", ""))[1] == "index.md"  # index.en.md too
    return not bundles or (index and rel.parent == bundles[-1])


def load_content(
    root: Path,
    problems: Problems,
    cache: Cache | None = None,
    languages: tuple[str, ...] = ("en",),
    untranslated: str = "show",
) -> Content:
    """Read every case study and page; problems are collected. With `cache`, front matter
    parsed by an earlier build (or an earlier save in the preview) is read back from JSON.
    With several `languages`, the content of each other one is built from the translations
    (NAME.LANG.md), and untranslated work is shown as it is or left out (`untranslated`)."""
    content = root / "content"
    parse = FrontMatterParser(cache)
    kinds = (
        ("case study", content / "case-studies", _case_study),
        ("page", content / "pages", _page),
        ("application", content / "applications", read_application),
    )
    read: dict[str, list[_Read]] = {}
    for kind, folder, _ in kinds:
        originals, translations = translations_of(discover(folder, root, problems), languages, root, problems)
        read[kind] = [_Read(p, _read(p, root, problems, parse), translations.get(p, {})) for p in originals]
    default = languages[0]
    studies, pages, applications = (
        tuple(x for r in read[kind] if (x := _original(r, root, problems, reader, default)))
        for kind, _, reader in kinds
    )
    others: dict[str, Content] = {}
    routed: dict[str, Problems] = {}
    for language in languages[1:]:
        problems_l = routed[language] = Routed(problems)
        parts = []
        for kind, _, reader in kinds:
            pair = (default, language)
            # An application is sent as a link in one language: never shown untranslated.
            shown = "hide" if kind == "application" else untranslated
            items = [_in_language(r, kind, root, problems_l, reader, pair, parse, shown) for r in read[kind]]
            parts.append(tuple(i for i in items if i is not None))
        others[language] = Content(parts[0], parts[1], parts[2])  # type: ignore[arg-type]
    return Content(studies, pages, applications, others, routed)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Read:
    path: Path
    parsed: tuple[YMap, str, int] | None
    translations: Mapping[str, Path]


def _original(
    item: _Read, root: Path, problems: Problems, reader: Callable[..., T | None], language: str
) -> T | None:
    if item.parsed is None:
        return None
    data, body, body_line = item.parsed
    data = localise(data, language, site_relative(item.path, root), problems)
    found = reader(item.path, root, problems, data, body, body_line)
    return dataclasses.replace(found, language=language) if found is not None else None  # type: ignore[type-var]


def _in_language(
    item: _Read,
    kind: str,
    root: Path,
    problems: Routed,
    reader: Callable[..., T | None],
    languages: tuple[str, str],
    parse: FrontMatterParser,
    untranslated: str,
) -> T | None:
    """The item in `language` (the second of `languages`, the first being the default):
    its translation laid over it, or, with `untranslated: show`, the original as written,
    marked untranslated (a translation that is a draft counts as none)."""
    if item.parsed is None:
        return None
    default, language = languages
    data, body, body_line = item.parsed
    rel = site_relative(item.path, root)
    path = item.translations.get(language)
    if path is not None and (parsed := _read(path, root, problems, parse)) is not None:
        t_rel = site_relative(path, root)
        t_data, t_body, t_body_line = parsed
        merged, keys = merge(data, t_data, kind, t_rel, problems)
        has_body = bool(t_body.strip())
        # Problems on the translation's words (and body) are reported at its file.
        problems.route(rel, t_rel, Translated(keys, has_body), t_body_line)
        merged = localise(merged, language, rel, problems)
        if has_body:
            body, body_line = t_body, t_body_line
        found = reader(item.path, root, problems, merged, body, body_line)
        if found is None:
            return None
        if not found.draft:  # type: ignore[attr-defined]
            return dataclasses.replace(found, language=language)  # type: ignore[type-var]
    if untranslated == "hide":
        return None
    # Shown as written, in the default language (its alias too): its problems are the
    # default language's, reported there.
    original = reader(item.path, root, Problems(), localise(data, default, rel, Problems()), body, body_line)
    if original is None:
        return None
    return dataclasses.replace(original, language=default, translated=False)  # type: ignore[type-var]


# Front matter parsed in this process, in its JSON form by its key (`from_plain` makes new
# objects at each read and never changes the form): the preview parses a file again only
# when it changed. Bounded, so the preview of a huge site does not grow without end.
_PARSED: dict[str, Any] = {}
_PARSED_MAX = 20_000


class FrontMatterParser:
    """`yamlfile.load`, remembered by the YAML's text: libyaml builds our line-keeping
    mappings at ~0.4 ms a case study; their JSON form reads back 6x faster."""

    def __init__(self, cache: Cache | None) -> None:
        self.cache = cache if cache is not None and cache.enabled else None

    def __call__(self, text: str, line_offset: int) -> object:
        key = key_of("front matter", text, line_offset)
        plain = _PARSED.get(key)
        if plain is None and self.cache is not None:
            plain = self.cache.get_json("front-matter", key)
        if plain is not None:
            try:
                data = from_plain(plain)
            except (ValueError, TypeError, KeyError, IndexError):
                _PARSED.pop(key, None)  # damaged: parsed again below, and stored again
            else:
                self._remember(key, plain)
                return data
        data = load(text, line_offset)  # a YamlError is never remembered
        try:
            plain = to_plain(data)
        except NotPlain:  # a !!set or !!binary, which validation refuses anyway
            return data
        self._remember(key, plain)
        if self.cache is not None:
            self.cache.put_json("front-matter", key, plain)
        return data

    @staticmethod
    def _remember(key: str, plain: Any) -> None:
        if key not in _PARSED and len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = plain


def _read(
    path: Path, root: Path, problems: Problems, parse: FrontMatterParser
) -> tuple[YMap, str, int] | None:
    rel = site_relative(path, root)
    if not Path(os.path.realpath(path)).is_relative_to(root):
        problems.error(rel, "is a link to a file outside the site folder; copy the file in instead")
        return None
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            problems.error(rel, f"is {size // 1_000_000} MB; a Markdown file may be at most 2 MB")
            return None
        text = read_text(path.read_bytes())
    except UnicodeDecodeError as exc:
        message, line, hint = not_utf8(exc.object, exc.start)
        problems.error(rel, message, line, hint=hint)
        return None
    except OSError as exc:
        problems.error(rel, f"cannot be read: {exc.strerror}")
        return None
    try:
        fm = split_front_matter(text, parse)
    except YamlError as exc:
        problems.error(rel, exc.message, exc.line, hint=exc.hint)
        return None
    if not isinstance(fm.data, YMap):
        problems.error(rel, "the front matter must be fields such as `title: ...`, one per line", 2)
        return None
    return fm.data, fm.body, fm.body_line


def default_slug(path: PurePath) -> str:
    """The slug a file gives its page without `slug:`: `a.md` and `a/index.md` are `a`."""
    top = path.parent.name in ("case-studies", "pages") and path.parent.parent.name == "content"
    return slugify(path.parent.name if path.name == "index.md" and not top else path.stem)


def _slug(f: Fields, path: Path) -> tuple[str, bool]:
    given = f.text("slug", one_line=True)
    if given is not None:
        slug, problem = check_slug(given)
        if problem:
            f.error("slug", problem)
        return slug, True
    slug = default_slug(path)
    if not slug:
        f.error("slug", f"the file name {path.name!r} gives an empty URL; add `slug:`", line=f.line())
    elif is_windows_reserved(slug):
        f.error(
            "slug",
            f"the file name gives the URL `{slug}`, a name Windows reserves",
            hint="rename the file or add `slug:`",
            line=f.line(),
        )
    return slug, False


def _image(f: Fields | None, key: str = "src") -> ImageRef | None:
    if f is None:
        return None
    source = f.file(key, required=True)
    alt = f.text("alt")
    if source and not alt:
        f.warn("alt", "no alt text: describe the image for people who cannot see it")
    if source is None:
        return None
    return ImageRef(source, alt, f.text("caption"), f.text("credit"), *_origin(f, key))


def _origin(f: Fields, key: str) -> tuple[str, int | None, str]:
    return f.src.rel, f.line(key), f.field_path(key)


def _case_study(
    path: Path, root: Path, problems: Problems, data: YMap, body: str, body_line: int
) -> CaseStudy | None:
    src = Source(site_relative(path, root), problems, root, path.parent, root / "content")
    f = Fields(data, src)
    title = f.text("title", required=True, one_line=True, max_len=TITLE_MAX)
    date = f.date("date", required=True)
    summary = f.text("summary", required=True, max_len=200)
    role = f.text("role", required=True, one_line=True, max_len=TITLE_MAX)
    client = _client(f.sub("client"))
    kind = f.choice("kind", KINDS, "client" if f.has("client") else "personal") or "personal"
    if kind in CLIENT_REQUIRED and not f.has("client"):
        f.error(
            "client",
            f"is required for `kind: {kind}`: who was the work for?",
            hint="add a `client:` block with `name:` and `consent:`",
            line=f.line(),
        )
    slug, slug_given = _slug(f, path)
    period = _period(f.sub("period"))
    collaborators = _collaborators(f)
    cover = _image(f.sub("cover"))
    gallery = tuple(g for g in (_gallery_item(g) for g in f.items("gallery")) if g)
    metrics = tuple(m for m in (read_metric(m) for m in f.items("metrics")) if m)
    for extra in [m for m in metrics if m.headline][1:]:
        f.src.problems.warn(
            f.src.rel,
            "another metric is already the headline; only the first is shown on cards",
            extra.line,
            "headline",
        )
    testimonial = _testimonial(f.sub("testimonial"))
    school = _school(f.sub("school"))
    protected, private_list, password_env = _privacy(f, client)
    f.text("private_notes")  # checked, then left behind: private fields never reach the model
    team_size = f.integer("team_size", minimum=1)
    study = CaseStudy(
        source=src.rel,
        path=path,
        slug=slug,
        slug_given=slug_given,
        title=title or "",
        date=date or dt.date.min,
        summary=summary or "",
        kind=kind,
        role=role or "",
        body=body,
        body_line=body_line,
        period=period,
        employer=f.text("employer", one_line=True),
        client=client,
        contributions=f.str_list("contributions"),
        collaborators=collaborators,
        team_size=team_size,
        channels=f.str_list("channels"),
        skills=f.str_list("skills"),
        tags=f.str_list("tags"),
        cover=cover,
        gallery=gallery,
        metrics=metrics,
        testimonial=testimonial,
        school=school,
        featured=f.boolean("featured", False),
        unlisted=f.boolean("unlisted", False),
        draft=f.boolean("draft", False),
        lines=src.lines,
        protected=protected,
        private_list=private_list,
        password_env=password_env,
    )
    f.finish(CASE_STUDY_FIELDS)
    if not f.has("client"):
        _no_placeholder(f, study.body, study.body_line, "this case study has no client")
    if not study.draft:  # a draft may keep the starter's placeholders; published work may not
        placeholders.report(src.rel, data, body, body_line, problems)
    if not (title and date and summary and role and slug):
        return None
    return study


def _no_placeholder(f: Fields, body: str, body_line: int, why: str) -> None:
    """`{client}` needs a client: name the first field (or body line) that uses it, which
    would otherwise be published as the letters {client}."""
    hint = "add a `client:` block, or write the words out" if "case study" in why else "write the words out"
    for key, value in f.data.items():
        if PLACEHOLDER in str(value):
            f.error(str(key), f"uses `{{client}}` but {why}", hint=hint)
            return
    at = body.find(PLACEHOLDER)
    if at >= 0:
        f.src.problems.error(
            f.src.rel, f"the body uses `{{client}}` but {why}", body_line + body.count("\n", 0, at), hint=hint
        )


def _privacy(f: Fields, client: Client | None) -> tuple[bool, bool, str]:
    """(`protected`, listed as a locked card, the password's variable) of a case study."""
    protected = f.boolean("protected", False)
    private = client is not None and client.consent == "private"
    listed = True
    block = f.sub("private")
    if block is not None:
        listed = block.boolean("list", True)
        block.finish(["list"])
    env = f.text("password_env", one_line=True)
    if env is not None and not _ENV_NAME.match(env):
        f.expected(
            "password_env",
            "the name of an environment variable (letters, digits and _)",
            env,
            hint=f"e.g. password_env: {DEFAULT_PASSWORD_ENV}_ACME (its value goes in your shell, not a file)",
        )
        env = None
    if not (protected or private):
        for key in ("private", "password_env"):
            if f.has(key):
                f.warn(
                    key,
                    "has no effect: this case study is not private",
                    hint="`protected: true`, or the client's `consent: private`, puts it behind a password",
                )
    return protected, listed, env or DEFAULT_PASSWORD_ENV


def _period(f: Fields | None) -> Period | None:
    if f is None:
        return None
    period = Period(f.date("start", month=True), f.date("end", month=True))
    f.finish(["start", "end"])
    if period.start and period.end and period.end < period.start:
        f.error("end", "ends before it starts")
    return period


def _collaborators(f: Fields) -> tuple[Collaborator, ...]:
    """`- {name: ..., role: ..., url: ...}` items, or plain names."""
    raw = f.raw("collaborators")
    if raw is None:
        return ()
    if not isinstance(raw, YList):
        f.expected("collaborators", "a list such as - {name: Léa Dubois, role: Art direction}", raw)
        return ()
    found = []
    for i, item in enumerate(raw):
        if isinstance(item, str) and item.strip():
            f.src.lines[f"collaborators[{i}]"] = raw.item_lines[i]
            found.append(Collaborator(item.strip()))
        elif isinstance(item, YMap):
            c = Fields(item, f.src, f"collaborators[{i}]")
            name = c.text("name", required=True, one_line=True)
            if name:
                found.append(Collaborator(name, c.text("role", one_line=True), c.url("url")))
            c.finish(["name", "role", "url"])
        else:
            f.error(
                f"collaborators[{i}]",
                f"expected a name, or {{name: ..., role: ...}}, got {describe(item)}",
                line=raw.item_lines[i],
            )
    return tuple(found)


def _testimonial(f: Fields | None) -> Testimonial | None:
    if f is None:
        return None
    quote = f.text("quote", required=True)
    consent = f.choice("consent", CONSENT, "pending")
    author = f.text("author", one_line=True)
    f.finish(["quote", "author", "consent"])
    if quote and not f.has("consent"):  # left out unasked-for: say so (`check` lists the others)
        f.warn(
            "consent",
            "is not given, so the quote is not shown: the person quoted consents too",
            hint="once they agree: consent: granted (or consent: pending while you ask)",
        )
    return Testimonial(quote, author, consent) if quote and consent else None


def _school(f: Fields | None) -> School | None:
    if f is None:
        return None
    school = School(
        f.text("institution", one_line=True), f.text("course", one_line=True), f.text("grade", one_line=True)
    )
    f.finish(["institution", "course", "grade"])
    return school


def _client(f: Fields | None) -> Client | None:
    if f is None:
        return None
    name = f.text("name", required=True, one_line=True)
    consent = f.choice("consent", CLIENT_CONSENT, "pending")
    f.text("consent_note")  # PRIVATE: checked, never kept
    logo = None
    if f.has("logo"):
        source = f.file("logo")
        logo = ImageRef(source, None, None, None, *_origin(f, "logo")) if source else None
    client = Client(
        name=name or "",
        consent=consent or "pending",
        industry=f.text("industry", one_line=True),
        url=f.url("url"),
        logo=logo,
        anonymized_as=f.text("anonymized_as", one_line=True),
        line=f.line(),
        private_offer=f.boolean("private_offer", False),
    )
    f.finish(["name", "industry", "url", "logo", "consent", "consent_note", "anonymized_as", "private_offer"])
    return client if name and consent else None


def _gallery_item(f: Fields) -> GalleryItem | None:
    kinds = [k for k in ("src", "video", "link") if f.has(k)]
    if len(kinds) != 1:
        f.error(
            "",
            "a gallery item needs one of `src` (an image), `video` (a file) or `link` (a web address)",
            line=f.line(),
        )
        f.finish(["src", "video", "link", "poster", "alt", "caption", "credit"])
        return None
    item: GalleryItem | None = None
    if kinds == ["src"]:
        image = _image(f)
        item = GalleryItem("image", image) if image else None
    else:
        poster = f.file("poster")
        alt = f.text("alt")
        if not alt:
            f.warn("alt", "no alt text: describe what the video shows")
        image = (
            ImageRef(poster, alt, f.text("caption"), f.text("credit"), *_origin(f, "poster"))
            if poster
            else None
        )
        if kinds == ["video"]:
            video = f.file("video")
            if video and video.suffix.lower() not in (".mp4", ".webm"):
                f.expected("video", "an .mp4 or .webm file", video.name)
            item = GalleryItem("video", image, video=video) if video else None
        else:
            link = f.url("link")
            item = GalleryItem("link", image, link=link) if link else None
    f.finish(["src", "video", "link", "poster", "alt", "caption", "credit"])
    return item


def _page(path: Path, root: Path, problems: Problems, data: YMap, body: str, body_line: int) -> Page | None:
    src = Source(site_relative(path, root), problems, root, path.parent, root / "content")
    f = Fields(data, src)
    title = f.text("title", required=True, one_line=True, max_len=TITLE_MAX)
    slug, _ = _slug(f, path)
    page = Page(
        source=src.rel,
        path=path,
        slug=slug,
        title=title or "",
        body=body,
        body_line=body_line,
        summary=f.text("summary", max_len=200),
        nav=f.boolean("nav", True),
        order=f.integer("order"),
        unlisted=f.boolean("unlisted", False),
        draft=f.boolean("draft", False),
        lines=src.lines,
    )
    f.text("private_notes")  # PRIVATE: checked, never kept
    f.finish(PAGE_FIELDS)
    _no_placeholder(f, body, body_line, "a page has no client (`{client}` is for case studies)")
    if not page.draft:
        placeholders.report(src.rel, data, body, body_line, problems)
    return page if title and slug else None
