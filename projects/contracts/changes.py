"""Changing a contract package: starting one, adding, removing, moving and editing
clauses, its answers and its QASP rows."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from peewee import fn

from playbook.contracts import QASP_FIELDS, Clause, ClauseError, check_text, evaluate, render_text
from projects import audit
from projects.auth.models import User
from projects.checklists.queries import statuses_by_project
from projects.contracts.catalogue import SECTION_ORDER, catalogue
from projects.contracts.models import ContractPackage, PackageClause, PackageQaspRow
from projects.contracts.queries import view_package
from projects.db import db, utcnow
from projects.projects.models import Project


def _touch(package: ContractPackage) -> None:
    """Every change makes the package a draft again and moves its version on."""
    ContractPackage.update(
        status="draft", version=ContractPackage.version + 1, updated_at=utcnow()
    ).where(ContractPackage.id == package.id).execute()


def start_package(
    project: Project, title: str, answers: dict[str, Any], user: User
) -> ContractPackage:
    """A new package holding every clause the rules propose, with their QASP rows."""
    statuses = statuses_by_project([project.id])[project.id]
    with db.atomic():
        package = ContractPackage.create(
            project=project, title=title, answers=answers, created_by=user
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
            after={"title": title, "answers": answers, "clauses": [c.id for c in proposed]},
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


def add_clause(package: ContractPackage, project: Project, clause_id: str) -> Clause | None:
    """Add a clause from the catalogue; None when there is no such clause."""
    clause = next((c for c in catalogue() if c.id == clause_id), None)
    if clause is None:
        return None
    with db.atomic():
        existing = PackageClause.get_or_none(package=package, clause_id=clause_id)
        if existing is not None:
            if not existing.included:
                set_included(package, project, existing, True)
            return clause
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
    return clause


def _renumber(package: ContractPackage) -> None:
    """Positions follow document order: section first, then the order within the section."""
    sections = {c.id: SECTION_ORDER.index(c.section) for c in catalogue()}
    entries = sorted(
        package.entries,
        key=lambda e: (sections.get(e.clause_id, len(SECTION_ORDER)), e.position),
    )
    for position, entry in enumerate(entries, start=1):
        if entry.position != position * 10:
            PackageClause.update(position=position * 10).where(
                PackageClause.id == entry.id
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
    """Swap the clause with its neighbour in the same section; False when it cannot move."""
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
    with db.atomic():
        PackageClause.update(position=theirs.position).where(PackageClause.id == mine.id).execute()
        PackageClause.update(position=mine.position).where(PackageClause.id == theirs.id).execute()
        _touch(package)
        audit.record(
            "moved clause",
            mine,
            project=project,
            before={"clause": mine.clause_id, "position": mine.position},
            after={"clause": mine.clause_id, "position": theirs.position, "moved": direction},
        )
    return True


def validate_edit(text: str, answers: dict) -> str:
    """The message for an edited clause text that cannot be used, or ""."""
    try:
        check_text(text)
        render_text(text, answers)
    except ClauseError as error:
        return str(error)
    return ""


def save_text(
    package, project, entry: PackageClause, text: str | None, user: User | None = None
) -> bool:
    """Save an edit (None: back to the library text); False when someone saved first."""
    user = user or current_user._get_current_object()
    with db.atomic():
        updated = (
            PackageClause.update(
                text=text,
                version=PackageClause.version + 1,
                updated_by=user.id,
                updated_at=utcnow(),
            )
            .where((PackageClause.id == entry.id) & (PackageClause.version == entry.version))
            .execute()
        )
        if updated != 1:
            return False
        _touch(package)
        audit.record(
            "edited clause" if text is not None else "restored library text",
            entry,
            project=project,
            user=user,
            before={"clause": entry.clause_id, "text": entry.text},
            after={"clause": entry.clause_id, "text": text},
        )
    return True


def save_answers(package, project, title: str, answers: dict) -> None:
    with db.atomic():
        before = {"title": package.title, "answers": package.answers}
        ContractPackage.update(title=title, answers=answers).where(
            ContractPackage.id == package.id
        ).execute()
        _touch(package)
        audit.record(
            "updated answers",
            package,
            project=project,
            before=before,
            after={"title": title, "answers": answers},
        )


def save_qasp_row(package, project, row: PackageQaspRow | None, values: dict) -> bool:
    """Save one QASP row (None: a new row); False when someone saved the row first."""
    with db.atomic():
        if row is None:
            end = package.qasp_rows.select(fn.MAX(PackageQaspRow.position)).scalar() or 0
            row = PackageQaspRow.create(package=package, position=end + 10, **values)
            before = None
        else:
            updated = (
                PackageQaspRow.update(**values, edited=True, version=PackageQaspRow.version + 1)
                .where((PackageQaspRow.id == row.id) & (PackageQaspRow.version == row.version))
                .execute()
            )
            if updated != 1:
                return False
            before = {k: getattr(row, k) for k in QASP_FIELDS}
        _touch(package)
        audit.record(
            "edited QASP row" if before else "added QASP row",
            row,
            project=project,
            before=before,
            after=values,
        )
    return True


def delete_qasp_row(package, project, row: PackageQaspRow) -> None:
    with db.atomic():
        row.delete_instance()
        _touch(package)
        audit.record(
            "removed QASP row",
            ("PackageQaspRow", row.id),
            project=project,
            before={k: getattr(row, k) for k in QASP_FIELDS},
        )
