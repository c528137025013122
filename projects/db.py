"""The database (declared unbound here, bound in create_app, taken from the process's pool of
connections for each request and given back after) and the base every model builds on."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import re
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlparse
from weakref import WeakSet

import click
from flask import Flask, current_app, g, jsonify, render_template, request
from flask.cli import AppGroup
from peewee import (
    AutoField,
    Database,
    DatabaseProxy,
    Model,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
    TextField,
)
from playhouse.pool import (
    MaxConnectionsExceeded,
    PooledPostgresqlDatabase,
    PooledSqliteDatabase,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

db = DatabaseProxy()
MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_FILE = re.compile(r"^\d{3}_[^.]+\.py$")  # what peewee-migrate's Router runs
MIGRATE_TABLE = "migratehistory"
# One number for every process that runs `flask db upgrade` against the same PostgreSQL.
MIGRATION_LOCK = zlib.crc32(b"playbook-tracker: flask db upgrade")


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


def is_busy(error: BaseException) -> bool:
    """True when SQLite gave up waiting for another connection's lock (nothing was written)."""
    return isinstance(error, OperationalError) and any(
        words in str(error) for words in ("database is locked", "database table is locked")
    )


def _pause(attempt: int) -> None:
    # Short, growing and jittered, so waiting writers do not all wake at once.
    time.sleep(0.05 * 2**attempt * (1 + random.random()))  # noqa: S311 (not security)


class SqliteImmediateDatabase(PooledSqliteDatabase):
    """SQLite whose transactions take the write lock when they begin, from a pool of
    connections kept open between requests.

    Opening a connection and setting its pragmas cost more than most pages' own queries, so
    each process keeps its connections (one per thread serving at once) and hands them out
    again; one left inside a transaction is rolled back when it comes back.

    DEFERRED transactions (SQLite's default) let two writers read the same version and then
    race for the lock, which loses updates or fails at once with "database is locked" (SQLite
    cannot wait for a lock a reader wants to upgrade). `begin()` is the one place every
    transaction starts, `db.atomic()` through the DatabaseProxy included, so it is overridden
    here rather than `transaction()`. Nothing has run when BEGIN meets a busy database, so it
    is safe to try again: each attempt waits the busy timeout, then a short pause.
    """

    begin_attempts = 3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _POOLS.add(self)

    def forget_connections(self) -> None:
        """Drop, unused and unclosed, the connections a forked process inherited: SQLite
        connections must never be shared between processes (gunicorn --preload forks)."""
        self._connections, self._in_use = [], {}
        self._state.reset()

    def begin(self, lock_type=None):
        for attempt in range(1, self.begin_attempts + 1):
            try:
                return super().begin(lock_type or "IMMEDIATE")
            except OperationalError as error:
                if attempt == self.begin_attempts or not is_busy(error):
                    raise
                log.warning("The database is busy; starting the transaction again (%s)", attempt)
                _pause(attempt)
        return None  # not reached: the last attempt returns or raises


_POOLS: WeakSet[SqliteImmediateDatabase] = WeakSet()
os.register_at_fork(after_in_child=lambda: [pool.forget_connections() for pool in _POOLS])


def retry_when_busy(work: Callable[[], T], *, attempts: int = 3) -> T:
    """Run `work` again when it meets a locked database, up to `attempts` times in all.

    Only for work whose every effect is in one database transaction it opens itself (the
    failed attempt was rolled back, so running it again cannot do anything twice): no mail,
    files or jobs before its commit. Inside an outer transaction it runs once, since the
    outer one would have to be retried instead.
    """
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as error:
            if attempt == attempts or not is_busy(error) or db.in_transaction():
                raise
            log.warning("The database is busy; trying the whole change again (%s)", attempt)
            _pause(attempt)
    raise AssertionError("not reached")


def connect_url(
    url: str | None,
    instance_path: str,
    *,
    busy_timeout: float = 5,
    pool_size: int = 20,
    pool_timeout: float = 10,
) -> Database:
    """Build a database from DATABASE_URL, or the embedded SQLite default in instance/.

    `busy_timeout`: seconds a SQLite write waits for another writer (per attempt).
    `pool_size`, `pool_timeout`: PostgreSQL connections per process, and seconds a request
    waits for one when all are in use before it is told the service is busy.
    """
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
            max_connections=None,  # one per thread at most: threads never wait for one
            stale_timeout=300,
            # A connection comes back to the pool from one thread and goes out to another;
            # the pool hands each to one thread at a time.
            check_same_thread=False,
            pragmas={
                "journal_mode": "wal",
                "foreign_keys": 1,
                "busy_timeout": int(busy_timeout * 1000),
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
            max_connections=pool_size,
            # 0 would mean "wait for ever" to playhouse.pool: never do that to a request.
            timeout=max(pool_timeout, 0.001),
            stale_timeout=300,
        )
    raise click.UsageError(
        "DATABASE_URL must start with sqlite:/// or postgresql:// "
        f"(it starts with {parsed.scheme}:)"
    )


def init_app(app: Flask) -> None:
    db.initialize(
        connect_url(
            app.config["DATABASE_URL"],
            app.instance_path,
            busy_timeout=float(app.config["DATABASE_BUSY_TIMEOUT"]),
            pool_size=int(app.config["DATABASE_POOL_SIZE"]),
            pool_timeout=float(app.config["DATABASE_POOL_TIMEOUT"]),
        )
    )

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)
        _refuse_a_newer_database(app)

    @app.teardown_appcontext
    def _close(_exc):
        if not db.is_closed():
            db.close()

    _register_busy_pages(app)
    app.cli.add_command(db_cli)


class NewerDatabase(Exception):
    """The database was migrated by newer code than this: running on it could damage it."""

    def __init__(self, names: list[str]):
        self.names = names
        super().__init__(
            f"The database has migration(s) this version of Playbook Tracker does not know: "
            f"{', '.join(names)}. It was upgraded by newer code; run that version (or restore a "
            "backup taken before the upgrade). Nothing was changed."
        )


SCHEMA_CHECK_SECONDS = 30  # how soon a running server notices a newer code's migration


def _refuse_a_newer_database(app: Flask) -> None:
    """Refuse every request while the database is newer than this code (say, mid-deploy)."""
    checked = app.extensions.get("schema_checked_at")
    if checked is not None and time.monotonic() - checked < SCHEMA_CHECK_SECONDS:
        return
    newer = unknown_migrations()
    if newer:
        log.error("Refusing to serve: %s", NewerDatabase(newer))
        raise NewerDatabase(newer)
    app.extensions["schema_checked_at"] = time.monotonic()


def _register_busy_pages(app: Flask) -> None:
    """A locked database or a full connection pool is a "busy, nothing saved" page (503),
    never a 500; so is a database newer than the code."""

    def page(title: str, advice: str):
        if request.path.startswith("/api/"):
            response = jsonify({"error": f"{title}. {advice}"})
        else:
            response = render_template("errors/error.html", code=503, title=title, advice=advice)
        return response, 503, {"Retry-After": "5"}

    def busy():
        return page("The service is busy: nothing was saved", "Wait a moment and try again.")

    @app.errorhandler(OperationalError)
    def locked(error):
        if not is_busy(error):
            raise error
        log.warning("The database stayed busy; the request was refused: %s", error)
        return busy()

    @app.errorhandler(MaxConnectionsExceeded)
    def no_connection(error):
        log.warning("No database connection became free in time: %s", error)
        # The page must not need the database: treat the person as signed out for it.
        g._login_user = app.login_manager.anonymous_user()
        return busy()

    @app.errorhandler(NewerDatabase)
    def newer(_error):
        return page(
            "The service is being upgraded",
            "This server runs an older version than its database. Try again in a few minutes.",
        )


def migration_router():
    # Imported here: peewee_migrate is only needed by the commands that change the schema.
    from peewee_migrate import Router

    return Router(db, migrate_dir=MIGRATIONS, ignore=["basemodel"])


def migration_names() -> list[str]:
    """The migrations this code has, in order."""
    return sorted(f.stem for f in MIGRATIONS.iterdir() if MIGRATION_FILE.match(f.name))


def unknown_migrations() -> list[str]:
    """Migrations recorded in the database that this code does not have (newer code's)."""
    if not db.table_exists(MIGRATE_TABLE):
        return []
    known = set(migration_names())
    cursor = db.execute_sql(f'SELECT name FROM "{MIGRATE_TABLE}" ORDER BY id')  # noqa: S608
    return [name for (name,) in cursor.fetchall() if name not in known]


@contextlib.contextmanager
def migration_lock() -> Iterator[None]:
    """One `flask db upgrade` at a time: a PostgreSQL advisory lock held by this session
    (released if the process dies), or an exclusive lock on a file beside the SQLite one."""
    if isinstance(db.obj, PostgresqlDatabase):
        (free,) = db.execute_sql("SELECT pg_try_advisory_lock(%s)", (MIGRATION_LOCK,)).fetchone()
        if not free:
            _say_waiting()
            db.execute_sql("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            yield
        finally:
            db.execute_sql("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
        return
    if db.database == ":memory:":
        yield
        return
    import fcntl  # POSIX, like everything that runs this app

    with open(f"{db.database}.upgrade-lock", "w") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _say_waiting()
            fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _say_waiting() -> None:
    click.echo("Another `flask db upgrade` is running on this database: waiting for it.", err=True)


def upgrade() -> list[str]:
    """Apply every migration not yet applied; returns the names applied. Refuses a database
    that newer code has migrated (NewerDatabase), and waits while another upgrade runs."""
    with db.connection_context(), migration_lock():
        newer = unknown_migrations()
        if newer:
            raise NewerDatabase(newer)
        with _foreign_keys_off_on_sqlite():
            return migration_router().run()


@contextlib.contextmanager
def _foreign_keys_off_on_sqlite():
    """SQLite changes a column by copying the table and dropping the old one. With foreign keys
    on, dropping `user` would fire ON DELETE on every row that points at it (projects lose
    their lead, memberships vanish), so migrations run with them off, as SQLite's documentation
    prescribes, and then every reference is checked."""
    if not isinstance(db.obj, SqliteDatabase):
        yield
        return
    db.execute_sql("PRAGMA foreign_keys = OFF")  # outside any transaction, or it is ignored
    try:
        yield
        broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left broken references: {broken[:5]}")
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")


db_cli = AppGroup("db", help="Manage the database schema.")


@db_cli.command("upgrade")
def upgrade_command():
    """Create the database or bring its schema up to date."""
    where = describe_database(current_app.config["DATABASE_URL"])
    try:
        applied = upgrade()
    except NewerDatabase as error:
        raise click.ClickException(f"{where}: {error}") from None
    if applied:
        click.echo(f"Applied {len(applied)} migration(s) to {where}: {', '.join(applied)}")
    else:
        click.echo(f"The database at {where} is up to date.")


def describe_database(url: str | None) -> str:
    """The database's address for people to read: never its password."""
    if not url:
        return "instance/playbook.db"
    parsed = urlparse(url)
    if not parsed.password:
        return url
    host = f"{parsed.hostname}:{parsed.port}" if parsed.port else (parsed.hostname or "")
    user = f"{parsed.username}@" if parsed.username else ""
    return parsed._replace(netloc=f"{user}{host}").geturl()


def bulk_insert(model, rows: list[dict], page: int = 1000) -> None:
    """Insert many rows without peewee building SQL for each value, which is most of the time
    of a large insert_many: sqlite3's executemany, or psycopg2's execute_values (executemany
    would be one round trip per row). Fields a row leaves out get their defaults."""
    if not rows:
        return
    fields = [f for f in model._meta.sorted_fields if not isinstance(f, AutoField)]
    defaults = {f.name: f.default for f in fields}

    def value(field, row):
        if field.name in row:
            return field.db_value(row[field.name])
        default = defaults[field.name]
        return field.db_value(default() if callable(default) else default)

    values = [tuple(value(f, row) for f in fields) for row in rows]
    table = model._meta.table_name
    # Names come from the model, never from input; the values travel as parameters.
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    insert = f'INSERT INTO "{table}" ({columns})'
    cursor = db.cursor()
    if isinstance(db.obj, SqliteDatabase):
        marks = ", ".join("?" * len(fields))
        cursor.executemany(f"{insert} VALUES ({marks})", values)
    else:
        from psycopg2.extras import execute_values

        execute_values(cursor, f"{insert} VALUES %s", values, page_size=page)


def for_update(query):
    """Lock the selected rows on PostgreSQL; SQLite's IMMEDIATE transactions already hold the
    database's write lock, and it has no FOR UPDATE.

    FOR NO KEY UPDATE, the lock PostgreSQL itself takes for an UPDATE that keeps the key: it
    still makes two writers of a row take turns, but not wait for a transaction that merely
    inserted a row pointing at it (which holds FOR KEY SHARE on it). With FOR UPDATE, two
    saves of one project's items each held that share lock from their inserts and then
    waited for the other to lock the project row: a deadlock."""
    if isinstance(db.obj, SqliteDatabase):
        return query
    return query.for_update("FOR NO KEY UPDATE")
