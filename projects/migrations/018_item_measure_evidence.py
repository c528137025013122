"""Customer experience in readiness: a checklist item of play 12 can name one of its
project's measures as evidence (ItemResponse.evidence_measure), which counts toward the stored
evidence figures; they are filled again from the data as it stands."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def _fill(database: pw.Database) -> None:
    # The app's own code computes the figures, and it reads this column: so the figures are
    # filled here, the newest migration that changes their inputs (scores.FILLED_BY).
    from projects.checklists.scores import fill_from_migration

    fill_from_migration("018_item_measure_evidence")


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add item_response.evidence_measure_id, then store the figures."""

    migrator.add_fields(
        'item_response',
        evidence_measure=pw.ForeignKeyField(column_name='evidence_measure_id', field='id', model=migrator.orm['measure'], null=True, on_delete='SET NULL'),
    )
    migrator.run(_fill, database)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the column again."""

    migrator.remove_fields('item_response', 'evidence_measure')
