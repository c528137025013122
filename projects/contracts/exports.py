"""Exporting a package: the document every format renders, and storing the formats as the
next revision."""

from __future__ import annotations

import hashlib

from peewee import IntegrityError, fn

from playbook.contracts import QASP_FIELDS, describe_answers
from projects import audit
from projects.auth.models import User
from projects.contracts.models import ContractPackage, Revision, RevisionFile
from projects.contracts.queries import PackageView, view_package
from projects.db import db, utcnow
from projects.pdf import warnings_fail
from projects.projects.models import Project


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
        ContractPackage.update(status="exported").where(ContractPackage.id == package.id).execute()
        audit.record(
            "exported",
            revision,
            project=project,
            user=user,
            after={"package": package.id, "revision": revision.number, "sha256": digests},
        )
    return revision
