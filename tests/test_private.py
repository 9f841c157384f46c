"""Private case studies (SPEC.md "Private case studies"): a page encrypted with a password
from the environment, a locked card elsewhere, and nothing of the client in any other byte.

The payload is opened here with the `cryptography` library and the format alone (PBKDF2,
AES-GCM, the packed page), not with portfolio's own code, so the format is what is tested.
Key derivation costs about 0.1 s (600,000 iterations): the site is built once per module.
"""

from __future__ import annotations

import base64
import gzip
import html
import re
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CONFIG, build_errors, output_bytes, run_build, snapshot, study, write_site
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from images import jpeg, png_rgba

from portfolio import vault

PASSWORD = "plum tree at dawn"
NDA_PASSWORD = "another-Long-passphrase"
CLIENT = "Quillfeather Analytics"
SENTINEL = "PLUMSENTINEL-7731"
# Figures of the private study as the site writes them: none may be outside its password.
FIGURES = ("3,140", "9,870", "£4.20", "£1.35", "12,345")

PRIVATE = study(
    """
slug: analytics-relaunch
kind: freelance
client:
  name: Quillfeather Analytics
  url: https://quillfeather.example
  logo: ../images/quill-logo.png
  consent: private
  anonymized_as: a B2B analytics start-up
cover: {src: ../images/quill-cover.jpg, alt: The new dashboard on a laptop}
gallery:
  - src: ../images/quill-gallery.jpg
    alt: Three ads side by side
    caption: The winning ads
    credit: "Photo: Ana Ruiz"
  - {video: ../media/quill-teaser.mp4, poster: ../images/quill-poster.jpg, alt: The teaser}
metrics:
  - label: Newsletter subscribers
    series: [{x: 2024-09, y: 3140}, {x: 2024-10, y: 5200}, {x: 2024-11, y: 9870}]
    source: Mailchimp
  - label: Cost per lead
    before: 4.20
    after: 1.35
    unit: "£"
    better: lower
    source: LinkedIn Campaign Manager
  - label: Demo requests
    value: 12345
    source: HubSpot
testimonial: {quote: "Sharp work, fast.", author: "Dana Wu, CMO", consent: granted}
skills: [Paid social]
""",
    title="Relaunching {client} on LinkedIn",
    body=f"## Context\n\n{{client}} needed leads. {SENTINEL}.\n\n![The funnel](../images/quill-body.jpg)\n\n"
    "[The brief](../files/quill-brief.pdf)\n",
)
PUBLIC = study(
    "metrics:\n  - {label: Followers, before: 100, after: 400, source: Instagram}\nskills: [Paid social]\n",
    title="A public study",
    date="2025-01-10",
)
NDA = study(
    "protected: true\nprivate: {list: false}\npassword_env: NDA_PASSWORD\n",
    title="Work under NDA",
    date="2024-05-01",
    body="Secret launch plan NDASENTINEL-55.\n",
)
APPLICATION = """\
---
company: Acme
role: Growth lead
token: q8Zt3kLw2mXa
case_studies: [analytics-relaunch]
---
Hello.
"""


def private_site(root: Path) -> Path:
    return write_site(
        root,
        {
            "content/case-studies/quill.md": PRIVATE,
            "content/case-studies/public.md": PUBLIC,
            "content/case-studies/nda.md": NDA,
            "content/applications/acme.md": APPLICATION,
            "content/images/quill-logo.png": png_rgba(120, 60),
            "content/images/quill-cover.jpg": jpeg(1800, 1000, colour=(30, 90, 200)),
            "content/images/quill-gallery.jpg": jpeg(900, 600, colour=(200, 30, 90)),
            "content/images/quill-poster.jpg": jpeg(640, 360, colour=(20, 160, 60)),
            "content/images/quill-body.jpg": jpeg(700, 400, colour=(160, 160, 20)),
            "content/media/quill-teaser.mp4": b"\x00\x00\x00\x18ftypmp42" + bytes(64),
            "content/files/quill-brief.pdf": b"%PDF-1.4\n%%EOF\n",
        },
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, object]]:
    root = private_site(tmp_path_factory.mktemp("private") / "site")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTFOLIO_PASSWORD", PASSWORD)
        env.setenv("NDA_PASSWORD", NDA_PASSWORD)
        result = run_build(root)
        yield root, result


def payload_of(page: str) -> tuple[bytes, bytes, int]:
    """(salt, payload, iterations) as the password form publishes them."""
    m = re.search(
        r'<script id="protected-payload" type="application/octet-stream" data-salt="([^"]+)" '
        r'data-iterations="(\d+)" data-hash="SHA-256">([^<]+)</script>',
        page,
    )
    assert m, "no payload in the page"
    return base64.b64decode(m[1]), base64.b64decode(m[3]), int(m[2])


def open_page(page: str, password: str) -> str:
    """The page a payload holds, opened with `cryptography` and the format alone."""
    salt, payload, iterations = payload_of(page)
    key = PBKDF2HMAC(hashes.SHA256(), 32, salt, iterations).derive(password.encode())
    plain = AESGCM(key).decrypt(payload[:12], payload[12:], None)
    assert plain[:4] == b"PFP1"
    (count,) = struct.unpack_from(">I", plain, 4)
    at, pictures = 8, []
    for _ in range(count):
        (n,) = struct.unpack_from(">H", plain, at)
        marker = plain[at + 2 : at + 2 + n].decode()
        at += 2 + n
        (n,) = struct.unpack_from(">H", plain, at)
        mime = plain[at + 2 : at + 2 + n].decode()
        at += 2 + n
        (n,) = struct.unpack_from(">I", plain, at)
        pictures.append((marker, mime, plain[at + 4 : at + 4 + n]))
        at += 4 + n
    text = gzip.decompress(plain[at:]).decode()
    for marker, mime, data in pictures:
        assert marker in text
        text = text.replace(marker, f"data:{mime};base64,{base64.b64encode(data).decode()}")
    return text


def shell(root: Path, slug: str = "analytics-relaunch") -> str:
    return (root / "output/case-studies" / slug / "index.html").read_text(encoding="utf-8")


def test_the_payload_opens_with_the_password_alone_and_holds_the_whole_page(
    built: tuple[Path, object],
) -> None:
    root, _ = built
    page = open_page(shell(root), PASSWORD)
    assert page.startswith("<!doctype html>") and 'class="page-case-study"' in page
    assert f'<h1 class="study-title">Relaunching {CLIENT} on LinkedIn</h1>' in page
    assert SENTINEL in page and "Sharp work, fast." in page  # the body and the quote
    assert 'href="https://quillfeather.example"' in page  # named, as the client allowed
    for figure in FIGURES:
        assert figure in page
    assert page.count("<svg") >= 2  # the series' chart
    # Every picture inside the page, none as a file: cover, logo, gallery (and its large
    # view), the video's poster and the story's picture.
    pictures = re.findall(r'<img[^>]* src="([^"]+)"', page)
    assert len(pictures) >= 6 and all(src.startswith("data:image/webp;base64,") for src in pictures)
    assert "portfolio-embedded" not in page
    assert "<video" not in page  # videos are not published with a private case study
    _, _, iterations = payload_of(shell(root))
    assert iterations == 600_000


def test_a_wrong_password_opens_nothing(built: tuple[Path, object]) -> None:
    root, _ = built
    with pytest.raises(InvalidTag):
        open_page(shell(root), PASSWORD + " ")
    with pytest.raises(vault.WrongPassword):
        salt, payload, iterations = payload_of(shell(root))
        vault.open_payload(
            "plum", base64.b64encode(salt).decode(), iterations, base64.b64encode(payload).decode()
        )


def test_nothing_of_the_client_is_in_any_other_byte(built: tuple[Path, object]) -> None:
    root, _ = built
    out = root / "output"
    everything = output_bytes(out)
    for secret in (CLIENT, "Quillfeather", "quillfeather", SENTINEL, "NDASENTINEL", "Sharp work", "Dana Wu"):
        assert secret.encode() not in everything, secret
    for figure in FIGURES:
        assert figure.encode() not in everything, figure
    names = [p.relative_to(out).as_posix() for p in out.rglob("*")]
    assert not [n for n in names if "quill" in n or "teaser" in n or "brief" in n]  # no picture, video, file
    # The form: its alias and title, the password field, the script; no inline script.
    form = shell(root)
    assert "Relaunching a B2B analytics start-up on LinkedIn" in form
    assert '<meta name="robots" content="noindex">' in form
    assert 'type="password"' in form and 'for="unlock-password"' in form
    scripts = re.findall(r"<script\b([^>]*)>", form)
    assert all("src=" in attrs or 'type="application/' in attrs for attrs in scripts)
    assert 'src="../../assets/unlock.js?v=' in form


def test_elsewhere_only_the_locked_card(built: tuple[Path, object]) -> None:
    root, result = built
    out = root / "output"
    work = (out / "case-studies/index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<article class="card[^"]*">.*?</article>', work, re.S)
    locked = [c for c in cards if "card-locked" in c]
    assert len(locked) == 1  # `private: {list: false}` leaves the NDA work out entirely
    card = locked[0]
    assert "Relaunching a B2B analytics start-up on LinkedIn" in card
    assert 'href="../case-studies/analytics-relaunch/"' in card or 'href="analytics-relaunch/"' in card
    assert "<img" not in card and "card-metric" not in card
    assert "Work under NDA" not in work
    skill = (out / "case-studies/skill/paid-social/index.html").read_text(encoding="utf-8")
    assert "card-locked" in skill  # in the filter pages too, as its card
    application = next(out.glob("for/*/index.html")).read_text(encoding="utf-8")
    assert "card-locked" in application and "analytics-relaunch/" in application
    for name in ("feed.xml", "sitemap.xml", "results/index.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert "analytics-relaunch" not in text and "B2B analytics" not in text, name
        assert "Work under NDA" not in text and "nda/" not in text, name
    assert not (out / "social").exists() or not [
        p for p in (out / "social").iterdir() if "analytics" in p.name
    ]
    # The NDA page exists, behind its own password.
    assert "NDASENTINEL-55" in open_page(shell(root, "nda"), NDA_PASSWORD)
    assert result.private == [  # type: ignore[attr-defined]
        ("content/case-studies/quill.md", "case-studies/analytics-relaunch/"),
        ("content/case-studies/nda.md", "case-studies/nda/"),
    ]


def test_videos_and_linked_files_stay_out_with_a_warning(built: tuple[Path, object]) -> None:
    _, result = built
    warnings = "\n".join(str(w) for w in result.warnings)  # type: ignore[attr-defined]
    assert "quill.md:" in warnings and "videos are not published with it" in warnings
    assert (
        "links to content/files/quill-brief.pdf, which is not published with a private case study" in warnings
    )


def test_an_unchanged_site_rebuilds_byte_for_byte(built: tuple[Path, object]) -> None:
    root, _ = built
    before = snapshot(root / "output")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTFOLIO_PASSWORD", PASSWORD)
        env.setenv("NDA_PASSWORD", NDA_PASSWORD)
        again = run_build(root, use_cache=False)  # no cache read: the salt is state, kept
    assert not again.swapped and snapshot(root / "output") == before


def test_a_new_password_encrypts_again_and_the_old_one_no_longer_opens(tmp_path: Path) -> None:
    root = private_site(tmp_path / "site")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTFOLIO_PASSWORD", PASSWORD)
        env.setenv("NDA_PASSWORD", NDA_PASSWORD)
        run_build(root)
        first = shell(root)
        assert run_build(root).replayed  # nothing changed, the password neither
        env.setenv("PORTFOLIO_PASSWORD", "a new one")
        result = run_build(root)
    assert not result.replayed and result.swapped
    assert open_page(shell(root), "a new one").count(SENTINEL) == 1
    with pytest.raises(InvalidTag):
        open_page(shell(root), PASSWORD)
    salt_before, _, _ = payload_of(first)
    assert payload_of(shell(root))[0] == salt_before  # the salt stays with the study
    # The cache deleted: a new salt, a new payload, the same page inside.
    shutil.rmtree(root / ".portfolio-cache")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTFOLIO_PASSWORD", "a new one")
        env.setenv("NDA_PASSWORD", NDA_PASSWORD)
        run_build(root)
    assert payload_of(shell(root))[0] != salt_before
    assert SENTINEL in open_page(shell(root), "a new one")
    # Nothing of the password in the cache.
    cache = b"".join(p.read_bytes() for p in (root / ".portfolio-cache").rglob("*") if p.is_file())
    assert b"a new one" not in cache and NDA_PASSWORD.encode() not in cache


def test_without_a_password_it_is_withheld_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PORTFOLIO_PASSWORD", raising=False)
    monkeypatch.setenv("NDA_PASSWORD", "")
    root = private_site(tmp_path / "site")
    # An application that chose the study cannot show it: an error at the line that chose it.
    assert build_errors(root).startswith(
        "content/applications/acme.md:5: case_studies[0]: `analytics-relaunch` is withheld "
        "(private, and PORTFOLIO_PASSWORD is not set): an application shows only what the site shows"
    )
    (root / "content/applications/acme.md").unlink()
    result = run_build(root)
    out = root / "output"
    assert not (out / "case-studies/analytics-relaunch").exists() and not (out / "case-studies/nda").exists()
    assert "card-locked" not in (out / "case-studies/index.html").read_text(encoding="utf-8")
    assert not (out / "assets/unlock.js").exists()  # no password form, no script
    found = [str(w) for w in result.warnings if "the environment has no password" in w.message]
    assert len(found) == 2
    assert found[0].startswith("content/case-studies/nda.md:") and "NDA_PASSWORD" in found[0]
    assert "export PORTFOLIO_PASSWORD=" in found[1]
    assert ("content/case-studies/quill.md", "private, and PORTFOLIO_PASSWORD is not set") in result.held_back
    assert CLIENT.encode() not in output_bytes(out)


def test_the_locked_card_may_not_name_the_client_nor_show_a_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTFOLIO_PASSWORD", PASSWORD)
    named = PRIVATE.replace(
        "title: Relaunching {client} on LinkedIn", "title: Relaunching Quillfeather Analytics"
    )
    root = private_site(tmp_path / "named")
    (root / "content/case-studies/quill.md").write_text(named, encoding="utf-8")
    assert "quill.md:2: title: names the client 'Quillfeather Analytics'" in build_errors(root)
    figured = PRIVATE.replace("on LinkedIn", "from £4.20 to £1.35 a lead")
    root = private_site(tmp_path / "figured")
    (root / "content/case-studies/quill.md").write_text(figured, encoding="utf-8")
    errors = build_errors(root)
    assert (
        "quill.md:2: title: the figure '£1.35' of this private case study is published outside its password"
        in errors
    )


def test_private_work_needs_its_alias_and_a_name_nobody_else_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTFOLIO_PASSWORD", PASSWORD)
    root = write_site(
        tmp_path / "a",
        {"content/case-studies/x.md": study("client: {name: Orbital Yarns, consent: private}", title="X")},
    )
    assert "client.anonymized_as: is required for private work" in build_errors(root)
    root = write_site(
        tmp_path / "b",
        {
            "content/case-studies/x.md": study(
                "client: {name: Orbital Yarns, consent: private, anonymized_as: a yarn shop}", title="X"
            ),
            "content/case-studies/y.md": study("client: {name: Orbital Yarns, consent: granted}", title="Y"),
        },
    )
    assert "cannot be both shown and hidden" in build_errors(root)


def test_protected_work_with_consent_keeps_its_name_when_shown_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTFOLIO_PASSWORD", PASSWORD)
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/x.md": study(
                "protected: true\nclient: {name: Orbital Yarns, consent: granted, anonymized_as: a shop}",
                title="Pricing for {client}",
            ),
            "content/case-studies/y.md": study("client: {name: Orbital Yarns, consent: granted}", title="Y"),
        },
    )
    run_build(root)
    page = open_page(shell(root, "x"), PASSWORD)
    assert "Pricing for Orbital Yarns" in page
    assert "Pricing for a shop" in shell(root, "x")


def test_the_fields_are_checked(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "content/case-studies/x.md": study("protected: yes please\npassword_env: my-password", title="X"),
            "content/case-studies/y.md": study("private: {list: false}", title="Y"),
            "content/case-studies/z.md": study(
                "client: {name: Orbital Yarns, consent: privat, anonymized_as: a yarn shop}", title="Z"
            ),
        },
    )
    errors = build_errors(root)
    assert "x.md:6: protected: expected true or false" in errors
    assert "x.md:7: password_env: expected the name of an environment variable" in errors
    assert "z.md:6: client.consent: expected one of granted, pending, denied, private" in errors
    assert "did you mean `private`?" in errors


def test_a_private_study_is_in_no_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    monkeypatch.setenv("PORTFOLIO_PASSWORD", PASSWORD)
    monkeypatch.setenv("NDA_PASSWORD", NDA_PASSWORD)
    root = private_site(tmp_path / "site")
    (root / "portfolio.yaml").write_text(CONFIG + "pdf: true\n", encoding="utf-8")
    run_build(root)
    pdfs = sorted((root / "output").rglob("portfolio.pdf"))
    assert len(pdfs) == 2  # the portfolio's, and the application's (which chose the private study)
    for pdf in pdfs:
        text = "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
        assert ("A public study" in text) == (pdf.parent.name == "output"), pdf
        assert "Relaunching" not in text and "B2B analytics" not in text and "NDA" not in text, pdf


def test_the_page_text_is_the_rendered_case_study(built: tuple[Path, object]) -> None:
    """The page inside is the theme's case-study page, links relative to its own address."""
    root, _ = built
    page = open_page(shell(root), PASSWORD)
    assert 'href="../../assets/site.css?v=' in page
    assert html.unescape(re.search(r"<title>(.*?)</title>", page)[1]).startswith(f"Relaunching {CLIENT}")  # type: ignore[index]


def test_a_hidden_clients_logo_is_no_picture_of_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTFOLIO_PASSWORD", PASSWORD)
    monkeypatch.setenv("NDA_PASSWORD", NDA_PASSWORD)
    root = private_site(tmp_path / "site")
    public = PUBLIC.replace("---\nBody", "---\n![The logo](../images/quill-logo.png)\n\nBody")
    (root / "content/case-studies/public.md").write_text(public, encoding="utf-8")
    errors = build_errors(root)
    assert (
        "quill.md:11: client.logo: the logo content/images/quill-logo.png of this private case study"
        in errors
    )
