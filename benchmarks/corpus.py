# ruff: noqa: E501  (the sentence banks and Hugo templates below read best one per line)
"""A deterministic corpus of realistic case studies, for the build benchmarks.

    python benchmarks/corpus.py OUT --studies N [--photos K] [--social-cards]
                                [--hugo DIR] [--pelican DIR]

OUT becomes a portfolio site: `portfolio.yaml` (title, author, base_url, `social_cards: false`
unless --social-cards) and N case studies under `content/case-studies/`. Each has 600-900 words
of varied marketing prose (`##` sections, a bullet list, one Markdown table), 3 metrics (a
before/after change with unit and source, a single value, and a monthly series of 6 points
drawn as a line chart), 2-3 collaborators, channels, skills and tags, and a client: about 85 %
with `consent: granted`, the rest `consent: pending` with an `anonymized_as` alias. Client names
are distinct invented brands and are never written out: titles, summaries and bodies say
`{client}`, so an anonymized study names its client nowhere (the leak guard checks it).

With --photos K, K photos from photos.py go to `content/images/` and are the studies' covers in
turn (portfolio only). --hugo and --pelican write the same studies for those tools: `{client}`
replaced by the name or the alias, the metrics as front matter (Hugo) or a table in the body
(Pelican), and minimal layouts or settings that produce the equivalent plain-text site (a home
list, a section list, one page per study, term pages for kinds, channels and skills, one feed).

Study i is the same text whatever N is (each has its own seeded generator), so a corpus of 100
studies is the first 100 of a corpus of 10,000, and the same command always writes the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

SEED = "portfolio-corpus-1"
BASE_URL = "https://bench.example/"
SITE_TITLE = "Sam Bench · Social & growth marketing"
AUTHOR = "Sam Bench"
ANONYMIZED_SHARE = 0.15

# Word banks

INDUSTRIES = [  # (industry, alias noun, brand word)
    ("Specialty coffee", "coffee roaster", "Coffee"),
    ("Bicycle retail", "bike shop", "Cycles"),
    ("Skincare", "skincare brand", "Skin"),
    ("Climbing gyms", "climbing gym", "Climbing"),
    ("Craft brewing", "craft brewery", "Brewing"),
    ("Fashion retail", "fashion label", "Studio"),
    ("B2B software", "software start-up", "Labs"),
    ("Fitness", "fitness studio", "Fitness"),
    ("Hospitality", "boutique hotel", "House"),
    ("Bakery", "family bakery", "Bakehouse"),
    ("Outdoor gear", "outdoor gear brand", "Outdoors"),
    ("Pet care", "pet food brand", "Pets"),
    ("Education", "language school", "Academy"),
    ("Furniture", "furniture maker", "Workshop"),
    ("Charity", "local charity", "Trust"),
    ("Live music", "music venue", "Hall"),
    ("Plant nursery", "plant shop", "Gardens"),
    ("Tea", "tea importer", "Tea Co"),
]
CITIES = [
    "Manchester", "Leeds", "Bristol", "Glasgow", "Lyon", "Dublin", "Cardiff", "Sheffield",
    "Brighton", "Edinburgh", "Nantes", "Liverpool", "Newcastle", "Belfast", "Porto", "Ghent",
    "Nottingham", "York", "Bordeaux", "Aberdeen",
]  # fmt: skip
CHANNELS = [
    "TikTok", "Instagram", "LinkedIn", "YouTube", "Pinterest", "Meta Ads", "Google Ads",
    "Email", "SEO", "Newsletter", "Threads", "Podcast",
]  # fmt: skip
SOCIAL = ["TikTok", "Instagram", "LinkedIn", "YouTube", "Pinterest", "Threads"]
SKILLS = [
    "Content strategy", "Paid social", "Community management", "Copywriting", "Analytics",
    "SEO", "Email marketing", "Influencer marketing", "Video editing", "Conversion optimisation",
    "Marketing automation", "Brand strategy", "Media buying", "Data visualisation",
]  # fmt: skip
TAGS = [
    "launch", "always-on", "ugc", "seasonal", "b2b", "e-commerce", "local", "retention",
    "rebrand", "awareness", "lead generation", "community", "food and drink", "sustainability",
]  # fmt: skip
CONTRIBUTIONS = [
    "Channel strategy", "Copywriting", "Paid social buying", "Creative testing",
    "Community management", "Reporting", "Conversion tracking", "Video scripting",
    "Influencer outreach", "Landing pages", "Email automation", "Keyword research",
]  # fmt: skip
ROLES = [
    "Social media manager", "Paid media specialist", "Content lead", "Growth marketer",
    "Email marketing manager", "SEO consultant", "Community manager", "Campaign lead",
    "Digital marketing executive", "Performance marketing lead",
]  # fmt: skip
COLLABORATOR_ROLES = [
    "Art direction", "Video editing", "Account director", "Photography", "Web development",
    "Data analysis", "Copy editing", "Motion design", "Media planning", "Client services",
]  # fmt: skip
FIRST_NAMES = [
    "Aisha", "Tom", "Grace", "Priya", "Ravi", "Léa", "Hugo", "Sofia", "Owen", "Maya", "Jonas",
    "Chloé", "Femi", "Hannah", "Marek", "Nina", "Callum", "Zainab", "Elliot", "Rosa", "Kofi",
    "Imogen", "Dev", "Freya", "Luca", "Amara", "Theo", "Ines", "Rory", "Yasmin",
]  # fmt: skip
LAST_NAMES = [
    "Karim", "Whitfield", "Oduya", "Shah", "Patel", "Dubois", "Petit", "Marsh", "Hughes",
    "Nowak", "Lindqvist", "Moreau", "Adeyemi", "Price", "Novak", "Brennan", "Fraser", "Qureshi",
    "Ashworth", "Ferreira", "Mensah", "Doyle", "Kaur", "Sinclair", "Rossi", "Okafor",
    "Lambert", "Costa", "Gallagher", "Haddad",
]  # fmt: skip
AGENCIES = [
    "Brightside Social",
    "Northlight Media",
    "Fieldwork Digital",
    "Open Door Agency",
    "Tidewater Creative",
]
TOOLS = [
    "GA4", "Looker Studio", "HubSpot", "Mailchimp", "Klaviyo", "Meta Ads Manager",
    "Google Search Console", "Semrush", "Canva", "CapCut", "Notion", "Airtable",
    "Sprout Social", "Hotjar", "Shopify Analytics",
]  # fmt: skip
FORMATS = [
    "short how-to videos", "behind-the-scenes stories", "carousel posts", "customer interviews",
    "weekly live sessions", "user-generated reviews", "myth-busting reels", "founder Q&As",
    "seasonal lookbooks", "data-led threads", "staff takeovers", "before-and-after posts",
    "quick polls", "long-form guides", "product explainers",
]  # fmt: skip
AUDIENCES = [
    "first-time buyers in their twenties", "busy parents", "local commuters",
    "small-business owners", "students on a budget", "returning customers",
    "hobbyists who already followed three competitors", "procurement teams",
    "weekend visitors", "people who had never heard of the brand", "lapsed subscribers",
    "office managers", "new residents of the area",
]  # fmt: skip
KPIS = [
    "engagement rate", "click-through rate", "cost per lead", "return on ad spend", "open rate",
    "conversion rate", "watch time", "share of voice", "organic sessions", "sign-ups",
    "repeat purchase rate", "average basket size", "follower growth", "bounce rate",
]  # fmt: skip
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
PROJECTS = [
    "relaunch", "launch", "growth", "community", "campaign", "always-on", "rebrand", "audit",
    "retention", "lead-gen", "seasonal-push", "content-engine",
]  # fmt: skip
OPENERS = [
    "In practice, ", "Early on, ", "By the third week, ", "Looking back, ",
    "On paper, ", "Crucially, ", "At first, ", "Over the following months, ", "From the start, ",
    "Honestly, ", "In the end, ",
]  # fmt: skip

# Sentence templates by section. Slots: {client} stays for portfolio to substitute; the others
# are filled here (see _fill).

CONTEXT = [
    "{client} runs {count_small} sites around {city} and sells online to {audience}.",
    "When the brief arrived in {month}, the {channel} account had stalled at {number} followers after a year of polished but quiet posts.",
    "The team behind {client} was small: a founder, a part-time designer and nobody who owned social media day to day.",
    "Most of the audience were {audience}, who found the brand through friends rather than through search.",
    "Sales were healthy in person, but the online shop carried only {percent} of revenue and the owners wanted that to change.",
    "{client} had tried {format} before, without a plan, and stopped after a few weeks when nothing seemed to move.",
    "Competitors in {city} were spending more on {channel} and were starting to show up in every local search.",
    "The marketing budget was {money} a month, split between {channel} and a newsletter that went out when someone remembered.",
    "Reporting lived in a spreadsheet that nobody trusted, so every decision came down to gut feeling.",
    "A new product range was due in {month}, and the launch date could not move.",
    "The brand had a loyal core of customers and a tone of voice that existed only in the founder's head.",
    "Previous agencies had delivered nice-looking content that never connected with {audience}.",
    "{client} wanted to grow without discounting, because margins were already thin.",
    "The website converted well on desktop but lost most visitors on mobile, where {percent} of the traffic came from.",
]
CHALLENGE = [
    "The brief was to make {channel} sell, not just entertain, on a budget that had not grown in two years.",
    "Nobody could say which posts brought in customers, because tracking had been set up twice and broken once.",
    "The main risk was fatigue: the same three ads had been running for {count_small} months to the same people.",
    "We had to reach {audience} without losing the regulars who already loved the brand.",
    "The existing content looked lovely and said nothing: no faces, no humour, no reason to follow.",
    "Paid campaigns were running to a broad audience at a cost per click that kept creeping up.",
    "The {kpi} had fallen for {count_small} quarters in a row, and the board wanted a plan within a month.",
    "Every piece of content needed sign-off from three people, which meant posts went out days late.",
    "The goal was ambitious but concrete: double the {kpi} by the end of the season.",
    "There was no content calendar, no brand guide and no shared folder of approved images.",
    "Search traffic was flat because the site's pages competed with each other for the same keywords.",
    "The email list was large but cold: fewer than one subscriber in ten had opened anything since {month}.",
]
DID_INTRO = [
    "I led the work day to day, with {collaborator} on {collaborator_role} and support from the founders.",
    "I planned the strategy and ran the channels myself, checking in with {collaborator} every week.",
    "Working with {collaborator}, I split the project into three phases: fix, test and scale.",
    "I started with a two-week audit, then rebuilt the plan around what the numbers said.",
    "The work ran over {count_small} months, two days a week, alongside {collaborator}.",
]
DID = [
    "We tested {count_small} formats for two weeks and kept the ones that beat the account's median {kpi}.",
    "I wrote every hook and script, and storyboarded the trickier shoots with {collaborator}.",
    "Each Monday I moved the two best organic posts into paid campaigns on {channel}.",
    "I rebuilt the tracking in {tool} so that every sale could be traced back to its channel.",
    "We replaced the broad audience with three segments, each with its own message and budget.",
    "I set up a shared calendar in {tool} so approvals took hours instead of days.",
    "We turned {format} into a weekly series, which made filming cheaper and gave people a reason to come back.",
    "I answered every comment within four hours on weekdays and reposted customer content with permission.",
    "Landing pages were rewritten to match each ad, with one clear call to action and a shorter form.",
    "We cleaned the email list, removed {number} inactive addresses and rebuilt the welcome sequence.",
    "I ran one creative test at a time, so every result had a clear winner before the next round began.",
    "We briefed {count_small} local creators and gave them freedom over the format, within a simple checklist.",
    "I built a weekly dashboard in {tool} that the founders could read in two minutes.",
    "Keyword research in {tool} showed {count_small} topics nobody local was covering, so we wrote guides for each.",
    "We moved the budget away from the worst-performing placements and into {channel}.",
]
BULLETS = [
    (
        "Tested before committing",
        "Two weeks of quick experiments told us more than a month of planning would have.",
    ),
    (
        "Fixed the tracking first",
        "One purchase event, deduplicated and checked against real orders for a fortnight.",
    ),
    ("Built recurring series", "Recurring {format} made production cheap and gave the audience a habit."),
    ("Turned winners into ads", "The best organic posts became paid creative every week on {channel}."),
    ("Wrote like the brand talks", "Short sentences, real names and the jokes the staff already made."),
    ("Segmented the audience", "Three groups, three messages, three budgets, reviewed every Friday."),
    ("Cut the approval chain", "One reviewer, a shared calendar in {tool}, and a 24-hour rule."),
    ("Answered every comment", "Replies within four hours on weekdays, in the brand's own voice."),
    (
        "Worked with local creators",
        "{count_small} creators, paid fairly, with a one-page brief and full creative freedom.",
    ),
    (
        "Rebuilt the welcome emails",
        "A five-part sequence that introduced the team before it asked for anything.",
    ),
    ("Reported weekly", "A one-page dashboard in {tool}, read by the founders every Monday morning."),
    ("Cleaned up search", "Merged competing pages, fixed titles and added answers to real questions."),
]
RESULTS = [
    "Over the project, the {kpi} rose from {percent_low} to {percent}, measured the same way before and after.",
    "Revenue attributed to {channel} reached {money} over the period, against {money_small} of spend.",
    "The cost per lead fell by {percent_low}, which freed budget for a second campaign in {month}.",
    "Follower numbers matter less than sales, but both moved: the account grew by {number} people.",
    "The founders now read the weekly dashboard and make budget decisions from it.",
    "The newsletter's open rate settled around {percent}, well above the sector's average.",
    "Organic search now brings in {percent} of new customers, up from almost none.",
    "Three of the formats we tested are still running today, handled by the in-house team.",
    "Customer reviews mentioned the videos by name, which was the best sign that people were watching.",
]
LEARNED = [
    "Personality beats production value, but only when it is planned.",
    "I now start every brief with a format test rather than a content calendar.",
    "Half of the improvement came before any new ad ran: the old account was being measured wrongly.",
    "Small budgets reward focus: one channel done well beat four channels done badly.",
    "Approvals are a marketing problem too; fixing them bought us more time than any tool.",
    "Working with {collaborator} taught me to brief creatives with a problem, not a solution.",
    "Next time I would agree the reporting with the client before the first post goes out.",
    "The numbers only convinced people once they could see them every week in one place.",
    "Creators know their audience better than any brief does, so the brief should be short.",
    "I would test the landing page earlier; it turned out to matter more than the ads.",
    "A clear weekly rhythm did more for morale than any single viral post.",
]
EXTRA = [  # padding paragraphs, added to What I did or What I learned until the word count is reached
    "{opener}we kept a log of every test: what we changed, what we expected and what happened. It made the weekly review quick and stopped us from repeating ideas that had already failed.",
    "{opener}the biggest shift was cultural rather than technical. Once the team saw that a rough phone video could outperform a studio shoot, they started suggesting ideas themselves, and the backlog never ran dry again.",
    "{opener}budget pacing needed care. We front-loaded spend in the first week of each month, when {audience} were most likely to buy, and held back a reserve for whatever worked best.",
    "{opener}not everything landed. A series of {format} that looked promising in the test fell flat at scale, and we stopped it after three weeks rather than hoping it would recover.",
    "{opener}the reporting changed the conversation with {client}. Instead of asking whether social media worked, the founders started asking which post to make next.",
    "{opener}I spent time with the staff on the shop floor to hear the questions customers actually asked. Those questions became the hooks of our best-performing posts.",
    "{opener}we checked every claim in the ads against the product sheets, which slowed us down a little and saved us from two complaints that competitors received that season.",
    "{opener}seasonality made comparisons tricky, so every figure here compares the same weeks of the year, with the same tracking setup on both sides.",
]


@dataclass
class Metric:
    """One metric as the corpus writes it, before it is turned into each tool's format."""

    label: str
    unit: str
    source: str
    contribution: str = ""
    before: float | None = None
    after: float | None = None
    better: str = ""
    value: float | None = None
    series: list[tuple[str, int]] = field(default_factory=list)
    headline: bool = False


@dataclass
class Study:
    """One case study: its fields, and its body with `{client}` left in."""

    index: int
    slug: str
    title: str
    date: str
    period: tuple[str, str]
    summary: str
    kind: str
    employer: str
    client_name: str
    industry: str
    consent: str
    alias: str
    role: str
    contributions: list[str]
    collaborators: list[tuple[str, str]]
    channels: list[str]
    skills: list[str]
    tags: list[str]
    metrics: list[Metric]
    body: str
    featured: bool
    cover: str = ""

    @property
    def shown_client(self) -> str:
        """The client as visitors see it: the name, or the alias while consent is pending."""
        return self.client_name if self.consent == "granted" else self.alias


# Client names: invented words, distinct for every index


_ONSETS = [
    "b",
    "d",
    "f",
    "g",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "br",
    "dr",
    "kr",
    "tr",
    "st",
    "sk",
]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ei"]
_SYLLABLES = [o + v for o in _ONSETS for v in _VOWELS]  # 160
_NAME_SPACE = len(_SYLLABLES) ** 3
_NAME_STEP = 1_234_577  # coprime with 160**3: index -> name is a bijection


def _vocabulary() -> set[str]:
    """Every word the generator can write, lower-cased: a client name must not be one of them."""
    banks = [CITIES, CHANNELS, SKILLS, TAGS, CONTRIBUTIONS, ROLES, COLLABORATOR_ROLES, FIRST_NAMES]
    banks += [LAST_NAMES, AGENCIES, TOOLS, FORMATS, AUDIENCES, KPIS, MONTHS, OPENERS, CONTEXT]
    banks += [CHALLENGE, DID_INTRO, DID, RESULTS, LEARNED, EXTRA, [b for pair in BULLETS for b in pair]]
    banks += [[w for row in INDUSTRIES for w in row]]
    return {w.lower() for bank in banks for text in bank for w in re.findall(r"[A-Za-zÀ-ÿ]+", text)}


VOCABULARY = _vocabulary()


def client_word(index: int) -> str:
    """A pronounceable invented word, different for every index (and never an English word here)."""
    n = (index * _NAME_STEP + 7919) % _NAME_SPACE
    parts = []
    for _ in range(3):
        n, digit = divmod(n, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
    word = "".join(parts)
    if word in VOCABULARY:  # 7 letters or more never collide with a plain 3-syllable word
        word += "x"
    return word.capitalize()


# Text


def _article(phrase: str) -> str:
    return ("an " if phrase[0].lower() in "aeiou" else "a ") + phrase


class Writer:
    """Sentences for one study: its generator, its context (city, channels, collaborators),
    and each bank dealt like a deck, so a template comes back only once all the others have."""

    def __init__(self, rng: random.Random, city: str, channels: list[str], collaborators: list[str]) -> None:
        self.rng = rng
        self.city = city
        self.channels = channels
        self.collaborators = collaborators
        self.decks: dict[int, list[str]] = {}

    def draw(self, bank: list[str], count: int) -> list[str]:
        out: list[str] = []
        while len(out) < count:
            deck = self.decks.get(id(bank))
            if not deck:
                deck = self.decks[id(bank)] = self.rng.sample(bank, len(bank))
            out.append(deck.pop())
        return out

    def fill(self, template: str) -> str:
        """Fill a template's slots (all but {client}) from the study's context and the banks."""
        rng = self.rng
        values = {
            "client": "{client}",
            "city": self.city,
            "channel": rng.choice(self.channels),
            "collaborator": rng.choice(self.collaborators),
            "collaborator_role": rng.choice(COLLABORATOR_ROLES).lower(),
            "audience": rng.choice(AUDIENCES),
            "format": rng.choice(FORMATS),
            "kpi": rng.choice(KPIS),
            "tool": rng.choice(TOOLS),
            "month": rng.choice(MONTHS),
            "number": f"{rng.randint(12, 480) * 100:,}",
            "count_small": rng.choice(["two", "three", "four", "five", "six", "nine"]),
            "percent": f"{rng.randint(18, 74)}%",
            "percent_low": f"{rng.randint(3, 17)}%",
            "money": f"£{rng.randint(15, 95) * 100:,}",
            "money_small": f"£{rng.randint(3, 14) * 100:,}",
            "opener": self.draw(OPENERS, 1)[0] if rng.random() < 0.3 else "",
        }
        text = template.format(**values)
        return text[0].upper() + text[1:] if not text.startswith("{") else text

    def sentence(self, bank: list[str]) -> str:
        """One sentence from `bank`, now and then after an opener ("Early on, ")."""
        text = self.fill(self.draw(bank, 1)[0])
        if self.rng.random() < 0.2 and not text.startswith(("{", "I ")):
            text = self.draw(OPENERS, 1)[0] + text[0].lower() + text[1:]
        return text

    def paragraph(self, bank: list[str], low: int = 3, high: int = 5) -> str:
        return " ".join(self.sentence(bank) for _ in range(self.rng.randint(low, high)))


def _words(text: str) -> int:
    return len(re.findall(r"\w\S*", text))


def _body(w: Writer, metrics: list[Metric]) -> str:
    """The Markdown body: five `##` sections, a bullet list and a table, 600-900 words."""
    rng = w.rng
    target = rng.randint(610, 790)
    context = [w.paragraph(CONTEXT), w.paragraph(CONTEXT, 2, 4)]
    challenge = [w.paragraph(CHALLENGE)]
    bullets = "\n".join(
        f"- **{title}.** {w.fill(text)} {w.sentence(DID)}"
        for title, text in rng.sample(BULLETS, rng.randint(4, 6))
    )
    did = [w.sentence(DID_INTRO), bullets, w.paragraph(DID, 2, 4)]
    change = metrics[0]
    rows = [
        f"| {change.label} | {_figure(change.before, change.unit)} | {_figure(change.after, change.unit)} |",
        f"| {metrics[2].label} | {metrics[2].series[0][1]:,} | {metrics[2].series[-1][1]:,} |",
    ]
    for kpi in rng.sample([k for k in KPIS if k not in change.label.lower()], rng.randint(1, 3)):
        low = rng.randint(10, 400)
        rows.append(f"| {kpi.capitalize()} | {low:,} | {low + rng.randint(5, 600):,} |")
    table = "| Metric | Before | After |\n|---|---:|---:|\n" + "\n".join(rows)
    results = [w.paragraph(RESULTS, 2, 3), table, w.paragraph(RESULTS, 1, 2)]
    learned = [w.paragraph(LEARNED, 2, 4)]
    sections = [("Context", context), ("Challenge", challenge), ("What I did", did)]
    sections += [("Results", results), ("What I learned", learned)]
    extras = rng.sample(EXTRA, len(EXTRA))

    def count() -> int:
        return sum(_words(p) for _, parts in sections for p in parts)

    while count() < target and extras:
        where = did if rng.random() < 0.6 else learned
        where.append(w.fill(extras.pop()))
    while count() < target:
        where = context if rng.random() < 0.5 else learned
        where.append(w.paragraph(DID + LEARNED, 2, 3))
    return "\n\n".join(f"## {title}\n\n" + "\n\n".join(parts) for title, parts in sections) + "\n"


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    number = f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit in {"£", "€", "$"}:
        return unit + number
    return f"{number}{unit}" if unit in {"%", "x"} else f"{number} {unit}"


# Studies


def _month(year: int, month: int, add: int) -> tuple[int, int]:
    total = year * 12 + month - 1 + add
    return total // 12, total % 12 + 1


def _metrics(rng: random.Random, channels: list[str], start: tuple[int, int]) -> list[Metric]:
    """A change (headline), a single value and a 6-month series."""
    y0, m0 = start
    y1, m1 = _month(y0, m0, 5)
    compared = f"{MONTHS[m0 - 1]} {y0} vs {MONTHS[m1 - 1]} {y1}"
    tool = rng.choice(TOOLS)
    kind = rng.randrange(4)
    if kind == 0:
        before = round(rng.uniform(0.6, 3.0), 1)
        change = Metric(f"{channels[0]} engagement rate", "%", f"{tool}, 28-day average, {compared}")
        change.before, change.after = before, round(before * rng.uniform(1.4, 4.0), 1)
    elif kind == 1:
        before = round(rng.uniform(0.4, 1.6), 2)
        change = Metric("Cost per click", "£", f"{tool}, campaign reports, {compared}", better="lower")
        change.before, change.after = before, round(before * rng.uniform(0.35, 0.8), 2)
    elif kind == 2:
        before = round(rng.uniform(0.8, 3.5), 1)
        change = Metric("Landing page conversion rate", "%", f"{tool}, sessions from paid social, {compared}")
        change.before, change.after = before, round(before * rng.uniform(1.3, 2.8), 1)
    else:
        before = float(rng.randint(40, 400))
        change = Metric("Newsletter sign-ups per month", "sign-ups", f"{tool} list growth report, {compared}")
        change.before, change.after = before, float(round(before * rng.uniform(1.3, 3.5)))
    change.contribution = rng.choice(
        [
            "I planned the content and ran every test.",
            "I rebuilt the campaigns; the budget did not change.",
            "I wrote the copy and set up the tracking that measures it.",
        ]
    )
    change.headline = True
    value = Metric(
        "Revenue attributed to social",
        rng.choice(["£", "€"]),
        f"Shop orders with UTM tags, {compared}",
        contribution="I set up the UTM scheme and the monthly report.",
        value=float(rng.randint(20, 900) * 100),
    )
    followers = rng.randint(800, 12000)
    points = []
    for step in range(6):
        year, month = _month(y0, m0, step)
        points.append((f"{year}-{month:02d}", followers))
        followers = int(followers * rng.uniform(1.04, 1.35))
    series = Metric(
        f"{channels[0]} followers",
        "followers",
        f"{channels[0]} analytics, follower count on the first of each month",
        series=points,
    )
    return [change, value, series]


def make_study(index: int) -> Study:
    """Study `index` (from 1); the same index always gives the same study."""
    rng = random.Random(f"{SEED}-{index}")
    industry, alias_noun, brand_word = rng.choice(INDUSTRIES)
    city = rng.choice(CITIES)
    client_name = f"{client_word(index)} {brand_word}"
    anonymized = rng.random() < ANONYMIZED_SHARE
    social = rng.choice(SOCIAL)  # first: the channel whose followers the series counts
    channels = [social, *rng.sample([c for c in CHANNELS if c != social], rng.randint(1, 2))]
    collaborators = [
        (f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", rng.choice(COLLABORATOR_ROLES))
        for _ in range(rng.randint(2, 3))
    ]
    kind = rng.choice(["agency", "agency", "freelance", "client"])
    year = rng.randint(2021, 2025)
    start = (year, rng.randint(1, 12))
    end = _month(*start, 5)
    metrics = _metrics(rng, channels, start)
    writer = Writer(rng, city, channels, [name.split()[0] for name, _ in collaborators])
    project = rng.choice(PROJECTS)
    slug = f"{_slug(channels[0])}-{project}-{index:05d}"
    change = metrics[0]
    title = rng.choice(
        [
            f"Relaunching {{client}} on {channels[0]}",
            f"A {channels[0]} {project.replace('-', ' ')} for {{client}}",
            f"Growing {channels[0]} and {channels[1]} for {{client}}",
            "More customers from the same budget for {client}",
            f"Turning {channels[0]} followers into buyers for {{client}}",
            f"How {{client}} got its {channels[1]} audience back",
        ]
    )
    summary = (
        f"{change.label} from {_figure(change.before, change.unit)} to {_figure(change.after, change.unit)} "
        f"for {{client}} in six months, with {channels[0]} and {channels[1]}."
    )
    return Study(
        index=index,
        slug=slug,
        title=title,
        date=f"{end[0]}-{end[1]:02d}-{rng.randint(1, 28):02d}",
        period=(f"{start[0]}-{start[1]:02d}", f"{end[0]}-{end[1]:02d}"),
        summary=summary,
        kind=kind,
        employer=rng.choice(AGENCIES) if kind == "agency" else "",
        client_name=client_name,
        industry=industry,
        consent="pending" if anonymized else "granted",
        alias=f"{_article(city)} {alias_noun}" if anonymized else "",
        role=rng.choice(ROLES),
        contributions=rng.sample(CONTRIBUTIONS, rng.randint(3, 5)),
        collaborators=collaborators,
        channels=channels,
        skills=rng.sample(SKILLS, rng.randint(2, 4)),
        tags=rng.sample(TAGS, rng.randint(2, 3)),
        metrics=metrics,
        body=_body(writer, metrics),
        featured=index % 100 == 1,
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# Writers


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def _list(values: list[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _metric_yaml(metric: Metric, indent: str = "  ") -> str:
    lines = [f"{indent}- label: {_q(metric.label)}"]
    pad = indent + "  "
    if metric.before is not None and metric.after is not None:
        lines += [f"{pad}before: {_number(metric.before)}", f"{pad}after: {_number(metric.after)}"]
    if metric.value is not None:
        lines.append(f"{pad}value: {_number(metric.value)}")
    if metric.series:
        lines.append(f"{pad}series:")
        lines += [f'{pad}  - {{x: "{x}", y: {y}}}' for x, y in metric.series]
        lines.append(f"{pad}chart: line")
    lines.append(f"{pad}unit: {_q(metric.unit)}")
    if metric.better:
        lines.append(f"{pad}better: {metric.better}")
    lines.append(f"{pad}source: {_q(metric.source)}")
    if metric.contribution:
        lines.append(f"{pad}contribution: {_q(metric.contribution)}")
    if metric.headline:
        lines.append(f"{pad}headline: true")
    return "\n".join(lines)


def portfolio_markdown(study: Study) -> str:
    """The case study as portfolio reads it: YAML front matter and `{client}` in the text."""
    lines = [
        "---",
        f"title: {_q(study.title)}",
        f"date: {study.date}",
        f"period: {{start: {study.period[0]}, end: {study.period[1]}}}",
        f"summary: {_q(study.summary)}",
        f"kind: {study.kind}",
    ]
    if study.employer:
        lines.append(f"employer: {_q(study.employer)}")
    lines += [
        "client:",
        f"  name: {_q(study.client_name)}",
        f"  industry: {_q(study.industry)}",
        f"  url: https://{_slug(study.client_name).replace('-', '')}.example",
        f"  consent: {study.consent}",
    ]
    if study.alias:
        lines.append(f"  anonymized_as: {_q(study.alias)}")
    lines += [
        f"role: {_q(study.role)}",
        f"contributions: {_list(study.contributions)}",
        "collaborators:",
        *(f"  - {{name: {_q(name)}, role: {_q(role)}}}" for name, role in study.collaborators),
        f"team_size: {len(study.collaborators) + 1}",
        f"channels: {_list(study.channels)}",
        f"skills: {_list(study.skills)}",
        f"tags: {_list(study.tags)}",
    ]
    if study.cover:
        lines.append(
            f"cover: {{src: ../images/{study.cover}, alt: {_q('Campaign visuals for ' + study.channels[0])}}}"
        )
    lines.append("metrics:")
    lines += [_metric_yaml(m) for m in study.metrics]
    if study.featured:
        lines.append("featured: true")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + study.body


def portfolio_config(social_cards: bool) -> str:
    return (
        f"title: {_q(SITE_TITLE)}\n"
        "language: en\n"
        f"base_url: {BASE_URL}\n"
        "author:\n"
        f"  name: {AUTHOR}\n"
        "  headline: Social and growth marketer for independent brands\n"
        "  pitch: |\n"
        "    I plan, make and measure social campaigns for independent brands, and I can show\n"
        "    what each one earned.\n"
        "  location: Manchester, UK\n"
        "  email: sam@bench.example\n"
        f"social_cards: {'true' if social_cards else 'false'}\n"
    )


def _client_text(study: Study, text: str) -> str:
    return text.replace("{client}", study.shown_client)


def _sentence_case(text: str) -> str:
    """A capital letter after a full stop or at a paragraph's start, where an alias begins one."""
    return re.sub(r"(^|[.!?]\s+|\n)(a|an) ", lambda m: m[1] + m[2].capitalize() + " ", text)


def hugo_markdown(study: Study) -> str:
    """YAML front matter with the metrics as params (the layout shows them as a table)."""
    lines = [
        "---",
        f"title: {_q(_client_text(study, study.title))}",
        f"date: {study.date}",
        f"summary: {_q(_client_text(study, study.summary))}",
        f"kinds: [{study.kind}]",
        f"channels: {_list(study.channels)}",
        f"skills: {_list(study.skills)}",
        "params:",
        f"  role: {_q(study.role)}",
        f"  client: {_q(study.shown_client)}",
        f"  featured: {'true' if study.featured else 'false'}",
        f"  tags: {_list(study.tags)}",
        f"  collaborators: {_list([f'{n} ({r})' for n, r in study.collaborators])}",
        "  metrics:",
        *(_metric_yaml(m, "    ") for m in study.metrics),
        "---",
    ]
    return "\n".join(lines) + "\n\n" + _sentence_case(_client_text(study, study.body))


def _metrics_table(study: Study) -> str:
    rows = []
    for m in study.metrics:
        if m.series:
            figure = ", ".join(f"{x}: {y:,}" for x, y in m.series)
        elif m.value is not None:
            figure = _figure(m.value, m.unit)
        else:
            figure = f"{_figure(m.before, m.unit)} → {_figure(m.after, m.unit)}"
        rows.append(f"| {m.label} | {figure} | {m.source} |")
    return "| Metric | Figure | Source |\n|---|---|---|\n" + "\n".join(rows)


def pelican_markdown(study: Study) -> str:
    """Metadata headers, then the facts, the body and the metrics as a Markdown table."""
    collaborators = ", ".join(f"{n} ({r})" for n, r in study.collaborators)
    headers = [
        f"Title: {_client_text(study, study.title)}",
        f"Date: {study.date}",
        f"Category: {study.kind.capitalize()}",
        f"Tags: {', '.join(study.channels + study.skills)}",
        f"Slug: {study.slug}",
        f"Summary: {_client_text(study, study.summary)}",
    ]
    facts = (
        f"**Role:** {study.role} · **Client:** {study.shown_client} · **With:** {collaborators}\n\n"
        f"**Channels:** {', '.join(study.channels)} · **Tags:** {', '.join(study.tags)}\n"
    )
    body = _sentence_case(_client_text(study, study.body))
    return (
        "\n".join(headers)
        + "\n\n"
        + facts
        + "\n"
        + body
        + "\n## Results in figures\n\n"
        + _metrics_table(study)
        + "\n"
    )


HUGO_CONFIG = f"""baseURL = "{BASE_URL}"
title = "{SITE_TITLE}"
locale = "en"
relativeURLs = true
enableRobotsTXT = true

[taxonomies]
  kind = "kinds"
  channel = "channels"
  skill = "skills"

[outputs]
  home = ["html", "rss"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html"]
"""
HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head><body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a> · <a href="{{ "case-studies/" | relURL }}">Case studies</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
""",
    "home.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul>{{ range where (where site.RegularPages "Section" "case-studies") "Params.featured" true }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>
<p><a href="{{ "case-studies/" | relURL }}">All case studies</a></p>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "2 January 2006" }}</time> {{ .Summary }}</li>{{ end }}</ul>{{ end }}
""",
    "single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Summary }}</p>
<dl><dt>Role</dt><dd>{{ .Params.role }}</dd><dt>Client</dt><dd>{{ .Params.client }}</dd>
<dt>With</dt><dd>{{ delimit .Params.collaborators ", " }}</dd>
<dt>Channels</dt><dd>{{ range .GetTerms "channels" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>
<dt>Skills</dt><dd>{{ range .GetTerms "skills" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd></dl>
{{ .Content }}
<h2>Results</h2>
<table><tr><th>Metric</th><th>Figure</th><th>Source</th></tr>
{{ range .Params.metrics }}<tr><td>{{ .label }}</td><td>{{ if .series }}{{ range .series }}{{ .x }}: {{ .y }} {{ end }}{{ else if .value }}{{ .value }}{{ else }}{{ .before }} → {{ .after }}{{ end }} {{ .unit }}</td><td>{{ .source }}</td></tr>
{{ end }}</table></article>{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Not found</h1>{{ end }}
""",
}
PELICAN_CONFIG = f'''AUTHOR = "{AUTHOR}"
SITENAME = "{SITE_TITLE}"
SITEURL = "{BASE_URL.rstrip("/")}"
RELATIVE_URLS = True
PATH = "content"
ARTICLE_PATHS = ["case-studies"]
STATIC_PATHS = []
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "simple"
DEFAULT_PAGINATION = False
ARTICLE_URL = "case-studies/{{slug}}/"
ARTICLE_SAVE_AS = "case-studies/{{slug}}/index.html"
CATEGORY_URL = "kinds/{{slug}}/"
CATEGORY_SAVE_AS = "kinds/{{slug}}/index.html"
TAG_URL = "tags/{{slug}}/"
TAG_SAVE_AS = "tags/{{slug}}/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "archives"]
ARCHIVES_SAVE_AS = "case-studies/index.html"
FEED_ALL_ATOM = "feed.xml"
FEED_ALL_RSS = None
FEED_MAX_ITEMS = None
CATEGORY_FEED_ATOM = None
TAG_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
CACHE_PATH = "cache"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
'''


def write_portfolio(out: Path, studies: list[Study], social_cards: bool, photos: list[Path]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "portfolio.yaml").write_text(portfolio_config(social_cards), encoding="utf-8")
    folder = out / "content" / "case-studies"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for study in studies:
        if photos:
            study.cover = photos[(study.index - 1) % len(photos)].name
        (folder / f"{study.slug}.md").write_text(portfolio_markdown(study), encoding="utf-8")


def write_hugo(out: Path, studies: list[Study]) -> None:
    folder = out / "content" / "case-studies"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (out / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (folder / "_index.md").write_text('---\ntitle: "Case studies"\n---\n', encoding="utf-8")
    layouts = out / "layouts"
    layouts.mkdir(exist_ok=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    for study in studies:
        (folder / f"{study.slug}.md").write_text(hugo_markdown(study), encoding="utf-8")


def write_pelican(out: Path, studies: list[Study]) -> None:
    folder = out / "content" / "case-studies"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (out / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    for study in studies:
        (folder / f"{study.slug}.md").write_text(pelican_markdown(study), encoding="utf-8")


def generate(
    out: Path,
    count: int,
    photos: int = 0,
    social_cards: bool = False,
    hugo: Path | None = None,
    pelican: Path | None = None,
) -> list[Study]:
    """Write the corpus (and its Hugo and Pelican versions where asked); the studies written."""
    studies = [make_study(index) for index in range(1, count + 1)]
    images: list[Path] = []
    if photos:
        from photos import generate as generate_photos  # Pillow, only when photos are asked for

        images = generate_photos(out / "content" / "images", photos)
    write_portfolio(out, studies, social_cards, images)
    if hugo is not None:
        write_hugo(hugo, studies)
    if pelican is not None:
        write_pelican(pelican, studies)
    return studies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the portfolio site to write")
    parser.add_argument("--studies", type=int, required=True, help="how many case studies")
    parser.add_argument("--photos", type=int, default=0, help="photos made by photos.py, used as covers")
    parser.add_argument("--social-cards", action="store_true", help="social_cards: true in portfolio.yaml")
    parser.add_argument("--hugo", type=Path, help="also write the corpus as a Hugo site there")
    parser.add_argument("--pelican", type=Path, help="also write the corpus as a Pelican site there")
    args = parser.parse_args()
    studies = generate(args.out, args.studies, args.photos, args.social_cards, args.hugo, args.pelican)
    hidden = sum(1 for s in studies if s.consent != "granted")
    print(f"Wrote {len(studies)} case studies ({hidden} anonymized) into {args.out}")


if __name__ == "__main__":
    main()
