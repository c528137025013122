"""A project's research log: browsing, recording, editing and exporting findings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from peewee import JOIN

from playbook.edition import parse_id
from projects.access import EDIT_ITEMS, may, project_or_404
from projects.audit import AuditEvent
from projects.auth.models import User
from projects.db import db
from projects.editions import active_edition
from projects.fields import choices, conflict_rows
from projects.history import describe
from projects.mywork import notices
from projects.owners.queries import outside_names, owner_choices
from projects.research import bp, changes
from projects.research.csv_import import COLUMNS, export_rows
from projects.research.forms import FindingForm
from projects.research.models import (
    METHODS,
    SEVERITIES,
    STATUSES,
    UNRESOLVED,
    Finding,
    FindingPlay,
    FindingTag,
    attach_links,
)
from projects.saves import CONFLICTS, Gone
from projects.spreadsheets import csv_response

PER_PAGE = 50


UNRESOLVED_FILTER = "unresolved"
STATUS_FILTERS = {UNRESOLVED_FILTER: "Open or planned (not yet addressed)", **STATUSES}


def _filters() -> dict:
    args = request.args
    play = args.get("play", type=int)
    return {
        "method": args.get("method", "") if args.get("method") in METHODS else "",
        "severity": args.get("severity", "") if args.get("severity") in SEVERITIES else "",
        "status": args.get("status", "") if args.get("status") in STATUS_FILTERS else "",
        "play": play if play and active_edition().play(play) else None,
        "tag": args.get("tag", "").strip().lower()[:40],
        "q": args.get("q", "").strip()[:200],
        "page": max(args.get("page", 1, type=int), 1),
    }


def filtered_findings(project, filters: dict):
    """An unexecuted query of the project's findings that match the filters, newest first."""
    query = Finding.select().where(Finding.project == project)
    for name in ("method", "severity", "status"):
        if filters[name] == UNRESOLVED_FILTER:
            query = query.where(Finding.status.in_(UNRESOLVED))
        elif filters[name]:
            query = query.where(getattr(Finding, name) == filters[name])
    if filters["play"]:
        linked = FindingPlay.select(FindingPlay.finding).where(FindingPlay.play == filters["play"])
        query = query.where(Finding.id.in_(linked))
    if filters["tag"]:
        tagged = FindingTag.select(FindingTag.finding).where(FindingTag.tag == filters["tag"])
        query = query.where(Finding.id.in_(tagged))
    if filters["q"]:
        words = filters["q"]
        query = query.where(
            Finding.title.contains(words)
            | Finding.insight.contains(words)
            | Finding.recommendation.contains(words)
            | Finding.user_groups.contains(words)
        )
    return query.order_by(Finding.research_date.desc(), Finding.id.desc())


@bp.route("/projects/<slug>/user-research")
def index(slug: str):
    project = project_or_404(slug)
    filters = _filters()
    query = filtered_findings(project, filters)
    total = query.count()
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(filters["page"], pages)
    findings = attach_links(list(query.paginate(page, PER_PAGE)))
    tags = (
        FindingTag.select(FindingTag.tag)
        .join(Finding)
        .where(Finding.project == project)
        .distinct()
        .order_by(FindingTag.tag)
        .tuples()
    )
    return render_template(
        "research/index.html",
        project=project,
        plays=[(p.number, f"{p.number}. {p.title}") for p in active_edition().plays],
        findings=findings,
        filters=filters,
        filtered=any(v for k, v in filters.items() if k != "page"),
        total=total,
        page=page,
        pages=pages,
        tags=[t for (t,) in tags],
        can_edit=may(current_user, EDIT_ITEMS, project),
        methods=METHODS,
        severities=SEVERITIES,
        statuses=STATUS_FILTERS,
    )


@bp.route("/projects/<slug>/user-research/new", methods=["GET", "POST"])
def create(slug: str):
    project = project_or_404(slug, EDIT_ITEMS)
    edition = active_edition()
    form = FindingForm(edition=edition)
    form.owner.choices = choices(owner_choices(project))
    if request.method == "GET":
        # Started from a play page: the play or item it came from is already checked.
        form.items.data = [i for i in request.args.getlist("item") if i in edition.items]
        form.plays.data = [p for p in request.args.getlist("play", type=int) if edition.play(p)]
    if form.validate_on_submit():
        user = current_user._get_current_object()
        with db.atomic():
            finding = changes.create(
                project, form.values(), user, privacy_checked=bool(form.privacy_flags)
            )
        notices.assigned(
            finding.owner_key,
            user,
            project=project,
            title=finding.title,
            due=finding.due_date,
            endpoint="research.detail",
            slug=slug,
            finding_id=finding.id,
        )
        flash(f"Finding “{finding.title}” recorded.", "success")
        return redirect(url_for("research.detail", slug=slug, finding_id=finding.id))
    return _form_page(project, form, None, [])


@bp.route("/projects/<slug>/user-research/<int:finding_id>")
def detail(slug: str, finding_id: int):
    project = project_or_404(slug)
    finding = changes.load(project, finding_id)
    if finding is None:
        abort(404)
    people = {
        u.id: u.name
        for u in User.select(User.id, User.name).where(
            User.id.in_(
                [
                    finding.created_by_id,
                    finding.updated_by_id,
                    finding.privacy_checked_by_id,
                    finding.owner_id,
                ]
            )
        )
    }
    events = (
        AuditEvent.select(AuditEvent, User)
        .join(User, JOIN.LEFT_OUTER, on=AuditEvent.user == User.id)
        .where(
            (AuditEvent.project == project)
            & (AuditEvent.object_type == "Finding")
            & (AuditEvent.object_id == str(finding.id))
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    edition = active_edition()
    return render_template(
        "research/detail.html",
        project=project,
        finding=finding,
        evidence=_evidence(finding, edition),
        people=people | outside_names([finding.outside_owner_id]),
        events=describe(events),
        can_edit=may(current_user, EDIT_ITEMS, project),
    )


def _evidence(finding: Finding, edition) -> list[tuple]:
    """(play number, play, [(item id, item)]) for each linked play, items under their play."""
    items = edition.items
    return [
        (
            number,
            edition.play(number),
            [
                (i, items.get(i))
                for i in finding.items
                if (parsed := parse_id(i)) and parsed.play == number
            ],
        )
        for number in finding.plays
    ]


@bp.route("/projects/<slug>/user-research/<int:finding_id>/edit", methods=["GET", "POST"])
def edit(slug: str, finding_id: int):
    project = project_or_404(slug, EDIT_ITEMS)
    finding = changes.load(project, finding_id)
    if finding is None:
        abort(404)
    edition = active_edition()
    if request.method == "GET":
        form = FindingForm(data=_form_data(finding), edition=edition)
        form.start_from(finding.version, changes.values_of(finding))
    else:
        form = FindingForm(edition=edition)
    form.owner.choices = choices(owner_choices(project))
    conflicts = []
    if form.validate_on_submit():
        try:
            outcome = changes.edit(
                project,
                finding_id,
                form.values(),
                version=form.version.data,
                original=form.original.data,
                user=current_user._get_current_object(),
                privacy_checked=bool(form.privacy_flags),
            )
        except Gone:
            abort(404)  # deleted while the person was editing
        if outcome.status != CONFLICTS:
            saved = outcome.rows[0] if outcome.rows else finding
            if saved.owner_key != finding.owner_key:
                notices.assigned(
                    saved.owner_key,
                    current_user._get_current_object(),
                    project=project,
                    title=saved.title,
                    due=saved.due_date,
                    endpoint="research.detail",
                    slug=slug,
                    finding_id=finding_id,
                )
            flash("Finding saved." if outcome.saved else "Nothing changed.", "success")
            return redirect(url_for("research.detail", slug=slug, finding_id=finding_id))
        form.restart(outcome)
        # Plays are drawn as checkboxes, not from choices; the conflict table names them.
        form.plays.choices = choices((p.number, f"Play {p.number}") for p in edition.plays)
        conflicts = conflict_rows(form, outcome)
    return _form_page(project, form, finding, conflicts)


def _form_data(finding: Finding) -> dict:
    return changes.values_of(finding) | {"tags": ", ".join(finding.tags)}


def _form_page(project, form: FindingForm, finding: Finding | None, conflicts: list):
    return render_template(
        "research/form.html",
        project=project,
        form=form,
        finding=finding,
        conflicts=conflicts,
        edition=form.edition,
        chosen_items=set(form.items.data or []),
        chosen_plays=set(form.plays.data or []),
    ), 409 if conflicts else 200


@bp.route("/projects/<slug>/user-research/export.csv")
def export(slug: str):
    project = project_or_404(slug)
    findings = Finding.select().where(Finding.project == project)
    rows = export_rows(
        attach_links(list(findings.order_by(Finding.research_date.desc(), Finding.id.desc())))
    )
    return csv_response(COLUMNS, rows, f"{project.slug}-user-research.csv")
