"""Owners without accounts: a project's outside owners (a name and an email address), and
checklist items and findings that may point at one instead of at a user."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create outside_owner and point items and findings at it."""

    @migrator.create_model
    class OutsideOwner(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE')
        name = pw.CharField(max_length=200)
        email = pw.CharField(max_length=255, index=True)
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        digest_week = pw.CharField(default='', max_length=10)
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "outside_owner"
            indexes = ((('project', 'email'), True),)

    migrator.add_fields(
        'item_response',
        outside_owner=pw.ForeignKeyField(column_name='outside_owner_id', field='id', model=migrator.orm['outside_owner'], null=True, on_delete='SET NULL'),
    )
    migrator.add_fields(
        'finding',
        outside_owner=pw.ForeignKeyField(column_name='outside_owner_id', field='id', model=migrator.orm['outside_owner'], null=True, on_delete='SET NULL'),
    )


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop them again."""

    migrator.remove_fields('finding', 'outside_owner')
    migrator.remove_fields('item_response', 'outside_owner')
    migrator.remove_model('outside_owner')
