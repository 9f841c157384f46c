"""Each route's views: the site model turned into what its template shows (views.py).

Building a view requests what it shows (images, files, the link-preview card), so those
are produced for exactly the pages that use them. Study views are built once per build and
shared by every page that lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from .applications import Application
from .cache import Cache, key_of
from .cards import Cards
from .charts import chart_svg
from .config import SiteConfig
from .content import CaseStudy, GalleryItem, ImageRef, Page
from .contrast import AccentColours
from .errors import Problems
from .files import Files
from .grammar import capitalise
from .images import ImageError, Images, PublishedImage
from .locale import Formatter
from .metric_model import Metric
from .paths import site_relative
from .routes import PROTECTED_TEMPLATE, Route
from .site import FACETS, FacetValue, Site, facet_slug, headline
from .slugs import fold
from .typography import typeset
from .views import (
    Alternate,
    Analytics,
    ApplicationView,
    AskedSkill,
    Author,
    Chip,
    ClientView,
    ContactForm,
    Facet,
    FreePage,
    GalleryItemView,
    ImageView,
    LinkView,
    LockView,
    MetricView,
    NavItem,
    OgImage,
    PageView,
    Period,
    Person,
    SchoolView,
    Sections,
    SiteView,
    SourceSet,
    Src,
    StudyLink,
    StudyView,
    Testimonial,
    view_metric,
)

DEFAULT_ACCENT = "#1d4ed8"
# The words of the private pages, for a theme of the site's own that lacks them.
PRIVATE_WORDS = {
    "private.card": "Private work: ask me for the password to see it.",
    "private.description": "A private case study: it opens with a password.",
}
_PLATFORMS = {
    "tiktok.com": "TikTok", "youtube.com": "YouTube", "youtu.be": "YouTube", "instagram.com": "Instagram",
    "vimeo.com": "Vimeo", "linkedin.com": "LinkedIn", "facebook.com": "Facebook", "x.com": "X",
    "twitter.com": "X", "threads.net": "Threads", "pinterest.com": "Pinterest",
}  # fmt: skip


# Study views kept by the preview between saves, by everything they show (`_study_key`).
_VIEWS: dict[str, StudyView] = {}
_VIEWS_MAX = 20_000


class PageBuilder:
    """Builds the views of every route of one site, reporting broken images on the way."""

    def __init__(
        self,
        site: Site,
        fmt: Formatter,
        options: dict[str, Any],
        images: Images,
        files: Files,
        problems: Problems,
        cards: Cards | None = None,
        dev: bool = False,
        cache: Cache | None = None,
        colours: AccentColours | None = None,
        alternates: Mapping[str, tuple[Alternate, ...]] | None = None,
    ) -> None:
        self.model = site
        self.colours = colours
        self.config: SiteConfig = site.config
        self.fmt = fmt
        self.images = images
        self.files = files
        self.problems = problems
        self.cards = cards
        self.dev = dev
        self.options = options
        self._studies: dict[str, StudyView] = {}
        self.alternates = alternates or {}  # a bilingual site: each page's versions (editions.py)
        self._cache = cache
        self._words = key_of(fmt.language, sorted(fmt.words.items()))  # what a chart's words are
        self._facets = {facet: tuple(self._facet(v) for v in values) for facet, values in site.facets.items()}
        self._facet_urls = {(f.facet, f.slug): f.url for values in self._facets.values() for f in values}
        self.site = self._site_view()
        self._check_contact_page()

    # -- site-wide --------------------------------------------------------------------
    def _site_view(self) -> SiteView:
        cfg = self.config
        urls = self.model.urls
        author = cfg.author
        links = tuple(
            LinkView(
                link.name,
                link.url,
                self.fmt.word(f"links.{link.kind}")
                if link.known
                else link.name.replace("_", " ").capitalize(),
                link.kind if link.known else "link",
                link.known,
            )
            for link in author.links
        )
        avatar = self.image(ImageRef(author.avatar, author.name)) if author.avatar else None
        analytics = cfg.analytics
        return SiteView(
            title=cfg.title,
            language=cfg.language,
            base_url=cfg.base_url,
            author=Author(
                author.name,
                self._own(author.headline, "author.headline"),
                self._own(author.location, "author.location"),
                author.email,
                links,
                avatar,
                self.files.request(author.resume) if author.resume else None,
            ),
            nav=tuple(NavItem(p.title, self.model.page_url(p)) for p in self.model.nav),
            sections=Sections(urls.home, urls.work_list, urls.results_list, urls.feed),
            options=dict(self.options),
            colours=self.colours,
            analytics=Analytics(analytics.provider, analytics.site, analytics.script)
            if analytics and not self.dev
            else None,
            listed=len(self.model.in_lists),
            pdf=f"{urls.prefix}portfolio.pdf" if cfg.pdf else None,
            paper=cfg.pdf.paper if cfg.pdf else ("a4" if cfg.language == "fr" else "letter"),
        )

    def _own(self, text: str | None, field: str) -> str | None:
        """The user's text of portfolio.yaml's `field` in the typography of the language it
        is written in (which is the default language's where it is not translated)."""
        return typeset(text, self.config.words_language(field)) if text else None

    def _contact_form(self, page: Page) -> ContactForm | None:
        """The form of portfolio.yaml's `contact:`, on the page it names (`contact`)."""
        contact = self.config.contact
        if contact is None or page.slug != contact.page:
            return None
        netlify = contact.provider == "netlify"
        service = "Netlify" if netlify else (urlsplit(contact.form or "").hostname or "")
        return ContactForm(
            "" if netlify else contact.form or "",
            netlify,
            "contact",
            contact.honeypot,
            service.removeprefix("www."),
            self.config.author.email,
        )

    def _check_contact_page(self) -> None:
        contact = self.config.contact
        if contact and not any(p.slug == contact.page for p in self.model.pages):
            self.problems.warn(
                "portfolio.yaml",
                f"the form goes on the page `{contact.page}`, and the site has no such page",
                self.config.lines.get("contact"),
                "contact",
                hint=f"add content/pages/{contact.page}.md (title: Contact), or name another page "
                "with contact: {page: SLUG}",
            )

    def _facet(self, value: FacetValue) -> Facet:
        label = self.fmt.word(f"kind.{value.name}") if value.facet == "kind" else value.name
        top = max((len(v.studies) for v in self.model.facets.get(value.facet, ())), default=0)
        share = round(len(value.studies) / top * 100, 1) if top else 0.0
        return Facet(value.facet, value.name, label, value.slug, value.url, len(value.studies), share)

    # -- images -----------------------------------------------------------------------
    def image(self, ref: ImageRef | None) -> ImageView | None:
        """An image the build publishes; a broken one is reported at the field naming it."""
        if ref is None:
            return None
        try:
            img = self.images.request(ref.source)
        except ImageError as exc:
            report_image(self.problems, ref, exc, self.config.root)
            return None
        return image_view(img, ref.alt or "", ref.caption, ref.credit)

    def _chart(self, m: Metric) -> str:
        """A series' SVG, kept in the cache by the metric and the site's words."""
        if self._cache is None:
            return chart_svg(m, self.fmt)
        key = key_of("chart", repr(m), self._words)
        path = self._cache.get("charts", key, "svg")
        if path is not None:
            try:
                return path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                pass
        svg = chart_svg(m, self.fmt)
        self._cache.put("charts", key, "svg", svg.encode("utf-8"))
        return svg

    # -- case studies -----------------------------------------------------------------
    def study(self, s: CaseStudy) -> StudyView:
        """The view of a published case study, built once per build (and, in the preview,
        once for as long as nothing it shows changes)."""
        found = self._studies.get(s.source)
        if found is None:
            key = self._study_key(s) if self.dev else None
            found = _VIEWS.get(key) if key else None
            if found is None:
                found = self._study(s)
                if key:
                    if len(_VIEWS) >= _VIEWS_MAX:
                        _VIEWS.clear()
                    _VIEWS[key] = found
            self._studies[s.source] = found
        return found

    def _study_key(self, s: CaseStudy) -> str | None:
        """Everything `_study` reads: the study as the model holds it, the answer for each
        of its images and videos (asked here as `_study` would, so they are still
        published), its chips' filter pages and the words. None when an image is broken:
        `_study` then reports it."""
        refs = [s.cover, s.client.logo if s.client else None, *(item.image for item in s.gallery)]
        try:
            images = [self.images.request(ref.source) for ref in refs if ref is not None]
        except ImageError:
            return None
        videos = [self.files.request(item.video) for item in s.gallery if item.video is not None]
        chips = [
            self._facet_urls.get((f, facet_slug(n)))
            for f, names in (("channel", s.channels), ("skill", s.skills))
            for n in names
        ]
        return key_of("study view", repr(s), repr(images), videos, chips, self._words, repr(self.model.urls))

    def _study(self, s: CaseStudy) -> StudyView:
        if s.locked:
            return self._locked(s)
        metrics = tuple(view_metric(m, self.fmt, self._chart) for m in s.metrics)
        top = headline(s)
        client = s.client
        return StudyView(
            url=self.model.study_url(s),
            slug=s.slug,
            title=s.title,
            summary=s.summary,
            date=s.date,
            kind=s.kind,
            role=s.role,
            employer=s.employer,
            period=self._period(s.period.start, s.period.end) if s.period and s.period.start else None,
            client=ClientView(
                # An alias shown on its own (the client line of a card or page) starts with a
                # capital, as a list item does; in a sentence grammar.py recased it.
                capitalise(client.name) if client.anonymized else client.name,
                client.industry,
                client.url,
                self.image(client.logo),
                client.anonymized,
            )
            if client
            else None,
            contributions=s.contributions,
            collaborators=tuple(Person(c.name, c.role, c.url) for c in s.collaborators),
            team_size=s.team_size,
            channels=tuple(self._chip("channel", c) for c in s.channels),
            skills=tuple(self._chip("skill", c) for c in s.skills),
            tags=s.tags,
            cover=self.image(s.cover),
            gallery=tuple(self._gallery(item) for item in s.gallery),
            metrics=metrics,
            headline=metrics[s.metrics.index(top)] if top is not None else None,
            testimonial=Testimonial(s.testimonial.quote, s.testimonial.author)
            if s.testimonial and s.testimonial.consent == "granted"
            else None,
            school=SchoolView(s.school.institution, s.school.course, s.school.grade) if s.school else None,
            featured=s.featured,
            unlisted=s.unlisted,
            draft=s.draft,
            language=s.language or self.config.language,
        )

    def _locked(self, s: CaseStudy) -> StudyView:
        """The locked card of a case study behind a password: its title, kind, date, role
        and alias, nothing more, whatever the template prints."""
        client = s.client
        return StudyView(
            url=self.model.study_url(s), slug=s.slug, title=s.title, summary=self.word("private.card"),
            date=s.date, kind=s.kind, role=s.role, employer=None, period=None,
            client=ClientView(capitalise(client.name), client.industry, None, None, True)
            if client
            else None,
            contributions=(), collaborators=(), team_size=None, channels=(), skills=(), tags=(), cover=None,
            gallery=(), metrics=(), headline=None, testimonial=None, school=None, featured=s.featured,
            unlisted=False, draft=False, language=s.language or self.config.language, locked=True,
        )  # fmt: skip

    def word(self, key: str) -> str:
        """A theme word this build added (the private pages'), in English when a theme of
        the site's own does not have it."""
        try:
            return self.fmt.word(key)
        except KeyError:
            return PRIVATE_WORDS.get(key, "")

    def _chip(self, facet: str, name: str) -> Chip:
        return Chip(name, self._facet_urls.get((facet, facet_slug(name))))

    def _period(self, start: dt.date, end: dt.date | None) -> Period:
        """From the first month to the last, or to the theme's word for ongoing work."""

        def span(style: str) -> str:
            last = self.fmt.date(end, style) if end else self.fmt.word("study.ongoing")
            return f"{self.fmt.date(start, style)} – {last}"

        return Period(start, end, span("month"), span("short_month"))

    def _gallery(self, item: GalleryItem) -> GalleryItemView:
        image = self.image(item.image)
        if item.kind == "video" and item.video is not None:
            kind = "video/webm" if item.video.suffix.lower() == ".webm" else "video/mp4"
            return GalleryItemView("video", image, self.files.request(item.video), kind)
        if item.kind == "link" and item.link is not None:
            return GalleryItemView("link", image, link=item.link, platform=platform_name(item.link))
        return GalleryItemView("image", image)

    # -- pages --------------------------------------------------------------------------
    def page(self, route: Route) -> tuple[PageView, dict[str, Any]]:
        """The page's own view and the views its template receives besides `site`."""
        data = self._data(route)
        study = data.get("study")
        title = route.title or {
            "list.html": self.fmt.word("nav.work"),
            "results.html": self.fmt.word("nav.results"),
            "404.html": self.fmt.word("notfound.title"),
        }.get(route.template, self.config.title)
        # The home page's description is the headline from portfolio.yaml, in its typography.
        own = route.template == "home.html" and route.description == self.config.author.headline
        description = (
            (self._own(route.description, "author.headline") if own else route.description)
            or {"list.html": self.fmt.word("list.intro"), "results.html": self.fmt.word("results.intro")}.get(
                route.template
            )
            or (self.word("private.description") if route.template == PROTECTED_TEMPLATE else None)
            or self._own(self.config.author.headline, "author.headline")
            or ""
        )
        canonical = self._absolute(route.url) if not route.noindex else None
        item = route.data.get("study") or route.data.get("free_page")
        base = self.config.base_url
        page = PageView(
            url=route.url,
            output=route.output,
            template=route.template,
            title=title,
            description=description,
            canonical=canonical,
            noindex=route.noindex,
            og_type="article" if route.template == "case-study.html" else "website",
            og_image=self._og_image(route, title, study),
            jsonld=self._jsonld(route, study, canonical),
            draft=bool(getattr(item, "draft", False)),
            dev=self.dev,
            absolute_links=route.absolute_links,
            base_path=urlsplit(base).path if base else "/",
            languages=self.alternates.get(route.key, ()),
        )
        return page, data

    def _data(self, route: Route) -> dict[str, Any]:
        raw = route.data
        t = route.template
        data: dict[str, Any] = {}
        if t == "case-study.html":
            data["study"] = self.study(raw["study"])
            for key in ("newer", "older"):
                other = raw.get(key)
                data[key] = StudyLink(self.model.study_url(other), other.title) if other else None
        elif t == "list.html":
            data["studies"] = tuple(self.study(s) for s in raw["studies"])
            value = raw.get("facet")
            data["facet"] = self._facet(value) if value else None
            data["facets"] = {facet: self._facets[facet] for facet in FACETS}
        elif t == "results.html":
            data["studies"] = tuple(self.study(s) for s in raw["studies"])
        elif t == "home.html":
            data["featured"] = tuple(self.study(s) for s in self.model.featured)
            data["skills"] = self._facets["skill"]
            data["channels"] = self._facets["channel"]
            data["portrait"] = self.site.author.avatar
        elif t == "application.html":
            application: Application = raw["application"]
            chosen = self.model.chosen(application)
            data["application"] = self._application(application)
            data["chosen"] = tuple(self.study(s) for s in chosen)
            data["others"] = tuple(self.study(s) for s in self.model.in_lists if s not in chosen)
        elif t == PROTECTED_TEMPLATE:  # the locked card's words, the form, the encrypted page
            data["study"] = self.study(raw["protected"].card)
            lock = raw.get("lock")
            if not isinstance(lock, LockView):
                raise KeyError("the protected page was rendered before it was encrypted")
            data["lock"] = lock
        elif t == "pdf.html":
            data["studies"] = tuple(self.study(s) for s in raw["studies"])
            sent = raw.get("application")
            data["application"] = self._application(sent) if isinstance(sent, Application) else None
        elif t == "page.html":
            page: Page = raw["free_page"]
            data["free_page"] = FreePage(
                page.title, page.summary, self.model.page_url(page), page.language or self.config.language
            )
            data["contact_form"] = self._contact_form(page)
        elif t == "feed.xml":
            data["studies"] = tuple(self.study(s) for s in self.model.listed)
        elif t == "sitemap.xml":
            data["entries"] = raw["entries"]
        return data

    def _application(self, app: Application) -> ApplicationView:
        """The application, with each skill asked for and the work (chosen first) showing it."""
        work = [*self.model.chosen(app), *(s for s in self.model.listed if s not in self.model.chosen(app))]
        skills = tuple(
            AskedSkill(
                name,
                tuple(
                    StudyLink(self.model.study_url(s), s.title)
                    for s in work
                    if fold(name) in {fold(k) for k in (*s.skills, *s.channels, *s.contributions)}
                ),
            )
            for name in app.skills
        )
        url = self.model.application_url(app)
        pdf = f"{url}portfolio.pdf" if self.config.pdf else None
        return ApplicationView(app.company, app.role, url, app.expires, skills, pdf)

    def _absolute(self, url: str) -> str | None:
        base = self.config.base_url
        return base + url if base else None

    def _og_image(self, route: Route, title: str, study: StudyView | None) -> OgImage | None:
        """The link preview: the page's card, else its cover or the portrait (bitmaps only)."""
        if not self.config.base_url:
            return None
        card = self._card(route, title, study)
        if card is not None:
            return card
        own = study.cover if study else None
        picture = own or self.site.author.avatar
        if picture is None or picture.src.endswith(".svg"):
            return None
        return OgImage(self.config.base_url + picture.src, picture.width, picture.height, picture.alt)

    def _card(self, route: Route, title: str, study: StudyView | None) -> OgImage | None:
        """The 1200x630 card drawn for every page with a link preview: the home page, a case
        study, a free page, the lists of work (all of it, or one kind, channel or skill), the
        results and the 404 page. It draws only what its page shows."""
        if self.cards is None:
            return None
        text = self._card_text(route, title, study)
        if text is None:
            return None
        cfg = self.config
        accent = self.options.get("accent")
        accent = accent if isinstance(accent, str) and accent.startswith("#") else DEFAULT_ACCENT
        host = urlsplit(cfg.base_url).hostname if cfg.base_url else None
        cover = text.cover
        if cover is not None and cover.suffix.lower() == ".svg":
            cover = None  # Pillow cannot draw vector art: the card goes without a picture
        url = self.cards.request(
            route.output, text.title, cfg.author.name, text.role, text.metric, text.metric_label,
            text.kind, host, accent, cover,
        )  # fmt: skip
        return OgImage(cfg.base_url + url if cfg.base_url else url, 1200, 630, text.title)

    def _card_text(self, route: Route, title: str, study: StudyView | None) -> CardText | None:
        """What a page's card says, from what the page itself shows; None: no card (an
        application, whose address is its secret, and a page behind a password keep the
        portrait as their preview)."""
        cfg = self.config
        template = route.template
        if template == "home.html":
            heading = self._own(cfg.author.headline, "author.headline") or cfg.title
            return CardText(heading, cover=cfg.author.avatar)
        if template == "case-study.html":
            model = route.data.get("study")
            if study is None or not isinstance(model, CaseStudy):
                return None
            metric, label = _figure(study.headline)
            return CardText(
                title,
                role=study.role,
                kind=self.fmt.word(f"kind.{study.kind}"),
                metric=metric,
                metric_label=label,
                cover=model.cover.source if model.cover else None,
            )
        if template == "page.html":
            return CardText(title)
        if template == "list.html":
            value = route.data.get("facet")
            count = len(route.data.get("studies", ()))
            metric, label = self._count(count)
            if isinstance(value, FacetValue):
                facet = self._facet(value)
                heading = self._phrase("list.filtered", f"{self._phrase('nav.work', 'Work')}: {{value}}")
                return CardText(
                    heading.replace("{value}", facet.label),
                    kind=self._phrase(f"facet.{value.facet}", ""),
                    metric=metric,
                    metric_label=label,
                )
            return CardText(title, metric=metric, metric_label=label)
        if template == "results.html":
            # The first headline figure the page shows (the newest work's), with its label;
            # a confidential value (a dash) says nothing on its own.
            for s in route.data.get("studies", ()):
                metric, label = _figure(self.study(s).headline)
                if metric and metric != "—":
                    return CardText(title, metric=metric, metric_label=label)
            return CardText(title)
        if template == "404.html":
            return CardText(title)
        return None

    def _count(self, count: int) -> tuple[str | None, str | None]:
        """`12 case studies` as a figure and its label, as the list page counts them."""
        try:
            phrase = self.fmt.word("list.count", count=count)  # its singular where the language has it
        except KeyError:  # a theme of the site's own without the word
            return None, None
        return split_count(phrase, count, self.fmt)

    def _phrase(self, key: str, default: str) -> str:
        """A theme word, or `default` when the site's own theme does not have it."""
        try:
            return self.fmt.word(key)
        except KeyError:
            return default

    def _jsonld(self, route: Route, study: StudyView | None, canonical: str | None) -> Markup | None:
        """Schema.org data, built as data and serialised once (safe inside <script>)."""
        cfg = self.config
        if route.template == "home.html":
            author = self.site.author
            person: dict[str, Any] = {
                "@context": "https://schema.org",
                "@type": "Person",
                "name": author.name,
            }
            if author.headline:
                person["jobTitle"] = author.headline
            if cfg.base_url:
                person["url"] = cfg.base_url
            if author.links:
                person["sameAs"] = [link.url for link in author.links]
            if author.location:
                person["address"] = {"@type": "PostalAddress", "addressLocality": author.location}
            return htmlsafe_json_dumps(person, sort_keys=True)
        if study is None or route.template != "case-study.html":
            return None
        work: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "name": study.title,
            "description": study.summary,
            "dateCreated": study.date.isoformat(),
            "author": {"@type": "Person", "name": cfg.author.name},
        }
        if canonical:
            work["url"] = canonical
        if study.cover and cfg.base_url:
            work["image"] = cfg.base_url + study.cover.src
        if study.collaborators:
            work["contributor"] = [c.name for c in study.collaborators]
        if study.skills:
            work["keywords"] = ", ".join(c.name for c in study.skills)
        return htmlsafe_json_dumps(work, sort_keys=True)


@dataclass(frozen=True)
class CardText:
    """The words (and picture) of one page's link-preview card, before it is drawn."""

    title: str
    role: str | None = None
    kind: str | None = None  # the badge above the title
    metric: str | None = None
    metric_label: str | None = None
    cover: Path | None = None


def _figure(metric: MetricView | None) -> tuple[str | None, str | None]:
    """A case study's headline figure as its cards show it (a dash for a confidential
    value, as on the page), and its label."""
    if metric is None or not metric.card.text:
        return None, None
    return metric.card.text, metric.label


def split_count(phrase: str, count: int, fmt: Formatter) -> tuple[str | None, str | None]:
    """`12 études de cas` -> (`12`, `études de cas`): the figure large, its words beside it.
    A phrase that does not start with the number (a theme's own wording) is the label alone."""
    phrase = phrase.strip()
    number = fmt.number(count)
    for written in dict.fromkeys((number, str(count))):
        rest = phrase.removeprefix(written)
        if rest != phrase and rest[:1] in (" ", "\u00a0", "\u202f"):
            return written, rest.strip() or None
    return None, phrase or None


def image_view(
    img: PublishedImage, alt: str, caption: str | None = None, credit: str | None = None
) -> ImageView:
    if img.url.endswith(".svg"):  # one drawing that scales to any width
        return ImageView(img.url, img.width, img.height, (), (), alt, caption, credit)
    fallback = img.url.rsplit(".", 1)[-1]
    sources = tuple(
        SourceSet(mime, tuple(Src(v.url, v.width) for v in img.srcset(fmt)))
        for fmt, mime in (("avif", "image/avif"), ("webp", "image/webp"))
        if img.srcset(fmt)
    )
    srcset = tuple(Src(v.url, v.width) for v in img.srcset(fallback))
    return ImageView(img.url, img.width, img.height, srcset, sources, alt, caption, credit)


def report_image(problems: Problems, ref: ImageRef, exc: ImageError, root: Path) -> None:
    """A broken image, at the file, line and field that name it (or at the image itself)."""
    where = site_relative(ref.source, root)
    if ref.origin:
        problems.error(ref.origin, f"{where} {exc}", ref.line, ref.field)
    else:
        problems.error(where, str(exc))


def platform_name(link: str) -> str:
    """`https://www.tiktok.com/@a/video/1` -> `TikTok`; otherwise the host name."""
    host = (urlsplit(link).hostname or "").removeprefix("www.").removeprefix("m.")
    for domain, name in _PLATFORMS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return host
