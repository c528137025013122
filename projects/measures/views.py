"""A project's measures: the list with the latest figures against targets, adding and editing
measures, entering a period's figures, and the CSV import and export."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from peewee import IntegrityError

from playbook import measures as catalog
from projects import uploads
from projects.access import EDIT_ITEMS, MANAGE_PROJECT, may, project_or_404
from projects.db import db, utcnow
from projects.fields import ConfirmForm, conflict_rows
from projects.measures import bp, changes, csv_import
from projects.measures.forms import ImportForm, MeasureEditForm, MeasureForm, ValueForm
from projects.measures.models import Measure, MeasureUpload, MeasureValue
from projects.measures.queries import chart, measures_of, shown_measures, values_by_measure
from projects.research.csv_import import ImportRefused
from projects.saves import CONFLICTS, Gone
from projects.spreadsheets import csv_response


def _measure_or_404(project, measure_id: int) -> Measure:
    measure = Measure.get_or_none((Measure.id == measure_id) & (Measure.project == project))
    if measure is None:
        abort(404)
    return measure


def _me():
    return current_user._get_current_object()


@bp.route("/projects/<slug>/measures")
def index(slug: str):
    project = project_or_404(slug)
    shown = shown_measures(project)
    drivers = {s.measure.driver for s in shown if s.measure.driver}
    return render_template(
        "measures/index.html",
        project=project,
        shown=shown,
        missing_drivers=len(catalog.DRIVERS) - len(drivers),
        can_edit=may(current_user, EDIT_ITEMS, project),
        can_manage=may(current_user, MANAGE_PROJECT, project),
        confirm=ConfirmForm(),
    )


@bp.route("/projects/<slug>/measures/new", methods=["GET", "POST"])
def create(slug: str):
    project = project_or_404(slug, MANAGE_PROJECT)
    taken = {m.key for m in measures_of(project)}
    form = MeasureForm(taken=taken)
    if request.method == "GET" and request.args.get("kind") in catalog.CATALOG:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        values = form.values()
        try:
            with db.atomic():
                measure = changes.create_measure(project, **values, by=_me())
        except IntegrityError:
            form.name.errors.append("The project already has this measure")
        else:
            flash(f"Measure “{measure.name}” added.", "success")
            return redirect(url_for("measures.detail", slug=slug, measure_id=measure.id))
    return render_template("measures/new.html", project=project, form=form)


@bp.route("/projects/<slug>/measures/drivers", methods=["POST"])
def add_drivers(slug: str):
    project = project_or_404(slug, MANAGE_PROJECT)
    form = ConfirmForm()
    if form.validate_on_submit():
        added = changes.add_driver_measures(project, by=_me())
        flash(f"Added {len(added)} A-11 driver measure{'s' if len(added) != 1 else ''}.", "success")
    return redirect(url_for("measures.index", slug=slug))


@bp.route("/projects/<slug>/measures/<int:measure_id>")
def detail(slug: str, measure_id: int):
    project = project_or_404(slug)
    measure = _measure_or_404(project, measure_id)
    values = values_by_measure([measure.id])[measure.id]
    today = utcnow().date()
    current = catalog.period_of(today, measure.period_kind)
    return render_template(
        "measures/detail.html",
        project=project,
        measure=measure,
        values=list(reversed(values)),
        chart=chart(measure, values),
        current=current,
        previous=catalog.previous_period(current),
        can_edit=may(current_user, EDIT_ITEMS, project),
        can_manage=may(current_user, MANAGE_PROJECT, project),
        example="2026-07" if measure.period_kind == catalog.MONTH else "2026-Q3",
    )


@bp.route("/projects/<slug>/measures/<int:measure_id>/edit", methods=["GET", "POST"])
def edit(slug: str, measure_id: int):
    project = project_or_404(slug, MANAGE_PROJECT)
    measure = _measure_or_404(project, measure_id)
    if request.method == "GET":
        form = MeasureEditForm(obj=measure, unit=measure.unit)
        form.start_from(measure.version, {c: getattr(measure, c) for c in MEASURE_EDITABLE})
    else:
        form = MeasureEditForm(unit=measure.unit)
    conflicts = []
    if form.validate_on_submit():
        try:
            outcome = changes.edit_measure(
                project,
                measure.id,
                form.values(),
                version=form.version.data,
                original=form.original.data,
                user=_me(),
            )
        except Gone:
            abort(404)
        if outcome.status != CONFLICTS:
            flash("Measure saved." if outcome.saved else "Nothing changed.", "success")
            return redirect(url_for("measures.detail", slug=slug, measure_id=measure.id))
        form.restart(outcome)
        conflicts = conflict_rows(form, outcome)
    return render_template(
        "measures/edit.html", project=project, measure=measure, form=form, conflicts=conflicts
    ), 409 if conflicts else 200


MEASURE_EDITABLE = ("name", "description", "target")


@bp.route("/projects/<slug>/measures/<int:measure_id>/values")
def choose_period(slug: str, measure_id: int):
    """The "enter figures for another period" box: on to that period's form (which checks
    that the person may edit)."""
    project = project_or_404(slug)
    measure = _measure_or_404(project, measure_id)
    wanted = request.args.get("period", "")[:20]
    problem = catalog.period_problem(wanted, measure.period_kind, utcnow().date())
    if problem:
        flash(f"{problem}.", "error")
        return redirect(url_for("measures.detail", slug=slug, measure_id=measure.id))
    period = catalog.normal_period(wanted, measure.period_kind)
    return redirect(url_for("measures.value", slug=slug, measure_id=measure.id, period=period))


@bp.route("/projects/<slug>/measures/<int:measure_id>/values/<period>", methods=["GET", "POST"])
def value(slug: str, measure_id: int, period: str):
    project = project_or_404(slug, EDIT_ITEMS)
    measure = _measure_or_404(project, measure_id)
    if catalog.period_problem(period, measure.period_kind, utcnow().date()):
        abort(404)
    stored = catalog.normal_period(period, measure.period_kind)
    if stored != period:
        return redirect(url_for("measures.value", slug=slug, measure_id=measure.id, period=stored))
    row = MeasureValue.get_or_none(
        (MeasureValue.measure == measure) & (MeasureValue.period == period)
    )
    if request.method == "GET":
        form = ValueForm(data=_value_data(row), measure=measure)
        form.start_from(row.version if row else 0, changes.values_of(row))
    else:
        form = ValueForm(measure=measure)
    conflicts = []
    if form.validate_on_submit():
        values = form.values()
        outcome = changes.record_value(
            measure,
            period,
            value=values["value"],
            answers=values["answers"],
            offered=values["offered"],
            customers=values["customers"],
            by=_me(),
            source="form",
            version=form.version.data or 0,
            original=form.original.data,
        )
        if outcome.status != CONFLICTS:
            label = catalog.period_label(period)
            flash(
                f"Saved {measure.name} for {label}." if outcome.saved else "Nothing changed.",
                "success",
            )
            return redirect(url_for("measures.detail", slug=slug, measure_id=measure.id))
        form.restart(outcome)
        conflicts = conflict_rows(form, outcome)
    return render_template(
        "measures/value.html",
        project=project,
        measure=measure,
        period=period,
        label=catalog.period_label(period),
        row=row,
        form=form,
        conflicts=conflicts,
    ), 409 if conflicts else 200


def _value_data(row: MeasureValue | None) -> dict:
    if row is None:
        return {}
    data = {"offered": row.offered, "customers": row.customers}
    if any(row.answers):  # the share follows from the answers: the form shows them only
        return data | {f"answers_{s}": n for s, n in zip(catalog.SCALE, row.answers, strict=True)}
    return data | {"value": row.value}


@bp.route("/projects/<slug>/measures/import", methods=["GET", "POST"])
def upload(slug: str):
    """Upload a CSV: a file with any problem is refused here with every row's problems;
    a good one is kept for its preview, where the person confirms."""
    project = project_or_404(slug, EDIT_ITEMS)
    form = ImportForm()
    checked = None
    if form.validate_on_submit():
        try:
            text = csv_import.text_of(form.file.data.read())
            checked = csv_import.check(project, text, utcnow().date())
        except ImportRefused as refused:
            form.file.errors.extend(refused.messages)
        else:
            if not checked.problem_rows:
                filename = form.file.data.filename or ""
                token = uploads.keep(MeasureUpload, project, current_user.id, filename, text)
                return redirect(url_for("measures.confirm_import", slug=slug, token=token))
    return render_template(
        "measures/import.html",
        project=project,
        form=form,
        checked=checked,
        columns=csv_import.COLUMNS,
        required=csv_import.REQUIRED,
        max_rows=csv_import.MAX_ROWS,
        measures=measures_of(project),
    )


@bp.route("/projects/<slug>/measures/import/<token>", methods=["GET", "POST"])
def confirm_import(slug: str, token: str):
    """The preview: every row, and the figures it replaces; confirming saves them all."""
    project = project_or_404(slug, EDIT_ITEMS)
    upload = uploads.pending(MeasureUpload, project, current_user.id, token)
    if upload is None:
        flash("That preview has expired or was already imported. Upload the file again.", "info")
        return redirect(url_for("measures.upload", slug=slug))
    form = ConfirmForm()
    try:
        checked = csv_import.check(project, upload.text, utcnow().date())
    except ImportRefused:  # a measure was removed meanwhile, or the like: start again
        checked = None
    if checked is None or checked.problem_rows:
        flash("The project's measures changed since the upload. Upload the file again.", "info")
        return redirect(url_for("measures.upload", slug=slug))
    if form.validate_on_submit():
        user = _me()
        with db.atomic():
            if not uploads.claim(upload):
                flash("Those figures were already imported.", "info")
                return redirect(url_for("measures.index", slug=slug))
            for row in checked.rows:
                changes.record_value(
                    row.measure, row.period, by=user, source="import", **row.values
                )
        n = len(checked.rows)
        flash(
            f"Imported {n} figure{'s' if n != 1 else ''} from {upload.filename or 'the file'}.",
            "success",
        )
        return redirect(url_for("measures.index", slug=slug))
    return render_template(
        "measures/preview.html", project=project, form=form, upload=upload, checked=checked
    )


@bp.route("/projects/<slug>/measures/export.csv")
def export(slug: str):
    project = project_or_404(slug)
    return csv_response(
        csv_import.COLUMNS, csv_import.export_rows(project), f"{project.slug}-measures.csv"
    )
