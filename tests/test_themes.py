"""The three bundled themes, their options, the site's own words, and the template
contract documented in docs/themes.md."""

from __future__ import annotations

import dataclasses
import html
import re
import typing
from pathlib import Path
from typing import Any

import pytest
from conftest import CONFIG, REPO, build_errors, cli, run_build, study, write_site

from portfolio import views
from portfolio.contrast import AA_TEXT, accent_colours, ratio
from portfolio.themes import bundled

DOCS = (REPO / "docs" / "themes.md").read_text(encoding="utf-8")


# -- the contract, documented ---------------------------------------------------------------


def _section(name: str) -> str:
    match = re.search(rf"^### {name}\n(.*?)(?=^##)", DOCS + "\n##", re.S | re.M)
    assert match, f"docs/themes.md has no section `### {name}`"
    return match[1]


@pytest.mark.parametrize("view", views.VIEW_TYPES, ids=lambda t: t.__name__)
def test_every_field_of_every_view_is_documented(view: type) -> None:
    section = _section(view.__name__)
    missing = [f for f in views.fields_of(view) if f"`{f}`" not in section]
    assert not missing, f"docs/themes.md, ### {view.__name__}: undocumented {missing}"


def test_every_function_filter_and_template_variable_is_documented() -> None:
    render = (REPO / "portfolio" / "render.py").read_text()
    names = re.findall(r"(\w+)=", re.search(r"env\.globals\.update\((.*?)\)", render)[1])  # type: ignore[index]
    names += re.findall(r"(\w+)=", re.search(r"env\.filters\.update\((.*?)\)", render)[1])  # type: ignore[index]
    assert {"t", "url", "asset", "srcset", "date"} <= set(names)
    for name in names:
        assert f"`{name}" in DOCS, f"docs/themes.md does not document the function `{name}`"
    pages = (REPO / "portfolio" / "pages.py").read_text()
    variables = set(re.findall(r'data\["(\w+)"\]', pages)) | set(re.findall(r'context\["(\w+)"\]', render))
    table = DOCS.split("## Templates and what they receive")[1].split("###")[0]
    missing = sorted(v for v in variables if f"`{v}`" not in table)
    assert not missing, f"docs/themes.md's template table does not name {missing}"


def _template_names(text: str) -> tuple[set[str], set[str], set[str]]:
    """What a template reads, from Jinja's own parse: attribute names (`x.field`), string
    keys (`x["key"]`) and the names it takes from its context (variables and functions)."""
    from jinja2 import meta, nodes
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment()
    builtin = set(env.filters)
    env.filters["date"] = str  # ours: documented with the functions
    tree = env.parse(text)
    # `site.options.NAME` is an option of theme.yaml, not a field.
    attrs = {
        n.attr
        for n in tree.find_all(nodes.Getattr)
        if not (isinstance(n.node, nodes.Getattr) and n.node.attr == "options")
    }
    attrs |= {f"|{n.name}" for n in tree.find_all(nodes.Filter) if n.name not in builtin}
    keys = {n.arg.value for n in tree.find_all(nodes.Getitem) if isinstance(n.arg, nodes.Const)}
    # A chain from a variable of known type must name real fields on the way: `page.card`
    # is reported as `PageView.card` when PageView has no `card`.
    for node in tree.find_all(nodes.Getattr):
        path: list[str] = []
        inner: nodes.Node = node
        while isinstance(inner, nodes.Getattr):
            path.insert(0, inner.attr)
            inner = inner.node
        if isinstance(inner, nodes.Name) and inner.name in ROOTS:
            view: Any = ROOTS[inner.name]
            for attr in path:
                fields = typing.get_type_hints(view, vars(views)) if dataclasses.is_dataclass(view) else None
                if fields is None:
                    break
                if attr not in fields:
                    attrs.add(f"{view.__name__}.{attr}")
                    break
                view = next(
                    (
                        a
                        for a in typing.get_args(fields[attr]) or (fields[attr],)
                        if dataclasses.is_dataclass(a)
                    ),
                    None,
                )
    local = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    local |= {
        name if isinstance(name, str) else name[-1]
        for n in tree.find_all(nodes.FromImport)
        for name in n.names
    }
    names = meta.find_undeclared_variables(tree) - local
    return attrs, {k for k in keys if isinstance(k, str)}, names


ROOTS: dict[str, type] = {
    "site": views.SiteView, "page": views.PageView, "study": views.StudyView, "free_page": views.FreePage,
    "facet": views.Facet, "portrait": views.ImageView, "newer": views.StudyLink, "older": views.StudyLink,
}  # fmt: skip
BUNDLED_TEMPLATES = sorted(
    [*(REPO / "themes").glob("*/templates/**/*.*"), *(REPO / "portfolio" / "fallback").glob("*")]
)
# Methods of plain values a template may call, and Jinja's loop and namespace helpers.
NOT_FIELDS = {"startswith", "endswith", "items", "get", "join", "replace", "lower", "upper", "index",
              "first", "last", "length", "revindex"}  # fmt: skip


@pytest.mark.parametrize("template", BUNDLED_TEMPLATES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_name_a_bundled_template_reads_is_documented(template: Path) -> None:
    """Read with Jinja's parser: every field, key, variable and function a bundled template
    uses is in docs/themes.md (a field of a view, a template's variable, a function)."""
    attrs, keys, names = _template_names(template.read_text(encoding="utf-8"))
    documented = {f for t in views.VIEW_TYPES for f in views.fields_of(t)}
    filters = {a for a in attrs if a.startswith("|")}
    missing = sorted(f for f in filters if f"`{f[1:]}` (filter)" not in DOCS)
    missing += sorted(a for a in attrs - NOT_FIELDS - filters if a not in documented or f"`{a}`" not in DOCS)
    missing += sorted(k for k in keys if f"`{k}`" not in DOCS)
    missing += sorted(n for n in names if f"`{n}" not in DOCS)
    assert not missing, f"{template.relative_to(REPO)} reads what docs/themes.md does not document: {missing}"


def test_the_documentation_check_catches_an_undocumented_field() -> None:
    attrs, keys, names = _template_names('{{ page.card }}{{ file("x") }}{{ study_url(s) }}{{ f["kind"] }}')
    assert (
        attrs == {"card", "PageView.card"}
        and keys == {"kind"}
        and names == {"page", "file", "study_url", "s", "f"}
    )
    assert "`file" not in DOCS and "`study_url" not in DOCS
    assert _template_names("{{ site.author.links[0].url }}{{ study.headline.card.text }}")[0] == {
        "author", "links", "url", "headline", "card", "text"}  # fmt: skip


# -- the themes -------------------------------------------------------------------------------


def test_portfolio_themes_lists_three_with_their_line(tmp_path: Path) -> None:
    out = cli("themes", cwd=tmp_path).stdout
    assert out.splitlines() == [f"{name:8} {description}" for name, description in bundled()]
    assert [line.split()[0] for line in out.splitlines()] == ["default", "bold", "data"]
    options = cli("themes", "--options", cwd=tmp_path).stdout
    assert (
        "theme_options: accent: #c8005a (color); scheme: auto (auto | light | dark); fonts: modern" in options
    )
    assert options.count("theme_options:") == 3
    words = cli("themes", "--words", "--theme", "bold", "--language", "fr", cwd=tmp_path).stdout
    assert "home.featured_intro: Quelques projets" in words and "footer.built:" in words


FEATURES = {
    "content/case-studies/a.md": study(
        title="Relaunch",
        front=(
            "kind: agency\nemployer: Studio\nclient: {name: Acme, consent: granted}\nfeatured: true\n"
            "channels: [TikTok]\nskills: [Analytics]\n"
            "metrics:\n  - {label: Reach, before: 100, after: 400, unit: followers}\n"
            "  - {label: Revenue, value: 1200, unit: '€'}\n"
            "  - {label: Weekly, series: [{x: 2025-01-06, y: 3}, {x: 2025-01-13, y: 5}], chart: line}\n"
            "  - {label: Split, series: [{x: TikTok, y: 900}, {x: Email, y: 100}], chart: bar}\n"
            "testimonial: {quote: Great work., author: Ann, consent: granted}\n"
        ),
    ),
    "content/case-studies/b.md": study(
        title="School brief", front="kind: school\nschool: {institution: IUT, course: DUT, grade: 17/20}\n"
    ),
    "content/pages/about.md": "---\ntitle: About me\nnav: true\n---\nHello.\n",
}


@pytest.mark.parametrize("theme", ["default", "bold", "data"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_theme_builds_every_page_type_in_each_language(
    tmp_path: Path, theme: str, language: str
) -> None:
    config = CONFIG + f"theme: {theme}\nlanguage: {language}\n"
    root = write_site(tmp_path, FEATURES, config)
    run_build(root)
    out = root / "output"
    work, results = ("etudes-de-cas", "resultats") if language == "fr" else ("case-studies", "results")
    pages = ("index.html", f"{work}/index.html", f"{work}/a/index.html",
             f"{work}/b/index.html", f"{results}/index.html", "about/index.html", "404.html")  # fmt: skip
    for page in pages:
        text = (out / page).read_text()
        assert f'<html lang="{language}">' in text and "</html>" in text
    study_page = (out / f"{work}/a/index.html").read_text()
    assert "Great work." in study_page and "<svg" in study_page
    if theme != "default":
        assert f"assets/{theme}.css" in study_page  # its own stylesheet over the default's


def test_the_data_theme_puts_results_before_the_work(tmp_path: Path) -> None:
    root = write_site(tmp_path, FEATURES, CONFIG + "theme: data\n")
    run_build(root)
    home = (root / "output" / "index.html").read_text()
    assert 'class="section board"' in home
    assert home.index("board-title") < home.index("featured-title")


# -- options ---------------------------------------------------------------------------------


def _options_css(tmp_path: Path, options: str, theme: str = "default") -> tuple[str, str]:
    root = write_site(tmp_path, {}, CONFIG + f"theme: {theme}\ntheme_options:\n{options}")
    result = run_build(root)
    warnings = "\n".join(str(w) for w in result.warnings)
    return (root / "output" / "assets" / "options.css").read_text(), warnings


@pytest.mark.parametrize("theme", ["default", "bold", "data"])
def test_scheme_auto_light_dark(tmp_path: Path, theme: str) -> None:
    auto, _ = _options_css(tmp_path / "a", "  scheme: auto\n", theme)
    assert "@media screen and (prefers-color-scheme: dark)" in auto and "--surface:" in auto
    light, _ = _options_css(tmp_path / "l", "  scheme: light\n", theme)
    assert "prefers-color-scheme" not in light and "--surface:" not in light
    assert "color-scheme: light;" in light
    dark, _ = _options_css(tmp_path / "d", "  scheme: dark\n", theme)
    assert "prefers-color-scheme" not in dark and "--surface:" in dark and "color-scheme: dark;" in dark
    assert "@media screen {" in dark  # a printout stays dark on white
    page = (tmp_path / "d" / "output" / "index.html").read_text()
    assert '<meta name="color-scheme" content="dark">' in page


def test_font_pairings_are_system_stacks(tmp_path: Path) -> None:
    css, _ = _options_css(tmp_path, "  fonts: technical\n")
    assert "--font-display: ui-monospace" in css
    assert "url(" not in css and "@import" not in css  # nothing downloaded


def test_an_unreadable_accent_is_kept_for_fills_and_text_switches(tmp_path: Path) -> None:
    css, warnings = _options_css(tmp_path, '  accent: "#ffd400"\n')
    assert "--accent: #ffd400;" in css
    text = re.search(r"--accent-text: (#\w+);", css)[1]  # type: ignore[index]
    on = re.search(r"--on-accent: (#\w+);", css)[1]  # type: ignore[index]
    assert ratio(text, "#f3f1ec") >= AA_TEXT and ratio(on, "#ffd400") >= AA_TEXT
    assert "portfolio.yaml:" in warnings and "theme_options.accent" in warnings
    assert "#ffd400 does not reach WCAG AA contrast (4.5:1) for text" in warnings
    assert "text on it (buttons) is #111111 instead of white" in warnings
    _, fine = _options_css(tmp_path / "ok", '  accent: "#1d4ed8"\n')
    assert "accent" not in fine


@pytest.mark.parametrize("accent", ["#ffd400", "#1d4ed8", "#00ff00", "#777777", "#ffffff", "#000000"])
def test_accent_colours_always_pass_aa(accent: str) -> None:
    light, dark = ("#ffffff", "#f3f1ec"), ("#121211", "#252522")
    colours = accent_colours(accent, light, dark)
    assert colours.accent == accent
    assert ratio(colours.on_accent, accent) >= AA_TEXT
    assert all(ratio(colours.text_light, bg) >= AA_TEXT for bg in light)
    assert all(ratio(colours.text_dark, bg) >= AA_TEXT for bg in dark)
    assert ratio("#ffffff", "#000000") == pytest.approx(21)


def test_bad_option_values_are_errors_at_their_line(tmp_path: Path) -> None:
    root = write_site(tmp_path, {}, CONFIG + "theme_options:\n  scheme: dusk\n  font: modern\n")
    errors = build_errors(root)
    assert 'portfolio.yaml:8: theme_options.scheme: expected one of auto, light, dark, got "dusk"' in errors
    assert "unknown option `font`" in errors and "did you mean `fonts`?" in errors


# -- the site's words ------------------------------------------------------------------------


def test_words_override_the_theme_by_key_or_last_part(tmp_path: Path) -> None:
    config = CONFIG + (
        "language: fr\nwords:\n  featured_intro: Quelques projets dont je suis fière\n"
        "  footer.built: ''\n  home:\n    all_work: Voir les {count} projets\n    contact: Parlons-en !\n"
    )
    files = {
        f"content/case-studies/s{i}.md": study(title=f"S{i}", front="featured: true\n") for i in range(2)
    }
    files["content/case-studies/extra.md"] = study(title="Extra")
    root = write_site(tmp_path, files, config)
    run_build(root)
    home = html.unescape((root / "output" / "index.html").read_text())
    assert "Quelques projets dont je suis fière" in home and "fier·e" not in home
    assert "Réalisé avec portfolio" not in home and "<p></p>" not in home
    assert "Voir les 3\u00a0projets" in home  # a count and its word on one line
    assert "Parlons-en\u202f!" in home  # French typography for the user's words too


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            "  featured_intr: x\n",
            "portfolio.yaml:8: words.featured_intr: the theme has no word `featured_intr`",
        ),
        ("  all_work: Voir {n}\n", "words.all_work: uses {n}, which this word does not fill"),
        ("  skip: 'a {b'\n", "words.skip: has a `{` or `}` that is not a placeholder"),
        ("  skip: [a, b]\n", "words.skip: expected a line of text"),
    ],
)
def test_bad_words_are_errors_naming_the_key(tmp_path: Path, words: str, expected: str) -> None:
    root = write_site(tmp_path, {}, CONFIG + "words:\n" + words)
    errors = build_errors(root)
    assert expected in errors
    if "featured_intr" in words:
        assert "did you mean `featured_intro`?" in errors


def test_a_word_the_user_writes_is_read_by_the_leak_guard(tmp_path: Path) -> None:
    files = {
        "content/case-studies/a.md": study(
            front="client: {name: Halden Cycles, consent: pending, anonymized_as: a bike shop}\n"
        )
    }
    root = write_site(tmp_path, files, CONFIG + "words:\n  featured_intro: Work for Halden Cycles\n")
    errors = build_errors(root)
    assert "portfolio.yaml:8: words.featured_intro: names 'Halden Cycles'" in errors


# -- one headline figure everywhere -----------------------------------------------------------

HEADLINES = {
    "change": ("{label: Reach, before: 100, after: 400, unit: followers}", "400 followers"),
    "value": ("{label: Revenue, value: 1200, unit: '€'}", "€1,200"),
    "dated series": ("{label: Subs, series: [{x: 2025-01-06, y: 30}, {x: 2025-02-03, y: 50}]}", "50"),
    "dated bar series": (
        "{label: Subs, series: [{x: 2025-01, y: 30}, {x: 2025-02, y: 20}], chart: bar}",
        "20",
    ),
    "bar series": ("{label: Split, series: [{x: TikTok, y: 900}, {x: Email, y: 100}], chart: bar}", "900"),
    "confidential change": ("{label: Sales, before: 100, after: 150, confidential: true}", "+50%"),
    "confidential value": ("{label: Sales, value: 150, confidential: true}", "—"),
    "confidential series": (
        "{label: Subs, series: [{x: 2025-01-06, y: 30}, {x: 2025-02-03, y: 60}], confidential: true}",
        "+100%",
    ),
}


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment, spaces collapsed (no-break ones too)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


# Every kind in the default theme; the others lay the figure out in their own macros (data's
# rows and tiles), so the kinds that differ most are checked there too.
CASES = [("default", kind) for kind in HEADLINES] + [
    (theme, kind) for theme in ("bold", "data") for kind in ("bar series", "confidential change", "change")
]


@pytest.mark.parametrize(("theme", "kind"), CASES)
def test_the_headline_figure_is_the_same_on_card_results_and_social_card(
    tmp_path: Path, kind: str, theme: str
) -> None:
    """The bug this guards: a bar chart's card showed 900 and its link preview drew 100."""
    metric, expected = HEADLINES[kind]
    files = {
        "content/case-studies/a.md": study(
            title="Relaunch", front=f"featured: true\nmetrics:\n  - {metric}\n"
        )
    }
    result = run_build(write_site(tmp_path, files, CONFIG + f"theme: {theme}\n"))
    out = tmp_path / "output"
    lists = (out / "case-studies/index.html").read_text() + (out / "index.html").read_text()
    on_cards = re.findall(r'class="(?:card-figure|work-number)">(.*?)</strong>', lists, re.S)
    results = (out / "results/index.html").read_text()
    on_results = re.findall(r'<p class="metric-figure">(.*?)</p>', results, re.S)
    drawn = dict(result.counts.card_words)
    social = next(words for url, words in drawn.items() if "case-studies-a-" in url)
    assert on_cards and {_text(f) for f in on_cards} == {expected}
    assert on_results and _text(on_results[0]) == expected
    assert expected in _text(social), social


# -- inheritance and overrides, over each bundled theme ---------------------------------------


@pytest.mark.parametrize("theme", ["default", "bold", "data"])
def test_a_site_theme_extends_each_bundled_theme_and_the_site_overrides_it(
    tmp_path: Path, theme: str
) -> None:
    """extends, a theme given as a path, the `NAME:` and `theme/` prefixes, the site's own
    templates/, static files merged file by file and words merged key by key."""
    files = {
        **FEATURES,
        "mytheme/theme.yaml": (
            f"name: mine\ndescription: Mine.\nextends: {theme}\n"
            "options:\n  density: {type: choice, choices: [airy, compact], default: compact}\n"
        ),
        "mytheme/templates/page.html": (
            f'{{% extends "{theme}:page.html" %}}{{% block main %}}<p class="child">CHILD '
            "{{ site.options.density }} {{ site.options.accent }}</p>{{ super() }}{% endblock %}"
        ),
        "mytheme/static/site.css": "body { color: #111; }\n",
        "mytheme/static/extra.css": "p { margin: 0; }\n",
        "mytheme/i18n/en.yaml": "footer:\n  built: Made by hand.\n",
        "templates/404.html": '{% extends "theme/404.html" %}{% block title %}MY 404{% endblock %}',
    }
    root = write_site(tmp_path, files, CONFIG + "theme: ./mytheme\n")
    run_build(root)
    out = root / "output"
    about = (out / "about/index.html").read_text()
    accent = {"default": "#1d4ed8", "bold": "#c8005a", "data": "#0e7490"}[theme]
    assert f'<p class="child">CHILD compact {accent}</p>' in about and "Hello." in about  # super(): the page
    assert "Made by hand." in about and "Made with portfolio" not in about  # words, key by key
    missing = (out / "404.html").read_text()
    assert "<title>MY 404</title>" in missing and 'class="site-header"' in missing  # theme/ prefix
    assert (out / "assets/site.css").read_text() == "body { color: #111; }\n"  # file by file
    assert (out / "assets/extra.css").is_file()
    if theme != "default":
        assert (out / f"assets/{theme}.css").is_file() and f"assets/{theme}.css" in about
    home = (out / "index.html").read_text()
    assert {"default": 'class="hero"', "bold": 'class="pitch-band"', "data": 'class="kpis"'}[theme] in home


def test_theme_options_unknown_to_a_child_theme_are_errors_naming_its_options(tmp_path: Path) -> None:
    files = {"mytheme/theme.yaml": "name: mine\nextends: data\n"}
    root = write_site(tmp_path, files, CONFIG + "theme: ./mytheme\ntheme_options:\n  colour: '#000000'\n")
    errors = build_errors(root)
    assert "portfolio.yaml:9: theme_options.colour: unknown option `colour` for theme 'mine'" in errors


def test_a_site_theme_named_like_its_parent_reaches_the_parent_by_name(tmp_path: Path) -> None:
    files = {
        **FEATURES,
        "themes/default/theme.yaml": "name: default\nextends: default\n",
        "themes/default/templates/base.html": (
            '{% extends "default:base.html" %}{% block title %}OWN{% endblock %}'
        ),
    }
    root = write_site(tmp_path, files, CONFIG + "theme: ./themes/default\n")
    run_build(root)
    assert "<title>OWN</title>" in (root / "output/about/index.html").read_text()


# -- counts in the singular and the plural ------------------------------------------------------

# (language, count, singular?): French puts 0 and 1 in the singular, English only 1.
SINGULAR = [
    ("fr", 0, True), ("fr", 1, True), ("fr", 2, False), ("fr", 10, False), ("fr", "1", True),
    ("en", 0, False), ("en", 1, True), ("en", 2, False), ("en", "1", True), ("en", "12", False),
]  # fmt: skip


@pytest.mark.parametrize(("language", "count", "expected"), SINGULAR)
def test_which_counts_take_the_singular(language: str, count: object, expected: bool) -> None:
    from portfolio.locale import singular

    assert singular(count, language) is expected


# (language, key, count, the word shown): `KEY_one` stands in where the count is singular.
COUNTED = [
    ("fr", "list.count", 0, "0\u00a0étude de cas"),
    ("fr", "list.count", 1, "1\u00a0étude de cas"),
    ("fr", "list.count", 3, "3\u00a0études de cas"),
    ("en", "list.count", 0, "0 case studies"),
    ("en", "list.count", 1, "1 case study"),
    ("en", "list.count", 3, "3 case studies"),
    ("fr", "data.studies", 1, "étude de cas"),
    ("fr", "data.studies", 0, "étude de cas"),
    ("fr", "data.studies", 2, "études de cas"),
    ("en", "data.studies", 1, "case study"),
    ("en", "data.studies", 0, "case studies"),
    ("fr", "data.skills", 1, "compétence"),
    ("fr", "data.channels", 1, "canal"),
    ("en", "data.channels", 1, "channel"),
    ("fr", "study.team_size", 4, "4\u00a0personnes"),
]


@pytest.mark.parametrize(("language", "key", "count", "expected"), COUNTED)
def test_a_counted_word_agrees_with_its_count(language: str, key: str, count: int, expected: str) -> None:
    from portfolio.locale import Formatter, load_words

    words = load_words([REPO / "themes" / "data", REPO / "themes" / "default"], language)
    assert Formatter(language, words).word(key, count=count) == expected


@pytest.mark.parametrize("theme", ["default", "bold", "data"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_one_case_study_is_counted_in_the_singular_in_every_theme(
    tmp_path: Path, theme: str, language: str
) -> None:
    """One case study with one skill and one channel: no "1 études de cas" / "1 case studies"
    anywhere, the screen-reader words included (a newcomer trial found them in data)."""
    files = {"content/case-studies/a.md": study("skills: [SEO]\nchannels: [TikTok]", title="Une campagne")}
    config = CONFIG + f"theme: {theme}\nlanguage: {language}\n"
    root = write_site(tmp_path / "site", files, config=config)
    run_build(root)
    text = "\n".join(
        html.unescape(re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8")))
        for p in (root / "output").rglob("*.html")
    )
    text = re.sub(r"[\s\u00a0\u202f]+", " ", text)
    plural = {"fr": r"\b1 (études|compétences|canaux)\b", "en": r"\b1 (case studies|skills|channels)\b"}
    assert not re.search(plural[language], text), re.search(plural[language], text)
    assert ("1 étude de cas" if language == "fr" else "1 case study") in text


@pytest.mark.parametrize("folder", ["mytheme", "themes/mytheme"])
def test_a_theme_folder_of_the_site_may_be_named_without_dot_slash(tmp_path: Path, folder: str) -> None:
    """`theme: mytheme` for the site's own `mytheme/` (or Hugo's `themes/mytheme/`) folder."""
    root = write_site(
        tmp_path,
        {
            "portfolio.yaml": CONFIG + "theme: mytheme\n",
            f"{folder}/theme.yaml": "name: mytheme\ndescription: Mine\nextends: default\n",
            f"{folder}/static/extra.css": "/* mine */\n",
            "content/case-studies/a.md": study(),
        },
    )
    run_build(root)
    assert (root / "output/assets/extra.css").read_text() == "/* mine */\n"
    (root / folder / "theme.yaml").unlink()  # without theme.yaml it is not a theme
    assert "portfolio.yaml:7: theme: no theme named 'mytheme'" in build_errors(root)
