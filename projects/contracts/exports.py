"""Exporting a package: the document every format renders, and storing the formats as the
next revision."""

from __future__ import annotations

import hashlib
from dataclasses import asdict

from peewee import IntegrityError, fn

from playbook.contracts import QASP_FIELDS, VARIABLES_BY_NAME, describe_answers
from playbook.contracts.layouts import UCF, Part, layout_of
from playbook.contracts.schedule import price_schedule, references
from projects import audit
from projects.auth.models import User
from projects.contracts.models import EXPORTED, FINAL, ContractPackage, Revision, RevisionFile
from projects.contracts.queries import PackageView, cited_findings, view_package
from projects.db import db, utcnow
from projects.pdf import warnings_fail
from projects.projects.models import Project


def document(view: PackageView, project: Project) -> dict:
    """The package as plain data in its solicitation layout: every export format renders
    exactly this. Each part of the layout is present (an empty one says so), numbered as an
    officer expects: Section C with clauses C.1, C.2..., or part 3 with 3.1, 3.2..."""
    package = view.package
    answers = package.filled_answers
    layout = layout_of(package.layout)
    entries = [e for s in view.sections for e in s.entries]
    by_part: dict[str, list] = {p.key: [] for p in layout.parts}
    for entry in entries:
        by_part[layout.part_of(entry.clause.solicitation_part).key].append(entry)
    clause_ids = [e.entry.clause_id for e in entries]
    qasp_part = layout.part_of("J").key
    price_part = layout.part_of("B").key
    clauses_part = layout.part_of("I").key
    sections = []
    for part in layout.parts:
        clauses = [_clause(part, position, e) for position, e in enumerate(by_part[part.key], 1)]
        section = {
            "number": part.key,
            "id": part.key,
            "heading": part.heading,
            "title": part.title,
            "clauses": clauses,
            "findings": cited_findings(package) if "C" in part.letters else [],
            "schedule": [],
            "references": [],
            "attachments": [],
            "qasp": [],
            "empty": "",
        }
        if part.key == price_part:
            section["schedule"] = [asdict(line) for line in price_schedule(answers, clause_ids)]
            section["schedule_note"] = _schedule_note(answers)
        if part.key == clauses_part:
            section["references"] = [
                {"number": _cited(r.number), "title": r.title}
                for r in references([e.clause for e in entries], answers["contract_type"])
            ]
        if part.key == qasp_part and view.qasp:
            section["attachments"] = [f"{_attachment(layout)} Quality Assurance Surveillance Plan"]
            section["qasp"] = [{k: getattr(r, k) for k in QASP_FIELDS} for r in view.qasp]
        if not any(section[k] for k in ("clauses", "schedule", "references", "qasp")):
            section["empty"] = part.empty
        sections.append(section)
    return {
        "title": package.title,
        "project": project.name,
        "agency": answers.get("agency_name") or project.agency,
        "layout": layout.id,
        "layout_label": layout.label,
        "final": package.final,
        "answers": describe_answers(package.answers),
        "sections": sections,
    }


def _clause(part: Part, position: int, e) -> dict:
    return {
        "number": part.number(position),
        "id": e.entry.clause_id,
        "version": e.entry.clause_version,
        "title": e.title,
        "edited": e.edited,
        "blocks": [{"text": b.text} if not b.items else {"items": list(b.items)} for b in e.blocks],
    }


def _cited(number: str) -> str:
    """FAR numbers as officers write them ("FAR 52.237-3"); agency numbers as given."""
    return f"FAR {number}" if number[:1].isdigit() else number


def _attachment(layout) -> str:
    return "Attachment J-1:" if layout.id == UCF else "Attachment 1:"


def _schedule_note(answers: dict) -> str:
    kind = VARIABLES_BY_NAME["contract_type"].choice_label(answers["contract_type"]).lower()
    note = (
        f"Contract type: {kind}. Offerors enter a unit price and an amount for every line item; "
        "quantities of iterations are the Government's estimate for each period."
    )
    if answers.get("ceiling_dollars"):
        note += f" The Government's estimated ceiling for all periods is {_dollars(answers)}."
    return note


def _dollars(answers: dict) -> str:
    return f"${answers['ceiling_dollars']:,}"


class ExportRefused(ValueError):
    pass


def export(
    package: ContractPackage, project: Project, user: User, *, final: bool = False
) -> Revision:
    """Render every format from one document and store them as the next revision; `final`
    marks the package final with it (its files lose the draft marking). A package that is
    final already exports final revisions until it changes.

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
    base["final"] = final or base["final"]
    for _attempt in range(3):
        number = (package.revisions.select(fn.MAX(Revision.number)).scalar() or 0) + 1
        now = utcnow()
        data = base | {
            "revision": number,
            "created_at": now.isoformat(timespec="seconds") + "Z",
            "created_by": user.name,
        }
        files = render_all(data, strict=warnings_fail())
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
        # Only if nobody changed the package while it was rendered: then it is a draft again.
        ContractPackage.update(status=FINAL if data["final"] else EXPORTED).where(
            (ContractPackage.id == package.id) & (ContractPackage.version == package.version)
        ).execute()
        audit.record(
            "exported final" if data["final"] else "exported",
            revision,
            project=project,
            user=user,
            after={
                "package": package.id,
                "revision": revision.number,
                "final": data["final"],
                "sha256": digests,
            },
        )
    return revision
