"""What the benchmark's gunicorn serves: the app, and at /bare a five-line Flask endpoint in
the same workers, the yardstick every page is measured against."""

import os

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from projects import create_app

bare = Flask("bare")
bare.add_url_rule("/", "hello", lambda: "Hello")

tracker = create_app({"SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
tracker.instance_path = os.environ["INTEGRITY_INSTANCE"]
app = DispatcherMiddleware(tracker, {"/bare": bare})
