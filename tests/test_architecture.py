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
from collections.abc import Iterator
from dataclasses import dataclass
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


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def resolve(source: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module named by `from <module> import ...` in module `source`."""
    if node.level == 0:
        return node.module or ""
    base = source.split(".") if is_package else source.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(source: str, path: Path, known: dict[str, Path]) -> Iterator[Edge]:
    """Every import of a package module by `source`, wherever it stands in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield Edge(source, alias.name, node.lineno, ())
        elif isinstance(node, ast.ImportFrom):
            target = resolve(source, path.name == "__init__.py", node)
            if target not in known:
                continue
            names: list[str] = []
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in known:  # `from . import images` imports the module images
                    yield Edge(source, submodule, node.lineno, ())
                else:
                    names.append(alias.name)
            if names:
                yield Edge(source, target, node.lineno, tuple(names))


def module_aliases(source: str, path: Path, known: dict[str, Path]) -> dict[str, str]:
    """Local names bound to package modules in `source` (`from . import images` -> images)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = resolve(source, path.name == "__init__.py", node)
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    bound[alias.asname or alias.name] = f"{target}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known and alias.asname:
                    bound[alias.asname] = alias.name
    return bound


def graph() -> list[Edge]:
    known = modules()
    return [edge for name, path in known.items() for edge in imports(name, path, known)]


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
    return found


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
    # A top-level relative import, a module imported with `from . import`, and a lazy import.
    targets = {(edge.source, edge.target) for edge in edges}
    assert ("portfolio.cli", "portfolio.build") in targets
    assert ("portfolio.build", "portfolio.replay") in targets


def test_the_scan_finds_a_cycle_and_a_lazy_one() -> None:
    """The detector itself: a two-module cycle closed by a lazy import is reported."""
    edges = [
        Edge("portfolio.a", "portfolio.b", 3, ("thing",)),
        Edge("portfolio.b", "portfolio.a", 40, ("other",)),  # inside a function, say
        Edge("portfolio.b", "portfolio.c", 5, ("x",)),
    ]
    assert cycles(edges) == [["portfolio.a", "portfolio.b"]]
    assert cycles(edges[:1] + edges[2:]) == []


def test_the_scan_reads_lazy_imports() -> None:
    source = "def f():\n    from .svg import sanitize\n    return sanitize\n"
    tree = ast.parse(source)
    (node,) = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert resolve("portfolio.images", False, node) == "portfolio.svg"


def test_no_import_cycle_between_modules() -> None:
    edges = graph()
    found = cycles(edges)
    report = "\n".join(describe(component, edges) for component in found)
    assert not found, f"import cycles in {PACKAGE}/ (lazy imports count too):\n{report}"


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_private_name_imported_from_another_module(name: str) -> None:
    known = modules()
    path = known[name]
    offences = [
        f"{path.name}:{edge.line}: from {edge.target} import {member}"
        for edge in imports(name, path, known)
        if edge.target != name
        for member in edge.names
        if is_private(member)
    ]
    bound = module_aliases(name, path, known)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offences += [
        f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and bound.get(node.value.id, name) != name
        and is_private(node.attr)
    ]
    assert not offences, "private names used across modules:\n" + "\n".join(offences)
