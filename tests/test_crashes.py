"""Builds that race, builds killed mid-swap and workers of a killed build (red team 8-10, 15)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import CONFIG, REPO, cli, run_build, study, write_site
from images import jpeg

from portfolio.output import MARKER


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def many_pages_site(root: Path, word: str, count: int = 40) -> Path:
    files = {f"content/case-studies/{word}-{i}.md": study(title=f"{word} study {i}") for i in range(count)}
    return write_site(root, files, config=CONFIG.replace("Test Person", word))


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def test_two_builds_of_different_sites_into_one_output_always_leave_one_complete_site(tmp_path: Path) -> None:
    sites = [many_pages_site(tmp_path / name, name) for name in ("alpha", "bravo")]
    expected = []
    for site in sites:  # each site's complete output, built alone
        run_build(site, output=tmp_path / f"ref-{site.name}")
        expected.append(tree(tmp_path / f"ref-{site.name}"))
    out = tmp_path / "shared-output"
    for _ in range(6):
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "portfolio", "build", "--site", str(site), "--output", str(out)],
                env=env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for site in sites
        ]
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        assert tree(out) in expected, "the output is not one complete site"
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".shared-output.")]


def killing_build(site: Path, at: str) -> subprocess.CompletedProcess[str]:
    """A real build that SIGKILLs itself at a chosen moment of the swap."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        import portfolio.output as out
        real = out._exchange
        def exchange(a, b):
            if {at!r} == "before-exchange":
                os.kill(os.getpid(), signal.SIGKILL)
            done = real(a, b)
            if {at!r} == "after-exchange":
                os.kill(os.getpid(), signal.SIGKILL)
            return done
        out._exchange = exchange
        if {at!r} == "between-renames":
            out._exchange = lambda a, b: False  # the two-rename path of other systems
            rename = os.rename
            def once(a, b):
                rename(a, b)
                if str(a).endswith("/output"):
                    os.kill(os.getpid(), signal.SIGKILL)
            out.os.rename = once
        from portfolio.cli import main
        main(["build", "--site", {str(site)!r}])
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script], env=env(), capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("at", ["before-exchange", "after-exchange", "between-renames"])
def test_a_build_killed_inside_the_swap_leaves_a_complete_site(tmp_path: Path, at: str) -> None:
    site = many_pages_site(tmp_path / "site", "alpha", 10)
    run_build(site)
    old = tree(site / "output")
    (site / "content/case-studies/alpha-0.md").write_text(study(title="A new title"))
    run_build(site, output=tmp_path / "ref")
    new = tree(tmp_path / "ref")
    result = killing_build(site, at)
    assert result.returncode == -signal.SIGKILL
    if at == "between-renames":  # no atomic exchange: the next run finishes the swap
        assert not (site / "output").exists()
        cli("check", cwd=site)  # a command that does not build leaves it alone
        run_build(site)
    assert tree(site / "output") in (old, new)
    if at == "after-exchange":
        assert tree(site / "output") == new
    if at == "before-exchange":
        assert tree(site / "output") == old
    run_build(site)  # and a normal build cleans up what the killed one left
    assert tree(site / "output") == new
    assert [p.name for p in site.iterdir() if p.name.startswith(".output.")] == []


def test_an_output_folder_inside_a_theme_the_build_reads_is_refused(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {"themes/mine/theme.yaml": "name: mine\nextends: default\n", "themes/mine/static/x.css": "p{}"},
        config=CONFIG + "theme: ./themes/mine\n",
    )
    result = cli("build", "--output", str(root / "themes/mine/static/out"), cwd=root)
    assert result.returncode == 2, result.stderr
    assert "is inside the theme folder" in result.stderr
    assert not (root / "themes/mine/static/out").exists()


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.add(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir() or (os.cpu_count() or 1) < 2, reason="needs /proc and 2 cores")
def test_image_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"content/images/p{i}.jpg": jpeg(2400, 1600, colour=(i * 20, 90, 160)) for i in range(8)
    }
    gallery = "\n".join(f"  - {{src: ../images/p{i}.jpg, alt: Photo {i}}}" for i in range(8))
    files["content/case-studies/a.md"] = study(front="gallery:\n" + gallery)
    root = write_site(tmp_path, files)
    proc = subprocess.Popen(
        [sys.executable, "-m", "portfolio", "build", "--no-cache"],
        cwd=root,
        env=env(),
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers = {w for w in children(proc.pid) if "spawn_main" in Path(f"/proc/{w}/cmdline").read_text()}
        time.sleep(0.05)
    assert workers, "the build started no image worker"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.05)
    alive = [
        w
        for w in workers
        if Path(f"/proc/{w}").exists() and "zombie" not in Path(f"/proc/{w}/status").read_text()
    ]
    assert not alive, f"workers outlived their build: {alive}"
