"""My work, email and trends: findings get an optional owner and due date; each person can
turn the weekly digest off; invitations and password resets are one-time links stored
hashed; and the stored readiness scores are recorded once a day."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Add the columns and create access_link and score_history."""

    migrator.add_fields(
        'finding',
        owner=pw.ForeignKeyField(column_name='owner_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL'),
        due_date=pw.DateField(null=True),
    )
    migrator.add_fields(
        'user',
        weekly_digest=pw.BooleanField(default=True),
        digest_week=pw.CharField(default='', max_length=10),
    )

    @migrator.create_model
    class AccessLink(pw.Model):
        id = pw.AutoField()
        kind = pw.CharField(max_length=20)
        token_hash = pw.CharField(max_length=64, unique=True)
        email = pw.CharField(max_length=255, index=True)
        name = pw.CharField(default='', max_length=255)
        role = pw.CharField(default='', max_length=20)
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], null=True, on_delete='CASCADE')
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], null=True, on_delete='CASCADE')
        project_role = pw.CharField(default='', max_length=20)
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()
        expires_at = pw.DateTimeField()
        used_at = pw.DateTimeField(null=True)
        canceled_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "access_link"

    @migrator.create_model
    class ScoreHistory(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE')
        play = pw.IntegerField()
        day = pw.DateField(index=True)
        score = pw.DoubleField(null=True)
        phase_score = pw.DoubleField(null=True)
        done = pw.IntegerField(default=0)
        in_progress = pw.IntegerField(default=0)
        not_started = pw.IntegerField(default=0)
        not_applicable = pw.IntegerField(default=0)

        class Meta:
            table_name = "score_history"
            indexes = ((('project', 'play', 'day'), True),)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop them again."""

    migrator.remove_model('score_history')
    migrator.remove_model('access_link')
    migrator.remove_fields('user', 'weekly_digest', 'digest_week')
    migrator.remove_fields('finding', 'owner', 'due_date')
