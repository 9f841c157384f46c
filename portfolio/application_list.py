"""`portfolio applications`: each application's address and expiry, one line each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .applications import Application
from .config import load_config
from .content import load_content
from .errors import Problems
from .urls import scheme


def listing(root: Path, today: dt.date | None = None) -> tuple[list[str], list[str]]:
    """(one line per application, notes): company, role, address, and whether it is live."""
    problems = Problems()
    config = load_config(root, problems)
    if config is None:
        return [], [f"portfolio.yaml cannot be read: {problems.errors[0] if problems.errors else ''}"]
    content = load_content(root, problems, None, config.languages, config.untranslated)
    today = today or dt.date.today()
    editions: list[tuple[str, tuple[Application, ...]]] = [(config.languages[0], content.applications)]
    editions += [(lang, content.translations[lang].applications) for lang in config.languages[1:]]
    rows = []
    for language, applications in editions:
        prefix = "" if language == config.languages[0] else f"{language}/"
        urls = scheme(config.urls or language, prefix)
        for app in sorted(applications, key=lambda a: (a.company.lower(), a.role.lower())):
            address = f"{config.base_url or ''}{urls.prefix}for/{app.folder}/"
            if app.draft:
                state = "draft: not built"
            elif app.expires is not None and today > app.expires:
                state = f"expired on {app.expires.isoformat()}: not built"
            elif app.expires is not None:
                state = f"until {app.expires.isoformat()}"
            else:
                state = "no expiry"
            suffix = f" [{language}]" if len(config.languages) > 1 else ""
            rows.append(f"{app.company} · {app.role}{suffix}\n  {address}\n  {state}")
    notes = []
    if not config.base_url and rows:
        notes.append("no base_url in portfolio.yaml: the addresses above start where the site is served")
    if problems.errors:
        count = len(problems.errors)
        notes.append(f"the site has {count} error{'s' if count != 1 else ''}; `portfolio check` lists them")
    return rows, notes
