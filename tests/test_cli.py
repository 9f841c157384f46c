"""The command line as a user meets it: real processes, exit codes, one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CONFIG, REPO, cli, study, write_site

from portfolio.build import BuildOptions, build


def test_build_from_inside_a_subfolder_finds_the_site(site: Path) -> None:
    result = cli("build", cwd=site / "content/case-studies")
    assert result.returncode == 0, result.stderr
    assert "Built " in result.stdout and (site / "output/index.html").exists()


def test_content_error_exits_1_with_one_line_and_no_traceback(site: Path) -> None:
    (site / "content/case-studies/bad.md").write_text(study(front="tittle: x"))
    result = cli("build", "--site", str(site))
    assert result.returncode == 1
    assert "content/case-studies/bad.md:6: tittle: unknown field `tittle`" in result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_debug_shows_the_traceback(site: Path) -> None:
    (site / "content/case-studies/bad.md").write_text(study(front="tittle: x"))
    result = cli("build", "--site", str(site), "--debug")
    assert result.returncode == 1 and "Traceback" in result.stderr


@pytest.mark.parametrize(
    "args", [["build", "--nope"], ["build", "--site"], ["frobnicate"], ["new", "X", "--kind", "boss"]]
)
def test_wrong_command_line_exits_2(site: Path, args: list[str]) -> None:
    result = cli(*args, cwd=site)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_no_site_found_exits_2(tmp_path: Path) -> None:
    result = cli("build", cwd=tmp_path)
    assert result.returncode == 2
    assert "no portfolio.yaml here or in any parent folder" in result.stderr


def test_bad_base_url_exits_2(site: Path) -> None:
    result = cli("build", "--site", str(site), "--base-url", "not a url")
    assert result.returncode == 2 and "--base-url" in result.stderr
    # A name and password would be published in every canonical link, feed and sitemap.
    result = cli("build", "--site", str(site), "--base-url", "https://user:pw@camille.example/")
    assert result.returncode == 2
    assert "(without a name and password: they would be published)" in result.stderr
    assert not (site / "output").exists()


@pytest.mark.parametrize("command", ["", "build", "init", "new", "themes"])
def test_every_command_has_help(command: str) -> None:
    result = cli(*([command] if command else []), "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout


def test_init_then_build_gives_a_site(tmp_path: Path) -> None:
    result = cli("init", "mysite", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "mysite"
    kinds = sorted(
        p.read_text().split("kind: ")[1].split()[0] for p in (site / "content/case-studies").glob("*.md")
    )
    assert kinds == ["client", "personal", "school"]
    result = cli("build", cwd=site)
    assert result.returncode == 0, result.stderr
    out = site / "output"
    assert (out / "index.html").exists() and len(list(out.glob("case-studies/*/index.html"))) == 3
    assert "Alex Morgan" in (out / "index.html").read_text()


def test_init_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken/notes.txt").write_text("mine")
    result = cli("init", "taken", cwd=tmp_path)
    assert result.returncode == 2 and "is not empty" in result.stderr
    assert (tmp_path / "taken/notes.txt").read_text() == "mine"


@pytest.mark.parametrize("kind", ["client", "agency", "freelance", "volunteer", "personal", "school"])
def test_new_writes_a_valid_draft_with_every_field(site: Path, kind: str) -> None:
    result = cli("new", "Relaunch of Été 2025", "--kind", kind, cwd=site)
    assert result.returncode == 0, result.stderr
    path = site / "content/case-studies/relaunch-of-ete-2025.md"
    text = path.read_text()
    for field in (
        "title:",
        "date:",
        "summary:",
        "kind:",
        "role:",
        "contributions:",
        "collaborators:",
        "team_size:",
        "channels:",
        "skills:",
        "tags:",
        "cover:",
        "gallery:",
        "metrics:",
        "testimonial:",
        "school",
        "featured:",
        "unlisted:",
        "draft: true",
        "slug:",
        "private_notes:",
        "period:",
        "client",
    ):
        assert field in text, field
    assert cli("build", "--strict", cwd=site).returncode == 0  # a draft: valid, not built
    assert not (site / "output/case-studies/relaunch-of-ete-2025").exists()
    published = text.replace("draft: true", "draft: false").replace("consent: pending", "consent: granted")
    path.write_text(published)
    # Published with the starter's placeholders: every one is an error at its line.
    refused = cli("build", cwd=site)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    written = _placeholder_lines(published)
    named = {int(m) for m in re.findall(r"relaunch-of-ete-2025\.md:(\d+): ", refused.stderr)}
    assert written and named == written, (written, named, refused.stderr)
    assert cli("check", cwd=site).returncode == 1
    path.write_text(re.sub(r"\[To fill in: [^\]]*\]", "Real words", published))
    built = cli("build", cwd=site)
    assert built.returncode == 0, built.stderr
    assert (site / "output/case-studies/relaunch-of-ete-2025/index.html").exists()


def _placeholder_lines(text: str) -> set[int]:
    """The lines of a file that hold a starter placeholder outside a YAML comment."""
    lines = set()
    in_front = False
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip() == "---":
            in_front = number == 1
            continue
        if in_front and line.lstrip().startswith("#"):
            continue
        if re.search(r"\[(To fill in|À compléter) ?:", line):
            lines.add(number)
    return lines


@pytest.mark.parametrize("kind", ["client", "school", "personal"])
def test_new_on_a_french_site_writes_french_and_invents_nothing(tmp_path: Path, kind: str) -> None:
    """`new` on a French site: French placeholders and comments, no figure the user did not
    give (no metric, no team size), and build names each placeholder once published."""
    import yaml

    site = write_site(tmp_path / "site", {}, config=CONFIG + "language: fr\n")
    assert cli("new", "Relancer Maison Lune", "--kind", kind, cwd=site).returncode == 0
    path = site / "content/case-studies/relancer-maison-lune.md"
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["metrics"] == [] and "team_size" not in front and front["contributions"] == []
    assert "[À compléter : une phrase avec le résultat qui compte]" in text and "To fill in" not in text
    assert "## Ce que j'ai fait" in text and "What I did" not in text
    assert not re.search(r"^\s*(before|after|value): \d", text, re.M)  # no invented figure
    path.write_text(text.replace("draft: true", "draft: false"), encoding="utf-8")
    refused = cli("build", cwd=site)
    named = {int(m) for m in re.findall(r"relancer-maison-lune\.md:(\d+): ", refused.stderr)}
    assert refused.returncode == 1 and named == _placeholder_lines(text), refused.stderr
    assert "À compléter" in refused.stderr


def test_init_in_french_writes_a_french_site_that_builds_cleanly(tmp_path: Path) -> None:
    result = cli("init", "monsite", "--language", "fr", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "monsite"
    assert "language: fr" in (site / "portfolio.yaml").read_text(encoding="utf-8")
    built = cli("build", "--strict", "--base-url", "https://camille.example/", cwd=site)
    assert built.returncode == 0, built.stdout + built.stderr
    home = (site / "output/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in home and "Camille Martin" in home
    page = (site / "output/etudes-de-cas/lancement-printemps/index.html").read_text(encoding="utf-8")
    assert "Le lancement de la gamme printemps de Maison Lune sur Instagram" in page
    assert (site / "output/a-propos/index.html").exists()
    assert "/consent-requests/" in (site / ".gitignore").read_text()
    english = [w for w in ("Selected work", "What I did", "About me") if w in home + page]
    assert not english, english


def test_new_never_overwrites(site: Path) -> None:
    assert cli("new", "Same", cwd=site).returncode == 0
    path = site / "content/case-studies/same.md"
    path.write_text("my edits")
    result = cli("new", "Same", cwd=site)
    assert result.returncode == 1 and "already exists" in result.stderr
    assert path.read_text() == "my edits"


def test_themes_lists_the_default(site: Path) -> None:
    result = cli("themes")
    assert result.returncode == 0 and result.stdout.startswith("default")


def test_warnings_are_printed_and_strict_fails(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/case-studies/x.md": study(front="cover: {src: c.jpg}")})
    from images import jpeg

    (root / "content/case-studies/c.jpg").write_bytes(jpeg())
    result = cli("build", cwd=root)
    assert result.returncode == 0
    assert "warning: content/case-studies/x.md:6: cover.alt: no alt text" in result.stderr
    assert cli("build", "--strict", cwd=root).returncode == 1


def test_demo_site_builds(tmp_path: Path) -> None:
    result = cli("build", "--site", str(REPO), "--output", str(tmp_path / "demo"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo/index.html").exists()


def test_second_build_of_the_demo_processes_no_image(tmp_path: Path) -> None:
    import re
    import shutil

    site = tmp_path / "demo"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "portfolio.yaml", site / "portfolio.yaml")
    first, second = (cli("build", "--site", str(site), cwd=tmp_path) for _ in range(2))
    made = [re.search(r"images: (\d+) made, (\d+) cached", r.stdout) for r in (first, second)]
    assert made[0] and made[1], (first.stdout, second.stdout)
    # Cold: photos and link-preview cards (a card the two languages share is drawn once).
    assert int(made[0][1]) > 10 and int(made[0][2]) <= 2
    assert int(made[1][1]) == 0 and int(made[1][2]) == int(made[0][1]) + int(made[0][2])


def test_bad_base_url_is_exit_2_even_with_content_errors(site: Path) -> None:
    (site / "content/case-studies/bad.md").write_text(study(front="tittle: x"))
    result = cli("build", "--site", str(site), "--base-url", "nope")
    assert result.returncode == 2 and "--base-url" in result.stderr


def test_empty_output_is_exit_2(site: Path) -> None:
    result = cli("build", "--site", str(site), "--output", "")
    assert result.returncode == 2 and "--output" in result.stderr


def test_summary_counts_drafts_and_held_back_work(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/a.md": study(),
            "content/case-studies/b.md": study(front="draft: true"),
            "content/case-studies/c.md": study(front="client: {name: Acme, consent: denied}"),
            "content/case-studies/d.md": study(
                title="For {client}", front="client: {name: Zeta, consent: pending, anonymized_as: A bank}"
            ),
        },
    )
    result = cli("build", cwd=root)
    assert "2 case studies published (1 anonymized), 1 withheld, 1 draft)." in result.stdout
    assert "  anonymized: content/case-studies/d.md, shown as \u201cA bank\u201d" in result.stdout
    assert "  withheld: content/case-studies/c.md (consent denied;" in result.stdout


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("afile", "is a file"),
        ("afile/sub", "cannot create"),
        ("/proc/portfolio-x", "cannot create"),
    ],
)
def test_init_where_it_cannot_write(tmp_path: Path, target: str, expected: str) -> None:
    (tmp_path / "afile").write_text("x")
    result = cli("init", target, cwd=tmp_path)
    assert result.returncode == 2 and expected in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_a_long_build_and_check_show_where_they_are(tmp_path: Path) -> None:
    """On a terminal (a real pseudo-terminal here), past the delay (0 here): the stage, and
    the pages done out of the total."""
    import os
    import pty

    from portfolio.check import check
    from portfolio.progressbar import TerminalProgress

    files = {f"content/case-studies/s{i}.md": study(title=f"Study {i}") for i in range(3)}
    root = write_site(tmp_path / "site", files)
    for run in ("build", "check"):
        leader, follower = pty.openpty()
        with open(follower, "w", encoding="utf-8", closefd=True) as terminal:
            progress = TerminalProgress(terminal, delay=0)
            if run == "build":
                build(root, BuildOptions(use_cache=False), progress)
            else:
                check(root, BuildOptions(use_cache=False), progress)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            shown += chunk
        os.close(leader)
        text = shown.decode()
        counts = re.findall(r"Rendering pages +\[[#-]+\] +(\d+)/(\d+)", text)
        assert counts and counts[0][0] == "0", (run, text)
        assert counts[-1][0] == counts[-1][1] and int(counts[-1][1]) > 3, (run, text)
