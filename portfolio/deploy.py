"""`portfolio deploy`: commit the built site to a branch of the site's git repository (default
`gh-pages`) and push it, as `mkdocs gh-deploy` does, with ghp-import.

ghp-import writes one commit on the target branch with `git fast-import`: the working tree,
the index and the current branch are never touched. This module adds what a user needs
around it: clear refusals before anything is written, a build first when the site changed,
the host files (`.nojekyll`, `CNAME`), and no new commit when the site is unchanged.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import PortfolioError, UsageProblem
from .output import MARKER

_GIT_TIMEOUT = 300  # seconds: a push of a big site over a slow line


@dataclass(frozen=True)
class DeployOptions:
    remote: str = "origin"
    branch: str = "gh-pages"
    message: str | None = None
    push: bool = True
    force: bool = False


@dataclass(frozen=True)
class DeployResult:
    branch: str
    commit: str  # the branch's commit after the deploy
    committed: bool  # False: the branch already held this site
    pushed: bool  # False: --no-push, or the remote already had it
    files: int
    cname: str | None  # the domain written to CNAME, if any


class Refused(UsageProblem):
    """A deploy that cannot start: one line, exit code 2, nothing written."""


def git(repo: Path, *args: str, check: bool = True, prompt: bool = False) -> subprocess.CompletedProcess[str]:
    """Run git in `repo`; with `check`, a failure is a PortfolioError quoting git's words.
    `prompt`: git may ask for a password on the terminal (fetch and push over https)."""
    env = {**os.environ, "LC_ALL": "C"}
    if not prompt:
        env["GIT_TERMINAL_PROMPT"] = "0"
    try:
        done = subprocess.run(
            ["git", *args], cwd=repo, capture_output=True, text=True, timeout=_GIT_TIMEOUT, env=env
        )
    except subprocess.TimeoutExpired:
        raise PortfolioError(f"git {args[0]} did not finish in {_GIT_TIMEOUT} s") from None
    if check and done.returncode != 0:
        words = [w.strip() for w in (done.stderr or done.stdout).splitlines() if w.strip()]
        said = next((w for w in words if w.startswith(("fatal:", "error:", "!"))), words[-1] if words else "")
        raise PortfolioError(f"git {args[0]} failed: {said or f'exit {done.returncode}'}")
    return done


def check_repository(root: Path, options: DeployOptions) -> None:
    """Refuse (exit 2) a deploy that cannot work, before building or writing anything."""
    if shutil.which("git") is None:
        raise Refused("refusing to deploy: git is not installed (https://git-scm.com/downloads)")
    for what, name in (("--remote", options.remote), ("--branch", options.branch)):
        if not name or name.startswith("-") or any(c.isspace() for c in name):
            raise Refused(f"refusing to deploy: {what} {name!r} is not a usable name")
    inside = git(root, "rev-parse", "--is-inside-work-tree", check=False)
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise Refused(
            f"refusing to deploy: {root} is not in a git repository; run `git init`, then "
            "`git remote add origin URL` with your GitHub repository's address"
        )
    if git(root, "check-ref-format", "--branch", options.branch, check=False).returncode != 0:
        raise Refused(f"refusing to deploy: --branch {options.branch!r} is not a valid branch name")
    checked_out = _checked_out_branches(root)
    if options.branch in checked_out:
        where = checked_out[options.branch]
        raise Refused(
            f"refusing to deploy: the branch {options.branch} is checked out in {where}; "
            "deploy writes that branch itself: switch that working tree to another branch "
            f"(or remove it with `git worktree remove {where}`), or deploy with --branch NAME"
        )
    if options.push and git(root, "remote", "get-url", options.remote, check=False).returncode != 0:
        raise Refused(
            f"refusing to deploy: this repository has no remote named {options.remote!r}; "
            f"add it with `git remote add {options.remote} URL`, or deploy with --no-push"
        )


def _checked_out_branches(root: Path) -> dict[str, str]:
    """Branch name -> the working tree it is checked out in, for every worktree."""
    listing = git(root, "worktree", "list", "--porcelain", check=False).stdout
    found: dict[str, str] = {}
    where = ""
    for line in listing.splitlines():
        if line.startswith("worktree "):
            where = line[len("worktree ") :]
        elif line.startswith("branch refs/heads/"):
            found[line[len("branch refs/heads/") :]] = where
    return found


def cname_for(base_url: str | None) -> str | None:
    """The custom domain GitHub Pages must serve: base_url's host when the site is at the
    root of a domain of its own (not *.github.io, and not a project under a path)."""
    if not base_url:
        return None
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if not host or host.endswith(".github.io") or host == "github.io" or parts.path not in ("", "/"):
        return None
    return host


def deploy(root: Path, output: Path, base_url: str | None, options: DeployOptions) -> DeployResult:
    """Commit the site in `output` to the branch and push it; the source branch is untouched."""
    import ghp_import  # type: ignore[import-untyped]

    ref = f"refs/heads/{options.branch}"
    before = _rev(root, ref)
    source = _rev(root, "HEAD")
    message = (options.message or "").strip() or (
        f"Deploy the portfolio built from {source[:12]}" if source else "Deploy the portfolio"
    )
    if options.push:  # build on what the remote has, so the push is a fast-forward
        tracking = f"refs/remotes/{options.remote}/{options.branch}"
        git(root, "fetch", "--quiet", options.remote, f"+{ref}:{tracking}", check=False, prompt=True)
    own_cname = (output / "CNAME").is_file()  # the user's static/CNAME (or a host file) wins
    cname = None if own_cname else cname_for(base_url)
    with _staged(root, output) as stage, contextlib.chdir(root), _identity(root):
        files = sum(len(names) for _, _, names in os.walk(stage))
        try:  # ghp-import reports a failed fast-import by writing bytes to stdout: a TypeError
            ghp_import.ghp_import(
                str(stage),
                mesg=message,
                remote=options.remote,
                branch=options.branch,
                push=False,
                force=False,
                nojekyll=True,
                cname=cname,
            )
        except ghp_import.GhpError as exc:
            raise PortfolioError(f"could not commit the site to {options.branch}: {exc.message}") from None
        except (OSError, TypeError, subprocess.CalledProcessError) as exc:
            raise PortfolioError(f"could not commit the site to {options.branch}: {exc}") from None
    after = _rev(root, ref)
    subject = git(root, "show", "-s", "--format=%s", after, check=False).stdout.strip() if after else ""
    if not after or after == before or subject != message.splitlines()[0].strip():
        raise PortfolioError(f"could not commit the site to {options.branch}: git fast-import failed")
    committed = True
    parent = _rev(root, f"{after}^")
    if parent and _rev(root, f"{after}^{{tree}}") == _rev(root, f"{parent}^{{tree}}"):
        # The branch already held exactly this site: take the empty commit back.
        git(root, "update-ref", ref, parent, after)
        after, committed = parent, False
    pushed = False
    if options.push:
        remote_ref = _rev(root, f"refs/remotes/{options.remote}/{options.branch}")
        if remote_ref != after or options.force:
            args = ["push", "--quiet", options.remote, f"{ref}:{ref}"]
            try:
                git(root, *args, *(["--force"] if options.force else []), prompt=True)
            except PortfolioError as exc:
                raise PortfolioError(
                    f"{exc.message}\nThe site is committed to {options.branch}; once the problem is "
                    f"solved, `git push {options.remote} {options.branch}` publishes it."
                ) from None
            git(root, "update-ref", f"refs/remotes/{options.remote}/{options.branch}", after, check=False)
            pushed = True
    files += 1 if cname else 0
    return DeployResult(options.branch, after, committed, pushed, files, cname)


def _rev(root: Path, name: str) -> str:
    done = git(root, "rev-parse", "--verify", "--quiet", name, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


# Not published on GitHub Pages: our marker, and `_headers`, which GitHub Pages does not read
# but would serve as a file to anyone, naming the pages shown on request (`unlisted`).
LEFT_OUT = (MARKER, "_headers")


@contextlib.contextmanager
def _staged(root: Path, output: Path) -> Iterator[Path]:
    """The site to commit: the output folder without LEFT_OUT and any `.git` (a worktree
    a user made there), hard-linked into the cache folder, removed afterwards."""
    stage = root / ".portfolio-cache" / f"deploy-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        for dirpath, dirnames, filenames in os.walk(output):
            rel = Path(dirpath).relative_to(output)
            if rel == Path("."):
                dirnames[:] = [d for d in dirnames if d != ".git"]
                filenames = [f for f in filenames if f not in (*LEFT_OUT, ".git")]
            (stage / rel).mkdir(parents=True, exist_ok=True)
            for name in filenames:
                source, target = Path(dirpath, name), stage / rel / name
                if source.is_symlink():
                    continue  # never published: the build writes none
                try:
                    os.link(source, target)
                except OSError:
                    shutil.copy2(source, target)
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def _identity(root: Path) -> Iterator[None]:
    """ghp-import signs the commit with git's user.name and user.email; a repository without
    them gets the portfolio's own, for this commit only."""
    saved = {k: os.environ.get(k) for k in ("GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")}
    if not git(root, "config", "user.name", check=False).stdout.strip() and not saved["GIT_COMMITTER_NAME"]:
        os.environ["GIT_COMMITTER_NAME"] = "portfolio"
    if not git(root, "config", "user.email", check=False).stdout.strip() and not saved["GIT_COMMITTER_EMAIL"]:
        os.environ["GIT_COMMITTER_EMAIL"] = "portfolio@localhost"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
