"""Incremental builds: the same bytes as a clean build, by the build's own counters no work
twice, and a damaged cache costs time, never correctness."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CONFIG, study, write_site
from PIL import Image

from portfolio.build import BuildOptions, BuildResult, build
from portfolio.cache import CACHE_DIR
from portfolio.themes import bundled_dir

TAGS = ["seo", "social", "email", "paid", "content", "events"]


def _site(root: Path) -> Path:
    files: dict[str, str | bytes] = {
        f"content/case-studies/s{i}.md": study(
            title=f"Study number {i}",
            date=f"2025-0{i + 1}-10",
            tags=f"[{TAGS[i]}]",
            body=f"Body of study {i} with [a link](s{(i + 1) % 6}.md).\n\n![A chart](../images/p.png)\n",
        )
        for i in range(6)
    }
    files["content/case-studies/client.md"] = study(
        "client: {name: Halden Cycles, consent: pending, anonymized_as: a bike shop}",
        title="Ads for {client}",
        date="2024-01-05",
        metrics="[{label: Sales, before: 10, after: 20}]",
    )
    files["content/about.md"] = "---\ntitle: About me\n---\nI like bikes.\n"
    root = write_site(root, files, config=CONFIG + "theme: themes/mine\n")
    buf = root / "content/images/p.png"
    buf.parent.mkdir(parents=True)
    Image.new("RGB", (64, 40), (200, 30, 30)).save(buf)
    shutil.copytree(bundled_dir() / "default", root / "themes/mine")
    return root


def _tree(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _clean_build(root: Path, scratch: Path) -> dict[str, bytes]:
    """The same site built from nothing: a copy without cache or output."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns(CACHE_DIR, "output"), symlinks=True)
    build(scratch, BuildOptions(use_cache=False))
    return _tree(scratch / "output")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("body edit", lambda r: _edit(r / "content/case-studies/s2.md", "Body of study 2", "New words for 2")),
    ("title edit", lambda r: _edit(r / "content/case-studies/s3.md", "Study number 3", "Renamed study")),
    ("deletion", lambda r: (r / "content/case-studies/s5.md").unlink()),
    ("rename", lambda r: (r / "content/case-studies/s4.md").rename(r / "content/case-studies/four.md")),
    ("consent granted", lambda r: _edit(r / "content/case-studies/client.md", "pending", "granted")),
    ("consent denied", lambda r: _edit(r / "content/case-studies/client.md", "granted", "denied")),
    (
        "template",
        lambda r: _edit(r / "themes/mine/templates/case-study.html", "{% block", "<!-- v2 -->{% block"),
    ),
    (
        "theme option",
        lambda r: _edit(
            r / "portfolio.yaml",
            "theme: themes/mine",
            'theme: themes/mine\ntheme_options: {accent: "#7a1f5c"}',
        ),
    ),
    (
        "word",
        lambda r: _edit(
            r / "themes/mine/i18n/en.yaml",
            "featured: Selected work",
            "featured: Work I chose",
        ),
    ),
    ("image", lambda r: Image.new("RGB", (64, 40), (20, 30, 200)).save(r / "content/images/p.png")),
    ("new study", lambda r: (r / "content/case-studies/s9.md").write_text(study(title="Late one"))),
]


def test_incremental_output_is_byte_identical_to_a_clean_build(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    build(root, BuildOptions(workers=2))
    for name, edit in EDITS:
        edit(root)
        result = build(root, BuildOptions(workers=2))  # warm cache, the work shared by workers
        assert not result.replayed, name
        assert _tree(root / "output") == _clean_build(root, tmp_path / "clean"), name


def test_word_edit_reaches_the_pages(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    build(root)
    _edit(root / "themes/mine/i18n/en.yaml", "all_work: See all", "all_work: Browse all")
    result = build(root)
    assert "index.html" in result.counts.rendered
    assert b"Browse all" in (root / "output/index.html").read_bytes()


def test_an_unchanged_site_is_replayed_and_does_no_work(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    first = build(root)
    assert first.counts.pages_rendered == len(first.counts.rendered) > first.pages > 0
    assert first.images_made > 0
    again = build(root)
    assert again.replayed
    assert (again.counts.pages_rendered, again.counts.markdown_parsed, again.images_made) == (0, 0, 0)
    assert again.pages == first.pages and again.anonymized == first.anonymized


def test_without_replay_the_caches_still_do_no_work_twice(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    first = build(root)
    (root / "notes.txt").write_text("an input the build never shows\n")  # replay is not allowed
    again = build(root)
    assert not again.replayed
    assert again.counts.pages_rendered == 0 and again.counts.pages_reused == first.counts.pages_rendered
    assert again.counts.markdown_parsed == 0 and again.counts.markdown_reused == first.counts.markdown_parsed
    assert again.images_made == 0
    assert again.written == 0 and again.removed == 0


def test_an_edited_output_is_rebuilt_not_replayed(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    build(root)
    clean = _tree(root / "output")
    (root / "output/index.html").write_text("vandalised")
    (root / "output/case-studies/s1/index.html").unlink()
    result = build(root)
    assert not result.replayed and result.written == 2
    assert _tree(root / "output") == clean


def test_a_body_edit_re_renders_only_that_page(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    first = build(root)
    _edit(root / "content/case-studies/s2.md", "Body of study 2", "New words")
    result = build(root)
    # Listings and pagers show titles, summaries and dates, not the body.
    assert result.counts.rendered == ("case-studies/s2/index.html",)
    assert result.counts.pages_reused == first.counts.pages_rendered - 1
    assert (result.counts.markdown_parsed, result.written) == (1, 1)


def test_a_title_edit_re_renders_the_page_and_what_shows_it(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    first = build(root)
    _edit(root / "content/case-studies/s2.md", "Study number 2", "A new title")
    result = build(root)
    rendered = set(result.counts.rendered)
    # The page, its neighbours' pagers, and the listings that show it; nothing else.
    pages = {"case-studies/s1/index.html", "case-studies/s2/index.html", "case-studies/s3/index.html"}
    listings = {"case-studies/index.html", "case-studies/kind/personal/index.html", "feed.xml"}
    assert rendered == pages | listings
    assert listings <= set(first.counts.rendered)
    assert "case-studies/s5/index.html" not in rendered and "about/index.html" not in rendered
    assert result.counts.markdown_parsed == 0  # the body is the same


def _not_html(outputs: set[str]) -> int:
    return sum(1 for o in outputs if not o.endswith(".html"))


def test_no_cache_redoes_the_work_and_gives_the_same_site(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    build(root)
    before = _tree(root / "output")
    result = build(root, BuildOptions(use_cache=False))
    assert not result.replayed
    assert result.counts.markdown_parsed > 0 and result.counts.pages_reused == 0
    assert result.images_made > 0
    assert _tree(root / "output") == before and result.written == 0


def _entries(root: Path) -> list[Path]:
    return [p for p in (root / CACHE_DIR).rglob("*.json") if p.parent.parent.name != "digests"]


@pytest.mark.parametrize("damage", ["truncated", "wrong json", "other version", "empty", "not an object"])
def test_a_damaged_cache_is_discarded_and_the_build_is_correct(tmp_path: Path, damage: str) -> None:
    root = _site(tmp_path / "site")
    build(root)
    clean = _tree(root / "output")
    entries = _entries(root) + list((root / CACHE_DIR / "pages").rglob("*.html"))
    assert entries
    for path in entries:
        data = path.read_bytes()
        if damage == "truncated":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "wrong json":
            path.write_bytes(b'{"format": ')
        elif damage == "other version" and path.suffix == ".json":
            entry = json.loads(data)
            if isinstance(entry, dict):
                entry["format"] = "0.0.0/1"
                path.write_text(json.dumps(entry))
        elif damage == "empty":
            path.write_bytes(b"")
        else:
            path.write_text("[1, 2, 3]")
    shutil.rmtree(root / "output")
    result: BuildResult = build(root)
    assert not result.replayed
    assert _tree(root / "output") == clean
    assert result.counts.discarded > 0
    # And the next build trusts the rewritten entries again.
    assert build(root).replayed


def test_the_preview_reuses_its_images_from_one_rebuild_to_the_next(tmp_path: Path) -> None:
    from portfolio.errors import Problems
    from portfolio.recipe import render_site

    root = _site(tmp_path / "site").resolve()
    first = render_site(root, BuildOptions(), Problems(), drafts=True, preview=True)
    again = render_site(root, BuildOptions(), Problems(), drafts=True, preview=True)
    assert first.images.made > 0 and again.images.made == 0
    assert again.counts.discarded == 0


def forget_memos() -> None:
    """What this process remembers between builds (the preview's memory): a test that wants
    the cache on disk read, or a render from nothing, clears it."""
    from portfolio import content, pages, render, reuse

    content._PARSED.clear()
    pages._VIEWS.clear()
    reuse._PRINTED.clear()
    render._COMPILED.clear()


def _rendered(files: dict[str, bytes | Path]) -> dict[str, bytes]:
    return {name: data if isinstance(data, bytes) else data.read_bytes() for name, data in files.items()}


def test_the_preview_after_each_edit_renders_what_a_fresh_preview_renders(tmp_path: Path) -> None:
    """The preview keeps parsed front matter, compiled templates and study views in memory
    between saves; after every kind of edit its site is the one a new process renders."""
    from portfolio.errors import Problems
    from portfolio.recipe import render_site
    from portfolio.serve import Preview

    root = _site(tmp_path / "site").resolve()
    _edit(
        root / "content/case-studies/s0.md",
        "title:",
        "cover: {src: ../images/p.png, alt: A red square}\ntitle:",
    )
    preview = Preview(root, drafts=True, host="127.0.0.1")
    preview.rebuild()
    edits = [
        *EDITS,
        ("cover", lambda r: Image.new("RGB", (80, 40), (20, 200, 30)).save(r / "content/images/p.png")),
        (
            "channel",
            lambda r: _edit(r / "content/case-studies/s1.md", "title:", "channels: [TikTok]\ntitle:"),
        ),
    ]
    for name, edit in edits:
        edit(root)
        preview.rebuild()
        assert not preview.errors, name
        kept = _rendered(preview.files)
        forget_memos()
        fresh = render_site(root, BuildOptions(use_cache=False), Problems(), drafts=True, preview=True)
        assert kept == _rendered(fresh.files), name


def test_damaged_front_matter_and_template_entries_are_parsed_again(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    build(root)
    clean = _tree(root / "output")
    damaged = [p for kind in ("front-matter", "templates") for p in (root / CACHE_DIR / kind).rglob("*.json")]
    assert damaged
    for path in damaged:
        entry = json.loads(path.read_bytes())
        entry["value"] = ["M", "not a line", [[1]], []] if "front-matter" in str(path) else 42
        path.write_text(json.dumps(entry))
    forget_memos()
    shutil.rmtree(root / "output")
    result = build(root)
    assert _tree(root / "output") == clean
    assert result.counts.discarded == 0  # well-formed entries of the right key: rejected by content
