"""A contracting officer's own pages: every package they may see, marking a package final,
and marking the Play 5 items an exported package satisfies as done."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from projects.access import EDIT_ITEMS, project_or_404, visible_projects
from projects.checklists.changes import ITEM_FIELDS, RowEdit, save_play, values
from projects.checklists.queries import responses_by_item
from projects.contracts import bp
from projects.contracts.changes import satisfied_items
from projects.contracts.exports import ExportRefused, export
from projects.contracts.forms import MarkItemsForm
from projects.contracts.models import ContractPackage, Revision
from projects.contracts.queries import packages_for_officer
from projects.contracts.views import BASE, _confirmed, _package
from projects.fields import choices
from projects.saves import CONFLICTS, fingerprint


@bp.route("/contract-packages")
def index():
    """Every package the person may see, across projects."""
    rows = packages_for_officer(visible_projects(current_user._get_current_object()))
    return render_template("contracts/index.html", rows=rows)


@bp.route(f"{BASE}/<int:package_id>/final", methods=["POST"])
def finalize(slug: str, package_id: int):
    project, package = _package(slug, package_id, edit=True)
    _confirmed()
    try:
        revision = export(package, project, current_user._get_current_object(), final=True)
    except ExportRefused as error:
        flash(f"The package was not marked final. {error}", "info")
    else:
        flash(
            f"Marked final: revision {revision.number} has no draft marking. Any change now "
            "starts a new draft.",
            "success",
        )
    return redirect(
        url_for("contracts.detail", slug=slug, package_id=package_id, _anchor="revisions")
    )


def mark_form(package: ContractPackage, project) -> MarkItemsForm:
    """The offer to mark Play 5 items done: those the package's clauses satisfy, not done."""
    form = MarkItemsForm()
    form.items.choices = choices(satisfied_items(package, project))
    return form


@bp.route(f"{BASE}/<int:package_id>/checklist", methods=["POST"])
def mark_items(slug: str, package_id: int):
    project = project_or_404(slug, EDIT_ITEMS)
    package = ContractPackage.get_or_none(
        (ContractPackage.id == package_id) & (ContractPackage.project == project.id)
    )
    if package is None:
        abort(404)
    latest = package.revisions.order_by(Revision.number.desc()).first()
    form = mark_form(package, project)
    if latest is None or not form.validate_on_submit():
        flash("Choose the items to mark done; nothing was changed.", "info")
        return redirect(url_for("contracts.detail", slug=slug, package_id=package_id))
    evidence = url_for(
        "contracts.download",
        slug=slug,
        package_id=package_id,
        number=latest.number,
        fmt="pdf",
        _external=True,
    )
    note = f"Met by contract package “{package.title}”, revision {latest.number}."
    saved = responses_by_item(project)
    edits = []
    for index, item_id in enumerate(form.items.data):
        row = saved.get(item_id)
        current = values(row, ITEM_FIELDS)
        wanted = current | {
            "status": "done",
            "evidence_url": current["evidence_url"] or evidence,
            "note": current["note"] or note,
        }
        version = row.version if row else None
        edits.append(RowEdit(item_id, wanted, version, fingerprint(current), f"{index}-"))
    outcome = save_play(project, edits, [], current_user._get_current_object())
    if outcome.status == CONFLICTS:
        flash("Someone changed those items just now; nothing was saved. Try again.", "info")
    else:
        count = len(edits)
        flash(
            f"Marked {count} Play 5 item{'s' if count != 1 else ''} done, with revision "
            f"{latest.number} as evidence.",
            "success",
        )
    return redirect(url_for("contracts.detail", slug=slug, package_id=package_id))
