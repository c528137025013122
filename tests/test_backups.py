"""`flask backup` and `flask restore`: a consistent copy while people write, brought back row
for row; refusals that keep data safe; PostgreSQL's own tools explained."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlparse

import pytest

from projects import audit, create_app
from projects.db import db
from projects.projects.models import Project
from tests.conftest import POSTGRES, make_project, make_user

sqlite_only = pytest.mark.skipif(bool(POSTGRES), reason="flask backup copies SQLite")


def _path(app) -> Path:
    return Path(urlparse(app.config["DATABASE_URL"]).path[1:])


def _every_row(path: Path) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(path)) as connection:
        tables = [
            t
            for (t,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            t: connection.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall()  # noqa: S608
            for t in tables
        }


class Writer(threading.Thread):
    """Someone saving all the time: each transaction adds a user and its audit event."""

    def __init__(self):
        super().__init__(daemon=True)
        self.committed: list[int] = []  # user ids, in commit order
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self):
        try:
            with db.connection_context():
                while not self.stop.is_set():
                    with db.atomic():
                        user = make_user()
                        audit.record("created", user, user=user)
                    self.committed.append(user.id)
        except BaseException as error:  # reported by the test
            self.error = error

    def wait_for(self, commits: int) -> None:
        deadline = time.monotonic() + 30
        while len(self.committed) < commits:
            assert self.error is None, self.error
            assert time.monotonic() < deadline, "the writer is stuck"
            time.sleep(0.01)


@sqlite_only
def test_a_backup_taken_while_people_write_restores_one_committed_state(app, runner, tmp_path):
    make_project(members={make_user(): "editor"})
    writer = Writer()
    writer.start()
    writer.wait_for(20)
    before = len(writer.committed)
    result = runner.invoke(args=["backup", str(tmp_path / "backup.db")])
    after = len(writer.committed)
    writer.wait_for(after + 20)  # writes went on after the backup
    writer.stop.set()
    writer.join()
    assert result.exit_code == 0, result.output
    assert f"to {tmp_path / 'backup.db'} (" in result.output
    assert "KB" in result.output or "MB" in result.output
    assert not list(tmp_path.glob("*partial*"))

    app.config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.db'}"
    result = runner.invoke(args=["restore", str(tmp_path / "backup.db")])
    assert result.exit_code == 0, result.output
    restored = _every_row(tmp_path / "restored.db")
    live = _every_row(_path_of_live(tmp_path))

    # The backup holds exactly the first n of the writer's transactions, both rows of each.
    writers_users = set(writer.committed)
    n = sum(1 for row in restored["user"] if row[0] in writers_users)
    assert before <= n <= after
    later = {str(i) for i in writer.committed[n:]}
    expected = dict(live)
    expected["user"] = [r for r in live["user"] if r[0] not in set(writer.committed[n:])]
    columns = _columns(tmp_path / "restored.db", "audit_event")
    object_id = columns.index("object_id")
    expected["audit_event"] = [r for r in live["audit_event"] if r[object_id] not in later]
    assert restored.keys() == live.keys()
    for table in live:
        assert restored[table] == expected[table], f"{table} differs"


def _path_of_live(tmp_path: Path) -> Path:
    return tmp_path / "test.db"  # where the database_url fixture copies the template


def _columns(path: Path, table: str) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]


@sqlite_only
def test_restore_refuses_to_replace_data_without_force(app, runner, tmp_path):
    kept = make_project()
    assert runner.invoke(args=["backup", str(tmp_path / "backup.db")]).exit_code == 0
    newer = make_project()

    result = runner.invoke(args=["restore", str(tmp_path / "backup.db")])
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert "--force" in result.output
    assert Project.select().count() == 2

    result = runner.invoke(args=["restore", "--force", str(tmp_path / "backup.db")])
    assert result.exit_code == 0, result.output
    assert [p.slug for p in Project.select()] == [kept.slug]
    assert not Project.select().where(Project.slug == newer.slug).exists()
    with closing(sqlite3.connect(_path(app))) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@sqlite_only
def test_restore_into_an_empty_database_needs_no_force(app, runner, tmp_path):
    make_project()
    assert runner.invoke(args=["backup", str(tmp_path)]).exit_code == 0  # a folder: named file
    (backup,) = tmp_path.glob("playbook-*.db")
    fresh = tmp_path / "fresh" / "playbook.db"
    app.config["DATABASE_URL"] = f"sqlite:///{fresh}"
    result = runner.invoke(args=["restore", str(backup)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    assert _every_row(fresh)["project"] == _every_row(_path_of_live(tmp_path))["project"]


@sqlite_only
def test_backup_never_overwrites_a_file_without_force(app, runner, tmp_path):
    existing = tmp_path / "backup.db"
    existing.write_text("last week's backup")
    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert existing.read_text() == "last week's backup"
    assert runner.invoke(args=["backup", "--force", str(existing)]).exit_code == 0
    assert existing.read_bytes().startswith(b"SQLite format 3")


def _sqlite_file(path: Path, *statements: str) -> Path:
    with closing(sqlite3.connect(path)) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    return path


@sqlite_only
@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda d: d / "missing.db", "There is no file"),
        (
            lambda d: (d / "notes.txt").write_text("not a database") and d / "notes.txt",
            "not a SQLite database",
        ),
        (
            lambda d: _sqlite_file(d / "other.db", "CREATE TABLE t (x)"),
            "not a Playbook Tracker one",
        ),
    ],
)
def test_restore_refuses_what_is_not_a_playbook_tracker_backup(app, runner, tmp_path, make, says):
    project = make_project()
    result = runner.invoke(args=["restore", "--force", str(make(tmp_path))])
    assert result.exit_code == 1
    assert says in result.output
    assert "Traceback" not in result.output
    assert Project.get_by_id(project.id)


@sqlite_only
def test_restore_refuses_a_backup_from_newer_code(app, runner, tmp_path):
    assert runner.invoke(args=["backup", str(tmp_path / "backup.db")]).exit_code == 0
    _sqlite_file(
        tmp_path / "backup.db",
        "INSERT INTO migratehistory (name, migrated_at) VALUES ('999_next', '2030-01-01')",
    )
    result = runner.invoke(args=["restore", "--force", str(tmp_path / "backup.db")])
    assert result.exit_code == 1
    assert "999_next" in result.output


@pytest.mark.parametrize(("command", "tool"), [("backup", "pg_dump"), ("restore", "pg_restore")])
def test_on_postgresql_both_commands_give_the_pg_tools_command_without_the_password(
    tmp_path, command, tool
):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE_URL": "postgresql://tracker:s3cret@db.agency.gov:6543/playbook",
        }
    )
    result = app.test_cli_runner().invoke(args=[command, str(tmp_path / "playbook.dump")])
    assert result.exit_code == 1
    assert f"{tool} " in result.output
    assert "--host=db.agency.gov --port=6543 --username=tracker" in result.output
    assert "playbook" in result.output
    assert "s3cret" not in result.output
    assert "PGPASSWORD" in result.output
    assert not (tmp_path / "playbook.dump").exists()
