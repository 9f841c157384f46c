"""What a build is asked to do: the options `build`, `check`, `serve` and `portfolio pdf` share.

Its own module so that the recipe (which renders) and `build` (which runs the recipe and
writes) both read the options without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import normalise_base_url
from .errors import UsageProblem


@dataclass(frozen=True)
class BuildOptions:
    output: Path | None = None  # default: <site>/output
    base_url: str | None = None
    strict: bool = False
    use_cache: bool = True
    workers: int = 0  # processes for Markdown and the leak guard; 0: every core when worth it
    pdf: bool = False  # make the PDFs even without `pdf:` in portfolio.yaml (portfolio pdf)

    def checked_base_url(self) -> str | None:
        """--base-url, normalised; a malformed one is a command-line error (exit 2)."""
        if self.base_url is None:
            return None
        base = normalise_base_url(self.base_url)
        if base is None:
            why = " (without a name and password: they would be published)" if "@" in self.base_url else ""
            raise UsageProblem(
                f"--base-url: expected a web address such as "
                f"https://camille.example.com/{why}, got {self.base_url!r}"
            )
        return base
