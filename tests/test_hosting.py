"""What a host reads from the output (`.nojekyll`, `_headers`), the GitHub Pages workflow of
`init --github-pages`, and the icons of the networks our users have."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import CONFIG, cli, run_build, study, write_site

from portfolio.config import KNOWN_LINKS


def rules(headers: str) -> dict[str, list[str]]:
    """`_headers` as {path pattern: [header lines]}, in file order."""
    found: dict[str, list[str]] = {}
    pattern = ""
    for line in headers.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("  "):
            found[pattern].append(line.strip())
        else:
            pattern = line
            assert pattern not in found, f"{pattern} twice"
            found[pattern] = []
    return found


def test_every_build_writes_nojekyll_and_headers(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "content/images/c.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
            "content/case-studies/shown.md": study(front="cover: {src: ../images/c.svg, alt: A cover}"),
            "content/case-studies/on-request.md": study(title="On request", front="unlisted: true"),
            "content/pages/about.md": "---\ntitle: About\n---\nHi.\n",
        },
    )
    run_build(root)
    out = root / "output"
    assert (out / ".nojekyll").read_bytes() == b""
    found = rules((out / "_headers").read_text())
    everything = found.pop("/*")
    csp = next(line for line in everything if line.startswith("Content-Security-Policy: "))
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "form-action 'none'" in csp
    assert "X-Content-Type-Options: nosniff" in everything
    # Cache lifetimes: long for files whose name carries their digest, short for pages; each
    # path gets Cache-Control from one rule only (hosts join the values of two rules).
    assert found["/images/*"] == ["Cache-Control: public, max-age=31536000, immutable"]
    assert found["/social/*"] == ["Cache-Control: public, max-age=31536000, immutable"]
    short = ["Cache-Control: public, max-age=0, must-revalidate"]
    for pattern in ("/", "/index.html", "/about/*", "/case-studies/*", "/results/*"):
        assert found[pattern] == short, pattern
    assert found["/404.html"] == [*short, "X-Robots-Tag: noindex"]
    assert all(re.fullmatch(r"[0-9a-z/.*-]+", p) for p in found)
    # Work shown on request, filter pages and 404.html are not indexed.
    noindex = ["X-Robots-Tag: noindex"]
    assert found["/case-studies/on-request/*"] == noindex
    assert found["/case-studies/kind/*"] == noindex
    assert "/case-studies/shown/*" not in found
    assert len(found) + 1 <= 100  # Cloudflare Pages reads 100 rules


def test_applications_are_noindex_by_their_folder_never_by_their_token(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(),
            "content/applications/acme.md": "---\ncompany: Acme\nrole: Growth lead\n"
            "token: q8Zt3kLw2mXa\ncase_studies: [a]\n---\nDear Acme team.\n",
        },
    )
    run_build(root)
    assert (root / "output/for/acme-q8Zt3kLw2mXa/index.html").is_file()
    headers = (root / "output/_headers").read_text()
    assert rules(headers)["/for/*"][-1] == "X-Robots-Tag: noindex"
    assert "q8Zt3kLw2mXa" not in headers


def test_analytics_and_outside_images_join_the_policy(tmp_path: Path) -> None:
    config = CONFIG + "analytics:\n  provider: plausible\n  site: test.example\n"
    root = write_site(
        tmp_path / "site",
        {"content/case-studies/a.md": study(body="![A chart](https://charts.example/c.png)\n")},
        config=config,
    )
    run_build(root)
    csp = (root / "output/_headers").read_text().split("Content-Security-Policy: ")[1].splitlines()[0]
    assert "script-src 'self' https://plausible.io;" in csp
    assert "connect-src 'self' https://plausible.io;" in csp
    assert "img-src 'self' https://charts.example;" in csp


def test_the_users_own_host_files_win(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(),
            "static/_headers": "/*\n  X-Frame-Options: DENY\n",
            "static/.nojekyll": "mine",
        },
    )
    run_build(root)
    assert (root / "output/_headers").read_text() == "/*\n  X-Frame-Options: DENY\n"
    assert (root / "output/.nojekyll").read_text() == "mine"


def test_init_github_pages_writes_a_workflow_that_builds_strictly_and_deploys(tmp_path: Path) -> None:
    done = cli("init", str(tmp_path / "site"), "--github-pages")
    assert done.returncode == 0, done.stderr
    assert "Settings > Pages choose Source: GitHub Actions" in done.stdout
    workflow = yaml.safe_load((tmp_path / "site/.github/workflows/portfolio.yml").read_text())
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads `on:` as true
    build = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in build]
    runs = [step.get("run", "") for step in build]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert any("pip install" in run for run in runs)
    cache = next(step for step in build if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".portfolio-cache/"
    build_step = next(i for i, run in enumerate(runs) if run.startswith("portfolio build"))
    assert "--strict" in runs[build_step].split()
    assert uses.index("actions/cache") < build_step < uses.index("actions/upload-pages-artifact")
    assert build[uses.index("actions/upload-pages-artifact")]["with"]["path"] == "output/"
    assert "rm -f output/_headers" in runs[uses.index("actions/upload-pages-artifact") - 1]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    # Without the flag: no workflow.
    assert cli("init", str(tmp_path / "plain")).returncode == 0
    assert not (tmp_path / "plain/.github").exists()


@pytest.mark.parametrize(
    ("record", "requirement", "reachable"),
    [
        # pip install git+https://github.com/camille/portfolio@main
        (
            '{"url": "https://github.com/camille/portfolio", "vcs_info": {"vcs": "git", '
            '"requested_revision": "main", "commit_id": "3f2a9c1"}}',
            "portfolio @ git+https://github.com/camille/portfolio@3f2a9c1",
            True,
        ),
        # pip install https://example.org/portfolio-0.1.0.tar.gz
        (
            '{"url": "https://example.org/portfolio-0.1.0.tar.gz", "archive_info": {}}',
            "portfolio @ https://example.org/portfolio-0.1.0.tar.gz",
            True,
        ),
        # pip install . (or -e .) from a clone, or from a git repository on this disk
        (
            '{"url": "file:///home/camille/portfolio", "dir_info": {"editable": true}}',
            "portfolio==0.1.0",
            False,
        ),
        (
            '{"url": "file:///srv/git/portfolio", "vcs_info": {"vcs": "git", "commit_id": "ab"}}',
            "portfolio==0.1.0",
            False,
        ),
        (None, "portfolio==0.1.0", True),  # from an index: no record
        ("not json", "portfolio==0.1.0", True),
    ],
)
def test_the_workflow_installs_the_portfolio_this_site_was_made_with(
    record: str | None, requirement: str, reachable: bool
) -> None:
    from portfolio.starter import github_workflow, requirement_of

    assert requirement_of(record, "0.1.0") == (requirement, reachable)
    workflow = yaml.safe_load(github_workflow(requirement))
    assert workflow["env"]["PORTFOLIO"] == requirement


def test_init_says_when_github_cannot_fetch_this_copy(tmp_path: Path) -> None:
    """The test environment installs portfolio from this clone's folder: GitHub cannot fetch
    that, so `init --github-pages` names the release it wrote and how to change it."""
    from portfolio.starter import direct_url

    assert direct_url() and '"file://' in str(direct_url())
    done = cli("init", str(tmp_path / "site"), "--github-pages")
    assert "note: this copy of portfolio was installed from a folder on this machine" in done.stdout
    assert "PORTFOLIO: portfolio==" in (tmp_path / "site/.github/workflows/portfolio.yml").read_text()


def test_malt_wttj_calendly_and_whatsapp_get_their_icons(tmp_path: Path) -> None:
    assert {"malt", "welcometothejungle", "calendly", "whatsapp"} <= set(KNOWN_LINKS)
    config = CONFIG + (
        "  links:\n"
        "    malt: https://www.malt.fr/profile/test\n"
        "    wttj: https://www.welcometothejungle.com/fr/me/test\n"
        "    calendly: https://calendly.com/test/30min\n"
        "    whatsapp: https://wa.me/33600000000\n"
        "    contra: https://contra.com/test\n"
    )
    root = write_site(tmp_path / "site", {"content/case-studies/a.md": study()}, config=config)
    run_build(root)
    page = (root / "output/index.html").read_text()
    icons = re.findall(r'<a href="([^"]+)" rel="me noopener"><svg[^>]*>(.*?)</svg><span>([^<]+)</span>', page)
    shapes = {label: path for _, path, label in icons}
    assert set(shapes) == {"Malt", "Welcome to the Jungle", "Calendly", "WhatsApp", "Contra"}
    generic = shapes.pop("Contra")  # an unknown name: the generic link icon
    assert len(set(shapes.values())) == 4 and generic not in shapes.values()


def test_a_site_with_a_page_behind_a_password_allows_its_script_and_pictures(
    tmp_path: Path, monkeypatch: object
) -> None:
    """The password form loads unlock.js; the page it opens embeds its pictures as data:."""
    files = {"content/case-studies/secret.md": study(title="Under NDA", front="protected: true")}
    root = write_site(tmp_path / "site", files)
    monkeypatch.setenv("PORTFOLIO_PASSWORD", "correct horse battery staple")  # type: ignore[attr-defined]
    run_build(root)
    csp = next(
        line
        for line in rules((root / "output/_headers").read_text())["/*"]
        if "Content-Security-Policy" in line
    )
    assert "script-src 'self'" in csp and "img-src 'self' data:" in csp
    plain = write_site(tmp_path / "plain", {"content/case-studies/a.md": study()})
    run_build(plain)
    assert "data:" not in (plain / "output/_headers").read_text()
