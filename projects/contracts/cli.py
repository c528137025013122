"""The clause library in `flask playbook validate` and `flask playbook export --clauses`."""

from __future__ import annotations

import json

import click

from playbook.contracts import DEFAULT_LIBRARY, LibraryError, default_library, load_library
from playbook.edition import Edition


def check_clauses(path: str | None, edition: Edition) -> None:
    """Validate a clause file (default: the built-in library) against `edition`; exit 1 on
    problems, naming each one."""
    where = path or str(DEFAULT_LIBRARY)
    try:
        library = load_library(path or DEFAULT_LIBRARY, edition)
    except LibraryError as error:
        click.echo(f"{where} is not a usable clause library:", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1) from None
    topics = {t for c in library.clauses for t in c.topics}
    click.echo(
        f"{where}: clause library {library.name!r} {library.version} is valid: "
        f"{len(library.clauses)} clauses covering {len(topics)} topics."
    )
    missing = library.uncovered_topics()
    if missing:
        click.echo(f"  Topics no clause covers yet: {', '.join(missing)}")


def print_clauses() -> None:
    click.echo(json.dumps(default_library().to_dict(), indent=2, ensure_ascii=False))
