"""`flask create-user`: add a user from a script, the password read from standard input."""

from __future__ import annotations

import sys

import click
from peewee import IntegrityError

from projects import audit
from projects.auth.models import ROLES, User
from projects.db import db
from projects.owners import changes as owners
from projects.passwords import hash_password, password_problem


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", required=True, type=click.Choice(list(ROLES)), help="What they may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, name: str, role: str, password_stdin: bool):
    """Add a user who can sign in."""
    if not password_stdin:
        raise click.UsageError(
            "Give the password on standard input with --password-stdin, "
            "so it never shows in the shell history."
        )
    password = sys.stdin.readline().rstrip("\r\n")
    problem = password_problem(password)
    if problem:
        raise click.UsageError(problem)
    email = email.strip().lower()
    if "@" not in email:
        raise click.UsageError(f"{email!r} is not an email address")
    try:
        with db.connection_context(), db.atomic():
            user = User.create(
                email=email, name=name.strip(), role=role, password_hash=hash_password(password)
            )
            audit.record("created", user, user=None, after={"email": email, "role": role})
            owners.hand_over(email, user)  # work named to this address is theirs now
    except IntegrityError:
        raise click.ClickException(f"A user with the email {email} already exists.") from None
    click.echo(f"Created {role} {name} <{email}>.")
