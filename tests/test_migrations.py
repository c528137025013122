"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from projects.db import BaseModel, db


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
