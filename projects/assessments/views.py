"""Assessment pages: the list for a project, opening one, the panel's working page (notes,
ratings, outcome) and the report downloads."""

from __future__ import annotations

from collections import Counter

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from playbook.assessment import GATES
from playbook.readiness import ACCEPTED, DONE, NEEDS_EVIDENCE
from projects.access import RUN_ASSESSMENTS, VIEW, may, may_on_assessment, project_or_404
from projects.assessments import bp, changes
from projects.assessments.forms import NotesForm, OpenAssessmentForm, OutcomeForm, RatingForm
from projects.assessments.models import Assessment, Panelist, PlayRating
from projects.assessments.queries import actions_of, assessments_of, assessors, panel_of
from projects.assessments.report import assessment_docx
from projects.checklists.models import ItemResponse
from projects.checklists.scores import stored_readiness
from projects.editions import active_edition
from projects.fields import choices, conflict_rows
from projects.research.queries import items_with_findings
from projects.saves import CONFLICTS

BASE = "/projects/<slug>/assessments"


@bp.route(BASE)
def index(slug: str):
    project = project_or_404(slug)
    return render_template(
        "assessments/index.html",
        project=project,
        assessments=assessments_of(project),
        can_open=may(current_user, RUN_ASSESSMENTS, project),
    )


@bp.route(f"{BASE}/new", methods=["GET", "POST"])
def create(slug: str):
    project = project_or_404(slug, RUN_ASSESSMENTS)
    people = assessors()
    form = OpenAssessmentForm()
    if request.method == "GET":
        form.lead_assessor.data = current_user.id
    form.lead_assessor.choices = choices([(u.id, u.name) for u in people])
    form.panel.choices = choices([(u.id, f"{u.name} ({u.email})") for u in people])
    if form.validate_on_submit():
        by_id = {u.id: u for u in people}
        assessment = changes.open_assessment(
            project,
            to_phase=form.to_phase.data,
            held_on=form.held_on.data,
            lead=by_id[form.lead_assessor.data],
            panel=[by_id[i] for i in form.panel.data],
            user=current_user._get_current_object(),
        )
        flash(f"Assessment opened: {assessment.gate}.", "success")
        return redirect(url_for("assessments.detail", slug=slug, assessment_id=assessment.id))
    return render_template("assessments/new.html", project=project, form=form, gates=GATES)


def _assessment_or_404(project, assessment_id: int) -> Assessment:
    assessment = Assessment.get_or_none(
        (Assessment.id == assessment_id) & (Assessment.project == project.id)
    )
    if assessment is None:
        abort(404)
    assessment.project = project  # known already: no query of its own
    return assessment


@bp.route(f"{BASE}/<int:assessment_id>")
def detail(slug: str, assessment_id: int):
    project = project_or_404(slug, VIEW)
    return _detail_page(project, _assessment_or_404(project, assessment_id))


def _detail_page(project, assessment: Assessment, notes_form: NotesForm | None = None):
    """The assessment's page; with `notes_form`, the notes as sent, with their errors."""
    me = current_user._get_current_object()
    panel = panel_of(assessment)
    on_panel = may_on_assessment(me, assessment, "notes")
    mine = next((p for p in panel if p.user_id == me.id), None)
    ratings = {r.play: r for r in assessment.ratings}
    return render_template(
        "assessments/detail.html",
        project=project,
        assessment=assessment,
        edition=active_edition(),
        panel=panel,
        on_panel=on_panel,
        deciding=may_on_assessment(me, assessment, "decide"),
        notes_form=notes_form or NotesForm(data={"notes": mine.notes if mine else ""}),
        ratings=ratings,
        summary=_play_summaries(project) if on_panel else {},
        readiness=stored_readiness([project.id])[project.id].readiness,
        actions=[a for a in actions_of(project) if a.assessment_id == assessment.id],
        keeps_notes=on_panel and mine is not None,
    )


def _play_summaries(project) -> dict[int, dict]:
    """The panel's pre-filled summary of each play: items done, with evidence, reviewed."""
    supported = items_with_findings([project.id]).get(project.id, set())
    items = active_edition().items
    counts: dict[int, Counter] = {}
    rows = ItemResponse.select(
        ItemResponse.item_id, ItemResponse.status, ItemResponse.evidence_url, ItemResponse.review
    ).where(ItemResponse.project == project.id)
    for row in rows:
        item = items.get(row.item_id)
        if item is None:
            continue
        tally = counts.setdefault(item.play, Counter())
        if row.status == DONE:
            tally["done"] += 1
            tally["evidence"] += bool(row.evidence_url) or row.item_id in supported
            tally["accepted"] += row.review == ACCEPTED
            tally["needs_evidence"] += row.review == NEEDS_EVIDENCE
    return counts


@bp.route(f"{BASE}/<int:assessment_id>/notes", methods=["POST"])
def notes(slug: str, assessment_id: int):
    project = project_or_404(slug, RUN_ASSESSMENTS)
    assessment = _assessment_or_404(project, assessment_id)
    me = current_user._get_current_object()
    if not may_on_assessment(me, assessment, "notes"):
        abort(403)
    form = NotesForm()
    if not form.validate_on_submit():  # the page again, with what was typed and the message
        return _detail_page(project, assessment, form)
    if Panelist.get_or_none(assessment=assessment.id, user=me.id) is None:
        flash("Only the panel's members keep notes here.", "info")
    else:
        try:
            changes.save_notes(assessment, me, form.notes.data)
        except changes.Refused as refused:
            flash(str(refused), "info")
        else:
            flash("Your notes are saved.", "success")
    return redirect(url_for("assessments.detail", slug=slug, assessment_id=assessment_id))


@bp.route(f"{BASE}/<int:assessment_id>/plays/<int:number>", methods=["GET", "POST"])
def rate(slug: str, assessment_id: int, number: int):
    project = project_or_404(slug, RUN_ASSESSMENTS)
    assessment = _assessment_or_404(project, assessment_id)
    play = active_edition().play(number)
    if play is None:
        abort(404)
    if not may_on_assessment(current_user, assessment, "decide"):
        abort(403)
    saved = PlayRating.get_or_none(assessment=assessment.id, play=number)
    form = RatingForm(data=changes.rating_values(saved) if request.method == "GET" else None)
    if request.method == "GET":
        form.start_from(saved.version if saved else 0, changes.rating_values(saved))
    conflicts = []
    if form.validate_on_submit():
        try:
            outcome = changes.rate_play(
                assessment,
                number,
                {f: getattr(form, f).data for f in changes.RATING_FIELDS},
                version=form.version.data,
                original=form.original.data,
                user=current_user._get_current_object(),
            )
        except changes.Refused as refused:
            form.form_errors.append(str(refused))
        else:
            if outcome.status != CONFLICTS:
                flash(
                    f"Rating of play {number} saved." if outcome.saved else "Nothing changed.",
                    "success",
                )
                return redirect(
                    url_for("assessments.detail", slug=slug, assessment_id=assessment_id)
                    + f"#play-{number}"
                )
            form.restart(outcome)
            conflicts = conflict_rows(form, outcome)
    return render_template(
        "assessments/rate.html",
        project=project,
        assessment=assessment,
        play=play,
        form=form,
        conflicts=conflicts,
    ), 409 if conflicts else 200


@bp.route(f"{BASE}/<int:assessment_id>/outcome", methods=["GET", "POST"])
def outcome(slug: str, assessment_id: int):
    project = project_or_404(slug, RUN_ASSESSMENTS)
    assessment = _assessment_or_404(project, assessment_id)
    if not may_on_assessment(current_user, assessment, "decide"):
        abort(403)
    edition = active_edition()
    rated = {r.play for r in assessment.ratings if r.rating}
    unrated = [p for p in edition.plays if p.number not in rated]
    form = OutcomeForm(data={"assessment_version": assessment.version})
    if form.validate_on_submit():
        if unrated:
            form.form_errors.append(
                f"Rate every play first: {len(unrated)} not rated yet "
                f"(play {', '.join(str(p.number) for p in unrated)})."
            )
        else:
            try:
                changes.complete(
                    assessment,
                    outcome=form.outcome.data,
                    summary=form.summary.data,
                    version=form.assessment_version.data,
                    user=current_user._get_current_object(),
                )
            except changes.Refused as refused:
                form.form_errors.append(str(refused))
            else:
                flash("Outcome recorded. The assessment and its report are frozen.", "success")
                return redirect(
                    url_for("assessments.detail", slug=slug, assessment_id=assessment_id)
                )
    return render_template(
        "assessments/outcome.html",
        project=project,
        assessment=assessment,
        form=form,
        unrated=unrated,
    )


@bp.route(f"{BASE}/<int:assessment_id>/report.<any(pdf, docx):fmt>")
def download(slug: str, assessment_id: int, fmt: str):
    """The frozen report: the PDF exactly as stored (refused if it no longer matches its
    SHA-256), or the DOCX built from the frozen data."""
    project = project_or_404(slug)
    assessment = _assessment_or_404(project, assessment_id)
    if not assessment.completed:
        abort(404)
    if assessment.problems():
        return render_template(
            "assessments/tampered.html", assessment=assessment, problems=assessment.problems()
        ), 409
    name = f"{project.slug}-assessment-{assessment.to_phase}-{assessment.held_on.isoformat()}"
    if fmt == "pdf":
        data, mimetype = assessment.pdf_bytes, "application/pdf"
    else:
        data = assessment_docx(assessment.data)
        mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
