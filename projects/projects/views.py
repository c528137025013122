"""Projects: the home page, creating, editing and archiving projects, members and history."""

from __future__ import annotations

import math
import re
import unicodedata

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from peewee import JOIN

from playbook.readiness import Attention, missing_for_next_phase, next_phase, project_readiness
from projects.access import (
    CREATE_PROJECT,
    MANAGE_PROJECT,
    own_projects,
    project_or_404,
    requires,
    visible_projects,
    with_standing,
)
from projects.assessments.queries import (
    actions_of,
    gate_assessment,
    last_assessments,
    phase_change_refused,
)
from projects.audit import AuditEvent
from projects.auth.models import User
from projects.checklists.queries import item_states
from projects.checklists.scores import stored_readiness
from projects.contracts.queries import packages_in, packages_of
from projects.db import utcnow
from projects.editions import active_edition
from projects.fields import ConfirmForm, conflict_rows
from projects.history import describe
from projects.invitations import changes as invitations
from projects.measures.queries import shown_measures
from projects.projects import bp, changes
from projects.projects.changes import FACTS
from projects.projects.forms import MemberForm, ProjectForm
from projects.projects.models import PROJECT_ROLES, Membership, Project
from projects.projects.queries import attention_of
from projects.research.queries import open_by_severity
from projects.saves import CONFLICTS
from projects.trends import queries as trends

# Pages at /projects/<word> that a project with that slug would hide.
RESERVED_SLUGS = {"new", "archived"}


# Where each role's work is: leadership, admins and assessors see every project from the
# portfolio; project leads and contracting officers work in the projects they belong to.
LANDING = {
    "leadership": "portfolio.dashboard",
    "admin": "portfolio.dashboard",
    "assessor": "portfolio.dashboard",  # assessors review any project
}


@bp.route("/")
def home():
    """Where a person lands after signing in: the page of their role's work."""
    return redirect(url_for(LANDING.get(current_user.role, "projects.index")))


@bp.route("/projects")
def index():
    """A person's projects: those they lead or belong to, a page at a time, and the contract
    packages of the projects shown."""
    query = own_projects(current_user).where(Project.archived == False)  # noqa: E712
    total = query.count()
    per_page = current_app.config["PROJECTS_PER_PAGE"]
    pages = max(math.ceil(total / per_page), 1)
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    projects = list(query.order_by(Project.name, Project.id).paginate(page, per_page))
    ids = [p.id for p in projects]
    return render_template(
        "projects/index.html",
        projects=projects,
        total=total,
        page=page,
        pages=pages,
        readiness={pid: s.readiness for pid, s in stored_readiness(ids).items()},
        attention=attention_of(ids, utcnow().date()),
        packages=packages_in(ids),
    )


@bp.route("/projects/new", methods=["GET", "POST"])
@requires(CREATE_PROJECT)
def create():
    form = _project_form(Project(lead=current_user.id))
    if form.validate_on_submit():
        project = changes.create(
            {f: getattr(form, f).data for f in FACTS},
            slug=_unique_slug(form.name.data),
            user=current_user._get_current_object(),
            phase_gated=current_app.config["PHASE_CHANGE_REQUIRES_ASSESSMENT"],
        )
        flash(f"Project “{project.name}” created.", "success")
        return redirect(url_for("projects.detail", slug=project.slug))
    return render_template("projects/form.html", form=form, project=None, conflicts=[])


@bp.route("/projects/<slug>")
def detail(slug: str):
    project = project_or_404(slug)
    edition = active_edition()
    today = utcnow().date()
    items = item_states(project.id, today)
    statuses = items.statuses
    readiness = project_readiness(edition, statuses, project.phase, items.accepted)
    open_findings = open_by_severity(project)
    with_evidence = stored_readiness([project.id])[project.id].with_evidence
    members = list(project.memberships.select(Membership, User).join(User).order_by(User.name))
    for member in members:  # the lead is usually a member: no query of its own for the name
        if member.user.id == project.lead_id:
            project.lead = member.user
    return render_template(
        "projects/detail.html",
        project=project,
        edition=edition,
        readiness=readiness,
        attention=Attention(open_findings["critical"], items.overdue),
        evidence=(with_evidence, readiness.overall.done),
        missing=missing_for_next_phase(edition, statuses, project.phase),
        next_phase=next_phase(project.phase),
        statuses=statuses,
        open_findings=open_findings,
        contract_packages=packages_of(project),
        members=members,
        play_urls={
            play.number: url_for("checklists.play", slug=slug, number=play.number)
            for play in edition.plays
        },
        events=describe(_events(project).limit(10)),
        confirm=ConfirmForm(),
        trend_changes=trends.changes({project.id: readiness.overall.score}, today)[project.id],
        trend_line=trends.trend_line(trends.trend_points(project.id, today)),
        actions=actions_of(project),
        last_assessment=last_assessments([project.id])[project.id],
        phase_assessment=gate_assessment(project, project.phase),
        cx=shown_measures(project),
    )


@bp.route("/projects/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    project = project_or_404(slug, MANAGE_PROJECT)
    form = _project_form(project)
    conflicts = []
    valid = form.validate_on_submit()
    refused = valid and phase_change_refused(project, form.phase.data)
    if refused:
        form.phase.errors.append(refused)
    elif valid:
        outcome = changes.edit(
            project,
            {f: getattr(form, f).data for f in FACTS},
            version=form.version.data,
            original=form.original.data,
            user=current_user._get_current_object(),
        )
        if outcome.status != CONFLICTS:
            flash("Project details saved." if outcome.saved else "Nothing changed.", "success")
            return redirect(url_for("projects.detail", slug=slug))
        form.restart(outcome)
        conflicts = conflict_rows(form, outcome)
    return render_template(
        "projects/form.html", form=form, project=project, conflicts=conflicts
    ), 409 if conflicts else 200


@bp.route("/projects/<slug>/archive", methods=["GET", "POST"])
def archive(slug: str):
    """Archive a project, after a page that asks to confirm (no JavaScript needed)."""
    project = project_or_404(slug, MANAGE_PROJECT)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if changes.set_archived(project, True):
            flash("Project archived. It no longer shows on home pages or the portfolio.", "success")
        else:
            flash("This project was already archived: nothing changed.", "info")
        return redirect(url_for("projects.detail", slug=slug))
    return render_template("projects/archive.html", project=project, form=form)


@bp.route("/projects/<slug>/restore", methods=["POST"])
def restore(slug: str):
    project = project_or_404(slug, MANAGE_PROJECT)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if changes.set_archived(project, False):
        flash("Project restored. It shows on home pages and the portfolio again.", "success")
    else:
        flash("This project is not archived: nothing changed.", "info")
    return redirect(url_for("projects.detail", slug=slug))


@bp.route("/projects/archived")
def archived():
    """The archived projects a person may see; those they manage have a Restore button."""
    user = current_user._get_current_object()
    projects = with_standing(
        visible_projects(user).where(Project.archived).order_by(Project.name), user
    )
    return render_template("projects/archived.html", projects=projects, confirm=ConfirmForm())


@bp.route("/projects/<slug>/members", methods=["GET", "POST"])
def members(slug: str):
    project = project_or_404(slug, MANAGE_PROJECT)
    form = MemberForm()
    if form.validate_on_submit():
        user = User.get_or_none(User.email == form.email.data.strip().lower())
        if user is None:
            email = form.email.data.strip().lower()
            invitations.invite(
                email,
                by=current_user._get_current_object(),
                project=project,
                project_role=form.role.data,
            )
            flash(
                f"{email} has no account yet: we emailed them an invitation. They join the "
                "project when they choose their password.",
                "success",
            )
            return redirect(url_for("projects.members", slug=slug))
        elif not changes.add_member(project, user, form.role.data, form.reviewer.data):
            form.email.errors.append(f"{user.name} is already a member of this project")
        else:
            role = PROJECT_ROLES[form.role.data].lower()
            flash(f"{user.name} added as {'an' if role[0] in 'aeiou' else 'a'} {role}.", "success")
            return redirect(url_for("projects.members", slug=slug))
    rows = project.memberships.select(Membership, User).join(User).order_by(User.name)
    invited = invitations.pending_invitations().where(invitations.AccessLink.project == project)
    return render_template(
        "projects/members.html",
        project=project,
        form=form,
        members=rows,
        invited=list(invited.limit(100)),
        confirm=ConfirmForm(),
    )


@bp.route("/projects/<slug>/members/<int:user_id>/remove", methods=["POST"])
def remove_member(slug: str, user_id: int):
    project = project_or_404(slug, MANAGE_PROJECT)
    membership = Membership.get_or_none(project=project, user=user_id)
    if membership is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if changes.remove_member(project, user_id) is None:
        flash(f"{membership.user.name} was already removed from the project.", "info")
    else:
        flash(f"{membership.user.name} removed from the project.", "success")
    return redirect(url_for("projects.members", slug=slug))


@bp.route("/projects/<slug>/members/<int:user_id>/reviewer", methods=["POST"])
def reviewer_right(slug: str, user_id: int):
    """Give a member the reviewer right (`?give=1`) or take it away."""
    project = project_or_404(slug, MANAGE_PROJECT)
    membership = Membership.get_or_none(project=project, user=user_id)
    if membership is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    give = request.args.get("give") == "1"
    name = membership.user.name
    if changes.set_reviewer(project, user_id, give):
        flash(f"{name} {'may now review' if give else 'no longer reviews'} evidence.", "success")
    else:
        flash(
            f"Nothing changed: {name} {'already' if give else 'did not'} review evidence.", "info"
        )
    return redirect(url_for("projects.members", slug=slug))


@bp.route("/projects/<slug>/history")
def history(slug: str):
    project = project_or_404(slug)
    page = max(request.args.get("page", 1, type=int), 1)
    return render_template(
        "projects/history.html",
        project=project,
        events=describe(_events(project).paginate(page, 50)),
        page=page,
    )


def _events(project: Project):
    return (
        AuditEvent.select(AuditEvent, User)
        .join(User, on=AuditEvent.user == User.id, join_type=JOIN.LEFT_OUTER)
        .where(AuditEvent.project == project)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )


def _project_form(project: Project) -> ProjectForm:
    # From the facts, not obj=project: the lead field holds the lead's id, not a User.
    form = ProjectForm(data=changes.facts(project) if request.method == "GET" else None)
    if request.method == "GET" and project.id:
        form.start_from(project.version, changes.facts(project))
    form.lead.kept = project.lead_id  # the lead saved now stays valid, even without access
    return form


def _unique_slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "project"
    taken = set(Project.select(Project.slug).where(Project.slug.startswith(base)).tuples())
    taken = {row[0] for row in taken} | RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
