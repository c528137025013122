"""What the benchmark's gunicorn serves: the app; at /bare a five-line Flask endpoint in the
same workers, the yardstick every page is measured against; and at /bare-form the least a
public form post can do in Flask, the yardstick of what the feedback form could reach."""

import os
import sqlite3

from flask import Flask, redirect
from flask_wtf import FlaskForm
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from wtforms import RadioField, TextAreaField

from projects import create_app

bare = Flask("bare")
bare.add_url_rule("/", "hello", lambda: "Hello")

# A CSRF-checked form of four 1-to-5 answers and a comment, stored with one INSERT into SQLite
# (one connection per worker, kept open), then a redirect: what every public form must do.
bare_form = Flask("bare_form")
bare_form.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
FORM_DATABASE = os.path.join(os.environ["INTEGRITY_INSTANCE"], "bare-form.db")
_connection: list[sqlite3.Connection] = []


class Answers(FlaskForm):
    satisfaction, trust, ease, equity = (
        RadioField(choices=[str(n) for n in range(1, 6)]) for _ in range(4)
    )
    comment = TextAreaField()


@bare_form.route("/", methods=["GET", "POST"])
def answer():
    form = Answers()
    if form.validate_on_submit():
        if not _connection:
            _connection.append(sqlite3.connect(FORM_DATABASE, isolation_level=None))
            _connection[0].execute("PRAGMA journal_mode = wal")
            _connection[0].execute(
                "CREATE TABLE IF NOT EXISTS answer (id INTEGER PRIMARY KEY, body)"
            )
        _connection[0].execute("INSERT INTO answer (body) VALUES (?)", (repr(form.data),))
        return redirect("/bare-form/thanks")
    token = form.csrf_token.current_token
    return f'<form method="post"><input name="csrf_token" value="{token}"></form>'


tracker = create_app({"SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
tracker.instance_path = os.environ["INTEGRITY_INSTANCE"]
app = DispatcherMiddleware(tracker, {"/bare": bare, "/bare-form": bare_form})
