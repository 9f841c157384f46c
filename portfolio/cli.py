"""The `portfolio` command: parse flags, call the library, print. Thin on purpose."""

from __future__ import annotations

import shutil
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .config import CONFIG_FILE, find_site
from .errors import SourceError, UsageProblem

if TYPE_CHECKING:
    from .build import BuildResult

_DEBUG = {"on": False}


def _site(site: str | None) -> Path:
    if site is not None:
        root = Path(site)
        if not (root / CONFIG_FILE).is_file():
            raise UsageProblem(f"--site {site}: no {CONFIG_FILE} in that folder")
        return root.resolve()
    found = find_site(Path.cwd())
    if found is None:
        raise UsageProblem(
            f"no {CONFIG_FILE} here or in any parent folder; run this inside "
            "your site, pass --site DIR, or start one with `portfolio init DIR`"
        )
    return found


def _warnings(warnings: list[SourceError]) -> None:
    for w in warnings:
        click.echo(click.style("warning: ", fg="yellow") + str(w), err=True)


def _debug_option(f):  # type: ignore[no-untyped-def]
    def enable(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        _DEBUG["on"] = _DEBUG["on"] or value

    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        callback=enable,
        is_eager=True,
        help="Show the Python traceback of an error.",
    )(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@_debug_option
@click.version_option(package_name="portfolio")
def cli() -> None:
    """Build a marketing portfolio from Markdown case studies into a folder of plain files."""


@cli.command()
@click.option(
    "--site",
    "site_dir",
    metavar="DIR",
    help="The site folder (default: here or the nearest parent holding portfolio.yaml).",
)
@click.option(
    "--output", metavar="DIR", help="Where to write the site (default: output/ in the site folder)."
)
@click.option("--base-url", metavar="URL", help="The address the site will be served from.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--no-cache", is_flag=True, help="Ignore .portfolio-cache/ and redo all work.")
@click.option("--timings", is_flag=True, help="Print the seconds of each stage and the work reused.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary line.")
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=256),
    metavar="N",
    help="Processes for Markdown and the leak guard (default: every core, on big sites).",
)
@_debug_option
def build(
    site_dir: str | None,
    output: str | None,
    base_url: str | None,
    strict: bool,
    no_cache: bool,
    timings: bool,
    quiet: bool,
    workers: int | None,
) -> None:
    """Build the site into its output folder."""
    from .build import build as run_build
    from .options import BuildOptions
    from .progressbar import TerminalProgress

    if output is not None and not output.strip():
        raise UsageProblem("--output: expected a folder, got an empty value")
    options = BuildOptions(
        output=Path(output).absolute() if output else None,
        base_url=base_url,
        strict=strict,
        use_cache=not no_cache,
        workers=workers or 0,
    )
    options.checked_base_url()  # a malformed --base-url is a command-line error, before any work
    root = _site(site_dir)
    progress = TerminalProgress() if sys.stderr.isatty() and not quiet else None
    result = run_build(root, options, progress)
    _print_build(result, quiet, timings)


def _print_build(result: BuildResult, quiet: bool = False, timings: bool = False) -> None:
    """The build's summary line, its warnings, and what consent changed."""
    if not quiet:
        _warnings(result.warnings)
    try:
        where = result.output.relative_to(Path.cwd())
    except ValueError:
        where = result.output
    changes = (
        "nothing changed since the last build"
        if result.replayed
        else f"{result.written} written, {result.unchanged} unchanged, {result.removed} removed"
        if result.swapped
        else "nothing changed"
    )
    kept = [f"{len(result.anonymized)} anonymized"] if result.anonymized else []
    kept += [f"{len(result.private)} private"] if result.private else []
    held = f" ({', '.join(kept)})" if kept else ""
    held += f", {len(result.held_back)} withheld" if result.held_back else ""
    held += f", {result.drafts} draft{'s' if result.drafts != 1 else ''}" if result.drafts else ""
    published = result.published + len(result.private)
    studies = "case study" if published == 1 else "case studies"
    click.echo(
        f"Built {result.pages} pages into {where}/ in {result.seconds:.2f} s "
        f"({changes}; images: {result.images_made} made, {result.images_cached} cached; "
        f"{published} {studies} published{held})."
    )
    if timings:
        _print_timings(result)
    if quiet:
        return
    for source, alias in result.anonymized:
        click.echo(f"  anonymized: {source}, shown as \u201c{alias}\u201d")
    for source, url in result.private:
        click.echo(f"  private: {source}, behind its password at {url}")
    for source, why in result.held_back:
        click.echo(f'  withheld: {source} ({why}; see "Client consent" in the README)')


def _print_timings(result: BuildResult) -> None:
    from .stages import timing_lines

    click.echo("Timings:")
    for line in timing_lines(result.timings):
        click.echo(line)
    c = result.counts
    click.echo(
        f"  pages: {c.pages_rendered} rendered, {c.pages_reused} reused; "
        f"Markdown: {c.markdown_parsed} parsed, {c.markdown_reused} reused; "
        f"images: {result.images_made} made, {result.images_cached} cached"
        + (f"; {c.discarded} damaged cache entries discarded" if c.discarded else "")
    )


@cli.command()
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    metavar="N",
    help="The port to listen on (default: 8000, or the next free one).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="H",
    help="The address to listen on; anything but 127.0.0.1 shows the preview, "
    "drafts included, to your network.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.option("--no-drafts", is_flag=True, help="Leave drafts out, as `build` does.")
@click.option(
    "--site",
    "site_dir",
    metavar="DIR",
    help="The site folder (default: here or the nearest parent holding portfolio.yaml).",
)
@_debug_option
def serve(port: int | None, host: str, open_browser: bool, no_drafts: bool, site_dir: str | None) -> None:
    """Preview the site, drafts included, reloading the browser on every change."""
    from .serve import serve as run_serve

    run_serve(_site(site_dir), host, port, open_browser, drafts=not no_drafts)


@cli.command()
@click.option(
    "--site",
    "site_dir",
    metavar="DIR",
    help="The site folder (default: here or the nearest parent holding portfolio.yaml).",
)
@click.option("--base-url", metavar="URL", help="The address the site will be served from, as for build.")
@click.option("--strict", is_flag=True, help="Exit with an error on warnings too.")
@click.option(
    "--external",
    is_flag=True,
    help="Also request every outside link (a few at a time) and report the dead ones as warnings.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=120),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="With --external: how long to wait for a site to answer.",
)
@_debug_option
def check(site_dir: str | None, base_url: str | None, strict: bool, external: bool, timeout: float) -> None:
    """Check everything without writing output/, and audit each case study."""
    from .check import ASCII_MARKS, UNICODE_MARKS, format_audit, summary
    from .check import check as run_check
    from .options import BuildOptions
    from .progressbar import TerminalProgress

    options = BuildOptions(base_url=base_url)
    options.checked_base_url()
    root = _site(site_dir)
    result = run_check(root, options, TerminalProgress() if sys.stderr.isatty() else None, external, timeout)
    utf8 = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "") == "utf8"
    if result.audit is not None:
        click.echo(click.style("Audit of " + str(root), bold=True))
        click.echo("")
        marks = UNICODE_MARKS if utf8 else ASCII_MARKS
        width = shutil.get_terminal_size().columns
        for line in format_audit(result.audit, _style, marks, width):
            click.echo(line)
        click.echo("")
    for w in result.warnings:
        click.echo(click.style("warning: ", fg="yellow") + str(w))
    for e in result.errors:
        click.echo(click.style("error: ", fg="red", bold=True) + str(e))
    if external:
        for w in result.dead:
            click.echo(click.style("dead link: ", fg="yellow") + str(w))
        if result.offline:
            reached = f"none of the {result.asked} could be reached: is this computer online?"
            click.echo(f"External links: {reached}")
        elif result.errors and not result.asked:
            click.echo("External links: not checked (fix the errors first).")
        else:
            dead = len(result.dead)
            click.echo(
                f"External links: {result.asked} checked, {dead} dead"
                + (" (warnings: they never fail the check)." if dead else ".")
            )
    counts = (
        f"{len(result.errors)} error{'s' if len(result.errors) != 1 else ''}, "
        f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}"
    )
    head = summary(result.audit) + ". " if result.audit else ""
    if result.errors:
        verdict = ": fix the errors, then build."
    elif strict and result.warnings:
        verdict = ": with --strict, warnings count as errors; fix them, then build."
    else:
        verdict = ": ready to build."
    click.echo(head + counts + verdict)
    if result.errors or (strict and result.warnings):
        sys.exit(1)


def _style(text: str, colour: str) -> str:
    if colour == "bold":
        return click.style(text, bold=True)
    if colour == "dim":
        return click.style(text, dim=True)
    return click.style(text, fg=colour) if colour else text


@cli.command()
@click.argument("directory", metavar="DIR")
@click.option(
    "--language",
    type=click.Choice(["en", "fr"]),
    default="en",
    show_default=True,
    help="The language of the site and of its examples.",
)
@click.option(
    "--github-pages",
    is_flag=True,
    help="Also write .github/workflows/portfolio.yml: GitHub builds and publishes the site on every push.",
)
@_debug_option
def init(directory: str, language: str, github_pages: bool) -> None:
    """Start a new site in DIR (empty or absent) with three example case studies."""
    from .starter import WORKFLOW, create_site, direct_url, requirement_of

    target = Path(directory)
    create_site(target, language, github_pages=github_pages)
    click.echo(
        f"Created a new portfolio in {target}/. Next:\n"
        f"  cd {target}\n  portfolio build\n"
        "then open output/index.html, and edit portfolio.yaml and content/."
    )
    if github_pages:
        click.echo(
            f"\nWrote {WORKFLOW}: push the folder to a GitHub repository, then in its "
            "Settings > Pages choose Source: GitHub Actions. Every push then builds and "
            "publishes the site (see Deploying in the README)."
        )
        requirement, reachable = requirement_of(direct_url())
        if not reachable:
            click.echo(
                f"note: this copy of portfolio was installed from a folder on this machine, which "
                f"GitHub cannot fetch; the workflow installs {requirement}. To build with your copy, "
                "put its git address on the workflow's PORTFOLIO: line "
                "(portfolio @ git+https://github.com/you/portfolio@main)."
            )


@cli.command()
@click.option("--remote", default="origin", show_default=True, metavar="R", help="The git remote to push to.")
@click.option(
    "--branch", default="gh-pages", show_default=True, metavar="B", help="The branch that holds the site."
)
@click.option("--message", "-m", metavar="M", help="The commit message (default: names the source commit).")
@click.option("--no-push", is_flag=True, help="Commit to the branch, but do not push it.")
@click.option(
    "--force", is_flag=True, help="Push with --force, replacing the branch on the remote (use with care)."
)
@click.option(
    "--site",
    "site_dir",
    metavar="DIR",
    help="The site folder (default: here or the nearest parent holding portfolio.yaml).",
)
@_debug_option
def deploy(
    remote: str, branch: str, message: str | None, no_push: bool, force: bool, site_dir: str | None
) -> None:
    """Build the site if it changed, commit it to a branch (gh-pages) and push it."""
    from .build import build as run_build
    from .config import load_config
    from .deploy import DeployOptions, check_repository
    from .deploy import deploy as run_deploy
    from .errors import ContentErrors, PortfolioError, Problems
    from .options import BuildOptions
    from .progressbar import TerminalProgress

    root = _site(site_dir)
    options = DeployOptions(remote, branch, message, push=not no_push, force=force)
    check_repository(root, options)
    if force:
        click.echo(
            click.style("warning: ", fg="yellow") + f"--force replaces {branch} on {remote}: "
            "commits there that this deploy does not contain are lost",
            err=True,
        )
    progress = TerminalProgress() if sys.stderr.isatty() else None
    try:
        result = run_build(root, BuildOptions(), progress)
    except ContentErrors as exc:
        click.echo(exc.format_message(), err=True)
        # Exit 1 as for any build with content errors (SPEC: 1 the content failed, 2 the
        # command line); the refusals before building are exit 2.
        raise PortfolioError(
            "refusing to deploy: the build has errors (above); fix them, then deploy"
        ) from None
    _print_build(result)
    config = load_config(root, Problems())
    done = run_deploy(root, result.output, config.base_url if config else None, options)
    what = f"{done.files} files" + (f" and CNAME ({done.cname})" if done.cname else "")
    if done.committed:
        line = f"Committed {what} to {done.branch} ({done.commit[:7]})"
    else:
        line = f"{done.branch} already holds this site ({done.commit[:7]}): nothing to commit"
    if done.pushed:
        line += f"; pushed to {remote}."
    elif no_push:
        line += f"; not pushed (--no-push): `git push {remote} {branch}` publishes it."
    else:
        line += f"; {remote} already has it."
    click.echo(line)


@cli.command()
@click.argument("title", required=False)
@click.option(
    "--kind",
    type=click.Choice(["client", "agency", "freelance", "volunteer", "personal", "school"]),
    default="client",
    show_default=True,
    help="What kind of work it was.",
)
@click.option(
    "--application",
    metavar="COMPANY",
    help="Instead: a page for one job application (content/applications/), with its own token.",
)
@click.option("--site", "site_dir", metavar="DIR", help="The site folder.")
@_debug_option
def new(title: str | None, kind: str, application: str | None, site_dir: str | None) -> None:
    """Add a case study with every field explained, as a draft (or, with --application, a
    page for one job application)."""
    from .starter import new_application, new_case_study

    root = _site(site_dir)
    if application is not None:
        if title is not None:
            raise UsageProblem("give either a TITLE or --application COMPANY, not both")
        path = new_application(root, application)
        click.echo(
            f"Created {path.relative_to(root)} (a draft: write the note, choose case_studies, then set "
            "`draft: false`). `portfolio applications` gives its address."
        )
        return
    if title is None:
        raise UsageProblem('give the case study\'s TITLE, e.g. portfolio new "Relaunching Maison Lune"')
    path = new_case_study(root, title, kind)
    click.echo(f"Created {path.relative_to(root)} (a draft: set `draft: false` to publish).")


@cli.command()
@click.option("--site", "site_dir", metavar="DIR", help="The site folder.")
@_debug_option
def applications(site_dir: str | None) -> None:
    """Each application's address and expiry, ready to paste into an application form."""
    from .application_list import listing

    root = _site(site_dir)
    rows, notes = listing(root)
    if not rows:
        click.echo("No application yet: `portfolio new --application COMPANY` starts one.")
    for row in rows:
        click.echo(row)
    for note in notes:
        click.echo(click.style("note: ", fg="yellow") + note, err=True)


@cli.command()
@click.option(
    "--options", "show_options", is_flag=True, help="Also print each theme's options and their defaults."
)
@click.option(
    "--words", "show_words", is_flag=True, help="Print every word of a theme, to override in `words:`."
)
@click.option(
    "--theme", "theme_name", default="default", show_default=True, help="The bundled theme (with --words)."
)
@click.option(
    "--language", type=click.Choice(["en", "fr"]), default="en", show_default=True, help="With --words."
)
@_debug_option
def themes(show_options: bool, show_words: bool, theme_name: str, language: str) -> None:
    """List the bundled themes, one line each (with --options, their options too; with
    --words, the words of one)."""
    from .locale import load_words
    from .themes import bundled, bundled_dir, lineage, lineage_options

    if not show_words:
        for name, description in bundled():
            click.echo(f"{name:8} {description}")
            if not show_options:
                continue
            options = lineage_options(bundled_dir() / name)
            shown = [
                f"{o.name}: {o.default}" + (f" ({' | '.join(o.choices)})" if o.choices else f" ({o.type})")
                for o in options
            ]
            if shown:
                click.echo(f"{'':8} theme_options: {'; '.join(shown)}")
        return
    names = [name for name, _ in bundled()]
    if theme_name not in names:
        raise click.UsageError(f"no bundled theme `{theme_name}`; the themes are {', '.join(names)}")
    words = load_words(lineage(bundled_dir() / theme_name), language)
    for key, text in sorted(words.items()):
        click.echo(f"{key}: {text}")


@cli.command()
@click.option("--for", "for_", metavar="APPLICATION", help="The PDF of one application (its file name).")
@click.option("--output", metavar="FILE", help="Where to write it (default: portfolio.pdf here).")
@click.option("--base-url", metavar="URL", help="The address the site is served from, for its links.")
@click.option("--site", "site_dir", metavar="DIR", help="The site folder.")
@_debug_option
def pdf(for_: str | None, output: str | None, base_url: str | None, site_dir: str | None) -> None:
    """The portfolio (or one application) as a PDF to attach, print and forward."""
    from .options import BuildOptions
    from .pdf_writer import write_pdf

    options = BuildOptions(base_url=base_url, pdf=True)
    options.checked_base_url()
    root = _site(site_dir)
    if output is not None and not output.strip():
        raise UsageProblem("--output: expected a file name, got an empty value")
    written, pages = write_pdf(root, options, for_, output)
    try:
        shown = written.relative_to(Path.cwd())
    except ValueError:
        shown = written
    click.echo(f"Wrote {shown} ({pages} pages, {written.stat().st_size / 1_000_000:.1f} MB).")


@cli.command("consent-request")
@click.argument("study", metavar="STUDY")
@click.option(
    "--language",
    type=click.Choice(["en", "fr"]),
    help="The language of the message (default: the site's).",
)
@click.option("--preview", is_flag=True, help="Also make the page as a PDF, as it would look with consent.")
@click.option("--site", "site_dir", metavar="DIR", help="The site folder.")
@_debug_option
def consent_request(study: str, language: str | None, preview: bool, site_dir: str | None) -> None:
    """Write the message asking a client for consent to show STUDY (a slug or a file), listing
    exactly what would be published; under consent-requests/, never published."""
    from .consent_request import consent_request as write

    root = _site(site_dir)
    written = write(root, study, language, preview)
    for path in (written.message, written.pdf):
        if path is not None:
            click.echo(f"Wrote {_shown_path(path)}")
    click.echo(
        f"Send it to the client. When they answer, set `consent:` in {written.source} "
        f"(now {written.consent}): granted, pending (shown anonymized), denied, or private."
    )


def _shown_path(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def main(argv: list[str] | None = None) -> None:
    """Entry point: clean one-line errors, tracebacks only with --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    _DEBUG["on"] = "--debug" in args
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show “ or ✓ gets ?
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        cli.main(args=args, prog_name="portfolio", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        if _DEBUG["on"] and not isinstance(exc, click.UsageError):
            traceback.print_exc()
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted; output/ was left as it was.", err=True)
        sys.exit(130)
    except Exception as exc:
        if _DEBUG["on"]:
            traceback.print_exc()
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in portfolio; run again with --debug for details.",
            err=True,
        )
        sys.exit(1)
