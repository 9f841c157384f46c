"""The site's URL segments, in the words of its language (pure).

An English site lives at `case-studies/`, `results/` and `case-studies/channel/tiktok/`; a
French one at `etudes-de-cas/`, `resultats/` and `etudes-de-cas/canal/tiktok/` (`urls:` in
portfolio.yaml chooses, default: the site's language). A second language of a bilingual
site lives under its own prefix (`en/`).
"""

from __future__ import annotations

from dataclasses import dataclass

URL_LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Urls:
    """Site-relative URLs of everything the build makes pages for."""

    work: str  # the list of work: case-studies
    results: str
    facets: tuple[tuple[str, str], ...]  # (kind | channel | skill, its segment)
    kinds: tuple[tuple[str, str], ...]  # (a kind of work, its segment)
    prefix: str = ""  # "en/": where a second language lives

    @property
    def home(self) -> str:
        return self.prefix

    @property
    def work_list(self) -> str:
        return f"{self.prefix}{self.work}/"

    @property
    def results_list(self) -> str:
        return f"{self.prefix}{self.results}/"

    @property
    def feed(self) -> str:
        return f"{self.prefix}feed.xml"

    def study(self, slug: str) -> str:
        return f"{self.prefix}{self.work}/{slug}/"

    def page(self, slug: str) -> str:
        return f"{self.prefix}{slug}/"

    def facet(self, facet: str, slug: str) -> str:
        """A filter page: a facet's segment, then the value (a kind by its segment too)."""
        if facet == "kind":
            slug = dict(self.kinds).get(slug, slug)
        return f"{self.prefix}{self.work}/{dict(self.facets)[facet]}/{slug}/"

    def reserved(self) -> set[str]:
        """Top-level names a free page may not take in this scheme."""
        return {self.work, self.results}


SCHEMES = {
    "en": Urls(
        "case-studies",
        "results",
        (("kind", "kind"), ("channel", "channel"), ("skill", "skill")),
        (),
    ),
    "fr": Urls(
        "etudes-de-cas",
        "resultats",
        (("kind", "type"), ("channel", "canal"), ("skill", "competence")),
        (
            ("agency", "agence"),
            ("volunteer", "benevolat"),
            ("personal", "personnel"),
            ("school", "ecole"),
        ),
    ),
}


def scheme(words: str, prefix: str = "") -> Urls:
    """The URLs in `words` (en or fr), under `prefix`."""
    base = SCHEMES[words]
    return Urls(base.work, base.results, base.facets, base.kinds, prefix)
