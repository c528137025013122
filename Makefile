# The two commands in README.md: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
PORT ?= 5000

.PHONY: run test bench audit install system-packages db lint clean

run: install db
	@test -f instance/.demo-loaded || { $(BIN)/flask seed-demo && touch instance/.demo-loaded; }
	@echo "Playbook Tracker: http://127.0.0.1:$(PORT)  (demo sign-in: lead@example.gov / demo-password-2026)"
# The report worker runs beside gunicorn and stops with it (Ctrl-C, kill or an error).
	$(BIN)/huey_consumer projects.worker.huey --workers 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

test: install
	$(BIN)/pytest

bench: install
	$(BIN)/python -m tests.benchmarks

# Known vulnerabilities in the Python and npm dependencies; fails when the advisory services
# cannot be reached, rather than passing without having checked.
audit: install
	@VENV=$(VENV) .ci/audit

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

install: $(VENV)/.installed static/uswds/.copied

# WeasyPrint's Debian packages: names the missing ones (a warning for libharfbuzz-subset0, an
# error for Pango or the fonts); installs nothing itself.
system-packages:
	@.ci/system-packages

db: install
	$(BIN)/flask db upgrade

$(VENV)/.installed: pyproject.toml | system-packages
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# USWDS comes from its npm package and is copied into static/ (not committed).
static/uswds/.copied: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/uswds && mkdir -p static/uswds
	cp -r node_modules/@uswds/uswds/dist/{css,fonts,img,js} static/uswds/
	touch $@

clean:
	rm -rf $(VENV) node_modules static/uswds
