"""Importing findings from CSV: upload, preview every row and its problems, then confirm."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from projects import uploads
from projects.access import EDIT_ITEMS, project_or_404
from projects.db import db
from projects.editions import active_edition
from projects.research import bp, changes
from projects.research.csv_import import (
    COLUMNS,
    MAX_ROWS,
    REQUIRED,
    ImportRefused,
    decode,
    preview,
    read,
)
from projects.research.forms import ConfirmImportForm, UploadForm
from projects.research.models import FindingUpload


@bp.route("/projects/<slug>/user-research/import", methods=["GET", "POST"])
def upload(slug: str):
    project = project_or_404(slug, EDIT_ITEMS)
    form = UploadForm()
    if form.validate_on_submit():
        try:
            text = decode(form.file.data.read())
            read(text)  # refuses a file that cannot be imported at all; rows are checked next
        except ImportRefused as refused:
            form.file.errors.extend(refused.messages)
        else:
            filename = form.file.data.filename or ""
            token = uploads.keep(FindingUpload, project, current_user.id, filename, text)
            return redirect(url_for("research.confirm_import", slug=slug, token=token))
    return render_template(
        "research/import.html",
        project=project,
        form=form,
        columns=COLUMNS,
        required=REQUIRED,
        max_rows=MAX_ROWS,
    )


@bp.route("/projects/<slug>/user-research/import/<token>", methods=["GET", "POST"])
def confirm_import(slug: str, token: str):
    project = project_or_404(slug, EDIT_ITEMS)
    upload = uploads.pending(FindingUpload, project, current_user.id, token)
    if upload is None:
        flash("That preview has expired or was already imported. Upload the file again.", "info")
        return redirect(url_for("research.upload", slug=slug))
    form = ConfirmImportForm()
    result = preview(upload.text, active_edition())
    if form.validate_on_submit() and not result.problem_rows:
        if result.flagged_rows and not form.privacy_confirmed.data:
            form.privacy_confirmed.errors.append(
                "Remove the personal data from the file, or confirm that the flagged rows hold none"
            )
        else:
            return _import(project, upload, result)
    return render_template(
        "research/preview.html", project=project, form=form, upload=upload, preview=result
    )


def _import(project, upload: FindingUpload, result):
    user = current_user._get_current_object()
    with db.atomic():
        if not uploads.claim(upload):
            flash("Those findings were already imported.", "info")
            return redirect(url_for("research.index", slug=project.slug))
        changes.create_many(project, [(row.values, bool(row.flags)) for row in result.rows], user)
    n = len(result.rows)
    flash(f"Imported {n} finding{'s' if n != 1 else ''} from {upload.filename}.", "success")
    return redirect(url_for("research.index", slug=project.slug))
