"""The output folder: atomic swap, no-op builds, host files, stale files and refusals."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CONFIG, STUDY, build_errors, cli, run_build, snapshot, study, write_site

from portfolio.errors import PortfolioError, UsageProblem
from portfolio.output import MARKER, _swap, recover
from portfolio.output import write_site as write_output


def test_no_op_build_changes_nothing(site: Path) -> None:
    run_build(site)
    before = snapshot(site / "output")
    time.sleep(0.01)
    result = run_build(site)
    assert not result.swapped and result.written == 0
    assert snapshot(site / "output") == before  # same bytes, same mtimes


def test_changed_build_rewrites_only_what_changed(site: Path) -> None:
    run_build(site)
    css = site / "output/assets/site.css"
    inode = css.stat().st_ino
    (site / "content/case-studies/a-study.md").write_text(STUDY.replace("Body text.", "New body."))
    result = run_build(site)
    assert result.swapped and 0 < result.written < result.unchanged
    assert css.stat().st_ino == inode  # unchanged files are hard links of the old ones
    assert "New body." in (site / "output/case-studies/a-study/index.html").read_text()


def test_host_files_survive(site: Path) -> None:
    out = site / "output"
    out.mkdir()
    (out / ".git").mkdir()
    (out / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / "CNAME").write_text("camille.example.com\n")
    (out / ".nojekyll").write_text("")
    (out / "_redirects").write_text("/old /new\n")
    (out / ".domains").write_text("camille.example.com\n")
    run_build(site)
    run_build(site, base_url="https://other.example/")  # a real change: the swap happens
    assert (out / ".git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (out / "CNAME").read_text() == "camille.example.com\n"
    assert (out / ".nojekyll").exists() and (out / "_redirects").exists()
    assert (out / ".domains").exists() and (out / MARKER).exists()


def test_git_worktree_file_survives(site: Path) -> None:
    out = site / "output"
    out.mkdir()
    (out / ".git").write_text("gitdir: /somewhere/.git/worktrees/gh-pages\n")
    run_build(site)
    assert (out / ".git").read_text().startswith("gitdir:")


def test_stale_pages_and_images_are_removed(tmp_path: Path) -> None:
    from images import jpeg

    root = write_site(
        tmp_path,
        {
            "content/images/c.jpg": jpeg(),
            "content/case-studies/old.md": study(front="cover: {src: ../images/c.jpg, alt: A}"),
        },
    )
    run_build(root)
    assert (root / "output/case-studies/old/index.html").exists()
    assert list((root / "output/images").glob("c-*.jpg"))
    (root / "content/case-studies/old.md").rename(root / "content/case-studies/new.md")
    (root / "content/case-studies/new.md").write_text(study())
    result = run_build(root)
    assert not (root / "output/case-studies/old").exists()
    assert not (root / "output/images").exists()
    assert result.removed >= 2
    for name in ("sitemap.xml", "feed.xml"):
        assert "case-studies/old/" not in (root / "output" / name).read_text()


def test_withdrawn_consent_removes_the_page(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x.md": study(
                front="client: {name: Acme Corp, consent: granted, anonymized_as: A firm}"
            )
        },
    )
    run_build(root)
    assert (root / "output/case-studies/x/index.html").exists()
    (root / "content/case-studies/x.md").write_text(
        study(front="client: {name: Acme Corp, consent: denied, anonymized_as: A firm}")
    )
    run_build(root)
    assert not (root / "output/case-studies/x").exists()
    from conftest import output_bytes

    assert b"Acme" not in output_bytes(root / "output")


def test_symlink_in_old_output_goes_target_untouched(site: Path, tmp_path: Path) -> None:
    run_build(site)
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    os.symlink(target, site / "output/link.txt")
    os.symlink(tmp_path, site / "output/dirlink")
    run_build(site, base_url="https://other.example/")
    assert not (site / "output/link.txt").exists() and not (site / "output/dirlink").exists()
    assert target.read_text() == "keep me"


def test_failing_template_keeps_previous_output_and_no_staging(site: Path) -> None:
    run_build(site)
    before = snapshot(site / "output")
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text("{{ no_such_variable }}")  # fails late
    build_errors(site)
    assert snapshot(site / "output") == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".output")] == []


def test_strict_with_a_warning_swaps_nothing(site: Path) -> None:
    (site / "portfolio.yaml").write_text(CONFIG.replace("base_url: https://test.example/\n", ""))
    run_build(site)
    before = snapshot(site / "output")
    (site / "content/case-studies/a-study.md").write_text(STUDY.replace("Body", "Changed"))
    message = build_errors(site, strict=True)
    assert "warning: portfolio.yaml: base_url: is not set" in message
    assert snapshot(site / "output") == before


def test_identical_inputs_give_identical_bytes(tmp_path: Path) -> None:
    from conftest import output_bytes
    from images import jpeg

    files = {
        "content/images/c.jpg": jpeg(),
        "content/case-studies/x.md": study(front="cover: {src: ../images/c.jpg, alt: A}"),
    }
    a = write_site(tmp_path / "a", files)
    b = write_site(tmp_path / "b", files)
    run_build(a)
    run_build(b, use_cache=False)
    assert output_bytes(a / "output") == output_bytes(b / "output")


@pytest.mark.parametrize("where", ["site", "content", "parent", "static", "home", "root"])
def test_dangerous_output_folders_are_refused(
    site: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (site / "static").mkdir()
    monkeypatch.setenv("HOME", str(site.parent / "home"))
    (site.parent / "home").mkdir()
    target = {
        "site": site,
        "content": site / "content",
        "parent": site.parent,
        "static": site / "static/out",
        "home": site.parent / "home",
        "root": Path("/"),
    }[where]
    before = snapshot(site.parent)
    with pytest.raises(UsageProblem) as info:
        run_build(site, output=target)
    assert info.value.exit_code == 2
    assert "refusing to write the site to" in info.value.format_message()
    assert snapshot(site.parent) == before


def test_output_inside_content_through_a_symlink_is_refused(site: Path, tmp_path: Path) -> None:
    os.symlink(site / "content", tmp_path / "sneaky")
    with pytest.raises(UsageProblem):
        run_build(site, output=tmp_path / "sneaky/out")


def test_similar_prefix_is_not_inside(site: Path) -> None:
    # /r/site-old is not inside /r/site: compared by path components, not strings.
    run_build(site, output=site.parent / (site.name + "-old"))
    assert (site.parent / (site.name + "-old") / "index.html").exists()


def test_foreign_folder_is_refused_but_host_only_folder_is_adopted(site: Path) -> None:
    foreign = site.parent / "foreign"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("years of work")
    with pytest.raises(UsageProblem) as info:
        run_build(site, output=foreign)
    assert "thesis.docx" in info.value.format_message()
    assert (foreign / "thesis.docx").read_text() == "years of work"
    pages = site.parent / "pages"
    pages.mkdir()
    (pages / "CNAME").write_text("x.example\n")
    run_build(site, output=pages)
    assert (pages / "index.html").exists() and (pages / "CNAME").exists()


def test_folder_holding_portfolio_yaml_is_refused(site: Path) -> None:
    other = site.parent / "other"
    other.mkdir()
    (other / "portfolio.yaml").write_text("title: x\n")
    (other / MARKER).write_text("")
    with pytest.raises(UsageProblem):
        run_build(site, output=other)


def test_recovery_finishes_an_interrupted_swap(site: Path) -> None:
    run_build(site)
    out = site / "output"
    new = site / ".output.new-99999"
    os.rename(out, site / ".output.old-99999")  # killed between the two renames
    (site / ".output.old-99999").rename(new)
    (new / "index.html").write_text("NEW SITE")
    recover(out)
    assert (out / "index.html").read_text() == "NEW SITE"
    assert not new.exists()


def test_recovery_undoes_a_swap_without_a_complete_new_site(site: Path) -> None:
    run_build(site)
    out = site / "output"
    os.rename(out, site / ".output.old-4242")
    (site / ".output.new-4242").mkdir()  # staging never finished: no marker
    recover(out)
    assert (out / "index.html").exists()
    assert not (site / ".output.new-4242").exists() and not (site / ".output.old-4242").exists()


def test_killed_build_leaves_old_or_new_site(site: Path) -> None:
    run_build(site)
    old_home = (site / "output/index.html").read_bytes()
    (site / "content/case-studies/a-study.md").write_text(STUDY.replace("It went well.", "Changed."))
    for delay in (0.05, 0.2, 0.4):
        proc = subprocess.Popen(
            [sys.executable, "-m", "portfolio", "build", "--site", str(site)],
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.kill()
        proc.wait()
        recover(site / "output")
        home = (site / "output/index.html").read_bytes()
        assert home == old_home or b"Changed." in home
    run_build(site)
    assert b"Changed." in (site / "output/index.html").read_bytes()
    assert [p for p in site.iterdir() if p.name.startswith(".output.")] == []


def test_second_concurrent_build_waits_for_the_lock(site: Path) -> None:
    import fcntl

    lock = site / ".portfolio-cache/build.lock"
    lock.parent.mkdir()
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        proc = subprocess.Popen(
            [sys.executable, "-m", "portfolio", "build", "--site", str(site)],
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(1.5)
        assert proc.poll() is None  # waiting, not writing
        assert not (site / "output").exists()
    proc.wait(timeout=60)
    assert proc.returncode == 0 and (site / "output/index.html").exists()


def test_cli_refused_output_exits_2(site: Path) -> None:
    result = cli("build", "--site", str(site), "--output", str(site / "content"))
    assert result.returncode == 2
    assert "refusing to write the site to" in result.stderr and "Traceback" not in result.stderr


def test_glob_characters_in_the_output_name_touch_no_other_folder(site: Path, tmp_path: Path) -> None:
    victim = tmp_path / ".victim.new-1"
    victim.mkdir()
    (victim / "work.txt").write_text("not ours")
    older = tmp_path / ".victim.old-2"
    older.mkdir()
    run_build(site, output=tmp_path / "*")
    assert (victim / "work.txt").read_text() == "not ours" and older.is_dir()
    assert (tmp_path / "*/index.html").exists()


def test_leftovers_of_an_output_with_brackets_are_recovered(site: Path) -> None:
    out = site.parent / "out[1]"
    run_build(site, output=out)
    os.rename(out, site.parent / ".out[1].old-77")  # killed between the two renames
    (site.parent / ".out[1].new-77").mkdir()
    (site.parent / ".out[1].new-77x").mkdir()  # not a name we make: left alone
    recover(out)
    assert (out / "index.html").exists()
    assert sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".out")) == [".out[1].new-77x"]


def test_host_file_from_static_is_updated(site: Path) -> None:
    (site / "static").mkdir()
    (site / "static/CNAME").write_text("a.example\n")
    run_build(site)
    assert (site / "output/CNAME").read_text() == "a.example\n"
    (site / "static/CNAME").write_text("b.example\n")
    result = run_build(site)
    assert result.swapped and (site / "output/CNAME").read_text() == "b.example\n"


def test_host_file_deleted_from_static_leaves_the_output(site: Path) -> None:
    # A file the site provided is the site's: once deleted from static/, it is not kept as
    # if the host had put it there. A host's own file next to it still survives.
    (site / "static").mkdir()
    (site / "static/_redirects").write_text("/old /new 301\n")
    run_build(site)
    (site / "output/.nojekyll").write_text("")
    assert (site / "output/_redirects").exists()
    (site / "static/_redirects").unlink()
    result = run_build(site)
    assert result.swapped and not (site / "output/_redirects").exists()
    assert (site / "output/.nojekyll").exists()
    assert run_build(site).swapped is False


def test_unchanged_build_with_a_host_file_in_static_is_a_no_op(site: Path) -> None:
    (site / "static").mkdir()
    (site / "static/.nojekyll").write_text("")
    run_build(site)
    before = snapshot(site / "output")
    assert run_build(site).swapped is False
    assert snapshot(site / "output") == before


@pytest.mark.parametrize("kind", ["file-link", "folder-link", "empty-folder"])
def test_foreign_entry_goes_even_when_nothing_else_changed(site: Path, tmp_path: Path, kind: str) -> None:
    run_build(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep me")
    entry = site / "output/case-studies/extra"
    if kind == "file-link":
        os.symlink(elsewhere / "precious.txt", entry)
    elif kind == "folder-link":
        os.symlink(elsewhere, entry)
    else:
        entry.mkdir()
    result = run_build(site)
    assert result.swapped and not os.path.lexists(entry)
    assert (elsewhere / "precious.txt").read_text() == "keep me"
    assert run_build(site).swapped is False  # and the next build is a no-op again


@pytest.mark.parametrize("parent", ["missing", "file"])
def test_output_under_a_parent_that_is_no_folder_is_refused(site: Path, tmp_path: Path, parent: str) -> None:
    if parent == "file":
        (tmp_path / "file").write_text("a file")
    before = snapshot(tmp_path)
    with pytest.raises(UsageProblem) as info:
        run_build(site, output=tmp_path / parent / "out")
    assert info.value.exit_code == 2
    assert "not an existing folder" in info.value.format_message()
    assert snapshot(tmp_path) == before and not (tmp_path / "missing").exists()


def test_output_that_cannot_be_created_fails_cleanly(site: Path) -> None:
    result = cli("build", "--site", str(site), "--output", "/proc/portfolio-out")
    assert result.returncode in (1, 2)  # 2 when /proc is not writable, 1 as root
    assert "/proc/portfolio-out" in result.stderr and "Traceback" not in result.stderr


def test_failed_staging_keeps_the_site_and_leaves_no_staging(site: Path) -> None:
    run_build(site)
    out = site / "output"
    before = snapshot(out)
    with pytest.raises(PortfolioError) as info:  # "a" a file and a folder: staging fails
        write_output(out, {"index.html": b"x", "a": b"file", "a/b.html": b"page"})
    assert "could not write" in info.value.format_message()
    assert "the previous site is unchanged" in info.value.format_message()
    assert snapshot(out) == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".output")] == []


def test_failed_second_rename_puts_the_old_site_back(site: Path) -> None:
    run_build(site)
    out = site / "output"
    before = snapshot(out)
    with pytest.raises(OSError):
        _swap(out, site / ".output.new-1")  # no staged site: the second rename fails
    assert snapshot(out) == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".output")] == []


@pytest.mark.parametrize("folder", ["content", "static", "templates", ".portfolio-cache"])
def test_output_inside_a_symlinked_source_folder_is_refused(site: Path, tmp_path: Path, folder: str) -> None:
    real = tmp_path / ("real" + folder)
    if (site / folder).exists():
        (site / folder).rename(real)
    else:
        real.mkdir()
    os.symlink(real, site / folder)
    before = snapshot(tmp_path)
    with pytest.raises(UsageProblem) as info:
        run_build(site, output=real / "out")
    assert info.value.exit_code == 2
    assert snapshot(tmp_path) == before and not (real / "out").exists()


def test_output_holding_a_symlinked_static_folder_is_refused(site: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    (shared / "static").mkdir(parents=True)
    (shared / "static/logo.svg").write_text("<svg/>")
    (shared / MARKER).write_text("")  # looks like one of our outputs
    os.symlink(shared / "static", site / "static")
    with pytest.raises(UsageProblem):
        run_build(site, output=shared)
    assert (shared / "static/logo.svg").read_text() == "<svg/>"
