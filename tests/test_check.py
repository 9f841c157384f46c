"""`portfolio check`: the whole site validated, nothing written, one audit row per case study."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONFIG, REPO, cli, run_build, study, write_site
from images import jpeg

from portfolio.build import BuildOptions
from portfolio.errors import Problems
from portfolio.recipe import render_site

SITE: dict[str, str | bytes] = {
    "content/images/c.jpg": jpeg(),
    "content/case-studies/complete.md": study(
        title="Complete",
        front="""\
client: {name: Acme, consent: granted}
contributions: [Strategy, Copy]
collaborators: [{name: Ana, role: Design}]
team_size: 2
cover: {src: ../images/c.jpg, alt: A cover}
metrics:
  - {label: Reach, before: 100, after: 300, source: Meta Business Suite}
""",
    ),
    "content/case-studies/anon.md": study(
        title="For {client}",
        date="2025-02-01",
        front="""\
client: {name: Zeta Bank, consent: pending, anonymized_as: A regional bank}
team_size: 4
metrics:
  - {label: Leads, value: 120}
gallery:
  - {src: ../images/c.jpg}
""",
    ),
    "content/case-studies/gone.md": study(
        title="Gone", date="2024-01-01", front="client: {name: Omega, consent: denied}"
    ),
    "content/case-studies/wip.md": study(title="Wip", date="2023-01-01", front="draft: true"),
}


def test_check_audits_every_case_study_and_writes_nothing(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", SITE)
    result = cli("check", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert not (root / "output").exists()
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("CASE STUDY"))
    assert lines[header].split() == [
        "CASE",
        "STUDY",
        "STATUS",
        "ROLE",
        "DID",
        "CREDITS",
        "SOURCES",
        "ALT",
        "COVER",
        "LINKS",
    ]
    rows = {line.split()[0]: line.split() for line in lines[header + 1 :] if line[:1].isalpha()}
    assert rows["complete"][1:] == ["published", "\u2713", "2", "1", "1/1", "1/1", "\u2713", "-"]
    assert rows["anon"][1:] == ["anonymized", "\u2713", "0", "0", "of", "4", "0/1", "0/1", "\u2717", "-"]
    assert rows["gone"][1] == "withheld" and rows["wip"][1] == "draft"
    assert "as \u201cA regional bank\u201d" in out and "consent denied" in out
    # The columns line up: every row's STATUS starts where the header's does.
    column = lines[header].index("STATUS")
    for slug in ("complete", "anon", "gone", "wip"):
        line = next(line for line in lines if line.startswith(slug + " "))
        assert line[column - 1] == " " and line[column] != " ", line
    # The warnings the audit found, with file and line; the same as build's.
    assert (
        "warning: content/case-studies/anon.md:7: collaborators: a team of 4, but no collaborator is named"
    ) in out
    assert "warning: content/case-studies/anon.md:9: metrics[0].source: no source" in out
    assert "warning: content/case-studies/anon.md:11: gallery[0].alt: no alt text" in out
    assert out.rstrip().endswith(
        "4 case studies: 1 published, 1 anonymized, 1 withheld, "
        "1 draft. 0 errors, 3 warnings: ready to build."
    )
    assert "\x1b[" not in out  # piped: plain text


def test_build_shows_the_same_warnings(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", SITE)
    checked = cli("check", cwd=root).stdout
    result = run_build(root)
    for warning in result.warnings:
        assert "warning: " + str(warning) in checked


def test_check_strict_fails_on_warnings(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", SITE)
    result = cli("check", "--strict", cwd=root)
    assert result.returncode == 1
    assert "3 warnings: with --strict, warnings count as errors; fix them, then build." in result.stdout
    assert not (root / "output").exists()


def test_check_reports_errors_with_the_audit(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            **SITE,
            "content/case-studies/bad.md": study(title="Bad", front="team_size: many"),
            "content/case-studies/leak.md": study(title="Leak", body="Thanks Zeta Bank.\n"),
        },
    )
    result = cli("check", cwd=root)
    assert result.returncode == 1
    assert "error: content/case-studies/bad.md:6: team_size: expected a whole number" in result.stdout
    assert "error: content/case-studies/leak.md:7: names 'Zeta Bank'" in result.stdout
    assert "complete " in result.stdout
    assert "2 errors, 3 warnings: fix the errors, then build." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert not (root / "output").exists()


def test_check_a_clean_site_is_ready(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"content/case-studies/a.md": study()})
    result = cli("check", cwd=root)
    assert result.returncode == 0
    assert result.stdout.rstrip().endswith("1 case study: 1 published. 0 errors, 0 warnings: ready to build.")


def test_check_uses_colour_on_a_terminal(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", SITE)
    primary, secondary = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100", "TERM": "xterm"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "portfolio", "check"],
        cwd=root,
        env=env,
        stdout=secondary,
        stderr=secondary,
        stdin=subprocess.DEVNULL,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(primary)
    out = b"".join(chunks).decode()
    assert "\x1b[32mpublished" in out and "\x1b[36manonymized" in out  # green, cyan
    assert "\x1b[33mwarning: " in out


def test_the_demo_audit_shows_anonymized_and_complete_work() -> None:
    result = cli("check", "--site", str(REPO))
    assert result.returncode == 0, result.stdout
    rows = [line.split() for line in result.stdout.splitlines()]
    complete = [
        r
        for r in rows
        if len(r) == 9
        and r[1] == "published"
        and r[2] == "\u2713"
        and "/" in r[5]
        and r[5].split("/")[0] == r[5].split("/")[1]
        and r[6].split("/")[0] == r[6].split("/")[1]
        and r[7] == "\u2713"
        and r[8].split("/")[0] == r[8].split("/")[1]
    ]
    assert complete, result.stdout
    assert any(len(r) > 1 and r[1] == "anonymized" for r in rows)


def test_drafts_show_a_banner_in_the_preview_only(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/wip.md": study(title="Wip", front="draft: true"),
            "content/case-studies/done.md": study(title="Done"),
            "content/pages/next.md": "---\ntitle: Next\ndraft: true\n---\n",
        },
    )
    preview = render_site(root.resolve(), BuildOptions(), Problems(), drafts=True).files
    banner = b'class="draft-banner"'
    assert banner in preview["case-studies/wip/index.html"]  # type: ignore[operator]
    assert banner in preview["next/index.html"]  # type: ignore[operator]
    assert banner not in preview["case-studies/done/index.html"]  # type: ignore[operator]
    for name in ("feed.xml", "sitemap.xml"):
        assert b"wip" not in preview[name] and b"next/" not in preview[name]  # type: ignore[operator]
    run_build(root)
    assert not (root / "output/case-studies/wip").exists()


def test_check_takes_the_base_url_as_build_does(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {"content/case-studies/a.md": study()},
        config=CONFIG.replace("base_url: https://test.example/\n", ""),
    )
    assert cli("check", "--strict", cwd=root).returncode == 1  # no base_url: a warning
    result = cli("check", "--strict", "--base-url", "https://me.example/", cwd=root)
    assert result.returncode == 0, result.stdout
    assert cli("check", "--base-url", "not a url", cwd=root).returncode == 2


def test_check_on_a_terminal_that_cannot_show_unicode(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", SITE)
    result = cli("check", cwd=root, env={"PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    assert "anonymized  yes" in result.stdout and "as ?A regional bank?" in result.stdout


def test_warnings_come_in_file_and_line_order(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", SITE)
    lines = [
        line
        for line in cli("check", cwd=root).stdout.splitlines()
        if line.startswith("warning: content/case-studies/anon.md:")
    ]
    numbers = [int(line.split(":")[2]) for line in lines]
    assert numbers == sorted(numbers) and len(numbers) == 3


def test_a_change_from_a_small_count_is_a_warning_not_a_page_note(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/a.md": study(
                front="""\
metrics:
  - {label: Clicks, before: 5, after: 25, source: Ads}
  - {label: ROAS, before: 1.9, after: 4.6, unit: x, source: Ads}
  - {label: Rate, before: 2, after: 4, unit: "%", source: Ads}
  - {label: Cost, before: 3, after: 2, unit: "€", better: lower, source: Ads}
  - {label: Sign-ups, before: 19, after: 40, unit: sign-ups, source: Ads}
  - {label: Visits, before: 20, after: 80, source: Ads}
  - {label: Note du mémoire, before: 14, after: 16.5, unit: /20, source: Jury}
  - {label: Score, before: 3, after: 9, unit: pts, source: Ads}
  - {label: Time on page, before: 2, after: 3, unit: min, source: Ads}
"""
            )
        },
    )
    result = run_build(root)
    small = [w for w in result.warnings if "small base" in w.message]
    assert [w.field for w in small] == ["metrics[0].before", "metrics[4].before"]
    assert str(small[0]).startswith(
        "content/case-studies/a.md:7: metrics[0].before: a change from 5 is a small base for a count"
    )
    page = (root / "output/case-studies/a/index.html").read_text()
    assert "small base" not in page and "+400%" in page and ">5<" in page  # absolutes shown


def test_a_quote_left_out_for_consent_is_never_silent(tmp_path: Path) -> None:
    """A testimonial without `consent:` is a warning at its block; one explicitly pending or
    denied is a line of the audit (the user knows, the audit reminds them)."""
    quote = "testimonial:\n  quote: Great work.\n  author: Marie Laurent"
    root = write_site(
        tmp_path,
        {
            "content/case-studies/asked.md": study(quote + "\n  consent: pending", title="Asked"),
            "content/case-studies/forgot.md": study(quote, title="Forgot", date="2024-01-01"),
        },
    )
    result = cli("check", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (
        "warning: content/case-studies/forgot.md:7: testimonial.consent: is not given, so the quote "
        "is not shown: the person quoted consents too\n"
        "  hint: once they agree: consent: granted (or consent: pending while you ask)"
    ) in result.stdout, result.stdout
    assert "asked.md" not in result.stdout
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("asked"))
    assert lines[at + 1].strip() == "quote left out (consent pending)"
    assert not (root / "output").exists()  # check writes nothing
    run_build(root)
    assert "Great work" not in (root / "output/case-studies/forgot/index.html").read_text()


@pytest.mark.parametrize("languages", ["language: fr", "languages: [fr, en]"])
def test_the_audit_shows_the_alias_the_sites_own_pages_show(tmp_path: Path, languages: str) -> None:
    """On a French site the audit names the French alias, as the pages and the build's summary
    do (it read the content as English and showed the English one)."""
    front = (
        "client: {name: Brasserie des Canuts, consent: pending,\n"
        "  anonymized_as: {fr: une brasserie de la Croix-Rousse, en: a Croix-Rousse brewery}}"
    )
    root = write_site(
        tmp_path, {"content/case-studies/biere.md": study(front)}, config=CONFIG + languages + "\n"
    )
    result = cli("check", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "as \u201cune brasserie de la Croix-Rousse\u201d" in result.stdout
    assert "Croix-Rousse brewery" not in result.stdout
