"""The browser suite: the app served on a free localhost port from a seeded, migrated database,
driven by Debian's headless Chromium through Playwright, with axe-core for accessibility.

Without /usr/bin/chromium the suite is left out, with one notice at the end of the run saying
why; in CI (CI=true) a missing browser or axe-core fails it instead, so a broken CI image cannot
pass by leaving everything out.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from pathlib import Path

import pytest
from flask import got_request_exception, request
from werkzeug.serving import WSGIRequestHandler, make_server

from projects import create_app
from projects.db import connect_url, db
from projects.demo import DEMO_PASSWORD, seed
from tests.conftest import POSTGRES

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
HERE = Path(__file__).resolve().parent


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    if not AXE.exists():
        return f"{AXE} is missing (run `npm ci` or `make install`)"
    return None


LEFT_OUT = pytest.StashKey[str]()


def pytest_collection_modifyitems(config, items):
    problem = _missing()
    browser_items = []
    for item in items:
        if HERE not in Path(str(item.fspath)).resolve().parents:
            continue
        browser_items.append(item)
        item.add_marker(pytest.mark.browser)
        # When Chromium navigates away mid-download (the favicon, say), the live server's
        # thread can leave that static file for the garbage collector to close. That is the
        # test server's housekeeping, not the app's, so it must not fail a page's test.
        item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
    if problem and browser_items and not IN_CI:
        # Deselected rather than skipped: one notice for the suite, not a line per page.
        config.hook.pytest_deselected(items=browser_items)
        items[:] = [item for item in items if item not in browser_items]
        config.stash[LEFT_OUT] = (
            f"browser suite not run ({len(browser_items)} tests): {problem}; "
            "with CI=true this fails instead"
        )


def pytest_terminal_summary(terminalreporter, config):
    if LEFT_OUT in config.stash:
        terminalreporter.write_sep("-", config.stash[LEFT_OUT], yellow=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    problem = _missing()
    if problem:
        # Only reached in CI: elsewhere the suite was deselected at collection.
        pytest.fail(f"CI=true but the browser suite cannot run: {problem}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _seeded_database(database_template, tmp_path: Path) -> str:
    """A database of the suite's own holding the demo portfolio."""
    if POSTGRES:
        url = database_template
        db.initialize(connect_url(url, ""))
        with db.connection_context():
            tables = ", ".join(f'"{t}"' for t in db.get_tables() if t != "migratehistory")
            db.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        return url
    path = tmp_path / "browser.db"
    shutil.copy(database_template, path)
    return f"sqlite:///{path}"


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass  # one line per stylesheet and font would bury a failure's own output


class LiveServer:
    """The app in a background thread; `url(path)` gives an absolute address on it."""

    def __init__(self, app):
        self.app = app
        self.errors: list[str] = []
        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        self.base = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str = "/") -> str:
        return self.base + path

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


@pytest.fixture(scope="package")
def live_server(database_template, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("browser")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": _seeded_database(database_template, tmp_path),
            "SECRET_KEY": "browser-suite-secret-key",
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
        }
    )
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        seed()
        db.close()

    server = LiveServer(app)

    def record(sender, exception, **_):
        server.errors.append(f"{request.method} {request.full_path}: {exception!r}")

    got_request_exception.connect(record, app, weak=False)
    server.start()
    yield server
    server.stop()
    db.obj.close_all()


@pytest.fixture
def server_errors(live_server):
    """Fails the test if the app raised while serving it: no page may answer with a 500."""
    live_server.errors.clear()
    yield live_server.errors
    assert not live_server.errors, "the app raised:\n" + "\n".join(live_server.errors)


@pytest.fixture
def context(browser, live_server, server_errors):
    context = browser.new_context(
        base_url=live_server.base, viewport={"width": 1280, "height": 900}
    )
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def axe_context(browser, live_server, server_errors):
    # axe is injected as a script tag, which the app's strict CSP would rightly block.
    context = browser.new_context(
        base_url=live_server.base, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    yield context
    context.close()


@pytest.fixture
def axe_page(axe_context):
    page = axe_context.new_page()
    page.set_default_timeout(15_000)
    return page


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form, by keyboard as a person without a mouse would."""
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Email address").press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not url.endswith("/login"))


def send(page, field_id: str) -> None:
    """Press the submit button of the form that holds `field_id`; wait for the answer."""
    form = page.locator(f"main form[method=post]:has([id='{field_id}'])")
    with page.expect_navigation():
        form.locator("button[type=submit]").last.click()


def change(page, values: dict[str, str]) -> None:
    for field_id, value in values.items():
        control = page.locator(f"[id='{field_id}']")
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)


SAVES = itertools.count(1)  # every save says something new, so none is "nothing changed"


def make_a_conflict(page, path: str, field_id: str) -> None:
    """Open `path` in this tab and another; the other saves `field_id` first, then this one."""
    other = page.context.new_page()
    page.goto(path)
    other.goto(path)
    change(other, {field_id: f"Saved first, in the other tab ({next(SAVES)})"})
    send(other, field_id)
    assert not other.title().startswith(("Error", "Not saved")), other.title()
    other.close()
    change(page, {field_id: "Saved second, from a stale page"})
    send(page, field_id)
