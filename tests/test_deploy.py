"""`portfolio deploy` against a real local bare repository as the remote."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import CONFIG, cli, study, write_site

# Git as a user has it, but with nothing from this machine's own settings.
ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Camille Test",
    "GIT_AUTHOR_EMAIL": "camille@test.example",
    "GIT_COMMITTER_NAME": "Camille Test",
    "GIT_COMMITTER_EMAIL": "camille@test.example",
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **ENV}, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def deploy(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cli("deploy", *args, cwd=root, env=ENV)


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path]:
    """A site in a git repository with one commit on main, and a bare remote `origin`."""
    (tmp_path / "home").mkdir()
    ENV["GIT_CONFIG_GLOBAL"] = str(tmp_path / "home" / "gitconfig")
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(),
            "content/pages/about.md": "---\ntitle: About\n---\nHello.\n",
            ".gitignore": "/output/\n.portfolio-cache/\n",
        },
    )
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(root, "init", "--quiet", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "My portfolio")
    git(root, "remote", "add", "origin", str(remote))
    return root, remote


def _published(remote: Path, branch: str = "gh-pages") -> set[str]:
    return set(git(remote, "ls-tree", "-r", "--name-only", branch).splitlines())


def _output_files(root: Path) -> set[str]:
    out = root / "output"
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {".portfolio-output"}


def test_deploy_publishes_exactly_the_built_site(repo: tuple[Path, Path]) -> None:
    root, remote = repo
    head = git(root, "rev-parse", "HEAD")
    done = deploy(root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Built " in done.stdout  # no output yet: it built first
    assert "; pushed to origin." in done.stdout
    files = _published(remote)
    assert ".nojekyll" in files and "index.html" in files
    # base_url is https://test.example/: a domain of its own, so GitHub Pages needs CNAME.
    # _headers is for Netlify and Cloudflare; GitHub Pages would serve it as a file, and it
    # names the pages shown on request.
    assert files == _output_files(root) - {"_headers"} | {"CNAME"}
    assert git(remote, "show", "gh-pages:CNAME") == "test.example"
    assert git(remote, "show", "gh-pages:.nojekyll") == ""
    # The source branch: same commit, nothing staged or changed, no history rewritten.
    assert git(root, "rev-parse", "HEAD") == head
    assert git(root, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "rev-list", "--count", "main") == "1"
    assert "Deploy the portfolio built from " + head[:12] == git(
        remote, "log", "-1", "--format=%s", "gh-pages"
    )


def test_a_second_deploy_of_an_unchanged_site_makes_no_commit(repo: tuple[Path, Path]) -> None:
    root, remote = repo
    assert deploy(root).returncode == 0
    first = git(remote, "rev-parse", "gh-pages")
    again = deploy(root)
    assert again.returncode == 0, again.stderr
    assert "gh-pages already holds this site" in again.stdout
    assert "origin already has it." in again.stdout
    assert git(remote, "rev-parse", "gh-pages") == first
    assert git(root, "rev-parse", "gh-pages") == first
    # A change is a new commit on top of the last one: the branch keeps its history.
    (root / "content/pages/about.md").write_text("---\ntitle: About\n---\nHello again.\n")
    changed = deploy(root, "--message", "New about page")
    assert changed.returncode == 0, changed.stderr
    assert git(remote, "rev-parse", "gh-pages^") == first
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == "New about page"
    assert "Hello again." in git(remote, "show", "gh-pages:about/index.html")


def test_no_cname_for_github_io_and_the_users_own_cname_wins(repo: tuple[Path, Path]) -> None:
    root, remote = repo
    config = root / "portfolio.yaml"
    config.write_text(CONFIG.replace("https://test.example/", "https://camille.github.io/portfolio/"))
    assert deploy(root).returncode == 0
    assert "CNAME" not in _published(remote)
    config.write_text(CONFIG)
    (root / "static").mkdir()
    (root / "static/CNAME").write_text("www.camille.example\n")
    done = deploy(root)
    assert done.returncode == 0, done.stderr
    assert git(remote, "show", "gh-pages:CNAME") == "www.camille.example"


def test_no_push_commits_locally_only(repo: tuple[Path, Path]) -> None:
    root, remote = repo
    done = deploy(root, "--no-push", "--branch", "site")
    assert done.returncode == 0, done.stderr
    assert "not pushed (--no-push)" in done.stdout
    assert "index.html" in git(root, "ls-tree", "-r", "--name-only", "site")
    assert git(remote, "branch", "--list") == ""
    assert git(root, "rev-parse", "--abbrev-ref", "HEAD") == "main"


def test_force_warns_and_pushes(repo: tuple[Path, Path]) -> None:
    root, remote = repo
    done = deploy(root, "--force")
    assert done.returncode == 0, done.stderr
    assert "warning: --force replaces gh-pages on origin" in done.stderr
    assert "index.html" in _published(remote)


def _refused(done: subprocess.CompletedProcess[str], start: str, code: int = 2) -> None:
    assert done.returncode == code, done.stdout + done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("refusing to deploy: " + start), done.stderr
    assert "Traceback" not in done.stderr


def test_refused_outside_a_git_repository(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"content/case-studies/a.md": study()})
    done = cli("deploy", cwd=root, env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    _refused(done, f"{root} is not in a git repository")
    assert not (root / "output").exists()  # refused before building


def test_refused_without_the_remote(repo: tuple[Path, Path]) -> None:
    root, _ = repo
    _refused(deploy(root, "--remote", "upstream"), "this repository has no remote named 'upstream'")
    assert not (root / "output").exists()


def test_refused_when_the_branch_is_checked_out(repo: tuple[Path, Path], tmp_path: Path) -> None:
    root, remote = repo
    git(root, "checkout", "--quiet", "-b", "gh-pages")
    _refused(deploy(root), f"the branch gh-pages is checked out in {root}")
    git(root, "checkout", "--quiet", "main")
    # The old README's way: output/ as a git worktree of gh-pages.
    git(root, "worktree", "add", "--quiet", str(tmp_path / "pages"), "gh-pages")
    _refused(deploy(root), f"the branch gh-pages is checked out in {tmp_path / 'pages'}")
    assert git(remote, "branch", "--list") == ""


def test_refused_when_the_build_has_errors(repo: tuple[Path, Path]) -> None:
    root, remote = repo
    (root / "content/case-studies/a.md").write_text(study(role=None))
    done = deploy(root)
    _refused(done, "the build has errors (above)", code=1)  # SPEC: 1 when the content failed
    assert "content/case-studies/a.md:2: role: is required" in done.stderr
    assert git(remote, "branch", "--list") == ""
    assert git(root, "branch", "--list", "gh-pages") == ""


def test_refused_names_that_are_options(repo: tuple[Path, Path]) -> None:
    root, _ = repo
    _refused(deploy(root, "--branch", "--upload-pack=x"), "--branch '--upload-pack=x' is not a usable name")
    _refused(deploy(root, "--branch", "a..b"), "--branch 'a..b' is not a valid branch name")


def test_a_failed_push_is_one_line_and_keeps_the_commit(repo: tuple[Path, Path], tmp_path: Path) -> None:
    root, _ = repo
    git(root, "remote", "set-url", "origin", str(tmp_path / "no-such-remote.git"))
    done = deploy(root)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-2].startswith("git push failed: fatal: ")
    assert lines[-1] == (
        "The site is committed to gh-pages; once the problem is solved, "
        "`git push origin gh-pages` publishes it."
    )
    assert "Traceback" not in done.stderr
    assert "index.html" in git(root, "ls-tree", "-r", "--name-only", "gh-pages")  # push again later
