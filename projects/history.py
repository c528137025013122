"""The audit log as people read it: who did what to which thing, by its name, and each changed
field by its label with values in words ("Owner: Lee Lead", "Status: In progress"), never the
codes and ids the log stores."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from playbook.contracts.answers import VARIABLES_BY_NAME
from playbook.contracts.layouts import LAYOUTS
from playbook.measures import period_label
from playbook.readiness import STATUS_LABELS
from projects.audit import AuditEvent, changes
from projects.auth.models import User
from projects.checklists.forms import MeasureItemForm, QuestionForm
from projects.contracts.catalogue import catalogue
from projects.contracts.forms import QaspRowForm
from projects.contracts.models import ContractPackage, PackageClause, PackageQaspRow
from projects.editions import active_edition
from projects.filters import format_day
from projects.measures.models import Measure
from projects.owners.models import outside_id
from projects.owners.queries import outside_names
from projects.projects.forms import ProjectForm
from projects.projects.models import PROJECT_ROLES
from projects.research.forms import FindingForm
from projects.research.models import METHODS, SEVERITIES, STATUSES, Finding


class Change(NamedTuple):
    """One field of an event: its label and both values in words ("" when empty)."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class EventLine:
    who: str
    at: datetime
    what: str  # "updated checklist item p01.c3 “…”"
    changes: list[Change]


def _labels(form_class) -> dict[str, str]:
    """The labels a form gives its fields, without "(optional)": the history names a field as
    the page that edits it does."""
    fields = [(name, getattr(form_class, name)) for name in dir(form_class)]
    fields = sorted(
        ((n, f) for n, f in fields if hasattr(f, "field_class")),
        key=lambda p: p[1].creation_counter,
    )
    return {
        name: str(f.args[0] if f.args else f.kwargs.get("label", name)).removesuffix(" (optional)")
        for name, f in fields
    }


FIELD_LABELS = {
    "Project": _labels(ProjectForm) | {"archived": "Archived"},
    "ItemResponse": _labels(MeasureItemForm),  # every item's fields, and play 12's measure
    "QuestionAnswer": _labels(QuestionForm),
    "Finding": _labels(FindingForm),
    "PackageQaspRow": _labels(QaspRowForm),
    "PackageClause": {"text": "Clause text"},
    "ContractPackage": {
        "title": "Package title",
        "layout": "Layout",
        "cited_findings": "Research findings cited",
    }
    | {name: var.label for name, var in VARIABLES_BY_NAME.items()},
    "Membership": {"user": "Person", "role": "Role"},
}
# Ids and bookkeeping the sentence already says ("moved clause “Warranty” up").
NOT_SHOWN = {"id", "package", "clause", "position", "moved", "included", "edited"}
CODES = {
    ("ItemResponse", "status"): STATUS_LABELS,
    ("Finding", "status"): STATUSES,
    ("Finding", "severity"): SEVERITIES,
    ("Finding", "method"): METHODS,
    ("Project", "phase"): {},  # titled below
    ("Membership", "role"): PROJECT_ROLES,
    ("ContractPackage", "layout"): {k: v.label for k, v in LAYOUTS.items()},
}
PEOPLE = {"owner", "lead"}  # fields that hold a user's id (0 or None: nobody)
MEASURES = {"evidence_measure"}  # fields that hold a measure's id (0 or None: none)
DAYS = {"due_date", "start_date", "target_date", "research_date"}


def describe(events: Iterable[AuditEvent]) -> list[EventLine]:
    """Each event as a sentence and its changed fields, with the names of the people, clauses,
    findings and packages it points at looked up in a few queries for the whole list."""
    events = list(events)
    names = _Names(events)
    return [
        EventLine(
            who=event.user.name if event.user_id and event.user else "System",
            at=event.at,
            what=names.sentence(event),
            changes=[
                Change(
                    _label(event.object_type, field),
                    names.value(event.object_type, field, old),
                    names.value(event.object_type, field, new),
                )
                for field, old, new in _changed(event)
                if field not in NOT_SHOWN
            ],
        )
        for event in events
    ]


def _changed(event: AuditEvent) -> list[tuple[str, object, object]]:
    """Updates list what changed, in the order the form shows the fields; a first answer to an
    item or question lists what it says. A new project, finding or package is named in the
    sentence instead of field by field."""
    if event.before:
        found = changes(event.before, event.after)
    elif event.object_type in ("ItemResponse", "QuestionAnswer") and event.after:
        found = changes(None, event.after)
    else:
        return []
    order = list(FIELD_LABELS.get(event.object_type, {}))
    return sorted(found, key=lambda c: order.index(c[0]) if c[0] in order else len(order))


def _label(kind: str, field: str) -> str:
    return FIELD_LABELS.get(kind, {}).get(field) or _words(field)


def _words(field: str) -> str:
    return field.replace("_", " ").capitalize()


def _titles(key, title, ids) -> dict:
    """{id: title} of the rows with these ids; no query when there are none."""
    if not ids:
        return {}
    return dict(key.model.select(key, title).where(key.in_(list(ids))).tuples())


class _Names:
    """The names an event list points at, read once."""

    def __init__(self, events: list[AuditEvent]) -> None:
        ids = _ids_by_type(events)
        self.edition = active_edition()
        people = {int(v) for e in events for v in _values(e, PEOPLE) if _is_id(v)}
        emails = {v for e in events if e.object_type == "Membership" for v in _values(e, {"user"})}
        rows = (
            User.select(User.id, User.email, User.name).where(
                User.id.in_(list(people)) | User.email.in_([str(e) for e in emails])
            )
            if people or emails
            else []
        )
        self.users = {u.id: u.name for u in rows} | {u.email: u.name for u in rows}
        self.outside = outside_names(outside_id(v) for e in events for v in _values(e, PEOPLE))
        self.findings = _titles(Finding.id, Finding.title, ids["Finding"])
        self.entries = _titles(PackageClause.id, PackageClause.clause_id, ids["PackageClause"])
        self.qasp = _titles(PackageQaspRow.id, PackageQaspRow.standard, ids["PackageQaspRow"])
        measures = {int(v) for e in events for v in _values(e, MEASURES) if _is_id(v)}
        self.measures = _titles(Measure.id, Measure.name, measures)
        package_ids = ids["ContractPackage"] | {
            int(v) for e in events for v in _values(e, {"package"}) if _is_id(v)
        }
        self.packages = _titles(ContractPackage.id, ContractPackage.title, package_ids)
        self._clauses: dict[str, str] | None = None

    def clause(self, clause_id: str | None) -> str:
        if self._clauses is None:
            self._clauses = {c.id: c.title for c in catalogue()}
        return f"“{self._clauses.get(clause_id or '', clause_id or 'a clause')}”"

    def sentence(self, event: AuditEvent) -> str:
        kind, action = event.object_type, event.action
        before, after = event.before or {}, event.after or {}
        either = after | before if action.startswith("removed") else before | after
        if kind == "ItemResponse":
            item = self.edition.items.get(event.object_id)
            text = f" “{item.text}”" if item else ""
            verb = "reviewed" if action == "reviewed" else "updated"
            return f"{verb} checklist item {event.object_id}{text}"
        if kind == "QuestionAnswer":
            question = self.edition.questions.get(event.object_id)
            text = f" “{question.text}”" if question else ""
            verb = "answered" if action == "answered" else "changed the answer to"
            return f"{verb} key question {event.object_id}{text}"
        if kind == "Project":
            return {
                "created": "created the project",
                "updated": "updated the project's details",
                "archived": "archived the project",
                "unarchived": "restored the project",
            }.get(action, f"{action} the project")
        if kind == "Membership":
            person = self.users.get(either.get("user"), either.get("user") or "someone")
            role = PROJECT_ROLES.get(either.get("role"), either.get("role") or "member").lower()
            if action == "added member":
                return f"added {person} to the project as {_article(role)} {role}"
            if action == "gave reviewer right":
                return f"let {person} review evidence"
            if action == "took reviewer right":
                return f"stopped {person} reviewing evidence"
            return f"removed {person} ({role}) from the project"
        if kind == "Finding":
            title = after.get("title") or self.findings.get(_int(event.object_id)) or ""
            verb = {"created": "recorded", "imported": "imported"}.get(action, action)
            return f"{verb} research finding “{title}”"
        if kind == "ContractPackage":
            title = after.get("title") or self.packages.get(_int(event.object_id), "")
            if action == "updated answers":
                return f"updated the answers of contract package “{title}”"
            return f"{action} contract package “{title}”"
        if kind == "PackageClause":
            clause = self.clause(either.get("clause") or self.entries.get(_int(event.object_id)))
            if action == "moved clause":
                return f"moved clause {clause} {after.get('moved', '')}".rstrip()
            if action == "restored library text":
                return f"put back the library text of clause {clause}"
            return f"{action} {clause}"
        if kind == "PackageQaspRow":
            standard = either.get("standard") or self.qasp.get(_int(event.object_id), "")
            return f"{action} “{_short(standard)}”" if standard else action
        if kind == "Revision":
            title = self.packages.get(_int(after.get("package")), "")
            return f"exported revision {after.get('revision', '')} of contract package “{title}”"
        if kind == "Assessment":
            gate = after.get("gate", "")
            return {
                "opened assessment": f"opened the assessment “{gate}”",
                "completed assessment": f"recorded the outcome of the assessment “{gate}”",
                "rated play": f"rated play {event.object_id.split()[-1]} in an assessment",
                "drafted notes": "drafted notes for an assessment",
            }.get(action, f"{action} an assessment")
        if kind == "PlayRating":
            return f"rated play {event.object_id.split()[-1]} in an assessment"
        if kind == "AssessmentAction":
            if action == "closed action":
                return "closed an action from an assessment"
            return "changed the owner or due date of an action from an assessment"
        if kind == "OutsideOwner":
            name = either.get("name", "someone")
            return {
                "named outside owner": f"named {name}, who has no account, as an owner",
                "renamed outside owner": f"renamed {before.get('name', name)}, who has no "
                f"account, to {after.get('name', name)}",
                "handed over work": f"made an account and took over the work of {name}",
            }.get(action, f"{action} {name}")
        if kind == "Snapshot":
            return f"froze the report snapshot “{after.get('label', '')}”"
        if kind in ("Measure", "MeasureValue", "ApiToken"):
            return _measures_sentence(kind, action, event.object_id, either)
        return f"{action} {_words(kind).lower()}"

    def value(self, kind: str, field: str, value: object) -> str:
        """A stored value in words: a choice by its label, a person by name, a day as a date."""
        if (
            value is None
            or value == ""
            or value == []
            or (field in PEOPLE | MEASURES and value == 0)
        ):
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if field in PEOPLE and outside_id(value) is not None:
            return self.outside.get(str(value), "someone without an account")
        if field in PEOPLE:
            return self.users.get(_int(value), "someone who has left")
        if field in MEASURES:
            return self.measures.get(_int(value), "a measure")
        if (kind, field) == ("Project", "phase"):
            return str(value).title()
        if (kind, field) in CODES:
            return CODES[kind, field].get(value, str(value))
        if kind == "Membership" and field == "user":
            return self.users.get(value, str(value))
        if kind == "ContractPackage" and field in VARIABLES_BY_NAME:
            return VARIABLES_BY_NAME[field].choice_label(value)
        if field in DAYS and isinstance(value, str):
            try:
                return format_day(date.fromisoformat(value))
            except ValueError:
                return value
        if field == "plays" and isinstance(value, list):
            return ", ".join(f"Play {n}" for n in value)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)


def _measures_sentence(kind: str, action: str, object_id: str, values: dict) -> str:
    if kind == "Measure":
        name = values.get("name") or values.get("key") or "a measure"
        verb = {"created": "added", "updated": "changed"}.get(action, action)
        return f"{verb} the measure “{name}”"
    if kind == "MeasureValue":
        key, _, period = object_id.partition(" ")
        verb = {"created": "recorded", "updated": "changed", "deleted": "deleted"}.get(
            action, action
        )
        how = {"import": " from a CSV import", "api": " through the API"}.get(
            values.get("source", ""), ""
        )
        return f"{verb} the figure of {key} for {period_label(period)}{how}"
    prefix = values.get("token") or values.get("prefix") or ""
    if action == "used":
        return f"used the API token {prefix}…: {values.get('request', '')} ({values.get('status')})"
    return f"{action} the API token “{values.get('name', '')}” ({prefix}…)"


def _ids_by_type(events: list[AuditEvent]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {
        k: set() for k in ("Finding", "PackageClause", "PackageQaspRow", "ContractPackage")
    }
    for event in events:
        if event.object_type in found and event.object_id.isdigit():
            found[event.object_type].add(int(event.object_id))
    return found


def _values(event: AuditEvent, fields: set[str]) -> list:
    return [
        side[f] for side in (event.before or {}, event.after or {}) for f in fields if f in side
    ]


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
