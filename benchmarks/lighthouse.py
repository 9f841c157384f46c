"""Lighthouse scores of the demo site in every bundled theme (not run in CI).

    python benchmarks/lighthouse.py [--themes default,bold,data] [--out DIR] [--runs N]

Builds the demo (portfolio.yaml and content/ at the top of the repository) once per theme
into a temporary folder, serves each build on 127.0.0.1, and runs npm's `lighthouse@12.8.2`
(Node 20) with Debian's Chromium on the home page and one case study: the four category
scores are printed, one line per page, with the failing audits. The npm packages are
installed on first use under benchmarks/.lighthouse/ (npm registry only); Chromium starts
with the flags ../shared/judges/README.md lists, so it makes no request to the internet.

Scores use Lighthouse's default (mobile, throttled) settings; on a loopback server the
performance score is a regression check, not a real-world figure. With --runs N each page
is measured N times and the median score kept.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NODE_DIR = Path(__file__).resolve().parent / ".lighthouse"
PACKAGES = ["lighthouse@12.8.2"]  # chrome-launcher comes with it
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
STUDY = "case-studies/northern-roast-tiktok/"
# Audits about the server, not the files: python's http.server sends no cache headers and no
# compression; a real host (GitHub Pages, Netlify) does.
SERVER_NOISE = {
    "uses-long-cache-ttl", "uses-text-compression", "cache-insight", "document-latency-insight",
    "server-response-time", "uses-http2", "render-blocking-resources", "render-blocking-insight",
    "network-dependency-tree-insight",
}  # fmt: skip

RUNNER = Path(__file__).resolve().parent / "lighthouse_runner.mjs"


def node_modules() -> Path:
    """Lighthouse and chrome-launcher from npm, installed once under benchmarks/.lighthouse/."""
    modules = NODE_DIR / "node_modules"
    if not (modules / "lighthouse" / "core" / "index.js").is_file():
        NODE_DIR.mkdir(exist_ok=True)
        (NODE_DIR / "package.json").write_text('{"name": "portfolio-lighthouse", "private": true}\n')
        print(f"installing {' '.join(PACKAGES)} with npm under {NODE_DIR} ...", file=sys.stderr)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", *PACKAGES],
            cwd=NODE_DIR,
            check=True,
        )
    return modules


def build(theme: str, folder: Path) -> Path:
    """The demo built with `theme` (its own default accent) into folder/output."""
    shutil.copytree(REPO / "content", folder / "content")
    config = (REPO / "portfolio.yaml").read_text(encoding="utf-8")
    config = re.sub(r"^theme: .*$", f"theme: {theme}", config, flags=re.M)
    if theme != "default":
        config = re.sub(r"^theme_options:\n  accent: .*\n", "", config, flags=re.M)
    (folder / "portfolio.yaml").write_text(config, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "portfolio", "build", "--quiet"], cwd=folder, check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return folder / "output"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # Chromium drops connections it no longer needs: not worth a traceback


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_port}/"


def lighthouse(modules: Path, urls: list[str]) -> list[dict[str, object]]:
    run = subprocess.run(
        ["node", str(RUNNER), str(modules), *urls], capture_output=True, text=True, check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )  # fmt: skip
    return [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--themes", default="default,bold,data")
    parser.add_argument("--runs", type=int, default=1, help="measure each page N times, keep the median")
    args = parser.parse_args()
    modules = node_modules()
    print(
        f"{'theme':8} {'page':38} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4}  "
        "LCP, CLS, TBT, weight; failing audits"
    )
    worst = 100
    with tempfile.TemporaryDirectory(prefix="portfolio-lh-") as tmp:
        for theme in args.themes.split(","):
            out = build(theme, Path(tmp) / theme)
            httpd, base = serve(out)
            try:
                urls = [base, base + STUDY]
                runs = [lighthouse(modules, urls) for _ in range(args.runs)]
            finally:
                httpd.shutdown()
            for i, url in enumerate(urls):
                results = [r[i] for r in runs]
                scores = {c: int(statistics.median(r["scores"][c] for r in results)) for c in CATEGORIES}  # type: ignore[index]
                last = results[-1]
                failing = [a for a in last["failing"] if a not in SERVER_NOISE]  # type: ignore[attr-defined]
                worst = min(worst, *scores.values())
                page = url.removeprefix(base) or "(home)"
                kib = int(last["bytes"]) // 1024 if last.get("bytes") else 0  # type: ignore[call-overload]
                print(
                    f"{theme:8} {page:38} {scores['performance']:>4} {scores['accessibility']:>4} "
                    f"{scores['best-practices']:>4} {scores['seo']:>4}  {last['lcp']}, {last['cls']}, "
                    f"{last['tbt']}, {kib} KiB; {', '.join(failing) or 'none'}"
                )
    return 0 if worst >= 98 else 1


if __name__ == "__main__":
    sys.exit(main())
