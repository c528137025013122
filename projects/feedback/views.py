"""The public form and its thank-you page (no sign-in), the project's feedback page, the
owner's settings and recording a finding from comments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from projects.access import EDIT_ITEMS, MANAGE_PROJECT, VIEW, may, project_or_404
from projects.editions import active_edition
from projects.feedback import bp, changes, queries
from projects.feedback.forms import SettingsForm, response_form
from projects.feedback.models import LANGUAGE_NAMES, FeedbackResponse
from projects.fields import choices, conflict_rows
from projects.projects.queries import people_choices
from projects.research.forms import FindingForm
from projects.saves import CONFLICTS
from projects.security import csrf

PER_PAGE = 25


def _open_or_404(key: str):
    found = queries.open_form(key)
    if found is None:
        abort(404)  # unknown, or off: the same plain 404
    return found


# The form checks its own CSRF token (flask-wtf, against the visitor's session), so an expired
# token is a message on the page with the answers kept, not the app's English error page.
@csrf.exempt
@bp.route("/feedback/<key>", methods=["GET", "POST"])
def form(key: str):
    settings, project = _open_or_404(key)
    survey = queries.survey_in_use()
    language = str(get_locale())
    form = response_form(survey, language)
    status = 200
    if request.method == "POST":
        if form.caught:  # a bot filled the hidden field: thank it, keep nothing
            return redirect(url_for("feedback.thanks", key=key, lang=language))
        if form.validate():
            try:
                changes.submit(
                    project,
                    survey,
                    form.answers(),
                    (form.comment.data or "").strip(),
                    language,
                    request.remote_addr,
                )
            except changes.TooMany:
                form.form_errors.append(
                    _("We have had many responses from your connection. Please try again later.")
                )
                status = 429
            else:
                return redirect(url_for("feedback.thanks", key=key, lang=language))
    return render_template(
        "feedback/form.html",
        form=form,
        survey=survey,
        settings=settings,
        title=settings.title_for(project),
        language=language,
        languages=LANGUAGE_NAMES,
        expired=bool(getattr(form, "csrf_token", None) and form.csrf_token.errors),
        problems=_problems(form),
    ), status


def _problems(form) -> list[tuple[str, str]]:
    """The error summary: (field id, message); an expired token has its own message."""
    found = [("", str(message)) for message in form.form_errors]
    for field in form:
        if field.name != "csrf_token":
            found.extend((field.id, str(message)) for message in field.errors)
    return found


@bp.route("/feedback/<key>/thank-you")
def thanks(key: str):
    settings, project = _open_or_404(key)
    return render_template(
        "feedback/thanks.html",
        title=settings.title_for(project),
        language=str(get_locale()),
        languages=LANGUAGE_NAMES,
        key=key,
    )


@bp.route("/projects/<slug>/feedback")
def index(slug: str):
    project = project_or_404(slug, VIEW)
    query = queries.comments(project)
    total = query.count()
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    settings = queries.settings_of(project)
    return render_template(
        "feedback/index.html",
        project=project,
        responses=queries.with_findings(list(query.paginate(page, PER_PAGE))),
        total=total,
        responses_in_all=queries.response_count(project),
        page=page,
        pages=pages,
        survey=queries.survey_in_use(),
        address=queries.public_address(settings),
        can_record=may(current_user, EDIT_ITEMS, project),
        can_manage=may(current_user, MANAGE_PROJECT, project),
    )


@bp.route("/projects/<slug>/feedback/settings", methods=["GET", "POST"])
def settings(slug: str):
    project = project_or_404(slug, MANAGE_PROJECT)
    saved = queries.settings_of(project)
    if request.method == "GET":
        form = SettingsForm(data=changes.values_of(saved))
        form.start_from(saved.version if saved else None, changes.values_of(saved))
    else:
        form = SettingsForm()
    conflicts = []
    if form.validate_on_submit():
        outcome = changes.save_settings(
            project,
            form.values(),
            version=form.version.data,
            original=form.original.data,
            user=current_user._get_current_object(),
        )
        if outcome.status != CONFLICTS:
            on = form.values()["enabled"]
            flash(
                ("Settings saved. " if outcome.saved else "Nothing changed. ")
                + ("The form is on." if on else "The form is off."),
                "success",
            )
            return redirect(url_for("feedback.settings", slug=slug))
        form.restart(outcome)
        conflicts = conflict_rows(form, outcome)
    return render_template(
        "feedback/settings.html",
        project=project,
        form=form,
        conflicts=conflicts,
        address=queries.public_address(saved),
        saved=saved,
    ), 409 if conflicts else 200


@bp.route("/projects/<slug>/feedback/finding", methods=["GET", "POST"])
def record_finding(slug: str):
    """The finding form, prefilled from the chosen comments (`?response=ID`, one or more)."""
    project = project_or_404(slug, EDIT_ITEMS)
    ids = request.args.getlist("response", type=int)[:50]
    responses = list(
        FeedbackResponse.select()
        .where((FeedbackResponse.project == project) & FeedbackResponse.id.in_(ids or [0]))
        .order_by(FeedbackResponse.created_at, FeedbackResponse.id)
    )
    if not responses:
        flash("Choose the comments to record as a finding.", "info")
        return redirect(url_for("feedback.index", slug=slug))
    edition = active_edition()
    if request.method == "GET":
        form = FindingForm(data=_prefill(responses), edition=edition)
    else:
        form = FindingForm(edition=edition)
    form.owner.choices = choices(people_choices(project))
    if form.validate_on_submit():
        finding = changes.record_finding(
            project,
            form.values(),
            responses,
            current_user._get_current_object(),
            privacy_checked=bool(form.privacy_flags),
        )
        flash(f"Finding “{finding.title}” recorded from feedback.", "success")
        return redirect(url_for("research.detail", slug=slug, finding_id=finding.id))
    return render_template(
        "research/form.html",
        project=project,
        form=form,
        finding=None,
        conflicts=[],
        edition=edition,
        chosen_items=set(form.items.data or []),
        chosen_plays=set(form.plays.data or []),
        from_feedback=responses,
    )


def _prefill(responses: list[FeedbackResponse]) -> dict:
    first = responses[0].comment.strip().split("\n")[0]
    quotes = "\n\n".join(
        "\n".join(f"> {line}" for line in r.comment.strip().splitlines()) for r in responses
    )
    return {
        "title": first[:120],
        "insight": f"What people wrote in the feedback form:\n\n{quotes}",
        "method": "survey",
        "research_date": max(r.created_at for r in responses).date(),
        "participants": len(responses),
        "severity": "",
        "confidence": len(responses),
        "status": "open",
        "owner": 0,
        "plays": [12],  # Play 12: use data to drive decisions
    }
