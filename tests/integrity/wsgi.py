"""The app as the integrity tests' gunicorn serves it: test settings from the environment
(DATABASE_URL, SECRET_KEY, INTEGRITY_INSTANCE), cookies allowed over plain http."""

import os

from projects import create_app

app = create_app({"SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
app.instance_path = os.environ["INTEGRITY_INSTANCE"]  # jobs.db and uploads stay in tmp
