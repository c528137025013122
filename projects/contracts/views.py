"""Contract package pages: start a package, work on its clauses and QASP, export revisions."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from playbook.contracts import QASP_FIELDS, VARIABLES_BY_NAME, describe_answers
from playbook.contracts.layouts import UCF
from projects.access import EDIT_CONTRACTS, EDIT_ITEMS, VIEW, may, project_or_404
from projects.contracts import bp
from projects.contracts.catalogue import catalogue
from projects.contracts.changes import (
    ALREADY,
    MISSING,
    RESTORED,
    add_clause,
    add_qasp_row,
    answer_values,
    clause_text,
    delete_qasp_row,
    edit_answers,
    edit_qasp_row,
    edit_text,
    move,
    reset_text,
    set_included,
    start_package,
)
from projects.contracts.exports import ExportRefused
from projects.contracts.forms import (
    ANSWER_GROUPS,
    AddClauseForm,
    ClauseTextForm,
    PackageForm,
    QaspRowForm,
)
from projects.contracts.models import (
    FORMATS,
    ContractPackage,
    PackageClause,
    PackageQaspRow,
    Revision,
    RevisionFile,
)
from projects.contracts.queries import finding_choices, project_facts, view_package
from projects.fields import ConfirmForm, choices, conflict_rows
from projects.saves import CONFLICTS

BASE = "/projects/<slug>/contract-packages"


def _package(slug: str, package_id: int, edit: bool = False):
    """The project and package, if this person may see them (404) and change them (403)."""
    project = project_or_404(slug, EDIT_CONTRACTS if edit else VIEW)
    package = ContractPackage.get_or_none(
        (ContractPackage.id == package_id) & (ContractPackage.project == project.id)
    )
    if package is None:
        abort(404)
    return project, package


def _entry(package, entry_id: int) -> PackageClause:
    entry = PackageClause.get_or_none(
        (PackageClause.id == entry_id) & (PackageClause.package == package.id)
    )
    if entry is None:
        abort(404)
    return entry


def _qasp_row(package, row_id: int) -> PackageQaspRow:
    row = PackageQaspRow.get_or_none(
        (PackageQaspRow.id == row_id) & (PackageQaspRow.package == package.id)
    )
    if row is None:
        abort(404)
    return row


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _shown_version() -> int:
    """The version of the clause or row a button was shown for (it sends it along)."""
    version = request.form.get("version", type=int)
    if version is None:
        abort(400)
    return version


@bp.route(f"{BASE}/new", methods=["GET", "POST"])
def new(slug: str):
    project = project_or_404(slug, EDIT_CONTRACTS)
    form = _package_form(project)
    facts, notes = project_facts(project)
    if request.method == "GET":
        form.title.data = f"Contract language for {project.name}"
        form.layout.data = UCF
        form.fill(facts)
    if form.validate_on_submit():
        package = start_package(
            project,
            form.title.data.strip(),
            form.answers(),
            current_user._get_current_object(),
            layout=form.layout.data,
        )
        flash("Package started with the clauses the project's facts call for.", "success")
        return redirect(url_for("contracts.detail", slug=slug, package_id=package.id))
    return render_template(
        "contracts/answers.html",
        project=project,
        package=None,
        form=form,
        groups=_groups(),
        conflicts=[],
        facts=notes,
    )


def _package_form(project) -> PackageForm:
    form = PackageForm()
    form.cited_findings.choices = choices(finding_choices(project))
    return form


def _groups():
    return [(title, [VARIABLES_BY_NAME[n] for n in names]) for title, names in ANSWER_GROUPS]


@bp.route(f"{BASE}/<int:package_id>/answers", methods=["GET", "POST"])
def answers(slug: str, package_id: int):
    project, package = _package(slug, package_id, edit=True)
    form = _package_form(project)
    if request.method == "GET":
        form.title.data = package.title
        form.layout.data = package.layout
        form.fill(package.filled_answers)
        form.start_from(package.version, answer_values(package))
    conflicts = []
    if form.validate_on_submit():
        outcome = edit_answers(
            package,
            project,
            {"title": form.title.data.strip(), "layout": form.layout.data, **form.answers()},
            version=form.version.data,
            original=form.original.data,
            user=current_user._get_current_object(),
        )
        if outcome.status != CONFLICTS:
            saved = "Answers saved. Clause texts now use them."
            flash(saved if outcome.saved else "Nothing changed.", "success")
            return redirect(url_for("contracts.detail", slug=slug, package_id=package_id))
        form.restart(outcome)
        conflicts = conflict_rows(form, outcome)
    return render_template(
        "contracts/answers.html",
        project=project,
        package=package,
        form=form,
        groups=_groups(),
        conflicts=conflicts,
        facts=[],
    ), 409 if conflicts else 200


@bp.route(f"{BASE}/<int:package_id>")
def detail(slug: str, package_id: int):
    project, package = _package(slug, package_id)
    view = view_package(package, project)
    add_form = AddClauseForm()
    add_form.clause_id.choices = _add_choices(view)
    return render_template(
        "contracts/detail.html",
        project=project,
        package=package,
        view=view,
        can_edit=may(current_user, EDIT_CONTRACTS, project),
        add_form=add_form,
        answers=describe_answers(package.answers),
        formats=FORMATS,
        layout=package.layout_spec,
        mark_form=_mark_form(package, project, view),
    )


def _mark_form(package, project, view):
    """The offer to mark Play 5 items done, once the package is exported, for people who may
    change the checklist."""
    from projects.contracts.officer_views import mark_form

    if not view.revisions or not may(current_user, EDIT_ITEMS, project):
        return None
    return mark_form(package, project)


def _add_choices(view) -> list[SelectChoice]:
    return choices(
        (
            p.clause.id,
            f"{p.clause.title} ({p.clause.section_label}{', proposed' if p.proposed else ''})",
        )
        for p in view.available
    )


@bp.route(f"{BASE}/<int:package_id>/clauses", methods=["POST"])
def add(slug: str, package_id: int):
    project, package = _package(slug, package_id, edit=True)
    form = AddClauseForm()
    # Any clause in the catalog, not only those the page offered: someone else may have
    # added the chosen one since, and the person is told so rather than "choose a clause".
    form.clause_id.choices = choices((c.id, c.title) for c in catalogue())
    clause, outcome = (
        add_clause(package, project, form.clause_id.data)
        if form.validate_on_submit()
        else (None, MISSING)
    )
    if clause is None:
        flash("Choose a clause from the list to add it.", "info")
        return redirect(url_for("contracts.detail", slug=slug, package_id=package_id))
    if outcome == ALREADY:
        flash(f"“{clause.title}” is already in the package: nothing was added.", "info")
    else:
        flash(f"{'Put back' if outcome == RESTORED else 'Added'} “{clause.title}”.", "success")
    return redirect(
        url_for("contracts.detail", slug=slug, package_id=package_id, _anchor=f"clause-{clause.id}")
    )


@bp.route(
    f"{BASE}/<int:package_id>/clauses/<int:entry_id>/<any(remove, restore):action>",
    methods=["POST"],
)
def include(slug: str, package_id: int, entry_id: int, action: str):
    project, package = _package(slug, package_id, edit=True)
    entry = _entry(package, entry_id)
    _confirmed()
    set_included(package, project, entry, action == "restore")
    flash(
        "Clause put back."
        if action == "restore"
        else "Clause removed. You can put it back from the list of removed clauses.",
        "success",
    )
    return redirect(url_for("contracts.detail", slug=slug, package_id=package_id))


@bp.route(
    f"{BASE}/<int:package_id>/clauses/<int:entry_id>/move/<any(up, down):direction>",
    methods=["POST"],
)
def move_clause(slug: str, package_id: int, entry_id: int, direction: str):
    project, package = _package(slug, package_id, edit=True)
    entry = _entry(package, entry_id)
    _confirmed()
    if not move(package, project, entry, direction):
        flash(
            f"That clause is already at the {'top' if direction == 'up' else 'bottom'} "
            "of its section.",
            "info",
        )
    return redirect(
        url_for(
            "contracts.detail",
            slug=slug,
            package_id=package_id,
            _anchor=f"clause-{entry.clause_id}",
        )
    )


@bp.route(f"{BASE}/<int:package_id>/clauses/<int:entry_id>/edit", methods=["GET", "POST"])
def edit_clause(slug: str, package_id: int, entry_id: int):
    project, package = _package(slug, package_id, edit=True)
    entry = _entry(package, entry_id)
    view = next(
        (e for e in [*view_package(package, project).included] if e.entry.id == entry.id), None
    )
    if view is None or view.clause is None:
        abort(404)
    form = ClauseTextForm(answers=package.filled_answers)
    if request.method == "GET":
        form.text.data = clause_text(entry, view.clause.text)
        form.start_from(entry.version, {"text": form.text.data})
    conflicts = []
    if form.validate_on_submit():
        text = form.text.data.replace("\r\n", "\n").strip()
        outcome = edit_text(
            package,
            project,
            entry,
            view.clause.text,
            text,
            version=form.version.data,
            original=form.original.data,
            user=current_user._get_current_object(),
        )
        if outcome.status != CONFLICTS:
            library = outcome.saved and text == view.clause.text.strip()
            flash(
                "The text matches the library, so the clause uses the library text again."
                if library
                else "Clause saved."
                if outcome.saved
                else "Nothing changed.",
                "success",
            )
            return redirect(
                url_for(
                    "contracts.detail",
                    slug=slug,
                    package_id=package_id,
                    _anchor=f"clause-{entry.clause_id}",
                )
            )
        form.restart(outcome)
        conflicts = conflict_rows(form, outcome)
    return render_template(
        "contracts/edit_clause.html",
        project=project,
        package=package,
        entry=entry,
        view=view,
        form=form,
        conflicts=conflicts,
    ), 409 if conflicts else 200


@bp.route(f"{BASE}/<int:package_id>/clauses/<int:entry_id>/reset", methods=["POST"])
def reset_clause(slug: str, package_id: int, entry_id: int):
    project, package = _package(slug, package_id, edit=True)
    entry = _entry(package, entry_id)
    _confirmed()
    if entry.text is None or reset_text(package, project, entry, _shown_version()):
        flash("The clause uses the library text again.", "success")
    else:
        flash(
            "Someone changed this clause after you opened the page, so it still has their "
            "text. Read it, and choose “Use the library text” again if you still want to.",
            "error",
        )
    return redirect(
        url_for(
            "contracts.detail",
            slug=slug,
            package_id=package_id,
            _anchor=f"clause-{entry.clause_id}",
        )
    )


@bp.route(f"{BASE}/<int:package_id>/qasp/new", methods=["GET", "POST"])
def add_qasp(slug: str, package_id: int):
    return _qasp_form(slug, package_id, None)


@bp.route(f"{BASE}/<int:package_id>/qasp/<int:row_id>/edit", methods=["GET", "POST"])
def edit_qasp(slug: str, package_id: int, row_id: int):
    return _qasp_form(slug, package_id, row_id)


def _qasp_form(slug: str, package_id: int, row_id: int | None):
    project, package = _package(slug, package_id, edit=True)
    row = None
    if row_id is not None:
        row = _qasp_row(package, row_id)
    form = QaspRowForm(obj=row if request.method == "GET" else None)
    if request.method == "GET" and row is not None:
        form.start_from(row.version, {k: getattr(row, k) for k in QASP_FIELDS})
    conflicts = []
    if form.validate_on_submit():
        values = {k: getattr(form, k).data.strip() for k in QASP_FIELDS}
        if row is None:
            add_qasp_row(package, project, values)
            flash("QASP row saved.", "success")
            return redirect(
                url_for("contracts.detail", slug=slug, package_id=package_id, _anchor="qasp")
            )
        outcome = edit_qasp_row(
            package,
            project,
            row,
            values,
            version=form.version.data,
            original=form.original.data,
            user=current_user._get_current_object(),
        )
        if outcome.status != CONFLICTS:
            flash("QASP row saved." if outcome.saved else "Nothing changed.", "success")
            return redirect(
                url_for("contracts.detail", slug=slug, package_id=package_id, _anchor="qasp")
            )
        form.restart(outcome)
        conflicts = conflict_rows(form, outcome)
    return render_template(
        "contracts/qasp_row.html",
        project=project,
        package=package,
        row=row,
        form=form,
        conflicts=conflicts,
    ), 409 if conflicts else 200


@bp.route(f"{BASE}/<int:package_id>/qasp/<int:row_id>/delete", methods=["POST"])
def delete_qasp(slug: str, package_id: int, row_id: int):
    project, package = _package(slug, package_id, edit=True)
    row = _qasp_row(package, row_id)
    _confirmed()
    if delete_qasp_row(package, project, row, _shown_version()):
        flash("QASP row removed.", "success")
    else:
        flash(
            "Someone changed this QASP row after you opened the page, so it was not removed. "
            "Read it, and choose “Remove” again if you still want to.",
            "error",
        )
    return redirect(url_for("contracts.detail", slug=slug, package_id=package_id, _anchor="qasp"))


@bp.route(f"{BASE}/<int:package_id>/revisions", methods=["POST"])
def export_package(slug: str, package_id: int):
    from projects.contracts.exports import export

    project, package = _package(slug, package_id, edit=True)
    _confirmed()
    try:
        revision = export(package, project, current_user._get_current_object())
    except ExportRefused as error:
        flash(f"Nothing was exported. {error}", "info")
    else:
        flash(f"Revision {revision.number} exported as Word, PDF and Markdown.", "success")
    return redirect(
        url_for("contracts.detail", slug=slug, package_id=package_id, _anchor="revisions")
    )


@bp.route(f"{BASE}/<int:package_id>/revisions/<int:number>/<any(docx, pdf, markdown):fmt>")
def download(slug: str, package_id: int, number: int, fmt: str):
    project, package = _package(slug, package_id)
    stored = (
        RevisionFile.select(RevisionFile, Revision)
        .join(Revision)
        .where(
            (Revision.package == package.id)
            & (Revision.number == number)
            & (RevisionFile.format == fmt)
        )
        .get_or_none()
    )
    if stored is None:
        abort(404)
    _label, extension, mimetype = FORMATS[fmt]
    response = send_file(
        io.BytesIO(bytes(stored.content)),
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"{project.slug}-contract-package-{package.id}-r{number}.{extension}",
    )
    response.headers["X-Content-SHA256"] = stored.sha256
    return response
