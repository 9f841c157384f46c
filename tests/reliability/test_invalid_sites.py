"""The bad-input catalogue: tests/sites/invalid/<case>/ holds broken sites, each with the
exact message a user must see beside it (expected.txt; `{site}` stands for the folder the
case is copied to; `args.txt` holds extra command-line arguments, one per line; `exit-code`
the code when it is not 1).

Each case is copied beside a real previous output/ (a site built once) and run through a
real `portfolio build` process: the exit code, exactly the expected message (each error
line naming a file of the site), no traceback, output/ byte-identical (bytes, times and
inodes) with no staging folder left, and the cost of a real process: under 2 s of CPU (its
workers included; CPU rather than wall time, which a loaded machine stretches) and under
200 MB (VmHWM, as tests/test_hostile_input.py measures it). Two cases run at a time.

The catalogue covers RELIABILITY.md's cases B11, D24, D25, D29, E33-E42 again from the
outside; to add a case, make a folder with the site and its expected.txt.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import run_build, study, write_site
from harness import Run, cli_run, leftovers, stamps

CATALOGUE = Path(__file__).resolve().parent.parent / "sites" / "invalid"
CASES = sorted(p.name for p in CATALOGUE.iterdir() if (p / "expected.txt").is_file())
KINDS = ("yaml", "front-matter", "type", "path", "image", "csv", "template", "theme", "config", "encoding",
         "consent", "application", "translation", "usage", "strict", "slug", "markdown")  # fmt: skip


@dataclass
class Outcome:
    site: Path
    run: Run
    before: dict[str, tuple[bytes, int, int]]
    after: dict[str, tuple[bytes, int, int]]
    leftovers: list[str]


def run_case(case: str, previous: Path, scratch: Path) -> Outcome:
    site = scratch / case / "site"
    shutil.copytree(
        CATALOGUE / case,
        site,
        symlinks=True,
        ignore=shutil.ignore_patterns("expected.txt", "args.txt", "exit-code"),
    )
    shutil.copytree(previous, site / "output", symlinks=True)
    before = stamps(site / "output")
    args_file = CATALOGUE / case / "args.txt"
    args = args_file.read_text(encoding="utf-8").splitlines() if args_file.exists() else []
    run = cli_run(["build", *args], cwd=site)
    return Outcome(site, run, before, stamps(site / "output"), leftovers(site))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case, run two at a time (the machine has two cores)."""
    base = tmp_path_factory.mktemp("previous")
    good = write_site(base / "site", {"content/case-studies/earlier.md": study(title="Earlier work")})
    run_build(good)
    scratch = tmp_path_factory.mktemp("invalid")
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = pool.map(lambda case: run_case(case, good / "output", scratch), CASES)
        return dict(zip(CASES, done, strict=True))


def test_the_catalogue_has_forty_distinct_broken_sites_of_every_kind() -> None:
    """At least 40 cases, covering every kind of mistake the issue lists."""
    assert len(CASES) >= 40, len(CASES)
    missing = [kind for kind in KINDS if not any(case.startswith(kind + "-") for case in CASES)]
    assert not missing, missing


@pytest.mark.parametrize("case", CASES)
def test_a_broken_site_fails_cleanly(outcomes: dict[str, Outcome], case: str) -> None:
    """One broken site: the exit code, exactly its expected message naming the file (and
    line), no traceback, the previous output/ byte-identical, under 2 s of CPU and 200 MB."""
    outcome = outcomes[case]
    run = outcome.run
    code_file = CATALOGUE / case / "exit-code"
    code = int(code_file.read_text()) if code_file.exists() else 1
    run.refused(code)
    expected = (CATALOGUE / case / "expected.txt").read_text(encoding="utf-8")
    assert run.err == expected.replace("{site}", str(outcome.site)), run.err
    if code == 1:  # each problem line starts with a file of the site
        for line in run.err.splitlines()[:-1]:
            if line.startswith("  hint: "):
                continue
            named = line.removeprefix("warning: ").split(": ")[0].split(":")[0]
            assert (outcome.site / named).exists() or (outcome.site / named).is_symlink(), (named, line)
    assert outcome.after == outcome.before, "output/ changed"
    assert outcome.leftovers == []
    assert run.cpu < 2.0, f"{run.cpu:.2f} s of CPU"
    assert run.peak_mb < 200, f"{run.peak_mb:.0f} MB"
    assert run.seconds < 10, f"{run.seconds:.1f} s"  # wall clock, on a shared machine
