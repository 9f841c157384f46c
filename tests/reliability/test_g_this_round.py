"""RELIABILITY.md's cases carried over to what this round added (issue 17, point 1): a deploy
never touches the source branch nor publishes a half-built site, and refuses a missing
remote before anything is written; an encrypted page's plaintext reaches no output byte,
in any spelling a reader would read. (PDFs, applications and the two languages are in
test_d_privacy.py: D28 and D30.)"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import cli, study, write_site
from harness import assert_nowhere, tree
from test_private import CLIENT, FIGURES, NDA_PASSWORD, PASSWORD, SENTINEL, private_site

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Camille Test",
    "GIT_AUTHOR_EMAIL": "camille@test.example",
    "GIT_COMMITTER_NAME": "Camille Test",
    "GIT_COMMITTER_EMAIL": "camille@test.example",
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def source_state(root: Path) -> dict[str, str]:
    """Everything of the source branch a deploy must leave alone."""
    return {
        "head": git(root, "rev-parse", "HEAD"),
        "branch": git(root, "rev-parse", "--abbrev-ref", "HEAD"),
        "status": git(root, "status", "--porcelain", "--untracked-files=all"),
        "staged": git(root, "diff", "--cached"),
        "unstaged": git(root, "diff"),
        "stash": git(root, "stash", "list"),
        "branches": git(root, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/main"),
    }


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path]:
    """A committed site with a bare remote, then work in progress: a staged change, an
    unstaged one and an untracked draft."""
    (tmp_path / "home").mkdir()
    GIT_ENV["GIT_CONFIG_GLOBAL"] = str(tmp_path / "home" / "gitconfig")
    GIT_ENV["HOME"] = str(tmp_path / "home")
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(title="First work"),
            "content/case-studies/b.md": study(title="Second work", date="2025-02-01"),
            ".gitignore": "/output/\n.portfolio-cache/\n",
        },
    )
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(root, "init", "--quiet", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "My portfolio")
    git(root, "remote", "add", "origin", str(remote))
    (root / "content/case-studies/a.md").write_text(study(title="First work, retitled"), encoding="utf-8")
    git(root, "add", "content/case-studies/a.md")
    (root / "content/case-studies/b.md").write_text(study(title="Second, unstaged", date="2025-02-01"))
    (root / "content/case-studies/c.md").write_text(study(title="Untracked", date="2025-03-01", draft="true"))
    return root, remote


def test_deploy_leaves_a_dirty_source_branch_exactly_as_it_was(repo: tuple[Path, Path]) -> None:
    """Deploy case (like A7 for git): with staged, unstaged and untracked changes, a deploy
    publishes the site as the files are now and leaves the source branch, the index, the
    working tree and the stash as they were; the published branch holds the site only."""
    root, remote = repo
    before = source_state(root)
    done = cli("deploy", cwd=root, env=GIT_ENV)
    assert done.returncode == 0, done.stderr
    assert source_state(root) == before
    published = set(git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split())
    assert "index.html" in published and "case-studies/a/index.html" in published
    assert not [p for p in published if p.startswith(("content/", "portfolio.yaml", ".gitignore", "output/"))]
    page = git(remote, "show", "gh-pages:case-studies/a/index.html")
    assert "First work, retitled" in page  # the files as they are, not the last commit
    assert "case-studies/c/index.html" not in published  # the draft stays a draft


def test_deploy_never_publishes_a_half_built_site(repo: tuple[Path, Path]) -> None:
    """Deploy case (like B8): a build that fails late (a broken link is found only once
    every page is rendered) publishes nothing: the remote and the local branch keep the
    last good site, and the source branch is untouched."""
    root, remote = repo
    assert cli("deploy", cwd=root, env=GIT_ENV).returncode == 0
    good = git(remote, "rev-parse", "gh-pages")
    local = git(root, "rev-parse", "gh-pages")
    (root / "content/case-studies/b.md").write_text(
        study(title="Second work", date="2025-02-01", body="See [the plan](a.md#no-such-part).\n")
    )
    before = source_state(root)
    done = cli("deploy", cwd=root, env=GIT_ENV)
    assert done.returncode == 1 and "Traceback" not in done.stderr  # refused: the build failed
    assert "#no-such-part" in done.stderr
    assert git(remote, "rev-parse", "gh-pages") == good and git(root, "rev-parse", "gh-pages") == local
    assert source_state(root) == before


def test_deploy_refuses_a_missing_remote_before_anything_is_written(repo: tuple[Path, Path]) -> None:
    """Deploy case (like A1): a remote that is not there is refused (exit 2) before a
    build: no output/, no cache, no gh-pages branch, and the source branch as it was."""
    root, _ = repo
    git(root, "remote", "remove", "origin")
    before = source_state(root)
    done = cli("deploy", cwd=root, env=GIT_ENV)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert len(done.stderr.strip().splitlines()) == 1 and "origin" in done.stderr
    assert not (root / "output").exists() and not (root / ".portfolio-cache").exists()
    assert git(root, "branch", "--list", "gh-pages") == ""
    assert source_state(root) == before


def test_an_encrypted_pages_plaintext_is_in_no_output_byte_in_any_spelling(tmp_path: Path) -> None:
    """Private-study case (like D28): the encrypted page, its pictures and its figures
    are in no byte of the site, folded the way a reader reads (case, accents, entities,
    percent-escapes, PDF text), and no file is named after the client."""
    root = private_site(tmp_path / "site")
    done = cli(
        "build",
        "--output",
        "output",
        cwd=root,
        env={"PORTFOLIO_PASSWORD": PASSWORD, "NDA_PASSWORD": NDA_PASSWORD},
    )
    assert done.returncode == 0, done.stderr
    out = root / "output"
    assert_nowhere(out, CLIENT, "Quillfeather", SENTINEL, "NDASENTINEL-55", "Sharp work, fast", "Dana Wu")
    everything = b"".join(tree(out).values())
    for figure in FIGURES:  # as written: folded, "£1.35" would also be a CSS line height
        assert figure.encode() not in everything, figure
    assert not [rel for rel in tree(out) if "quill" in rel.lower()]
    assert (out / "case-studies/analytics-relaunch/index.html").is_file()  # the password form is there
