"""Consent, case by case, on the pure parts: `decide`, `publishable` and the site model.

SPEC.md's table (granted, private, pending, denied, no client; the `consent:` policy),
testimonials, drafts, unlisted and private case studies, checked on case studies made in
memory: no file, no build, no renderer. The builds in test_consent.py and test_private.py
prove the same rules end to end; these say which rule broke, in milliseconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from portfolio.config import Author, ConsentPolicy, SiteConfig
from portfolio.consent import Decision, decide, publishable
from portfolio.content import CaseStudy, Client, Collaborator, Content, ImageRef
from portfolio.content import Testimonial as Quote  # not a test class for pytest
from portfolio.errors import Problems
from portfolio.routes import routes
from portfolio.site import Site, build_site

ROOT = Path("/nowhere/site")  # never read: everything here is in memory
NAME = "Maison Lune"
ALIAS = "A Paris skincare brand"
PASSWORDS = {"PORTFOLIO_PASSWORD": "a long passphrase"}
ANONYMIZE, WITHHOLD = "anonymize", "withhold"
DEFAULT = ConsentPolicy()  # pending: anonymize, denied: withhold
REVERSED = ConsentPolicy(pending=WITHHOLD, denied=ANONYMIZE)


def client(consent: str = "pending", **changes: Any) -> Client:
    logo = ImageRef(ROOT / "content/images/logo.png", origin="x.md", field="client.logo")
    fields: dict[str, Any] = {
        "name": NAME,
        "consent": consent,
        "url": "https://maisonlune.example",
        "logo": logo,
        "anonymized_as": ALIAS,
        "line": 6,
    }
    return Client(**{**fields, **changes})


def study(slug: str = "tiktok-launch", **changes: Any) -> CaseStudy:
    fields: dict[str, Any] = {
        "source": f"content/case-studies/{slug}.md",
        "path": ROOT / f"content/case-studies/{slug}.md",
        "slug": slug,
        "slug_given": False,
        "title": "Relaunching {client} on TikTok",
        "date": dt.date(2025, 3, 10),
        "summary": "From 3k to 41k followers for {client}.",
        "kind": "agency",
        "role": "Social media strategist",
        "body": "We met {client} & its team in May.\n",
        "body_line": 12,
        "channels": ("TikTok",),
        "lines": {"title": 2, "client.anonymized_as": 9, "slug": 3},
    }
    return CaseStudy(**{**fields, **changes})


def config(policy: ConsentPolicy = DEFAULT, **changes: Any) -> SiteConfig:
    author = Author("Camille Martin", headline="Social media manager")
    return SiteConfig(root=ROOT, title="Camille Martin", author=author, consent=policy, **changes)


def model(
    *studies: CaseStudy,
    policy: ConsentPolicy = DEFAULT,
    drafts: bool = False,
    environment: dict[str, str] | None = None,
) -> tuple[Site, Problems]:
    problems = Problems()
    site = build_site(
        config(policy),
        Content(studies, ()),
        problems,
        drafts=drafts,
        today=dt.date(2025, 6, 1),
        environment=PASSWORDS if environment is None else environment,
    )
    return site, problems


# -- decide: SPEC.md's table, and the policy ------------------------------------------------------

DECISIONS = [
    # (consent or None for no client, policy, protected, (status, reason, shown))
    ("granted", DEFAULT, False, ("published", "consent granted", "")),
    ("granted", REVERSED, False, ("published", "consent granted", "")),
    ("pending", DEFAULT, False, ("anonymized", "consent pending", "")),
    ("pending", REVERSED, False, ("withheld", "consent pending", "")),
    ("denied", DEFAULT, False, ("withheld", "consent denied", "")),
    ("denied", REVERSED, False, ("anonymized", "consent denied", "")),
    ("private", DEFAULT, False, ("private", "consent private", "published")),
    ("private", REVERSED, False, ("private", "consent private", "published")),
    (None, DEFAULT, False, ("published", "no client", "")),
    # `protected: true` puts work that would be shown behind a password, as it would be shown.
    ("granted", DEFAULT, True, ("private", "consent granted, protected", "published")),
    ("pending", DEFAULT, True, ("private", "consent pending, protected", "anonymized")),
    ("denied", REVERSED, True, ("private", "consent denied, protected", "anonymized")),
    (None, DEFAULT, True, ("private", "no client, protected", "published")),
    # ...but a password never publishes what consent withholds.
    ("denied", DEFAULT, True, ("withheld", "consent denied", "")),
    ("pending", REVERSED, True, ("withheld", "consent pending", "")),
]


@pytest.mark.parametrize(("consent", "policy", "protected", "expected"), DECISIONS)
def test_decide_follows_the_consent_table(
    consent: str | None, policy: ConsentPolicy, protected: bool, expected: tuple[str, str, str]
) -> None:
    work = study(client=client(consent) if consent else None, protected=protected)
    assert decide(work, policy) == Decision(*expected)


def test_missing_consent_is_pending() -> None:
    """`consent` left out of the client block reads as pending (the model's default too)."""
    assert decide(study(client=Client(NAME, anonymized_as=ALIAS)), DEFAULT).status == "anonymized"


# -- publishable: what of the case study may be shown ---------------------------------------------


@pytest.mark.parametrize(
    ("decision", "title", "summary", "body"),
    [
        (
            Decision("published", "consent granted"),
            "Relaunching Maison Lune on TikTok",
            "From 3k to 41k followers for Maison Lune.",
            "We met Maison Lune & its team in May.\n",
        ),
        (
            Decision("anonymized", "consent pending"),
            # The alias recased to its place: a capital only where a sentence starts.
            "Relaunching a Paris skincare brand on TikTok",
            "From 3k to 41k followers for a Paris skincare brand.",
            "We met a Paris skincare brand & its team in May.\n",
        ),
        (
            Decision("private", "consent private", "published"),
            "Relaunching Maison Lune on TikTok",
            "From 3k to 41k followers for Maison Lune.",
            "We met Maison Lune & its team in May.\n",
        ),
        (
            Decision("private", "consent pending, protected", "anonymized"),
            "Relaunching a Paris skincare brand on TikTok",
            "From 3k to 41k followers for a Paris skincare brand.",
            "We met a Paris skincare brand & its team in May.\n",
        ),
    ],
)
def test_client_placeholder_is_the_name_or_the_alias(
    decision: Decision, title: str, summary: str, body: str
) -> None:
    shown = publishable(study(client=client("pending")), decision)
    assert (shown.title, shown.summary, shown.body) == (title, summary, body)


@pytest.mark.parametrize(
    ("decision", "named"),
    [
        (Decision("published", "consent granted"), True),
        (Decision("anonymized", "consent pending"), False),
        (Decision("anonymized", "consent denied"), False),
        (Decision("private", "consent private", "published"), True),
        (Decision("private", "consent pending, protected", "anonymized"), False),
    ],
)
def test_anonymized_work_loses_name_logo_and_url(decision: Decision, named: bool) -> None:
    shown = publishable(study(client=client("pending", industry="Skincare")), decision).client
    assert shown is not None
    if named:
        assert (shown.name, shown.anonymized) == (NAME, False)
        assert shown.url == "https://maisonlune.example" and shown.logo is not None
    else:
        assert (shown.name, shown.anonymized_as, shown.anonymized) == (ALIAS, ALIAS, True)
        assert shown.url is None and shown.logo is None
        assert shown.industry == "Skincare"  # says what kind of client, not which
    assert NAME not in repr(shown) or named


def test_the_client_name_in_the_body_goes_in_as_text() -> None:
    """The body is Markdown that may hold HTML: a name with `&` or `<` cannot make markup."""
    work = study(client=client("granted", name="Lune & <Co>"), body="For {client}.\n")
    shown = publishable(work, Decision("published", "consent granted"))
    assert shown.body == "For Lune &amp; &lt;Co&gt;.\n"
    assert shown.title == "Relaunching Lune & <Co> on TikTok"  # text fields are escaped by templates


def test_the_alias_follows_french_grammar() -> None:
    work = study(
        client=client("pending", anonymized_as="une marque parisienne"),
        title="Le relancement de {client}",
        summary="{client} a triplé ses abonnés.",
    )
    shown = publishable(work, Decision("anonymized", "consent pending"), "fr")
    assert shown.title == "Le relancement d’une marque parisienne"
    assert shown.summary == "Une marque parisienne a triplé ses abonnés."


def test_identity_fields_are_never_rewritten() -> None:
    work = study(client=client("pending"), slug="tiktok-launch", source="content/case-studies/{client}.md")
    shown = publishable(work, Decision("anonymized", "consent pending"))
    assert (shown.slug, shown.source, shown.path) == (work.slug, work.source, work.path)


TESTIMONIAL = Quote("Camille rebuilt our community.", "Marie Laurent, Marketing director", "granted")


@pytest.mark.parametrize(
    ("client_consent", "decision", "quote_consent", "kept"),
    [
        # A testimonial needs its own `consent: granted`...
        ("granted", Decision("published", "consent granted"), "granted", True),
        ("granted", Decision("published", "consent granted"), "pending", False),
        ("granted", Decision("published", "consent granted"), "denied", False),
        (None, Decision("published", "no client"), "granted", True),
        (None, Decision("published", "no client"), "pending", False),
        # ...and is never shown for anonymized work, even when the person said yes.
        ("pending", Decision("anonymized", "consent pending"), "granted", False),
        ("denied", Decision("anonymized", "consent denied"), "granted", False),
        # Behind a password, as the client allowed the page to be shown.
        ("private", Decision("private", "consent private", "published"), "granted", True),
        ("pending", Decision("private", "consent pending, protected", "anonymized"), "granted", False),
    ],
)
def test_testimonial_needs_its_own_consent(
    client_consent: str | None, decision: Decision, quote_consent: str, kept: bool
) -> None:
    quote = dataclasses.replace(TESTIMONIAL, consent=quote_consent)
    work = study(client=client(client_consent) if client_consent else None, testimonial=quote)
    shown = publishable(work, decision)
    assert shown.testimonial == (quote if kept else None)


# -- the site model: where each case study appears -----------------------------------------------

# (consent, policy, page, in lists, client hidden): the page is shown under the client's
# `name`, its `alias`, `locked` behind a password (a locked card outside it), or `none`.
APPEARANCES = [
    ("granted", DEFAULT, "name", True, False),
    ("pending", DEFAULT, "alias", True, True),
    ("pending", REVERSED, "none", False, True),
    ("denied", DEFAULT, "none", False, True),
    ("denied", REVERSED, "alias", True, True),
    ("private", DEFAULT, "locked", True, True),
    (None, DEFAULT, "name", True, False),
]


def appearance(site: Site, work: CaseStudy) -> tuple[str, bool, bool]:
    urls = {r.url for r in routes(site)}
    pages = [s for s in site.studies if s.source == work.source]
    locked = [p for p in site.protected if p.study.source == work.source]
    if pages:
        (page,) = pages
        shown = "alias" if page.client and page.client.anonymized else "name"
    else:
        shown = "locked" if locked else "none"
    if shown != "none":
        assert site.study_url(work) in urls
    else:
        assert site.study_url(work) not in urls
    listed = any(s.source == work.source for s in site.in_lists)
    hidden = any(h.source == work.source for h in site.hidden)
    return shown, listed, hidden


@pytest.mark.parametrize(("consent", "policy", "shown", "listed", "hidden"), APPEARANCES)
def test_each_consent_appears_as_the_table_says(
    consent: str | None, policy: ConsentPolicy, shown: str, listed: bool, hidden: bool
) -> None:
    work = study(client=client(consent) if consent else None)
    site, problems = model(work, policy=policy)
    assert not problems.errors, problems.errors
    assert appearance(site, work) == (shown, listed, hidden)


def test_withheld_work_leaves_no_trace_in_the_model() -> None:
    """No page, card, link, count, facet, feed or sitemap entry: SPEC's `denied` row."""
    roaster = client("granted", name="Northern Roast", url="https://northernroast.example")
    shown = study("shown", client=roaster, channels=("Instagram",))
    withheld = study("withheld", client=client("denied"), channels=("TikTok",), skills=("Paid social",))
    site, problems = model(shown, withheld)
    assert not problems.errors
    assert [s.source for s in site.studies] == [shown.source]
    assert [s.source for s in site.in_lists] == [shown.source]
    assert [v.name for values in site.facets.values() for v in values] == ["agency", "Instagram"]
    assert site.decisions[withheld.source].status == "withheld"
    assert all("withheld" not in r.url for r in routes(site))


def test_a_locked_card_shows_nothing_but_title_kind_date_role_and_alias() -> None:
    quote = TESTIMONIAL
    work = study(client=client("private"), testimonial=quote, collaborators=(Collaborator("Léa Dubois"),))
    site, problems = model(work)
    assert not problems.errors
    (protected,) = site.protected
    card = protected.card
    assert card.locked and card.client is not None
    assert (card.client.name, card.client.url, card.client.logo) == (ALIAS, None, None)
    assert (card.summary, card.body, card.collaborators, card.testimonial) == ("", "", (), None)
    assert card.title == "Relaunching a Paris skincare brand on TikTok"
    assert protected.study.client is not None and protected.study.client.name == NAME  # its page only
    assert site.in_lists == (card,) and site.listed == ()  # the feed, sitemap and PDF: nothing


@pytest.mark.parametrize(
    ("changes", "listed"),
    [
        ({}, True),
        ({"private_list": False}, False),  # private: {list: false}
        ({"unlisted": True}, False),
    ],
)
def test_a_locked_card_is_listed_unless_told_not_to(changes: dict[str, Any], listed: bool) -> None:
    site, _ = model(study(client=client("private"), **changes))
    (protected,) = site.protected
    assert protected.listed is listed
    assert (protected.card in site.in_lists) is listed


def test_private_work_without_its_password_is_withheld_with_a_warning() -> None:
    work = study(client=client("private"))
    site, problems = model(work, environment={})
    assert site.studies == () and site.protected == () and site.in_lists == ()
    assert site.decisions[work.source].status == "withheld"
    assert site.missing_passwords == ("PORTFOLIO_PASSWORD",)
    (warning,) = problems.warnings
    assert (warning.path, warning.field) == (work.source, "client.consent")
    assert "PORTFOLIO_PASSWORD" in warning.message and not problems.errors


def test_a_password_named_by_the_study_is_the_one_looked_for() -> None:
    work = study(protected=True, client=client("granted"), password_env="ACME_PASSWORD")
    site, problems = model(work, environment={"PORTFOLIO_PASSWORD": "not this one"})
    assert site.protected == () and [w.field for w in problems.warnings] == ["protected"]
    site, problems = model(work, environment={"ACME_PASSWORD": "this one"})
    assert [p.password_env for p in site.protected] == ["ACME_PASSWORD"] and not problems.warnings


@pytest.mark.parametrize(
    ("consent", "drafts", "has_page"),
    [
        ("granted", False, False),  # `build` never shows a draft
        ("granted", True, True),  # `serve` does
        ("pending", True, True),
        ("denied", True, False),  # not even in `serve`: consent first
    ],
)
def test_drafts_are_built_only_for_the_preview(consent: str, drafts: bool, has_page: bool) -> None:
    work = study(client=client(consent), draft=True)
    site, problems = model(work, drafts=drafts)
    assert not problems.errors
    assert bool(site.studies) is has_page
    assert site.listed == ()  # a draft is in no list, feed or sitemap, even in the preview
    assert [h.source for h in site.hidden] == ([] if consent == "granted" else [work.source])


def test_a_drafts_client_is_as_hidden_as_a_published_ones() -> None:
    """A draft's anonymized client may not be named by the work that is published."""
    draft = study("draft", client=client("pending"), draft=True)
    named = study("other", client=None, summary="Before Maison Lune, I ran a bakery's page.")
    _, problems = model(draft, named)
    assert [(e.path, e.field) for e in problems.errors] == [(named.source, "summary")]


@pytest.mark.parametrize(("consent", "page"), [("granted", "name"), ("pending", "alias"), (None, "name")])
def test_unlisted_work_has_its_page_and_no_place_in_lists(consent: str | None, page: str) -> None:
    """Built and reachable by its URL, in no list, facet, feed or sitemap, and noindex."""
    work = study(client=client(consent) if consent else None, unlisted=True, featured=True)
    site, problems = model(work)
    assert not problems.errors
    assert appearance(site, work)[:2] == (page, False)
    assert site.listed == () and site.featured == ()
    assert all(not v.studies for values in site.facets.values() for v in values)
    (route,) = [r for r in routes(site) if r.template == "case-study.html"]
    assert route.noindex and not route.sitemap


# -- what consent forbids the user to write ------------------------------------------------------


@pytest.mark.parametrize("consent", ["pending", "private"])
def test_an_alias_is_required_where_the_work_is_shown_under_one(consent: str) -> None:
    work = study(client=client(consent, anonymized_as=None))
    site, problems = model(work)
    (error,) = problems.errors
    assert (error.path, error.line, error.field) == (work.source, 6, "client.anonymized_as")
    assert site.studies == () and site.protected == ()


@pytest.mark.parametrize("consent", ["granted", "denied"])
def test_no_alias_is_needed_where_none_is_shown(consent: str) -> None:
    _, problems = model(study(client=client(consent, anonymized_as=None)))
    assert not problems.errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "Relaunching Maison Lune on TikTok"}, "title"),
        ({"summary": "41k followers for MAISON LUNE."}, "summary"),
        ({"role": "Strategist for Maison-Lune"}, "role"),
        (
            {"collaborators": (Collaborator("Léa Dubois", "Maison Lune's art director"),)},
            "collaborators[0].role",
        ),
        ({"slug": "maison-lune-tiktok", "slug_given": True}, "slug"),
        ({"slug": "maison-lune-tiktok"}, "slug"),  # from the file name: an explicit slug is asked for
    ],
)
def test_an_anonymized_clients_name_written_out_is_an_error(changes: dict[str, Any], field: str) -> None:
    work = study(client=client("pending"), **changes)
    _, problems = model(work)
    assert [(e.path, e.field) for e in problems.errors] == [(work.source, field)]


def test_a_slug_from_the_file_name_that_names_the_client_asks_for_an_explicit_one() -> None:
    _, problems = model(study("maison-lune-tiktok", client=client("pending")))
    (error,) = problems.errors
    assert "names a client that is not published" in error.message
    assert error.hint == "add an explicit `slug:` that does not name the client, e.g. slug: tiktok"


@pytest.mark.parametrize("consent", ["granted", None])
def test_a_shown_clients_name_may_be_written_out(consent: str | None) -> None:
    work = study(client=client(consent) if consent else None, title="Relaunching Maison Lune on TikTok")
    _, problems = model(work)
    assert not problems.errors
