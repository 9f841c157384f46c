"""Theme lookup: site templates override the theme file by file; template errors name file:line."""

from __future__ import annotations

from pathlib import Path

from conftest import STUDY, build_errors, run_build, write_site


def test_site_template_overrides_one_theme_file(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/a-study.md": STUDY,
            "templates/404.html": "<!doctype html><title>x</title><p>MY OWN 404</p>\n",
        },
    )
    run_build(root)
    out = root / "output"
    assert "MY OWN 404" in (out / "404.html").read_text()
    assert "MY OWN 404" not in (out / "index.html").read_text()
    assert 'class="hero' in (out / "index.html").read_text()  # the rest is still the theme's


def test_theme_prefix_reaches_the_overridden_template(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/a-study.md": STUDY,
            "templates/base.html": '{% extends "theme/base.html" %}{% block title %}CUSTOM TITLE'
            "{% endblock %}",
        },
    )
    run_build(root)
    html = (root / "output/case-studies/a-study/index.html").read_text()
    assert "<title>CUSTOM TITLE</title>" in html
    assert "It went well." in html


def test_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/a-study.md": STUDY,
            "templates/page.html": "line one\n{% if %}\n",
            "content/pages/about.md": "---\ntitle: About\n---\n",
        },
    )
    message = build_errors(root)
    assert "templates/page.html:2: template syntax error:" in message


def test_undefined_variable_names_template_line_and_content_file(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/a-study.md": STUDY,
            "templates/case-study.html": "{% extends 'theme/case-study.html' %}\n"
            "{% block main %}\n{{ study.nonexistent }}\n{% endblock %}\n",
        },
    )
    message = build_errors(root)
    assert "templates/case-study.html:3: undefined variable:" in message
    assert "nonexistent" in message
    assert "(rendering content/case-studies/a-study.md)" in message
    assert not (root / "output").exists()


def test_static_files_are_copied_as_is_with_dot_files(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/a-study.md": STUDY,
            "static/CNAME": "camille.example.com\n",
            "static/.well-known/security.txt": "Contact: mailto:a@b.c\n",
            "static/favicon.ico": b"\x00\x00\x01\x00",
        },
    )
    run_build(root)
    out = root / "output"
    assert (out / "CNAME").read_text() == "camille.example.com\n"
    assert (out / ".well-known/security.txt").is_file()
    assert (out / "favicon.ico").read_bytes() == b"\x00\x00\x01\x00"


def test_theme_by_path_with_extends(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/a-study.md": STUDY,
            "mytheme/theme.yaml": "name: mine\nextends: default\n",
            "mytheme/templates/404.html": "<p>CHILD THEME 404</p>\n",
            "mytheme/static/extra.css": "body{}",
        },
        config=None,
    )
    from conftest import CONFIG

    (root / "portfolio.yaml").write_text(CONFIG + "theme: ./mytheme\n", encoding="utf-8")
    run_build(root)
    out = root / "output"
    assert "CHILD THEME 404" in (out / "404.html").read_text()
    assert (out / "assets/extra.css").is_file() and (out / "assets/site.css").is_file()


def test_static_jpeg_with_gps_gets_a_warning(tmp_path: Path) -> None:
    from images import GPS_SENTINEL, jpeg

    root = write_site(tmp_path, {"content/case-studies/a-study.md": STUDY, "static/me.jpg": jpeg(gps=True)})
    result = run_build(root)
    assert any("static/me.jpg: carries a GPS position" in str(w) for w in result.warnings)
    assert GPS_SENTINEL.encode() in (root / "output/me.jpg").read_bytes()  # as-is, by design


def test_long_pitch_gets_a_warning(tmp_path: Path) -> None:
    from conftest import CONFIG

    root = write_site(
        tmp_path,
        {"content/case-studies/a-study.md": STUDY},
        config=CONFIG + "  pitch: " + "word " * 151 + "\n",
    )
    result = run_build(root)
    assert any("author.pitch: is 151 words" in str(w) for w in result.warnings)
