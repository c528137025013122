"""The first schema: users, projects, members, checklist answers, editions and the audit log."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your migrations here."""
    
    @migrator.create_model
    class User(pw.Model):
        id = pw.AutoField()
        email = pw.CharField(max_length=255, unique=True)
        name = pw.CharField(max_length=255)
        password_hash = pw.CharField(max_length=255)
        role = pw.CharField(index=True, max_length=255)
        active = pw.BooleanField(default=True)
        failed_sign_ins = pw.IntegerField(default=0)
        locked_until = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "user"

    @migrator.create_model
    class Project(pw.Model):
        id = pw.AutoField()
        slug = pw.CharField(max_length=255, unique=True)
        name = pw.CharField(max_length=255)
        agency = pw.CharField(index=True, max_length=255)
        office = pw.CharField(default='', max_length=255)
        phase = pw.CharField(default='discovery', index=True, max_length=255)
        summary = pw.TextField(default='')
        lead = pw.ForeignKeyField(column_name='lead_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        start_date = pw.DateField(null=True)
        target_date = pw.DateField(null=True)
        edition = pw.CharField(max_length=255)
        archived = pw.BooleanField(default=False, index=True)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "project"

    @migrator.create_model
    class AuditEvent(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], null=True, on_delete='CASCADE')
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        at = pw.DateTimeField(index=True)
        action = pw.CharField(max_length=255)
        object_type = pw.CharField(max_length=255)
        object_id = pw.CharField(max_length=255)
        before = pw.TextField(null=True)
        after = pw.TextField(null=True)

        class Meta:
            table_name = "audit_event"
            indexes = [(('project', 'at'), False)]

    @migrator.create_model
    class EditionRecord(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=255, unique=True)
        data = pw.TextField()
        active = pw.BooleanField(default=False, index=True)
        imported_at = pw.DateTimeField()
        imported_by = pw.CharField(default='', max_length=255)

        class Meta:
            table_name = "edition_record"

    @migrator.create_model
    class ItemResponse(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE')
        item_id = pw.CharField(max_length=255)
        status = pw.CharField(default='not_started', max_length=255)
        justification = pw.TextField(default='')
        note = pw.TextField(default='')
        evidence_url = pw.CharField(default='', max_length=2000)
        owner = pw.ForeignKeyField(column_name='owner_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        due_date = pw.DateField(null=True)
        reviewed_by = pw.ForeignKeyField(column_name='reviewed_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        reviewed_at = pw.DateTimeField(null=True)
        updated_by = pw.ForeignKeyField(column_name='updated_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        updated_at = pw.DateTimeField()
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "item_response"
            indexes = [(('project', 'item_id'), True)]

    @migrator.create_model
    class Membership(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE')
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        role = pw.CharField(max_length=255)

        class Meta:
            table_name = "membership"
            indexes = [(('project', 'user'), True)]

    @migrator.create_model
    class QuestionAnswer(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE')
        question_id = pw.CharField(max_length=255)
        answer = pw.TextField(default='')
        updated_by = pw.ForeignKeyField(column_name='updated_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        updated_at = pw.DateTimeField()
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "question_answer"
            indexes = [(('project', 'question_id'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('question_answer')

    migrator.remove_model('membership')

    migrator.remove_model('item_response')

    migrator.remove_model('edition_record')

    migrator.remove_model('audit_event')

    migrator.remove_model('project')

    migrator.remove_model('user')
