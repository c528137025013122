"""Contract packages: clauses, QASP rows, immutable revisions with their files, agency clauses."""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your migrations here."""

    @migrator.create_model
    class ContractPackage(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['project'], on_delete='CASCADE')
        title = pw.CharField(max_length=255)
        answers = pw.TextField()
        status = pw.CharField(default='draft', max_length=255)
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "contract_package"

    @migrator.create_model
    class PackageClause(pw.Model):
        id = pw.AutoField()
        package = pw.ForeignKeyField(column_name='package_id', field='id', model=migrator.orm['contract_package'], on_delete='CASCADE')
        position = pw.IntegerField()
        clause_id = pw.CharField(max_length=255)
        clause_version = pw.IntegerField()
        text = pw.TextField(null=True)
        included = pw.BooleanField(default=True)
        updated_by = pw.ForeignKeyField(column_name='updated_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        updated_at = pw.DateTimeField()
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "package_clause"
            indexes = [(('package', 'clause_id'), True)]

    @migrator.create_model
    class PackageQaspRow(pw.Model):
        id = pw.AutoField()
        package = pw.ForeignKeyField(column_name='package_id', field='id', model=migrator.orm['contract_package'], on_delete='CASCADE')
        position = pw.IntegerField()
        clause_id = pw.CharField(default='', max_length=255)
        standard = pw.TextField()
        quality_level = pw.TextField()
        surveillance = pw.TextField()
        edited = pw.BooleanField(default=False)
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "package_qasp_row"
            indexes = [(('package', 'position'), False)]

    @migrator.create_model
    class Revision(pw.Model):
        id = pw.AutoField()
        package = pw.ForeignKeyField(column_name='package_id', field='id', model=migrator.orm['contract_package'], on_delete='CASCADE')
        number = pw.IntegerField()
        snapshot = pw.TextField()
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        created_by_name = pw.CharField(default='', max_length=255)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "revision"
            indexes = [(('package', 'number'), True)]

    @migrator.create_model
    class RevisionFile(pw.Model):
        id = pw.AutoField()
        revision = pw.ForeignKeyField(column_name='revision_id', field='id', model=migrator.orm['revision'], on_delete='CASCADE')
        format = pw.CharField(max_length=255)
        content = pw.BlobField()
        sha256 = pw.CharField(max_length=64)
        size = pw.IntegerField()

        class Meta:
            table_name = "revision_file"
            indexes = [(('revision', 'format'), True)]

    @migrator.create_model
    class AgencyClause(pw.Model):
        id = pw.AutoField()
        clause_id = pw.CharField(index=True, max_length=255)
        version = pw.IntegerField()
        fields = pw.TextField()
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "agency_clause"
            indexes = [(('clause_id', 'version'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""

    migrator.remove_model('agency_clause')

    migrator.remove_model('revision_file')

    migrator.remove_model('revision')

    migrator.remove_model('package_qasp_row')

    migrator.remove_model('package_clause')

    migrator.remove_model('contract_package')
