"""Writing findings: creating, updating and importing, each change audited."""

from __future__ import annotations

from peewee import chunked

from projects.audit import AuditEvent
from projects.auth.models import User
from projects.checklists import scores
from projects.db import utcnow
from projects.owners import changes as owners
from projects.owners.models import owner_columns
from projects.projects.models import Project
from projects.research.models import Finding, FindingItem, FindingPlay, FindingTag, attach_links
from projects.saves import Edit, Outcome, plain, save, store

COLUMNS = (
    "title",
    "insight",
    "method",
    "research_date",
    "participants",
    "user_groups",
    "severity",
    "confidence",
    "status",
    "status_reason",
    "recommendation",
    "evidence_links",
    "due_date",
)
LINKS = {"plays": FindingPlay, "items": FindingItem, "tags": FindingTag}
LINK_COLUMN = {"plays": "play", "items": "item_id", "tags": "tag"}


def values_of(finding: Finding) -> dict:
    """A saved finding's editable values; call `attach_links` on it first."""
    values = {c: getattr(finding, c) for c in COLUMNS}
    values["owner"] = finding.owner_key  # as the form holds it: 0 is nobody
    values.update(plays=finding.plays, items=finding.items, tags=finding.tags)
    return values


def _link_rows(finding_id: int, kind: str, values) -> list[dict]:
    return [{"finding": finding_id, LINK_COLUMN[kind]: v} for v in values]


def _privacy(user: User | None, checked: bool) -> dict:
    return {"privacy_checked_by": user, "privacy_checked_at": utcnow()} if checked else {}


def create(project: Project, values: dict, user: User, *, privacy_checked: bool) -> Finding:
    """Create one finding with its links; call inside `db.atomic()`. An owner typed by name
    and address is named on the project first."""
    values = values | {"owner": owners.resolve(project, values.get("owner"), user)}
    return create_many(project, [(values, privacy_checked)], user, action="created")[0]


def create_many(
    project: Project, rows: list[tuple[dict, bool]], user: User, *, action: str = "imported"
) -> list[Finding]:
    """Create findings from (values, privacy checked) pairs: links and audit events are
    written in bulk. Call inside `db.atomic()` so it is all or nothing."""
    now = utcnow()
    created, links, events = [], {kind: [] for kind in LINKS}, []
    for values, privacy_checked in rows:
        finding = Finding.create(
            project=project,
            created_by=user,
            updated_by=user,
            created_at=now,
            updated_at=now,
            **{c: values.get(c) for c in COLUMNS},
            **owner_columns(values.get("owner")),
            **_privacy(user, privacy_checked),
        )
        for kind in LINKS:
            links[kind].extend(_link_rows(finding.id, kind, values[kind]))
        events.append(
            {
                "project": project,
                "user": user,
                "at": now,
                "action": action,
                "object_type": "Finding",
                "object_id": str(finding.id),
                "before": None,
                "after": plain(values),
            }
        )
        created.append(finding)
    for kind, model in LINKS.items():
        for batch in chunked(links[kind], 300):
            model.insert_many(batch).execute()
    for batch in chunked(events, 100):
        AuditEvent.insert_many(batch).execute()
    scores.refresh(project)  # findings linked to done items count as their evidence
    return created


def edit(
    project: Project,
    finding_id: int,
    values: dict,
    *,
    version: int | None,
    original: str | None,
    user: User,
    privacy_checked: bool,
) -> Outcome:
    """Save a person's edit of a finding, merged with anything saved since they loaded it.
    Raises `saves.Gone` when the finding was deleted meanwhile. An owner typed by name and
    address is named on the project first (kept even when the save conflicts)."""
    values = values | {"owner": owners.resolve(project, values.get("owner"), user)}

    def write(finding: Finding, changes: dict, user: User) -> Finding:
        columns = {c: v for c, v in changes.items() if c in COLUMNS}
        if "owner" in changes:
            columns.update(owner_columns(changes["owner"]))
        store(finding, columns | _privacy(user, privacy_checked), user)
        for kind, model in LINKS.items():
            if kind in changes:
                model.delete().where(model.finding == finding.id).execute()
                rows = _link_rows(finding.id, kind, changes[kind])
                if rows:
                    model.insert_many(rows).execute()
        return finding

    return save(
        Edit(
            Finding.select().where((Finding.id == finding_id) & (Finding.project == project)),
            values,
            version,
            original,
            values=lambda finding: values_of(attach_links([finding])[0]),
            write=write,
        ),
        user=user,
        project=project,
        then=lambda: scores.refresh(project),
    )


def load(project: Project, finding_id: int) -> Finding | None:
    """One of this project's findings with its links; None for any other id."""
    query = Finding.select().where((Finding.id == finding_id) & (Finding.project == project))
    finding = query.get_or_none()
    return attach_links([finding])[0] if finding else None
