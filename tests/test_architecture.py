"""Architecture: the modules of `portfolio/` import each other without cycles or private names.

DESIGN.md asks for small modules with one job and data that flows one way. Two rules keep it so,
checked here by reading every module's source with `ast` (nothing is imported or run):

- no import cycle between modules of the package, counting every import: at the top of a
  module, inside a function (a lazy import still ties the two modules together), under
  `if TYPE_CHECKING:`, relative (`from .x import y`, `from . import x`) or absolute
  (`import portfolio.x`, `from portfolio.x import y`);
- no module takes a private name (`_name`, not `__dunder__`) from another module of the
  package, neither as `from .x import _name` nor as `x._name` after `from . import x`. What two
  modules share is public in a module of its own.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

PACKAGE = "portfolio"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE


@dataclass(frozen=True)
class Edge:
    """One import of module `target` by module `source`, at `line`, of the names `names`."""

    source: str
    target: str
    line: int
    names: tuple[str, ...]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


@dataclass(frozen=True)
class Module:
    name: str
    tree: ast.Module
    is_package: bool  # an __init__.py: its relative imports start from itself


@cache
def read(name: str) -> Module:
    path = modules()[name]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return Module(name, tree, path.name == "__init__.py")


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def resolve(module: Module, node: ast.ImportFrom) -> str:
    """The absolute module named by `from <module> import ...` in `module`."""
    if node.level == 0:
        return node.module or ""
    base = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(module: Module, known: Collection[str]) -> Iterator[Edge]:
    """Every import of a package module by `module`, wherever it stands in the file."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield Edge(module.name, alias.name, node.lineno, ())
        elif isinstance(node, ast.ImportFrom):
            target = resolve(module, node)
            if target not in known:
                continue
            names: list[str] = []
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in known:  # `from . import images` imports the module images
                    yield Edge(module.name, submodule, node.lineno, ())
                else:
                    names.append(alias.name)
            if names:
                yield Edge(module.name, target, node.lineno, tuple(names))


def private_uses(module: Module, known: Collection[str]) -> list[str]:
    """`from .x import _name`, and `x._name` after `from . import x` or `import portfolio.x as x`."""
    found = [
        f"line {edge.line}: from {edge.target} import {member}"
        for edge in imports(module, known)
        if edge.target != module.name
        for member in edge.names
        if is_private(member)
    ]
    bound: dict[str, str] = {}  # local name -> the package module it is
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom):
            target = resolve(module, node)
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    bound[alias.asname or alias.name] = f"{target}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known and alias.asname:
                    bound[alias.asname] = alias.name
    found += [
        f"line {node.lineno}: {node.value.id}.{node.attr}"
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and bound.get(node.value.id, module.name) != module.name
        and is_private(node.attr)
    ]
    return found


def graph() -> list[Edge]:
    known = modules()
    return [edge for name in known for edge in imports(read(name), known)]


def cycles(edges: list[Edge]) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module importing itself)."""
    successors: dict[str, set[str]] = {}
    for edge in edges:
        successors.setdefault(edge.source, set()).add(edge.target)
        successors.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan; the package is small enough for recursion
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(successors[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in successors[node]:
                found.append(sorted(component))

    for node in sorted(successors):
        if node not in index:
            visit(node)
    return sorted(found)


def describe(component: list[str], edges: list[Edge]) -> str:
    inside = set(component)
    lines = [
        f"  {edge.source} -> {edge.target} (line {edge.line}"
        + (f": {', '.join(edge.names)})" if edge.names else ")")
        for edge in edges
        if edge.source in inside and edge.target in inside
    ]
    return " <-> ".join(component) + "\n" + "\n".join(sorted(set(lines)))


def test_the_scan_sees_the_whole_package() -> None:
    """A scan that found nothing could not fail: it must see the modules and their imports."""
    known = modules()
    assert {"portfolio", "portfolio.build", "portfolio.images", "portfolio.cli"} <= set(known)
    edges = graph()
    assert len(edges) > 100
    found = {(edge.source, edge.target) for edge in edges}
    assert ("portfolio.recipe", "portfolio.options") in found  # at the top of the module
    assert ("portfolio.build", "portfolio.replay") in found  # from . import replay
    assert ("portfolio.build", "portfolio.recipe") in found  # inside build(): lazy
    assert ("portfolio.images", "portfolio.svg") in found  # inside a method: lazy
    assert ("portfolio.cache", "portfolio") in found  # from . import __version__


SAMPLE = """\
from __future__ import annotations

from typing import TYPE_CHECKING

from . import svg as drawings
from .cache import Cache

if TYPE_CHECKING:
    from .build import BuildResult


def request(data: bytes) -> None:
    from .svg import _Builder, sanitize

    drawings._parse(data)
    import portfolio.social as cards

    cards._load_cover(data)
    self_own = _private_here(data)
"""
KNOWN = {
    "portfolio",
    "portfolio.images",
    "portfolio.svg",
    "portfolio.cache",
    "portfolio.build",
    "portfolio.social",
}


def test_the_scan_reads_every_kind_of_import() -> None:
    sample = Module("portfolio.images", ast.parse(SAMPLE), is_package=False)
    edges = {(edge.target, edge.line, edge.names) for edge in imports(sample, KNOWN)}
    assert edges == {
        ("portfolio.svg", 5, ()),
        ("portfolio.cache", 6, ("Cache",)),
        ("portfolio.build", 9, ("BuildResult",)),  # under TYPE_CHECKING
        ("portfolio.svg", 13, ("_Builder", "sanitize")),  # lazy
        ("portfolio.social", 16, ()),  # lazy, absolute
    }


def test_the_scan_finds_private_names_however_they_are_reached() -> None:
    sample = Module("portfolio.images", ast.parse(SAMPLE), is_package=False)
    assert private_uses(sample, KNOWN) == [
        "line 13: from portfolio.svg import _Builder",
        "line 15: drawings._parse",
        "line 18: cards._load_cover",
    ]


def test_the_scan_finds_a_cycle_and_a_lazy_one() -> None:
    """The detector itself: a two-module cycle closed by a lazy import is reported."""
    edges = [
        Edge("portfolio.a", "portfolio.b", 3, ("thing",)),
        Edge("portfolio.b", "portfolio.a", 40, ("other",)),  # inside a function, say
        Edge("portfolio.b", "portfolio.c", 5, ("x",)),
        Edge("portfolio.c", "portfolio.d", 5, ("y",)),
        Edge("portfolio.d", "portfolio.c", 5, ("z",)),
    ]
    assert cycles(edges) == [["portfolio.a", "portfolio.b"], ["portfolio.c", "portfolio.d"]]
    assert cycles([edges[0], edges[2], edges[3]]) == []
    assert cycles([Edge("portfolio.a", "portfolio.a", 1, ())]) == [["portfolio.a"]]


def test_no_import_cycle_between_modules() -> None:
    edges = graph()
    found = cycles(edges)
    report = "\n".join(describe(component, edges) for component in found)
    assert not found, f"import cycles in {PACKAGE}/ (lazy imports count too):\n{report}"


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_private_name_imported_from_another_module(name: str) -> None:
    found = private_uses(read(name), modules())
    assert not found, f"{modules()[name].name} uses private names of other modules:\n" + "\n".join(found)
