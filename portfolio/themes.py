"""Find a theme and its parents, check its theme.yaml and the site's theme_options, and
list the files it publishes; nothing of a theme is read from outside its folder."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .config import CONFIG_FILE, SiteConfig
from .contrast import WHITE, AccentColours, accent_colours
from .encodings import not_utf8
from .errors import Problems
from .fields import Fields, Source, describe
from .paths import inside, site_relative
from .yamlfile import YamlError, YMap, load, read_text

_PACKAGE = Path(__file__).resolve().parent
FALLBACK_TEMPLATES = _PACKAGE / "fallback"
THEME_FILE = "theme.yaml"
OPTION_TYPES = ("color", "text", "choice", "boolean")
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?")


def bundled_dir() -> Path:
    """Themes ship inside the wheel (portfolio/themes); a source checkout keeps them at the top."""
    inside_wheel = _PACKAGE / "themes"
    return inside_wheel if inside_wheel.is_dir() else _PACKAGE.parent / "themes"


@dataclass(frozen=True)
class Option:
    """An option a theme declares in theme.yaml."""

    name: str
    type: str  # color | text | choice | boolean
    default: Any
    description: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    name: str
    description: str
    dirs: tuple[Path, ...]  # the theme first, then its parents
    options: MappingProxyType[str, Any]  # declared defaults merged with the site's values
    declared: MappingProxyType[str, Option] = field(default_factory=lambda: MappingProxyType({}))
    colours: AccentColours | None = None  # the `accent` option made readable (contrast.py)


@dataclass(frozen=True)
class _Meta:
    name: str
    description: str
    extends: str | None
    extends_line: int | None
    options: tuple[Option, ...]
    # The backgrounds text in the accent sits on, light and dark: the contrast is checked on them.
    backgrounds: tuple[tuple[str, ...], tuple[str, ...]] | None = None


def bundled() -> list[tuple[str, str]]:
    """(name, description) of every bundled theme."""
    out = []
    # The default first: it is the one a site gets without `theme:`.
    for folder in sorted(bundled_dir().iterdir(), key=lambda f: (f.name != "default", f.name)):
        if (folder / THEME_FILE).is_file():
            meta = _meta(folder, folder, Problems())
            out.append((folder.name, meta.description if meta else ""))
    return out


def lineage(folder: Path) -> list[Path]:
    """A bundled theme's folder and its parents' (for listing its words)."""
    dirs = [folder]
    meta = _meta(folder, folder, Problems())
    while meta and meta.extends and len(dirs) < 10:
        parent = bundled_dir() / meta.extends
        dirs.append(parent)
        meta = _meta(parent, parent, Problems())
    return dirs


def lineage_options(folder: Path) -> list[Option]:
    """The options a bundled theme takes, its own first, then those it inherits."""
    found: dict[str, Option] = {}
    for theme_dir in lineage(folder):
        meta = _meta(theme_dir, theme_dir, Problems())
        for option in meta.options if meta else ():
            found.setdefault(option.name, option)
    return list(found.values())


def _meta(folder: Path, root: Path, problems: Problems) -> _Meta | None:
    """Read and check a theme.yaml; problems are reported at its lines."""
    path = folder / THEME_FILE
    rel = site_relative(path, root)
    try:
        data = load(read_text(path.read_bytes()))
    except UnicodeDecodeError as exc:
        message, line, hint = not_utf8(exc.object, exc.start)
        problems.error(rel, message, line, hint=hint)
        return None
    except YamlError as exc:
        problems.error(rel, exc.message, exc.line, hint=exc.hint)
        return None
    except OSError as exc:
        problems.error(rel, f"cannot be read: {exc.strerror}")
        return None
    if data is None:
        data = YMap()
    if not isinstance(data, YMap):
        problems.error(rel, "expected fields such as `name:` and `options:`", 1)
        return None
    f = Fields(data, Source(rel, problems, root, folder))
    name = f.text("name", one_line=True) or folder.name
    description = f.text("description", one_line=True) or ""
    extends = f.text("extends", one_line=True)
    options = []
    group = f.sub("options")
    if group is not None:
        for key in group.data:
            if not isinstance(key, str) or key.startswith("_"):
                continue
            option = _option(group, key)
            if option is not None:
                options.append(option)
        group.seen.update(k for k in group.data if isinstance(k, str))
    backgrounds = None
    if (bg := f.sub("text_backgrounds")) is not None:
        light, dark = bg.str_list("light"), bg.str_list("dark")
        for key, colours in (("light", light), ("dark", dark)):
            for colour in colours:
                if not _COLOUR.fullmatch(colour):
                    bg.error(key, f'expected colours such as "#ffffff", got {colour!r}')
        bg.finish(["light", "dark"])
        if bg.ok and light:
            backgrounds = (light, dark)
    f.finish(["name", "description", "extends", "options", "text_backgrounds"])
    return _Meta(name, description, extends, f.line("extends"), tuple(options), backgrounds)


def _option(group: Fields, key: str) -> Option | None:
    spec = group.sub(key)
    if spec is None:
        if key in group.data:
            group.expected(key, 'a group such as {type: color, default: "#1d4ed8"}', group.data[key])
        return None
    kind = spec.choice("type", OPTION_TYPES, "text") or "text"
    description = spec.text("description", one_line=True) or ""
    choices = spec.str_list("choices")
    if kind == "choice" and not choices:
        spec.error("choices", "a `choice` option needs its `choices: [a, b]`", line=spec.line())
    default = spec.raw("default")
    problem = option_problem(kind, default, choices)
    if problem:
        spec.error("default", problem)
        default = None
    spec.finish(["type", "default", "description", "choices"])
    return Option(key, kind, default, description, choices)


def option_problem(kind: str, value: Any, choices: tuple[str, ...] = ()) -> str:
    """Why `value` does not fit an option of type `kind` ('' when it does)."""
    if kind == "color" and not (isinstance(value, str) and _COLOUR.fullmatch(value)):
        return f'expected a colour such as "#d94f2b", got {describe(value)}'
    if kind == "choice" and value not in choices:
        return f"expected one of {', '.join(choices)}, got {describe(value)}"
    if kind == "boolean" and not isinstance(value, bool):
        return f"expected true or false, got {describe(value)}"
    if kind == "text" and not (value is None or isinstance(value, str)):
        return f"expected text, got {describe(value)}"
    return ""


def _locate(name: str, base: Path, root: Path) -> tuple[Path | None, str]:
    """A bundled theme by name, or a theme folder by path from `base`, inside the site."""
    if "/" in name or "\\" in name or name.startswith("."):
        folder = Path(os.path.realpath(base / name))
        if not inside(folder, root):
            return None, f"{name!r} points outside the site folder; a theme given as a path must be inside it"
        if not (folder / THEME_FILE).is_file():
            return None, f"no theme.yaml in {name!r}"
        return folder, ""
    folder = bundled_dir() / name
    if (folder / THEME_FILE).is_file():
        return folder, ""
    # `theme: mytheme` for a folder of the site (or `themes/mytheme`, Hugo's habit): a path
    # without ./ is still a path; a bundled name wins, so a site cannot shadow it by accident.
    for candidate in (base / name, base / "themes" / name):
        folder = Path(os.path.realpath(candidate))
        if inside(folder, root) and (folder / THEME_FILE).is_file():
            return folder, ""
    names = ", ".join(n for n, _ in bundled())
    return None, f"no theme named {name!r} (bundled themes: {names}; or a path to a folder with theme.yaml)"


def load_theme(config: SiteConfig, problems: Problems) -> Theme | None:
    """Resolve the theme chain (`extends`) and check theme_options."""
    root = config.root
    folder, why = _locate(config.theme, root, root)
    if folder is None:
        problems.error(CONFIG_FILE, why, config.theme_line, field="theme")
        return None
    dirs: list[Path] = []
    declared: dict[str, Option] = {}
    metas: list[_Meta] = []
    current: Path | None = folder
    while current is not None:
        if current in dirs:
            problems.error(
                site_relative(dirs[-1] / THEME_FILE, root), "`extends` makes a loop", field="extends"
            )
            return None
        meta = _meta(current, root, problems)
        if meta is None:
            return None
        dirs.append(current)
        metas.append(meta)
        for option in meta.options:
            declared.setdefault(option.name, option)
        if not meta.extends:
            break
        # A bundled theme extends bundled themes; a site's theme, a name or a path in the site.
        current, why = _locate(meta.extends, current, root)
        if current is None:
            problems.error(site_relative(dirs[-1] / THEME_FILE, root), why, meta.extends_line, "extends")
            return None
    values = {name: option.default for name, option in declared.items()}
    for key, value in config.theme_options.items():
        line = config.theme_options_lines.get(key)
        found = declared.get(key)
        if found is None:
            close = difflib.get_close_matches(key, list(declared), n=1)
            hint = (
                f"did you mean `{close[0]}`?"
                if close
                else "this theme's options: " + (", ".join(declared) or "none")
            )
            problems.error(
                CONFIG_FILE,
                f"unknown option `{key}` for theme {metas[0].name!r}",
                line,
                f"theme_options.{key}",
                hint,
            )
        elif problem := option_problem(found.type, value, found.choices):
            hint = 'write it in quotes: "#d94f2b"' if found.type == "color" else ""
            problems.error(CONFIG_FILE, problem, line, f"theme_options.{key}", hint)
        else:
            values[key] = value
    backgrounds = next((m.backgrounds for m in metas if m.backgrounds), None)
    colours = None
    accent = declared.get("accent")
    if backgrounds and accent and accent.type == "color" and values.get("accent"):
        colours = accent_colours(values["accent"], *backgrounds)
        _warn_contrast(colours, values.get("scheme"), config, problems)
    first = metas[0]
    return Theme(
        first.name,
        first.description,
        tuple(dirs),
        MappingProxyType(values),
        MappingProxyType(declared),
        colours,
    )


def _warn_contrast(colours: AccentColours, scheme: object, config: SiteConfig, problems: Problems) -> None:
    """A warning, at theme_options.accent, when the accent cannot be used as it is for text.

    With `scheme: auto` the dark palette's lighter text is expected (few accents read on
    both a white and a near-black page) and goes unmentioned; only the scheme the reader
    sees by default, and a dark fixed scheme, are worth a word."""
    text = colours.text_dark if scheme == "dark" else colours.text_light
    if text == colours.accent and colours.on_accent == WHITE:
        return
    parts = []
    if text != colours.accent:
        parts.append(f"text in the accent (links, headings) is {text} instead")
    if colours.on_accent != WHITE:
        parts.append(f"text on it (buttons) is {colours.on_accent} instead of white")
    where = "dark" if scheme == "dark" else "light"
    problems.warn(
        CONFIG_FILE,
        f"{colours.accent} does not reach WCAG AA contrast (4.5:1) for text on this theme's "
        f"{where} backgrounds: it is kept for fills and lines, and {' and '.join(parts)}",
        config.theme_options_lines.get("accent"),
        "theme_options.accent",
        "pick a " + ("lighter" if where == "dark" else "darker") + " accent to have it as it is everywhere",
    )


def template_dirs(root: Path, theme: Theme, problems: Problems) -> list[Path]:
    """Where templates are looked up: the site's templates/, the theme, its parents, the
    package's fallbacks. A templates/ folder that is a link to elsewhere is refused."""
    dirs = []
    own = root / "templates"
    if own.is_dir():
        if inside(Path(os.path.realpath(own)), root):
            dirs.append(own)
        else:
            problems.error(
                "templates", "is a link to a folder outside the site; copy the templates in instead"
            )
    return dirs + [d / "templates" for d in theme.dirs] + [FALLBACK_TEMPLATES]


def theme_static_files(theme: Theme, problems: Problems, root: Path) -> dict[str, Path]:
    """`assets/NAME` -> file, parents first so a child theme overrides file by file. A file
    or folder whose real path leaves its theme's static/ is refused."""
    files: dict[str, Path] = {}
    for theme_dir in reversed(theme.dirs):
        static = theme_dir / "static"
        if not static.is_dir():
            continue
        for rel, path in contained_files(static, root, problems):
            if not rel.split("/")[-1].startswith("."):
                files[f"assets/{rel}"] = path
    return files


def contained_files(folder: Path, root: Path, problems: Problems) -> list[tuple[str, Path]]:
    """Every regular file under `folder`, sorted, as (relative name, path); links and
    folders that lead outside `folder` are reported and left out."""
    real_folder = Path(os.path.realpath(folder))
    where = site_relative(folder, root)
    if not inside(real_folder, root) and not inside(real_folder, bundled_dir()):
        problems.error(where, "is a link to a folder outside the site; copy the files in instead")
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in sorted(dirnames):
            path = Path(dirpath) / name
            if path.is_symlink() and not inside(Path(os.path.realpath(path)), real_folder):
                problems.error(site_relative(path, root), "is a link to a folder outside " + where)
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not inside(Path(os.path.realpath(path)), real_folder):
                problems.error(site_relative(path, root), "is a link to a file outside " + where)
                continue
            if path.is_file():
                found.append((path.relative_to(folder).as_posix(), path))
    return sorted(found)
