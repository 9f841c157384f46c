"""Safe YAML loading that remembers the line of every key, and front matter splitting."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

try:  # libyaml is ~9x faster; the pure-Python loader is the same API
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing on this platform
    _Base = yaml.SafeLoader


class YMap(dict):  # type: ignore[type-arg]
    """A mapping from YAML that knows the 1-based line of itself and of each key."""

    line: int = 0
    key_lines: dict[Any, int]
    duplicates: list[tuple[Any, int]]
    # Keys whose value YAML read as empty because it starts with ` #` (a comment):
    # `title: #1 des ventes` -> {"title": "#1 des ventes"}, for the hint.
    comments: dict[Any, str]  # set only where there is one: read with getattr
    # Keys whose plain value a ` #word` on its line cut short (`title: Campagne #NoFilter
    # pour Nike` -> "Campagne"): the key -> (the whole text written, the part left out).
    cut: dict[Any, tuple[str, str]]  # set only where there is one: read with getattr


class YList(list):  # type: ignore[type-arg]
    """A sequence from YAML that knows the 1-based line of itself and of each item."""

    line: int = 0
    item_lines: list[int]


class _Loader(_Base):  # type: ignore[misc, valid-type]
    line_offset = 0
    source_lines: list[str]


def _construct_map(loader: _Loader, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
    data = YMap()
    data.line = node.start_mark.line + 1 + loader.line_offset
    data.key_lines = {}
    data.duplicates = []
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word", key_node.start_mark
            ) from None
        line = key_node.start_mark.line + 1 + loader.line_offset
        if key in data:
            data.duplicates.append((key, line))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line
        if data[key] is None and isinstance(value_node, yaml.ScalarNode) and not value_node.value:
            comment = _comment_after(loader, key_node)
            if comment:
                if not hasattr(data, "comments"):
                    data.comments = {}
                data.comments[key] = comment
        elif cut := _cut_by_comment(loader, key_node, value_node):
            if not hasattr(data, "cut"):
                data.cut = {}
            data.cut[key] = cut


def _cut_by_comment(loader: _Loader, key_node: yaml.Node, value_node: yaml.Node) -> tuple[str, str] | None:
    """(the whole text, the comment) when a plain one-line value on its key's line is
    followed by a ` #word`: a hashtag or a `#1` the writer meant as words. A comment that
    reads as one (`# from the client's email`) is not reported."""
    if not (isinstance(value_node, yaml.ScalarNode) and not value_node.style and value_node.value):
        return None
    start, end = value_node.start_mark, value_node.end_mark
    if not (start.line == end.line == key_node.start_mark.line) or end.line >= len(loader.source_lines):
        return None
    line = loader.source_lines[end.line]
    m = re.match(r"[ \t]+(#\S.*?)\s*$", line[end.column :])
    return (line[start.column :].strip(), m[1]) if m else None


def _comment_after(loader: _Loader, key_node: yaml.Node) -> str:
    """The comment on a key's own line, right after its colon (`title: #1 des ventes`)."""
    index = key_node.end_mark.line
    if index >= len(loader.source_lines) or key_node.end_mark.line != key_node.start_mark.line:
        return ""
    rest = loader.source_lines[index][key_node.end_mark.column :]
    m = re.match(r"\s*:[ \t]+(#.*?)\s*$", rest)
    return m[1] if m else ""


def _construct_seq(loader: _Loader, node: yaml.SequenceNode):  # type: ignore[no-untyped-def]
    data = YList()
    data.line = node.start_mark.line + 1 + loader.line_offset
    data.item_lines = [n.start_mark.line + 1 + loader.line_offset for n in node.value]
    yield data
    data.extend(loader.construct_object(n, deep=True) for n in node.value)


class WrittenFloat(float):
    """A decimal number with the text it was written as (`2.50`): its trailing zeros are the
    precision the user wants shown, which a float forgets."""

    written: str


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    value = float(loader.construct_yaml_float(node))
    if value != value or value in (float("inf"), float("-inf")):
        return value
    written = WrittenFloat(value)
    written.written = str(node.value)
    return written


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # An impossible date (2024-13-45) stays text so validation can name the field.
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return node.value


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:omap", _construct_map)


class YamlError(Exception):
    """Text that is not valid YAML, with the 1-based line of the problem."""

    def __init__(self, message: str, line: int | None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


# A YAML file of ours is a page of settings: far below this many values once every alias
# is expanded. Billion-laughs documents reach billions.
MAX_NODES = 100_000


def load(text: str, line_offset: int = 0) -> Any:
    """Parse YAML safely; lines in the result and in errors are shifted by line_offset."""
    loader = _Loader(text)
    loader.line_offset = line_offset
    loader.source_lines = text.split("\n") if "#" in text else []
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "&" in text:  # no anchor, no alias: the document is no larger than its text
            _check_size(node, line_offset)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        source_line = _line_of(text, mark.line if mark else -1)
        opened = exc.context or ""
        if exc.context_mark and opened.startswith(("while parsing a flow", "while scanning a quoted")):
            # A [ list, { group } or quote left open: the parser notices lines later (often
            # at the closing ---); the line to fix is the one where it opened.
            mark = exc.context_mark
            source_line = _line_of(text, mark.line)
        elif mark and (unclosed := _quote_swallowed(text, mark.line)) is not None:
            # `summary: "Une newsletter…` left open ran on to the next quote, lines later
            # (`role: "Rédactrice"`), and YAML stumbled there: the line to fix is the first.
            at, quote = unclosed
            raise YamlError(
                "invalid YAML: this quote is not closed on its line, so the text runs on to "
                f"the next quote mark, on line {mark.line + 1 + line_offset}",
                at + 1 + line_offset,
                f"close the quote at the end of its line: {_line_of(text, at).strip()}{quote}",
            ) from None
        line = _within(text, mark.line) + 1 + line_offset if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        source_line = source_line or _line_of(text, _within(text, mark.line) if mark else -1)
        if "could not determine a constructor" in str(exc):
            problem = "tags such as !!python are not allowed (only plain YAML)"
        hint = _hint(str(exc), source_line)
        if hint.startswith("a # after a space, [ or ,"):
            problem = "the list is cut short by a #, which YAML reads as the start of a comment"
        first = quoted_line(source_line)
        if first and hint and hint == _value_start(str(exc), source_line):
            if "cannot start any token" in str(exc) or first[1] == "!":
                problem = f"a value cannot start with {first[1]}"
            elif first[1] == "-" and "block sequence entries" in str(exc):
                problem = 'a value cannot start with "- "'
        raise YamlError(f"invalid YAML: {problem}", line, hint) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        raise YamlError(
            f"invalid YAML: character U+{exc.character:04X} is not allowed in text",
            line,
            "remove the invisible control character",
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", None) from None
    except RecursionError:
        raise YamlError("invalid YAML: nested too deeply", None) from None
    finally:
        loader.dispose()


def _quote_swallowed(text: str, error_line: int) -> tuple[int, str] | None:
    """The 0-based line and quote mark of a quoted value that opened on one line and closed
    on `error_line`, where YAML then failed: a quote left open that took in the lines up to
    the next one."""
    before = text.split("\n")[: error_line + 1]
    # Cheap first: a line before that opens a quoted value and does not close it; and only
    # a front matter's size is scanned again (the scanner is pure Python).
    if len(text) > 50_000 or not any(
        (m := _KEY_VALUE.match(line)) and m[2][0] in "\"'" and m[2].count(m[2][0]) % 2 for line in before[:-1]
    ):
        return None
    last = None
    try:
        for token in yaml.scan("\n".join(before), Loader=yaml.SafeLoader):
            if token.start_mark.line > error_line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                last = token
    except yaml.YAMLError:
        pass
    if last and last.start_mark.line < last.end_mark.line == error_line:
        return int(last.start_mark.line), str(last.style)
    return None


def _check_size(root: yaml.Node, line_offset: int) -> None:
    """Refuse a document whose aliases expand to more than MAX_NODES values, before any is
    built (a node's expanded size is counted once, however many aliases point at it)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[key] > MAX_NODES:
                line = node.start_mark.line + 1 + line_offset
                raise YamlError(
                    f"invalid YAML: its aliases (*name) expand to more than {MAX_NODES:,} values",
                    line,
                    "write the values out, or use fewer & anchors and * aliases",
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            line = node.start_mark.line + 1 + line_offset
            raise YamlError("invalid YAML: an alias (*name) refers to the block that holds it", line)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _within(text: str, index: int) -> int:
    """A line index the user can find: past the end of the text (the parser reached it
    looking for a closing ] or }) means the last line that holds anything."""
    lines = text.split("\n")
    if index < len(lines) and lines[index].strip():
        return index
    filled = [i for i, line in enumerate(lines[: index + 1]) if line.strip()]
    return filled[-1] if filled else index


def _line_of(text: str, index: int) -> str:
    lines = text.split("\n")
    return lines[index] if 0 <= index < len(lines) else ""


_KEY_VALUE = re.compile(r"^(\s*(?:- )?[^\s:#{}\[\]\"'][^:#]*:)[ \t]+(\S.*?)\s*$")

# What YAML makes of a value that starts with one of these, in a user's words.
_STARTS = {
    "@": "",  # the message says it
    "`": "",  # the message says it
    "%": "",  # the message says it
    "!": "YAML reads a value that starts with ! as a type tag",
    "&": "YAML reads a value that starts with & as an anchor name",
    "*": "YAML reads a value that starts with * as an alias name",
    "|": "YAML reads a value that starts with | as a block of text on the lines below",
    ">": "YAML reads a value that starts with > as a block of text on the lines below",
    "?": 'YAML reads a value that starts with "? " as a question mark key',
    "-": 'YAML reads "- " as the start of a list',
    "'": "YAML reads a value that starts with a quote as quoted text, which must end there",
    '"': "YAML reads a value that starts with a quote as quoted text, which must end there",
}


def quoted(value: str) -> str:
    """`value` in the quotes YAML reads back as written: double, or single when it holds a
    double quote or a backslash."""
    if '"' in value or "\\" in value:
        return "'" + value.replace("'", "''") + "'"
    return f'"{value}"'


def quoted_line(source_line: str) -> tuple[str, str] | None:
    """`instagram: @lea.design` -> ('instagram: "@lea.design"', '@'): a line `key: value`
    with its value in quotes, and the value's first character."""
    m = _KEY_VALUE.match(source_line)
    if not m or m[2].startswith("#"):
        return None
    key, value = m[1].strip(), m[2]
    return f"{key} {quoted(value)}", value[0]


def _value_start(error: str, source_line: str) -> str:
    """A hint for a value YAML refused because of its first character, or ''."""
    quoted = quoted_line(source_line)
    if not quoted or quoted[1] not in _STARTS or (quoted[1] == "!" and "!!" in source_line):
        return ""
    if quoted[1] in "'\"" and "while scanning a quoted" in error:
        return ""  # a quote left open: the caller's hint says to close it
    if quoted[1] in "-?" and not re.search(r":[ \t]+[-?][ \t]", source_line):
        return ""  # -5 %, ?! are fine
    why = _STARTS[quoted[1]]
    hint = f"put the value in quotes: {quoted[0]}"
    if why:
        hint = f"{why}: {hint}"
    return hint


def _hint(error: str, source_line: str) -> str:
    """What usually causes a YAML error, in a user's words."""
    if "could not determine a constructor" in error:
        return _value_start(error, source_line) if "!!" not in source_line else ""
    if "\t" in source_line or "tab" in error:
        return "indent with spaces, not tabs"
    start = _value_start(error, source_line)
    if start:
        return start
    if "flow" in error and re.search(r"[\[{,][ \t]*#", source_line):
        m = re.match(r"^\s*((?:- )?[^:\[]+:)[ \t]*\[([^\]]*)\]?\s*$", source_line)
        example = '["#brand", "#launch"]'
        if m and '"' not in m[2]:
            example = m[1] + " [" + ", ".join(f'"{item.strip()}"' for item in m[2].split(",")) + "]"
        return f"a # after a space, [ or , starts a comment: put the items in quotes: {example}"
    if "while scanning a quoted" in error:
        return "close the quote: text that starts with a quote mark must end with the same one"
    if re.match(r"^\s*(- )?[\w-]+:\s*[{\[]", source_line) and "while parsing a flow" not in error:
        quoted = quoted_line(source_line)
        return "text that starts with { or [ must be in quotes: " + (
            quoted[0] if quoted else '"{client} on TikTok"'
        )
    if "while parsing a flow sequence" in error:
        return "close the list with ] on that line, and put any item that holds a comma in quotes"
    if "while parsing a flow node" in error:
        return "close the [ or { of that line with ] or }, and put any text that holds a comma in quotes"
    if "while parsing a flow mapping" in error:
        return "close the group with } on that line, and put any value that holds a comma in quotes"
    if "expected key" in error or "expected <block end>" in error:
        return "check the indentation: the fields of one group start in the same column"
    if "mapping values are not allowed" in error:
        quoted = quoted_line(source_line)
        if quoted and re.search(r"\S[ \t]*:[ \t]", source_line[len(quoted[0].split(" ")[0]) :]):
            return f'text that contains ": " must be in quotes: {quoted[0]}'
        return 'text that contains ": " must be in quotes, or check the indentation'
    if "expected ','" in error:
        return "text with commas inside [ ] or { } must be in quotes"
    return ""


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown file split into its YAML header and its body."""

    data: Any
    body: str
    body_line: int  # 1-based line of the body's first line in the file


_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def split_front_matter(text: str, parse: Callable[[str, int], Any] | None = None) -> FrontMatter:
    """Split `---` front matter from a Markdown file's text (BOM and CRLF already removed);
    `parse` (default: `load`) reads the YAML, with its line offset."""
    lines = text.split("\n")
    if not lines or not re.match(r"^---[ \t]*$", lines[0]):
        raise YamlError("expected front matter: the file must start with a line `---`", 1)
    for i in range(1, len(lines)):
        if _FENCE.match(lines[i]):
            header = "\n".join(lines[1:i])
            data = (parse or load)(header, 1) if header.strip() else None
            if data is None:
                data = YMap()
                data.line, data.key_lines, data.duplicates = 1, {}, []
            return FrontMatter(data, "\n".join(lines[i + 1 :]), i + 2)
    raise YamlError("front matter is not closed: add a line `---` after the last field", 1)


def read_text(raw: bytes) -> str:
    """Decode a UTF-8 source file, dropping a BOM and normalising line ends."""
    text = raw.decode("utf-8")  # UnicodeDecodeError is reported by the caller
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


# -- the parsed YAML as JSON, for the cache (a cached front matter is 6x faster to read) ------


class NotPlain(TypeError):
    """A value JSON cannot hold as it is (a !!set, !!binary): such a file is not cached."""


def to_plain(data: Any) -> Any:
    """The parsed YAML, lines included, as values JSON holds; raises NotPlain for others."""
    return _plain(data)


def from_plain(plain: Any) -> Any:
    """The parsed YAML back from `to_plain`; raises ValueError, TypeError, KeyError or
    IndexError when `plain` is not what `to_plain` makes."""
    return _unplain(plain)


def _plain(value: Any) -> Any:
    # Every mapping and sequence of ours is a YMap or a YList, so a JSON list is always a
    # tagged value: ["M", line, [[key, line, value]...], duplicates], ["L", line, lines, items].
    if isinstance(value, YMap):
        items = [[_plain(k), value.key_lines[k], _plain(v)] for k, v in value.items()]
        plain = ["M", value.line, items, [[_plain(k), line] for k, line in value.duplicates]]
        comments = getattr(value, "comments", {})
        cut = getattr(value, "cut", {})
        if comments or cut:  # only then: the cache of every other file is unchanged
            plain.append([[_plain(k), c] for k, c in comments.items()])
        if cut:
            plain.append([[_plain(k), whole, comment] for k, (whole, comment) in cut.items()])
        return plain
    if isinstance(value, YList):
        return ["L", value.line, list(value.item_lines), [_plain(v) for v in value]]
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, WrittenFloat):
        return ["F", repr(value), value.written]
    if isinstance(value, float):
        return ["F", repr(value)]  # inf, nan and -0.0 kept
    if isinstance(value, dt.datetime):
        return ["T", value.isoformat()]
    if isinstance(value, dt.date):
        return ["D", value.isoformat()]
    raise NotPlain(type(value).__name__)


def _unplain(value: Any) -> Any:
    if type(value) is not list:
        if value is None or isinstance(value, str | bool | int):
            return value
        raise TypeError(type(value).__name__)
    tag = value[0]
    if tag == "M":
        mapping = YMap()
        mapping.line, mapping.key_lines = int(value[1]), {}
        mapping.duplicates = [(_unplain(k), int(line)) for k, line in value[3]]
        if len(value) > 4 and value[4]:
            mapping.comments = {_unplain(k): str(c) for k, c in value[4]}
        if len(value) > 5:
            mapping.cut = {_unplain(k): (str(whole), str(c)) for k, whole, c in value[5]}
        for k, line, v in value[2]:
            key = _unplain(k)
            mapping[key] = _unplain(v)
            mapping.key_lines[key] = int(line)
        return mapping
    if tag == "L":
        items = YList(_unplain(v) for v in value[3])
        items.line, items.item_lines = int(value[1]), [int(n) for n in value[2]]
        return items
    if tag == "F":
        if len(value) == 3:
            written = WrittenFloat(value[1])
            written.written = str(value[2])
            return written
        return float(value[1])
    if tag == "T":
        return dt.datetime.fromisoformat(value[1])
    if tag == "D":
        return dt.date.fromisoformat(value[1])
    raise ValueError(f"unknown tag {tag!r}")
