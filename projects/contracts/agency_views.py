"""The clause library pages, and agency clauses: those who may (see projects/access.py) add
their own clauses; every edit saves a new version, so exported revisions never change."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from peewee import JOIN, IntegrityError, fn

from playbook.contracts import (
    SECTIONS,
    TOPICS,
    VARIABLES_BY_NAME,
    ClauseError,
    clause_from_dict,
    default_library,
    used_variables,
)
from playbook.edition import default_edition
from projects import audit
from projects.access import EDIT_AGENCY_CLAUSES, may, requires
from projects.auth.models import User
from projects.contracts import bp
from projects.contracts.catalogue import agency_clause, latest_agency_clauses
from projects.contracts.forms import AgencyClauseForm
from projects.contracts.models import AgencyClause
from projects.db import db


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
        elif _save(form, clause_id, 1):
            flash("Agency clause saved as version 1.", "success")
            return redirect(url_for("contracts.clause", clause_id=clause_id))
    return render_template("contracts/clause_form.html", form=form, clause_id=None)


@bp.route("/contract-clauses/<clause_id>/edit", methods=["GET", "POST"])
@requires(EDIT_AGENCY_CLAUSES)
def edit_agency_clause(clause_id: str):
    latest = (
        AgencyClause.select()
        .where(AgencyClause.clause_id == clause_id)
        .order_by(AgencyClause.version.desc())
        .first()
    )
    if latest is None:
        abort(404)
    form = AgencyClauseForm()
    form.name.data = clause_id.removeprefix("agency.")
    if request.method == "GET":
        form.fill(latest.fields)
        form.version.data = latest.version
    elif form.validate_on_submit():
        if form.version.data != latest.version:
            form.text.errors.append(
                f"Someone saved version {latest.version} while you were editing. Your text is "
                "still here: read their version, then save again to make yours the next one."
            )
            form.version.data = latest.version
        elif _save(form, clause_id, latest.version + 1):
            flash(
                f"Saved as version {latest.version + 1}. Packages that use an earlier version "
                "keep it, and exported revisions never change.",
                "success",
            )
            return redirect(url_for("contracts.clause", clause_id=clause_id))
    return render_template(
        "contracts/clause_form.html", form=form, clause_id=clause_id, latest=latest
    )


def _save(form: AgencyClauseForm, clause_id: str, version: int) -> bool:
    """Check the clause as the library would, then store it as a new version."""
    try:
        used = used_variables(form.text.data)
    except ClauseError as error:  # validate_text already caught this; kept for safety
        form.text.errors.append(str(error))
        return False
    fields = form.fields_data(used)
    clause, problems = clause_from_dict(
        dict(fields, id=clause_id, version=version), default_edition(), clause_id
    )
    if clause is None:
        form.text.errors.extend(p.removeprefix(f"{clause_id}: ") for p in problems)
        return False
    try:
        with db.atomic():
            row = AgencyClause.create(
                clause_id=clause_id, version=version, fields=fields, created_by=current_user.id
            )
            audit.record(
                "saved agency clause",
                row,
                after={"clause": clause_id, "version": version, **fields},
            )
    except IntegrityError:
        newest = (
            AgencyClause.select(fn.MAX(AgencyClause.version))
            .where(AgencyClause.clause_id == clause_id)
            .scalar()
        )
        form.text.errors.append(
            f"Someone saved version {newest} at the same moment. Save again to add yours."
        )
        form.version.data = newest
        return False
    return True
