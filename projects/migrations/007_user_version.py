"""Users: a version, so an admin's edit from a stale page is a conflict, not an overwrite."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add user.version; every existing user starts at version 1."""

    migrator.add_fields('user', version=pw.IntegerField(default=1))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop user.version."""

    migrator.remove_fields('user', 'version')
