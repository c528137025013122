"""The pages under load: a portfolio of N projects (the demo and `seed-demo --projects`) in a
SQLite database, served by a real gunicorn with 2 workers beside a bare Flask endpoint in the
same workers. Prints one JSON line: per page, the queries per request (counted in process)
and requests per second (over HTTP, interleaved with the bare endpoint's), accepted submissions
per second on the public feedback form and on the least a form post can be in Flask (its
yardstick), and the portfolio CSV's time. Run as
`python -m tests.benchmarks.pages N`."""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from tests.integrity.server import ROOT, SECRET_KEY, Gunicorn, close_database

DEMO_PROJECTS = 8  # seed-demo's own; the rest are generated
PAGES = {  # name: (who, address)
    "home": ("lead", "/projects"),
    "project": ("lead", "/projects/building-permits"),
    "play": ("lead", "/projects/building-permits/plays/1"),
    "portfolio": ("leadership", "/portfolio"),
    "API list": ("leadership", "/api/v1/projects"),
}
BARE = "/bare/"
THREADS = 4
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))  # per measurement
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))  # interleaved; the median is kept
PASSWORD = "demo-password-2026"


def flask(database_url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY}
    env["FLASK_APP"] = "wsgi"
    subprocess.run(  # noqa: S603 - our own command
        [str(Path(sys.executable).parent / "flask"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def seed(database_url: str, size: int) -> float:
    flask(database_url, "db", "upgrade")
    started = time.perf_counter()
    flask(database_url, "seed-demo", "--projects", str(size - DEMO_PROJECTS))
    return time.perf_counter() - started


def queries_per_page(database_url: str) -> dict[str, int]:
    from playhouse.test_utils import count_queries

    from projects import create_app

    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY, "SESSION_COOKIE_SECURE": False}
    )
    counts = {}
    for name, (who, address) in PAGES.items():
        client = app.test_client()
        page = client.get("/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
        form = {"csrf_token": token, "email": f"{who}@example.gov", "password": PASSWORD}
        assert client.post("/login", data=form).status_code == 302
        client.get(address)  # once first: a cold cache is not what is measured
        with count_queries() as counter:
            assert client.get(address).status_code == 200, address
        counts[name] = counter.count
    close_database()
    return counts


def sign_in(port: int, who: str) -> str:
    """The session cookie of a person signed in through the real form."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/login")
    response = connection.getresponse()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.read().decode()).group(1)
    connection.close()
    body = urlencode({"csrf_token": token, "email": f"{who}@example.gov", "password": PASSWORD})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/login", body, headers)
    response = connection.getresponse()
    response.read()
    assert response.status == 302, f"sign-in as {who} failed: {response.status}"
    return response.getheader("Set-Cookie").split(";")[0]


def _send(port: int, method: str, address: str, body=None, headers=None):
    """One request on a new connection (gunicorn's sync workers close them): (status,
    response headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, address, body, headers or {})
    response = connection.getresponse()
    answer = response.status, response, response.read()
    connection.close()
    return answer


def _per_second(client, address: str) -> float:
    """Requests per second from THREADS clients for SECONDS. `client(n, stop)` sends requests
    until `stop` and returns how many were answered as expected, or raises ValueError with
    the status of one that was not."""
    stop = time.perf_counter() + SECONDS
    done, failed = [0] * THREADS, []

    def run(n: int) -> None:
        try:
            done[n] = client(n, stop)
        except ValueError as status:
            failed.append(status)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise SystemExit(f"{address} answered {failed[0]}")
    return sum(done) / (time.perf_counter() - started)


def rate(port: int, address: str, cookie: str) -> float:
    """Pages per second, each a GET with the person's session cookie."""

    def client(_n: int, stop: float) -> int:
        done = 0
        while time.perf_counter() < stop:
            status, _, _ = _send(port, "GET", address, headers={"Cookie": cookie})
            if status != 200:
                raise ValueError(status)
            done += 1
        return done

    return _per_second(client, address)


def feedback_key(database_url: str) -> str:
    """The address key of a demo project's public feedback form (seed-demo turns it on)."""
    import sqlite3

    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT key FROM feedback_form WHERE enabled ORDER BY id LIMIT 1"
        ).fetchone()[0]


def submission_rate(port: int, address: str) -> float:
    """Accepted responses per second on a public form from THREADS visitors, each with its
    session and the form's token, as a browser posts it (answers and a comment)."""

    def visitor(n: int, stop: float) -> int:
        _, response, page = _send(port, "GET", address)
        cookie = response.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.decode()).group(1)
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        done = 0
        while time.perf_counter() < stop:
            answers = {"satisfaction": 1 + done % 5, "trust": 4, "ease": 5, "equity": 3}
            body = urlencode(
                {"csrf_token": token, "language": "en", "website": "", **answers}
                | {"comment": f"Benchmark visitor {n}, response {done}."}
            )
            status, _, _ = _send(port, "POST", address, body, headers)
            if status != 302:
                raise ValueError(status)
            done += 1
        return done

    return _per_second(visitor, address)


def csv_download(port: int, cookie: str) -> tuple[float, int]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("GET", "/portfolio/report.csv", headers={"Cookie": cookie})
    response = connection.getresponse()
    rows = response.read().count(b"\r\n") - 1
    assert response.status == 200
    return time.perf_counter() - started, rows


def measure(size: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/bench.db"
        seeded = seed(database_url, size)
        queries = queries_per_page(database_url)
        feedback = f"/feedback/{feedback_key(database_url)}"
        os.environ["FEEDBACK_RATE_LIMIT"] = "100000000"  # every request comes from one address
        server = Gunicorn(database_url, Path(tmp), workers=2, app="tests.benchmarks.wsgi:app")
        server.start()
        try:
            port = server.port
            cookies = {who: sign_in(port, who) for who in {w for w, _ in PAGES.values()}}
            targets = {"bare": (BARE, "")} | {
                name: (address, cookies[who]) for name, (who, address) in PAGES.items()
            }
            rates: dict[str, list[float]] = {name: [] for name in targets}
            posts = {"feedback form": feedback, "bare form": "/bare-form/"}
            rates |= {name: [] for name in posts}
            for _round in range(ROUNDS):
                for name, (address, cookie) in targets.items():
                    rates[name].append(rate(port, address, cookie))
                for name, address in posts.items():
                    rates[name].append(submission_rate(port, address))
            csv_seconds, csv_rows = csv_download(port, cookies["leadership"])
        finally:
            server.stop()
    return {
        "projects": size,
        "seed_seconds": seeded,
        "queries": queries,
        "rates": {name: statistics.median(values) for name, values in rates.items()},
        "csv_seconds": csv_seconds,
        "csv_rows": csv_rows,
    }


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]))))
