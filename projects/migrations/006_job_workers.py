"""Report jobs that tell the truth: worker heartbeats, the worker running each job, and one
active job per report, person and version of the data."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create the heartbeat table; add the worker and the active key to report jobs."""

    @migrator.create_model
    class WorkerHeartbeat(pw.Model):
        id = pw.AutoField()
        worker = pw.CharField(max_length=100, unique=True)
        host = pw.CharField(max_length=255)
        pid = pw.IntegerField()
        started_at = pw.DateTimeField()
        last_seen = pw.DateTimeField(index=True)

        class Meta:
            table_name = "worker_heartbeat"

    migrator.add_fields(
        'report_job',
        active_key=pw.CharField(max_length=100, null=True, unique=True),
        worker=pw.CharField(default='', max_length=100),
    )


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop them again."""

    migrator.remove_fields('report_job', 'active_key', 'worker')

    migrator.remove_model('worker_heartbeat')
