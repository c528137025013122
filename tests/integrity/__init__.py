"""Nothing lost, nothing broken: data integrity under real use.

These tests start a real gunicorn (four workers) on a database of their own, sign people in
through the /login form and save through the rendered forms from several processes at once,
then check the database: no 5xx, every acknowledged save stored and audited, every refused save
shown the conflict page, nothing half written after the server is killed mid-write.

They run in `make test` (SQLite) and in the PostgreSQL pass
(`TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/pytest`).
By default each client makes a few dozen saves (about two minutes in all on a small machine).
The big version from the issue, 200 saves per client:

    INTEGRITY_SAVES=200 .venv/bin/pytest tests/integrity

INTEGRITY_CLIENTS changes the number of writer processes (8) and INTEGRITY_WORKERS the number
of gunicorn workers (4). Nothing here asserts on time; timeouts only stop a hung run.
"""
