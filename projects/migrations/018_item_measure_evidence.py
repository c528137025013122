"""Customer experience in readiness: a checklist item of play 12 can name one of its
project's measures as evidence (ItemResponse.evidence_measure)."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add item_response.evidence_measure_id. Every row starts without one, so the stored
    evidence counts stay as they are."""

    migrator.add_fields(
        'item_response',
        evidence_measure=pw.ForeignKeyField(column_name='evidence_measure_id', field='id', model=migrator.orm['measure'], null=True, on_delete='SET NULL'),
    )


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the column again."""

    migrator.remove_fields('item_response', 'evidence_measure')
