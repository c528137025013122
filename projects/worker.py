"""The background worker's entry point: `huey_consumer projects.worker.huey`.

Building the app configures huey's storage from the same settings as the web server and
registers every task. When the consumer starts, each worker process starts a heartbeat thread
that records in the main database, every few seconds, that it is alive (projects.jobs).

Why a thread and not a huey periodic task: periodic tasks run at most once a minute, wait in
the queue behind long reports (so a busy worker would look dead), and run on whichever
consumer takes them (so they say nothing about the worker running a given job). The thread
beats whatever the queue holds and dies with its process.
"""

from projects import create_app
from projects.jobs import huey, start_heartbeat

app = create_app()


@huey.on_startup()
def _heartbeat() -> None:
    start_heartbeat(app)


__all__ = ["app", "huey"]
