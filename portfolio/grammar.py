"""`{client}` filled in as a writer of the language would: French elision and contractions,
a capital letter where a sentence starts, an alias's article in lower case mid-sentence.

"La campagne de {client}" with the alias "une brasserie" reads "La campagne d'une
brasserie"; "Les clients de {client}" with "les cafés du port" reads "Les clients des cafés
du port"; "Les pages de {client}" with "des agences lyonnaises" reads "Les pages
d'agences lyonnaises"; "{client} voulait…" with "une brasserie" reads "Une brasserie
voulait…". A client's real name keeps its own case (eBay, iPhone): only an alias, which
describes the client in ordinary words, is recased, and only a plain lower-case word takes
a capital (an alias "eBay" stays "eBay"). Pure functions, no state.
"""

from __future__ import annotations

import re
import unicodedata

PLACEHOLDER = "{client}"

# Words after which an article or determiner is written in lower case, because the alias
# is a description ("une brasserie", "a bike shop"), and at a sentence's start in capitals.
_DETERMINERS = {
    "fr": {
        "un", "une", "des", "le", "la", "les", "l'", "l’", "du", "ce", "cet", "cette", "ces",
        "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos",
        "leur", "leurs", "certains", "certaines", "plusieurs", "quelques", "chaque", "deux",
        "trois",
    },
    "en": {
        "a", "an", "the", "our", "my", "your", "their", "its", "his", "her", "one", "this",
        "that", "these", "those", "some", "two", "three", "several",
    },
}  # fmt: skip

# French words whose final vowel gives way to an apostrophe before a vowel sound.
_ELIDED = {
    "de": "d", "le": "l", "la": "l", "que": "qu", "ne": "n", "je": "j", "me": "m", "te": "t",
    "se": "s", "jusque": "jusqu", "lorsque": "lorsqu", "puisque": "puisqu",
}  # fmt: skip
# "de le" -> "du", "à les" -> "aux"...
_CONTRACTED = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}
# "de des": the article gives way to "de" alone ("les pages de des agences" is "les pages
# d'agences"). Only the article in lower case: a name that starts with "Des" keeps it.
_DROPPED = {("de", "des")}

# Words whose h is "aspiré": no elision before them (le hall, de Hachette). The h of every
# other word is taken as mute (l'hôtel, d'Hermès), as it is for most French words.
_ASPIRATED_H = {
    "hache", "hachette", "haie", "haine", "hall", "halle", "halte", "hamac", "hamburger",
    "hameau", "hamster", "hanche", "handball", "handicap", "hangar", "hanter", "happy",
    "harcèlement", "hardi", "hareng", "haricot", "harpe", "hasard", "hâte", "hausse", "haut",
    "haute", "hauteur", "havre", "hérisson", "hernie", "héron", "héros", "hêtre", "hibou",
    "hiérarchie", "hip-hop", "hippie", "hobby", "hockey", "hold-up", "hollande", "homard",
    "hongrie", "honte", "hors", "hot-dog", "houblon", "housse", "huit", "huitième", "hurler",
    "hutte",
}  # fmt: skip

# The first word's first part: up to an apostrophe ("l'" of "l'Atelier") or a hyphen.
_FIRST_PART = re.compile(r"\s*([^\s'’-]+)")
_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿœæ")
_SENTENCE_END = re.compile(r"[.!?…][\s\"'’”»)\]*_]*$")
# What may open a Markdown block before its first word: a heading's #, a list's bullet or
# number, a quote's >, a table cell's |, and emphasis or link openers.
_BLOCK_START = re.compile(
    r"(?:^|\n)[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,9}[.)][ \t]+|>[ \t]*|\|[ \t]*)*[*_\[«\"“( \t]*$"
)
# The word before a placeholder: after a space or any mark that is not part of a word
# (`**de {client}**`, `[de {client}](...)`, `—de`), never inside one (`l'de`, `Jean-de`).
_WORD_BEFORE = re.compile(r"(?<![^\W_])(?<!['’-])([^\W\d_]+)([ \t\u00a0]+)$")


def fill(text: str, name: str, language: str, alias: bool) -> str:
    """`text` with every `{client}` replaced by `name`, following `language`'s grammar; an
    `alias` is also recased (capital at a sentence's start, lower-case article elsewhere)."""
    if PLACEHOLDER not in text:
        return text
    out: list[str] = []
    pos = 0
    apostrophe = "'" if text.count("'") > text.count("’") else "’"
    for start in _positions(text):
        before = "".join(out) + text[pos:start]
        word = name
        if alias:
            word = _recase(word, language, starts_sentence(before))
        if language == "fr":
            before, word = _join_french(before, word, apostrophe)
        out = [before, word]
        pos = start + len(PLACEHOLDER)
    out.append(text[pos:])
    return "".join(out)


def _positions(text: str) -> list[int]:
    found, at = [], text.find(PLACEHOLDER)
    while at != -1:
        found.append(at)
        at = text.find(PLACEHOLDER, at + len(PLACEHOLDER))
    return found


def starts_sentence(before: str) -> bool:
    """Whether text that follows `before` begins a sentence, a heading, a list item or a
    table cell (`before` is the text up to it, in the same field or Markdown body)."""
    if not before.strip(' \t*_[«"“('):
        return True
    if _BLOCK_START.search(before) or before.rstrip(' \t*_[«"“(').endswith("|"):
        return True
    return bool(_SENTENCE_END.search(before.rstrip(' \t*_[«"“(\u00a0')))


def _recase(word: str, language: str, sentence_start: bool) -> str:
    if not word:
        return word
    if sentence_start:
        return capitalise(word)
    first = word.split(None, 1)[0].lower()
    determiners = _DETERMINERS.get(language, set())
    elided = first[:2] if len(first) > 2 and first[1] in "'’" else ""
    if first in determiners or (elided and elided in determiners):
        return word[0].lower() + word[1:]
    return word


def capitalise(text: str) -> str:
    """`text` with a capital letter, as a sentence or a list item starts, when its first
    word is a plain lower-case word ("une brasserie" -> "Une brasserie", "l'atelier" ->
    "L'atelier"); a word with capitals of its own inside (eBay, iPhone) is written as it is."""
    first = _FIRST_PART.match(text)
    if first is None or not first[1].islower():
        return text
    return text[0].upper() + text[1:]


def _join_french(before: str, word: str, apostrophe: str) -> tuple[str, str]:
    """French contractions (de le -> du) and elisions (de une -> d'une) across the join."""
    m = _WORD_BEFORE.search(before)
    if m is None or not word:
        return before, word
    prev, space = m[1], m[2]
    lower = prev.lower()
    head, _, rest = word.partition(" ")
    if (lower, head) in _DROPPED and rest:
        if _vowel_sound(rest):
            return before[: m.start(1)] + _like(_ELIDED[lower], prev) + apostrophe, rest
        return before, rest
    if (lower, head.lower()) in _CONTRACTED and rest:
        joined = _CONTRACTED[(lower, head.lower())]
        joined = _like(joined, prev)
        return before[: m.start(1)] + joined + space, rest
    if lower in _ELIDED and _vowel_sound(word):
        elided = _like(_ELIDED[lower], prev)
        return before[: m.start(1)] + elided + apostrophe, word
    return before, word


def _like(word: str, model: str) -> str:
    """`word` with `model`'s capital (De -> Du, À -> Au)."""
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _vowel_sound(word: str) -> bool:
    """Whether a French word begins with a vowel sound (une, Orange, l'hôtel, Hermès)."""
    first = word.split(None, 1)[0]
    bare = unicodedata.normalize("NFC", first).lower()
    if not bare or not bare[0].isalpha():
        return False  # digits (de 3M), quotes, symbols
    if bare[0] == "y":
        return len(bare) > 1 and bare[1] not in _VOWELS  # d'Yves, de Yahoo
    if bare[0] == "h":
        stem = bare.rstrip(".,;:!?")
        singular = stem[:-1] if stem.endswith(("s", "x")) else stem  # des hiboux, des haies
        aspirated = stem in _ASPIRATED_H or singular in _ASPIRATED_H
        return len(bare) > 1 and bare[1] in _VOWELS and not aspirated
    return bare[0] in _VOWELS
