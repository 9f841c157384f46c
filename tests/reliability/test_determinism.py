"""Issue 17, part 5: the same sources give the same bytes.

Two clean builds of the demo (PDF and social cards on), each in its own folder with its
own cache, as separate `portfolio build` processes with different hash seeds (so that no
set or dict order of one run leaks into a file) and different worker counts, must write
byte-identical sites. Sealed pages (`consent: private` with a password) are the one
exception by design: each build draws a new salt and nonce; the demo has none.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO
from harness import cli_run, tree, tree_diff


def _demo(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(REPO / "portfolio.yaml", folder / "portfolio.yaml")
    shutil.copytree(REPO / "content", folder / "content")
    with (folder / "portfolio.yaml").open("a", encoding="utf-8") as config:
        config.write("\npdf: true\n")
    return folder


def test_two_clean_builds_with_different_workers_and_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    first, second = _demo(tmp_path / "one" / "site"), _demo(tmp_path / "two" / "elsewhere")
    for root, workers, seed in ((first, "1", "1"), (second, "2", "2")):
        run = cli_run(["build", "--workers", workers], root, timeout=300, PYTHONHASHSEED=seed)
        assert run.code == 0, run.err
    a, b = tree(first / "output"), tree(second / "output")
    # What makes the comparison mean something: the PDFs, the cards and both languages.
    assert "portfolio.pdf" in a and any(rel.startswith("social/") and rel.endswith(".png") for rel in a)
    assert "fr/index.html" in a and any(rel.startswith("images/") for rel in a)
    assert any(rel.startswith("for/") and rel.endswith(".pdf") for rel in a)
    assert a == b, tree_diff(a, b)
    # No trace of where the site was built.
    for data in a.values():
        assert str(tmp_path).encode() not in data
