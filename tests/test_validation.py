"""Every class of content error: one line each (file:line: field: message), all at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CONFIG, build_errors, snapshot, study, write_site

STUDY_FILE = "content/case-studies/x.md"


def errors_for(tmp_path: Path, text: str | bytes, rel: str = STUDY_FILE, config: str = CONFIG) -> str:
    root = write_site(tmp_path, {rel: text, "portfolio.yaml": config})
    return build_errors(root)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # unknown keys, with the closest known key
        (
            study(front="colaborators: [Ann]"),
            "content/case-studies/x.md:6: colaborators: unknown field `colaborators`\n"
            "  hint: did you mean `collaborators`?",
        ),
        (
            study(front="tittle: Oops"),
            "x.md:6: tittle: unknown field `tittle`\n  hint: did you mean `title`?",
        ),
        # type errors with the field path and what was expected
        (
            study(front='metrics:\n  - {label: Rate, before: 1, after: "4,8%"}'),
            'x.md:7: metrics[0].after: expected a number, got "4,8%"',
        ),
        (
            study(
                front="metrics:\n  - {label: A, value: 1}\n  - {label: B, value: 2}\n"
                "  - {label: C, before: x, after: 2}"
            ),
            'x.md:9: metrics[2].before: expected a number, got "x"',
        ),
        (
            study(front='tags: "a, b"'),
            'x.md:6: tags: expected a list such as [A, B], got "a, b"\n'
            "  hint: write the items in square brackets: tags: [a, b]",
        ),
        (study(date="2024-13-45"), 'x.md:3: date: expected a date such as 2025-03-10, got "2024-13-45"'),
        (study(front="team_size: many"), 'x.md:6: team_size: expected a whole number, got "many"'),
        (study(front="featured: sometimes"), 'x.md:6: featured: expected true or false, got "sometimes"'),
        (
            study(kind="agent"),
            "x.md:6: kind: expected one of client, agency, freelance, volunteer, "
            'personal, school, got "agent"\n  hint: did you mean `agency`?',
        ),
        (study(summary="x" * 201), "x.md:4: summary: is 201 characters; at most 200 are allowed"),
        (
            study(front="client: {name: Acme, consent: granted, url: not-a-url}"),
            'x.md:6: client.url: expected a full web address starting with https://, got "not-a-url"',
        ),
        # missing required fields
        (study(title=None), "x.md:2: title: is required"),
        (study(summary=None), "x.md:2: summary: is required"),
        (study(role=None), "x.md:2: role: is required"),
        (study(date=None), "x.md:2: date: is required"),
        (study(title='""'), "x.md:2: title: is empty; a value is required"),
        (study(kind="agency"), "x.md:2: client: is required for `kind: agency`"),
        (study(front="client: {consent: granted}"), "x.md:6: client.name: is required"),
        # consent words: only the exact three count, failing closed
        (
            study(front="client: {name: Acme, consent: yes}"),
            "x.md:6: client.consent: expected one of granted, pending, denied, private, got true\n"
            "  hint: YAML reads yes/no/on/off as true/false",
        ),
        (
            study(front="client: {name: Acme, consent: no}"),
            "client.consent: expected one of granted, pending, denied, private, got false",
        ),
        (
            study(front='client: {name: Acme, consent: "granted "}'),
            'client.consent: expected one of granted, pending, denied, private, got "granted "',
        ),
        (
            study(front="client: {name: Acme, consent: [granted]}"),
            "client.consent: expected one of granted, pending, denied, private, got a list",
        ),
        (
            study(front="client: {name: Acme, Consent: granted}"),
            "x.md:6: client.Consent: unknown field `Consent`\n  hint: did you mean `consent`?",
        ),
        (
            study(front="testimonial: {quote: Great, consent: maybe}"),
            'testimonial.consent: expected one of granted, pending, denied, got "maybe"',
        ),
        # consent rules
        (
            study(front="client: {name: Acme, consent: pending}"),
            "x.md:6: client.anonymized_as: is required when the work is anonymized (consent pending)",
        ),
        (
            study(title="Work for {client}"),
            "x.md:2: title: uses `{client}` but this case study has no client",
        ),
        (
            study(body="Intro\n\nWe helped {client}.\n"),
            "x.md:9: the body uses `{client}` but this case study has no client",
        ),
        (
            study(front="client: {name: Acme, consent: yes}", title="For {client}"),
            "client.consent: expected one of",
        ),
        # gallery and metrics shapes
        (
            study(front="gallery:\n  - {alt: nothing}"),
            "x.md:7: gallery[0]: a gallery item needs one of `src` (an image), `video` (a file) or `link`",
        ),
        (
            study(front="metrics:\n  - {label: Rate}"),
            "x.md:7: metrics[0]: a metric needs `before` and `after`, or `value`, or `series`",
        ),
        (
            study(front="metrics:\n  - {label: Rate, before: 1}"),
            "x.md:7: metrics[0].after: `before` needs `after` too",
        ),
        (
            study(front="metrics:\n  - {label: Rate, series: [{x: 2024-01, y: 1}]}"),
            "metrics[0].series: a series needs at least two points, got 1",
        ),
        (
            study(front="metrics:\n  - {label: Rate, value: 3, chart: pie}"),
            'metrics[0].chart: expected one of line, area, bar, got "pie"',
        ),
        (
            study(front="collaborators: Ann and Bob"),
            "x.md:6: collaborators: expected a list such as - {name: Léa Dubois, role: Art direction}",
        ),
        (study(front="slug: ../../x"), "x.md:6: slug: a slug is a single URL word"),
        (study(front="slug: con"), "x.md:6: slug: `con` is a reserved file name on Windows"),
        (study(front="title: again"), "x.md:6: title: this field is written twice"),
        (
            study(front="collaborators:\n  - Bob\n  - 5\n  - [x]"),
            "x.md:8: collaborators[1]: expected a name, or {name: ..., role: ...}, got 5",
        ),
    ],
)
def test_content_error_lines(tmp_path: Path, text: str, expected: str) -> None:
    message = errors_for(tmp_path, text)
    assert expected in message
    assert "Traceback" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: [unclosed\n---\n", "x.md:2: invalid YAML"),  # where the [ opened
        (
            "---\ntitle: A\nsummary: B\n  role: C\n---\n",
            "x.md:4: invalid YAML: mapping values are not allowed"
            ' in this context\n  hint: text that contains ": " must be in quotes',
        ),
        ("no front matter at all\n", "x.md:1: expected front matter: the file must start with a line `---`"),
        ("---\ntitle: A\n", "x.md:1: front matter is not closed"),
        ("---\n- a\n- b\n---\n", "x.md:2: the front matter must be fields such as `title: ...`"),
        ("---\njust text\n---\n", "x.md:2: the front matter must be fields"),
        ("---\n---\nbody", "x.md:1: title: is required"),
        ("---\ntitle: !!python/object:os.system x\n---\n", "tags such as !!python are not allowed"),
        (b"---\ntitle: Caf\xe9\n---\n", "x.md:2: is not UTF-8 text"),
    ],
)
def test_front_matter_errors(tmp_path: Path, text: str | bytes, expected: str) -> None:
    assert expected in errors_for(tmp_path, text)


@pytest.mark.parametrize(
    "text",
    [
        # a trailing space after the fence, and --- inside the body
        "--- \ntitle: A\ndate: 2025-01-01\nsummary: B\nrole: C\n---\nbody\n---\nmore",
        "---\r\ntitle: A\r\ndate: 2025-01-01\r\nsummary: B\r\nrole: C\r\n---\r\nbody\r\n",  # CRLF
        "\ufeff---\ntitle: A\ndate: 2025-01-01\nsummary: B\nrole: C\n---\nbody\n",  # BOM
    ],
)
def test_front_matter_variants_that_work(tmp_path: Path, text: str) -> None:
    root = write_site(tmp_path, {STUDY_FILE: text})
    from conftest import run_build

    run_build(root)
    assert (root / "output/case-studies/x/index.html").is_file()


def test_yaml_line_counts_the_opening_fence(tmp_path: Path) -> None:
    text = "---\ntitle: A\ndate: 2025-01-01\nsummary: B\nrole: C\nteam_size: [\n---\n"
    assert "x.md:6: invalid YAML" in errors_for(tmp_path, text)  # the line of the open [


def test_all_errors_of_a_build_at_once(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "content/case-studies/a.md": study(front="tittle: x"),
            "content/case-studies/b.md": study(role=None),
            "content/pages/p.md": "---\nnav: maybe\n---\n",
        },
    )
    message = build_errors(root)
    assert "a.md:6: tittle: unknown field" in message
    assert "b.md:2: role: is required" in message
    assert "p.md:2: title: is required" in message
    assert 'p.md:2: nav: expected true or false, got "maybe"' in message
    assert message.strip().endswith("4 errors; output/ was left as it was.")


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (CONFIG + "colour: red\n", "portfolio.yaml:7: colour: unknown field `colour`"),
        (
            CONFIG + "langage: fr\n",
            "portfolio.yaml:7: langage: unknown field `langage`\n  hint: did you mean `language`?",
        ),
        (CONFIG + "language: de\n", 'portfolio.yaml:7: language: expected one of en, fr, got "de"'),
        (CONFIG.replace("  name: Test Person\n", ""), "portfolio.yaml:4: author.name: is required"),
        ("author: {name: A}\n", "portfolio.yaml:1: title: is required"),
        (
            CONFIG + "base_url: camille.example\n",
            "portfolio.yaml:7: base_url: expected a web address such as https://camille.example.com/",
        ),
        (CONFIG + "theme: nope\n", "portfolio.yaml:7: theme: no theme named 'nope'"),
        (
            CONFIG + "base_url: https://exa mple.com/\n",
            "portfolio.yaml:7: base_url: expected a web address such as https://camille.example.com/",
        ),
        (
            CONFIG + "base_url: https://camille:secret@camille.example/\n",
            "portfolio.yaml:7: base_url: expected a web address such as https://camille.example.com/, "
            'got "https://camille:secret@camille.example/"\n'
            "  hint: a name and password in the address would be published on every page: leave them out",
        ),
        (CONFIG + "null: x\n", "portfolio.yaml:7: a field name must be a word, got nothing"),
        (
            CONFIG + "  links: {5: https://a.example}\n",
            "portfolio.yaml:7: author.links: a link name must be a word, got 5",
        ),
        (
            CONFIG + "theme_options: {acent: '#fff'}\n",
            "portfolio.yaml:7: theme_options.acent: unknown option `acent` for theme 'default'\n"
            "  hint: did you mean `accent`?",
        ),
        (
            CONFIG + "theme_options: {accent: red}\n",
            'portfolio.yaml:7: theme_options.accent: expected a colour such as "#d94f2b", got "red"',
        ),
        (
            CONFIG + "theme_options:\n  accent: #1d4ed8\n",
            'theme_options.accent: expected a colour such as "#d94f2b", got nothing\n'
            "  hint: write it in quotes",
        ),
        (
            CONFIG + "consent: {pending: publish}\n",
            'portfolio.yaml:7: consent.pending: expected one of anonymize, withhold, got "publish"',
        ),
        (
            CONFIG + "images: {max_megapixels: 0}\n",
            "portfolio.yaml:7: images.max_megapixels: must be at least 1, got 0",
        ),
        (CONFIG + "author: {name: B}\n", "this field is written twice"),
        (
            CONFIG + "  links:\n    instagram: @lea.design\n",
            "portfolio.yaml:8: invalid YAML: a value cannot start with @\n"
            '  hint: put the value in quotes: instagram: "@lea.design"\n',
        ),
        (
            CONFIG + '  links:\n    instagram: "@lea.design"\n    TikTok: "@lea"\n',
            "portfolio.yaml:8: author.links.instagram: expected a full web address starting with https://, "
            'got "@lea.design"\n'
            "  hint: write instagram: https://www.instagram.com/lea.design/\n"
            "portfolio.yaml:9: author.links.TikTok: expected a full web address starting with https://, "
            'got "@lea"\n'
            "  hint: write TikTok: https://www.tiktok.com/@lea\n",
        ),
        (
            CONFIG + "langue: fr\n",
            "portfolio.yaml:7: langue: unknown field `langue`\n  hint: did you mean `language`?",
        ),
        (
            CONFIG.replace("email: test@example.com", "avatar: ../outside.jpg"),
            'portfolio.yaml:6: author.avatar: "../outside.jpg" points outside the site folder',
        ),
    ],
)
def test_config_errors(tmp_path: Path, config: str, expected: str) -> None:
    (tmp_path / "outside.jpg").write_bytes(b"x")
    root = write_site(tmp_path / "site", {}, config=config)
    assert expected in build_errors(root)


def test_user_notes_are_accepted_anywhere(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "portfolio.yaml": CONFIG + "_notes: mine\n",
            STUDY_FILE: study(
                front="_todo: ask for the logo\nclient: {name: Acme, consent: granted, _who: Marie}"
            ),
        },
    )
    from conftest import run_build

    run_build(root)


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    from conftest import run_build

    root = write_site(tmp_path, {STUDY_FILE: study()})
    run_build(root)
    before = snapshot(root / "output")
    (root / STUDY_FILE).write_text(study(front="tittle: x"), encoding="utf-8")
    build_errors(root)
    assert snapshot(root / "output") == before
    assert not list(tmp_path.glob(".output.*"))


@pytest.mark.parametrize(("y", "got"), [(".nan", "nan"), (".inf", "inf"), ("'3'", '"3"')])
def test_series_values_must_be_finite_numbers(tmp_path: Path, y: str, got: str) -> None:
    text = study(
        front=f"metrics:\n  - label: Rate\n    series:\n      - {{x: 2024-01, y: 1}}\n"
        f"      - {{x: 2024-02, y: {y}}}"
    )
    assert f"x.md:10: metrics[0].series[1].y: expected a number, got {got}" in errors_for(tmp_path, text)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xff\xfed\x00a", "content/data/f.csv: starts like UTF-16 text but is not valid UTF-16"),
        (
            b"Date,Followers\n2024-01-01,12\n2024-02-01,lots\n",
            'content/data/f.csv:3: Followers: expected a number, got "lots"',
        ),
        (
            b"Date,Followers\n2024-10-01,4350\n2024-11-01,6,900\n",
            "content/data/f.csv:3: expected 2 columns like the header, found 3 (a number with a "
            "thousands separator must be in quotes)",
        ),
        (
            b"Date,Followers\n2024-01-01,12\nsoon,14\n",
            'content/data/f.csv:3: Date: expected a date, got "soon"',
        ),
        (b"Date,Followers\n", "metrics[0].series: a series needs at least two points, got 0"),
        (
            b"When,Count\n2024-01-01,1\n2024-02-01,2\n",
            'content/data/f.csv:1: no column named "Date" for `x`; columns are: When, Count',
        ),
    ],
)
def test_csv_series_errors(tmp_path: Path, data: bytes, expected: str) -> None:
    root = write_site(
        tmp_path,
        {
            "content/data/f.csv": data,
            STUDY_FILE: study(
                front="metrics:\n  - {label: F, series: ../data/f.csv, x: Date, y: Followers, chart: line}"
            ),
        },
    )
    message = build_errors(root)
    assert expected in message
    assert "`chart` is only for a `series`" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (study(title='"a\\x01b"'), "x.md:2: title: contains the invisible control character U+0001"),
        ("---\ntitle: a\x00b\n---\n", "x.md:2: invalid YAML: character U+0000 is not allowed"),
    ],
)
def test_control_characters_are_refused(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in errors_for(tmp_path, text)


def test_config_theme_and_content_errors_come_together(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "portfolio.yaml": CONFIG + "theme_options: {acent: '#fff'}\n",
            "content/case-studies/One.md": study(),
            "content/case-studies/sub/one.md": study(front="tittle: x"),
        },
    )
    message = build_errors(root)
    assert "theme_options.acent: unknown option" in message
    assert "tittle: unknown field" in message
    assert "has the same URL slug `one`" in message


def test_config_that_cannot_be_used_still_reports_content_errors(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "portfolio.yaml": "title: ''\nauthor: {name: A}\n",
            "content/case-studies/x.md": study(front="tittle: x"),
        },
    )
    message = build_errors(root)
    assert "portfolio.yaml:1: title: is empty" in message and "x.md:6: tittle:" in message


def test_static_file_clashing_with_a_generated_folder(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {"content/case-studies/x.md": study(), "static/results": "oops", "static/index.html/x.txt": "oops"},
    )
    message = build_errors(root)
    assert "static/results: clashes with the generated results/" in message
    assert "static/index.html/x.txt: clashes with the generated index.html" in message


def test_invalid_consent_gives_no_false_client_error(tmp_path: Path) -> None:
    message = errors_for(tmp_path, study(front="client: {name: Acme, consent: yes}", title="For {client}"))
    assert "no client" not in message and message.count("\n") == 2  # one error and its hint


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: {client} on TikTok\n---\n", "hint: text that starts with { or [ must be in quotes"),
        ("---\ntitle: A\nperiod:\n\tstart: 2024-01\n---\n", "hint: indent with spaces, not tabs"),
        (
            study(summary="{client}"),
            "summary: expected text, got a mapping\n  hint: text that starts with { or [ must be in quotes",
        ),
    ],
)
def test_yaml_mistakes_get_a_hint(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in errors_for(tmp_path, text)


@pytest.mark.parametrize(
    ("word", "meant"),
    [
        ("oui", "granted"),
        ("accordé", "granted"),
        ("acordé", "granted"),  # a typo in the French word
        ("Accordée", "granted"),
        ("en attente", "pending"),
        ("refusé", "denied"),
        ("non", "denied"),
        ("privé", "private"),
        ("grantd", "granted"),  # an English typo still finds its word
    ],
)
def test_consent_in_french_names_the_english_value(tmp_path: Path, word: str, meant: str) -> None:
    message = errors_for(tmp_path, study(front=f"client: {{name: Acme, consent: {word}}}"))
    english = "" if word == "grantd" else " (the values are English words)"
    assert message.splitlines()[:2] == [
        f'{STUDY_FILE}:6: client.consent: expected one of granted, pending, denied, private, got "{word}"',
        f"  hint: did you mean `{meant}`?{english}",
    ]


@pytest.mark.parametrize("word", ["anonyme", "anonymisé"])
def test_anonymous_consent_points_to_pending(tmp_path: Path, word: str) -> None:
    message = errors_for(
        tmp_path, study(front=f"client: {{name: Acme, consent: {word}, anonymized_as: A shop}}")
    )
    assert message.splitlines()[1] == (
        "  hint: did you mean `pending`? It publishes the case study anonymized"
        " (the values are English words)"
    )


def test_french_words_for_other_choices(tmp_path: Path) -> None:
    message = errors_for(tmp_path, study(kind="bénévole", front="client: {name: Acme, consent: granted}"))
    assert "  hint: did you mean `volunteer`? (the values are English words)" in message.splitlines()


@pytest.mark.parametrize(
    ("front", "line"),
    [
        ("équipe: 4", "x.md:6: équipe: unknown field `équipe`\n  hint: did you mean `team_size`?"),
        (
            "compétences: [SEO]",
            "x.md:6: compétences: unknown field `compétences`\n  hint: did you mean `skills`?",
        ),
        (
            "témoignage: {quote: Bravo}",
            "x.md:6: témoignage: unknown field `témoignage`\n  hint: did you mean `testimonial`?",
        ),
        (
            "client: {name: Acme, consent: granted, secteur: Mode}",
            "x.md:6: client.secteur: unknown field `secteur`\n  hint: did you mean `industry`?",
        ),
    ],
)
def test_french_field_names_get_the_english_one(tmp_path: Path, front: str, line: str) -> None:
    message = errors_for(tmp_path, study(front=front))
    assert line + " (field names are English words)\n" in message
    assert message.count("\n") == 2  # that one error and its hint


def test_a_french_required_field_is_one_error_not_two(tmp_path: Path) -> None:
    message = errors_for(tmp_path, study(title=None, front="titre: Relance"))  # type: ignore[arg-type]
    assert message == (
        f"{STUDY_FILE}:5: titre: unknown field `titre`\n"
        "  hint: did you mean `title`? (field names are English words)\n"
        "1 error; output/ was left as it was."
    )


@pytest.mark.parametrize(
    ("value", "lines"),
    [
        (
            "@lea.design",
            ["invalid YAML: a value cannot start with @", 'put the value in quotes: summary: "@lea.design"'],
        ),
        (
            "`Printemps` 2025",
            [
                "invalid YAML: a value cannot start with `",
                'put the value in quotes: summary: "`Printemps` 2025"',
            ],
        ),
        (
            "%50 off",
            ["invalid YAML: a value cannot start with %", 'put the value in quotes: summary: "%50 off"'],
        ),
        (
            "!important",
            [
                "invalid YAML: a value cannot start with !",
                "YAML reads a value that starts with ! as a type tag: "
                'put the value in quotes: summary: "!important"',
            ],
        ),
        (
            "& co",
            [
                "invalid YAML: did not find expected alphabetic or numeric character",
                "YAML reads a value that starts with & as an anchor name: "
                'put the value in quotes: summary: "& co"',
            ],
        ),
        (
            "> 2 000 lecteurs",
            [
                "invalid YAML: did not find expected comment or line break",
                "YAML reads a value that starts with > as a block of text on the lines below: "
                'put the value in quotes: summary: "> 2 000 lecteurs"',
            ],
        ),
        (
            '"Avant" et après',
            [
                "invalid YAML: did not find expected key",
                "YAML reads a value that starts with a quote as quoted text, which must end there: "
                "put the value in quotes: summary: '\"Avant\" et après'",
            ],
        ),
        (
            "Avant : après",
            [
                "invalid YAML: mapping values are not allowed in this context",
                'text that contains ": " must be in quotes: summary: "Avant : après"',
            ],
        ),
        (
            "- une liste ?",
            [
                'invalid YAML: a value cannot start with "- "',
                'YAML reads "- " as the start of a list: put the value in quotes: summary: "- une liste ?"',
            ],
        ),
    ],
)
def test_a_value_yaml_refuses_gets_it_quoted(tmp_path: Path, value: str, lines: list[str]) -> None:
    message = errors_for(tmp_path, study(summary=value))
    assert message.splitlines()[:2] == [f"{STUDY_FILE}:4: {lines[0]}", f"  hint: {lines[1]}"]


def test_a_hash_after_a_space_empties_the_value(tmp_path: Path) -> None:
    message = errors_for(tmp_path, study(title="#1 des ventes"))
    assert message.splitlines()[:2] == [
        f"{STUDY_FILE}:2: title: is empty; a value is required",
        '  hint: a # after a space starts a comment: put the title in quotes: title: "#1 des ventes"',
    ]
    assert errors_for(tmp_path, study(title="#1 des ventes")) == message  # the same from the cache


@pytest.mark.parametrize(
    ("date", "line"),
    [
        ("2025-02-30", 'got "2025-02-30": February 2025 has no day 30\n  hint: its last day is 2025-02-28'),
        ("2024-02-30", 'got "2024-02-30": February 2024 has no day 30\n  hint: its last day is 2024-02-29'),
        ("2025-04-31", 'got "2025-04-31": April 2025 has no day 31\n  hint: its last day is 2025-04-30'),
        ("2025-00-10", 'got "2025-00-10": there is no month 0\n  hint: months go from 01 to 12'),
        ("30/06/2025", 'got "30/06/2025"\n  hint: write the year first: 2025-06-30'),
        ("10.03.2025", 'got "10.03.2025"\n  hint: write the year first: 2025-03-10'),
    ],
)
def test_an_impossible_date_says_why(tmp_path: Path, date: str, line: str) -> None:
    message = errors_for(tmp_path, study(date=date))
    assert f"{STUDY_FILE}:3: date: expected a date such as 2025-03-10, {line}\n" in message


def test_a_windows_1252_file_names_its_line(tmp_path: Path) -> None:
    text = study(body="Contexte.\n\nR\xe9sultats : +40 %.\n").encode("cp1252")
    assert errors_for(tmp_path, text).splitlines()[:2] == [
        f'{STUDY_FILE}:9: is not UTF-8 text (byte 0xE9, "é" in Windows-1252); save it as UTF-8',
        '  hint: reopen it in your editor as Windows-1252 (Western), then save it with the encoding "UTF-8"',
    ]


def test_a_utf16_file_says_so(tmp_path: Path) -> None:
    text = study().encode("utf-16")
    assert errors_for(tmp_path, text).splitlines()[0] == f"{STUDY_FILE}:1: is UTF-16 text, not UTF-8"


CUT_SHORT = "the list is cut short by a #, which YAML reads as the start of a comment"


def test_hashtags_in_a_list_get_quoted(tmp_path: Path) -> None:
    message = errors_for(tmp_path, study(front="channels: [#brand, #launch]"))
    assert errors_for(tmp_path, study(front="channels: [TikTok, #launch]")).splitlines()[:2] == [
        f"{STUDY_FILE}:6: invalid YAML: {CUT_SHORT}",
        "  hint: a # after a space, [ or , starts a comment: put the items in quotes: "
        'channels: ["TikTok", "#launch"]',
    ]
    assert message.splitlines()[:2] == [
        f"{STUDY_FILE}:6: invalid YAML: {CUT_SHORT}",
        "  hint: a # after a space, [ or , starts a comment: put the items in quotes: "
        'channels: ["#brand", "#launch"]',
    ]


def test_an_optional_field_emptied_by_a_hash_is_a_warning(tmp_path: Path) -> None:
    from conftest import run_build

    root = write_site(tmp_path, {STUDY_FILE: study(front="employer: #1 agency\nteam_size:  # to ask Ana")})
    warnings = [str(w) for w in run_build(root).warnings]
    assert (
        f'{STUDY_FILE}:6: employer: is empty: YAML read "#1 agency" as a comment\n'
        '  hint: a # after a space starts a comment: put the value in quotes: employer: "#1 agency"'
    ) in warnings
    assert not any("team_size" in w for w in warnings)  # `# to ask Ana` reads as a comment
    assert "employer: is empty" in build_errors(root, strict=True)


def test_a_hashtag_inside_a_value_cuts_it_short_with_a_warning(tmp_path: Path) -> None:
    """`title: Lancement #NoFilter pour Nike` reads as "Lancement": a warning names what was
    left out and gives the line back in quotes, from the cache too; a comment that reads as
    one (`# from the brief`) is the writer's and gets none."""
    from conftest import run_build

    files = {
        STUDY_FILE: study(
            title="Lancement #NoFilter pour Nike",
            role="Rédactrice  # from the brief",
            front='employer: Le "Studio" #1',
        ),
    }
    root = write_site(
        tmp_path, files, config=CONFIG.replace("title: ", "title: Camille #SocialMedia\n_old_title: ", 1)
    )
    hint = "\n  hint: a # after a space starts a comment: put the value in quotes: "
    expected = [
        f'{STUDY_FILE}:2: title: YAML read "#NoFilter pour Nike" as a comment and left it out'
        f'{hint}title: "Lancement #NoFilter pour Nike"',
        f'{STUDY_FILE}:6: employer: YAML read "#1" as a comment and left it out'
        f"{hint}employer: 'Le \"Studio\" #1'",
        'portfolio.yaml:1: title: YAML read "#SocialMedia" as a comment and left it out'
        f'{hint}title: "Camille #SocialMedia"',
    ]
    for _ in range(2):  # the second build reads the front matter from the cache
        warnings = [str(w) for w in run_build(root).warnings]
        assert [w for w in warnings if "as a comment" in w] == expected
        (root / "content/case-studies/other.md").write_text(study(title="Another"))  # not a replay
    assert "left it out" in build_errors(root, strict=True)


@pytest.mark.parametrize(
    ("quote", "later"),
    [
        ('"', 'role: "Rédactrice"'),
        ('"', 'cover: {src: ../images/c.jpg, alt: "La une"}'),
        ("'", "role: 'Rédactrice'"),
    ],
)
def test_a_quote_left_open_is_named_where_it_opened(tmp_path: Path, quote: str, later: str) -> None:
    """`summary: "Une newsletter…` left open runs on to the next quote mark lines later, where
    YAML stumbles: the error names the line that opened it and gives it back closed."""
    text = study(summary=f"{quote}Une newsletter sans publicité", front=later)
    lines = errors_for(tmp_path, text).splitlines()
    assert lines[:2] == [
        f"{STUDY_FILE}:4: invalid YAML: this quote is not closed on its line, so the text runs on "
        "to the next quote mark, on line 6",
        f"  hint: close the quote at the end of its line: summary: {quote}Une newsletter sans publicité"
        + quote,
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitle: À propos de {client}\n---\nBonjour.\n",
            "content/pages/about.md:2: title: uses `{client}` but a page has no client "
            "(`{client}` is for case studies)\n  hint: write the words out",
        ),
        (
            "---\ntitle: À propos\n---\nBonjour.\n\nJ'ai aidé {client}.\n",
            "content/pages/about.md:6: the body uses `{client}` but a page has no client "
            "(`{client}` is for case studies)\n  hint: write the words out",
        ),
    ],
)
def test_client_in_a_free_page_is_an_error(tmp_path: Path, text: str, expected: str) -> None:
    """A free page has no client: `{client}` there was published as the letters {client}."""
    root = write_site(tmp_path, {STUDY_FILE: study(), "content/pages/about.md": text})
    assert expected in build_errors(root)


def test_a_confidential_single_value_is_a_warning(tmp_path: Path) -> None:
    """`confidential: true` shows only a relative change; a lone value has none, so its tile
    was a dash."""
    from conftest import run_build

    front = "metrics:\n  - {label: Budget, value: 12000, unit: €, confidential: true, source: Ads}"
    root = write_site(tmp_path, {STUDY_FILE: study(front=front)})
    warnings = [str(w) for w in run_build(root).warnings]
    assert (
        f"{STUDY_FILE}:7: metrics[0].confidential: a confidential single value shows nothing but a dash\n"
        "  hint: give `before` and `after` (only the relative change is shown), or leave the metric out"
    ) in warnings
