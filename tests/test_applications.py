"""Applications: a private page per job application, at an unguessable address, under the
same consent rules as the site, in no list, feed or sitemap, gone after `expires`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import CONFIG, build_errors, cli, output_bytes, run_build, study, write_site

TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


def application(**fields: str) -> str:
    base = {
        "company": "Acme",
        "role": "Growth marketing lead",
        "token": "q8Zt3kLw2mXa",
        "case_studies": "[bike-shop, newsletter]",
        "skills": "[Paid social, Analytics]",
    }
    base.update(fields)
    front = "\n".join(f"{k}: {v}" for k, v in base.items() if v is not None)
    return f"---\n{front}\n---\nDear Acme team, here is the work closest to your brief.\n"


def _site(tmp_path: Path, applications: dict[str, str]) -> Path:
    files = {
        "content/case-studies/bike-shop.md": study(
            "client: {name: Halden Cycles, consent: pending, anonymized_as: a Leeds bike shop}\n"
            "skills: [Paid social]",
            title="Paid social for {client}",
            unlisted="true",
        ),
        "content/case-studies/newsletter.md": study(
            title="My newsletter", front="skills: [Analytics, Email]"
        ),
        "content/case-studies/denied.md": study(
            "client: {name: Secret Corp, consent: denied}", title="Work for {client}"
        ),
        "content/case-studies/wip.md": study(title="Not ready", front="draft: true"),
        **{f"content/applications/{name}.md": text for name, text in applications.items()},
    }
    return write_site(tmp_path / "site", files, config=CONFIG)


def test_each_application_has_its_private_page_and_nothing_points_to_it(tmp_path: Path) -> None:
    root = _site(
        tmp_path,
        {
            "acme": application(expires=TOMORROW),
            "globex": application(company="Globex", token="Zx81_kq-Lm0p", case_studies="[newsletter]"),
        },
    )
    run_build(root)
    out = root / "output"
    acme = (out / "for/acme-q8Zt3kLw2mXa/index.html").read_text(encoding="utf-8")
    globex = (out / "for/globex-Zx81_kq-Lm0p/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in acme and "Growth marketing lead" in acme
    assert "Dear Acme team" in acme and "For Acme" in acme
    # The chosen work first, in the order given (an unlisted study too), then the rest.
    first, second = acme.index("Paid social for a Leeds bike shop"), acme.index("My newsletter")
    assert first < second
    assert "Paid social" in acme and "Analytics" in acme  # the skills asked for, with their work
    assert "For Globex" in globex
    # Nothing else names the pages or their tokens: no list, feed, sitemap or other page.
    for path in out.rglob("*"):
        if path.is_file() and path.parent.parent != out / "for":
            data = path.read_bytes()
            assert b"q8Zt3kLw2mXa" not in data and b"Zx81_kq-Lm0p" not in data, path
            assert b"for/" not in data or path.suffix != ".html" or b'href="for/' not in data, path
    assert b"Halden" not in output_bytes(out) and b"Secret Corp" not in output_bytes(out)


def test_an_expired_application_is_not_built(tmp_path: Path) -> None:
    root = _site(tmp_path, {"acme": application(expires=YESTERDAY)})
    result = run_build(root)
    assert not (root / "output/for").exists()
    assert any(f"expired on {YESTERDAY}" in str(w) for w in result.warnings)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "token: is required"),
        ("short", "token: expected at least 10 letters, digits, - or _"),
        ('"has spaces in it"', "token: expected at least 10 letters"),
    ],
)
def test_a_missing_or_weak_token_is_an_error_with_a_fresh_one(
    tmp_path: Path, token: str | None, message: str
) -> None:
    root = _site(tmp_path, {"acme": application(token=token)})  # type: ignore[arg-type]
    errors = build_errors(root)
    assert "content/applications/acme.md" in errors and message in errors
    fresh = re.search(r"hint: token: ([\w-]+)", errors)
    assert fresh and len(fresh[1]) >= 10


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ("[denied]", "`denied` is not published (consent denied)"),
        ("[wip]", "`wip` is a draft"),
        ("[newslettr]", "no published case study has the slug `newslettr`"),
    ],
)
def test_an_application_shows_only_what_the_site_shows(tmp_path: Path, chosen: str, message: str) -> None:
    root = _site(tmp_path, {"acme": application(case_studies=f"\n  - newsletter\n  - {chosen[1:-1]}")})
    errors = build_errors(root)
    assert f"content/applications/acme.md:7: case_studies[1]: {message}" in errors, errors
    if "newslettr" in chosen:
        assert "did you mean `newsletter`?" in errors


def test_a_hidden_client_named_in_a_cover_note_is_an_error(tmp_path: Path) -> None:
    text = application().replace("here is the work", "here is my work for Halden Cycles")
    root = _site(tmp_path, {"acme": text})
    errors = build_errors(root)
    assert "content/applications/acme.md:8" in errors and "Halden Cycles" in errors


def test_new_application_then_applications_lists_its_address(tmp_path: Path) -> None:
    root = _site(tmp_path, {})
    assert cli("new", "--application", "Globex Corp", cwd=root).returncode == 0
    path = root / "content/applications/globex-corp.md"
    text = path.read_text(encoding="utf-8")
    token = re.search(r'^token: "([\w-]+)"', text, re.M)
    assert token and len(token[1]) >= 10 and "draft: true" in text
    assert cli("build", cwd=root).returncode == 0  # a draft: not built, no error
    path.write_text(text.replace("draft: true ", "draft: false"), encoding="utf-8")
    refused = cli("build", cwd=root)
    assert refused.returncode == 1 and "placeholder" in refused.stderr
    filled = re.sub(
        r'"?\[To fill in: [^\]]*\]"?', "Brand manager", text.replace("draft: true ", "draft: false")
    )
    filled = filled.replace("case_studies: []", "case_studies: [newsletter]")
    filled = filled.replace("# expires: 2027-03-01", f"expires: {TOMORROW}")
    path.write_text(filled, encoding="utf-8")
    assert cli("build", cwd=root).returncode == 0
    listed = cli("applications", cwd=root)
    assert listed.returncode == 0
    assert f"https://test.example/for/globex-corp-{token[1]}/" in listed.stdout
    assert f"until {TOMORROW}" in listed.stdout and "Globex Corp · Brand manager" in listed.stdout
    assert (root / f"output/for/globex-corp-{token[1]}/index.html").is_file()


def test_a_chosen_study_with_errors_of_its_own_is_not_also_called_missing(tmp_path: Path) -> None:
    """A YAML mistake in newsletter.md is one error there, not a second one in every
    application that chose it ("no published case study has the slug")."""
    root = _site(tmp_path, {"acme": application()})
    (root / "content/case-studies/newsletter.md").write_text("---\ntitle: [oops\n---\n")
    errors = build_errors(root)
    assert "content/case-studies/newsletter.md:2: invalid YAML" in errors
    assert "content/applications/acme.md" not in errors, errors


def test_an_asked_skill_reads_as_one_sentence_then_where_it_is_shown(tmp_path: Path) -> None:
    """Read as text (a screen reader, a copy), a skill line is "Analytics. Shown in: My
    newsletter", not a run of colons ("SEA : À voir dans : SEO : Jardins…")."""
    import html as html_lib
    import re as re_lib

    root = _site(tmp_path, {"acme": application()})
    run_build(root)
    page = next((root / "output/for").glob("*/index.html")).read_text()
    items = re_lib.findall(r'<li><span class="asked-name">.*?</li>', page, re_lib.S)
    text = [html_lib.unescape(re_lib.sub(r"<[^>]+>", "", item)) for item in items]
    assert "Analytics. Shown in: My newsletter" in text, text
