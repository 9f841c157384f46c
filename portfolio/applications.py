"""Applications: one private page per job application (content/applications/NAME.md).

Each is built at `for/SLUG-TOKEN/` (the token, in the file, makes the link unguessable and
the same from build to build), with the cover note, the role applied for, the chosen case
studies first and the author's contact; it is in no list, feed or sitemap, is marked
noindex, and is not built after `expires`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import placeholders
from .errors import Problems
from .fields import Fields, Source
from .paths import site_relative
from .slugs import slugify
from .yamlfile import YMap

APPLICATION_FIELDS = (
    "company", "role", "token", "case_studies", "skills", "pitch", "expires", "draft", "slug",
    "private_notes",
)  # fmt: skip
TOKEN_MIN = 10
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Application:
    source: str
    path: Path
    slug: str  # from the file name, or `slug:`
    company: str
    role: str
    token: str
    case_studies: tuple[str, ...]  # slugs, in the order given
    skills: tuple[str, ...]
    pitch: str | None
    expires: dt.date | None
    body: str  # the cover note (Markdown)
    body_line: int
    draft: bool = False
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    language: str = ""
    translated: bool = True

    @property
    def folder(self) -> str:
        """Its page's folder under for/: the slug and the token."""
        return f"{self.slug}-{self.token}"


def new_token() -> str:
    """A token nobody can guess: 72 random bits, 12 URL-safe characters."""
    return secrets.token_urlsafe(9)


def read_application(
    path: Path, root: Path, problems: Problems, data: YMap, body: str, body_line: int
) -> Application | None:
    """An application from its front matter; problems at their lines."""
    src = Source(site_relative(path, root), problems, root, path.parent, root / "content")
    f = Fields(data, src)
    company = f.text("company", required=True, one_line=True, max_len=150)
    role = f.text("role", required=True, one_line=True, max_len=150)
    token = _token(f)
    given = f.text("slug", one_line=True)
    slug = slugify(given or path.stem)
    if not slug:
        f.error("slug", f"the file name {path.name!r} gives an empty URL; add `slug:`", line=f.line())
    application = Application(
        source=src.rel,
        path=path,
        slug=slug,
        company=company or "",
        role=role or "",
        token=token or "",
        case_studies=f.str_list("case_studies"),
        skills=f.str_list("skills"),
        pitch=f.text("pitch", max_len=5_000),
        expires=f.date("expires"),
        body=body,
        body_line=body_line,
        draft=f.boolean("draft", False),
        lines=src.lines,
    )
    f.text("private_notes")  # PRIVATE: checked, never kept
    f.finish(APPLICATION_FIELDS)
    if not application.draft:
        placeholders.report(src.rel, data, body, body_line, problems)
    return application if company and role and token and slug else None


@functools.cache
def _fresh(source: str) -> str:
    """One fresh token per file and run, so a message repeated for each language is one."""
    return new_token()


def _token(f: Fields) -> str | None:
    token = f.text("token", one_line=True)
    fresh = _fresh(f.src.rel)
    if token is None:
        f.error(
            "token", "is required: it makes the page's address impossible to guess", hint=f"token: {fresh}"
        )
        return None
    if not _TOKEN.fullmatch(token) or len(token) < TOKEN_MIN:
        f.error(
            "token",
            f"expected at least {TOKEN_MIN} letters, digits, - or _, got {token!r}",
            hint=f"token: {fresh}",
        )
        return None
    return token


def live(
    applications: tuple[Application, ...], today: dt.date, drafts: bool, problems: Problems
) -> tuple[Application, ...]:
    """The applications built today: not past `expires` (said, once), drafts only in the preview."""
    out = []
    for app in applications:
        if app.draft and not drafts:
            continue
        if app.expires is not None and today > app.expires:
            problems.warn(
                app.source,
                f"expired on {app.expires.isoformat()}: its page is not built any more",
                app.lines.get("expires"),
                "expires",
                hint="move `expires:` later to share it again, or delete the file",
            )
            continue
        out.append(app)
    return tuple(out)
