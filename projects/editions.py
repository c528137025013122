"""Which playbook edition is in use; importing an agency's own edition without losing answers."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g
from peewee import BooleanField, CharField, DateTimeField, fn

from playbook.edition import Edition, default_edition, edition_from_dict
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.db import BaseModel, JSONField, db, utcnow


class EditionRecord(BaseModel):
    """An edition imported by an agency; the newest active one replaces the built-in edition."""

    name = CharField(unique=True)
    data = JSONField()
    active = BooleanField(default=False, index=True)
    imported_at = DateTimeField(default=utcnow)
    imported_by = CharField(default="")


# Imported editions never change once stored (a new one needs a new name), so a parsed copy
# per record (id and import time) is safe to keep in every worker.
_parsed: dict[tuple, Edition] = {}


def active_edition() -> Edition:
    """The edition in use, looked up once per request."""
    if "edition" not in g:
        g.edition = edition_in_use()
    return g.edition


def edition_in_use() -> Edition:
    """The newest imported edition that is active, else the built-in one."""
    newest = (
        EditionRecord.select(EditionRecord.id, EditionRecord.imported_at)
        .where(EditionRecord.active)
        .order_by(EditionRecord.imported_at.desc())
        .tuples()
        .first()
    )
    if newest is None:
        return default_edition()
    # Keyed by when it was imported too: the same id in another database (a restored backup,
    # the test suite) is another edition.
    if newest not in _parsed:
        _parsed[newest] = edition_from_dict(EditionRecord.get_by_id(newest[0]).data)
    return _parsed[newest]


@dataclass(frozen=True)
class ImportReport:
    edition: Edition
    orphaned_items: dict[str, int]  # id -> how many projects have an answer for it
    orphaned_questions: dict[str, int]


class ImportRefused(ValueError):
    pass


def import_edition(edition: Edition, imported_by: str) -> ImportReport:
    """Make `edition` the one in use. Answers whose id it lacks stay stored and are reported."""
    builtin = default_edition()
    with db.atomic():
        existing = EditionRecord.get_or_none(EditionRecord.name == edition.name)
        if existing and existing.data != edition.to_dict():
            raise ImportRefused(
                f"An edition called {edition.name!r} was already imported with other content. "
                "Give the new one its own `edition` name at the top of the file."
            )
        EditionRecord.update(active=False).execute()
        if edition.name != builtin.name:
            if existing:
                existing.active = True
                existing.save()
            else:
                EditionRecord.create(
                    name=edition.name, data=edition.to_dict(), active=True, imported_by=imported_by
                )
        # Every project's figures follow the edition in use. (Imported here: scores reads the
        # active edition from this module.)
        from projects.checklists import scores

        scores.store_all(edition)
    g.pop("edition", None)  # this request (or command) now reads the new one
    return ImportReport(
        edition,
        _orphans(ItemResponse, ItemResponse.item_id, edition.items),
        _orphans(QuestionAnswer, QuestionAnswer.question_id, edition.questions),
    )


def _orphans(model, id_field, known) -> dict[str, int]:
    rows = (
        model.select(id_field, fn.COUNT(model.project.distinct()).alias("projects"))
        .where(id_field.not_in(list(known)))
        .group_by(id_field)
        .order_by(id_field)
        .tuples()
    )
    return dict(rows)
