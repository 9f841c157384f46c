"""Errors and warnings a user can cause, in SPEC.md's one-line format."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True)
class SourceError:
    """One problem in the user's files: `path:line: field: message` plus an optional hint."""

    path: str  # relative to the site folder, with forward slashes
    message: str
    line: int | None = None
    field: str = ""
    hint: str = ""

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return text + (f"\n  hint: {self.hint}" if self.hint else "")


class PortfolioError(click.ClickException):
    """A failure the user can act on: a clean message, exit code 1, no traceback."""

    exit_code = 1

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(self.format_message(), err=True)


class ContentErrors(PortfolioError):
    """Every content error of one build, reported at once."""

    def __init__(self, errors: list[SourceError]) -> None:
        self.errors = in_order(errors)
        count = len(self.errors)
        lines = [str(e) for e in self.errors]
        lines.append(f"{count} error{'s' if count != 1 else ''}; output/ was left as it was.")
        super().__init__("\n".join(lines))


class UsageProblem(PortfolioError):
    """A wrong command line (a refused --output, no site found): exit code 2."""

    exit_code = 2


def _order(e: SourceError) -> tuple[str, int, str]:
    return (e.path, e.line or 0, e.field)


def in_order(problems: list[SourceError]) -> list[SourceError]:
    """Problems by file, then line: the order a user fixes them in."""
    return sorted(problems, key=_order)


class Problems:
    """Collects the errors and warnings of one build so all are reported at once."""

    def __init__(self) -> None:
        self.errors: list[SourceError] = []
        self.warnings: list[SourceError] = []
        self._seen: set[tuple[bool, SourceError]] = set()  # an image shown on several pages is one problem

    def error(
        self, path: str, message: str, line: int | None = None, field: str = "", hint: str = ""
    ) -> None:
        self.add(SourceError(path, message, line, field, hint), warning=False)

    def warn(self, path: str, message: str, line: int | None = None, field: str = "", hint: str = "") -> None:
        self.add(SourceError(path, message, line, field, hint), warning=True)

    def add(self, problem: SourceError, warning: bool) -> None:
        """Record a problem once (a set, not a scan of the list: builds may warn thousands of times)."""
        key = (warning, problem)
        if key not in self._seen:
            self._seen.add(key)
            (self.warnings if warning else self.errors).append(problem)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentErrors(self.errors)
