"""An owner without an account can stop the weekly email (outside_owner.weekly_digest), from
a link in the email itself."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add outside_owner.weekly_digest, on for everyone named so far."""

    migrator.add_fields(
        'outside_owner',
        weekly_digest=pw.BooleanField(default=True),
    )


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the column again."""

    migrator.remove_fields('outside_owner', 'weekly_digest')
