"""Readiness you can trust: evidence review on checklist items (who marked an item done, the
reviewer's verdict and comment), the reviewer right on memberships, reviewed readiness beside
the self-reported figures, phase gates, and service assessments with their panel, per-play
ratings and actions. The stored figures are filled from the data as it stands."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def _fill(database: pw.Database) -> None:
    # The app's own code computes the figures, so they are exactly what it would store.
    from projects.checklists.scores import fill_from_migration

    fill_from_migration("013_assessments")


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add the review columns and the assessment tables, then store the reviewed figures."""

    migrator.add_fields(
        'item_response',
        done_by=pw.ForeignKeyField(column_name='done_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL'),
        review=pw.CharField(default='', max_length=20),
        review_comment=pw.TextField(default=''),
    )
    migrator.add_fields('membership', reviewer=pw.BooleanField(default=False))
    migrator.add_fields('project', phase_gated=pw.BooleanField(default=False))
    migrator.add_fields(
        'readiness_score',
        accepted=pw.IntegerField(default=0),
        reviewed_score=pw.DoubleField(null=True),
        phase_accepted=pw.IntegerField(default=0),
        phase_reviewed_score=pw.DoubleField(null=True),
    )

    @migrator.create_model
    class Assessment(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='RESTRICT', index=True)
        from_phase = pw.CharField(max_length=20)
        to_phase = pw.CharField(max_length=20)
        held_on = pw.DateField()
        lead_assessor = pw.ForeignKeyField(column_name='lead_assessor_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL', index=True)
        outcome = pw.CharField(default='', max_length=30)
        summary = pw.TextField(default='')
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL', index=True)
        created_at = pw.DateTimeField()
        completed_at = pw.DateTimeField(null=True)
        completed_by_name = pw.CharField(default='', max_length=255)
        data = pw.TextField(null=True)
        pdf = pw.BlobField(null=True)
        sha256 = pw.CharField(default='', max_length=64)
        data_sha256 = pw.CharField(default='', max_length=64)
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "assessment"

    @migrator.create_model
    class Panelist(pw.Model):
        id = pw.AutoField()
        assessment = pw.ForeignKeyField(column_name='assessment_id', field='id', model=migrator.orm['assessment'], on_delete='CASCADE')
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE', index=True)
        notes = pw.TextField(default='')
        updated_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "panelist"
            indexes = ((('assessment', 'user'), True),)

    @migrator.create_model
    class PlayRating(pw.Model):
        id = pw.AutoField()
        assessment = pw.ForeignKeyField(column_name='assessment_id', field='id', model=migrator.orm['assessment'], on_delete='CASCADE')
        play = pw.IntegerField()
        rating = pw.CharField(default='', max_length=30)
        went_well = pw.TextField(default='')
        to_improve = pw.TextField(default='')
        updated_at = pw.DateTimeField(null=True)
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "play_rating"
            indexes = ((('assessment', 'play'), True),)

    @migrator.create_model
    class AssessmentAction(pw.Model):
        id = pw.AutoField()
        assessment = pw.ForeignKeyField(column_name='assessment_id', field='id', model=migrator.orm['assessment'], on_delete='CASCADE', index=True)
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE', index=True)
        play = pw.IntegerField()
        text = pw.TextField()
        owner = pw.ForeignKeyField(column_name='owner_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL', index=True)
        due_date = pw.DateField(null=True)
        status = pw.CharField(default='open', max_length=20, index=True)
        what_was_done = pw.TextField(default='')
        closed_by = pw.ForeignKeyField(column_name='closed_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        closed_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "assessment_action"

    migrator.run(_fill, database)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop them again: readiness is self-reported only."""

    migrator.remove_model('assessment_action')
    migrator.remove_model('play_rating')
    migrator.remove_model('panelist')
    migrator.remove_model('assessment')
    migrator.remove_fields('readiness_score', 'accepted', 'reviewed_score', 'phase_accepted', 'phase_reviewed_score')
    migrator.remove_fields('project', 'phase_gated')
    migrator.remove_fields('membership', 'reviewer')
    migrator.remove_fields('item_response', 'done_by', 'review', 'review_comment')
