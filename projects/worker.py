"""The background worker's entry point: `huey_consumer projects.worker.huey`.

Building the app configures huey's storage from the same settings as the web server and
registers every task.
"""

from projects import create_app
from projects.jobs import huey

app = create_app()

__all__ = ["app", "huey"]
