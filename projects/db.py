"""The database (declared unbound here, bound in create_app, opened and closed per request)
and the base every model builds on."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from peewee import Database, DatabaseProxy, Model, SqliteDatabase, TextField
from playhouse.pool import PooledPostgresqlDatabase

db = DatabaseProxy()
MIGRATIONS = Path(__file__).parent / "migrations"


def utcnow() -> datetime:
    """Naive UTC, the same on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


class JSONField(TextField):
    def db_value(self, value):
        return None if value is None else json.dumps(value, sort_keys=True, default=str)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class SqliteImmediateDatabase(SqliteDatabase):
    """SQLite whose transactions take the write lock when they begin.

    DEFERRED transactions (SQLite's default) let two writers read the same version and then
    race for the lock, which loses updates or fails with "database is locked".
    """

    def transaction(self, lock_type=None):
        return super().transaction(lock_type=lock_type or "IMMEDIATE")


def connect_url(url: str | None, instance_path: str) -> Database:
    """Build a database from DATABASE_URL, or the embedded SQLite default in instance/."""
    if not url:
        url = f"sqlite:///{Path(instance_path) / 'playbook.db'}"
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # As elsewhere: sqlite:///relative.db, sqlite:////absolute.db, sqlite:///:memory:
        path = unquote(parsed.path)[1:]
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteImmediateDatabase(
            path,
            pragmas={
                "journal_mode": "wal",
                "foreign_keys": 1,
                "busy_timeout": 10000,
                "synchronous": "normal",
            },
        )
    if parsed.scheme in ("postgres", "postgresql"):
        return PooledPostgresqlDatabase(
            parsed.path.lstrip("/"),
            host=parsed.hostname,
            port=parsed.port or 5432,
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            max_connections=20,
            stale_timeout=300,
        )
    raise click.UsageError(
        "DATABASE_URL must start with sqlite:/// or postgresql:// "
        f"(it starts with {parsed.scheme}:)"
    )


def init_app(app: Flask) -> None:
    db.initialize(connect_url(app.config["DATABASE_URL"], app.instance_path))

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(_exc):
        if not db.is_closed():
            db.close()

    app.cli.add_command(db_cli)


def migration_router():
    # Imported here: peewee_migrate is only needed by the commands that change the schema.
    from peewee_migrate import Router

    return Router(db, migrate_dir=MIGRATIONS, ignore=["basemodel"])


def upgrade() -> list[str]:
    """Apply every migration not yet applied; returns the names applied."""
    with db.connection_context():
        return migration_router().run()


db_cli = AppGroup("db", help="Manage the database schema.")


@db_cli.command("upgrade")
def upgrade_command():
    """Create the database or bring its schema up to date."""
    applied = upgrade()
    where = current_app.config["DATABASE_URL"] or "instance/playbook.db"
    if applied:
        click.echo(f"Applied {len(applied)} migration(s) to {where}: {', '.join(applied)}")
    else:
        click.echo(f"The database at {where} is up to date.")


def for_update(query):
    """Lock the selected rows on PostgreSQL; SQLite's IMMEDIATE transactions already hold the
    database's write lock, and it has no FOR UPDATE."""
    return query if isinstance(db.obj, SqliteDatabase) else query.for_update()
