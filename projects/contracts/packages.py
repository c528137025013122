"""What a contract package holds and how it changes: the clause catalogue (library plus agency
clauses), proposals, ordering, edits, the QASP and the document every export renders."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_login import current_user
from peewee import IntegrityError, fn

from playbook.contracts import (
    QASP_FIELDS,
    SECTIONS,
    Block,
    Clause,
    ClauseError,
    Deviation,
    PackageEntry,
    Proposal,
    blocks,
    check_text,
    clause_from_dict,
    default_library,
    describe_answers,
    deviations,
    evaluate,
    render_text,
)
from playbook.edition import default_edition
from projects import audit
from projects.contracts.models import (
    EDITOR_ROLES,
    AgencyClause,
    ContractPackage,
    PackageClause,
    PackageQaspRow,
    Revision,
    RevisionFile,
)
from projects.db import db
from projects.models import Project, User, utcnow
from projects.scores import statuses_by_project

SECTION_ORDER = list(SECTIONS)


def can_edit_contracts(user) -> bool:
    return user.is_authenticated and user.role in EDITOR_ROLES


# ------------------------------------------------------------------ the catalogue


def agency_clause(row: AgencyClause) -> Clause:
    """An agency clause version as a Clause (it was validated when it was saved)."""
    data = dict(row.fields, id=row.clause_id, version=row.version)
    clause, _problems = clause_from_dict(data, default_edition(), row.clause_id)
    if clause is None:  # only if the rules tightened since it was saved: keep it readable
        clause = Clause(
            id=row.clause_id,
            version=row.version,
            title=str(data.get("title", row.clause_id)),
            section=data.get("section") if data.get("section") in SECTIONS else "administration",
            proposal="optional",
            text=str(data.get("text", "")),
        )
    return clause


def latest_agency_clauses() -> dict[str, Clause]:
    newest = (
        AgencyClause.select(AgencyClause.clause_id, fn.MAX(AgencyClause.version).alias("v"))
        .group_by(AgencyClause.clause_id)
        .alias("newest")
    )
    rows = AgencyClause.select().join(
        newest,
        on=((AgencyClause.clause_id == newest.c.clause_id) & (AgencyClause.version == newest.c.v)),
    )
    return {row.clause_id: agency_clause(row) for row in rows.order_by(AgencyClause.clause_id)}


def catalogue() -> list[Clause]:
    """Every clause a package can use now: the library, then the agency's newest versions."""
    return [*default_library().clauses, *latest_agency_clauses().values()]


def proposals_for(package: ContractPackage, project: Project, statuses=None) -> list[Proposal]:
    if statuses is None:
        statuses = statuses_by_project([project.id])[project.id]
    answers = package.answers
    return [evaluate(c, answers, project.phase, statuses) for c in catalogue()]


# ------------------------------------------------------------------ reading a package


@dataclass
class EntryView:
    entry: PackageClause
    clause: Clause | None  # None: the clause no longer exists anywhere
    proposal: Proposal | None
    rendered: str = ""
    library_rendered: str = ""
    error: str = ""
    agency: bool = False
    library_version: int | None = None

    @property
    def title(self) -> str:
        return self.clause.title if self.clause else self.entry.clause_id

    @property
    def edited(self) -> bool:
        return self.entry.text is not None

    @property
    def blocks(self) -> list[Block]:
        return blocks(self.rendered)

    @property
    def library_blocks(self) -> list[Block]:
        return blocks(self.library_rendered)


@dataclass
class SectionView:
    id: str
    label: str
    entries: list[EntryView] = field(default_factory=list)


@dataclass
class PackageView:
    package: ContractPackage
    sections: list[SectionView]
    removed: list[EntryView]
    available: list[Proposal]  # clauses not in the package, proposed ones first
    qasp: list[PackageQaspRow]
    deviations: list[Deviation]
    revisions: list[Revision]
    files: dict[int, dict[str, RevisionFile]] = field(default_factory=dict)  # no content loaded

    @property
    def included(self) -> list[EntryView]:
        return [e for s in self.sections for e in s.entries]

    @property
    def errors(self) -> list[EntryView]:
        return [e for e in self.included if e.error]


def _clauses_for(entries: list[PackageClause]) -> tuple[dict, dict]:
    """The clause each entry uses (its agency version, or the library's) and library versions."""
    library = {c.id: c for c in default_library().clauses}
    wanted = [(e.clause_id, e.clause_version) for e in entries if e.clause_id not in library]
    agency = {}
    if wanted:
        ids = {cid for cid, _ in wanted}
        rows = AgencyClause.select().where(AgencyClause.clause_id.in_(ids))
        versions = {(r.clause_id, r.version): r for r in rows}
        agency = {k: agency_clause(versions[k]) for k in wanted if k in versions}
    return library, agency


def view_package(package: ContractPackage, project: Project) -> PackageView:
    entries = list(package.entries.order_by(PackageClause.position))
    library, agency = _clauses_for(entries)
    statuses = statuses_by_project([project.id])[project.id]
    proposals = {p.clause.id: p for p in proposals_for(package, project, statuses)}
    sections = {key: SectionView(key, label) for key, label in SECTIONS.items()}
    removed, in_package = [], set()
    for entry in entries:
        in_package.add(entry.clause_id)
        is_agency = entry.clause_id not in library
        clause = (
            agency.get((entry.clause_id, entry.clause_version))
            if is_agency
            else (library.get(entry.clause_id))
        )
        view = EntryView(
            entry,
            clause,
            proposals.get(entry.clause_id),
            agency=is_agency,
            library_version=None if is_agency or clause is None else clause.version,
        )
        _render(view, package.answers)
        if not entry.included:
            removed.append(view)
        elif clause is not None:
            sections[clause.section].entries.append(view)
    available = sorted(
        (p for cid, p in proposals.items() if cid not in in_package),
        key=lambda p: (not p.proposed, SECTION_ORDER.index(p.clause.section), p.clause.title),
    )
    qasp = visible_qasp(package, {e.entry.clause_id for s in sections.values() for e in s.entries})
    found = deviations(
        PackageEntry(
            clause_id=v.entry.clause_id,
            title=v.title,
            included=v.entry.included,
            edited_text=v.entry.text,
            library_text=v.clause.text if v.clause else None,
            library_version=v.library_version,
            used_version=v.entry.clause_version,
            proposed=bool(v.proposal and v.proposal.proposed),
            agency=v.agency,
        )
        for s in [*sections.values(), SectionView("", "", removed)]
        for v in s.entries
    )
    for row in qasp:
        if row.edited or not row.clause_id:
            found.append(
                Deviation(
                    "qasp-edited" if row.clause_id else "qasp-added",
                    row.clause_id or "qasp",
                    row.standard[:80],
                    "QASP row edited" if row.clause_id else "QASP row added by the package",
                )
            )
    revisions = list(package.revisions.order_by(Revision.number.desc()))
    files: dict[int, dict[str, RevisionFile]] = {r.id: {} for r in revisions}
    if revisions:
        for f in RevisionFile.select(
            RevisionFile.id,
            RevisionFile.revision,
            RevisionFile.format,
            RevisionFile.sha256,
            RevisionFile.size,
        ).where(RevisionFile.revision.in_(list(files))):
            files[f.revision_id][f.format] = f
    return PackageView(
        package=package,
        sections=[s for s in sections.values() if s.entries or (s.id == "qasp" and qasp)],
        removed=removed,
        available=available,
        qasp=qasp,
        deviations=found,
        revisions=revisions,
        files=files,
    )


def _render(view: EntryView, answers: dict) -> None:
    if view.clause is None:
        view.error = "This clause is no longer in the library or the agency clauses."
        return
    try:
        view.library_rendered = render_text(view.clause.text, answers)
        view.rendered = (
            render_text(view.entry.text, answers) if view.edited else view.library_rendered
        )
    except ClauseError as error:
        view.error = str(error)


def visible_qasp(package: ContractPackage, included_ids: set[str]) -> list[PackageQaspRow]:
    rows = package.qasp_rows.order_by(PackageQaspRow.position, PackageQaspRow.id)
    return [r for r in rows if not r.clause_id or r.clause_id in included_ids]


# ------------------------------------------------------------------ changing a package


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


# ------------------------------------------------------------------ exporting


def document(view: PackageView, project: Project) -> dict:
    """The package as plain data: every export format renders exactly this."""
    package = view.package
    sections = []
    for number, section in enumerate(view.sections, start=1):
        sections.append(
            {
                "number": number,
                "id": section.id,
                "title": section.label,
                "clauses": [
                    {
                        "number": f"{number}.{position}",
                        "id": e.entry.clause_id,
                        "version": e.entry.clause_version,
                        "title": e.title,
                        "edited": e.edited,
                        "blocks": [
                            {"text": b.text} if not b.items else {"items": list(b.items)}
                            for b in e.blocks
                        ],
                    }
                    for position, e in enumerate(section.entries, start=1)
                ],
                "qasp": [{k: getattr(r, k) for k in QASP_FIELDS} for r in view.qasp]
                if section.id == "qasp"
                else [],
            }
        )
    return {
        "title": package.title,
        "project": project.name,
        "agency": package.answers.get("agency_name", project.agency),
        "answers": describe_answers(package.answers),
        "sections": sections,
    }


class ExportRefused(ValueError):
    pass


def export(package: ContractPackage, project: Project, user: User) -> Revision:
    """Render every format from one document and store them as the next revision.

    Rendering (seconds for the PDF) happens outside the transaction; if someone else took the
    number meanwhile, render again with the next one.
    """
    from projects.contracts.documents import render_all

    view = view_package(package, project)
    if view.errors:
        raise ExportRefused(f"“{view.errors[0].title}” cannot be filled in: {view.errors[0].error}")
    if not view.included:
        raise ExportRefused("The package has no clauses to export. Add at least one clause.")
    base = document(view, project)
    for _attempt in range(3):
        number = (package.revisions.select(fn.MAX(Revision.number)).scalar() or 0) + 1
        now = utcnow()
        data = base | {
            "revision": number,
            "created_at": now.isoformat(timespec="seconds") + "Z",
            "created_by": user.name,
        }
        files = render_all(data, strict=current_app.testing)  # warnings fail the tests
        try:
            return _store(package, project, user, data, files, now)
        except IntegrityError:
            continue
    raise ExportRefused("Others kept exporting this package at the same time. Try again.")


def _store(package, project, user, data: dict, files: dict[str, bytes], now) -> Revision:
    digests = {fmt: hashlib.sha256(content).hexdigest() for fmt, content in files.items()}
    with db.atomic():
        revision = Revision.create(
            package=package,
            number=data["revision"],
            snapshot=data,
            created_by=user,
            created_by_name=user.name,
            created_at=now,
        )
        for fmt, content in files.items():
            RevisionFile.create(
                revision=revision,
                format=fmt,
                content=content,
                sha256=digests[fmt],
                size=len(content),
            )
        ContractPackage.update(status="exported").where(ContractPackage.id == package.id).execute()
        audit.record(
            "exported",
            revision,
            project=project,
            user=user,
            after={"package": package.id, "revision": revision.number, "sha256": digests},
        )
    return revision
