"""Fixtures for the integrity tests: a database of their own, seeded through the app's code,
and a real gunicorn serving it."""

from __future__ import annotations

import pytest

from projects import create_app
from projects.db import db
from tests.conftest import POSTGRES
from tests.integrity.server import Gunicorn, close_database, create_database, drop_database


@pytest.fixture
def integrity_app(tmp_path):
    """An app on a new, migrated database (SQLite in tmp, or PostgreSQL when
    TEST_DATABASE_URL is set), for seeding and for reading the database afterwards."""
    url = create_database(POSTGRES, tmp_path)
    close_database()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "seeding", "TESTING": True})
    app.instance_path = str(tmp_path / "instance")
    try:
        yield app
    finally:
        drop_database(url, POSTGRES)


@pytest.fixture
def gunicorn(integrity_app, tmp_path):
    """A gunicorn on the integrity database; the test seeds first, then calls start()."""
    server = Gunicorn(integrity_app.config["DATABASE_URL"], tmp_path)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def reading(integrity_app):
    """Read the server's database from the test (a fresh connection each time)."""

    class Reader:
        def __enter__(self):
            self.context = integrity_app.app_context()
            self.context.push()
            db.connect(reuse_if_open=True)
            return db

        def __exit__(self, *exc):
            close_database()
            self.context.pop()

    return Reader
