"""`flask backup DEST` and `flask restore SRC`: a consistent copy of the live SQLite database,
taken with SQLite's online backup API while people keep working, and the way back.

A plain file copy of a live database can miss changes already acknowledged to people (they
may still sit in the -wal file) or catch a write half done; the backup API copies one
committed state. On PostgreSQL, pg_dump and pg_restore are the tools: both commands say so
and print the commands for the configured database.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

import click
from flask import current_app
from flask.cli import with_appcontext

from projects.db import MIGRATE_TABLE, describe_database, migration_names

BUSY_TIMEOUT_MS = 30_000  # a backup waits for a long write rather than failing


def database_file() -> Path | None:
    """The configured SQLite file, or None when DATABASE_URL points at PostgreSQL."""
    url = current_app.config["DATABASE_URL"]
    if not url:
        return Path(current_app.instance_path) / "playbook.db"
    parsed = urlparse(url)
    if parsed.scheme != "sqlite":
        return None
    return Path(unquote(parsed.path)[1:])


def _open(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    connection = sqlite3.connect(target, uri=read_only, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection


def _tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [name for (name,) in rows]


def row_counts(connection: sqlite3.Connection) -> dict[str, int]:
    """Rows per table, the migration history left out (an empty database has it too)."""
    return {
        table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table in _tables(connection)
        if table != MIGRATE_TABLE
    }


def _size(path: Path) -> str:
    size = float(path.stat().st_size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""  # not reached


def _summary(connection: sqlite3.Connection) -> str:
    counts = row_counts(connection)
    return f"{len(counts)} tables, {sum(counts.values())} rows"


def _check_intact(connection: sqlite3.Connection, what: str) -> None:
    problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise click.ClickException(f"{what} is damaged: {'; '.join(problems[:5])}")


def copy_database(source: Path, destination: Path) -> None:
    """Copy one committed state of `source` into `destination` with SQLite's backup API.

    Done in one step (pages=-1), the copy reads a single snapshot: in WAL mode people keep
    writing meanwhile, and their later changes are simply not in it.
    """
    with closing(_open(source)) as reader, closing(_open(destination)) as writer:
        reader.backup(writer)


def backup_sqlite(source: Path, destination: Path) -> None:
    """Write a self-contained backup file (no -wal beside it) and check it; a half-written
    file never carries the destination's name."""
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        copy_database(source, partial)
        with closing(_open(partial)) as copy:
            copy.execute("PRAGMA journal_mode = DELETE")
            _check_intact(copy, "The backup")
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


def _postgres_commands(tool: str, path: str) -> str:
    parsed = urlparse(current_app.config["DATABASE_URL"])
    connection = [f"--host={parsed.hostname or 'localhost'}", f"--port={parsed.port or 5432}"]
    if parsed.username:
        connection.append(f"--username={unquote(parsed.username)}")
    name = unquote(parsed.path.lstrip("/"))
    if tool == "backup":
        command = ["pg_dump", "--format=custom", f"--file={path}", *connection, name]
    else:
        command = [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            *connection,
            f"--dbname={name}",
            path,
        ]
    verb = "Back it up" if tool == "backup" else "Restore a pg_dump file into it"
    return (
        f"The database is PostgreSQL ({describe_database(current_app.config['DATABASE_URL'])}): "
        f"`flask {tool}` only copies SQLite. {verb} with PostgreSQL's own tools:\n\n"
        f"  {shlex.join(command)}\n\n"
        "The password is not shown here: the tool asks for it, or reads PGPASSWORD or "
        "~/.pgpass. Use the pg_dump and pg_restore of the server's major version or newer."
    )


@click.command("backup")
@with_appcontext
@click.argument("destination", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace DESTINATION if it is already a file.")
def backup_command(destination: Path, force: bool):
    """Copy the live SQLite database to DESTINATION (a file, or a folder to put one in)."""
    source = database_file()
    if source is None:
        click.echo(_postgres_commands("backup", str(destination)))
        raise SystemExit(1)
    if not source.is_file():
        raise click.ClickException(f"There is no database at {source} yet: nothing to back up.")
    if destination.is_dir():
        destination = destination / f"playbook-{datetime.now(UTC):%Y%m%d-%H%M%S}.db"
    if destination.exists() and not force:
        raise click.ClickException(
            f"{destination} already exists. Choose another name, or add --force to replace it."
        )
    if not destination.parent.is_dir():
        raise click.ClickException(f"There is no folder {destination.parent} to write into.")
    backup_sqlite(source, destination)
    with closing(_open(destination, read_only=True)) as copy:
        summary = _summary(copy)
    click.echo(
        f"Backed up {source} to {destination.resolve()} ({_size(destination)}; {summary}; "
        "integrity check ok)."
    )


def check_backup(source: Path) -> list[str]:
    """Refuse anything but an intact Playbook Tracker SQLite database this code can run;
    returns the migrations it has."""
    if not source.is_file():
        raise click.ClickException(f"There is no file at {source}.")
    try:
        with closing(_open(source, read_only=True)) as backup:
            _check_intact(backup, str(source))
            if MIGRATE_TABLE not in _tables(backup):
                raise click.ClickException(
                    f"{source} is a SQLite database but not a Playbook Tracker one (it has no "
                    f"{MIGRATE_TABLE} table). Nothing was changed."
                )
            names = [n for (n,) in backup.execute(f'SELECT name FROM "{MIGRATE_TABLE}"')]  # noqa: S608
    except sqlite3.DatabaseError as error:
        raise click.ClickException(
            f"{source} is not a SQLite database this can read ({error}). Nothing was changed."
        ) from None
    newer = sorted(set(names) - set(migration_names()))
    if newer:
        raise click.ClickException(
            f"{source} was made by a newer version of Playbook Tracker (it has migration(s) "
            f"{', '.join(newer)}). Restore it with that version. Nothing was changed."
        )
    return names


@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(source: Path, force: bool):
    """Bring back a backup made by `flask backup` into the configured SQLite database."""
    target = database_file()
    if target is None:
        click.echo(_postgres_commands("restore", str(source)))
        raise SystemExit(1)
    names = check_backup(source)
    if target.exists() and not force:
        with closing(_open(target)) as current:
            held = {table: n for table, n in row_counts(current).items() if n}
        if held:
            listed = ", ".join(f"{table} {n}" for table, n in sorted(held.items()))
            raise click.ClickException(
                f"The database at {target} is not empty ({listed} rows). Restoring would "
                "replace all of it: take a backup of it first (`flask backup FILE`), then run "
                "`flask restore` again with --force. Nothing was changed."
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    copy_database(source, target)  # through SQLite, so open connections see it whole
    with closing(_open(target)) as restored:
        restored.execute("PRAGMA journal_mode = WAL")
        _check_intact(restored, "The restored database")
        summary = _summary(restored)
    click.echo(f"Restored {source} into {target} ({summary}).")
    missing = [name for name in migration_names() if name not in names]
    if missing:
        click.echo(
            f"The backup is older than this code: run `flask db upgrade` to apply "
            f"{', '.join(missing)}."
        )
