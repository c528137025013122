"""Two-step sign-in: a person's authenticator app (its key and the last time step a code was
accepted for) and their recovery codes, stored hashed."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create the second_factor and recovery_code tables."""

    @migrator.create_model
    class SecondFactor(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE', unique=True)
        key = pw.CharField(max_length=64)
        last_step = pw.IntegerField(null=True)
        turned_on_at = pw.DateTimeField()

        class Meta:
            table_name = "second_factor"

    @migrator.create_model
    class RecoveryCode(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        code_hash = pw.CharField(max_length=64)
        used_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "recovery_code"
            indexes = ((('user', 'code_hash'), True),)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop them again: every account signs in with its password alone."""

    migrator.remove_model('recovery_code')
    migrator.remove_model('second_factor')
