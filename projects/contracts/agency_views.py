"""The clause library pages, and agency clauses: those who may (see projects/access.py) add
their own clauses; every edit saves a new version, so exported revisions never change."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from peewee import JOIN

from playbook.contracts import (
    SECTIONS,
    TOPICS,
    VARIABLES_BY_NAME,
    default_library,
)
from projects.access import EDIT_AGENCY_CLAUSES, may, requires
from projects.auth.models import User
from projects.contracts import bp, changes
from projects.contracts.catalogue import agency_clause, latest_agency_clauses
from projects.contracts.changes import ClauseRefused, agency_values
from projects.contracts.forms import AgencyClauseForm
from projects.contracts.models import AgencyClause
from projects.fields import conflict_rows
from projects.saves import CONFLICTS


@bp.route("/contract-clauses")
def clauses():
    library = default_library()
    agency = list(latest_agency_clauses().values())
    return render_template(
        "contracts/clauses.html",
        library=library,
        agency=agency,
        sections=SECTIONS,
        can_edit=may(current_user, EDIT_AGENCY_CLAUSES),
    )


@bp.route("/contract-clauses/<clause_id>")
def clause(clause_id: str):
    found = default_library().get(clause_id)
    versions = []
    if found is None:
        versions = list(
            AgencyClause.select(AgencyClause, User)
            .join(User, on=AgencyClause.created_by == User.id, join_type=JOIN.LEFT_OUTER)
            .where(AgencyClause.clause_id == clause_id)
            .order_by(AgencyClause.version.desc())
        )
        if not versions:
            abort(404)
        wanted = request.args.get("version", type=int) or versions[0].version
        row = next((v for v in versions if v.version == wanted), None)
        if row is None:
            abort(404)
        found = agency_clause(row)
    return render_template(
        "contracts/clause.html",
        clause=found,
        versions=versions,
        latest=versions[0].version if versions else found.version,
        topics=TOPICS,
        variables=VARIABLES_BY_NAME,
        can_edit=may(current_user, EDIT_AGENCY_CLAUSES) and bool(versions),
    )


@bp.route("/contract-clauses/new", methods=["GET", "POST"])
@requires(EDIT_AGENCY_CLAUSES)
def new_clause():
    form = AgencyClauseForm()
    if form.validate_on_submit():
        clause_id = f"agency.{form.name.data.strip()}"
        if AgencyClause.select().where(AgencyClause.clause_id == clause_id).exists():
            form.name.errors.append("An agency clause with that short name already exists")
        else:
            try:
                row = changes.create_agency_clause(clause_id, form.values(), current_user.id)
            except ClauseRefused as refused:
                form.text.errors.extend(refused.problems)
            else:
                if row is None:
                    form.name.errors.append("An agency clause with that short name already exists")
                else:
                    flash("Agency clause saved as version 1.", "success")
                    return redirect(url_for("contracts.clause", clause_id=clause_id))
    return render_template("contracts/clause_form.html", form=form, clause_id=None, conflicts=[])


@bp.route("/contract-clauses/<clause_id>/edit", methods=["GET", "POST"])
@requires(EDIT_AGENCY_CLAUSES)
def edit_agency_clause(clause_id: str):
    latest = _latest(clause_id) or abort(404)
    form = AgencyClauseForm()
    form.name.data = clause_id.removeprefix("agency.")
    if request.method == "GET":
        form.fill(latest.fields)
        form.start_from(latest.version, agency_values(latest.fields))
    conflicts = []
    if form.validate_on_submit():
        try:
            outcome = changes.edit_agency_clause(
                clause_id,
                form.values(),
                version=form.version.data,
                original=form.original.data,
                user=current_user._get_current_object(),
            )
        except ClauseRefused as refused:
            form.text.errors.extend(refused.problems)
        else:
            if outcome.status != CONFLICTS:
                saved = outcome.rows[0]
                flash(
                    f"Saved as version {saved.version}. Packages that use an earlier version "
                    "keep it, and exported revisions never change."
                    if outcome.saved
                    else "Nothing changed: no new version was saved.",
                    "success",
                )
                return redirect(url_for("contracts.clause", clause_id=clause_id))
            form.restart(outcome)
            conflicts = conflict_rows(form, outcome)
            latest = _latest(clause_id)
    return render_template(
        "contracts/clause_form.html",
        form=form,
        clause_id=clause_id,
        latest=latest,
        conflicts=conflicts,
    ), 409 if conflicts else 200


def _latest(clause_id: str) -> AgencyClause | None:
    return (
        AgencyClause.select()
        .where(AgencyClause.clause_id == clause_id)
        .order_by(AgencyClause.version.desc())
        .first()
    )
