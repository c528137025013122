"""A real gunicorn on a database of its own: create and migrate the database, start the server
in a process group of its own, wait until it answers, and stop or kill it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse

import psycopg2

from projects.db import connect_url, db, upgrade

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET_KEY = "integrity-test-secret-key"
WORKERS = int(os.environ.get("INTEGRITY_WORKERS", "4"))


def create_database(postgres_url: str | None, tmp: Path) -> str:
    """A new, migrated database: a SQLite file in tmp, or a PostgreSQL database of its own."""
    if postgres_url:
        name = f"playbook_integrity_{uuid.uuid4().hex[:10]}"
        with _admin(postgres_url) as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        url = urlparse(postgres_url)._replace(path=f"/{name}").geturl()
    else:
        url = f"sqlite:///{tmp / 'integrity.db'}"
    use_database(url)
    upgrade()
    return url


def use_database(url: str) -> None:
    """Point this process's models at the server's database (the test reads it directly)."""
    db.initialize(connect_url(url, ""))


def drop_database(url: str, postgres_url: str | None) -> None:
    close_database()
    if postgres_url:
        name = urlparse(url).path.lstrip("/")
        with _admin(postgres_url) as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def close_database() -> None:
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


class _admin:
    def __init__(self, postgres_url: str):
        admin_url = urlparse(postgres_url)._replace(path="/postgres").geturl()
        self.connection = psycopg2.connect(admin_url)
        self.connection.autocommit = True

    def __enter__(self):
        return self.connection.cursor()

    def __exit__(self, *exc):
        self.connection.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """`gunicorn --workers 4 tests.integrity.wsgi:app` on a database; start() and stop() may
    be called again (a restart keeps the port, the database and the secret key). The
    benchmark serves its own `app` the same way."""

    def __init__(
        self,
        database_url: str,
        tmp: Path,
        workers: int = WORKERS,
        app: str = "tests.integrity.wsgi:app",
    ):
        self.app = app
        self.database_url = database_url
        self.tmp = tmp
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        instance = self.tmp / "instance"
        instance.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET_KEY,
            "INTEGRITY_INSTANCE": str(instance),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("PRODUCTION", None)
        with self.log.open("a") as log:
            log.write("\n--- start ---\n")
            log.flush()
            self.process = subprocess.Popen(  # noqa: S603 - our own executable and arguments
                [
                    str(GUNICORN),
                    "--workers",
                    str(self.workers),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "120",
                    "--graceful-timeout",
                    "10",
                    "--error-logfile",
                    "-",
                    self.app,
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: one killpg reaches every worker
            )
        self._wait_until_it_answers()

    def _wait_until_it_answers(self) -> None:
        for _attempt in range(1200):  # a generous bound: only a hung start gets this far
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=10) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn never answered:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: a power cut, as far as the app knows."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=60)
        self._reap_group()

    def stop(self) -> None:
        """SIGTERM (gunicorn finishes requests in flight), then SIGKILL if it hangs."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=60)
        self._reap_group()

    def _reap_group(self) -> None:
        """Workers orphaned by a killed master still hold the group id: kill those too."""
        if self.process is None:
            return
        for _attempt in range(100):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                return
            time.sleep(0.05)

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])
