"""`portfolio pdf`: the site rendered in memory (nothing is written but the cache), and its
PDF, or one application's, written to a file.

Kept apart from `pdf`, which lays a PDF out for the recipe: this command runs the recipe, so
in `pdf` it would make the two import each other.
"""

from __future__ import annotations

import io
from pathlib import Path

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
            known = ", ".join(sorted(a.path.stem for a in site.applications)) or "none is built today"
            raise UsageProblem(f"--for {application}: no application of that name ({known})")
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
