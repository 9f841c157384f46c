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
from .pdf import require
from .recipe import render_site


def write_pdf(
    root: Path, options: BuildOptions, application: str | None, target: Path | None
) -> tuple[Path, int]:
    """`portfolio pdf`: build the site in memory (nothing is written but the cache) and
    write its PDF, or one application's, to `target` (default: ./portfolio.pdf, or
    ./portfolio-NAME.pdf with --for). Returns the file and its page count."""
    require()
    root = root.resolve()
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
    if not target.parent.is_dir():
        raise UsageProblem(f"--output {target}: the folder {target.parent} does not exist")
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    import pypdf  # the pdf extra, there since require() passed

    return target, len(pypdf.PdfReader(io.BytesIO(data)).pages)
