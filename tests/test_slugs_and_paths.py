"""Slugs from file names, collisions, explicit slugs, and paths that try to leave the site."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from conftest import build_errors, run_build, study, write_site
from images import jpeg

from portfolio.slugs import check_slug, slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Étude été", "etude-ete"),
        ("Maison Lune — TikTok!", "maison-lune-tiktok"),
        ("Œuvre", "oeuvre"),
        ("straße", "strasse"),
        ("  --a--b--  ", "a-b"),
        ("Ça va", "ca-va"),
        ("x" * 300, "x" * 80),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize(
    "value", ["../../x", "%2e%2e%2f", "/x", "C:\\x", "a\0b", "CON", "lpt1", "a/b", "x" * 300, "!!!"]
)
def test_unsafe_explicit_slugs_are_refused(value: str) -> None:
    slug, problem = check_slug(value)
    assert problem and not slug


def test_slug_from_file_name_with_accents(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/case-studies/Étude été.md": study()})
    run_build(root)
    assert (root / "output/case-studies/etude-ete/index.html").is_file()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("About.md", "about.md"),  # by case
        (unicodedata.normalize("NFC", "été.md"), unicodedata.normalize("NFD", "été.md")),
    ],
)
def test_colliding_page_slugs_name_both_files(tmp_path: Path, a: str, b: str) -> None:
    root = write_site(
        tmp_path,
        {
            f"content/pages/{a}": "---\ntitle: One\n---\n",
            "content/pages/sub/" + b: "---\ntitle: Two\n---\n",
        },
    )
    message = build_errors(root)
    assert "has the same URL slug" in message
    assert a in message or b in message
    assert message.count("content/pages/") >= 2


def test_explicit_slug_collides_with_file_name(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/one.md": study(),
            "content/case-studies/two.md": study(front="slug: One"),
        },
    )
    message = build_errors(root)
    assert (
        "content/case-studies/two.md:6: slug: has the same URL slug `one` as "
        "content/case-studies/one.md" in message
    )


@pytest.mark.parametrize("slug", ["case-studies", "results", "assets", "images", "404", "social", "for"])
def test_page_slug_cannot_take_a_site_name(tmp_path: Path, slug: str) -> None:
    root = write_site(tmp_path, {f"content/pages/{slug}.md": "---\ntitle: Mine\n---\n"})
    assert f"the slug `{slug}` is used by the site itself" in build_errors(root)


@pytest.mark.parametrize(
    "src", ["../../../outside.jpg", "/../../outside.jpg", "../../../../../../../../etc/hostname"]
)
def test_front_matter_paths_outside_the_site_are_refused(tmp_path: Path, src: str) -> None:
    (tmp_path / "outside.jpg").write_bytes(jpeg())
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/x.md": study(front=f"cover: {{src: '{src}', alt: A}}"),
        },
    )
    message = build_errors(root)
    assert f'content/case-studies/x.md:6: cover.src: "{src}" points outside the site folder' in message
    assert not (root / "output").exists()


def test_symlinked_folder_leading_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.jpg").write_bytes(jpeg())
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/x.md": study(front="cover: {src: ../images/secret.jpg, alt: A}"),
        },
    )
    os.symlink(outside, root / "content/images")
    assert 'cover.src: "../images/secret.jpg" points outside the site folder' in build_errors(root)


def test_markdown_image_and_link_outside_the_site_are_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.pdf").write_bytes(b"%PDF")
    (tmp_path / "secret.jpg").write_bytes(jpeg())
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/x.md": study(
                body="Intro\n\n![a](../../../secret.jpg)\n\n[cv](../../../secret.pdf)\n"
            ),
        },
    )
    message = build_errors(root)
    assert 'content/case-studies/x.md:9: "../../../secret.jpg" points outside the site folder' in message
    assert 'content/case-studies/x.md:11: "../../../secret.pdf" points outside the site folder' in message


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x.md": study(front="cover: {src: nope.jpg, alt: A}"),
        },
    )
    assert 'x.md:6: cover.src: file not found: "nope.jpg"' in build_errors(root)


def test_paths_starting_with_slash_start_at_content(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/images/c.jpg": jpeg(),
            "content/case-studies/deep/x.md": study(front="cover: {src: /images/c.jpg, alt: A}"),
        },
    )
    run_build(root)
    html = (root / "output/case-studies/x/index.html").read_text()
    assert 'src="../../images/c-' in html


@pytest.mark.parametrize(
    ("field", "target", "expected"),
    [
        ("author.resume", "content/case-studies/two.md", "source and note files"),
        ("author.resume", "portfolio.yaml", "only files under content/ are published"),
        ("author.avatar", "content/.secret/me.jpg", "dot-files are never published"),
    ],
)
def test_config_files_that_may_not_be_published(
    tmp_path: Path, field: str, target: str, expected: str
) -> None:
    from conftest import CONFIG

    key = field.split(".")[1]
    root = write_site(
        tmp_path,
        {
            "content/case-studies/two.md": study(front="private_notes: SENTINEL"),
            "content/.secret/me.jpg": jpeg(),
        },
        config=CONFIG + f"  {key}: {target}\n",
    )
    message = build_errors(root)
    assert f"portfolio.yaml:7: {field}:" in message and expected in message


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("../../portfolio.yaml", "only files under content/ are published"),
        ("../.env", "dot-files are never published"),
        ("/notes.yaml", "source and note files"),
        ("a%00b.pdf", "a path cannot contain a NUL character"),
        ("x" * 300 + ".pdf", "is not a usable file name"),
        ("../images/", "is a folder, not a file"),
    ],
)
def test_markdown_links_to_files_that_may_not_be_published(tmp_path: Path, link: str, expected: str) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x.md": study(body=f"See [this]({link}).\n"),
            "content/.env": "SECRET=1",
            "content/notes.yaml": "a: 1",
            "content/images/a.jpg": jpeg(),
        },
    )
    message = build_errors(root)
    assert "content/case-studies/x.md:7:" in message and expected in message
    assert not (root / "output").exists()


def test_other_image_formats_linked_from_markdown_are_re_encoded(tmp_path: Path) -> None:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buf, "TIFF", description="SENTINEL-TIFF")
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x.md": study(body="[scan](../images/scan.tiff)\n"),
            "content/images/scan.tiff": buf.getvalue(),
        },
    )
    run_build(root)
    from conftest import output_bytes

    everything = output_bytes(root / "output")
    assert b"SENTINEL-TIFF" not in everything and b"images/scan-" in everything


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("content/case-studies/CON.md", "the file name gives the URL `con`, a name Windows reserves"),
        ("content/case-studies/nul/index.md", "a name Windows reserves"),
        ("content/case-studies/skill.md", "the slug `skill` is used by the site itself"),
        ("content/pages/index.md", "the slug `index` is used by the site itself"),
    ],
)
def test_slugs_from_file_names_that_cannot_be_used(tmp_path: Path, rel: str, expected: str) -> None:
    text = study() if "case-studies" in rel else "---\ntitle: Home?\n---\n"
    root = write_site(tmp_path, {rel: text})
    assert expected in build_errors(root)


def test_symlinked_markdown_file_outside_the_site_is_refused(tmp_path: Path) -> None:
    (tmp_path / "o.md").write_text(study(title="OUTSIDE"))
    root = write_site(tmp_path / "site", {})
    (root / "content/case-studies").mkdir(parents=True)
    os.symlink(tmp_path / "o.md", root / "content/case-studies/o.md")
    assert "content/case-studies/o.md: is a link to a file outside the site folder" in build_errors(root)


def test_nested_bundles_belong_to_the_outer_one(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/a/index.md": study(title="Outer"),
            "content/case-studies/a/b/index.md": "not a page",
        },
    )
    run_build(root)
    assert not (root / "output/case-studies/b").exists()
