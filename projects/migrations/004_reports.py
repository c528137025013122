"""Readiness reports: frozen snapshots, background report jobs and their cached PDFs."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create the report tables."""

    @migrator.create_model
    class Snapshot(pw.Model):
        id = pw.AutoField()
        kind = pw.CharField(index=True, max_length=255)
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], null=True, on_delete='RESTRICT', index=True)
        label = pw.CharField(max_length=200)
        data = pw.TextField()
        scores = pw.TextField()
        pdf = pw.BlobField()
        sha256 = pw.CharField(max_length=64)
        data_sha256 = pw.CharField(max_length=64)
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL', index=True)
        created_by_name = pw.CharField(default='', max_length=255)
        created_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "snapshot"

    @migrator.create_model
    class ReportCache(pw.Model):
        id = pw.AutoField()
        key = pw.CharField(max_length=64, unique=True)
        data = pw.TextField()
        scores = pw.TextField()
        pdf = pw.BlobField()
        pages = pw.IntegerField(default=0)
        created_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "report_cache"

    @migrator.create_model
    class ReportJob(pw.Model):
        id = pw.AutoField()
        kind = pw.CharField(default='portfolio', max_length=255)
        requested_by = pw.ForeignKeyField(column_name='requested_by_id', field='id', model=migrator.orm['user'], on_delete='CASCADE', index=True)
        status = pw.CharField(default='queued', index=True, max_length=255)
        progress = pw.IntegerField(default=0)
        stage = pw.CharField(default='Waiting for a worker to start', max_length=255)
        error = pw.TextField(default='')
        cache_key = pw.CharField(default='', index=True, max_length=64)
        attempts = pw.IntegerField(default=0)
        created_at = pw.DateTimeField(index=True)
        updated_at = pw.DateTimeField()
        finished_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "report_job"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the report tables."""

    migrator.remove_model('report_job')

    migrator.remove_model('report_cache')

    migrator.remove_model('snapshot')
