"""What the reliability suite (tests/reliability/, one file per letter of RELIABILITY.md)
checks with: trees of output files, "never in any byte" searches that also read PDFs, real
`portfolio` processes measured for time and memory, and the processes a build leaves.

The helpers take folders and bytes, not a particular feature, so the cases of features
still to come are a few lines each: an encrypted page is `assert_nowhere(out, plaintext)`;
`deploy` is `cli_run(["deploy", ...])` with `git(...)` and `tree(...)` of the branch it made.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

REPO = Path(__file__).resolve().parent.parent.parent


# -- trees ----------------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    """Every entry below `folder`: a file's bytes, a link's target as `-> target`, a folder as
    `/`. Two trees are the same site when these are equal (the marker file included)."""
    found: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, folder)
            if os.path.islink(path):
                found[rel] = b"-> " + os.fsencode(os.readlink(path))
            elif os.path.isdir(path):
                found[rel + "/"] = b""
            else:
                with open(path, "rb") as f:
                    found[rel] = f.read()
    return dict(sorted(found.items()))


def stamps(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Bytes, modification time and inode of every file: equal means nothing was touched."""
    return {
        rel: (data, os.lstat(folder / rel.rstrip("/")).st_mtime_ns, os.lstat(folder / rel.rstrip("/")).st_ino)
        for rel, data in tree(folder).items()
    }


def leftovers(parent: Path, name: str = "output") -> list[str]:
    """Staging and old-site folders of builds (`.output.new-PID`, `.output.old-PID`)."""
    pattern = re.compile(rf"\.{re.escape(name)}\.(new|old)-\d+")
    return sorted(p.name for p in parent.iterdir() if pattern.fullmatch(p.name))


def tree_diff(a: dict[str, bytes], b: dict[str, bytes], limit: int = 8) -> str:
    """What differs between two trees, for an assertion message."""
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    changed = sorted(k for k in set(a) & set(b) if a[k] != b[k])
    return f"only first: {only_a[:limit]}; only second: {only_b[:limit]}; changed: {changed[:limit]}"


# -- never in any byte ------------------------------------------------------------------------


def reader_fold(text: str) -> str:
    """An independent, stricter fold than the product's: entities and percent-escapes undone
    three times, compatibility forms and accents folded, then letters and digits only."""
    for _ in range(3):
        text = unquote(html.unescape(text))
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text.casefold() if c.isalnum() and c.isascii())


def pdf_text(data: bytes) -> str:
    """The words of a PDF, read back with pypdf (the test extra has it)."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    words = [page.extract_text() for page in reader.pages]
    words += [str(v) for v in (reader.metadata or {}).values()]
    for page in reader.pages:
        for annotation in page.get("/Annots") or ():
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                words.append(str(action["/URI"]))
    return "\n".join(words)


def readable(out: Path) -> dict[str, str]:
    """Each output file as a reader or a crawler gets it: its name, and its text (a PDF's
    extracted words; images and other binaries by name only)."""
    found = {}
    for rel, data in tree(out).items():
        text = rel
        if rel.endswith(".pdf"):
            text += "\n" + pdf_text(data)
        else:
            with contextlib.suppress(UnicodeDecodeError):
                text += "\n" + data.decode("utf-8")
        found[rel] = text
    return found


def assert_nowhere(out: Path, *secrets: str) -> None:
    """None of `secrets` in any byte of the output, in any spelling a reader would read: raw
    bytes (any case), file names, every text file and every PDF's words, folded."""
    raw = b"\n".join(k.encode() + b"\n" + v for k, v in tree(out).items()).lower()
    texts = readable(out)
    folded = {rel: reader_fold(text) for rel, text in texts.items()}
    for secret in secrets:
        assert secret.lower().encode() not in raw, f"{secret!r} is in the output's bytes"
        needle = reader_fold(secret)
        assert needle, secret
        where = [rel for rel, text in folded.items() if needle in text]
        assert not where, f"{secret!r} is in {where[:5]}"


def assert_somewhere(out: Path, *shown: str) -> None:
    """Each of `shown` is in the output (so an `assert_nowhere` beside it can fail)."""
    folded = "\n".join(reader_fold(t) for t in readable(out).values())
    for text in shown:
        assert reader_fold(text) in folded, f"{text!r} is not in the output"


# -- real processes ---------------------------------------------------------------------------

# The command reports its own peak memory (VmHWM; its workers' through RUSAGE_CHILDREN) and
# CPU time as it exits. wait4's ru_maxrss is no measure of it: Linux carries the forking
# process's peak across exec, so a child of a 300 MB pytest "peaks" at 300 MB at once.
_MEASURED = """
import atexit, json, os, re, resource, sys
from pathlib import Path

def report() -> None:
    status = Path("/proc/self/status").read_text()
    own = int(re.search(r"VmHWM:\\s+(\\d+)", status)[1])
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    Path(os.environ["PORTFOLIO_MEASURE"]).write_text(json.dumps([max(own, kids.ru_maxrss), cpu]))

atexit.register(report)
sys.argv = ["portfolio", *sys.argv[1:]]
from portfolio.cli import main
main()
"""


@dataclass
class Run:
    """A `portfolio` command that ran in its own process."""

    code: int
    out: str
    err: str
    seconds: float  # wall clock
    cpu: float = 0.0  # user + system seconds, its workers included
    peak_mb: float = 0.0

    def refused(self, code: int = 1) -> None:
        """Failed as a user must see it: the exit code, no traceback, no internal error."""
        assert self.code == code, (self.code, self.err)
        assert "Traceback" not in self.err + self.out, self.err
        assert "internal error" not in self.err, self.err


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


def cli_run(args: list[str], cwd: Path, timeout: float = 120, **extra_env: str) -> Run:
    """`portfolio ARGS` as a user runs it, measured (wall and CPU seconds, peak MB)."""
    handle, name = tempfile.mkstemp(prefix="portfolio-measure-", suffix=".json")  # not in the site
    os.close(handle)
    report = Path(name)
    report.unlink()
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args],
        cwd=cwd,
        env=env(PORTFOLIO_MEASURE=str(report), **extra_env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak_mb = cpu = 0.0
    if report.exists():
        peak_kb, cpu = json.loads(report.read_text())
        peak_mb = peak_kb / 1024
        report.unlink()
    return Run(proc.returncode, proc.stdout, proc.stderr, seconds, cpu, peak_mb)


def git(*args: str, cwd: Path) -> str:
    """A real git command (the deploy and worktree cases), with a fixed identity."""
    identity = {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **identity}, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def until(check: Callable[[], object], seconds: float = 40.0, every: float = 0.1) -> object:
    """Poll `check` until it returns something true; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = check()
        except (OSError, ConnectionError):
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s")
        time.sleep(every)


# -- processes a build leaves ------------------------------------------------------------------


def session_members(session: int) -> list[int]:
    """Live (not zombie) processes of a session: a build started with start_new_session and
    every process it started, even those its death left to init."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == session and fields[0] != "Z":  # fields: state, ppid, pgrp, session
            found.append(int(entry.name))
    return found


def assert_session_ends(session: int, seconds: float = 5.0) -> None:
    """No process of `session` outlives its build by more than `seconds`."""
    deadline = time.monotonic() + seconds
    while (alive := session_members(session)) and time.monotonic() < deadline:
        time.sleep(0.05)
    if alive:
        described = [Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ")[:120] for p in alive]
        for pid in alive:  # leave no stray process behind the failing test
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        raise AssertionError(f"processes outlived their killed build: {described}")


def first_lines(text: str, count: int = 12) -> str:
    return "\n".join(text.splitlines()[:count])


def json_ld_blocks(page: str) -> list[object]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(b) for b in blocks]


def html_files(out: Path) -> Iterable[Path]:
    return sorted(p for p in out.rglob("*.html") if p.is_file())
