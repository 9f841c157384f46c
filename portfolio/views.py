"""What templates see: typed, frozen views built once in Python from the published model.

Every figure, unit, trend, URL and image a theme shows is computed here, so a card, the
results page, a social card and the PDF cannot disagree, and a template only lays it out.
Views hold text, numbers, dates, tuples and other views: no file path, no model object and
nothing a client has not agreed to publish, so a sandboxed template cannot reach more than
what is shown. `docs/themes.md` documents every field; a test checks it against this file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .contrast import AccentColours
from .locale import CURRENCIES, Formatter
from .metric_model import Metric, date_pattern
from .typography import typeset

# -- images -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Src:
    """One file of a responsive image: `url` (site-relative) at `width` pixels."""

    url: str
    width: int


@dataclass(frozen=True)
class SourceSet:
    """The files of one modern format (`type`: image/avif or image/webp)."""

    type: str
    srcset: tuple[Src, ...]


@dataclass(frozen=True)
class ImageView:
    """An image the build published, without metadata, in several widths and formats."""

    src: str  # site-relative fallback (JPEG or PNG) at up to 1600 px; an SVG's one file
    width: int
    height: int
    srcset: tuple[Src, ...]  # the fallback's widths (empty for an SVG)
    sources: tuple[SourceSet, ...]  # AVIF and WebP (empty for an SVG)
    alt: str
    caption: str | None = None
    credit: str | None = None


# -- metrics ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A formatted figure. With a word unit ("412 members") `number` and `unit` are apart,
    so a theme can set the word smaller; otherwise `number` is the whole text."""

    text: str
    number: str
    unit: str = ""
    long: bool = False  # over 9 characters: themes set it smaller


@dataclass(frozen=True)
class Bar:
    """Before or after on a shared scale: `width` in percent of the longer one."""

    which: str  # before | after
    figure: Figure
    width: float | None  # None when the figure is 0
    negative: bool
    track: bool  # draw the bar (false when both figures are 0)


@dataclass(frozen=True)
class Row:
    """One point of a series, as text: `x` (a date or a category) and `y`; `when` is the
    date with the preposition its precision takes (`on 6 Jan 2025`, `en janv. 2025`), empty
    for a category."""

    x: str
    y: str
    when: str = ""


@dataclass(frozen=True)
class CardFigure:
    """The one figure a card shows for a case study (and its link-preview image)."""

    text: str  # the figure as plain text ("" when there is none to show)
    figure: Figure | None  # the same, split for display; None for a relative change or "—"
    pill: bool  # show the relative change beside it
    category: str | None = None  # a bar chart's category that holds the figure


@dataclass(frozen=True)
class MetricView:
    label: str
    kind: str  # change | value | series
    chart: str | None  # line | area | bar, for a series
    unit: str | None
    better: str  # higher | lower
    figure: Figure | None  # the main figure: after, value, or a dated series' last value
    before: Figure | None
    after: Figure | None
    value: Figure | None
    change: str  # absolute change in the unit: +3.6 pts, −€0.41
    relative: str  # +300 %; empty when the base is 0
    trend: str  # good | bad | neutral
    arrow: str | None  # up | down: the way the figure went
    bars: tuple[Bar, ...]  # before and after (empty when confidential)
    rows: tuple[Row, ...]  # a series as text
    categories: bool  # a series over categories rather than dates
    x_label: str | None
    y_label: str | None
    since: Row | None  # a dated series' first point, for "from 3,100 in Sep 2024"
    svg: Markup | None  # the chart drawn as inline SVG (two drawings, compact and wide)
    confidential: bool
    source: str | None
    contribution: str | None
    card: CardFigure


def figure(text: str, unit: str | None) -> Figure:
    word = unit or ""
    if len(word) > 1 and word not in CURRENCIES and text.endswith("\u00a0" + word):
        number = text[: -(len(word) + 1)]
        return Figure(text, number, word, len(number) > 9)
    return Figure(text, text, "", len(text) > 9)


def view_metric(m: Metric, fmt: Formatter, draw: Callable[[Metric], str] | None = None) -> MetricView:
    """A metric formatted in the site's language; `draw` makes a series' SVG."""

    def amount(v: float) -> Figure:
        return figure(fmt.amount(v, m.unit, m.precision(v)), m.unit)

    base = MetricView(
        label=m.label, kind=m.kind, chart=m.chart if m.kind == "series" else None, unit=m.unit,
        better=m.better, figure=None, before=None, after=None, value=None, change="", relative="",
        trend="neutral", arrow=None, bars=(), rows=(), categories=False, x_label=m.x_label,
        y_label=m.y_label, since=None, svg=None, confidential=m.confidential, source=m.source,
        contribution=m.contribution, card=CardFigure("", None, False),
    )  # fmt: skip
    hidden = m.confidential
    if m.kind == "change" and m.before is not None and m.after is not None:
        delta = m.after - m.before
        if m.unit == "%":
            points = fmt.word("metrics.points", value=fmt.signed(fmt.number(abs(delta), m.decimals), delta))
            # "−27,3 pts": the figure and its unit on one line, as for every other unit
            change = typeset(points, fmt.language)
        else:
            change = fmt.signed(fmt.amount(abs(delta), m.unit, m.decimals), delta)
        relative = _relative(m.before, m.after, fmt)
        trend = "neutral" if not delta else ("good" if (delta > 0) == (m.better == "higher") else "bad")
        before, after = amount(m.before), amount(m.after)
        top = max(abs(m.before), abs(m.after))
        bars = tuple(
            Bar(
                which,
                shown,
                round(max(abs(raw) / top * 100, 1.5), 1) if raw and top else None,
                raw < 0,
                bool(top),
            )
            for which, shown, raw in (("before", before, m.before), ("after", after, m.after))
        )
        return dataclasses.replace(
            base, relative=relative, trend=trend, arrow=_arrow(trend, m.better),
            before=None if hidden else before, after=None if hidden else after,
            figure=None if hidden else after, change="" if hidden else change, bars=() if hidden else bars,
            card=CardFigure(relative or "—", None, False) if hidden
            else CardFigure(after.text, after, bool(relative)),
        )  # fmt: skip
    if m.kind == "value" and m.value is not None:
        value = amount(m.value)
        if hidden:
            return dataclasses.replace(base, card=CardFigure("—", None, False))
        return dataclasses.replace(base, value=value, figure=value, card=CardFigure(value.text, value, False))
    pattern = date_pattern(m.points)
    rows = tuple(
        Row(fmt.date(p.x, pattern), fmt.amount(p.y, m.unit, m.precision(p.y)), fmt.when(p.x, pattern))
        if isinstance(p.x, dt.date)
        else Row(str(p.x), fmt.amount(p.y, m.unit, m.precision(p.y)))
        for p in m.points
    )
    categories = bool(m.points) and not isinstance(m.points[0].x, dt.date)
    # A dated series changes from its first figure to its last: the one relative change a
    # confidential series may show.
    first, last = m.points[0], m.points[-1]
    relative, trend = "", "neutral"
    if isinstance(first.x, dt.date) and first.y != 0 and len(m.points) > 1:
        relative = _relative(first.y, last.y, fmt)
        if last.y != first.y:
            trend = "good" if (last.y > first.y) == (m.better == "higher") else "bad"
    svg = Markup(draw(m)) if draw else None
    base = dataclasses.replace(
        base, relative=relative, trend=trend, arrow=_arrow(trend, m.better), categories=categories, svg=svg
    )
    if hidden:
        return dataclasses.replace(base, card=CardFigure(relative, None, False))
    if categories:  # the category that did best holds the headline
        best = max(range(len(m.points)), key=lambda i: m.points[i].y)
        card = CardFigure(rows[best].y, figure(rows[best].y, m.unit), False, rows[best].x)
        return dataclasses.replace(base, rows=rows, card=card)
    main = figure(rows[-1].y, m.unit)
    card = CardFigure(main.text, main, False)
    return dataclasses.replace(base, rows=rows, figure=main, since=rows[0], card=card)


def _arrow(trend: str, better: str) -> str | None:
    if trend == "neutral":
        return None
    return "up" if (trend == "good") == (better != "lower") else "down"


def _relative(before: float, after: float, fmt: Formatter) -> str:
    """`+300%`, one decimal below 10 % (`0%` for no change); empty from 0 or from a negative
    figure, where no ratio means anything (−5 to 10 is not "+300%")."""
    if before <= 0:
        return ""
    ratio = (after - before) / before * 100
    return fmt.signed(fmt.percent(abs(ratio), 0 if abs(ratio) >= 10 or not ratio else 1), ratio)


# -- case studies -------------------------------------------------------------------------


@dataclass(frozen=True)
class Chip:
    """A channel or skill, linked to its filter page when it has one."""

    name: str
    url: str | None


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ClientView:
    """Who the work was for. Anonymized: `name` is the alias and there is no url or logo."""

    name: str
    industry: str | None
    url: str | None
    logo: ImageView | None
    anonymized: bool


@dataclass(frozen=True)
class GalleryItemView:
    kind: str  # image | video | link
    image: ImageView | None  # the picture, or the poster of a video or a link
    video: str | None = None  # site-relative URL of the file
    video_type: str | None = None  # video/mp4 | video/webm
    link: str | None = None  # the address a preview card opens
    platform: str | None = None  # TikTok, YouTube...: the link's site, by name


@dataclass(frozen=True)
class Testimonial:
    quote: str
    author: str | None


@dataclass(frozen=True)
class SchoolView:
    institution: str | None
    course: str | None
    grade: str | None


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date | None  # None: ongoing
    # As the page, the PDF and every theme show it, so they cannot disagree: "January 2024 –
    # ongoing" (`text`), "Jan 2024 – ongoing" (`short`).
    text: str
    short: str


@dataclass(frozen=True)
class StudyView:
    url: str  # site-relative: case-studies/slug/
    slug: str
    title: str
    summary: str
    date: dt.date
    kind: str  # client | agency | freelance | volunteer | personal | school
    role: str
    employer: str | None
    period: Period | None
    client: ClientView | None
    contributions: tuple[str, ...]
    collaborators: tuple[Person, ...]
    team_size: int | None
    channels: tuple[Chip, ...]
    skills: tuple[Chip, ...]
    tags: tuple[str, ...]
    cover: ImageView | None
    gallery: tuple[GalleryItemView, ...]
    metrics: tuple[MetricView, ...]
    headline: MetricView | None  # the metric cards show: marked `headline`, else the first
    testimonial: Testimonial | None  # only with the quoted person's consent
    school: SchoolView | None
    featured: bool
    unlisted: bool
    draft: bool
    language: str = ""  # the language its words are in (another than the page's: untranslated)
    # The locked card of a case study behind a password: only `url`, `slug`, `title`,
    # `summary` (the theme's words saying it is private), `date`, `kind`, `role`, `client`
    # (the alias) and `featured` are set; `url` leads to the password form.
    locked: bool = False


@dataclass(frozen=True)
class LockView:
    """A page behind a password (`protected.html`): the encrypted page, and what the
    browser needs to derive the key from the password the reader types."""

    payload: str  # base64 of the 12-byte IV, then the AES-256-GCM ciphertext and its tag
    salt: str  # base64 of the 16-byte PBKDF2 salt
    iterations: int  # PBKDF2-HMAC-SHA256 iterations
    hash: str = "SHA-256"


@dataclass(frozen=True)
class StudyLink:
    """A neighbour in the pager."""

    url: str
    title: str


# -- the site and its pages ---------------------------------------------------------------


@dataclass(frozen=True)
class Facet:
    """A filter page: a kind of work, a channel or a skill, and how many studies have it."""

    facet: str  # kind | channel | skill
    name: str  # as written (for kind: client, agency...)
    label: str  # as shown (for kind: the theme's word)
    slug: str
    url: str
    count: int
    share: float = 100.0  # count in percent of the most frequent value of its facet, for bars


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str


@dataclass(frozen=True)
class LinkView:
    """A profile elsewhere: `icon` is the network's icon name, or `link` for others."""

    name: str
    url: str
    label: str
    icon: str
    known: bool


@dataclass(frozen=True)
class Author:
    name: str
    headline: str | None
    location: str | None
    email: str | None
    links: tuple[LinkView, ...]
    avatar: ImageView | None  # the portrait
    resume: str | None  # site-relative URL of the CV


@dataclass(frozen=True)
class Analytics:
    provider: str  # goatcounter | plausible | umami
    site: str
    script: str | None


@dataclass(frozen=True)
class Sections:
    """Site-relative URLs of the pages every site has."""

    home: str
    work: str
    results: str
    feed: str


@dataclass(frozen=True)
class SiteView:
    """What every page shows: the same for all of them."""

    title: str
    language: str
    base_url: str | None
    author: Author
    nav: tuple[NavItem, ...]  # free pages in the navigation
    sections: Sections
    options: dict[str, Any]  # the theme's options, with the site's values
    colours: AccentColours | None  # the accent and the readable colours around it
    analytics: Analytics | None  # None in the preview
    listed: int  # how many case studies the lists show
    pdf: str | None = None  # the portfolio as a PDF (`pdf:` in portfolio.yaml): its URL
    paper: str = "a4"  # the PDF's paper: a4 | letter


@dataclass(frozen=True)
class FreePage:
    title: str
    summary: str | None
    url: str
    language: str = ""  # the language its words are in (another than the page's: untranslated)


@dataclass(frozen=True)
class AskedSkill:
    """A skill the job asks for, and the case studies that show it."""

    name: str
    shown_in: tuple[StudyLink, ...]


@dataclass(frozen=True)
class ApplicationView:
    """A page made for one job application (its studies come as `chosen` and `others`)."""

    company: str
    role: str
    url: str
    expires: dt.date | None
    skills: tuple[AskedSkill, ...]  # the skills asked for, in the order given
    pdf: str | None = None  # its PDF beside the page (`pdf:` in portfolio.yaml)


@dataclass(frozen=True)
class ContactForm:
    """The contact page's form: it posts to a service, with no script (portfolio.yaml's
    `contact:`). The author's email, when set, stays beside it as the other way in."""

    action: str  # the address it posts to; "" for Netlify, which takes it on the page itself
    netlify: bool  # Netlify Forms: the form carries its `name` and Netlify's attributes
    name: str  # the form's name (Netlify lists the messages under it)
    honeypot: str  # the field people never see and robots fill in
    service: str  # who delivers the messages: "Netlify", "formspree.io"...
    email: str | None  # the author's address, for the mailto: link beside the form


@dataclass(frozen=True)
class SitemapEntry:
    url: str  # site-relative
    lastmod: dt.date | None
    alternates: tuple[Alternate, ...] = ()  # its translations (and itself), with absolute URLs


@dataclass(frozen=True)
class Alternate:
    """A page in one language of a bilingual site: the switcher's link, and hreflang."""

    language: str  # fr, en
    locale: str  # for Open Graph: fr_FR, en_GB
    name: str  # the language in its own words: Français, English
    url: str  # site-relative: the same page in that language (its home when it has none)
    absolute: str | None  # for hreflang: with base_url, when the page is translated
    current: bool  # the page being shown


@dataclass(frozen=True)
class OgImage:
    """The link-preview picture: absolute URL and size."""

    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class PageView:
    url: str  # site-relative: case-studies/x/
    output: str  # the file written: case-studies/x/index.html
    template: str
    title: str
    description: str
    canonical: str | None  # absolute, for indexable pages with base_url
    noindex: bool
    og_type: str  # website | article
    og_image: OgImage | None
    jsonld: Markup | None  # a JSON-LD block, serialised once
    draft: bool  # only the preview renders drafts: show a banner
    dev: bool  # the live preview
    absolute_links: bool  # 404.html is served at any depth: links start from base_path
    base_path: str  # base_url's path, or /
    languages: tuple[Alternate, ...] = ()  # a bilingual site: this page in each language, its own first


VIEW_TYPES: tuple[type, ...] = (
    Src, SourceSet, ImageView, Figure, Bar, Row, CardFigure, MetricView, Chip, Person, ClientView,
    GalleryItemView, Testimonial, SchoolView, Period, StudyView, StudyLink, Facet, NavItem, LinkView,
    Author, Analytics, Sections, AccentColours, SiteView, FreePage, ContactForm, AskedSkill,
    ApplicationView, SitemapEntry, Alternate, OgImage, PageView, LockView,
)  # fmt: skip


def fields_of(view_type: type) -> list[str]:
    """The documented fields of a view type."""
    return [f.name for f in dataclasses.fields(view_type)]
