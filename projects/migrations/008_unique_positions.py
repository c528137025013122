"""Package clauses and QASP rows: one row per position in a package, so the export order is
always defined. Duplicates left by concurrent adds and moves are renumbered first."""

from collections import defaultdict
from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


OLD_QASP_INDEX = "packageqasprow_package_id_position"


def _repair(database: pw.Database, table: str) -> None:
    """In each package that has two rows at one position, number its rows 10, 20, 30... in
    their order now (position, then the order they were added); other packages are untouched.
    (package, clause_id) is unique since 003, so clauses can only share positions."""
    rows = pw.Table(table, ("id", "package_id", "position")).bind(database)
    packages = defaultdict(list)
    for row_id, package_id, position in (
        rows.select(rows.id, rows.package_id, rows.position)
        .order_by(rows.package_id, rows.position, rows.id)
        .tuples()
    ):
        packages[package_id].append((row_id, position))
    for entries in packages.values():
        positions = [position for _id, position in entries]
        if len(set(positions)) == len(positions):
            continue
        for number, (row_id, position) in enumerate(entries, start=1):
            if position != number * 10:
                rows.update(position=number * 10).where(rows.id == row_id).execute()


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Renumber duplicate positions, then make (package, position) unique for both tables."""

    migrator.run(_repair, database, "package_clause")
    migrator.run(_repair, database, "package_qasp_row")
    migrator.add_index('package_clause', 'package', 'position', unique=True)
    # 003 named the plain index after the model class, so drop_index would miss it.
    migrator.sql(f'DROP INDEX IF EXISTS "{OLD_QASP_INDEX}"')
    migrator.add_index('package_qasp_row', 'package', 'position', unique=True)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Back to a plain index on QASP positions and none on clause positions."""

    migrator.drop_index('package_qasp_row', 'package', 'position')
    migrator.sql(
        f'CREATE INDEX "{OLD_QASP_INDEX}" ON "package_qasp_row" ("package_id", "position")'
    )
    migrator.drop_index('package_clause', 'package', 'position')
