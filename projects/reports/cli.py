"""`flask report project SLUG -o FILE.pdf`, `flask report portfolio -o FILE.pdf|.csv`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from projects.db import db, utcnow
from projects.editions import active_edition
from projects.projects.models import Project
from projects.reports.portfolio_csv import portfolio_csv_lines
from projects.reports.portfolio_report import build_portfolio_report
from projects.reports.project_report import build_project_report
from projects.reports.render import portfolio_pdf, project_pdf

report_cli = AppGroup("report", help="Write readiness reports to files.")


def _output(path: str) -> Path:
    """Check the output path before any work, with messages a person can act on."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise click.ClickException(
            f"{path} is a folder; give a file name, such as {path}/report.pdf"
        )
    if not folder.is_dir():
        raise click.ClickException(f"The folder {folder} does not exist. Create it first.")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise click.ClickException(f"Cannot write to {path}: permission denied.")
    return target


def _write(target: Path, data: bytes) -> None:
    try:
        target.write_bytes(data)
    except OSError as error:
        raise click.ClickException(f"Cannot write to {target}: {error.strerror}.") from None


class _Progress:
    """A progress bar on a terminal; plain lines (one per stage) when not."""

    def __init__(self, label: str):
        self.label = label
        self.tty = sys.stderr.isatty()
        self.bar = None
        self.done = 0
        self.stage = None

    def __enter__(self):
        if self.tty:
            self.bar = click.progressbar(
                length=100, label=self.label, file=sys.stderr, show_eta=False
            )
            self.bar.__enter__()
        return self

    def __call__(self, percent: int, stage: str) -> None:
        if self.bar is not None:
            self.bar.label = f"{self.label}: {stage}"
            self.bar.update(max(percent - self.done, 0))
        elif stage != self.stage:
            click.echo(f"{percent:3d}% {stage}", err=True)
        self.done, self.stage = max(percent, self.done), stage

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@report_cli.command("project")
@click.argument("slug")
@click.option("-o", "--output", required=True, help="The PDF file to write.")
def project_command(slug: str, output: str):
    """Write one project's readiness report as PDF."""
    target = _output(output)
    with db.connection_context():
        project = Project.get_or_none(Project.slug == slug)
        if project is None:
            raise click.ClickException(
                f"No project has the slug {slug!r}. The slug is the last part of the "
                "project's web address, such as building-permits."
            )
        with _Progress(f"Report for {project.name}") as progress:
            progress(5, "Gathering the project")
            report = build_project_report(project, active_edition())
            rendered = project_pdf(report, progress)
    _write(target, rendered.pdf)
    click.echo(f"Wrote {target} ({rendered.pages} pages, {len(rendered.pdf) // 1024} KB).")


@report_cli.command("portfolio")
@click.option("-o", "--output", required=True, help="The file to write.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "csv"]),
    default=None,
    help="pdf (the default) or csv: one row per project. Taken from the file name if omitted.",
)
def portfolio_command(output: str, fmt: str | None):
    """Write the portfolio report of every active project, as PDF or CSV."""
    fmt = fmt or ("csv" if output.lower().endswith(".csv") else "pdf")
    target = _output(output)
    with db.connection_context(), _Progress("Portfolio report") as progress:
        progress(5, "Gathering the projects")
        if fmt == "csv":
            lines = list(portfolio_csv_lines(None, active_edition(), utcnow()))
            data, what = "".join(lines).encode("utf-8"), _counted(len(lines) - 1, "project")
            progress(100, "Done")
        else:
            report = build_portfolio_report(None, active_edition())
            rendered = portfolio_pdf(report, progress)
            data = rendered.pdf
            what = f"{_counted(len(report.rows), 'project')}, {rendered.pages} pages"
    _write(target, data)
    click.echo(f"Wrote {target} ({what}, {len(data) // 1024} KB).")


def _counted(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"
