"""The theme's words and number/date formatting per language, through Babel (CLDR data)."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    format_scientific,
)

from .encodings import not_utf8
from .errors import ContentErrors, PortfolioError, Problems, SourceError
from .paths import inside
from .typography import french
from .yamlfile import YamlError, YMap, load, read_text

CONFIG = "portfolio.yaml"
HUGE = 1e15  # from here numbers are written in scientific notation
CURRENCIES = {"€": "EUR", "$": "USD", "£": "GBP", "EUR": "EUR", "USD": "USD", "GBP": "GBP"}


def load_words(theme_dirs: list[Path], language: str, root: Path | None = None) -> dict[str, str]:
    """Merge i18n/<language>.yaml from the parent theme up to the child theme; a broken file
    is named relative to the site folder `root` (when it lies there), at its line."""
    words: dict[str, str] = {}
    for folder in reversed(theme_dirs):
        path = folder / "i18n" / f"{language}.yaml"
        if not path.is_file():
            continue
        shown = _shown(path, root)
        if not inside(Path(os.path.realpath(path)), folder):
            raise PortfolioError(f"{shown}: is a link to a file outside the theme; copy it in instead")
        try:
            data = load(read_text(path.read_bytes()))
        except UnicodeDecodeError as exc:
            message, line, hint = not_utf8(exc.object, exc.start)
            raise ContentErrors([SourceError(shown, message, line, hint=hint)]) from None
        except YamlError as exc:
            raise ContentErrors([SourceError(shown, exc.message, exc.line, hint=exc.hint)]) from None
        if data is None:
            continue
        if not isinstance(data, YMap):
            raise ContentErrors(
                [SourceError(shown, "expected words such as `featured: Selected work`, one per line", 1)]
            )
        words.update(_flatten(data))
    if not words:
        raise PortfolioError(f"the theme has no words for language `{language}` (i18n/{language}.yaml)")
    return words


_FIELD = re.compile(r"\{(\w*)[^{}]*\}")


def site_words(
    theme_dirs: tuple[Path, ...] | list[Path], config: Any, language: str, problems: Problems
) -> dict[str, str]:
    """A theme's words in `language` with the site's `words:` over them: `featured_intro`
    for the default language, `en: {featured_intro: ...}` (`en.featured_intro`) for `en`."""
    own: dict[str, str] = {}
    lines: dict[str, int] = {}
    for key, text in config.words.items():
        code, _, rest = key.partition(".")
        if code in config.languages and rest:
            if code == language:
                own[rest], lines[rest] = text, config.words_lines.get(key, 0)
        elif language == config.languages[0]:
            own[key], lines[key] = text, config.words_lines.get(key, 0)
    return apply_words(load_words(list(theme_dirs), language, config.root), own, lines, problems)


def apply_words(
    words: dict[str, str],
    overrides: Mapping[str, str],
    lines: Mapping[str, int],
    problems: Problems,
) -> dict[str, str]:
    """The theme's words with the site's `words:` over them. A key is the theme's dotted key
    (`home.featured_intro`) or its last part when no other word ends the same way
    (`featured_intro`). An unknown key, or a `{placeholder}` the word does not fill, is an
    error at its line in portfolio.yaml."""
    out = dict(words)
    by_last: dict[str, list[str]] = {}
    for key in words:
        by_last.setdefault(key.rsplit(".", 1)[-1], []).append(key)
    for key, text in overrides.items():
        line, field = lines.get(key) or None, f"words.{key}"
        target = key if key in words else None
        if target is None and len(by_last.get(key, ())) == 1:
            target = by_last[key][0]
        if target is None:
            if len(by_last.get(key, ())) > 1:
                hint = "write it in full: " + " or ".join(f"`{k}`" for k in by_last[key])
                problems.error(CONFIG, f"`{key}` is a word of several parts of the theme", line, field, hint)
                continue
            close = difflib.get_close_matches(key, [*words, *by_last], n=1, cutoff=0.6)
            hint = (
                f"did you mean `{close[0]}`?"
                if close
                else "`portfolio themes --words` lists them (with --theme and --language)"
            )
            problems.error(CONFIG, f"the theme has no word `{key}`", line, field, hint)
            continue
        fills = {m[1] for m in _FIELD.finditer(words[target])}
        extra = sorted({m[1] for m in _FIELD.finditer(text)} - fills)
        if extra or "{}" in text:
            can = ", ".join(f"{{{f}}}" for f in sorted(fills)) if fills else "no {placeholder}"
            problems.error(
                CONFIG, f"uses {{{extra[0] if extra else ''}}}, which this word does not fill",
                line, field, f"it can use {can}",
            )  # fmt: skip
            continue
        try:
            text.format(**dict.fromkeys(fills, ""))
        except (ValueError, IndexError, KeyError):
            problems.error(
                CONFIG, "has a `{` or `}` that is not a placeholder", line, field, "write {{ and }}"
            )
            continue
        out[target] = text  # a French site's words get French typography in the Formatter
    return out


def _shown(path: Path, root: Path | None) -> str:
    """A theme file as messages name it: from the site folder when it is in the site."""
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return str(path)


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:  # type: ignore[type-arg]
    out: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = "" if value is None else str(value)
    return out


class Formatter:
    """Numbers, money and dates as a reader of `language` expects them."""

    def __init__(self, language: str, words: dict[str, str]) -> None:
        self.language = language
        # A French theme's words (and the site's own, in `words:`) get French typography too.
        self.words = {k: french(v) for k, v in words.items()} if language == "fr" else words
        self._locale = Locale.parse(language)  # Babel parses a name again at every call
        # Babel takes ~0.1 ms a call and a big site asks for the same figures again and again.
        self.date = functools.lru_cache(maxsize=4096)(self.date)  # type: ignore[method-assign]
        self.amount = functools.lru_cache(maxsize=16384)(self.amount)  # type: ignore[method-assign]
        self.number = functools.lru_cache(maxsize=16384)(self.number)  # type: ignore[method-assign]
        self._pattern = functools.lru_cache(maxsize=64)(self._pattern)  # type: ignore[method-assign]

    def word(self, key: str, **values: Any) -> str:
        """The theme's word `key` with its `{placeholders}` filled in. Given a `count`, the
        word `KEY_one` (when the theme has one) stands in where the language puts the count
        in the singular: 1 in English, 0 and 1 in French ("0 étude de cas")."""
        count = values.get("count")
        if count is not None and f"{key}_one" in self.words and singular(count, self.language):
            key = f"{key}_one"
        if isinstance(count, int) and not isinstance(count, bool):
            values["count"] = self.number(count)  # 1 200 études de cas, 1,200 case studies
        try:
            text = self.words[key]
        except KeyError:
            raise KeyError(f"the theme has no word `{key}` for language `{self.language}`") from None
        if not values:
            return text
        if count is not None and self.language == "fr":
            # "3 études de cas": a count and the word it counts on one line, as in the
            # user's own text (typography.py); the theme's word had `{count}`, not a figure.
            return french(text.format(**values))
        return text.format(**values)

    def phrases(self) -> list[str]:
        """Everything the theme prints on its own: its words (without placeholders) and the
        names of months and days in this language."""
        found = [
            part for text in self.words.values() for part in re.split(r"\{[^{}]*\}", text) if part.strip()
        ]
        locale = Locale.parse(self.language)
        for names in (locale.months, locale.days):
            for context in names.values():
                for width in context.values():
                    found.extend(str(n) for n in width.values())
        return found

    def date(self, value: dt.date, style: str = "long") -> str:
        """`long`: 10 March 2025; `month`: March 2025; `short_month`: Mar 2025; `iso`; or a
        CLDR pattern (`d MMM y`). French writes the first of the month `1er`."""
        if style == "iso":
            return value.isoformat()
        pattern = {"month": "MMMM y", "short_month": "MMM y", "year": "y"}.get(style, style)
        text = format_date(value, pattern if style != "long" else "long", locale=self._locale)
        if self.language == "fr" and value.day == 1 and (style == "long" or pattern.startswith("d")):
            text = re.sub(r"^1(?=\s)", "1er", text)
        if self.language == "fr":  # French typography keeps a date on one line: 30 juin 2027
            text = text.replace(" ", "\u00a0")
        return text

    def when(self, value: dt.date, pattern: str) -> str:
        """A date with the preposition its precision takes: `le 6 janv. 2025`, `en janv.
        2025`, `en 2025`; `on 6 Jan 2025`, `in Jan 2025`, `in 2025`."""
        key = "dates.on_day" if "d" in pattern else "dates.in_year" if pattern == "y" else "dates.in_month"
        return self.word(key, date=self.date(value, pattern))

    def span(self, start: dt.date, end: dt.date, pattern: str) -> str:
        """From one date to another: `du 6 janv. au 3 mars 2025`, `de sept. 2024 à févr. 2025`."""
        key = "dates.span_days" if "d" in pattern else "dates.span_months"
        return self.word(key, start=self.date(start, pattern), end=self.date(end, pattern))

    def number(self, value: float, decimals: int = 0) -> str:
        if abs(value) >= HUGE:
            return self._scientific(value)
        return _minus(
            format_decimal(
                round(value, decimals), format=self._pattern("decimal", decimals), locale=self._locale
            )
        )

    def percent(self, value: float, decimals: int = 0) -> str:
        """`value` is already a percentage: 4.8 -> `4.8%` (en), `4,8 %` (fr)."""
        if abs(value) >= HUGE:
            return self._scientific(value) + ("\u202f%" if self.language == "fr" else "%")
        return _minus(
            format_percent(
                round(value, decimals) / 100, format=self._pattern("percent", decimals), locale=self._locale
            )
        )

    def compact(self, value: float, unit: str | None = None) -> str:
        """A short figure for axes and bars: `41K`, `41,2 k`, `$2.2M`, `2,2 M€`."""
        if abs(value) >= HUGE:
            return self._scientific(value)
        if unit and unit.strip() in CURRENCIES:
            return self._symbol(
                format_compact_currency(
                    value, CURRENCIES[unit.strip()], locale=self._locale, fraction_digits=1
                )
            )
        return _minus(format_compact_decimal(value, locale=self._locale, fraction_digits=1))

    def _scientific(self, value: float) -> str:
        """Beyond what anyone counts (and Babel's decimal precision): 1.2E30."""
        return _minus(format_scientific(value, format="0.##E0", locale=self._locale))

    def amount(self, value: float, unit: str | None, decimals: int = 0) -> str:
        """A figure in its unit: `%`, a currency, or any other word as a suffix (after a
        no-break space, or none for a unit such as `/20`)."""
        if unit == "%":
            return self.percent(value, decimals)
        if unit and unit.strip() in CURRENCIES and abs(value) < HUGE:
            # Money with cents shows both digits: 18 400,50 €, not 18 400,5 €.
            decimals = max(decimals, 2) if decimals else 0
            return self._symbol(
                format_currency(
                    round(value, decimals),
                    CURRENCIES[unit.strip()],
                    format=self._pattern("currency", decimals),
                    locale=self._locale,
                    currency_digits=False,
                )
            )
        text = self.number(value, decimals)
        if unit and unit.startswith("/"):
            return text + unit  # a grade or a rate: 17,5/20, 12/month
        return f"{text}\u00a0{unit}" if unit else text

    def _pattern(self, kind: str, decimals: int) -> str:
        """The locale's own pattern with the user's precision (French `%` after U+202F)."""
        locale = self._locale
        pattern = {
            "decimal": locale.decimal_formats[None],
            "percent": locale.percent_formats[None],
            "currency": locale.currency_formats["standard"],
        }[kind].pattern
        pattern = pattern.split(";")[0]
        fraction = "." + "0" * decimals if decimals else ""
        pattern = re.sub(r"0(\.[0#]+)?", "0" + fraction, pattern, count=1)
        if self.language == "fr":
            pattern = pattern.replace("\u00a0%", "\u202f%")
        return pattern

    def _symbol(self, text: str) -> str:
        """Babel's money with the symbol a French reader expects: `0,31 £`, not `0,31 £GB`."""
        text = _minus(text)
        return text.replace("£GB", "£") if self.language == "fr" else text

    def signed(self, text: str, value: float) -> str:
        if value > 0:
            return "+" + text
        if value < 0 and not text.startswith(("-", "−")):
            return "−" + text
        return text.replace("-", "−", 1) if value < 0 else text


def singular(count: object, language: str) -> bool:
    """Whether `count` takes the singular in `language`: French counts 0 and 1 (and 1,5)
    as one, English only 1 (CLDR's plural rules for cardinal numbers)."""
    try:
        n = abs(float(str(count).replace(",", ".").replace("\u202f", "").replace("\u00a0", "")))
    except ValueError:
        return False
    return n < 2 if language == "fr" else n == 1


def _minus(text: str) -> str:
    """The typographic minus (U+2212) Babel leaves as a hyphen: `−$1,200`, never `-$1,200`."""
    return text.replace("-", "\u2212", 1)
