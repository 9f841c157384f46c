"""Templates can reach nothing but what is published (red team items 4, 5, 13, 14).

A template comes from the user's site or from a theme anyone downloads: it runs sandboxed,
sees only views, reads files only from inside its own folder, and its mistakes (loops,
a broken theme.yaml) are one clear line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import CONFIG, build_errors, cli, output_bytes, run_build, study, write_site
from markupsafe import Markup

from portfolio.cache import Cache
from portfolio.config import load_config
from portfolio.content import load_content
from portfolio.errors import Problems
from portfolio.files import Files
from portfolio.images import Images
from portfolio.locale import Formatter, load_words
from portfolio.pages import PageBuilder
from portfolio.routes import routes
from portfolio.site import build_site
from portfolio.themes import bundled_dir
from portfolio.views import VIEW_TYPES

HIDDEN = study(
    title="Ads for {client}",
    summary="For {client}.",
    front="client: {name: Halden Cycles, url: https://halden.example, consent: pending, "
    "anonymized_as: a bike shop}",
)


def site_with_template(
    root: Path, template: str, name: str = "page.html", extra: dict[str, str] | None = None
) -> Path:
    return write_site(
        root,
        {
            "content/case-studies/bikes.md": HIDDEN,
            "content/pages/about.md": "---\ntitle: About\n---\nHi.\n",
            f"templates/{name}": template,
            **(extra or {}),
        },
    )


ESCAPES = {
    "globals-through-cycler": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "globals-through-lipsum": "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "class-hierarchy": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "self-reference": "{{ self._TemplateReference__context }}",
    "format-attribute": "{{ '{0.__class__}'.format(site) }}",
    "method-of-a-global": "{{ t.__self__.words }}",
    "bound-function-attributes": "{{ url.__globals__ }}",
    "dict-mutation": "{% set _ = site.options.update({'a': 1}) %}",
}


@pytest.mark.parametrize("attempt", list(ESCAPES))
def test_a_template_cannot_reach_python(tmp_path: Path, attempt: str) -> None:
    root = site_with_template(tmp_path, ESCAPES[attempt])
    errors = build_errors(root)
    assert "templates/page.html:1" in errors, errors
    assert "uid=" not in errors
    assert not (root / "output").exists()


def test_a_symbolic_link_to_a_file_outside_is_never_included(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-PASSWORD-LINE\n")
    root = site_with_template(tmp_path / "site", '{% include "pw.html" %}')
    os.symlink(secret, root / "templates/pw.html")
    errors = build_errors(root)
    assert "templates/pw.html" in errors and "outside" in errors, errors
    assert "SECRET-PASSWORD-LINE" not in errors


def test_a_templates_folder_linked_to_elsewhere_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "page.html").write_text("ELSEWHERE")
    root = write_site(tmp_path / "site", {"content/pages/about.md": "---\ntitle: About\n---\n"})
    os.symlink(elsewhere, root / "templates")
    errors = build_errors(root)
    assert "templates: is a link to a folder outside the site" in errors


def walk(value: Any, seen: set[int] | None = None) -> list[Any]:
    """Every value reachable from `value` through what a template can read."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    found = [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            found += walk(getattr(value, f.name), seen)
    elif isinstance(value, dict):
        for k, v in value.items():
            found += walk(k, seen) + walk(v, seen)
    elif isinstance(value, tuple | list):
        for v in value:
            found += walk(v, seen)
    return found


def test_templates_see_only_views_and_never_a_hidden_name_or_a_path(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/bikes.md": HIDDEN,
            "content/case-studies/draft.md": study(
                title="Draft", front="draft: true\nclient: {name: Zephyr Labs, consent: denied}"
            ),
            "content/pages/about.md": "---\ntitle: About\n---\nHi.\n",
        },
    )
    problems = Problems()
    config = load_config(root, problems)
    assert config is not None
    site = build_site(config, load_content(root, problems), problems)
    builder = PageBuilder(
        site,
        Formatter("en", load_words([bundled_dir() / "default"], "en")),
        {},
        Images(Cache(root), 10**8),
        Files(),
        problems,
    )
    assert not problems.errors, problems.errors
    plain = (str, Markup, int, float, bool, type(None), tuple, list, dict, dt.date)
    checked = 0
    for route in routes(site):
        page, data = builder.page(route)
        for value in walk({"site": builder.site, "page": page, **data}):
            assert isinstance(value, VIEW_TYPES + plain), (route.output, type(value))
            if isinstance(value, str):
                checked += 1
                assert "Halden" not in value and "halden" not in value, (route.output, value)
                assert "Zephyr" not in value, (route.output, value)
    assert checked > 100


def test_every_bundled_template_renders_in_the_sandbox(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/case-studies/bikes.md": HIDDEN})
    run_build(root)
    assert b"a bike shop" in output_bytes(root / "output").lower()


# -- 5. folders outside the site ------------------------------------------------------------


def test_a_static_folder_linked_to_elsewhere_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "id_rsa").write_text("PRIVATE KEY")
    root = write_site(tmp_path / "site", {"content/pages/about.md": "---\ntitle: About\n---\n"})
    os.symlink(elsewhere, root / "static")
    errors = build_errors(root)
    assert "static: is a link to a folder outside the site" in errors


def test_a_file_in_static_linked_to_elsewhere_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("PRIVATE")
    root = write_site(tmp_path / "site", {"static/robots-extra.txt": "ok\n"})
    os.symlink(tmp_path / "secret.txt", root / "static/leak.txt")
    errors = build_errors(root)
    assert "static/leak.txt: is a link to a file outside static" in errors


@pytest.mark.parametrize("where", ["../outside/theme", "absolute"])
def test_a_theme_outside_the_site_is_refused(tmp_path: Path, where: str) -> None:
    theme = tmp_path / "outside/theme"
    (theme / "static").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: outside\nextends: default\n")
    (theme / "static/stolen.txt").write_text("STOLEN")
    value = str(theme) if where == "absolute" else where
    root = write_site(tmp_path / "site", {}, config=CONFIG + f"theme: {value}\n")
    errors = build_errors(root)
    assert "portfolio.yaml:7: theme:" in errors and "outside the site folder" in errors, errors


def test_a_site_theme_whose_static_folder_leads_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    root = write_site(
        tmp_path / "site",
        {"themes/mine/theme.yaml": "name: mine\nextends: default\n"},
        config=CONFIG + "theme: ./themes/mine\n",
    )
    os.symlink(tmp_path / "elsewhere", root / "themes/mine/static")
    errors = build_errors(root)
    assert "themes/mine/static: is a link to a folder outside the site" in errors


def test_a_theme_inside_the_site_extends_a_bundled_one(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "themes/mine/theme.yaml": "name: mine\nextends: default\n",
            "themes/mine/static/extra.css": "p{}",
        },
        config=CONFIG + "theme: ./themes/mine\n",
    )
    run_build(root)
    assert (root / "output/assets/extra.css").is_file() and (root / "output/assets/site.css").is_file()


# -- 13. templates that loop -------------------------------------------------------------------

LOOPS = {
    "circular-include": (
        "page.html",
        '{% include "other.html" %}',
        {"templates/other.html": '{% include "page.html" %}'},
    ),
    "extends-itself": ("page.html", '{% extends "page.html" %}', {}),
    "recursive-macro": ("page.html", "{% macro m() %}{{ m() }}{% endmacro %}\n{{ m() }}", {}),
}


@pytest.mark.parametrize("case", list(LOOPS))
def test_a_template_that_loops_is_one_clear_error(tmp_path: Path, case: str) -> None:
    name, text, extra = LOOPS[case]
    root = site_with_template(tmp_path, text, name, extra)
    started = time.perf_counter()
    result = cli("build", cwd=root)
    assert time.perf_counter() - started < 10
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert "templates/" in result.stderr and "itself without end" in result.stderr, result.stderr


# -- 14. theme.yaml is checked like every other file -----------------------------------------


@pytest.mark.parametrize(
    ("theme_yaml", "expected"),
    [
        ("name: mine\noptions: [accent]\n", "themes/mine/theme.yaml:2: options: expected a group of fields"),
        (
            "name: mine\noptions:\n  accent: red\n",
            "themes/mine/theme.yaml:3: options.accent: expected a group",
        ),
        ("name: mine\noptions:\n  accent: {type: colour}\n", "options.accent.type: expected one of color"),
        (
            "name: mine\noptions:\n  accent: {type: color, default: red}\n",
            "options.accent.default: expected a colour",
        ),
        ("name: mine\nextend: default\n", "themes/mine/theme.yaml:2: extend: unknown field `extend`"),
        ("name: mine\nextends: nosuch\n", "themes/mine/theme.yaml:2: extends: no theme named 'nosuch'"),
        ("name: [mine\n", "themes/mine/theme.yaml:1: invalid YAML"),  # where the [ opened
        ("- a\n- b\n", "themes/mine/theme.yaml:1: expected fields"),
    ],
)
def test_a_broken_theme_yaml_is_one_clear_error(tmp_path: Path, theme_yaml: str, expected: str) -> None:
    root = write_site(
        tmp_path,
        {"themes/mine/theme.yaml": theme_yaml, "content/pages/about.md": "---\ntitle: About\n---\n"},
        config=CONFIG + "theme: ./themes/mine\n",
    )
    result = cli("build", cwd=root)
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# -- second red-team round: templates that would take minutes or gigabytes -----------------

HEAVY = {
    "repeat": '{{ "x" * 10**10 }}',
    "repeat-list": "{{ [1] * 10**9 }}",
    "power": "{{ 9 ** (9 ** 9) }}",
    "percent-width": '{{ "%999999999d" % 1 }}',
    "format-width": '{{ "%999999999d"|format(1) }}',
    "center": '{{ "x"|center(10**9) }}',
    "indent": '{{ "x"|indent(10**9) }}',
    "lipsum": "{{ lipsum(10**6) }}",
    "ljust-method": "{{ 'x'.ljust(1200000000)|length }}",
    "replace-method": "{{ ('y' * 20000).replace('', 'y' * 20000)|length }}",
    "join-method": "{{ ('y' * 100000).join(range(400)|list)|length }}",
    "page-size": "{% set s = 'x' * 1000000 %}{% for i in range(60) %}{{ s }}{% endfor %}",
    "truncate-negative": "{{ 'abc def'|truncate(-5) }}",
    "date-of-text": "{{ 'x'|date }}",
}


@pytest.mark.parametrize("case", list(HEAVY))
def test_a_template_that_would_make_gigabytes_is_one_clear_error(tmp_path: Path, case: str) -> None:
    text = "{% extends 'theme/page.html' %}{% block main %}\n" + HEAVY[case] + "{% endblock %}"
    root = site_with_template(tmp_path, text)
    started = time.perf_counter()
    result = cli("build", cwd=root)
    assert time.perf_counter() - started < 20
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert "templates/page.html" in result.stderr, result.stderr
    if case != "page-size":  # stopped while it grows, not at a line
        assert "templates/page.html:2" in result.stderr, result.stderr


def test_small_products_and_widths_still_work(tmp_path: Path) -> None:
    text = (
        '{% extends "theme/page.html" %}{% block main %}{{ "ab" * 3 }} {{ 2 ** 10 }} {{ "%5d"|format(42) }}'
    )
    text += ' {{ "%d"|format(5000000) }} {{ "x"|center(9) }} {{ super() }}{% endblock %}'
    root = site_with_template(tmp_path, text)
    run_build(root)
    page = (root / "output/about/index.html").read_text()
    assert "ababab 1024    42 5000000     x    " in page


def test_a_template_that_runs_too_long_is_stopped_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import portfolio.render

    monkeypatch.setattr(portfolio.render, "PAGE_SECONDS", 1.0)
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    root = site_with_template(
        tmp_path, "{% extends 'theme/page.html' %}{% block main %}\n" + loop + "{% endblock %}"
    )
    started = time.perf_counter()
    errors = build_errors(root)
    assert time.perf_counter() - started < 15
    assert "templates/page.html:2" in errors and "more than 1 s to render" in errors, errors
    assert "content/pages/about.md" in errors, errors


def test_a_deadline_that_is_not_reached_changes_nothing() -> None:
    from portfolio.render import Deadline, PageTooSlow

    stopped = 0
    for _ in range(300):  # a deadline reached within the block stops it; none comes later
        try:
            with Deadline(0.0005):
                sum(range(2000))
        except PageTooSlow:
            stopped += 1
    for _ in range(50):
        time.sleep(0.002)  # a stray exception would land here and fail the test
    with Deadline(5):
        assert sum(range(10)) == 45


def test_a_deadline_swallowed_once_still_stops_the_block() -> None:
    """The first exception can land where Python swallows it (a weakref callback in a garbage
    collection did, in CI): the deadline raises again until the block ends."""
    from portfolio.render import Deadline, PageTooSlow

    swallowed = 0
    started = time.perf_counter()
    with pytest.raises(PageTooSlow), Deadline(0.05):
        while time.perf_counter() - started < 5:
            try:
                time.sleep(0.001)
            except PageTooSlow:
                if swallowed:
                    raise
                swallowed += 1
    assert swallowed == 1
    assert time.perf_counter() - started < 2
    time.sleep(0.6)  # and none comes after the block


def test_a_lone_surrogate_is_one_clear_error(tmp_path: Path) -> None:
    root = site_with_template(
        tmp_path, '{% extends "theme/page.html" %}{% block main %}{{ "\\ud800" }}{% endblock %}'
    )
    result = cli("build", cwd=root)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert "templates/page.html" in result.stderr and "U+D800" in result.stderr, result.stderr
