"""The clause catalog a package draws on: the library plus the agency's newest clauses, and
what the rules propose from it."""

from __future__ import annotations

from peewee import fn

from playbook.contracts import (
    SECTIONS,
    Clause,
    Proposal,
    clause_from_dict,
    default_library,
    evaluate,
)
from playbook.edition import default_edition
from projects.checklists.queries import statuses_by_project
from projects.contracts.models import AgencyClause, ContractPackage
from projects.projects.models import Project

SECTION_ORDER = list(SECTIONS)


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
    answers = package.filled_answers
    return [evaluate(c, answers, project.phase, statuses) for c in catalogue()]
