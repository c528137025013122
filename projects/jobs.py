"""Background jobs with huey, configured from the app: SQLite storage at instance/jobs.db by
default, Redis when REDIS_URL is set, PostgreSQL when JOBS_DATABASE_URL is set, and immediate
mode (tasks run at once, still on real storage) when TESTING.

Run a worker beside the web server with `huey_consumer projects.worker.huey` (`make run`
does this). Job status lives in the main database, so any web worker on any host can show it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask, has_app_context
from huey import Huey
from huey.contrib.sql_huey import SqlStorage
from huey.storage import BaseStorage, MemoryStorage, RedisStorage, SqliteStorage

from projects.db import db


class ConfiguredHuey(Huey):
    """A huey whose storage is chosen when the app is created, and opened on first use (so a
    test that moves the instance folder after create_app still gets its own jobs.db)."""

    _storage: BaseStorage | None = None
    _factory: Callable[[], BaseStorage] | None = None

    def create_storage(self):
        return None  # built lazily by the property below

    @property
    def storage(self) -> BaseStorage:
        if self._storage is None:
            self._storage = self._factory() if self._factory else MemoryStorage(self.name)
        return self._storage

    @storage.setter
    def storage(self, value) -> None:
        self._storage = value

    def configure(self, factory: Callable[[], BaseStorage], *, immediate: bool) -> None:
        self._factory = factory
        self._storage = None
        self.immediate_use_memory = False  # immediate mode keeps the configured storage
        self._immediate = immediate


huey = ConfiguredHuey("playbook-tracker", utc=True)
_app: Flask | None = None


def storage_factory(app: Flask) -> Callable[[], BaseStorage]:
    name = huey.name
    if app.config.get("REDIS_URL"):
        url = app.config["REDIS_URL"]
        return lambda: RedisStorage(name, url=url)
    if app.config.get("JOBS_DATABASE_URL"):
        # huey's peewee storage: works through psycopg2, which the app already uses.
        url = app.config["JOBS_DATABASE_URL"]
        return lambda: SqlStorage(name, database=url)

    def sqlite() -> SqliteStorage:
        folder = Path(app.instance_path)
        folder.mkdir(parents=True, exist_ok=True)
        return SqliteStorage(name, filename=str(folder / "jobs.db"))

    return sqlite


def init_app(app: Flask) -> None:
    global _app
    _app = app
    immediate = app.config.get("JOBS_IMMEDIATE", app.testing)
    huey.configure(storage_factory(app), immediate=immediate)


def in_app_context(work: Callable[[], object]) -> object:
    """Run a task's work inside the app: the current one (immediate mode, CLI), or the
    worker's own, with a database connection of its own that is closed afterwards."""
    if has_app_context():
        return work()
    if _app is None:
        raise RuntimeError(
            "projects.jobs.init_app has not run; start the worker with "
            "`huey_consumer projects.worker.huey`"
        )
    with _app.app_context():
        db.connect(reuse_if_open=True)
        try:
            return work()
        finally:
            if not db.is_closed():
                db.close()
