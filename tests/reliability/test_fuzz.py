"""Property-based fuzzing (hypothesis) of the parts that read what users write and of the
parts that must never leak: the front-matter splitter, the YAML loader (aliases, depth,
size), the slugifier, the path resolver and the output paths, the consent parser, the leak
guard's normaliser, the CSV reader, the chart engine, and `{client}`'s grammar and French
typography.

The CI profile (tests/conftest.py) runs 200 examples of each cheap property in a bounded
time; `HYPOTHESIS_PROFILE=long` runs 25 times as many. Bugs these found are fixed in the
product; each property says what it holds to.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from conftest import examples
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from portfolio.charts import chart_svg
from portfolio.content import CLIENT_CONSENT, _client
from portfolio.errors import PortfolioError, Problems
from portfolio.exports import CsvError, load_csv
from portfolio.fields import Fields, Source
from portfolio.grammar import PLACEHOLDER, fill
from portfolio.leakguard import _LEGAL_SUFFIXES, NameFinder, hidden_name
from portfolio.locale import Formatter, load_words
from portfolio.metrics import Metric, Point, decimals_of
from portfolio.output import _safe_rel
from portfolio.paths import publish_problem, resolve
from portfolio.slugs import MAX_LENGTH, check_slug, is_windows_reserved, slugify
from portfolio.themes import bundled_dir
from portfolio.typography import NBSP, NNBSP, french, typeset
from portfolio.yamlfile import MAX_NODES, YamlError, YMap, load, read_text, split_front_matter

# -- front matter -------------------------------------------------------------------------------

KEYS = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True).filter(lambda k: k not in ("y", "n", "on", "no"))
SCALARS = st.one_of(
    # Not YAML's own line breaks (U+2028, U+2029, NEL) or a byte-order mark: YAML folds them.
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"),
        max_size=30,
    ),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4))
MAPPINGS = st.dictionaries(KEYS, VALUES, min_size=1, max_size=8)
BODY_LINES = st.lists(
    st.sampled_from(["", "---", "Text.", "## Heading", "- item", "...", "--- ", "key: value"])
)


@given(
    MAPPINGS,
    BODY_LINES,
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
    st.sampled_from(["---", "...", "--- "]),
)
def test_the_front_matter_splitter_gives_back_fields_body_and_lines(
    data: dict[str, object], body_lines: list[str], newline: str, bom: bool, closing: str
) -> None:
    """Any mapping, written as YAML between fences, with any body (`---` lines included),
    any line ends and a BOM or not, comes back as the same fields and the same body; each
    key's line is its line in the file, counting the opening `---`."""
    header = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    text = "---\n" + header + closing + "\n" + "\n".join(body_lines)
    raw = ("\ufeff" if bom else "") + text.replace("\n", newline)
    front = split_front_matter(read_text(raw.encode("utf-8")))
    assert dict(front.data) == data
    assert front.body == "\n".join(body_lines)
    header_lines = header.count("\n")
    assert front.body_line == header_lines + 3
    lines = text.split("\n")
    for key, line in front.data.key_lines.items():
        assert lines[line - 1].startswith(f"{key}:") or lines[line - 1].startswith(f"'{key}':"), (key, line)


FRONT_ALPHABET = st.sampled_from(
    [*list("-:.[]{}'\"#&*!|>%@` \t\na1é\u2028\x00\ufeff"), "---", "\n---\n", "...", "- ", ": "]
)


@given(st.lists(FRONT_ALPHABET, max_size=60).map("".join))
def test_the_front_matter_splitter_fails_only_with_a_clear_error(text: str) -> None:
    """Arbitrary text is split or refused with a YamlError (a line and a message), never
    another exception."""
    try:
        split_front_matter(text.replace("\r", "\n"))
    except YamlError as exc:
        assert exc.message and (exc.line is None or exc.line >= 1)


# -- YAML: aliases, depth, size -----------------------------------------------------------------


@given(st.lists(st.integers(1, 12), min_size=1, max_size=9), st.booleans())
def test_yaml_aliases_are_refused_past_the_limit_and_never_expanded_first(
    widths: list[int], use: bool
) -> None:
    """A chain of anchors, each a list of `width` aliases to the one before (billion laughs
    and its smaller cousins): refused when it expands past MAX_NODES values, loaded
    otherwise; either way without building the expansion first."""
    lines = ["_0: &a0 [lol, lol]"]
    for i, width in enumerate(widths, 1):
        lines.append(f"_{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    if use:
        lines.append(f"tags: *a{len(widths)}")
    size = 3  # the first list and its two items, as the loader counts values
    document = 1 + 1 + size  # the mapping, the first key and its list
    for width in widths:
        size = 1 + width * size
        document += 1 + size
    if use:
        document += 1 + size
    try:
        loaded = load("\n".join(lines), 1)
    except YamlError as exc:
        assert "aliases (*name) expand to more than" in exc.message and exc.line is not None
        assert document > MAX_NODES, document  # refused only when it is too big
    else:
        assert document <= MAX_NODES, document
        assert isinstance(loaded, YMap)


@given(st.integers(1, 5000), st.sampled_from(["[", "{a: ", "- "]))
def test_yaml_nesting_of_any_depth_loads_or_is_refused(depth: int, opener: str) -> None:
    """Lists, mappings or block items nested to any depth load or give a YamlError
    (libyaml's depth limit), never a RecursionError or a crash."""
    if opener == "[":
        text = "a: " + "[" * depth + "]" * depth
    elif opener == "{a: ":
        text = "a: " + "{a: " * depth + "1" + "}" * depth
    else:
        text = "a:\n" + "".join("  " * i + "- \n" for i in range(min(depth, 400)))
    try:
        load(text)
    except YamlError as exc:
        assert exc.message.startswith("invalid YAML")


@settings(max_examples=examples(20))
@given(st.integers(10_000, 2_000_000), st.sampled_from(["a", "é", "\u202f", "x y "]))
def test_yaml_of_any_size_loads_in_bounded_time(size: int, unit: str) -> None:
    """A long value (up to 2 MB) loads, or is refused, and does not take seconds."""
    import time

    started = time.perf_counter()
    data = load("title: " + unit * (size // len(unit)))
    assert isinstance(data, YMap) and time.perf_counter() - started < 5


# -- slugs and output paths -------------------------------------------------------------------------


@given(st.text(max_size=120))
def test_slugify_gives_a_url_word_or_nothing(text: str) -> None:
    """Any text becomes lowercase ASCII words joined by single hyphens, at most MAX_LENGTH
    characters, or nothing; slugifying a slug changes nothing."""
    slug = slugify(text)
    assert slug == "" or re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug), slug
    assert len(slug) <= MAX_LENGTH and slugify(slug) == slug


@given(
    st.one_of(
        st.text(max_size=100),
        st.sampled_from(["../../x", "%2e%2e%2f", "/x", "C:\\x", "a\0b", "CON", "lpt1", ".."]),
    )
)
def test_an_explicit_slug_is_a_safe_url_word_or_refused(value: str) -> None:
    """A user's `slug:` is accepted only as a single safe URL word (never a path, a
    reserved Windows name or a percent-escape), with a reason when refused."""
    slug, problem = check_slug(value)
    if slug:
        assert not problem and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)
        assert not any(c in value for c in "/\\\0%:") and ".." not in value
        assert not is_windows_reserved(slug) and len(slug) <= MAX_LENGTH
    else:
        assert problem


SEGMENTS = st.sampled_from(
    ["..", ".", "", "a", "b.html", "x y", "%2e%2e", "\\..", "/", "~", "é", "CON", "a\0b"]
)


@given(st.lists(SEGMENTS, min_size=1, max_size=8).map("/".join))
def test_every_output_path_the_writer_accepts_stays_inside_the_output(rel: str) -> None:
    """The writer's own check refuses any output path that could leave the staging folder;
    those it accepts stay inside it once joined and normalised."""
    try:
        safe = _safe_rel(rel)
    except PortfolioError:
        return
    joined = os.path.normpath(os.path.join("/stage", safe))
    assert joined.startswith("/stage/") and "\0" not in safe


@pytest.fixture(scope="module")
def tree_with_links() -> Path:
    """A site with files inside, a file beside it, and links: inside, outside, to /etc,
    to a file outside, and a loop."""
    base = Path(tempfile.mkdtemp(prefix="portfolio-paths-"))
    site = base / "site"
    for rel in (
        "content/images/in.jpg",
        "content/case-studies/x/photo.jpg",
        "static/s.txt",
        "portfolio.yaml",
    ):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(b"x")
    (base / "outside.jpg").write_bytes(b"secret")
    (base / "site-old").mkdir()
    (base / "site-old/near.jpg").write_bytes(b"secret")
    os.symlink("/etc", site / "content/etc")
    os.symlink(base / "outside.jpg", site / "content/out.jpg")
    os.symlink(site / "static", site / "content/static-link")
    os.symlink("loop-b", site / "content/loop-a")
    os.symlink("loop-a", site / "content/loop-b")
    os.symlink(base / "site-old", site / "content/old")
    return site


PATH_PARTS = st.sampled_from(
    [
        "..",
        ".",
        "content",
        "images",
        "in.jpg",
        "case-studies",
        "x",
        "photo.jpg",
        "etc",
        "passwd",
        "hostname",
        "out.jpg",
        "static-link",
        "s.txt",
        "loop-a",
        "old",
        "near.jpg",
        "site",
        "site-old",
        "outside.jpg",
        "portfolio.yaml",
        "%2e%2e",
        "",
        "~",
    ]
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(PATH_PARTS, min_size=1, max_size=7), st.booleans(), st.sampled_from(["images", "case-studies/x"])
)
def test_every_resolved_path_stays_inside_the_site(
    tree_with_links: Path, parts: list[str], rooted: bool, base: str
) -> None:
    """Any path a user writes (`..`, links to /etc, to a file outside, to a sibling named
    like the site, loops), from any folder, resolves to an existing file inside the site or
    is refused with a reason; what resolves outside content/ is never publishable."""
    site = tree_with_links
    value = ("/" if rooted else "") + "/".join(parts)
    path, problem = resolve(value, site / "content" / base, site / "content", site)
    if path is None:
        assert problem
        return
    real = Path(os.path.realpath(path))
    assert real.is_relative_to(os.path.realpath(site)) and real.is_file(), (value, real)
    if not real.is_relative_to(os.path.realpath(site / "content")):
        assert publish_problem(real, site / "content")


# -- consent ------------------------------------------------------------------------------------

CONSENT_VALUES = st.one_of(
    st.sampled_from(
        [
            *CLIENT_CONSENT,
            "Granted",
            "granted ",
            " granted",
            "GRANTED",
            "yes",
            "no",
            "on",
            "off",
            "true",
            "~",
            "null",
            "",
            "'granted'",
            '"granted"',
            "[granted]",
            "{granted: true}",
            "1",
            "0",
            "grant",
            "denied.",
            "pending\u200b",
            "gr\u0430nted",
        ]
    ),
    st.text(max_size=12).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
)


@given(CONSENT_VALUES)
def test_only_the_exact_consent_words_count(written: str) -> None:
    """`consent:` is read as one of the exact words (nothing, or null, is `pending`), and
    anything else (yes, Granted, a trailing space, a Cyrillic а, a list...) is an error that
    publishes nothing of the client; the consent note is never kept."""
    text = f"name: Acme Rockets\nconsent: {written}\nconsent_note: NOTE-SENTINEL\nanonymized_as: A firm\n"
    try:
        data = load(text, 5)
    except YamlError:
        return  # invalid YAML is refused before any consent is read
    problems = Problems()
    f = Fields(data, Source("x.md", problems, Path("/site"), Path("/site/content")), "client")
    client = _client(f)
    value = data.get("consent")
    if value is None or (isinstance(value, str) and value in CLIENT_CONSENT):
        assert client is not None and not problems.errors
        assert client.consent == (value or "pending")
        assert "NOTE-SENTINEL" not in repr(client)
    else:
        assert client is None
        assert [e.field for e in problems.errors] == ["client.consent"], problems.errors
        assert problems.errors[0].line == 7


# -- the leak guard's normaliser ----------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyz"
ACCENTED = {"a": "àâä", "e": "éèêë", "i": "îï", "o": "ôö", "u": "ùûü", "c": "ç", "n": "ñ"}
WORDS = st.text(LETTERS, min_size=3, max_size=9).filter(lambda w: w not in _LEGAL_SUFFIXES and w != "the")
NAMES = st.lists(WORDS, min_size=1, max_size=3, unique=True).map(
    lambda ws: " ".join(w.capitalize() for w in ws)
)
SEPARATORS = [
    " ",
    "\u00a0",
    "  ",
    "-",
    "_",
    ".",
    "\n",
    "&nbsp;",
    "%20",
    "\u200b ",
    "·",
    " – ",
    "&#32;",
    "\t",
    "/",
    "\u202f",
    "\\u0020",
]
TAG_SEPARATORS = ["<em></em> ", "<br>", "</span> <span>", " <b>", " <!-- --> ", "</p><p>"]


@st.composite
def disguised(draw: st.DrawFn, markup: bool = False) -> tuple[str, str]:
    """A hidden name, and how a user or a template might write it: any casing, accents
    (precomposed or combining), compatibility forms, invisible marks, entities, JSON and
    percent escapes (once or twice), any spacing or punctuation between its words (and in
    `markup`, tags between them)."""
    name = draw(NAMES)
    words = []
    for word in name.split(" "):
        out = ""
        for c in word:
            c = c.upper() if draw(st.booleans()) else c.lower()
            form = draw(
                st.sampled_from(
                    [
                        "plain",
                        "accent",
                        "combining",
                        "entity",
                        "hex",
                        "fullwidth",
                        "json",
                        "soft-hyphen",
                        "zero-width",
                        "strike",
                    ]
                )
            )
            if form == "accent" and c.lower() in ACCENTED:
                c = draw(st.sampled_from(ACCENTED[c.lower()]))
            elif form == "combining":
                c += "\u0301"
            elif form == "entity":
                c = f"&#{ord(c)};"
            elif form == "hex":
                c = f"&#x{ord(c):x};"
            elif form == "fullwidth":
                c = chr(ord(c) + 0xFEE0)
            elif form == "json":
                c = f"\\u{ord(c):04x}"
            elif form == "soft-hyphen":
                c += "\u00ad"
            elif form == "zero-width":
                c += "\u200b"
            elif form == "strike":
                c += "\u0336"
            out += c
        words.append(out)
    separators = SEPARATORS + (TAG_SEPARATORS if markup else [])
    text = words[0]
    for word in words[1:]:
        text += draw(st.sampled_from(separators)) + word
    encoding = draw(st.sampled_from(["none", "percent", "percent-twice"]))
    if markup and any(t in text for t in TAG_SEPARATORS):
        encoding = "none"  # a percent-encoded tag is text, not a tag
    if encoding == "percent":
        text = quote(text, safe="")
    elif encoding == "percent-twice":
        text = quote(quote(text, safe=""), safe="")
    return name, text


SENTENCES = (
    st.sampled_from(["", "We worked with ", "Merci à ", "« ", "(", "#"]),
    st.sampled_from(["", " last year.", "!", " »", ")", "'s shop"]),
)


@given(disguised(), *SENTENCES)
def test_the_leak_guard_finds_a_hidden_name_however_it_is_written(
    disguise: tuple[str, str], before: str, after: str
) -> None:
    """In text (a field, a Markdown line): a hidden name in any casing, with accents,
    compatibility letters, invisible marks, entities, JSON or percent escapes, and any
    spacing or punctuation between its words, in any sentence, is found."""
    name, text = disguise
    finder = NameFinder([hidden_name(name, "anonymized", "x.md")])
    assert finder.find(before + text + after) is not None, (name, before + text + after)


@given(disguised(markup=True), *SENTENCES, st.sampled_from(["p", "a", "title", "h1", "li"]))
def test_the_leak_guard_finds_a_hidden_name_in_any_output_markup(
    disguise: tuple[str, str], before: str, after: str, tag: str
) -> None:
    """In an output page (read as the guard reads HTML): the same spellings, also split by
    inline or empty tags, comments and line breaks, inside any element, are found."""
    name, text = disguise
    finder = NameFinder([hidden_name(name, "anonymized", "x.md")])
    page = f"<!doctype html><{tag}>{before}{text}{after}</{tag}>".encode()
    assert finder.find_in_file("case-studies/x/index.html", page) is not None, (name, page)


@given(WORDS, st.text(LETTERS, min_size=1, max_size=3), st.sampled_from(["", "ing", "ment", "o"]))
def test_the_leak_guard_finds_whole_words_only(word: str, prefix: str, suffix: str) -> None:
    """A hidden name glued inside a longer word (`Lune` in `Lunettes`, `Halden` in
    `Xhaldening`) is not the name: only whole words are."""
    finder = NameFinder([hidden_name(word.capitalize(), "anonymized", "x.md")])
    assert finder.find(f"We sold {prefix}{word}{suffix} today.") is None
    assert finder.find(f"We sold {word} today.") is not None


# -- CSV ----------------------------------------------------------------------------------------

DATE_STYLES = {"iso": "%Y-%m-%d", "ga4": "%Y%m%d", "slashes": "%d/%m/%Y", "dots": "%d.%m.%Y"}


@st.composite
def exports(draw: st.DrawFn) -> tuple[bytes, list[Point], str, str]:
    """A table as analytics tools export it, within SPEC.md's conventions: a delimiter and
    the decimal mark the locale implies, thousands grouped or not, dates in four shapes,
    GA4 comment lines, an encoding, line ends, a byte-order mark."""
    count = draw(st.integers(2, 12))
    days = sorted(draw(st.sets(st.integers(0, 3000), min_size=count, max_size=count)))
    dates = [dt.date(2018, 1, 1) + dt.timedelta(days=d) for d in days]
    decimals = draw(st.integers(0, 2))
    values = [round(draw(st.floats(-1e6, 1e7, allow_nan=False)), decimals) for _ in dates]
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    mark = "," if delimiter == ";" else "."
    group = draw(st.sampled_from(["", " ", "\u00a0", "\u202f"] + ([".", ""] if mark == "," else [","])))
    style = draw(st.sampled_from(list(DATE_STYLES)))

    def number(v: float) -> str:
        sign = "-" if v < 0 else ""
        whole, _, frac = f"{abs(v):.{decimals}f}".partition(".")
        grouped = f"{int(whole):,}".replace(",", group) if group else whole
        text = sign + grouped + (mark + frac if frac else "")
        return f'"{text}"' if delimiter in text else text

    rows = [f"Date{delimiter}Sessions"]
    rows += [
        f"{d.strftime(DATE_STYLES[style])}{delimiter}{number(v)}" for d, v in zip(dates, values, strict=True)
    ]
    if draw(st.booleans()):
        rows = ["# ----------------------------------------", "# Account: Test", "#", *rows]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(rows) + newline
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    data = (
        text.encode(encoding, errors="strict")
        if encoding != "cp1252"
        else text.encode("cp1252", errors="replace")
    )
    if encoding == "cp1252" and "\u202f" in text:
        assume(False)  # Windows-1252 has no narrow no-break space
    return data, [Point(d, float(v)) for d, v in zip(dates, values, strict=True)], "Date", "Sessions"


@settings(max_examples=examples(100))
@given(exports())
def test_the_csv_reader_gives_back_every_exported_point(export: tuple[bytes, list[Point], str, str]) -> None:
    """An export within SPEC.md's conventions loads to exactly the points written."""
    data, points, x, y = export
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as f:
        f.write(data)
    try:
        loaded = load_csv(Path(f.name), x, y, None, False)
    finally:
        os.unlink(f.name)
    assert [(p.x, p.y) for p in loaded] == [(p.x, pytest.approx(p.y)) for p in points], data[:300]


@settings(max_examples=examples(100))
@given(
    st.binary(max_size=400)
    | st.lists(
        st.sampled_from(
            [
                "Date",
                ",",
                ";",
                "\t",
                "\n",
                "\r",
                '"',
                "#",
                "1",
                "2024-01-0",
                "1,5",
                " ",
                "€",
                "%",
                "\x00",
                "é",
                "(",
                ")",
                "-",
            ]
        ),
        max_size=60,
    ).map(lambda p: "".join(p).encode())
)
def test_the_csv_reader_reads_or_names_the_problem(data: bytes) -> None:
    """Any bytes load to points or raise a CsvError (with a message, and a line when
    there is one), never another exception."""
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as f:
        f.write(data)
    try:
        points = load_csv(Path(f.name), None, None, None, True)
    except CsvError as exc:
        assert exc.message
    else:
        assert all(math.isfinite(p.y) for p in points)
    finally:
        os.unlink(f.name)


# -- charts -------------------------------------------------------------------------------------

FORMATTERS = {lang: Formatter(lang, load_words([bundled_dir() / "default"], lang)) for lang in ("en", "fr")}
HOSTILE_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
) | st.sampled_from(["<script>alert(1)</script>", "]]>", "&amp;", "\u2028", "</svg>", "' onload='x"])


@settings(max_examples=examples(60))
@given(
    values=st.lists(st.floats(-1e12, 1e12, allow_nan=False), min_size=2, max_size=20),
    chart=st.sampled_from(["line", "area", "bar"]),
    label=HOSTILE_TEXT,
    unit=st.sampled_from([None, "%", "€", "$", "followers", "<b>", "&"]),
    language=st.sampled_from(["en", "fr"]),
    confidential=st.booleans(),
    categories=st.lists(HOSTILE_TEXT.filter(bool), min_size=20, max_size=20, unique=True),
)
def test_any_chart_is_well_formed_svg_with_its_words_as_text(
    values: list[float],
    chart: str,
    label: str,
    unit: str | None,
    language: str,
    confidential: bool,
    categories: list[str],
) -> None:
    """Any series (values, hostile label, unit and categories, either language,
    confidential or not) draws as well-formed SVG, with only the elements a chart uses: a
    label's markup is text, never an element or an attribute."""
    if chart == "bar":
        xs: list[dt.date | str] = list(categories[: len(values)])
    else:
        xs = [dt.date(2024, 1, 1) + dt.timedelta(days=30 * i) for i in range(len(values))]
    metric = Metric(
        label,
        "series",
        points=tuple(Point(x, y) for x, y in zip(xs, values, strict=True)),
        chart=chart,
        unit=unit,
        decimals=decimals_of(*values),
        confidential=confidential,
    )
    svg = chart_svg(metric, FORMATTERS[language])
    root = ET.fromstring(f'<root xmlns="http://www.w3.org/2000/svg">{svg}</root>')
    allowed = {
        "svg",
        "title",
        "desc",
        "g",
        "line",
        "rect",
        "path",
        "polyline",
        "polygon",
        "circle",
        "text",
        "tspan",
        "defs",
        "pattern",
        "clipPath",
        "linearGradient",
        "stop",
        "use",
        "a",
        "root",
        "table",
        "tr",
        "td",
        "th",
    }
    for element in root.iter():
        tag = element.tag.split("}")[-1]
        assert tag in allowed, tag
        assert not [a for a in element.attrib if a.lower().startswith("on")], element.attrib


# -- grammar and typography -----------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        PLACEHOLDER,
        "de ",
        "De ",
        "à ",
        "À ",
        "le ",
        "les ",
        "que ",
        " ",
        ". ",
        "\n\n",
        "# ",
        "- ",
        "| ",
        "> ",
        "la campagne ",
        "Les clients ",
        "**",
        "_",
        "[",
        "](x)",
        "« ",
        " »",
        "(",
        "—",
        "\u00a0",
        "!",
        "d’",
        "Jean-",
    ]
)
ALIASES = st.sampled_from(
    [
        "une brasserie",
        "les cafés du port",
        "le garage",
        "Orange",
        "Hermès",
        "l'atelier",
        "un atelier",
        "Hachette",
        "Yves Rocher",
        "huit cafés",
        "a bike shop",
        "An agency",
    ]
)
BAD_JOIN = re.compile(
    r"(?i)(?<![\w'’-])(de|à) (le|les) "
    r"|(?<![\w'’-])(de|que|le|la) (une?|orange|hermès|atelier)\b"
)


@given(st.lists(PIECES, max_size=14).map("".join), ALIASES, st.booleans())
def test_french_elisions_and_contractions_are_made_wherever_the_placeholder_stands(
    text: str, name: str, alias: bool
) -> None:
    """`de {client}` never reads `de une`, `de le`, `à les`...: elision and contraction are
    made after any mark that is not part of a word (`**de {client}**`, `[de {client}](...)`,
    `—de`), as a French writer would; no placeholder is left."""
    assume(not BAD_JOIN.search(text.replace(PLACEHOLDER, "X")))
    out = fill(text, name, "fr", alias)
    assert PLACEHOLDER not in out
    assert not BAD_JOIN.search(out), (text, name, out)


@given(
    st.lists(PIECES, max_size=14).map("".join),
    st.sampled_from(["Maison Lune", "Brasserie Nord", "Studio Kay"]),
    st.sampled_from(["fr", "en"]),
)
def test_a_real_name_that_needs_no_elision_is_written_as_is(text: str, name: str, language: str) -> None:
    """A client's real name starting with a consonant and no article replaces the
    placeholder as written, in either language; nothing else of the text changes."""
    assert fill(text, name, language, alias=False) == text.replace(PLACEHOLDER, name)


@given(
    st.lists(PIECES, max_size=14).map("".join), st.sampled_from(["a bike shop", "An agency", "the bakery"])
)
def test_an_english_alias_only_changes_its_first_letters_case(text: str, alias: str) -> None:
    """In English an alias is written as given, its first letter capitalised where a
    sentence starts and lowered after one (an article mid-sentence)."""
    out = fill(text, alias, "en", alias=True)
    variants = {alias, alias[0].upper() + alias[1:], alias[0].lower() + alias[1:]}
    pattern = re.escape(text).replace(re.escape(PLACEHOLDER), "(" + "|".join(map(re.escape, variants)) + ")")
    assert re.fullmatch(pattern, out, re.S), (text, out)


SPACES = " \u00a0\u2009\u202f"
TYPO = st.sampled_from(
    [
        *list("aé1 2:;!?«»%‰€$£.,-'’\n\xa0\u202f\u2009*_()[]\"”“/@#…"),
        "https://x.fr/a?b=1;c:d",
        "www.x.fr",
        "a@b.fr",
        "10:30",
        ":-)",
        ";)",
        "1 000",
        " €",
        "mailto:a@b.fr",
        "Note :",
        "x:y",
        "12 h 30",
        "100 %",
        "« cité »",
    ]
)


@given(st.lists(TYPO, max_size=40).map("".join))
def test_french_typography_only_changes_spaces_and_is_stable(text: str) -> None:
    """French typography adds or changes spaces and makes apostrophes typographic only
    (every other character as written), applying it twice changes nothing more, and
    English text is left exactly as written."""
    once = french(text)

    def letters(s: str) -> str:
        return "".join(c for c in s if c not in SPACES).replace("\u2019", "'")

    assert letters(once) == letters(text)
    assert french(once) == once, (text, once)
    assert typeset(text, "en") == text


@given(
    st.lists(TYPO, max_size=15).map("".join),
    st.sampled_from(
        [
            "https://ex.fr/a:b;c?d=1!",
            "www.x.fr/p?q=1:2",
            "a.b@c.fr",
            "mailto:hello@x.fr",
            "http://localhost:8000/",
        ]
    ),
    st.lists(TYPO, max_size=15).map("".join),
)
def test_french_typography_leaves_addresses_as_written(before: str, address: str, after: str) -> None:
    """A web or e-mail address inside French text keeps every character (no space is put
    before its `:`, `;`, `?` or `!`)."""
    assert address in french(before + " " + address + " " + after)


@given(st.integers(1000, 10**9), st.sampled_from(["€", "abonnés", "%", "clics"]))
def test_french_numbers_keep_their_unit_and_groups_together(number: int, unit: str) -> None:
    """`1 903 abonnés`, `18 400 €`, `4 %`: groups of thousands joined by narrow no-break
    spaces and the unit by a no-break space (narrow before %), so no line breaks inside."""
    written = f"{number:,}".replace(",", " ") + " " + unit
    out = french(written)
    assert " " not in out
    assert out.replace(NNBSP, "").replace(NBSP, "") == written.replace(" ", "")
    assert unicodedata.normalize("NFC", out) == out
