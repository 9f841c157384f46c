"""Shared helpers: tiny sites written to tmp_path, builds, and the golden-file switch."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from portfolio.build import BuildOptions, BuildResult, build
from portfolio.errors import PortfolioError

REPO = Path(__file__).resolve().parent.parent

CONFIG = """\
title: Test Person · Marketing
base_url: https://test.example/
author:
  name: Test Person
  headline: Marketer
  email: test@example.com
"""

STUDY = """\
---
title: A study
date: 2025-03-10
summary: It went well.
role: Strategist
---
Body text.
"""


# Property-based tests (hypothesis): "ci" runs enough examples to find real bugs in a bounded
# time; HYPOTHESIS_PROFILE=long runs 25 times as many, for a local hunt. Tests that set no
# max_examples follow the profile; heavier ones scale theirs with `examples()`. The ci
# profile is derandomized: the same examples every run, so a suite that passed once passes
# again (a random find's shrinking once ran for 20 minutes); the long profile stays random.
# Hypothesis also draws literals from the code under test, so new code can bring a new
# example: a failure then shows at once, without the "explain" phase, whose line tracing
# once held a failing run for over seven minutes.
CI_EXAMPLES = 200
settings.register_profile(
    "ci",
    max_examples=CI_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "long", max_examples=CI_EXAMPLES * 25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(ci: int) -> int:
    """`ci` examples in the ci profile, as many more in another as its max_examples says."""
    return max(1, ci * settings.default.max_examples // CI_EXAMPLES)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output."
    )


def write_site(root: Path, files: dict[str, str | bytes], config: str | None = CONFIG) -> Path:
    """Write `files` ({relative path: text or bytes}) under root; a portfolio.yaml by default."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None and "portfolio.yaml" not in files:
        (root / "portfolio.yaml").write_text(config, encoding="utf-8")
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data) if data.startswith("\n") else data, encoding="utf-8")
    return root


def study(front: str = "", body: str = "Body text.\n", **fields: str) -> str:
    """A case study: the minimal required fields, overridden or extended by `fields`."""
    base = {"title": "A study", "date": "2025-03-10", "summary": "It went well.", "role": "Strategist"}
    base.update(fields)
    lines = [f"{k}: {v}" for k, v in base.items() if v is not None]
    return "---\n" + "\n".join(lines) + ("\n" + front.strip("\n") if front else "") + "\n---\n" + body


def run_build(root: Path, **options: object) -> BuildResult:
    return build(root, BuildOptions(**options))  # type: ignore[arg-type]


def build_errors(root: Path, **options: object) -> str:
    """Build and return the error text; fails the test if the build succeeds."""
    with pytest.raises(PortfolioError) as info:
        run_build(root, **options)
    return info.value.format_message()


def output_bytes(out: Path) -> bytes:
    """Every byte of every output file, with file names, for 'never in any output' checks."""
    buf = io.BytesIO()
    for path in sorted(out.rglob("*")):
        buf.write(str(path.relative_to(out)).encode() + b"\n")
        if path.is_file():
            buf.write(path.read_bytes())
    return buf.getvalue()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and mtime of every file below folder."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m portfolio ARGS` as a user would, in a real process."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "portfolio", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A minimal valid site with one case study."""
    return write_site(tmp_path / "site", {"content/case-studies/a-study.md": STUDY})
