"""Find a theme and its parents, and check the site's theme_options against what it declares."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .config import CONFIG_FILE, SiteConfig
from .errors import PortfolioError, Problems
from .fields import describe
from .yamlfile import YamlError, YMap, load, read_text

_PACKAGE = Path(__file__).resolve().parent
FALLBACK_TEMPLATES = _PACKAGE / "fallback"


def bundled_dir() -> Path:
    """Themes ship inside the wheel (portfolio/themes); a source checkout keeps them at the top."""
    inside = _PACKAGE / "themes"
    return inside if inside.is_dir() else _PACKAGE.parent / "themes"


@dataclass(frozen=True)
class Theme:
    name: str
    description: str
    dirs: tuple[Path, ...]  # the theme first, then its parents
    options: MappingProxyType[str, Any]  # declared defaults merged with the site's values


def bundled() -> list[tuple[str, str]]:
    """(name, description) of every bundled theme."""
    out = []
    for folder in sorted(bundled_dir().iterdir()):
        if (folder / "theme.yaml").is_file():
            meta = _meta(folder)
            out.append((folder.name, str(meta.get("description", ""))))
    return out


def _meta(folder: Path) -> YMap:
    try:
        data = load(read_text((folder / "theme.yaml").read_bytes()))
    except (OSError, UnicodeDecodeError, YamlError) as exc:
        raise PortfolioError(f"{folder / 'theme.yaml'}: {getattr(exc, 'message', exc)}") from None
    return data if isinstance(data, YMap) else YMap()


def _locate(name: str, root: Path) -> Path | None:
    if "/" in name or "\\" in name or name.startswith("."):
        folder = (root / name).resolve()
        return folder if (folder / "theme.yaml").is_file() else None
    folder = bundled_dir() / name
    return folder if (folder / "theme.yaml").is_file() else None


def load_theme(config: SiteConfig, problems: Problems) -> Theme | None:
    """Resolve the theme chain (`extends`) and check theme_options."""
    folder = _locate(config.theme, config.root)
    if folder is None:
        names = ", ".join(n for n, _ in bundled())
        problems.error(
            CONFIG_FILE,
            f"no theme named {config.theme!r}",
            config.theme_line,
            field="theme",
            hint=f"bundled themes: {names}; or a path to a folder with theme.yaml",
        )
        return None
    meta = _meta(folder)
    dirs, declared, kinds = _chain(folder)
    values = dict(declared)
    for key, value in config.theme_options.items():
        line = config.theme_options_lines.get(key)
        if key not in declared:
            close = difflib.get_close_matches(key, list(declared), n=1)
            hint = (
                f"did you mean `{close[0]}`?"
                if close
                else "this theme's options: " + (", ".join(declared) or "none")
            )
            problems.error(
                CONFIG_FILE,
                f"unknown option `{key}` for theme {meta.get('name')!r}",
                line,
                f"theme_options.{key}",
                hint,
            )
        elif kinds[key] == "color" and not (isinstance(value, str) and _COLOUR.fullmatch(value)):
            problems.error(
                CONFIG_FILE,
                f'expected a colour such as "#d94f2b", got {describe(value)}',
                line,
                f"theme_options.{key}",
                'write it in quotes: "#d94f2b"',
            )
        else:
            values[key] = value
    return Theme(
        str(meta.get("name", folder.name)),
        str(meta.get("description", "")),
        tuple(dirs),
        MappingProxyType(values),
    )


_COLOUR = re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?")


def _chain(folder: Path) -> tuple[list[Path], dict[str, Any], dict[str, str]]:
    """The theme and its parents (`extends`), with the options they declare, child first."""
    dirs: list[Path] = []
    declared: dict[str, Any] = {}
    kinds: dict[str, str] = {}
    current: Path | None = folder
    while current is not None:
        if current in dirs:
            raise PortfolioError(f"{current / 'theme.yaml'}: `extends` makes a loop")
        dirs.append(current)
        meta = _meta(current)
        for key, spec in (meta.get("options") or {}).items():
            if key not in declared and isinstance(spec, dict):
                declared[key] = spec.get("default")
                kinds[key] = str(spec.get("type", "text"))
        parent = meta.get("extends")
        current = _locate(str(parent), current) if parent else None
        if parent and current is None:
            raise PortfolioError(f"{dirs[-1] / 'theme.yaml'}: extends an unknown theme {parent!r}")
    return dirs, declared, kinds
