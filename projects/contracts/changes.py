"""Changing a contract package: starting one, adding, removing, moving and editing
clauses, its answers and its QASP rows."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from peewee import IntegrityError, fn

from playbook.contracts import (
    QASP_FIELDS,
    Clause,
    ClauseError,
    check_fills_in,
    clause_from_dict,
    evaluate,
    used_variables,
)
from playbook.contracts.layouts import UCF
from playbook.edition import default_edition
from projects import audit
from projects.auth.models import User
from projects.checklists.queries import statuses_by_project
from projects.contracts.catalogue import SECTION_ORDER, catalogue
from projects.contracts.models import AgencyClause, ContractPackage, PackageClause, PackageQaspRow
from projects.contracts.queries import view_package
from projects.db import db, for_update, utcnow
from projects.projects.models import Project
from projects.saves import Edit, Outcome, save, store


def _touch(package: ContractPackage) -> None:
    """Every change makes the package a draft again and moves its version on."""
    ContractPackage.update(
        status="draft", version=ContractPackage.version + 1, updated_at=utcnow()
    ).where(ContractPackage.id == package.id).execute()


def start_package(
    project: Project, title: str, answers: dict[str, Any], user: User, layout: str = UCF
) -> ContractPackage:
    """A new package holding every clause the rules propose, with their QASP rows."""
    statuses = statuses_by_project([project.id])[project.id]
    with db.atomic():
        package = ContractPackage.create(
            project=project, title=title, answers=answers, created_by=user, layout=layout
        )
        proposed = [
            c for c in catalogue() if evaluate(c, answers, project.phase, statuses).proposed
        ]
        proposed.sort(key=lambda c: SECTION_ORDER.index(c.section))
        for position, clause in enumerate(proposed, start=1):
            _add_entry(package, clause, position * 10, user)
        audit.record(
            "created",
            package,
            project=project,
            user=user,
            after={
                "title": title,
                "layout": layout,
                "answers": answers,
                "clauses": [c.id for c in proposed],
            },
        )
    return package


def _add_entry(
    package: ContractPackage, clause: Clause, position: int, user: User
) -> PackageClause:
    entry = PackageClause.create(
        package=package,
        position=position,
        clause_id=clause.id,
        clause_version=clause.version,
        updated_by=user,
    )
    has_rows = package.qasp_rows.where(PackageQaspRow.clause_id == clause.id).exists()
    if clause.qasp and not has_rows:
        start = (package.qasp_rows.select(fn.MAX(PackageQaspRow.position)).scalar() or 0) + 10
        for offset, row in enumerate(clause.qasp):
            PackageQaspRow.create(
                package=package,
                position=start + offset * 10,
                clause_id=clause.id,
                standard=row.standard,
                quality_level=row.quality_level,
                surveillance=row.surveillance,
            )
    return entry


def _lock(package: ContractPackage) -> None:
    """Take the package's row lock, so changes to its clauses and QASP rows (adds, moves,
    renumbering) run one after another; call it first inside the transaction. On SQLite the
    IMMEDIATE transaction already holds the database's write lock."""
    for_update(
        ContractPackage.select(ContractPackage.id).where(ContractPackage.id == package.id)
    ).get()


ADDED, RESTORED, ALREADY, MISSING = "added", "restored", "already in the package", "no such clause"


def add_clause(
    package: ContractPackage, project: Project, clause_id: str
) -> tuple[Clause | None, str]:
    """Add a clause from the catalog, or put back one that was removed. Returns the clause
    (None when there is no such clause) and what happened: ADDED, RESTORED, ALREADY when it
    was in the package already (someone else added it first, or a second click), or MISSING."""
    clause = next((c for c in catalogue() if c.id == clause_id), None)
    if clause is None:
        return None, MISSING
    with db.atomic():
        _lock(package)
        existing = PackageClause.get_or_none(package=package, clause_id=clause_id)
        if existing is not None:
            if existing.included:
                return clause, ALREADY
            set_included(package, project, existing, True)
            return clause, RESTORED
        end = package.entries.select(fn.MAX(PackageClause.position)).scalar() or 0
        entry = _add_entry(package, clause, end + 10, current_user.id)
        _renumber(package)
        _touch(package)
        audit.record(
            "added clause",
            entry,
            project=project,
            after={"package": package.id, "clause": clause.id, "version": clause.version},
        )
    return clause, ADDED


def _renumber(package: ContractPackage) -> None:
    """Positions follow document order: section first, then the order within the section.

    Two passes, so (package, position) stays unique after every statement: the rows that move
    first go to the negative of their new place (free: every position is positive), then one
    UPDATE turns them positive (their new places are no one else's)."""
    sections = {c.id: SECTION_ORDER.index(c.section) for c in catalogue()}
    entries = sorted(
        package.entries,
        key=lambda e: (sections.get(e.clause_id, len(SECTION_ORDER)), e.position),
    )
    moving = False
    for position, entry in enumerate(entries, start=1):
        if entry.position != position * 10:
            PackageClause.update(position=-position * 10).where(
                PackageClause.id == entry.id
            ).execute()
            moving = True
    if moving:
        PackageClause.update(position=PackageClause.position * -1).where(
            (PackageClause.package == package.id) & (PackageClause.position < 0)
        ).execute()


def set_included(package, project, entry: PackageClause, included: bool) -> None:
    with db.atomic():
        PackageClause.update(included=included, version=PackageClause.version + 1).where(
            PackageClause.id == entry.id
        ).execute()
        _touch(package)
        audit.record(
            "restored clause" if included else "removed clause",
            entry,
            project=project,
            before={"package": package.id, "clause": entry.clause_id, "included": entry.included},
            after={"package": package.id, "clause": entry.clause_id, "included": included},
        )


def move(package, project, entry: PackageClause, direction: str) -> bool:
    """Swap the clause with its neighbor in the same section; False when it cannot move.

    The package is locked and read again first, so two moves (or a move and an add) at once
    each swap the positions as they are, never as a page loaded earlier showed them."""
    with db.atomic():
        _lock(package)
        view = view_package(package, project)
        section = next(
            (s for s in view.sections if any(e.entry.id == entry.id for e in s.entries)), None
        )
        if section is None:
            return False
        ids = [e.entry for e in section.entries]
        index = next(i for i, e in enumerate(ids) if e.id == entry.id)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(ids):
            return False
        mine, theirs = ids[index], ids[other]
        # Through a free (negative) position: (package, position) is unique at every step.
        _place(mine, -mine.position)
        _place(theirs, mine.position)
        _place(mine, theirs.position)
        _touch(package)
        audit.record(
            "moved clause",
            mine,
            project=project,
            before={"clause": mine.clause_id, "position": mine.position},
            after={"clause": mine.clause_id, "position": theirs.position, "moved": direction},
        )
    return True


def _place(entry: PackageClause, position: int) -> None:
    PackageClause.update(position=position).where(PackageClause.id == entry.id).execute()


def validate_edit(text: str, answers: dict) -> str:
    """The message for an edited clause text that cannot be used, or "": it must fill in with
    the package's answers, and within the budget for any answers the package may change to."""
    try:
        check_fills_in(text, answers)
    except ClauseError as error:
        return str(error)
    return ""


def reset_text(package, project, entry: PackageClause, version: int) -> bool:
    """Back to the library text, if the clause is still at the `version` the button was shown
    for; False (nothing changed) when someone has edited it since."""
    with db.atomic():
        changed = (
            PackageClause.update(
                text=None,
                version=PackageClause.version + 1,
                updated_by=current_user.id,
                updated_at=utcnow(),
            )
            .where((PackageClause.id == entry.id) & (PackageClause.version == version))
            .execute()
        )
        if not changed:
            return False
        _touch(package)
        audit.record(
            "restored library text",
            entry,
            project=project,
            before={"clause": entry.clause_id, "text": entry.text},
            after={"clause": entry.clause_id, "text": None},
        )
    return True


def edit_text(
    package,
    project,
    entry: PackageClause,
    library_text: str,
    text: str,
    *,
    version,
    original,
    user: User,
) -> Outcome:
    """Save an edited clause text, merged with anything saved since the page was loaded. Text
    that matches the library's stores no edit: the clause follows the library again."""
    library_text = library_text.strip()

    def write(row: PackageClause, changes: dict, user: User) -> PackageClause:
        row.text = None if changes["text"] == library_text else changes["text"]
        store(row, {}, user)
        _touch(package)
        return row

    return save(
        Edit(
            PackageClause.select().where(PackageClause.id == entry.id),
            {"text": text},
            version,
            original,
            values=lambda row: {"text": clause_text(row, library_text)},
            write=write,
            action="restored library text" if text == library_text else "edited clause",
        ),
        user=user,
        project=project,
    )


def clause_text(entry: PackageClause, library_text: str) -> str:
    """The clause's text as its edit form shows it: the edit, or the library's."""
    return (entry.text if entry.text is not None else library_text).strip()


def answer_values(package: ContractPackage) -> dict:
    return {"title": package.title, "layout": package.layout, **package.filled_answers}


def edit_answers(package, project, values: dict, *, version, original, user: User) -> Outcome:
    """Save the package's title and answers, merged answer by answer."""

    def apply(row: ContractPackage, changes: dict) -> None:
        row.title = changes.get("title", row.title)
        row.layout = changes.get("layout", row.layout)
        kept = {k: v for k, v in changes.items() if k not in ("title", "layout")}
        row.answers = {**row.answers, **kept}
        row.status = "draft"  # a change to a final package starts a new draft

    return save(
        Edit(
            ContractPackage.select().where(ContractPackage.id == package.id),
            values,
            version,
            original,
            values=answer_values,
            apply=apply,
            action="updated answers",
        ),
        user=user,
        project=project,
    )


def add_qasp_row(package, project, values: dict) -> PackageQaspRow:
    with db.atomic():
        _lock(package)  # two rows added at once must not both take the next position
        end = package.qasp_rows.select(fn.MAX(PackageQaspRow.position)).scalar() or 0
        row = PackageQaspRow.create(package=package, position=end + 10, **values)
        _touch(package)
        audit.record("added QASP row", row, project=project, after=values)
    return row


def edit_qasp_row(
    package, project, row: PackageQaspRow, values: dict, *, version, original, user: User
) -> Outcome:
    """Save one QASP row, merged with anything saved since the page was loaded."""

    def write(saved: PackageQaspRow, changes: dict, user: User) -> PackageQaspRow:
        store(saved, changes | {"edited": True}, user)
        _touch(package)
        return saved

    return save(
        Edit(
            PackageQaspRow.select().where(PackageQaspRow.id == row.id),
            values,
            version,
            original,
            values=lambda saved: {k: getattr(saved, k) for k in QASP_FIELDS},
            write=write,
            action="edited QASP row",
        ),
        user=user,
        project=project,
    )


def delete_qasp_row(package, project, row: PackageQaspRow, version: int) -> bool:
    """Remove the row, if it is still at the `version` the button was shown for; False
    (nothing removed) when someone has edited it since."""
    with db.atomic():
        removed = (
            PackageQaspRow.delete()
            .where((PackageQaspRow.id == row.id) & (PackageQaspRow.version == version))
            .execute()
        )
        if not removed:
            return False
        _touch(package)
        audit.record(
            "removed QASP row",
            ("PackageQaspRow", row.id),
            project=project,
            before={k: getattr(row, k) for k in QASP_FIELDS},
        )
    return True


# An agency clause's fields as its form holds them; the plays are typed, the rest are chosen.
AGENCY_FIELDS = (
    "title",
    "section",
    "proposal",
    "text",
    "plays",
    "topics",
    "source_title",
    "source_url",
    "qasp_standard",
    "qasp_quality_level",
    "qasp_surveillance",
)


class ClauseRefused(Exception):
    """The clause cannot be used: `problems` says why, for people."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def agency_values(fields: dict) -> dict:
    """A stored agency clause's fields as its form holds them."""
    source = fields.get("source") or {}
    qasp = (fields.get("qasp") or [{}])[0]
    values = {k: fields.get(k) for k in ("title", "section", "proposal", "text", "topics")}
    values["plays"] = ", ".join(str(p) for p in fields.get("plays", []))
    values |= {"source_title": source.get("title", ""), "source_url": source.get("url", "")}
    return values | {f"qasp_{k}": qasp.get(k, "") for k in QASP_FIELDS}


def agency_fields(values: dict) -> dict:
    """The fields to store from the form's values; raises ClauseRefused when unusable."""
    strip = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    try:
        used = used_variables(strip["text"])
        # Agency clauses can go into every new package: one that cannot be filled in within
        # the budget would fail them all, so it is filled in with sample answers first.
        check_fills_in(strip["text"])
    except ClauseError as error:
        raise ClauseRefused([str(error)]) from None
    plays = [p.strip() for p in (strip["plays"] or "").split(",") if p.strip()]
    fields = {
        "title": strip["title"],
        "section": strip["section"],
        "proposal": strip["proposal"],
        "text": strip["text"],
        "variables": sorted(used),
        "plays": sorted({int(p) for p in plays if p.isdigit()}),
        "items": [],
        "topics": list(strip["topics"] or []),
        "qasp": [{k: strip[f"qasp_{k}"] for k in QASP_FIELDS}] if strip["qasp_standard"] else [],
    }
    if strip["source_url"]:
        fields["source"] = {"title": strip["source_title"], "url": strip["source_url"]}
    return fields


def _new_version(clause_id: str, version: int, values: dict, user) -> AgencyClause:
    fields = agency_fields(values)
    clause, problems = clause_from_dict(
        dict(fields, id=clause_id, version=version), default_edition(), clause_id
    )
    if clause is None:
        raise ClauseRefused([p.removeprefix(f"{clause_id}: ") for p in problems])
    return AgencyClause.create(clause_id=clause_id, version=version, fields=fields, created_by=user)


def create_agency_clause(clause_id: str, values: dict, user: User) -> AgencyClause | None:
    """Version 1 of a new agency clause; None when that id is taken (at the same moment)."""
    try:
        with db.atomic():
            row = _new_version(clause_id, 1, values, user)
            audit.record(
                "saved agency clause", row, user=user, after={"clause": clause_id, "version": 1}
            )
    except IntegrityError:
        return None
    return row


def edit_agency_clause(clause_id: str, values: dict, *, version, original, user: User) -> Outcome:
    """Save an edit as the clause's next version, merged with any version saved since the
    page was loaded: saved versions never change."""

    def write(latest: AgencyClause, changes: dict, user: User) -> AgencyClause:
        merged = agency_values(latest.fields) | changes
        return _new_version(clause_id, latest.version + 1, merged, user)

    return save(
        Edit(
            AgencyClause.select()
            .where(AgencyClause.clause_id == clause_id)
            .order_by(AgencyClause.version.desc())
            .limit(1),
            values,
            version,
            original,
            values=lambda latest: agency_values(latest.fields),
            write=write,
            action="saved agency clause",
        ),
        user=user,
    )


def satisfied_items(package: ContractPackage, project: Project) -> list[tuple[str, str]]:
    """The Play 5 checklist items the package's included clauses satisfy and the project has
    not marked done yet, as (item id, item text)."""
    edition = default_edition()
    included = set(
        PackageClause.select(PackageClause.clause_id)
        .where((PackageClause.package == package.id) & PackageClause.included)
        .scalars()
    )
    wanted = {
        item
        for clause in catalogue()
        if clause.id in included
        for item in clause.items
        if item.startswith("p05.")
    }
    statuses = statuses_by_project([project.id])[project.id]
    play = edition.play(5)
    return [
        (item.id, item.text)
        for item in (play.checklist if play else ())
        if item.id in wanted and statuses.get(item.id) not in ("done", "not_applicable")
    ]
