"""The one permission policy: who may do what, as named actions. Views ask `project_or_404`
(project pages) or `@requires` (everything else); templates ask `may(action, project)`. No
other module compares roles.

A person's powers on a project come from two things: their role across the installation
(admin, project lead, contracting officer, leadership) and how they stand on that project
(its lead, an owner, editor or viewer, or not on it). RULES says, for each action and each
role, which standings allow it. The rules, in words:

- Admins may do everything, everywhere. Leadership reads every project and the portfolio and
  freezes report snapshots; they change a project only as its lead or a member, like anyone.
- On a project, viewers read; editors also edit checklist items, key questions and research
  findings; owners and the project's lead also manage the project (facts, members, archive).
- Contract language is a contracting officer's job: a contracting officer who leads the
  project, owns it or edits it changes its contract packages. A contracting officer who is
  only a viewer reads them, and so does any editor or owner who is not a contracting officer.
- Project leads and admins start projects; contracting officers and admins write agency
  clauses; only admins manage users and editions.
- Assessors read every project, review evidence and run service assessments (so do admins).
  A project's owner can give a member the reviewer right: that member reviews evidence on
  that project too. Nobody reviews an item they marked done themselves
  (`playbook.readiness.may_review`). On an assessment, its panel drafts notes and its lead
  assessor (or an admin) records ratings and the outcome (`may_on_assessment`).

A project someone may not see is a 404 (its existence is never revealed); a project they may
see but not change in that way is a 403.
"""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort
from flask_login import current_user
from peewee import JOIN

from projects.auth.models import ROLES, User
from projects.projects.models import PROJECT_ROLES, Membership, Project

# Actions on one project.
VIEW = "view"
EDIT_ITEMS = "edit_items"
MANAGE_PROJECT = "manage_project"
EDIT_CONTRACTS = "edit_contracts"
FREEZE_REPORTS = "freeze_reports"  # also global: the portfolio snapshot
REVIEW_EVIDENCE = "review_evidence"
RUN_ASSESSMENTS = "run_assessments"
# Actions that concern no one project.
CREATE_PROJECT = "create_project"
EDIT_AGENCY_CLAUSES = "edit_agency_clauses"
SEE_EVERYTHING = "see_everything"
ADMINISTER = "administer"

ACTIONS = {  # in the order the README lists them, with what they cover
    VIEW: "See a project, its plays, research, contract packages, reports and history",
    EDIT_ITEMS: "Edit checklist items, key questions and research findings",
    MANAGE_PROJECT: "Manage a project: its facts, members and archiving",
    EDIT_CONTRACTS: "Edit a project's contract packages and export revisions",
    FREEZE_REPORTS: "Freeze report snapshots (project and portfolio)",
    REVIEW_EVIDENCE: "Review the evidence of done checklist items",
    RUN_ASSESSMENTS: "Open service assessments and sit on their panels",
    CREATE_PROJECT: "Start a project",
    EDIT_AGENCY_CLAUSES: "Write agency clauses",
    SEE_EVERYTHING: "See every project, the whole portfolio and portfolio snapshots",
    ADMINISTER: "Manage users and playbook editions",
}
GLOBAL_ACTIONS = {CREATE_PROJECT, EDIT_AGENCY_CLAUSES, SEE_EVERYTHING, ADMINISTER}

# How a person stands on a project.
LEAD = "lead"  # the project's lead, named on the project
STANDINGS = (LEAD, *PROJECT_ROLES)  # lead, owner, editor, viewer
ANY = frozenset({"*"})  # on every project, on it or not; for a global action: yes
NO: frozenset[str] = frozenset()
MEMBERS = frozenset(STANDINGS)
WRITERS = frozenset({LEAD, "owner", "editor"})
OWNERS = frozenset({LEAD, "owner"})
# Not a standing but a right an owner gives a member (Membership.reviewer), on top of it.
REVIEWER = "reviewer"
REVIEWERS = frozenset({REVIEWER})

# The policy: action -> for each role (in COLUMNS order), the standings on a project that
# allow it.
COLUMNS = ("admin", "lead", "contracting", "leadership", "assessor")
RULES: dict[str, tuple[frozenset[str], ...]] = {
    #                     admin  lead       contracting  leadership  assessor
    VIEW:                (ANY,  MEMBERS,   MEMBERS,     ANY,        ANY),
    EDIT_ITEMS:          (ANY,  WRITERS,   WRITERS,     WRITERS,    WRITERS),
    MANAGE_PROJECT:      (ANY,  OWNERS,    OWNERS,      OWNERS,     OWNERS),
    EDIT_CONTRACTS:      (ANY,  NO,        WRITERS,     NO,         NO),
    FREEZE_REPORTS:      (ANY,  NO,        NO,          ANY,        NO),
    REVIEW_EVIDENCE:     (ANY,  REVIEWERS, REVIEWERS,   REVIEWERS,  ANY),
    RUN_ASSESSMENTS:     (ANY,  NO,        NO,          NO,         ANY),
    CREATE_PROJECT:      (ANY,  ANY,       NO,          NO,         NO),
    EDIT_AGENCY_CLAUSES: (ANY,  NO,        ANY,         NO,         NO),
    SEE_EVERYTHING:      (ANY,  NO,        NO,          ANY,        ANY),
    ADMINISTER:          (ANY,  NO,        NO,          NO,         NO),
}  # fmt: skip


def _grants(action: str, role: str) -> frozenset[str]:
    return RULES[action][COLUMNS.index(role)] if role in COLUMNS else NO


def allowed(role: str, standing: str | None, action: str, reviewer: bool = False) -> bool:
    """The table itself: may someone of `role`, standing so on a project (None: not on it, or
    no project), with the reviewer right there or not, do `action`? Pure, so the README table
    and the tests read the same rules."""
    grants = _grants(action, role)
    if grants is ANY or (standing is not None and standing in grants):
        return True
    return reviewer and standing is not None and REVIEWER in grants


def standing(user: User, project: Project) -> str | None:
    """How `user` stands on `project`: lead, owner, editor, viewer or None."""
    if project.lead_id == user.id:
        return LEAD
    known = getattr(project, "standing_of", None)
    if known is not None and known[0] == user.id:  # looked up with the project
        return known[1]
    return (
        Membership.select(Membership.role)
        .where((Membership.project == project.id) & (Membership.user == user.id))
        .scalar()
    )


def may(user: User, action: str, project: Project | None = None) -> bool:
    """May `user` do `action` on `project`, or (project None) regardless of project?"""
    if action not in RULES:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False):
        return False
    if project is None:
        return allowed(user.role, None, action)
    where = standing(user, project)
    if allowed(user.role, where, action):
        return True
    return REVIEWER in _grants(action, user.role) and allowed(
        user.role, where, action, reviewer=is_reviewer(user, project)
    )


def is_reviewer(user: User, project: Project) -> bool:
    """Has `user` the reviewer right on `project` (given by an owner to a member)?"""
    known = getattr(project, "reviewer_of", None)
    if known is not None and known[0] == user.id:  # looked up with the project
        return known[1]
    return (
        Membership.select()
        .where(
            (Membership.project == project.id)
            & (Membership.user == user.id)
            & (Membership.reviewer == True)  # noqa: E712
        )
        .exists()
    )


def may_on_assessment(user: User, assessment, what: str) -> bool:
    """On one assessment: "notes" (draft panel notes: its panel members) or "decide" (record
    ratings, the outcome and actions: its lead assessor, or an admin). Both need the right to
    run assessments on the project; nothing changes once the assessment is completed."""
    if assessment.completed or not may(user, RUN_ASSESSMENTS, assessment.project):
        return False
    if allowed(user.role, None, ADMINISTER):
        return True
    if what == "decide":
        return assessment.lead_assessor_id == user.id
    return user.id in assessment.panel_ids


def project_or_404(slug: str, action: str = VIEW) -> Project:
    """The project the signed-in user asked for: 404 if they may not see it, 403 if they may
    see it but not do `action`. Another project's slug looks exactly like a missing one."""
    user = current_user._get_current_object()
    row = (
        Project.select(
            Project, Membership.role.alias("my_role"), Membership.reviewer.alias("my_reviewer")
        )
        .join(
            Membership,
            JOIN.LEFT_OUTER,
            on=(Membership.project == Project.id) & (Membership.user == user.id),
        )
        .where(Project.slug == slug)
        .objects()
        .get_or_none()
    )
    if row is None:
        abort(404)
    row.standing_of = (user.id, row.my_role)
    row.reviewer_of = (user.id, bool(row.my_reviewer))
    if not may(user, VIEW, row):
        abort(404)
    if not may(user, action, row):
        abort(403)
    return row


def requires(action: str):
    """Only people who may do the global `action` may use the view; others get 403. The action
    is kept on the view (`required_action`) so the route tests can read it."""
    if action not in GLOBAL_ACTIONS | {FREEZE_REPORTS}:
        raise ValueError(f"{action!r} is an action on a project: use project_or_404")

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not may(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_action = action
        return wrapped

    return decorate


def own_projects(user: User):
    """An unexecuted query of the projects this user leads or belongs to. (One list of ids, a
    union of two indexed lookups: `lead = me OR id IN (...)` made the database look at every
    project.)"""
    member = Membership.select(Membership.project).where(Membership.user == user)
    led = Project.select(Project.id).where(Project.lead == user)
    return Project.select().where(Project.id.in_(member | led))


def managed_projects(user: User):
    """An unexecuted query of the projects this user manages: leads or owns (OWNERS)."""
    owned = Membership.select(Membership.project).where(
        (Membership.user == user) & Membership.role.in_([s for s in OWNERS if s != LEAD])
    )
    return Project.select().where((Project.lead == user) | Project.id.in_(owned))


def reviewing_projects(user: User):
    """An unexecuted query of the ids of the projects where `user` may review evidence: every
    project for a role that reviews anywhere, else those where an owner gave them the right."""
    if allowed(user.role, None, REVIEW_EVIDENCE):
        return Project.select(Project.id)
    return Membership.select(Membership.project).where(
        (Membership.user == user) & (Membership.reviewer == True)  # noqa: E712
    )


def visible_projects(user: User):
    """An unexecuted query of the projects this user may see."""
    return Project.select() if may(user, SEE_EVERYTHING) else own_projects(user)


def with_standing(query, user: User):
    """The projects of `query`, each knowing how `user` stands on it, so asking `may` about
    each one in a list makes no further query."""
    rows = (
        query.select_extend(Membership.role.alias("my_role"))
        .join(
            Membership,
            JOIN.LEFT_OUTER,
            on=(Membership.project == Project.id) & (Membership.user == user.id),
        )
        .objects()
    )
    for row in rows:
        row.standing_of = (user.id, row.my_role)
    return list(rows)


def table_markdown() -> str:
    """The rules as the Markdown table the README shows: rows are actions, columns roles,
    cells the standings on a project that allow the action."""
    names = {LEAD: "lead", **{k: v.lower() for k, v in PROJECT_ROLES.items()}}
    roles = [r for r in ROLES if r in COLUMNS]

    def cell(action: str, role: str) -> str:
        grants = _grants(action, role)
        if grants is ANY:
            return "yes" if action in GLOBAL_ACTIONS else "every project"
        if not grants:
            return "no"
        if grants == REVIEWERS:
            return "as a member with the reviewer right"
        *first, last = [names[s] for s in STANDINGS if s in grants]
        return "as " + (f"{', '.join(first)} or {last}" if first else last)

    lines = [
        "| Action | " + " | ".join(ROLES[r] for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    lines += [
        f"| {label} | " + " | ".join(cell(action, r) for r in roles) + " |"
        for action, label in ACTIONS.items()
    ]
    return "\n".join(lines) + "\n"


def init_app(app: Flask) -> None:
    """Templates ask `may(action)` or `may(action, project)` of the signed-in user."""

    @app.template_global("may")
    def may_in_template(action: str, project: Project | None = None) -> bool:
        return may(current_user, action, project)
