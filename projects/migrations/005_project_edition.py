"""Projects no longer store an edition name: it was written but never read (the edition in
use is the active EditionRecord, else the built-in one)."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop project.edition."""

    migrator.remove_fields('project', 'edition')


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Put project.edition back, empty."""

    migrator.add_fields('project', edition=pw.CharField(default='', max_length=255))
