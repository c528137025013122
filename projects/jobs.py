"""Background jobs with huey, configured from the app: SQLite storage at instance/jobs.db by
default, Redis when REDIS_URL is set, PostgreSQL when JOBS_DATABASE_URL is set, and immediate
mode (tasks run at once, still on real storage) when TESTING.

Run a worker beside the web server with `huey_consumer projects.worker.huey` (`make run`
does this). Job status lives in the main database, so any web worker on any host can show it.

Every worker process also records a heartbeat in the main database (`WorkerHeartbeat`, every
HEARTBEAT_SECONDS), so the web pages can tell whether any worker is running, and whether the
worker that took a job is still alive (no heartbeat for WORKER_TIMEOUT seconds: it is not).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.contrib.sql_huey import SqlStorage
from huey.storage import BaseStorage, MemoryStorage, RedisStorage, SqliteStorage
from peewee import CharField, DateTimeField, IntegerField

from projects.db import BaseModel, db, utcnow

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 10  # how often a worker process records that it is alive
WORKER_TIMEOUT = 60  # default: no heartbeat for this long and a worker counts as stopped
FORGET_AFTER = timedelta(days=1)  # heartbeats of workers long gone are deleted


class ConfiguredHuey(Huey):
    """A huey whose storage is chosen when the app is created, and opened on first use (so a
    test that moves the instance folder after create_app still gets its own jobs.db)."""

    _storage: BaseStorage | None = None
    _factory: Callable[[], BaseStorage] | None = None
    # The consumer's worker threads all reach for the storage at start; building it twice at
    # once races on creating its tables ("Error reading from queue" on a new PostgreSQL).
    _storage_lock = threading.Lock()

    def create_storage(self):
        return None  # built lazily by the property below

    @property
    def storage(self) -> BaseStorage:
        if self._storage is None:
            with self._storage_lock:
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


class WorkerHeartbeat(BaseModel):
    """One row per worker process: who it is and when it last said it was alive."""

    worker = CharField(max_length=100, unique=True)  # host:pid:random, see worker_id()
    host = CharField(max_length=255)
    pid = IntegerField()
    started_at = DateTimeField(default=utcnow)
    last_seen = DateTimeField(default=utcnow, index=True)


_identity: tuple[int, str] | None = None


def worker_id() -> str:
    """This process's worker id. The random part tells a restarted worker from the one before
    it even when host and pid are the same (pid 1 in every container)."""
    global _identity
    pid = os.getpid()
    if _identity is None or _identity[0] != pid:  # a forked process is another worker
        _identity = (pid, f"{socket.gethostname()[:80]}:{pid}:{secrets.token_hex(4)}")
    return _identity[1]


def worker_timeout() -> timedelta:
    return timedelta(seconds=current_app.config.get("WORKER_TIMEOUT", WORKER_TIMEOUT))


def beat(now: datetime | None = None) -> None:
    """Record that this worker process is alive (and forget workers gone for a day)."""
    now = now or utcnow()
    with db.atomic():
        WorkerHeartbeat.insert(
            worker=worker_id(),
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=now,
            last_seen=now,
        ).on_conflict(
            conflict_target=[WorkerHeartbeat.worker], update={WorkerHeartbeat.last_seen: now}
        ).execute()
        WorkerHeartbeat.delete().where(WorkerHeartbeat.last_seen < now - FORGET_AFTER).execute()


def worker_alive(worker: str, now: datetime | None = None) -> bool:
    """Has this worker recorded a heartbeat within WORKER_TIMEOUT?"""
    since = (now or utcnow()) - worker_timeout()
    return (
        WorkerHeartbeat.select()
        .where((WorkerHeartbeat.worker == worker) & (WorkerHeartbeat.last_seen >= since))
        .exists()
    )


def any_worker_alive(now: datetime | None = None) -> bool:
    since = (now or utcnow()) - worker_timeout()
    return WorkerHeartbeat.select().where(WorkerHeartbeat.last_seen >= since).exists()


def heartbeat_loop(stop: threading.Event, interval: float, record: Callable[[], None]) -> None:
    """Record a heartbeat now and every `interval` seconds until `stop` is set. A failed beat
    (the database restarting) is logged and the loop goes on: the next one may succeed."""
    while True:
        try:
            record()
        except Exception:
            log.exception("could not record the worker heartbeat")
        if stop.wait(interval):
            return


class HeartbeatThread(threading.Thread):
    """Records this process's heartbeat until stopped; a daemon, so it dies with the process
    and a killed worker stops beating."""

    def __init__(self, app: Flask, interval: float):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.app, self.interval, self.stopping = app, interval, threading.Event()

    def record(self) -> None:
        with self.app.app_context():
            db.connect(reuse_if_open=True)
            try:
                beat()
            finally:
                if not db.is_closed():
                    db.close()

    def run(self) -> None:
        heartbeat_loop(self.stopping, self.interval, self.record)

    def stop(self) -> None:
        self.stopping.set()
        self.join()


_heartbeat: tuple[int, HeartbeatThread] | None = None
_heartbeat_lock = threading.Lock()


def start_heartbeat(app: Flask, interval: float = HEARTBEAT_SECONDS) -> HeartbeatThread:
    """Start this process's heartbeat thread, once per process: huey calls its startup hooks
    in every worker thread, or in every worker process with `-k process`."""
    global _heartbeat
    with _heartbeat_lock:
        if _heartbeat is None or _heartbeat[0] != os.getpid() or not _heartbeat[1].is_alive():
            thread = HeartbeatThread(app, interval)
            thread.start()
            _heartbeat = (os.getpid(), thread)
        return _heartbeat[1]
