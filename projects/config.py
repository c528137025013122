"""Configuration: defaults here -> instance/config.py -> environment variables -> test config."""

from __future__ import annotations

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

log = logging.getLogger(__name__)
ENVIRONMENT_KEYS = (
    "DATABASE_URL",
    "DATABASE_BUSY_TIMEOUT",
    "DATABASE_POOL_SIZE",
    "DATABASE_POOL_TIMEOUT",
    "SECRET_KEY",
    "REDIS_URL",
    "JOBS_DATABASE_URL",
    "FEEDBACK_SURVEY",
    *("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_SENDER", "BASE_URL", "DIGEST_DAY"),
)
# Whole numbers from the environment.
NUMBER_KEYS = (
    "FEEDBACK_RATE_LIMIT",
    "FEEDBACK_RATE_WINDOW_MINUTES",
    "SESSION_IDLE_MINUTES",
    "SESSION_MAX_HOURS",
    "MAIL_PORT",
    "DIGEST_HOUR",
    "TRUSTED_PROXIES",
)
# On with 1, true or yes in the environment.
SWITCH_KEYS = ("PRODUCTION", "REQUIRE_MFA", "MAIL_USE_TLS", "PHASE_CHANGE_REQUIRES_ASSESSMENT")
MIN_SECRET_KEY_BYTES = 32


class Defaults:
    DATABASE_URL = None  # None: SQLite at instance/playbook.db
    DATABASE_BUSY_TIMEOUT = 5  # SQLite: seconds a write waits for the lock (3 attempts)
    DATABASE_POOL_SIZE = 20  # PostgreSQL: connections per process
    DATABASE_POOL_TIMEOUT = 10  # PostgreSQL: seconds a request waits for a free connection
    REDIS_URL = None
    JOBS_DATABASE_URL = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # findings CSVs are the largest upload
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # The cookie is sent again when the session changes (at least once a minute while in use,
    # see auth/sessions.py), not on every response: signing it costs more than a bare page.
    SESSION_REFRESH_EACH_REQUEST = False
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session, so long forms still save
    # Reverse proxies in front of gunicorn that set X-Forwarded-For and X-Forwarded-Proto:
    # the client's address (sign-in and feedback limits) is read from the header that many
    # hops back. 0 (the default) ignores the headers, which any client could forge.
    TRUSTED_PROXIES = 0
    SESSION_IDLE_MINUTES = 30  # a session unused this long ends
    SESSION_MAX_HOURS = 12  # and every session ends this long after its sign-in
    # Failed sign-ins before each further attempt must wait (2, 4, 8 ... seconds), per account
    # and per client address (an office behind one address gets more), and the longest wait.
    MAX_FAILED_SIGN_INS = 5
    MAX_FAILED_SIGN_INS_PER_ADDRESS = 20
    SIGN_IN_MAX_DELAY_MINUTES = 15
    PROJECTS_PER_PAGE = 25
    PRODUCTION = False
    # Every account must use two-step sign-in: one without it sets it up before it gets in.
    REQUIRE_MFA = False
    # New projects move to their next phase only after a met (or met with conditions)
    # assessment for that gate; projects created before keep their free phase change.
    PHASE_CHANGE_REQUIRES_ASSESSMENT = True
    # The USWDS identifier at the foot of every page: the agency that runs this installation,
    # this site's domain, and the links every federal site carries (about, accessibility,
    # FOIA, No FEAR Act, inspector general, performance, privacy). With AGENCY_LINKS empty,
    # they are the usual pages under AGENCY_URL.
    AGENCY_NAME = "Example Agency"
    AGENCY_URL = "https://www.example.gov/"
    AGENCY_LINKS: tuple[tuple[str, str], ...] = ()  # (label, address) pairs
    SITE_DOMAIN = ""  # e.g. playbook.agency.gov; left out when empty
    # Email (README "Email"). With no MAIL_SERVER, messages go to instance/outbox/ as .eml.
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_USE_TLS = False  # STARTTLS after connecting
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_SENDER = "Playbook Tracker <no-reply@localhost>"
    MAIL_TIMEOUT = 30  # seconds to wait for the SMTP server
    BASE_URL = None  # e.g. https://playbook.agency.gov: links in email sent by the worker
    DIGEST_DAY = "monday"  # the weekly digest of each person's work: day (UTC) ...
    DIGEST_HOUR = 8  # ... and hour (UTC)
    INVITATION_DAYS = 7  # an invitation's link works this long
    PASSWORD_RESET_MINUTES = 60  # a password reset link works this long
    # The public feedback form (README "Public feedback form"): responses one client address
    # may send per window (counted in the database, so the limit holds across workers and
    # hosts), and the survey edition it asks (a TOML file; None: the built-in one).
    FEEDBACK_RATE_LIMIT = 20
    FEEDBACK_RATE_WINDOW_MINUTES = 60
    FEEDBACK_SURVEY = None


def load(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for key in ENVIRONMENT_KEYS:
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    for key in SWITCH_KEYS:
        if os.environ.get(key):
            app.config[key] = os.environ[key].lower() in ("1", "true", "yes")
    for key in NUMBER_KEYS:
        if os.environ.get(key):
            app.config[key] = int(os.environ[key])
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(app)
    # The browser forgets the cookie when the server would refuse it anyway.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_MAX_HOURS"])
    if app.config["PRODUCTION"]:
        _refuse_weak_production_settings(app)


def _refuse_weak_production_settings(app: Flask) -> None:
    """Production starts only with settings that keep sessions safe, and says when the
    database can serve one machine only."""
    key = app.config["SECRET_KEY"]
    if len(key.encode() if isinstance(key, str) else key) < MIN_SECRET_KEY_BYTES:
        raise RuntimeError(
            f"SECRET_KEY is shorter than {MIN_SECRET_KEY_BYTES} bytes, too short for production: "
            "anyone who guesses it can forge a session. Generate one with "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    insecure = [k for k in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE") if not app.config[k]]
    if insecure:
        raise RuntimeError(
            f"{' and '.join(insecure)} must be True in production: session cookies sent over "
            "plain http can be stolen. Serve the app over https and remove the setting."
        )
    url = app.config.get("DATABASE_URL") or ""
    if not url or url.startswith("sqlite"):
        log.warning(
            "Production is using SQLite (%s): this serves one machine only. Every gunicorn "
            "worker must run on this host; for several hosts set DATABASE_URL to PostgreSQL.",
            url or "the default, instance/playbook.db",
        )


def _instance_secret_key(app: Flask) -> str:
    """Generate a secret key into instance/ on first run; production must configure one
    (every host behind a load balancer needs the same key, so a generated one will not do)."""
    path = Path(app.instance_path) / "secret_key"
    if app.config["PRODUCTION"]:
        raise RuntimeError(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable or put it in "
            "instance/config.py before starting in production."
        )
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
