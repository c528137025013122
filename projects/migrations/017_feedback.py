"""The public feedback form: per-project settings, anonymous responses, the per-address
submission counts that hold back spam, and findings recorded from comments."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create feedback_form, feedback_response, feedback_throttle and finding_feedback."""

    @migrator.create_model
    class FeedbackForm(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE', unique=True)
        key = pw.CharField(max_length=64, unique=True)
        enabled = pw.BooleanField(default=False)
        public_title = pw.CharField(default='', max_length=200)
        pra_number = pw.CharField(default='', max_length=20)
        pra_expires = pw.DateField(null=True)
        updated_by = pw.ForeignKeyField(column_name='updated_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        updated_at = pw.DateTimeField()
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "feedback_form"

    @migrator.create_model
    class FeedbackResponse(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE')
        period = pw.CharField(max_length=10)
        answers = pw.TextField()
        comment = pw.TextField(default='')
        language = pw.CharField(default='en', max_length=5)
        survey = pw.CharField(default='', max_length=100)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "feedback_response"
            indexes = ((('project', 'created_at'), False),)

    @migrator.create_model
    class FeedbackThrottle(pw.Model):
        id = pw.AutoField()
        address_hash = pw.CharField(max_length=64, unique=True)
        window_start = pw.DateTimeField(index=True)
        submissions = pw.IntegerField(default=0)

        class Meta:
            table_name = "feedback_throttle"

    @migrator.create_model
    class FindingFeedback(pw.Model):
        id = pw.AutoField()
        finding = pw.ForeignKeyField(column_name='finding_id', field='id', model=migrator.orm['finding'], on_delete='CASCADE')
        response = pw.ForeignKeyField(column_name='response_id', field='id', model=migrator.orm['feedback_response'], on_delete='CASCADE')

        class Meta:
            table_name = "finding_feedback"
            indexes = ((('finding', 'response'), True),)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop them again."""

    migrator.remove_model('finding_feedback')
    migrator.remove_model('feedback_throttle')
    migrator.remove_model('feedback_response')
    migrator.remove_model('feedback_form')
