"""Contract packages: the solicitation layout the officer chose (uniform contract format or a
request for quotation); packages started before it use the uniform contract format."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    pass


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add contract_package.layout."""

    migrator.add_fields('contract_package', layout=pw.CharField(default='ucf', max_length=20))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop contract_package.layout."""

    migrator.remove_fields('contract_package', 'layout')
