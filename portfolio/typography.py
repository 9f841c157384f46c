"""French typography in the user's own text: the spaces a French writer's software puts in.

Narrow no-break spaces (U+202F) before ; : ! ? and inside « », before % and between groups
of thousands; no-break spaces (U+00A0) between a number and its currency or the word it
counts ("1 903 abonnés", "800 €"), so no line breaks inside them; the typographic
apostrophe (l’été). Web addresses, e-mail addresses and times (10:30) are left as they
are. English text is not changed: its rules are the writer's own spaces.
"""

from __future__ import annotations

import re

NNBSP = "\u202f"  # espace fine insécable
NBSP = "\u00a0"  # espace insécable
_SPACES = " \u00a0\u2009\u202f"

# A token that is an address, not words: left untouched.
_ADDRESS = re.compile(r"(?<![\w.+-])(?:[a-zA-Z][a-zA-Z0-9+.-]*:(?://)?|www\.)\S+|[^\s@]+@[^\s@]+\.\w+")
# Before ; ! ? : any space becomes narrow; no space at all gets one after a word.
_SPACE_BEFORE_MARK = re.compile(rf"[{_SPACES}]+(?:([!?])|([;:])(?=[\s»\"”’*_]|$))")
_GLUED_MARK = re.compile(r"(?<=[\w)\]»…%€$£])([;!?])(?=[\s)\]»*_]|$)")
# A colon glued to a word, before a space, a closing quote or emphasis (`Note:»` is
# `Note :»` too, or typesetting twice would change it again).
_GLUED_COLON = re.compile(r"(?<=[^\W\d_])(:)(?=[\s»\"”’*_]|$)")
_OPEN_QUOTE = re.compile(rf"«[{_SPACES}]*")
_CLOSE_QUOTE = re.compile(rf"[{_SPACES}]*»")
_THOUSANDS = re.compile(rf"(?<=\d)[ {NBSP}\u2009](?=\d{{3}}(?!\d))")
_PERCENT = re.compile(rf"(?<=\d)[ {NBSP}\u2009]?(?=[%‰](?!\w))")
_UNIT = re.compile(r"(?<=\d) (?=[€$£¥]|[^\W\d_])")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")  # l'été, aujourd'hui: ’


def french(text: str) -> str:
    """`text` with French typography's spaces; addresses inside it are left as they are."""
    if not text or not any(c in text for c in ";:!?«»'0123456789"):
        return text
    parts = _ADDRESS.split(text)
    addresses = _ADDRESS.findall(text)
    out = [_french_words(parts[0])]
    for address, words in zip(addresses, parts[1:], strict=True):
        out += [address, _french_words(words)]
    return "".join(out)


def _french_words(text: str) -> str:
    text = _SPACE_BEFORE_MARK.sub(lambda m: NNBSP + (m[1] or m[2]), text)  # not in ";)" or ":-)"
    text = _GLUED_MARK.sub(NNBSP + r"\1", text)
    text = _GLUED_COLON.sub(NNBSP + r"\1", text)
    text = _OPEN_QUOTE.sub("«" + NNBSP, text)
    text = _CLOSE_QUOTE.sub(NNBSP + "»", text)
    text = _THOUSANDS.sub(NNBSP, text)
    text = _PERCENT.sub(NNBSP, text)
    text = _APOSTROPHE.sub("\u2019", text)
    return _UNIT.sub(NBSP, text)


def typeset(text: str, language: str) -> str:
    """`text` as `language`'s typography has it (only French changes anything)."""
    return french(text) if language == "fr" else text
