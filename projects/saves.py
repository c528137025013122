"""Saving an edit made on a page that may be stale: the one way every edit form saves.

A form carries the version of each row it was loaded at and a fingerprint of the values it
showed. `save` reads the rows again under lock, merges fields only one side changed, refuses
fields both sides changed (reporting both values), writes, bumps versions and audits, all in one
transaction. Nothing is silently overwritten.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from peewee import IntegrityError, Model, Select

from projects import audit
from projects.db import db, for_update, utcnow

SAVED, UNCHANGED, CONFLICTS = "saved", "nothing changed", "conflicts"


class Gone(LookupError):
    """The row a form edits was deleted while the person was editing it."""


def _digest(value: object) -> str:
    text = "" if value is None else str(value)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprint(values: dict) -> str:
    """What a form started from, sent back in a hidden field (hashes, not the values)."""
    return json.dumps({k: _digest(v) for k, v in sorted(values.items())}, separators=(",", ":"))


def plain(values: dict) -> dict:
    """Values as JSON for the audit log."""
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in values.items()}


@dataclass(frozen=True)
class Conflict:
    """A field both this person and someone else changed since the page was loaded."""

    saved: object  # the value saved now
    yours: object  # this person's value
    by: str = ""  # who saved the value there now, when known


@dataclass(frozen=True)
class Fresh:
    """Where a redrawn form starts from after a conflict, so saving again is deliberate."""

    version: int
    original: str  # fingerprint of the values saved now
    theirs: dict  # fields only someone else changed: the form shows their value


@dataclass
class Edit:
    """One row a form changes.

    `query` selects the row (no row: a new one from `new`); `values(row)` gives its editable
    values as the form holds them (`row` None: a row not saved yet). `apply(row, changes)` puts
    changes on the row (default: set the attributes); `write(row, changes, user)` replaces the
    whole write (default `store`). `also` holds values written with any change but never merged
    or shown (a new password), and `note` what the audit log says of them. `prefix` is the
    form's field-name prefix for the row ("items-0-").
    """

    query: Select
    submitted: dict
    version: int | None
    original: str | None
    values: Callable[[Model | None], dict]
    new: Callable[[], Model] | None = None
    apply: Callable[[Model, dict], None] | None = None
    write: Callable[[Model, dict, object], Model] | None = None
    also: dict = field(default_factory=dict)
    note: dict = field(default_factory=dict)  # said in the audit log about `also`
    prefix: str = ""
    action: str = "updated"
    created_action: str = "created"
    audit_as: tuple[str, str] | None = None  # (type, id) for rows named by another id


@dataclass
class Outcome:
    """What happened: SAVED, UNCHANGED or CONFLICTS (then nothing was written)."""

    status: str
    conflicts: dict[str, Conflict] = field(default_factory=dict)  # form field name -> values
    fresh: dict[str, Fresh] = field(default_factory=dict)  # form prefix -> where to restart
    rows: list = field(default_factory=list)  # each edit's row as saved now
    written: bool = False  # a row was written (SAVED can also mean "already saved so")

    @property
    def saved(self) -> bool:
        return self.status == SAVED

    @property
    def version(self) -> int:
        """The version saved now of a one-row form."""
        return self.fresh[""].version

    @property
    def original(self) -> str:
        return self.fresh[""].original


def save(
    edits: Edit | Sequence[Edit],
    *,
    user=None,
    project=None,
    then: Callable[[], None] | None = None,
    attempts: int = 3,
) -> Outcome:
    """Save every edit in one transaction, or nothing when any field conflicts. `then` runs in
    the same transaction after anything was written (figures that follow from the rows).

    Rows are read under lock (FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions hold the
    write lock), so nobody can save between the read and the write. Two first saves of a row that
    did not exist race on its unique index instead: the loser reads again and merges.
    """
    edits = [edits] if isinstance(edits, Edit) else list(edits)
    for attempt in range(attempts):
        try:
            with db.atomic():
                outcome = _save_once(edits, user, project)
                if then and outcome.written:
                    then()
                return outcome
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _save_once(edits: list[Edit], user, project) -> Outcome:
    outcome = Outcome(UNCHANGED)
    plans = []
    for index, edit in enumerate(edits):
        row = for_update(edit.query).get_or_none()
        if row is None and edit.new is None:
            raise Gone
        current = edit.values(row)
        version = row.version if row is not None else 0
        changes, conflicts, theirs = _merge(edit, current, version)
        outcome.rows.append(row)
        outcome.fresh[edit.prefix] = Fresh(version, fingerprint(current), theirs)
        by = _who_saved(row) if conflicts else ""
        for name, (saved, yours) in conflicts.items():
            outcome.conflicts[edit.prefix + name] = Conflict(saved, yours, by)
        if changes or (edit.also and not conflicts):
            plans.append((index, edit, row, current, changes))
    if outcome.conflicts:
        outcome.status = CONFLICTS
        return outcome
    if not plans and any(_asked(edit) for edit in edits):
        # What the person changed is what is saved now (someone made the same change first):
        # nothing to write, but to them the save worked.
        outcome.status = SAVED
    for index, edit, row, current, changes in plans:
        is_new = row is None
        row = edit.new() if is_new else row
        if edit.write:
            row = edit.write(row, changes | edit.also, user)
        else:
            row = store(row, changes | edit.also, user, apply=edit.apply)
        outcome.rows[index] = row
        outcome.fresh[edit.prefix] = Fresh(row.version, fingerprint(edit.values(row)), {})
        audit.record(
            edit.created_action if is_new else edit.action,
            edit.audit_as or row,
            project=project,
            user=user,
            before=None if is_new else plain({k: current[k] for k in changes}),
            after=plain(changes) | edit.note,
        )
        outcome.status = SAVED
        outcome.written = True
    return outcome


def _merge(edit: Edit, current: dict, version: int) -> tuple[dict, dict, dict]:
    """(changes to write, {field: (saved now, yours)} for fields both changed, fields only
    the other side changed with their value)."""
    same_version = (edit.version or 0) == version
    try:
        started = json.loads(edit.original or "")
        if not isinstance(started, dict):
            raise ValueError
    except ValueError:
        started = None  # no usable starting point: every difference counts as a conflict
    changes, conflicts, theirs = {}, {}, {}
    for key, mine in edit.submitted.items():
        saved = current.get(key)
        if _digest(mine) == _digest(saved):
            continue
        if same_version:
            changes[key] = mine
            continue
        i_changed = started is None or started.get(key) != _digest(mine)
        they_changed = started is None or started.get(key) != _digest(saved)
        if i_changed and they_changed:
            conflicts[key] = (saved, mine)
        elif i_changed:
            changes[key] = mine
        else:
            theirs[key] = saved
    return changes, conflicts, theirs


def _asked(edit: Edit) -> bool:
    """Did the person change anything on the page, compared with what it started from?"""
    try:
        started = json.loads(edit.original or "")
    except ValueError:
        return True
    if not isinstance(started, dict):
        return True
    return any(started.get(k) != _digest(v) for k, v in edit.submitted.items())


def _who_saved(row) -> str:
    if row is None:
        return ""
    for name in ("updated_by", "created_by"):
        if name in row._meta.fields and getattr(row, f"{name}_id", None):
            person = getattr(row, name, None)
            return getattr(person, "name", "") or ""
    return ""


def store(row: Model, changes: dict, user=None, *, apply=None) -> Model:
    """The usual write: put the changes on the row, move its version on, stamp who and when."""
    if apply:
        apply(row, changes)
    else:
        for key, value in changes.items():
            setattr(row, key, value)
    fields = row._meta.fields
    row.version = (row.version or 0) + 1 if row.id else 1
    if "updated_at" in fields:
        row.updated_at = utcnow()
    if "updated_by" in fields and user is not None:
        row.updated_by = user
    row.save()
    return row
