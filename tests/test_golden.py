"""The demo site's pages against a golden copy; `pytest --update-golden` rewrites it on purpose."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_build

GOLDEN = Path(__file__).parent / "golden" / "demo"
TEXT = (".html", ".xml", ".txt", "_headers")  # site.css is the theme file itself: no copy kept


def test_demo_site_matches_golden(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    out = tmp_path / "demo-output"
    run_build(REPO, output=out)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    manifest = "\n".join(files) + "\n"
    texts = {rel: (out / rel).read_text(encoding="utf-8") for rel in files if rel.endswith(TEXT)}
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in texts.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
        (GOLDEN / "MANIFEST.txt").write_text(manifest, encoding="utf-8")
        pytest.skip("golden files rewritten")
    assert GOLDEN.is_dir(), "no golden copy yet: run pytest --update-golden"
    problems = []
    expected_manifest = (GOLDEN / "MANIFEST.txt").read_text(encoding="utf-8")
    if manifest != expected_manifest:
        problems.append(
            "".join(
                difflib.unified_diff(
                    expected_manifest.splitlines(True),
                    manifest.splitlines(True),
                    "golden/MANIFEST.txt",
                    "output",
                )
            )
        )
    for rel, text in texts.items():
        golden = GOLDEN / rel
        if golden.is_file() and golden.read_text(encoding="utf-8") != text:
            problems.append(
                "".join(
                    difflib.unified_diff(
                        golden.read_text(encoding="utf-8").splitlines(True),
                        text.splitlines(True),
                        f"golden/{rel}",
                        f"output/{rel}",
                        n=2,
                    )
                )
            )
    assert not problems, "\n".join(problems)[:20000] + "\nIf the change is intended: pytest --update-golden"
