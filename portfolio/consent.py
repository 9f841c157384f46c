"""What may be published of each case study, decided from its client's consent."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .config import ConsentPolicy
from .content import PLACEHOLDER, CaseStudy


@dataclass(frozen=True)
class Decision:
    status: str  # published | anonymized | withheld
    reason: str


def decide(study: CaseStudy, policy: ConsentPolicy) -> Decision:
    """Apply SPEC.md's consent table; work without a client is the author's own to show."""
    client = study.client
    if client is None:
        return Decision("published", "no client")
    if client.consent == "granted":
        return Decision("published", "consent granted")
    action = policy.pending if client.consent == "pending" else policy.denied
    if action == "anonymize":
        # Until anonymized publishing lands, anonymized work is held back entirely:
        # withholding can never leak a name.
        return Decision("anonymized", f"consent {client.consent}")
    return Decision("withheld", f"consent {client.consent}")


def substitute(study: CaseStudy, name: str) -> CaseStudy:
    """Render `{client}` as `name` in every text field and in the body."""
    # The body is Markdown that may hold HTML: the name goes in as text, never as markup.
    study = dataclasses.replace(study, body=study.body.replace(PLACEHOLDER, html.escape(name)))
    return map_text(study, lambda text: text.replace(PLACEHOLDER, name))


# The case study's own identity, not text a reader sees: never rewritten.
_IDENTITY = {"source", "slug", "client", "path"}


def map_text(value: Any, fn: Callable[[str], str]) -> Any:
    """Apply fn to every string inside a model (dataclasses and tuples), returning a copy."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, tuple):
        return tuple(map_text(v, fn) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        skip = _IDENTITY if isinstance(value, CaseStudy) else set()
        changes = {f.name: map_text(getattr(value, f.name), fn)
                   for f in dataclasses.fields(value) if f.name not in skip}
        return dataclasses.replace(value, **changes)
    return value
