"""A non-editable install ships the themes inside the wheel and builds from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

from conftest import REPO


def test_wheel_installs_and_builds_the_demo_from_elsewhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("portfolio-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "portfolio/themes/default/theme.yaml" in names
    assert "portfolio/themes/default/templates/base.html" in names
    assert "portfolio/fallback/sitemap.xml" in names
    assert "portfolio/starter/en/portfolio.yaml" in names and "portfolio/starter/fr/portfolio.yaml" in names
    # A new venv with the wheel, seeing the dependencies installed for this test run (a .pth
    # line adds their folder after its own), but not this source tree.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    inner = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True
    )
    # Only now: pip must not mistake an installed portfolio out there for this wheel.
    outer = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    Path(inner, "outer-deps.pth").write_text("\n".join(outer) + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(env_dir / "bin" / "portfolio"), "build", "--site", str(REPO), "--output", str(tmp_path / "out")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/index.html").is_file()
    located = subprocess.run(
        [str(python), "-c", "from portfolio.themes import bundled_dir; print(bundled_dir())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(env_dir) in located.stdout  # the themes inside the installed package
