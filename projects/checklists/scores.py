"""Stored readiness: `playbook.readiness` computes, this module stores what it says per project
and play, reads it back for lists, and checks the stored figures against a fresh computation.

Every change that moves a score calls `refresh` inside its own transaction (item saves, phase
changes, findings linked to items, new projects, edition imports), so a list never shows
figures older than the data it lists. `refresh` locks the project row first: two saves of the
same project then take turns, and the second computes from what the first wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields

from peewee import SQL, fn

from playbook.edition import Edition
from playbook.readiness import DONE, ProjectReadiness, Readiness, project_readiness
from projects.checklists.models import WHOLE_PROJECT, ReadinessScore
from projects.checklists.queries import accepted_items, done_with_links, statuses_by_project
from projects.db import bulk_insert, db, for_update
from projects.editions import active_edition
from projects.projects.models import Project
from projects.research.queries import items_with_findings

BATCH = 500  # projects computed per round of queries when rebuilding
COUNTS = ("done", "in_progress", "not_started", "not_applicable", "accepted")
SCORE_COLUMNS = ("score", "reviewed_score")


@dataclass(frozen=True)
class Stored:
    """A project's readiness as stored, with the evidence count lists and reports show."""

    readiness: ProjectReadiness
    with_evidence: int  # done items, across the project, with a link or a finding

    @property
    def overall(self) -> Readiness:
        return self.readiness.overall


def computed_rows(
    project: Project,
    edition: Edition,
    statuses: dict[str, str],
    backed: set[str],
    accepted: set[str] = frozenset(),
) -> list[dict]:
    """The rows `playbook.readiness` gives for one project: each play, then the whole.
    `backed`: done items with evidence; `accepted`: items whose evidence a reviewer accepted."""
    readiness = project_readiness(edition, statuses, project.phase, accepted)
    rows = []
    for play in edition.plays:
        n = play.number
        done = {i.id for i in play.checklist if statuses.get(i.id) == DONE}
        rows.append(
            _row(project.id, n, readiness.plays[n], readiness.phase_plays[n])
            | {"with_evidence": len(done & backed)}
        )
    rows.append(
        _row(project.id, WHOLE_PROJECT, readiness.overall, readiness.phase)
        | {"with_evidence": sum(r["with_evidence"] for r in rows)}
    )
    return rows


def _row(project_id: int, play: int, overall: Readiness, phase: Readiness) -> dict:
    return (
        {"project": project_id, "play": play}
        | {c: getattr(overall, c) for c in (*SCORE_COLUMNS, *COUNTS)}
        | {f"phase_{c}": getattr(phase, c) for c in (*SCORE_COLUMNS, *COUNTS)}
    )


def _computed(projects: list[Project], edition: Edition) -> Iterator[dict]:
    ids = [p.id for p in projects]
    statuses = statuses_by_project(ids)
    links, findings = done_with_links(ids), items_with_findings(ids)
    accepted = accepted_items(ids)
    for project in projects:
        backed = links.get(project.id, set()) | findings.get(project.id, set())
        yield from computed_rows(
            project, edition, statuses[project.id], backed, accepted[project.id]
        )


def refresh(project: Project | int) -> None:
    """Recompute one project's stored readiness. Call inside the transaction of the change."""
    project_id = project if isinstance(project, int) else project.id
    with db.atomic():
        locked = for_update(Project.select().where(Project.id == project_id)).get_or_none()
        if locked is None:
            return  # deleted meanwhile: its scores went with it
        _replace([project_id], list(_computed([locked], active_edition())))


def _replace(project_ids: list[int], rows: list[dict]) -> None:
    """Store these projects' computed rows in place of what was stored, and their sort keys."""
    ReadinessScore.delete().where(ReadinessScore.project.in_(project_ids)).execute()
    bulk_insert(ReadinessScore, rows)
    set_sort_keys(project_ids)


# Project.lowest_first and highest_first from the stored overall score, for many projects in
# one statement (a correlated subquery: SQLite and PostgreSQL both run it).
_OVERALL = (
    '(SELECT "score" FROM "readiness_score" AS "r" '
    'WHERE "r"."project_id" = "project"."id" AND "r"."play" = 0)'
)


def sort_keys(score: float | None) -> dict:
    """The sort keys an overall score gives (what `set_sort_keys` stores)."""
    if score is None:
        return {"lowest_first": 2.0, "highest_first": 1.0}
    return {"lowest_first": score, "highest_first": -score}


def set_sort_keys(project_ids: list[int]) -> None:
    """Sort keys from the stored scores: nothing applicable sorts last either way round."""
    Project.update(
        lowest_first=fn.COALESCE(SQL(_OVERALL), 2.0),
        highest_first=fn.COALESCE(SQL("-" + _OVERALL), 1.0),
    ).where(Project.id.in_(project_ids)).execute()


def _projects_in_batches(only: Iterable[int] | None = None) -> Iterator[list[Project]]:
    query = Project.select(
        Project.id, Project.phase, Project.lowest_first, Project.highest_first
    ).order_by(Project.id)
    if only is not None:
        query = query.where(Project.id.in_(list(only)))
    last = 0
    while True:
        batch = list(query.where(Project.id > last).limit(BATCH))
        if not batch:
            return
        yield batch
        last = batch[-1].id


def store_all(edition: Edition | None = None, only: Iterable[int] | None = None) -> None:
    """Compute and store every project's readiness (or only these projects'), in batches, in
    the caller's transaction: after an edition import, bulk inserts, or a migration."""
    edition = edition or active_edition()
    for batch in _projects_in_batches(only):
        _replace([p.id for p in batch], list(_computed(batch, edition)))


# The newest migration that changes the stored figures or their inputs. The figures are
# computed by today's code, which reads today's schema, so only that migration fills them:
# an older one (011) running before it on the way up would meet columns not there yet.
FILLED_BY = "018_item_measure_evidence"  # evidence can be a measure (play 12)


def fill_from_migration(name: str) -> None:
    """Store every project's readiness when migration `name` is the one that fills it."""
    if name == FILLED_BY:
        from projects.editions import edition_in_use

        store_all(edition_in_use())


@dataclass(frozen=True)
class Drift:
    """A project whose stored readiness differed from a fresh computation."""

    project_id: int
    slug: str
    differences: list[str]  # "play 4 score: stored 0.5, computed 0.75"


def drift(only: Iterable[int] | None = None) -> list[Drift]:
    """Where the stored readiness of every project (or only these) differs from a fresh
    computation; writes nothing."""
    edition = active_edition()
    return [found for batch in _projects_in_batches(only) for found in _compared(batch, edition)[0]]


def rebuild() -> list[Drift]:
    """Recompute every project's readiness, report where the stored figures differed, and store
    the fresh ones (`flask scores rebuild`)."""
    edition = active_edition()
    found = []
    with db.atomic():
        for batch in _projects_in_batches():
            differences, computed = _compared(batch, edition)
            found += differences
            _replace([p.id for p in batch], computed)
    return found


def _compared(batch: list[Project], edition: Edition) -> tuple[list[Drift], list[dict]]:
    ids = [p.id for p in batch]
    stored = {
        (r["project"], r["play"]): r
        for r in ReadinessScore.select().where(ReadinessScore.project.in_(ids)).dicts()
    }
    computed = list(_computed(batch, edition))
    slugs = dict(Project.select(Project.id, Project.slug).where(Project.id.in_(ids)).tuples())
    found = _differences(stored, computed)
    keys = {p.id: (p.lowest_first, p.highest_first) for p in batch}
    for row in computed:
        if row["play"] != WHOLE_PROJECT:
            continue
        pid, expected = row["project"], tuple(sort_keys(row["score"]).values())
        if not all(_close(a, b) for a, b in zip(keys[pid], expected, strict=True)):
            found.setdefault(pid, []).append(f"sort keys: stored {keys[pid]}, computed {expected}")
    drift = [Drift(pid, slugs.get(pid, "?"), found[pid]) for pid in sorted(found)]
    return drift, computed


def _differences(stored: dict, computed: list[dict]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for row in computed:
        key = (row["project"], row["play"])
        where = "whole project" if row["play"] == WHOLE_PROJECT else f"play {row['play']}"
        saved = stored.pop(key, None)
        if saved is None:
            found.setdefault(row["project"], []).append(f"{where}: not stored")
            continue
        for name, value in row.items():
            if name != "project" and saved[name] != value and not _close(saved[name], value):
                found.setdefault(row["project"], []).append(
                    f"{where} {name.replace('_', ' ')}: stored {saved[name]}, computed {value}"
                )
    for project_id, play in stored:  # rows for plays the edition no longer has
        found.setdefault(project_id, []).append(f"play {play}: stored, not in the edition")
    return found


def _close(a, b) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and abs(a - b) < 1e-9)


# The columns lists read, in this order: raw rows from the cursor, as peewee's conversion of
# each value was most of the time of a list page (ints and floats need none).
_FIELDS = [f.name for f in fields(Readiness)]  # Readiness(*values) takes them in this order
_COLUMNS = (
    ReadinessScore.project,
    ReadinessScore.play,
    ReadinessScore.with_evidence,
    *(getattr(ReadinessScore, name) for name in _FIELDS),
    *(getattr(ReadinessScore, "phase_" + name) for name in _FIELDS),
)
_WHOLE, _PHASE = slice(3, 3 + len(_FIELDS)), slice(3 + len(_FIELDS), 3 + 2 * len(_FIELDS))


def stored_readiness(project_ids: list[int]) -> dict[int, Stored]:
    """The stored readiness of these projects, in one query. A project with no stored rows
    (none should be without them) reads as nothing applicable."""
    rows: dict[int, dict[int, tuple]] = {pid: {} for pid in project_ids}
    if project_ids:
        query = ReadinessScore.select(*_COLUMNS).where(ReadinessScore.project.in_(project_ids))
        for row in db.execute(query):
            rows[row[0]][row[1]] = row
    return {pid: _stored(by_play) for pid, by_play in rows.items()}


def stored_scores(project_ids: list[int]) -> dict[int, dict]:
    """Only the scores of these projects, as the API lists them (overall, reviewed, phase and
    per play, 0..1 or None), in one query: no Readiness objects, which were most of the cost
    of a page of 100."""
    found: dict[int, dict] = {
        pid: {"overall": None, "reviewed": None, "phase": None, "plays": {}} for pid in project_ids
    }
    if project_ids:
        query = ReadinessScore.select(
            ReadinessScore.project,
            ReadinessScore.play,
            ReadinessScore.score,
            ReadinessScore.reviewed_score,
            ReadinessScore.phase_score,
        ).where(ReadinessScore.project.in_(project_ids))
        for pid, play, score, reviewed, phase in db.execute(query):
            if play == WHOLE_PROJECT:
                found[pid].update(overall=score, reviewed=reviewed, phase=phase)
            else:
                found[pid]["plays"][str(play)] = score
    for figures in found.values():  # plays in order, as the edition numbers them
        figures["plays"] = dict(sorted(figures["plays"].items(), key=lambda kv: int(kv[0])))
    return found


def _stored(by_play: dict[int, tuple]) -> Stored:
    whole = by_play.get(WHOLE_PROJECT)
    if whole is None:
        return Stored(ProjectReadiness(Readiness(), Readiness(), {}), 0)
    plays = sorted((n, row) for n, row in by_play.items() if n != WHOLE_PROJECT)
    return Stored(
        ProjectReadiness(
            overall=Readiness(*whole[_WHOLE]),
            phase=Readiness(*whole[_PHASE]),
            plays={n: Readiness(*row[_WHOLE]) for n, row in plays},
            phase_plays={n: Readiness(*row[_PHASE]) for n, row in plays},
        ),
        whole[2],
    )
