"""Every theme in both languages, judged as outside tools judge a site: the W3C Nu HTML
checker (vnu) with zero errors, axe-core in real Chromium with zero violations in light and
dark on every page type, no horizontal overflow at 320 px, a visible skip link and focus,
no motion for readers who ask for none, and screenshots at 390 and 1280 px kept as test
artifacts (.test-artifacts/screenshots/, or $PORTFOLIO_ARTIFACTS).

The site judged is the demo (English at the root, French under fr/) with `theme:` changed,
plus one case study with what the demo lacks (a video file, a confidential figure, a bar
chart over categories).
vnu.jar and axe-core come from npm (`.ci/run` installs them under .ci/node/); the tests look
there, then in $JUDGE_NODE_MODULES and ../shared/judges' cache. Without them the tests skip,
unless PORTFOLIO_REQUIRE_JUDGES=1 (set by CI), where a missing tool fails.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, run_build, write_site

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
THEMES = ("default", "bold", "data")
LANGUAGES = ("en", "fr")
ARTIFACTS = Path(os.environ.get("PORTFOLIO_ARTIFACTS", REPO / ".test-artifacts"))
REQUIRED = os.environ.get("PORTFOLIO_REQUIRE_JUDGES") == "1"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
FEATURES = """\
---
title: Launch teaser for a video series
date: 2024-02-01
summary: A teaser and its numbers by platform, with the revenue kept confidential.
kind: personal
role: Producer and editor
channels: [TikTok, Email]
skills: [Video]
gallery:
  - {video: ../files/teaser.mp4, poster: ../images/northern-roast-tiktok-poster.jpg, alt: The teaser video}
metrics:
  - {label: Views by platform, series: [{x: TikTok, y: 900}, {x: Email, y: 100}], chart: bar, headline: true}
  - {label: Revenue, value: 1200, unit: "€", confidential: true}
  - {label: Sales, before: 100, after: 150, confidential: true}
---
A short series, to show every kind of gallery item and metric.
"""


def _node_modules() -> Path | None:
    candidates = [
        os.environ.get("JUDGE_NODE_MODULES", ""),
        str(REPO / ".ci" / "node" / "node_modules"),
        str(Path.home() / ".cache" / "site-judges" / "node" / "node_modules"),
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "axe-core" / "axe.min.js").is_file():
            return Path(candidate)
    return None


MODULES = _node_modules()
JAVA = shutil.which("java")
playwright_api = pytest.importorskip("playwright.sync_api")
_missing = [
    what
    for what, there in (
        ("Debian's chromium", CHROMIUM.exists()),
        ("axe-core and vnu-jar from npm", MODULES is not None),
        ("a Java runtime", JAVA is not None),
    )
    if not there
]
if _missing and REQUIRED:
    raise RuntimeError(f"the browser judges need {', '.join(_missing)} (see .ci/run)")
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"needs {', '.join(_missing)}")


def demo_copy(folder: Path, theme: str) -> Path:
    """The bilingual demo site with another theme, and the features it lacks."""
    folder.mkdir(parents=True)
    for name in ("content", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, folder / name)
    (folder / "content/files/teaser.mp4").write_bytes(MP4)
    (folder / "content/case-studies/launch-teaser.md").write_text(FEATURES, encoding="utf-8")
    config = (REPO / "portfolio.yaml").read_text(encoding="utf-8")
    config = re.sub(r"^theme: .*$", f"theme: {theme}", config, flags=re.M)
    assert re.search(r"^languages: \[en, fr\]", config, flags=re.M), "the demo is English and French"
    if theme != "default":  # each theme in its own colours: the demo's accent is the default's
        config = re.sub(r"^theme_options:\n  accent: .*\n", "", config, flags=re.M)
    (folder / "portfolio.yaml").write_text(config, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """The bilingual demo built with each theme (images made once, then reused); both
    languages of a theme are the same build."""
    base = tmp_path_factory.mktemp("judged")
    built: dict[tuple[str, str], Path] = {}
    first_cache: Path | None = None
    for theme in THEMES:
        root = demo_copy(base / theme, theme)
        if first_cache is not None:  # the images, charts and Markdown made by the first build
            shutil.copytree(
                first_cache,
                root / ".portfolio-cache",
                ignore=shutil.ignore_patterns("build.lock", "builds"),
            )
        run_build(root)
        first_cache = first_cache or root / ".portfolio-cache"
        for language in LANGUAGES:
            built[(theme, language)] = root / "output"
    return built


def test_every_page_of_every_theme_and_language_passes_the_nu_html_checker(
    sites: dict[tuple[str, str], Path],
) -> None:
    assert MODULES is not None and JAVA is not None
    vnu = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    run = subprocess.run(
        [JAVA, "-jar", str(vnu), "--errors-only", "--format", "json", "--skip-non-html",
         "--also-check-css", "--also-check-svg", *sorted({str(out) for out in sites.values()})],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    errors = [
        f"{m.get('url', '?').split('/judged')[-1]}:{m.get('lastLine', '?')}: {m.get('message')}"
        for m in report["messages"]
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors[:30])
    pages = sum(1 for out in set(sites.values()) for _ in out.rglob("*.html"))
    assert pages >= 3 * 50


def pages_in(out: Path, language: str) -> list[str]:
    """The page types of one language of the bilingual demo: English at the root, French
    under fr/ (the one 404 page is the root's)."""
    if language == "en":
        return [p for p in page_types(out) if not p.startswith("fr/")]
    return [f"fr/{p}" for p in page_types(out / "fr") if p != "404.html"]


def page_types(out: Path) -> list[str]:
    """Every page but the filter pages past the first: home, 404, the sections and free pages,
    every case study, one filter page. Found by depth, so URL segments in any language do."""
    top = sorted(p.relative_to(out).as_posix() for p in out.glob("*/index.html"))
    second = sorted(p.relative_to(out).as_posix() for p in out.glob("*/*/index.html"))
    facet = sorted(p.relative_to(out).as_posix() for p in out.glob("*/*/*/index.html"))[:1]
    return ["index.html", "404.html", *top, *second, *facet]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # Chromium drops connections it no longer needs: not worth a traceback


@pytest.fixture(scope="module")
def servers(sites: dict[tuple[str, str], Path]) -> Iterator[dict[tuple[str, str], str]]:
    """Each built site at the root of its own server on 127.0.0.1 (404.html links from /)."""
    running = []
    urls: dict[tuple[str, str], str] = {}
    by_folder: dict[Path, str] = {}
    for key, out in sites.items():
        if out not in by_folder:
            httpd = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
            running.append(httpd)
            by_folder[out] = f"http://127.0.0.1:{httpd.server_port}/"
        urls[key] = by_folder[out]
    yield urls
    for httpd in running:
        httpd.shutdown()


AXE = (
    "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']})"
    ".then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + "
    "v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))"
)
AXE_CONTRAST = AXE.replace(
    "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}",
    "{runOnly: {type: 'rule', values: ['color-contrast', 'link-in-text-block']}}",
)
# Lazy images load before a full-page screenshot: asked for at once, then awaited (up to 3 s).
EAGER = """async () => {
  const lazy = [...document.images].filter(i => i.loading === "lazy");
  lazy.forEach(i => { i.loading = "eager"; });
  const waiting = [...document.images].filter(i => !i.complete);
  const loaded = Promise.all(waiting.map(i => new Promise(r => { i.onload = i.onerror = r; })));
  await Promise.race([loaded, new Promise(r => setTimeout(r, 3000))]);
}"""


@pytest.mark.parametrize("theme", THEMES)
def test_axe_overflow_focus_motion_and_screenshots(
    theme: str, sites: dict[tuple[str, str], Path], servers: dict[tuple[str, str], str]
) -> None:
    """Each page type in both languages: no axe violation (WCAG 2.2 A and AA, best practice)
    in light, no contrast violation in dark (checked in English: the palette does not change
    with the words), nothing wider than a 320 px screen (nor at 200 % zoom); the skip link
    first and visible on focus; no transition with reduced motion; screenshots at 390 and
    1280 px."""
    assert MODULES is not None
    axe = (MODULES / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob(f"{theme}-*.png"):
        old.unlink()
    problems: list[str] = []
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        for language in LANGUAGES:
            out, base = sites[(theme, language)], servers[(theme, language)]
            types = pages_in(out, language)
            study = next(t for t in types if "northern-roast-tiktok" in t)
            work = study.rsplit("/", 2)[0] + "/index.html"
            pictured = {types[0]: "home", work: "list", study: "study"}
            # The dark palette is colours only, the same in both languages: checked in English.
            for scheme in ("light", "dark") if language == "en" else ("light",):
                page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
                narrow = browser.new_page(viewport={"width": 320, "height": 720}, color_scheme=scheme)
                for rel in types:
                    url = base + rel.removesuffix("index.html")
                    page.goto(url)
                    page.add_script_tag(content=axe)
                    # Dark changes colours only: its run checks contrast (a third of the time).
                    check = AXE if scheme == "light" else AXE_CONTRAST
                    problems += [f"{language} {scheme} {rel}: {v}" for v in page.evaluate(check)]
                    if scheme == "light":
                        narrow.goto(url)
                        wide = narrow.evaluate("document.documentElement.scrollWidth - innerWidth")
                        if wide > 0:
                            problems.append(f"{language} {rel}: {wide}px wider than a 320 px screen")
                    if rel in pictured and language == "en":
                        name = f"{theme}-{scheme}-{pictured[rel]}"
                        page.evaluate(EAGER)
                        page.screenshot(path=str(shots / f"{name}-1280.png"), full_page=True)
                        narrow.set_viewport_size({"width": 390, "height": 844})
                        narrow.goto(url)
                        narrow.evaluate(EAGER)
                        narrow.screenshot(path=str(shots / f"{name}-390.png"), full_page=True)
                        narrow.set_viewport_size({"width": 320, "height": 720})
                page.close()
                narrow.close()
            problems += _keyboard_and_motion(browser, base + work.removesuffix("index.html"), language)
            # 200 % zoom of a 1280 px window lays the page out 640 px wide.
            zoomed = browser.new_page(viewport={"width": 640, "height": 450})
            for rel in pictured:
                zoomed.goto(base + rel.removesuffix("index.html"))
                if (wide := zoomed.evaluate("document.documentElement.scrollWidth - innerWidth")) > 0:
                    problems.append(f"{language} {rel}: {wide}px wider than the window at 200 % zoom")
            zoomed.close()
        browser.close()
    assert not problems, "\n".join(problems[:40])
    assert len(list(shots.glob(f"{theme}-*.png"))) == 2 * 3 * 2


def _keyboard_and_motion(browser: object, url: str, language: str) -> list[str]:
    """The first Tab lands on the skip link, shown inside the screen; the next focus has a
    visible outline; with reduced motion nothing transitions."""
    problems = []
    page = browser.new_page(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")  # type: ignore[attr-defined]
    page.goto(url)
    page.keyboard.press("Tab")
    skip = page.evaluate(
        "(() => { const a = document.activeElement, r = a.getBoundingClientRect();"
        " return [a.className, a.getAttribute('href'),"
        " r.top >= 0 && r.bottom <= innerHeight && r.width > 20]; })()"
    )
    if skip != ["skip-link", "#main", True]:
        problems.append(f"{language} {url}: the first Tab shows {skip}, not the skip link")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; })()"
    )
    if not outline:
        problems.append(f"{language} {url}: the focused link has no visible outline")
    moving = page.evaluate(
        "[...document.querySelectorAll('*')].filter(e => { const s = getComputedStyle(e);"
        " return s.transitionDuration.split(',').some(d => parseFloat(d) > 0.01)"
        " || (s.animationName !== 'none' && parseFloat(s.animationDuration) > 0.01); }).length"
    )
    if moving:
        problems.append(f"{language} {url}: {moving} elements still move with prefers-reduced-motion")
    page.close()
    return problems


LONG_STUDY = """\
---
title: Supercalifragilisticexpialidocious relaunch of an internationalisation programme
date: 2025-03-10
summary: A long summary with Donaudampfschifffahrtsgesellschaftskapitän in it.
role: Strategist
featured: true
metrics:
  - {label: Revenue, value: 9876543.21, unit: "€"}
  - {label: Members, before: 1200, after: 41250, unit: community members}
---
Body.
"""


def test_long_names_and_words_never_widen_the_page_at_320_px(tmp_path: Path) -> None:
    """What the demo does not have: a long unbreakable name, address, title and word, and
    many free pages; no theme may push the page sideways on a 320 px screen."""
    problems = []
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 320, "height": 700})
        for theme in THEMES:
            files: dict[str, str | bytes] = {"content/case-studies/a.md": LONG_STUDY}
            files.update(
                {
                    f"content/pages/p{i}.md": f"---\ntitle: A page with a long title {i}\n---\nHi.\n"
                    for i in range(5)
                }
            )
            root = write_site(
                tmp_path / theme,
                files,
                f"title: Test\ntheme: {theme}\nauthor:\n"
                "  name: Maximilianovich Wolfeschlegelsteinhausenberger\n"
                "  email: maximilianovich.wolfeschlegelsteinhausenberger@example.com\n",
            )
            run_build(root)
            httpd = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "output")))
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
            for rel in ("", "case-studies/", "case-studies/a/", "results/", "p0/"):
                page.goto(f"http://127.0.0.1:{httpd.server_port}/{rel}")
                if (wide := page.evaluate("document.documentElement.scrollWidth - innerWidth")) > 0:
                    problems.append(f"{theme} /{rel}: {wide}px wider than a 320 px screen")
            httpd.shutdown()
        browser.close()
    assert not problems, "\n".join(problems)
