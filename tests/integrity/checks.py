"""What must hold after many people saved at once: read the database and the audit log and
compare them with what every client was told."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from projects.audit import AuditEvent
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.contracts.models import ContractPackage, PackageClause
from projects.research.changes import load, values_of
from projects.research.models import FindingItem, FindingPlay

ANSWERED = ("saved", "conflict")  # the two answers a person may get to a save


def server_errors(records: list[dict]) -> list[str]:
    """Every 5xx, and every answer that was neither a save nor the conflict page."""
    problems = []
    for r in records:
        for key in ("get_status", "status"):
            if r.get(key) and r[key] >= 500:
                problems.append(f"{r['who']} save {r.get('k')}: {key} {r[key]}: {_gist(r)}")
        if r.get("outcome") not in (*ANSWERED, "unknown", "down"):
            problems.append(f"{r['who']} save {r.get('k')}: {r.get('outcome')}: {_gist(r)}")
        if r.get("outcome") == "saved" and not r.get("flash"):
            problems.append(f"{r['who']} save {r.get('k')}: saved without the success message")
    return problems


def _gist(record: dict) -> str:
    page = record.get("page", "")
    title = page.split("<title>", 1)[-1].split("</title>", 1)[0].strip() if page else ""
    return f"{record.get('kind')} {record.get('target')} {record.get('field')} " + (
        title or record.get("error", "") or record.get("location", "")
    )


def audit_history(project) -> dict[tuple, list]:
    """(object type, object id, field) -> every value the audit log says it was set to, in
    the order the changes were made."""
    history: dict[tuple, list] = defaultdict(list)
    events = AuditEvent.select().where(AuditEvent.project == project).order_by(AuditEvent.id)
    for event in events:
        after = event.after or {}
        # A package's creation logs its answers nested; later edits log each answer changed.
        fields = {k: v for k, v in after.items() if k != "answers"} | after.get("answers", {})
        for field, value in fields.items():
            history[(event.object_type, event.object_id, field)].append(value)
    return history


def stored_value(kind: str, target: str, field: str, project):
    if kind == "ItemResponse":
        row = ItemResponse.get_or_none(project=project, item_id=target)
    elif kind == "QuestionAnswer":
        row = QuestionAnswer.get_or_none(project=project, question_id=target)
    elif kind == "Finding":
        return values_of(load(project, int(target)))[field]
    elif kind == "PackageClause":
        row = PackageClause.get_by_id(int(target))
    else:
        return ContractPackage.get_by_id(int(target)).answers.get(field)
    return getattr(row, field) if row else None


def lost_or_invented(records: list[dict], project) -> list[str]:
    """Every acknowledged save is in the audit log, in the order its writer made them, and the
    stored value is the last one the log shows: the last acknowledged value or a later one. A
    refused save left no trace. A save with no answer (server killed) may be either."""
    history = audit_history(project)
    problems = []
    by_field: dict[tuple, list[dict]] = defaultdict(list)
    for r in records:
        if r.get("field"):
            by_field[(r["kind"], str(r["target"]), r["field"])].append(r)
    for key, attempts in by_field.items():
        kind, target, field = key
        logged = history.get(key, [])
        stored = stored_value(kind, target, field, project)
        answered = [r for r in attempts if r["outcome"] in ("saved", "unknown")]
        if logged and stored != logged[-1]:
            problems.append(f"{key}: stored {stored!r}, but the audit log ends at {logged[-1]!r}")
        if answered and not logged:
            problems.append(f"{key}: saves acknowledged but nothing in the audit log")
        if field == "status":
            continue  # three values, repeated: only the stored-equals-logged check applies
        acknowledged = [r for r in attempts if r["outcome"] == "saved"]
        for r in acknowledged:
            if r["value"] not in logged:
                problems.append(
                    f"{key}: {r['who']} was told save {r['k']} ({r['value']!r}) "
                    "was saved, but it is not in the audit log"
                )
        for r in attempts:
            if r["outcome"] == "conflict" and r["value"] in logged:
                problems.append(f"{key}: {r['who']}'s save {r['k']} was refused but stored")
        if acknowledged and _key(stored) not in {_key(r["value"]) for r in answered}:
            problems.append(f"{key}: stored {stored!r}, which no answered save sent")
        for who in {r["who"] for r in acknowledged}:
            mine = [
                logged.index(r["value"])
                for r in acknowledged
                if r["who"] == who and r["value"] in logged
            ]
            if mine != sorted(mine):
                problems.append(f"{key}: {who}'s saves are in the audit log out of order")
        writers = {r["who"] for r in attempts}
        if len(writers) == 1 and acknowledged:  # nobody else touches it: exactly the last save
            last = acknowledged[-1]
            later = [
                r["value"] for r in attempts if r["k"] > last["k"] and r["outcome"] == "unknown"
            ]
            if stored != last["value"] and stored not in later:
                problems.append(
                    f"{key}: {last['who']}'s last save {last['value']!r} is lost; stored {stored!r}"
                )
    return problems


def _key(value):
    return tuple(value) if isinstance(value, list) else value


def versions_match_audit(project) -> list[str]:
    """A row's version counts its saves, and each save wrote one audit event: a version out of
    step with the log is a half-written save (a row without its event, or the other way)."""
    events = Counter(
        (e.object_type, e.object_id)
        for e in AuditEvent.select(AuditEvent.object_type, AuditEvent.object_id).where(
            AuditEvent.project == project
        )
    )
    problems = []
    for model, key in ((ItemResponse, "item_id"), (QuestionAnswer, "question_id")):
        for row in model.select().where(model.project == project):
            ident = getattr(row, key)
            if row.version != events[(model.__name__, ident)]:
                problems.append(
                    f"{model.__name__} {ident}: version {row.version}, "
                    f"{events[(model.__name__, ident)]} audit events"
                )
    for finding in project.findings:
        if finding.version != events[("Finding", str(finding.id))]:
            problems.append(
                f"Finding {finding.id}: version {finding.version}, "
                f"{events[('Finding', str(finding.id))]} audit events"
            )
    for package in project.contract_packages:
        for entry in package.entries:
            edits = events[("PackageClause", str(entry.id))]
            if entry.version != 1 + edits:
                problems.append(
                    f"PackageClause {entry.id}: version {entry.version}, {edits} audit events"
                )
    return problems


def links_match(project) -> list[str]:
    """A finding's links are the ones its last save sent: items, and the plays they belong to."""
    problems = []
    for finding in project.findings:
        values = values_of(load(project, finding.id))
        links = FindingItem.select().where(FindingItem.finding == finding)
        items = sorted(i.item_id for i in links)
        plays = {p.play for p in FindingPlay.select().where(FindingPlay.finding == finding)}
        history = audit_history(project).get(("Finding", str(finding.id), "items"), [])
        if history and sorted(history[-1]) != items:
            problems.append(f"Finding {finding.id}: items {items}, last saved {history[-1]}")
        missing = {int(i[1:3]) for i in values["items"]} - plays
        if missing:
            problems.append(f"Finding {finding.id}: items linked without their plays {missing}")
    return problems


def revisions_whole(project) -> list[str]:
    """Every exported revision has its three files, each matching its stored SHA-256."""
    problems = []
    for package in project.contract_packages:
        for revision in package.revisions:
            files = {f.format: f for f in revision.files}
            if set(files) != {"docx", "pdf", "markdown"}:
                problems.append(f"revision {revision.number}: files {sorted(files)}")
            for f in files.values():
                if hashlib.sha256(bytes(f.content)).hexdigest() != f.sha256:
                    problems.append(f"revision {revision.number} {f.format}: SHA-256 differs")
    return problems
