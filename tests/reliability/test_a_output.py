"""RELIABILITY.md, A. The output folder (A1-A7): what a build may write, keep and remove."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CONFIG, run_build, study, write_site
from harness import cli_run, env, git, leftovers, stamps, tree, tree_diff, until
from images import jpeg

from portfolio.errors import UsageProblem
from portfolio.output import MARKER


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(title="First work"),
            "content/pages/about.md": "---\ntitle: About\n---\nHello.\n",
        },
    )


@pytest.mark.parametrize("where", ["the site", "content/", "a parent of the site", "home (~)", "/"])
def test_A1_dangerous_output_folders_are_refused_before_anything_is_touched(
    site: Path, tmp_path: Path, where: str
) -> None:
    """A1: `--output` equal to the site folder, to content/, to a parent of the site, to ~ or
    to /: a real `portfolio build` exits 2 with one line, and no byte on disk changes (not
    even the cache folder is made)."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.docx").write_text("years of work")
    target = {
        "the site": site,
        "content/": site / "content",
        "a parent of the site": tmp_path,
        "home (~)": home,  # what the shell makes of `--output ~`
        "/": Path("/"),
    }[where]
    before = stamps(tmp_path)
    run = cli_run(["build", "--output", str(target)], cwd=site, HOME=str(home))
    run.refused(code=2)
    assert f"refusing to write the site to {target}: it " in run.err, run.err
    assert run.err.count("\n") == 1, run.err  # one line
    assert stamps(tmp_path) == before
    assert not (site / ".portfolio-cache").exists()


@pytest.mark.parametrize(
    "case", ["output inside content", "content inside output", "through a symlinked parent", "content linked"]
)
def test_A2_output_and_content_never_nest_compared_after_realpath(
    site: Path, tmp_path: Path, case: str
) -> None:
    """A2: output inside content/ or content/ inside the output, also through a symlinked
    parent, refused (exit 2) with nothing changed; paths are compared after realpath."""
    if case == "output inside content":
        target = site / "content/pages/out"
    elif case == "content inside output":
        # The site's content/ is a link into the folder asked for as output.
        shared = tmp_path / "shared"
        shutil.move(site / "content", shared / "content")
        os.symlink(shared / "content", site / "content")
        target = shared
    elif case == "through a symlinked parent":
        os.symlink(site / "content", tmp_path / "innocent-looking")
        target = tmp_path / "innocent-looking/out"
    else:  # content/ itself a link: the output inside its real folder is refused too
        real = tmp_path / "real-content"
        shutil.move(site / "content", real)
        os.symlink(real, site / "content")
        target = real / "out"
    before = stamps(tmp_path)
    with pytest.raises(UsageProblem) as info:
        run_build(site, output=target)
    assert info.value.exit_code == 2
    assert "refusing to write the site to" in info.value.format_message()
    assert "content/" in info.value.format_message()
    assert stamps(tmp_path) == before


def test_A2_a_sibling_with_a_longer_name_is_not_inside(site: Path, tmp_path: Path) -> None:
    """A2: `/r/site` is not inside `/r/site-old`, nor `content-old` inside `content`: paths
    are compared component by component, so such outputs are built."""
    run_build(site, output=tmp_path / "site-old")
    run_build(site, output=site / "content-old")
    assert (tmp_path / "site-old/index.html").is_file()
    assert (site / "content-old/index.html").is_file()


def test_A3_a_foreign_folder_is_refused_an_empty_or_host_only_one_adopted(site: Path, tmp_path: Path) -> None:
    """A3: an existing output folder without our marker that holds anything but host files
    is refused, untouched; an empty one is adopted; one holding only host files too (here a
    real `git worktree` of a gh-pages branch, whose .git is a file)."""
    foreign = tmp_path / "foreign"
    (foreign / "notes").mkdir(parents=True)
    (foreign / "notes/thesis.md").write_text("years of work")
    (foreign / "CNAME").write_text("me.example\n")
    before = stamps(foreign)
    run = cli_run(["build", "--output", str(foreign)], cwd=site)
    run.refused(code=2)
    assert "already exists and holds files that are not from portfolio (notes)" in run.err
    assert stamps(foreign) == before

    empty = tmp_path / "empty"
    empty.mkdir()
    run_build(site, output=empty)
    assert (empty / "index.html").is_file() and (empty / MARKER).is_file()

    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    git("commit", "-q", "--allow-empty", "-m", "start", cwd=repo)
    worktree = tmp_path / "pages"
    git("worktree", "add", "-q", "-b", "gh-pages", str(worktree), cwd=repo)  # an empty commit
    assert [p.name for p in worktree.iterdir()] == [".git"] and (worktree / ".git").is_file()
    run_build(site, output=worktree)
    assert (worktree / "index.html").is_file()
    assert "index.html" in git("status", "--porcelain", "--untracked-files=all", cwd=worktree)


HOST = {
    ".git/HEAD": "ref: refs/heads/gh-pages\n",
    ".git/config": "[core]\n\tbare = false\n",
    "CNAME": "camille.example.com\n",
    ".nojekyll": "",
    "_redirects": "/old /new 301\n",
    ".domains": "camille.example.com\n",
}


@pytest.mark.parametrize("git_kind", ["folder", "worktree file"])
def test_A4_host_dot_files_survive_every_kind_of_rebuild(site: Path, git_kind: str) -> None:
    """A4: .git (a folder, or a file as in a git worktree), CNAME, .nojekyll, _redirects and
    .domains put in the output by the user or a host survive a first build, a no-op
    build, a build that changes pages and one that swaps in a whole new site."""
    out = site / "output"
    files = dict(HOST)
    if git_kind == "worktree file":
        del files[".git/HEAD"], files[".git/config"]
        files[".git"] = "gitdir: /home/me/repo/.git/worktrees/pages\n"
    write_site(out, files, config=None)
    run_build(site)
    run_build(site)  # nothing changed: no swap
    (site / "content/case-studies/a.md").write_text(study(title="Renamed work"))
    assert run_build(site).swapped
    run_build(site, base_url="https://elsewhere.example/")  # every page changes
    for rel, text in files.items():
        assert (out / rel).read_text() == text, rel
    assert "Renamed work" in (out / "index.html").read_text()


def test_A5_a_symlink_in_the_old_output_goes_and_its_target_is_untouched(site: Path, tmp_path: Path) -> None:
    """A5: links put inside the old output (to a file, to a folder, and in place of folders
    and files the new site writes) are removed, never written through: what they point at
    keeps its bytes, and the output holds real files again."""
    run_build(site)
    out = site / "output"
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "docs").mkdir(parents=True)
    (elsewhere / "docs/precious.txt").write_text("keep me")
    (elsewhere / "index.html").write_text("my own page")
    before = stamps(elsewhere)
    os.symlink(elsewhere / "docs/precious.txt", out / "link.txt")
    os.symlink(elsewhere / "docs", out / "linked-folder")
    shutil.rmtree(out / "case-studies")
    os.symlink(elsewhere / "docs", out / "case-studies")  # a folder the new site fills
    (out / "index.html").unlink()
    os.symlink(elsewhere / "index.html", out / "index.html")  # a file the new site writes
    result = run_build(site)
    assert result.swapped
    assert stamps(elsewhere) == before
    for name in ("link.txt", "linked-folder"):
        assert not os.path.lexists(out / name), name
    assert not (out / "case-studies").is_symlink() and (out / "case-studies/a/index.html").is_file()
    assert not (out / "index.html").is_symlink() and "First work" in (out / "index.html").read_text()


def test_A6_renamed_deleted_and_withdrawn_work_leaves_no_stale_output(tmp_path: Path) -> None:
    """A6: after renaming a case study, deleting one and withdrawing another's consent, the
    next build is exactly a clean build of the new content: no old page, image, social
    card, filter page, feed, sitemap or results entry is left (checked on the whole tree)."""
    files: dict[str, str | bytes] = {
        "content/images/old-cover.jpg": jpeg(colour=(200, 10, 10)),
        "content/images/gone-cover.jpg": jpeg(colour=(10, 200, 10)),
        "content/images/acme-logo.jpg": jpeg(colour=(10, 10, 200)),
        "content/case-studies/old-name.md": study(
            title="Renamed work", front="cover: {src: ../images/old-cover.jpg, alt: A}"
        ),
        "content/case-studies/gone.md": study(
            title="Deleted work",
            front="skills: [Onlygoneskill]\ncover: {src: ../images/gone-cover.jpg, alt: B}\n"
            "metrics:\n  - {label: Gonemetric, value: 12, source: GA4}",
        ),
        "content/case-studies/acme.md": study(
            title="Work for {client}",
            front="client: {name: Acme Rockets, consent: granted, logo: ../images/acme-logo.jpg}\n"
            "channels: [Onlyacmechannel]",
        ),
    }
    root = write_site(tmp_path / "site", files)
    run_build(root)
    out = root / "output"
    assert (out / "case-studies/old-name/index.html").is_file() and (out / "case-studies/skill").is_dir()
    (root / "content/case-studies/old-name.md").rename(root / "content/case-studies/new-name.md")
    (root / "content/case-studies/gone.md").unlink()
    acme = root / "content/case-studies/acme.md"
    acme.write_text(acme.read_text().replace("consent: granted", "consent: denied"))
    result = run_build(root)
    assert result.swapped and result.removed > 5
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("output", ".portfolio-cache"))
    run_build(clean, use_cache=False)
    assert tree(out) == tree(clean / "output"), tree_diff(tree(out), tree(clean / "output"))
    everything = b"".join(k.encode() + v for k, v in tree(out).items()).lower()
    for stale in (b"old-name", b"deleted work", b"onlygoneskill", b"gonemetric", b"gone-cover", b"acme"):
        assert stale not in everything, stale


def test_A7_serve_never_writes_to_the_output_folder(site: Path) -> None:
    """A7: a real `portfolio serve` of a built site, through a save and its rebuild, leaves
    output/ as it was (bytes, times and inodes) and writes nothing in the site but its
    cache."""
    run_build(site)
    before = stamps(site / "output")
    site_before = {k: v for k, v in stamps(site).items() if not k.startswith((".portfolio-cache", "output"))}
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "portfolio", "serve", "--port", str(port)],
        cwd=site,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/case-studies/a/"

    def page() -> str:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())

    try:
        until(lambda: "First work" in page())
        (site / "content/case-studies/a.md").write_text(study(title="Saved while serving"))
        until(lambda: "Saved while serving" in page())
        time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    assert stamps(site / "output") == before
    after = {k: v for k, v in stamps(site).items() if not k.startswith((".portfolio-cache", "output"))}
    changed = sorted(k for k in set(site_before) | set(after) if site_before.get(k) != after.get(k))
    assert changed == ["content/case-studies/a.md"], changed
    assert leftovers(site) == []


def test_A7_a_build_writes_nothing_but_its_output_its_staging_and_its_cache(tmp_path: Path) -> None:
    """A7 (the build's side): a real `portfolio build` with everything on (photos, social
    cards, two languages, the PDF, an application) writes nothing outside `output/` and
    `.portfolio-cache/`: not in the sources, not in the home folder, not in the temporary
    folder, not in the caches fonts and PDFs could use (XDG_CACHE_HOME), and leaves no
    staging folder beside the site. (A folder's own time may move: Python's library loader
    tries a file in TMPDIR and removes it when WeasyPrint loads Pango; nothing is left.)"""
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    files: dict[str, str | bytes] = {
        "content/images/c.jpg": jpeg(300, 200),
        "content/case-studies/a.md": study(
            title="Paid social", front="cover: {src: ../images/c.jpg, alt: A}\nskills: [Ads]"
        ),
        "content/case-studies/a.fr.md": "---\ntitle: Social payant\n---\nEn français.\n",
        "content/applications/acme.md": "---\ncompany: Acme\nrole: Lead\ntoken: q8Zt3kLw2mXa\n"
        "case_studies: [a]\n---\nHello Acme.\n",
    }
    site = write_site(
        tmp_path / "site", files, config=CONFIG + "languages: [en, fr]\nsocial_cards: true\npdf: true\n"
    )
    mine = (os.path.join("site", "output"), os.path.join("site", ".portfolio-cache"))

    def seen() -> dict[str, tuple[bytes, int, int]]:
        return {
            rel: (v if not rel.endswith("/") else (b"", 0, v[2]))
            for rel, v in stamps(tmp_path).items()
            if not rel.startswith(mine)
        }

    before = seen()
    run = cli_run(
        ["build"], site, timeout=300, HOME=str(home), TMPDIR=str(temp), XDG_CACHE_HOME=str(home / ".cache")
    )
    assert run.code == 0, run.err
    after = seen()
    assert after == before, tree_diff(
        {k: v[0] for k, v in before.items()}, {k: v[0] for k, v in after.items()}
    )
    assert (site / "output/portfolio.pdf").is_file() and any((site / "output/social").iterdir())
