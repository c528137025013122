"""User-research findings, their links to plays, items and tags, and CSV uploads awaiting
confirmation."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create the findings tables."""

    @migrator.create_model
    class Finding(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE', index=True)
        title = pw.CharField(max_length=200)
        insight = pw.TextField(default='')
        method = pw.CharField(index=True, max_length=255)
        research_date = pw.DateField(index=True)
        participants = pw.IntegerField(null=True)
        user_groups = pw.CharField(default='', max_length=500)
        severity = pw.CharField(index=True, max_length=255)
        confidence = pw.IntegerField(default=1)
        status = pw.CharField(default='open', index=True, max_length=255)
        status_reason = pw.TextField(default='')
        recommendation = pw.TextField(default='')
        evidence_links = pw.TextField(default='')
        privacy_checked_by = pw.ForeignKeyField(column_name='privacy_checked_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        privacy_checked_at = pw.DateTimeField(null=True)
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()
        updated_by = pw.ForeignKeyField(column_name='updated_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        updated_at = pw.DateTimeField()
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "finding"
            indexes = [(('project', 'status', 'severity'), False)]

    @migrator.create_model
    class FindingPlay(pw.Model):
        id = pw.AutoField()
        finding = pw.ForeignKeyField(column_name='finding_id', field='id', model=migrator.orm['finding'], on_delete='CASCADE')
        play = pw.IntegerField(index=True)

        class Meta:
            table_name = "finding_play"
            indexes = [(('finding', 'play'), True)]

    @migrator.create_model
    class FindingItem(pw.Model):
        id = pw.AutoField()
        finding = pw.ForeignKeyField(column_name='finding_id', field='id', model=migrator.orm['finding'], on_delete='CASCADE')
        item_id = pw.CharField(index=True, max_length=40)

        class Meta:
            table_name = "finding_item"
            indexes = [(('finding', 'item_id'), True)]

    @migrator.create_model
    class FindingTag(pw.Model):
        id = pw.AutoField()
        finding = pw.ForeignKeyField(column_name='finding_id', field='id', model=migrator.orm['finding'], on_delete='CASCADE')
        tag = pw.CharField(index=True, max_length=40)

        class Meta:
            table_name = "finding_tag"
            indexes = [(('finding', 'tag'), True)]

    @migrator.create_model
    class FindingUpload(pw.Model):
        id = pw.AutoField()
        token = pw.CharField(max_length=64, unique=True)
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE')
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        filename = pw.CharField(default='', max_length=255)
        text = pw.TextField()
        created_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "finding_upload"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the findings tables."""

    migrator.remove_model('finding_upload')

    migrator.remove_model('finding_tag')

    migrator.remove_model('finding_item')

    migrator.remove_model('finding_play')

    migrator.remove_model('finding')
