"""Data integrity under real use: IMMEDIATE transactions and a "busy" page instead of a 500 on
SQLite, waiting for a pooled PostgreSQL connection, and schema safety for `flask db upgrade`."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode, urlparse

import psycopg2
import pytest
from peewee import OperationalError, SqliteDatabase, Table

from projects import create_app
from projects.auth.changes import account_key
from projects.auth.models import SignInThrottle, User
from projects.db import (
    MIGRATE_TABLE,
    connect_url,
    db,
    describe_database,
    migration_names,
    retry_when_busy,
)
from tests.conftest import PASSWORD, POSTGRES, _admin_url, make_user

ROOT = Path(__file__).resolve().parent.parent
sqlite_only = pytest.mark.skipif(bool(POSTGRES), reason="SQLite's locking")
postgres_only = pytest.mark.skipif(not POSTGRES, reason="needs TEST_DATABASE_URL")


def _sqlite_path(app) -> str:
    return urlparse(app.config["DATABASE_URL"]).path[1:]


@pytest.fixture
def sql_sent(app):
    """Every SQL statement this test's SQLite connection sends, as SQLite saw it."""
    sent: list[str] = []
    db.connection().set_trace_callback(sent.append)
    yield sent
    db.connection().set_trace_callback(None)


@pytest.fixture
def other_writer(app):
    """Another connection to the same SQLite file: `BEGIN IMMEDIATE` on it holds the write
    lock, as a long write in another worker would."""
    other = sqlite3.connect(_sqlite_path(app), isolation_level=None)
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


@sqlite_only
def test_requests_reuse_the_processes_sqlite_connection(app, client, monkeypatch):
    """README: each process keeps its SQLite connections open between requests (opening one
    and setting its pragmas cost more than most pages)."""
    opened = []
    real = SqliteDatabase._connect

    def counted(self):
        opened.append(1)
        return real(self)

    monkeypatch.setattr(SqliteDatabase, "_connect", counted)
    db.close()  # the fixture's own connection goes back to the pool
    for _ in range(5):
        assert client.get("/login").status_code == 200
    assert len(opened) <= 1


# --- A. SQLite transactions take the write lock when they begin -----------------------------


@sqlite_only
def test_atomic_through_the_proxy_begins_immediate_and_nests_as_savepoints(sql_sent):
    with db.atomic():
        User.select().count()
        with db.atomic():
            make_user()
    with db.transaction():
        pass
    assert sql_sent[0] == "BEGIN IMMEDIATE"
    assert [s for s in sql_sent if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE"] * 2
    assert sql_sent[2].startswith("SAVEPOINT")  # BEGIN, the count, then the nested atomic
    assert any(s.startswith("RELEASE SAVEPOINT") for s in sql_sent)
    assert sql_sent.count("COMMIT") == 2


@sqlite_only
@pytest.mark.parametrize("app_config", [{"DATABASE_BUSY_TIMEOUT": 0.05}])
def test_a_locked_database_is_a_busy_page_and_nothing_is_saved(client, other_writer):
    user = make_user()
    other_writer.execute("BEGIN IMMEDIATE")
    page = client.post("/login", data={"email": user.email, "password": "wrong password"})
    assert page.status_code == 503
    assert "The service is busy: nothing was saved" in page.text
    assert page.headers["Retry-After"]
    assert _failures(user) == 0

    other_writer.execute("ROLLBACK")
    page = client.post("/login", data={"email": user.email, "password": "wrong password"})
    assert page.status_code == 200
    assert _failures(user) == 1


def _failures(user) -> int:
    row = SignInThrottle.get_or_none(SignInThrottle.key == account_key(user.email))
    return row.failures if row else 0


@sqlite_only
@pytest.mark.parametrize("app_config", [{"DATABASE_BUSY_TIMEOUT": 0.05}])
def test_a_transaction_starts_again_when_the_lock_comes_free(app, tmp_path):
    other = sqlite3.connect(_sqlite_path(app), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.1, lambda: other.execute("ROLLBACK")).start()
    started = time.monotonic()
    with db.atomic():
        user = make_user()
    assert time.monotonic() - started >= 0.1  # it did wait: the first BEGIN met the lock
    assert User.get_by_id(user.id)
    other.close()


def test_retry_when_busy_runs_the_change_again_a_bounded_number_of_times(app):
    calls = []

    def flaky_change():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "saved"

    assert retry_when_busy(flaky_change, attempts=3) == "saved"
    assert len(calls) == 3

    calls.clear()
    with pytest.raises(OperationalError):
        retry_when_busy(flaky_change, attempts=2)
    assert len(calls) == 2

    def broken():
        calls.append(1)
        raise OperationalError("no such table: nothing")

    calls.clear()
    with pytest.raises(OperationalError):
        retry_when_busy(broken)
    assert len(calls) == 1  # only a busy database is worth another try


def _wsgi_module(folder: Path, database_url: str) -> None:
    (folder / "busy_wsgi.py").write_text(
        "from projects import create_app\n"
        f"app = create_app({{'DATABASE_URL': {database_url!r}, 'SECRET_KEY': 'x' * 32}})\n"
    )


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sign_in_over_http(port: int, email: str) -> int:
    """What a browser does: get the form with its token and cookie, then send it."""
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/login")
    form = connection.getresponse()
    cookie = form.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.read().decode())
    body = urlencode({"csrf_token": token[1], "email": email, "password": PASSWORD})
    connection.request(
        "POST",
        "/login",
        body,
        {
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    status = connection.getresponse().status
    connection.close()
    return status


@sqlite_only
def test_parallel_sign_ins_against_gunicorn_all_succeed(app, tmp_path):
    """With DEFERRED transactions, 5 of 12 failed with "database is locked"."""
    users = [make_user() for _ in range(12)]
    db.close()
    _wsgi_module(tmp_path, app.config["DATABASE_URL"])
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--preload",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(tmp_path),
            "--pythonpath",
            str(ROOT),
            "busy_wsgi:app",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            probe = HTTPConnection("127.0.0.1", port, timeout=1)
            try:
                probe.request("GET", "/login")
                probe.getresponse().read()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
            finally:
                probe.close()
        with ThreadPoolExecutor(12) as pool:
            statuses = list(pool.map(lambda u: _sign_in_over_http(port, u.email), users))
    finally:
        server.terminate()
        errors = server.communicate(timeout=30)[1].decode()
    assert statuses == [302] * 12, errors
    assert "database is locked" not in errors


# --- B. Schema safety ----------------------------------------------------------------------


@pytest.fixture
def newer_code_migrated(app):
    """The database as newer code leaves it: a migration this code does not have."""
    history = _history()
    history.insert(name="999_from_the_future", migrated_at=datetime(2030, 1, 1)).execute()
    yield
    history.delete().where(history.name == "999_from_the_future").execute()


def _history() -> Table:
    return Table(MIGRATE_TABLE, ("id", "name", "migrated_at")).bind(db)


def test_upgrade_refuses_a_database_migrated_by_newer_code(runner, newer_code_migrated):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 1
    assert "999_from_the_future" in result.output
    assert "newer code" in result.output
    assert "up to date" not in result.output
    assert "Traceback" not in result.output


def test_the_app_refuses_to_serve_a_database_migrated_by_newer_code(
    client, newer_code_migrated, caplog
):
    page = client.get("/login")
    assert page.status_code == 503
    assert "The service is being upgraded" in page.text
    assert any(
        "Refusing to serve" in r.message and "999_from_the_future" in r.message
        for r in caplog.records
    )
    assert client.get("/api/v1/projects").status_code == 503


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (None, "instance/playbook.db"),
        (
            "postgresql://someone:s3cret@db.agency.gov:5432/tracker",
            "postgresql://someone@db.agency.gov:5432/tracker",
        ),
        ("sqlite:////srv/tracker.db", "sqlite:////srv/tracker.db"),
    ],
)
def test_commands_name_the_database_without_its_password(url, shown):
    assert describe_database(url) == shown


@pytest.fixture
def fresh_database_url(tmp_path):
    """A database nobody has migrated yet."""
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"playbook_fresh_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(_admin_url(POSTGRES))
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    yield urlparse(POSTGRES)._replace(path=f"/{name}").geturl()
    db.obj.close_all()
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _schema() -> tuple:
    with db.connection_context():
        table = _history()
        history = list(table.select(table.id, table.name).order_by(table.id).tuples())
        tables = {
            t: sorted((c.name, c.data_type, c.null) for c in db.get_columns(t))
            for t in db.get_tables()
        }
        indexes = sorted(
            (i.name, i.table, tuple(i.columns)) for t in tables for i in db.get_indexes(t)
        )
    return history, tables, indexes


def test_upgrade_twice_changes_nothing_the_second_time(fresh_database_url, tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": fresh_database_url, "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path / "instance")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert f"Applied {len(migration_names())} migration(s)" in first.output
    schema = _schema()
    assert [name for _id, name in schema[0]] == migration_names()
    second = runner.invoke(args=["db", "upgrade"])
    assert second.exit_code == 0
    assert "up to date" in second.output
    assert _schema() == schema


def test_two_upgrades_at_once_both_succeed_and_apply_the_schema_once(fresh_database_url):
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database_url,
        "SECRET_KEY": "x" * 32,
        "FLASK_APP": "wsgi",
    }
    upgrades = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [u.communicate(timeout=120)[0] for u in upgrades]
    assert [u.returncode for u in upgrades] == [0, 0], outputs
    assert not any("Traceback" in o for o in outputs)
    assert sum("Applied" in o for o in outputs) >= 1
    db.initialize(connect_url(fresh_database_url, ""))
    history, tables, _ = _schema()
    assert [name for _id, name in history] == migration_names()  # each applied once
    assert "user" in tables and "audit_event" in tables


# --- B. Pooled PostgreSQL connections: wait, then a busy page ------------------------------


@postgres_only
def test_a_request_waits_for_a_pooled_connection(database_url):
    pool = connect_url(database_url, "", pool_size=1, pool_timeout=5)
    taken = threading.Event()

    def busy_request():
        pool.connect()
        taken.set()
        time.sleep(0.3)
        pool.close()

    worker = threading.Thread(target=busy_request)
    worker.start()
    taken.wait(5)
    started = time.monotonic()
    pool.connect()  # no free connection yet: waits instead of failing
    assert time.monotonic() - started >= 0.2
    assert pool.execute_sql("SELECT 1").fetchone() == (1,)
    pool.close()
    worker.join()
    pool.close_all()


@postgres_only
@pytest.mark.parametrize("app_config", [{"DATABASE_POOL_SIZE": 1, "DATABASE_POOL_TIMEOUT": 0.2}])
def test_a_full_pool_is_a_busy_page_after_the_wait(client):
    # The test's own thread holds the only connection; a request from another thread waits
    # DATABASE_POOL_TIMEOUT for it, then says the service is busy.
    pages = []
    request = threading.Thread(target=lambda: pages.append(client.get("/login")))
    request.start()
    request.join(10)
    assert pages[0].status_code == 503
    assert "The service is busy: nothing was saved" in pages[0].text


@postgres_only
def test_a_play_save_locks_its_rows_and_the_project_without_blocking_inserts(client, signed_in):
    """The SQL a play save sends on PostgreSQL: the item rows and then the project row (for its
    stored readiness) are locked FOR NO KEY UPDATE, which does not conflict with the FOR KEY
    SHARE lock another save's insert of an item holds on the project (FOR UPDATE did, and two
    saves of one project deadlocked under a real gunicorn)."""
    from playhouse.test_utils import count_queries

    from tests.conftest import make_project
    from tests.pages import filled, url

    lead = signed_in("lead")
    project = make_project(lead)
    address = url("checklists.play", slug=project.slug, number=1)
    data = filled(client, address, "items-0-status", **{"items-0-status": "done"})
    with count_queries() as counter:
        assert client.post(address, data=data).status_code == 302
    sent = [record.msg[0] for record in counter.get_queries()]
    locks = [sql for sql in sent if " FOR " in sql]
    assert any('FROM "item_response"' in sql for sql in locks)
    assert any('FROM "project"' in sql for sql in locks)
    assert all(sql.rstrip().endswith("FOR NO KEY UPDATE") for sql in locks), locks
