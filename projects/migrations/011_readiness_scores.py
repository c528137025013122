"""Stored readiness per project and play, so the portfolio, home page, API and CSV sort, filter
and page in SQL; sort keys by readiness on each project, and indexes for each order of the
lists of active projects. Filled from the data as it stands, with the rules of this version."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def _fill(database: pw.Database) -> None:
    # The app's own code computes the figures, so they are exactly what it would store; that
    # code needs the newest schema, so the newest migration that changes them fills them.
    from projects.checklists.scores import fill_from_migration

    fill_from_migration("011_readiness_scores")


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create readiness_score, fill it, and index project (archived, name)."""

    @migrator.create_model
    class ReadinessScore(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE')
        play = pw.IntegerField()
        score = pw.DoubleField(null=True)
        done = pw.IntegerField(default=0)
        in_progress = pw.IntegerField(default=0)
        not_started = pw.IntegerField(default=0)
        not_applicable = pw.IntegerField(default=0)
        with_evidence = pw.IntegerField(default=0)
        phase_score = pw.DoubleField(null=True)
        phase_done = pw.IntegerField(default=0)
        phase_in_progress = pw.IntegerField(default=0)
        phase_not_started = pw.IntegerField(default=0)
        phase_not_applicable = pw.IntegerField(default=0)

        class Meta:
            table_name = "readiness_score"
            indexes = ((('project', 'play'), True), (('play', 'score'), False))

    migrator.add_fields(
        'project',
        lowest_first=pw.DoubleField(default=2.0),
        highest_first=pw.DoubleField(default=1.0),
    )
    migrator.add_index('project', 'archived', 'name')
    migrator.add_index('project', 'archived', 'agency', 'name')
    migrator.add_index('project', 'archived', 'lowest_first', 'name')
    migrator.add_index('project', 'archived', 'highest_first', 'name')
    migrator.run(_fill, database)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop them again: lists compute readiness as they did before."""

    for columns in (('name',), ('agency', 'name'), ('lowest_first', 'name'), ('highest_first', 'name')):
        migrator.drop_index('project', 'archived', *columns)
    migrator.remove_fields('project', 'lowest_first', 'highest_first')
    migrator.remove_model('readiness_score')
