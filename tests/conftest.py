"""Fixtures: a fresh, migrated database per test (SQLite, or PostgreSQL via TEST_DATABASE_URL),
the app, a client, a CLI runner, factories and sign-in helpers."""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import datetime, timedelta
from itertools import count
from urllib.parse import urlparse

import psycopg2
import pytest
from flask.testing import FlaskClient
from peewee import sort_models

from projects import create_app
from projects.auth.models import User
from projects.checklists import scores
from projects.db import BaseModel, connect_url, db, upgrade
from projects.passwords import hash_password
from projects.projects.models import Membership, Project
from tests.pages import url

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = hash_password(PASSWORD)  # hashing once keeps factories fast
_serial = count(1)
POSTGRES = os.environ.get("TEST_DATABASE_URL")


def _admin_url(url: str) -> str:
    return urlparse(url)._replace(path="/postgres").geturl()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Migrate once per run: a SQLite file to copy, or a PostgreSQL database of the run's own."""
    if POSTGRES:
        name = f"playbook_test_{uuid.uuid4().hex[:10]}"
        admin = psycopg2.connect(_admin_url(POSTGRES))
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        url = urlparse(POSTGRES)._replace(path=f"/{name}").geturl()
        db.initialize(connect_url(url, ""))
        upgrade()
        db.close_all()
        yield url
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        db.initialize(connect_url(f"sqlite:///{path}", ""))
        upgrade()
        db.close_all()  # the last connection's close writes the WAL into the file copied
        yield path


@pytest.fixture
def database_url(database_template, tmp_path):
    if POSTGRES:
        return database_template
    path = tmp_path / "test.db"
    shutil.copy(database_template, path)
    return f"sqlite:///{path}"


def _empty_every_table() -> None:
    """A fresh PostgreSQL database for each test: delete every row, children first. (DELETE on
    a few small tables is far quicker than TRUNCATE, which rewrites every table's files.)"""
    models = sort_models(_models(BaseModel))
    with db.atomic():
        for model in reversed(models):
            # Plain SQL: some models (frozen snapshots) refuse deletes through the ORM.
            db.execute_sql(f'DELETE FROM "{model._meta.table_name}"')  # noqa: S608


def _models(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _models(sub)


class IsolatedClient(FlaskClient):
    """A test client whose every request has an app context of its own, as in production:
    `g` (the signed-in user, the edition) never leaks from the test or from another client."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app_config() -> dict:
    """Extra settings for the app; override this fixture (in a module or class) to change them."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "SESSION_COOKIE_SECURE": False,
            "WTF_CSRF_ENABLED": False,
            **app_config,
        }
    )
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.connect(reuse_if_open=True)
        if POSTGRES:
            _empty_every_table()
        yield app
        if not db.is_closed():
            db.close()
    db.obj.close_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def make_user(
    role: str = "lead", *, email: str | None = None, name: str | None = None, **fields
) -> User:
    n = next(_serial)
    return User.create(
        email=email or f"person{n}@agency.gov",
        name=name or f"Person {n}",
        role=role,
        password_hash=_PASSWORD_HASH,
        **fields,
    )


def make_project(lead: User | None = None, *, members: dict | None = None, **fields) -> Project:
    """A project; `members` maps users to their project role (owner, editor, viewer)."""
    n = next(_serial)
    lead = lead or make_user("lead")
    fields = {
        "slug": f"project-{n}",
        "name": f"Project {n}",
        "agency": "Department of Tests",
        "phase": "alpha",
        **fields,
    }
    project = Project.create(lead=lead, **fields)
    for user, role in (members or {}).items():
        Membership.create(project=project, user=user, role=role)
    scores.refresh(project)  # what creating a project through the app stores
    return project


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user: User, password: str = PASSWORD):
        data = {"email": user.email, "password": password}
        return self._client.post(url("auth.login"), data=data)

    def logout(self):
        return self._client.post(url("auth.logout"))


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def signed_in(client, auth):
    """Sign a user in and return it: `signed_in("admin")` or `signed_in(user)`."""

    def sign_in(who: str | User = "lead") -> User:
        user = make_user(who) if isinstance(who, str) else who
        response = auth.login(user)
        assert response.status_code == 302, "sign-in failed"
        return user

    return sign_in


class Clock:
    """A clock tests move by hand (patched in for a module's `utcnow`), so no test sleeps."""

    def __init__(self, now: datetime = datetime(2026, 3, 2, 9, 0, 0)):
        self.now = now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)
