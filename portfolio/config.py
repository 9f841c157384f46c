"""portfolio.yaml -> SiteConfig."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from .encodings import not_utf8
from .errors import Problems
from .fields import Fields, Source, describe
from .yamlfile import YamlError, YMap, load, read_text

CONFIG_FILE = "portfolio.yaml"
LANGUAGES = ("en", "fr")
PITCH_WORDS = 150
KNOWN_LINKS = (
    "linkedin",
    "instagram",
    "tiktok",
    "x",
    "twitter",
    "youtube",
    "github",
    "behance",
    "dribbble",
    "medium",
    "newsletter",
    "website",
    "facebook",
    "threads",
    "bluesky",
    "pinterest",
    "substack",
    "email",
    "malt",
    "welcometothejungle",
    "calendly",
    "whatsapp",
)
# The profile address for an `@handle` (`instagram: "@lea.design"`), for the hint.
PROFILE_URLS = {
    "instagram": "https://www.instagram.com/{}/",
    "tiktok": "https://www.tiktok.com/@{}",
    "x": "https://x.com/{}",
    "twitter": "https://x.com/{}",
    "threads": "https://www.threads.net/@{}",
    "youtube": "https://www.youtube.com/@{}",
    "github": "https://github.com/{}",
    "medium": "https://medium.com/@{}",
    "pinterest": "https://www.pinterest.com/{}/",
    "bluesky": "https://bsky.app/profile/{}",
}
# Other spellings of a known name: `wttj: https://www.welcometothejungle.com/...`.
LINK_ALIASES = {
    "welcome_to_the_jungle": "welcometothejungle",
    "welcome-to-the-jungle": "welcometothejungle",
    "wttj": "welcometothejungle",
}
# The contact form's services (`contact: {provider: netlify}`); `form: URL` takes any other.
CONTACT_PROVIDERS = ("netlify",)


@dataclass(frozen=True)
class Link:
    name: str  # as the user wrote it: `linkedin`, `malt`
    url: str
    known: bool  # a known network gets an icon
    kind: str = ""  # the known network's name (`welcometothejungle` for `wttj`), else ""


@dataclass(frozen=True)
class Author:
    name: str
    headline: str | None = None
    pitch: str | None = None  # Markdown
    pitch_line: int | None = None
    location: str | None = None
    email: str | None = None
    avatar: Path | None = None
    resume: Path | None = None
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class ConsentPolicy:
    pending: str = "anonymize"
    denied: str = "withhold"


@dataclass(frozen=True)
class Analytics:
    provider: str
    site: str
    script: str | None = None


PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class PdfSettings:
    """`pdf:` in portfolio.yaml: build output/portfolio.pdf (and each application's)."""

    paper: str  # a4 | letter


@dataclass(frozen=True)
class Contact:
    """A form on the contact page that posts to a service: `form` (an address that takes a
    POST) or `provider` (netlify); the email link stays beside it."""

    form: str | None = None
    provider: str | None = None
    honeypot: str = "_gotcha"  # the field a person never sees, and a robot fills in
    page: str = "contact"  # the slug of the free page that shows it


@dataclass(frozen=True)
class SiteConfig:
    """Everything portfolio.yaml says, checked."""

    root: Path  # the site folder, resolved
    title: str
    author: Author
    language: str = "en"  # the default language: the first of `languages`
    languages: tuple[str, ...] = ("en",)  # every language of the site, the default first
    urls: str | None = None  # the words of URL segments (urls.py); None: each language's own
    untranslated: str = "show"  # work not translated into a language: show | hide there
    pdf: PdfSettings | None = None  # also build the portfolio as a PDF
    # Texts written once per language: language -> field path (`author.headline`) -> text.
    localised: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    base_url: str | None = None  # always ends with /
    theme: str = "default"
    consent: ConsentPolicy = ConsentPolicy()
    max_megapixels: int = 50
    social_cards: bool = True
    analytics: Analytics | None = None
    contact: Contact | None = None
    theme_options: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    theme_line: int | None = None
    theme_options_lines: MappingProxyType[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # `words:` as written: key (dotted when nested) -> text, and the line of each key.
    words: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    words_lines: MappingProxyType[str, int] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    def in_language(self, language: str) -> SiteConfig:
        """The settings as a page in `language` shows them: its title, headline, pitch
        and location when portfolio.yaml gives them per language."""
        texts = self.localised.get(language, {})
        author = replace(
            self.author,
            headline=texts.get("author.headline", self.author.headline),
            pitch=texts.get("author.pitch", self.author.pitch),
            location=texts.get("author.location", self.author.location),
        )
        return replace(self, language=language, title=texts.get("title", self.title), author=author)

    def words_language(self, field: str) -> str:
        """The language the text of `field` (`author.pitch`) is written in, on a page in
        `language`: its own when portfolio.yaml gives one per language, else the default
        language's (an untranslated French pitch keeps its French typography in English)."""
        if field in self.localised.get(self.language, {}) or not self.languages:
            return self.language
        return self.languages[0]


def _in_languages(
    f: Fields,
    key: str,
    languages: tuple[str, ...],
    localised: dict[str, dict[str, str]],
    **checks: Any,
) -> str | None:
    """A text field, or one text per language (`{fr: ..., en: ...}`): the default
    language's is returned, each other's kept in `localised` under the field's path."""
    raw = f.raw(key)
    if not (isinstance(raw, YMap) and raw and all(str(k) in LANGUAGES for k in raw)):
        return f.text(key, **checks)
    group = f.sub(key)
    assert group is not None
    texts = {code: group.text(code, **checks) for code in LANGUAGES if code in raw}
    for code in languages:
        if texts.get(code) is None and code not in raw:
            f.error(
                key,
                f"has no text for `{code}`",
                hint=f"add it: {key}: {{{', '.join([*map(str, raw), code])}: ...}}",
            )
    for code, text in texts.items():
        if text is not None and code in localised:
            localised[code][f.field_path(key)] = text
    return texts.get(languages[0]) or next((t for t in texts.values() if t), None)


def _pdf(f: Fields, language: str) -> PdfSettings | None:
    """`pdf: true`, or `pdf: {paper: a4 | letter}`; the paper defaults to the language's
    (A4 in French, US Letter in English)."""
    default = "a4" if language == "fr" else "letter"
    value = f.raw("pdf")
    if value is None or value is False:
        return None
    if value is True:
        return PdfSettings(default)
    sub = f.sub("pdf") if isinstance(value, YMap) else None
    if sub is None:
        f.expected("pdf", "true, false, or {paper: a4} (or letter)", value)
        return None
    paper = sub.choice("paper", PAPERS, default) or default
    sub.finish(["paper"])
    return PdfSettings(paper)


def _languages(f: Fields) -> tuple[str, ...]:
    """`language: fr`, or `languages: [fr, en]` for a bilingual site (the first is the
    default, at the root; each other one under /LANG/)."""
    if not f.has("languages"):
        return ((f.choice("language", LANGUAGES, "en") or "en"),)
    if f.has("language"):
        f.error(
            "languages",
            "give either `language:` or `languages:`, not both",
            hint="keep `languages: [fr, en]`",
        )
    listed = f.str_list("languages")
    unknown = [code for code in listed if code not in LANGUAGES]
    for code in unknown:
        f.expected("languages", "languages among " + ", ".join(LANGUAGES), code)
    known = tuple(code for code in listed if code in LANGUAGES)
    if not known:
        if not unknown:
            f.expected("languages", "a list such as [fr, en]", f.raw("languages"))
        return ("en",)
    return known


def _words(f: Fields | None, prefix: str = "") -> tuple[dict[str, str], dict[str, int]]:
    """`words:` flattened to dotted keys (`home: {featured: ...}` is `home.featured`); an
    empty value empties the word. Which keys exist is the theme's to say (locale.py)."""
    words: dict[str, str] = {}
    lines: dict[str, int] = {}
    if f is None:
        return words, lines
    for key in f.data:
        if not isinstance(key, str):
            f.error("", f"a word's key must be a word, got {describe(key)}", line=f.line(key))
            continue
        if key.startswith("_"):
            continue
        value = f.raw(key)
        name = prefix + key
        if isinstance(value, YMap):
            inner = f.sub(key)
            more, more_lines = _words(inner, name + ".")
            words.update(more)
            lines.update(more_lines)
        elif value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool)):
            text = "" if value is None else str(value)
            if "\n" in text.strip() or len(text) > 1_000:
                f.expected(key, "one line of text of at most 1,000 characters", value)
                continue
            words[name] = text.strip()
            lines[name] = f.line(key) or 0
        else:
            f.expected(key, "a line of text (or nothing, to leave the word out)", value)
    return words, lines


def find_site(start: Path) -> Path | None:
    """The nearest folder from `start` upwards that holds portfolio.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


def normalise_base_url(value: str) -> str | None:
    """`https://a.example/x` -> `https://a.example/x/`; None when it is not a usable address."""
    value = value.strip()
    if re.search(r"[\s\"'<>\\]", value):
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return None
    if "@" in parts.netloc:  # user:password@ would be published in every page, feed and sitemap
        return None
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def languages_anyway(root: Path) -> tuple[str, ...]:
    """The site's languages as well as a broken portfolio.yaml tells them, so the content's
    problems (translations included) are still all reported with the settings' own."""
    try:
        text = read_text((root / CONFIG_FILE).read_bytes())
    except (OSError, UnicodeDecodeError):
        return (LANGUAGES[0],)
    found = re.search(r"^languages:\s*\[([^\]\n]*)\]", text, re.M)
    if found:
        codes = tuple(c.strip().strip("'\"") for c in found[1].split(","))
    else:
        single = re.search(r"^language:\s*['\"]?(\w+)", text, re.M)
        codes = (single[1],) if single else ()
    codes = tuple(dict.fromkeys(c for c in codes if c in LANGUAGES))
    return codes or (LANGUAGES[0],)


def load_config(root: Path, problems: Problems) -> SiteConfig | None:
    """Read and check portfolio.yaml; problems are collected, None when unusable."""
    root = root.resolve()
    path = root / CONFIG_FILE
    try:
        data = load(read_text(path.read_bytes()))
    except UnicodeDecodeError as exc:
        message, line, hint = not_utf8(exc.object, exc.start)
        problems.error(CONFIG_FILE, message, line, hint=hint)
        return None
    except YamlError as exc:
        problems.error(CONFIG_FILE, exc.message, exc.line, hint=exc.hint)
        return None
    except OSError as exc:
        problems.error(CONFIG_FILE, f"cannot be read: {exc.strerror}")
        return None
    if not isinstance(data, YMap):
        problems.error(CONFIG_FILE, "expected fields such as `title:` and `author:`", 1)
        return None
    src = Source(CONFIG_FILE, problems, root, root, root / "content")
    f = Fields(data, src)
    languages = _languages(f)
    language = languages[0]
    # A bilingual site may write its title and the author's headline, pitch and location
    # once per language: `headline: {fr: ..., en: ...}`.
    localised: dict[str, dict[str, str]] = {code: {} for code in languages}
    title = _in_languages(f, "title", languages, localised, required=True, one_line=True, max_len=150)
    urls = f.choice("urls", LANGUAGES, None)
    untranslated = f.choice("untranslated", ("show", "hide"), "show") or "show"
    base_url = None
    raw_base = f.text("base_url", one_line=True)
    if raw_base:
        base_url = normalise_base_url(raw_base)
        if base_url is None:
            f.expected(
                "base_url",
                "a web address such as https://camille.example.com/",
                raw_base,
                "a name and password in the address would be published on every page: leave them out"
                if "@" in raw_base
                else "",
            )
    theme = f.text("theme", one_line=True) or "default"
    author = _author(f.sub("author", required=True), languages, localised)
    consent = _consent(f.sub("consent"))
    max_mp = 50
    images = f.sub("images")
    if images:
        max_mp = images.integer("max_megapixels", minimum=1) or 50
        images.finish(["max_megapixels"])
    social_cards = f.boolean("social_cards", True)
    pdf = _pdf(f, language)
    analytics = _analytics(f.sub("analytics"))
    contact = _contact(f.sub("contact"))
    options = f.sub("theme_options")
    theme_options: dict[str, Any] = {}
    option_lines: dict[str, int] = {}
    if options:
        for key in options.data:
            if not isinstance(key, str):
                options.error(
                    "", f"an option name must be a word, got {describe(key)}", line=options.line(key)
                )
            elif not key.startswith("_"):
                theme_options[key] = options.raw(key)
                option_lines[key] = options.line(key) or 0
    words, words_lines = _words(f.sub("words"))
    f.finish(
        [
            "title",
            "language",
            "languages",
            "urls",
            "untranslated",
            "pdf",
            "base_url",
            "theme",
            "author",
            "consent",
            "images",
            "social_cards",
            "analytics",
            "contact",
            "theme_options",
            "words",
        ]
    )
    if title is None or author is None:
        return None
    return SiteConfig(
        root=root,
        title=title,
        author=author,
        language=language,
        languages=languages,
        urls=urls,
        untranslated=untranslated,
        pdf=pdf,
        localised=localised,
        base_url=base_url,
        theme=theme,
        consent=consent,
        max_megapixels=max_mp,
        social_cards=social_cards,
        analytics=analytics,
        contact=contact,
        theme_options=MappingProxyType(theme_options),
        theme_options_lines=MappingProxyType(option_lines),
        theme_line=f.line("theme"),
        words=MappingProxyType(words),
        words_lines=MappingProxyType(words_lines),
        lines=src.lines,
    )


def _author(
    f: Fields | None, languages: tuple[str, ...], localised: dict[str, dict[str, str]]
) -> Author | None:
    if f is None:
        return None
    name = f.text("name", required=True, one_line=True, max_len=100)
    links: list[Link] = []
    group = f.sub("links")
    if group:
        for key in group.data:
            if not isinstance(key, str):
                group.error("", f"a link name must be a word, got {describe(key)}", line=group.line(key))
                continue
            if key.startswith("_"):
                continue
            kind = LINK_ALIASES.get(key.lower(), key.lower())
            handle = group.data[key]
            if isinstance(handle, str) and handle.startswith("@") and kind in PROFILE_URLS:
                address = PROFILE_URLS[kind].format(handle[1:].strip())
                group.expected(
                    key, "a full web address starting with https://", handle, f"write {key}: {address}"
                )
                continue
            url = group.url(key, required=True)
            if url:
                known = kind in KNOWN_LINKS
                links.append(Link(key, url, known, kind if known else ""))
        group.seen.update(k for k in group.data if isinstance(k, str))
    pitch = _in_languages(f, "pitch", languages, localised)
    if pitch and len(pitch.split()) > PITCH_WORDS:
        f.warn(
            "pitch",
            f"is {len(pitch.split())} words; an elevator pitch reads best under "
            f"{PITCH_WORDS} (about a minute)",
        )
    email = f.text("email", one_line=True)
    if email and ("@" not in email or " " in email):
        f.expected("email", "an email address", email)
    author = Author(
        name=name or "",
        headline=_in_languages(f, "headline", languages, localised, one_line=True, max_len=200),
        pitch=pitch,
        pitch_line=f.line("pitch"),
        location=_in_languages(f, "location", languages, localised, one_line=True),
        email=email,
        avatar=f.file("avatar"),
        resume=f.file("resume"),
        links=tuple(links),
    )
    f.finish(["name", "headline", "pitch", "location", "email", "avatar", "resume", "links"])
    return author if name else None


def _consent(f: Fields | None) -> ConsentPolicy:
    if f is None:
        return ConsentPolicy()
    pending = f.choice("pending", ("anonymize", "withhold"), "anonymize") or "anonymize"
    denied = f.choice("denied", ("withhold", "anonymize"), "withhold") or "withhold"
    f.finish(["pending", "denied"])
    return ConsentPolicy(pending, denied)


def _analytics(f: Fields | None) -> Analytics | None:
    if f is None:
        return None
    provider = f.choice("provider", ("goatcounter", "plausible", "umami"), None)
    if provider is None and not f.has("provider"):
        f.required("provider")
    site = f.text("site", required=True, one_line=True)
    script = f.url("script")
    f.finish(["provider", "site", "script"])
    if provider and site:
        return Analytics(provider, site, script)
    return None


def _contact(f: Fields | None) -> Contact | None:
    if f is None:
        return None
    form = f.text("form", one_line=True)
    provider = f.choice("provider", CONTACT_PROVIDERS, None)
    honeypot = f.text("honeypot", one_line=True)
    page = f.text("page", one_line=True)
    f.finish(["form", "provider", "honeypot", "page"])
    if form and f.has("provider"):
        f.error("provider", "give either `form:` (an address) or `provider:`, not both")
        return None
    if form is not None:
        form = _form_address(f, form)
    elif not f.has("provider"):
        f.error(
            "",
            "says where the form sends messages: expected `form:` or `provider:`",
            hint="contact: {form: https://formspree.io/f/your-id} or contact: {provider: netlify}",
        )
        return None
    if honeypot is not None and not re.fullmatch(r"[A-Za-z_][\w-]{0,39}", honeypot):
        f.expected("honeypot", "a field name of letters, digits, - and _", honeypot)
        honeypot = None
    elif honeypot in ("name", "email", "message", "form-name"):
        f.error("honeypot", f"`{honeypot}` is a field people fill in; the trap needs a name of its own")
        honeypot = None
    if not (form or provider):
        return None
    default_trap = "bot-field" if provider == "netlify" else "_gotcha"
    return Contact(form, provider, honeypot or default_trap, (page or "contact").strip("/"))


def _form_address(f: Fields, form: str) -> str | None:
    """The address a form posts to: https, or http on this computer (for a local test)."""
    try:
        parts = urlsplit(form)
        scheme, host, _ = parts.scheme, parts.hostname, parts.port
    except ValueError:
        scheme, host = "", None
    if scheme not in ("http", "https") or not host or re.search(r"[\s\"'<>\\]", form):
        f.expected("form", "the web address your form service gave you, starting with https://", form)
        return None
    if scheme == "http" and host not in ("127.0.0.1", "localhost", "::1"):
        f.error(
            "form",
            "sends messages unencrypted (http://); a form must post to an https:// address",
            hint="copy the https:// address from your form service's dashboard",
        )
        return None
    if "#" in form:
        f.expected("form", "an address without a #fragment", form)
        return None
    return form
