"""API tokens of a project: owners create them (the secret is shown once), see them and
revoke them."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from projects.access import MANAGE_PROJECT, project_or_404
from projects.fields import ConfirmForm
from projects.measures import bp, tokens
from projects.measures.forms import TokenForm


@bp.route("/projects/<slug>/api-tokens", methods=["GET", "POST"])
def api_tokens(slug: str):
    project = project_or_404(slug, MANAGE_PROJECT)
    form = TokenForm()
    created = secret = None
    if form.validate_on_submit():
        created, secret = tokens.create_token(
            project, form.name.data, by=current_user._get_current_object()
        )
        form = TokenForm(formdata=None)
    # The secret is in this one answer only (not stored, not in a redirect or the session):
    # pages are sent with Cache-Control: no-store.
    return render_template(
        "measures/tokens.html",
        project=project,
        form=form,
        tokens=tokens.tokens_of(project),
        created=created,
        secret=secret,
        confirm=ConfirmForm(),
    )


@bp.route("/projects/<slug>/api-tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token(slug: str, token_id: int):
    project = project_or_404(slug, MANAGE_PROJECT)
    if ConfirmForm().validate_on_submit():
        token = tokens.revoke_token(project, token_id, by=current_user._get_current_object())
        if token is None:
            flash("That token was already revoked.", "info")
        else:
            flash(
                f"Token “{token.name}” revoked. Programs using it can no longer connect.", "success"
            )
    return redirect(url_for("measures.api_tokens", slug=slug))
