"""`portfolio pdf`: the site rendered in memory (nothing is written but the cache), and its
PDF, or one application's, written to a file.

Kept apart from `pdf`, which lays a PDF out for the recipe: this command runs the recipe, so
in `pdf` it would make the two import each other.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from .applications import Application
from .errors import ContentErrors, Problems, UsageProblem
from .options import BuildOptions
from .output import check_output_file, check_output_outside, write_file
from .pdf import require
from .recipe import render_site


def write_pdf(
    root: Path, options: BuildOptions, application: str | None, output: str | None
) -> tuple[Path, int]:
    """`portfolio pdf`: build the site in memory (nothing is written but the cache) and
    write its PDF, or one application's, to `output` as given (default: ./portfolio.pdf, or
    ./portfolio-NAME.pdf with --for). Returns the file and its page count.

    A target that could destroy the user's work is refused (exit 2) before anything is
    rendered; only a theme folder, known once the theme is read, is refused after."""
    require()
    root = root.resolve()
    target = Path(output) if output else None
    if output is not None:
        check_output_file(output, root)
    problems = Problems()
    rendered = render_site(root, options, problems)
    problems.raise_if_any()
    site = rendered.site
    name = "portfolio.pdf"
    if application is not None:
        wanted = application.removesuffix(".md")
        found = [a for a in site.applications if wanted in (a.slug, a.path.stem, a.company)]
        if not found:
            why = _not_built(wanted, root, site.applications, problems)
            raise UsageProblem(f"--for {application}: {why}")
        name = f"{site.application_url(found[0])}portfolio.pdf"
    data = rendered.files.get(name)
    if not isinstance(data, bytes):
        raise ContentErrors(list(problems.errors))
    if target is None:
        target = Path.cwd() / ("portfolio.pdf" if application is None else f"portfolio-{found[0].slug}.pdf")
    where = check_output_file(output or str(target), root)
    check_output_outside(target, rendered.theme_dirs, "the PDF")
    write_file(where, data)
    import pypdf  # the pdf extra, there since require() passed

    return target, len(pypdf.PdfReader(io.BytesIO(data)).pages)


def _not_built(wanted: str, root: Path, built: Sequence[Application], problems: Problems) -> str:
    """Why no application called `wanted` is built today: expired, a draft, or none has
    that name (then the ones there are)."""
    for warning in problems.warnings:  # live() said "expired on 2025-01-01: ..." at `expires`
        if warning.field == "expires" and warning.path == f"content/applications/{wanted}.md":
            return warning.message
    if (root / "content" / "applications" / f"{wanted}.md").is_file():
        return "it is a draft, which is never built (set draft: false to build it)"
    known = ", ".join(sorted(a.path.stem for a in built)) or "none is built today"
    return f"no application of that name ({known})"
