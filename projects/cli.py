"""Commands for scripts and operators that belong to no one feature: demo data, playbook
editions, backup and restore. Features add their own (`create-user` in admin, `report` in
reports)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from playbook.edition import (
    EditionError,
    Problem,
    default_edition,
    edition_from_dict,
    load_edition_file,
)
from projects.backups import backup_command, restore_command
from projects.db import db
from projects.editions import ImportRefused, active_edition, import_edition


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(playbook_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(scores_cli)


@click.command("seed-demo")
@click.option(
    "--projects",
    "generated",
    type=click.IntRange(0, 100_000),
    default=0,
    help="Also add this many generated projects, to try the app at scale.",
)
def seed_demo(generated: int):
    """Load the demo portfolio (safe to run again: nothing is duplicated), and with --projects N
    add N generated projects (each run adds N more)."""
    from projects.demo import DEMO_PASSWORD, seed
    from projects.demo_scale import seed_projects

    with db.connection_context():
        created = seed()
        added = seed_projects(generated) if generated else 0
    click.echo(f"Demo portfolio ready ({_counted(created, 'new project')}).")
    if added:
        click.echo(f"Added {_counted(added, 'generated project')}.")
    click.echo(
        f"Sign in as admin@example.gov, lead@example.gov, contracting@example.gov, "
        f"leadership@example.gov or assessor@example.gov with the password {DEMO_PASSWORD}"
    )


def _counted(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


playbook_cli = AppGroup("playbook", help="Check, print and replace the playbook edition.")


def _load(path: str):
    """Read an edition from TOML, or from JSON in the shape `export` prints."""
    if path.endswith(".json"):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            raise EditionError([Problem(f"cannot read {path} as UTF-8 text")]) from None
        except json.JSONDecodeError as error:
            raise EditionError([Problem(f"not valid JSON: {error.msg}", error.lineno)]) from None
        if not isinstance(data, dict):
            raise EditionError([Problem("the file must hold one JSON object")])
        return edition_from_dict(data)
    return load_edition_file(path)


def _load_or_exit(path: str):
    try:
        return _load(path)
    except EditionError as error:
        click.echo(f"{path} is not a usable edition:", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1) from None


@playbook_cli.command("validate")
@click.argument("path", type=click.Path(dir_okay=False), required=False)
@click.option(
    "--clauses",
    "clauses_path",
    type=click.Path(dir_okay=False),
    help="Check this clause library file instead of the built-in one.",
)
def validate(path: str | None, clauses_path: str | None):
    """Check an edition file (default: the built-in one) and the clause library against it."""
    from projects.contracts.cli import check_clauses

    edition = _load_or_exit(path) if path else default_edition()
    items = sum(len(p.checklist) for p in edition.plays)
    questions = sum(len(p.key_questions) for p in edition.plays)
    click.echo(
        f"{path or 'The built-in edition'}: edition {edition.name!r} is valid: "
        f"{len(edition.plays)} plays, {items} checklist items, {questions} key questions."
    )
    check_clauses(clauses_path, edition)


@playbook_cli.command("export")
@click.option("--builtin", is_flag=True, help="Print the built-in edition, not the one in use.")
@click.option("--clauses", is_flag=True, help="Print the clause library instead of the edition.")
def export(builtin: bool, clauses: bool):
    """Print the edition in use (or the clause library) as JSON."""
    if clauses:
        from projects.contracts.cli import print_clauses

        print_clauses()
        return
    if builtin:
        edition = default_edition()
    else:
        with db.connection_context():
            edition = active_edition()
    click.echo(json.dumps(edition.to_dict(), indent=2, ensure_ascii=False))


@playbook_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
def import_command(path: str):
    """Use an agency's own edition (TOML, or JSON as `export` prints). Answers are kept."""
    edition = _load_or_exit(path)
    try:
        with db.connection_context():
            report = import_edition(edition, imported_by="flask playbook import")
    except ImportRefused as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Edition {edition.name!r} is now in use for every project.")
    for label, orphans in (
        ("checklist item", report.orphaned_items),
        ("key question", report.orphaned_questions),
    ):
        if orphans:
            click.echo(
                f"Kept answers for {len(orphans)} {label} id(s) this edition does not have "
                "(they come back if an edition with those ids is imported):"
            )
            for ident, projects in orphans.items():
                click.echo(f"  - {ident}: {projects} project(s)")


scores_cli = AppGroup("scores", help="Check and record the stored readiness figures.")


@scores_cli.command("record")
def record_scores():
    """Record today's stored readiness of every project and play (what the worker's daily
    task does); running it again the same day replaces that day's figures."""
    from projects.trends.changes import record

    with db.connection_context():
        recorded = record()
    click.echo(f"Recorded {_counted(recorded, 'score')} for today.")


@scores_cli.command("rebuild")
def rebuild_scores():
    """Recompute every project's stored readiness, say where it had drifted, and store it."""
    from projects.checklists.scores import rebuild

    with db.connection_context():
        drift = rebuild()
        total = db.execute_sql("SELECT COUNT(*) FROM project").fetchone()[0]
    if not drift:
        click.echo(f"Stored readiness matched for all {_counted(total, 'project')}: no drift.")
        return
    click.echo(f"Stored readiness had drifted for {_counted(len(drift), 'project')} of {total}:")
    for found in drift[:50]:
        click.echo(f"  {found.slug}: " + "; ".join(found.differences[:5]))
    if len(drift) > 50:
        click.echo(f"  ... and {len(drift) - 50} more.")
    click.echo("The figures are now recomputed and stored.")
