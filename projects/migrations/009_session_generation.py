"""Sessions that end when they should, and sign-in throttling per account and per address.

Users get a session generation (each session stores it; moving it on ends them all). Failed
sign-ins move from the user row (a lock-out anyone could trigger) to a table counted by
account and by client address, which slows guessing down instead of locking people out.
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add user.session_generation and the sign_in_throttle table; drop the old lock-out."""

    migrator.add_fields('user', session_generation=pw.IntegerField(default=1))
    migrator.remove_fields('user', 'failed_sign_ins', 'locked_until')

    @migrator.create_model
    class SignInThrottle(pw.Model):
        id = pw.AutoField()
        key = pw.CharField(max_length=200, unique=True)
        failures = pw.IntegerField(default=0)
        not_before = pw.DateTimeField(null=True)
        last_attempt = pw.DateTimeField(index=True)

        class Meta:
            table_name = "sign_in_throttle"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Back to the lock-out columns (every account unlocked) and no session generation."""

    migrator.remove_model('sign_in_throttle')
    migrator.add_fields(
        'user',
        failed_sign_ins=pw.IntegerField(default=0),
        locked_until=pw.DateTimeField(null=True),
    )
    migrator.remove_fields('user', 'session_generation')
