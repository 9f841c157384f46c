"""Markdown: the extensions, links between content files, safe HTML, {client}, French."""

from __future__ import annotations

from pathlib import Path

from conftest import CONFIG, build_errors, run_build, study, write_site
from images import jpeg

BODY = """\
## Context {#ctx .lead}

## Main

| Channel | Reach |
|:--------|------:|
| TikTok  | 41k   |

```
code & <tags>
```

A claim.[^1] See [the other study](other.md#results), [a draft](draft.md),
[nothing](missing.md), [about](/pages/about.md) and [bad](javascript:alert(1)).

<script>alert(1)</script><a href="https://x.example" onclick="steal()" target="_blank">x</a>

[^1]: The footnote.
"""


def _site(tmp_path: Path) -> Path:
    return write_site(
        tmp_path,
        {
            "content/case-studies/x.md": study(body=BODY),
            "content/case-studies/other.md": study(title="Other", body="## Results\n\nGood.\n"),
            "content/case-studies/draft.md": study(title="Draft", front="draft: true"),
            "content/pages/about.md": "---\ntitle: About\n---\n",
        },
    )


def test_markdown_features_and_links(tmp_path: Path) -> None:
    root = _site(tmp_path)
    result = run_build(root)
    html = (root / "output/case-studies/x/index.html").read_text()
    assert '<h2 class="lead" id="ctx">Context</h2>' in html
    assert '<h2 id="section-main">Main</h2>' in html and html.count('id="main"') == 1
    assert '<th class="align-left">Channel</th>' in html and '<td class="align-right">41k</td>' in html
    assert "code &amp; &lt;tags&gt;" in html
    assert 'class="footnote-ref"' in html and "The footnote." in html
    assert '<a href="../other/#results">the other study</a>' in html
    assert '<a href="../../about/">about</a>' in html
    assert "<span>a draft</span>" in html and "<span>nothing</span>" in html
    assert "javascript:" not in html and "<script>alert" not in html
    assert "onclick" not in html and 'target="_blank"' not in html
    warnings = [str(w) for w in result.warnings]
    assert any(
        "x.md:19: the link to 'draft.md' leads to a draft, withheld or missing page" in w for w in warnings
    ), warnings
    assert any("'missing.md' leads to a missing file" in w for w in warnings)


def test_client_placeholder_renders_the_name(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x.md": study(
                title="Launching {client}",
                summary="Work for {client}.",
                front="client: {name: Maison Lune, consent: granted}\n"
                "cover: {src: c.jpg, alt: '{client} billboard'}\n"
                'metrics:\n  - {label: Reach, value: 3, source: "{client}\'s Insights"}',
                body="We helped {client} grow.\n",
            )
        },
    )
    from images import jpeg

    (root / "content/case-studies/c.jpg").write_bytes(jpeg())
    run_build(root)
    html = (root / "output/case-studies/x/index.html").read_text()
    assert "Launching Maison Lune" in html and "We helped Maison Lune grow." in html
    assert 'alt="Maison Lune billboard"' in html and "Maison Lune&#39;s Insights" in html
    assert "{client}" not in html


def test_french_site_uses_french_words_dates_and_numbers(tmp_path: Path) -> None:
    from conftest import CONFIG

    root = write_site(
        tmp_path,
        {
            "portfolio.yaml": CONFIG + "language: fr\n",
            "content/case-studies/x.md": study(
                front="metrics:\n  - {label: Taux, before: 1.2, "
                "after: 4.8, unit: '%'}\n"
                "  - {label: CA, value: 18400, unit: €}"
            ),
        },
    )
    run_build(root)
    html = (root / "output/etudes-de-cas/x/index.html").read_text()
    assert '<html lang="fr">' in html
    assert "mars\u00a02025" in html  # a French date holds together
    assert "4,8\u202f%" in html and "18\u202f400\u00a0€" in html and "+3,6\u00a0pts" in html
    assert "Mon rôle" in html and "Résultats" in html
    assert "My role" not in html


def test_hostile_title_is_escaped_everywhere(tmp_path: Path) -> None:
    import json

    root = write_site(
        tmp_path,
        {
            "content/case-studies/x.md": study(
                title=json.dumps("'\"><script>alert(1)</script> & </title><script>x</script>"),
                summary="Payments & Crypto",
            )
        },
    )
    run_build(root)
    out = root / "output"
    for name in ("case-studies/x/index.html", "index.html", "case-studies/index.html"):
        text = (out / name).read_text()
        assert "<script>alert(1)" not in text and "</title><script>" not in text
        assert "&amp;amp;" not in text
    assert "Payments &amp; Crypto" in (out / "case-studies/x/index.html").read_text()
    import xml.dom.minidom

    xml.dom.minidom.parse(str(out / "feed.xml"))  # still well-formed


def test_json_ld_round_trips_hostile_strings(tmp_path: Path) -> None:
    import json
    import re

    title = "</script><!--<script> & \u2028\u2029 done"
    root = write_site(tmp_path, {"content/case-studies/x.md": study(title=json.dumps(title))})
    run_build(root)
    html = (root / "output/case-studies/x/index.html").read_text()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(block)["name"] == title


def test_deeply_nested_markdown_is_one_clear_error_or_renders(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/case-studies/x.md": study(body="> " * 10000 + "deep\n")})
    try:
        run_build(root)
    except Exception:
        message = build_errors(root)
        assert "content/case-studies/x.md" in message and "nested too deeply" in message


def test_huge_markdown_file_is_refused(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"content/case-studies/x.md": study(body="word " * 600_000)})
    assert "content/case-studies/x.md: is 3 MB; a Markdown file may be at most 2 MB" in build_errors(root)


def test_deeply_nested_brackets_are_refused(tmp_path: Path) -> None:
    # Unguarded, Python-Markdown takes many minutes on this input.
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x.md": study(
                body="Fine [link](other.md) and [[wiki]].\n\n" + "[" * 50_000 + "x" + "]" * 50_000
            )
        },
    )
    message = build_errors(root)
    assert "content/case-studies/x.md:9: more than 64 `[` open at once" in message


def test_client_name_enters_the_body_as_text_not_markup(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x.md": study(
                title="For {client}",
                front="client: {name: '<b>Bold</b> & Co', consent: granted}",
                body="We helped {client}.\n",
            )
        },
    )
    run_build(root)
    html = (root / "output/case-studies/x/index.html").read_text()
    assert "We helped &lt;b&gt;Bold&lt;/b&gt; &amp; Co." in html
    assert "<b>Bold</b>" not in html


def test_raw_html_images_are_published_like_markdown_images(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/images/me.jpg": jpeg(),
            "content/case-studies/x.md": study(
                body='Text\n\n<div><img src="../images/me.jpg" alt="me" width="9"></div>\n'
                '<a href="other.md">o</a>\n<a href="https://ok.example">fine</a>\n\n'
                '<p><img src="https://tracker.example/p.gif"> and <img src="javascript:alert(1)"></p>\n'
            ),
        },
    )
    # A raw <a> is not rewritten: it would lead to a file the site does not have.
    assert (
        "content/case-studies/x.md:10: the link 'other.md' leads to case-studies/x/other.md, which "
        "the site does not have\n  hint: a link to another content file is written in Markdown: "
        "[text](other.md)" in build_errors(root)
    )
    x = root / "content/case-studies/x.md"
    x.write_text(x.read_text().replace('<a href="other.md">o</a>', '<a href="../../">home</a>'))
    result = run_build(root)
    warnings = [str(w) for w in result.warnings]
    html = (root / "output/case-studies/x/index.html").read_text()
    assert "<div><picture><source" in html and 'type="image/avif"' in html and 'alt="me"' in html
    assert "../images/me.jpg" not in html and 'width="9"' not in html
    assert any("x.md:10: the raw HTML <a> pointing to '../../'" in w for w in warnings)
    assert any("the image 'https://tracker.example/p.gif' loads from another site" in w for w in warnings)
    assert "javascript" not in html
    assert not any("ok.example" in w for w in warnings)


def test_a_raw_html_image_that_cannot_be_published_is_an_error(tmp_path: Path) -> None:
    root = write_site(
        tmp_path, {"content/case-studies/x.md": study(body='Text\n\n<img src="../images/me.jpg">\n')}
    )
    assert "x.md:9: file not found" in build_errors(root)


def test_a_mistyped_or_bare_address_says_what_was_meant(tmp_path: Path) -> None:
    """A user who types `htp:` or forgets `https://` / `mailto:` is told, on the line, what to
    write; the link never goes out broken."""
    body = (
        "[site](htp://lea.example) [js](javascript:alert(1))\n"
        "[empty](https://) [space](https://exa%20mple.com)\n"
        "[mail](lea@exemple.fr) [web](www.google.fr)\n"
    )
    root = write_site(tmp_path, {"content/case-studies/x.md": study(body=body)})
    first = study(body=body).splitlines().index(body.splitlines()[0]) + 1
    errors = build_errors(root)
    assert (
        f'content/case-studies/x.md:{first + 2}: file not found: "lea@exemple.fr"\n'
        "  hint: an email address needs mailto: in front, e.g. (mailto:lea@exemple.fr)" in errors
    ), errors
    assert "hint: an outside address needs https:// in front, e.g. (https://www.google.fr)" in errors
    (root / "content/case-studies/x.md").write_text(study(body="\n".join(body.splitlines()[:2]) + "\n"))
    result = run_build(root)
    warnings = [str(w) for w in result.warnings]
    expected = [
        f"x.md:{first}: the link 'htp://lea.example' is not a web, email or phone address; "
        "shown as plain text\n  hint: did you mean http:?",
        f"x.md:{first}: the link 'javascript:alert(1)' is not a web, email or phone address; "
        "shown as plain text\n  hint: links may start with https://, mailto: or tel:",
        f"x.md:{first + 1}: the link 'https://' names no site after //; shown as plain text",
        f"x.md:{first + 1}: the link 'https://exa%20mple.com' has no domain",
    ]
    for line in expected:
        assert any(line in w for w in warnings), (line, warnings)
    html = (root / "output/case-studies/x/index.html").read_text()
    assert 'href="htp:' not in html and 'href="https://"' not in html and "%20" not in html
    assert "<span>site</span>" in html and "<span>empty</span>" in html


def test_a_footnotes_way_back_speaks_the_pages_language(tmp_path: Path) -> None:
    """The footnote's back-link title is French on a French page and English on its English
    translation (it was Python-Markdown's English everywhere)."""
    body = "Une affirmation.[^1]\n\n[^1]: La source.\n"
    root = write_site(
        tmp_path,
        {
            "content/case-studies/x.md": study(body=body),
            "content/case-studies/x.en.md": "---\ntitle: In English\n---\nA claim.[^1]\n\n"
            "[^1]: The source.\n",
        },
        config=CONFIG + "languages: [fr, en]\n",
    )
    run_build(root)
    fr = (root / "output/etudes-de-cas/x/index.html").read_text()
    en = (root / "output/en/case-studies/x/index.html").read_text()
    assert 'title="Revenir à l’appel de note 1"' in fr and "Jump back" not in fr
    assert 'title="Jump back to footnote 1 in the text"' in en
