"""Customer experience: service measures per project with a value per period (and their
latest figures stored on the measure), per-project API tokens stored hashed, and CSV uploads
of figures waiting for their preview to be confirmed."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Create measure, measure_value, api_token and measure_upload."""

    @migrator.create_model
    class Measure(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE')
        key = pw.CharField(max_length=40)
        name = pw.CharField(max_length=200)
        description = pw.TextField(default='')
        unit = pw.CharField(max_length=20)
        direction = pw.CharField(max_length=10)
        target = pw.DoubleField(null=True)
        driver = pw.CharField(default='', max_length=20)
        period_kind = pw.CharField(default='month', max_length=10)
        position = pw.IntegerField(default=0)
        version = pw.IntegerField(default=1)
        latest_period = pw.CharField(default='', max_length=10)
        latest_value = pw.DoubleField(null=True)
        previous_value = pw.DoubleField(null=True)

        class Meta:
            table_name = "measure"
            indexes = ((('project', 'key'), True), (('key', 'latest_value'), False))

    @migrator.create_model
    class MeasureValue(pw.Model):
        id = pw.AutoField()
        measure = pw.ForeignKeyField(column_name='measure_id', field='id', model=migrator.orm['measure'], on_delete='CASCADE')
        period = pw.CharField(max_length=10)
        value = pw.DoubleField(null=True)
        responses = pw.IntegerField(default=0)
        answers_1 = pw.IntegerField(default=0)
        answers_2 = pw.IntegerField(default=0)
        answers_3 = pw.IntegerField(default=0)
        answers_4 = pw.IntegerField(default=0)
        answers_5 = pw.IntegerField(default=0)
        offered = pw.IntegerField(null=True)
        customers = pw.IntegerField(null=True)
        source = pw.CharField(default='form', max_length=10)
        updated_by = pw.ForeignKeyField(column_name='updated_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        updated_at = pw.DateTimeField()
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "measure_value"
            indexes = ((('measure', 'period'), True),)

    @migrator.create_model
    class ApiToken(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE')
        name = pw.CharField(max_length=100)
        token_hash = pw.CharField(max_length=64, unique=True)
        prefix = pw.CharField(max_length=8)
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()
        last_used_at = pw.DateTimeField(null=True)
        revoked_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "api_token"

    @migrator.create_model
    class MeasureUpload(pw.Model):
        id = pw.AutoField()
        token = pw.CharField(max_length=64, unique=True)
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE')
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        filename = pw.CharField(default='', max_length=255)
        text = pw.TextField()
        created_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "measure_upload"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop them again."""

    migrator.remove_model('measure_upload')
    migrator.remove_model('api_token')
    migrator.remove_model('measure_value')
    migrator.remove_model('measure')
