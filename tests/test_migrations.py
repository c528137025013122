"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from peewee import IntegrityError, SqliteDatabase
from peewee_migrate import Router

from projects.db import MIGRATIONS, BaseModel, db


def _all_models(cls=BaseModel):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_models(sub)


def test_every_model_table_and_column_exists_after_migrating(app):
    tables = set(db.get_tables())
    models = list(_all_models())
    assert len(models) >= 7
    for model in models:
        table = model._meta.table_name
        assert table in tables, f"{model.__name__}: no migration creates table {table}"
        columns = {c.name for c in db.get_columns(table)}
        expected = {f.column_name for f in model._meta.sorted_fields}
        assert expected == columns, f"{table}: models say {expected}, database has {columns}"


def test_unique_indexes_exist(app):
    indexes = {
        (i.table, tuple(i.columns)) for t in db.get_tables() for i in db.get_indexes(t) if i.unique
    }
    assert ("item_response", ("project_id", "item_id")) in indexes
    assert ("membership", ("project_id", "user_id")) in indexes
    assert ("user", ("email",)) in indexes


def test_unique_positions_in_contract_packages(app):
    indexes = {
        (i.table, tuple(i.columns)) for t in db.get_tables() for i in db.get_indexes(t) if i.unique
    }
    assert ("package_clause", ("package_id", "clause_id")) in indexes
    assert ("package_clause", ("package_id", "position")) in indexes
    assert ("package_qasp_row", ("package_id", "position")) in indexes


def test_the_position_migration_renumbers_duplicates_before_it_makes_them_unique(tmp_path):
    """Packages damaged by concurrent adds and moves (two clauses or QASP rows at one
    position) are renumbered in their order; packages without duplicates keep theirs."""
    old = SqliteDatabase(str(tmp_path / "old.db"), pragmas={"foreign_keys": 0})
    router = Router(old, migrate_dir=MIGRATIONS, ignore=["basemodel"])
    router.run("007_user_version")
    clauses = [(1, 10, "a"), (1, 20, "b"), (1, 20, "c"), (1, 30, "d"), (2, 10, "a"), (2, 40, "b")]
    for package, position, clause in clauses:
        old.execute_sql(
            "INSERT INTO package_clause (package_id, position, clause_id, clause_version,"
            " included, updated_at, version) VALUES (?, ?, ?, 1, 1, '2026-01-01', 1)",
            (package, position, clause),
        )
    for package, position in [(1, 10), (1, 10), (2, 30)]:
        old.execute_sql(
            "INSERT INTO package_qasp_row (package_id, position, clause_id, standard,"
            " quality_level, surveillance, edited, version) VALUES (?, ?, '', 's', 'q', 'm', 0, 1)",
            (package, position),
        )
    assert router.run("008_unique_positions") == ["008_unique_positions"]
    rows = old.execute_sql(
        "SELECT package_id, clause_id, position FROM package_clause ORDER BY id"
    ).fetchall()
    assert rows == [
        (1, "a", 10),
        (1, "b", 20),
        (1, "c", 30),
        (1, "d", 40),
        (2, "a", 10),
        (2, "b", 40),
    ]
    qasp = old.execute_sql("SELECT package_id, position FROM package_qasp_row ORDER BY id")
    assert qasp.fetchall() == [(1, 10), (1, 20), (2, 30)]
    with pytest.raises(IntegrityError):
        old.execute_sql(
            "UPDATE package_clause SET position = 20 WHERE package_id = 1 AND clause_id = 'a'"
        )
    old.close()
