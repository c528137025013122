"""The demo portfolio: services residents use most, in different phases and states, each with
what its own team would have written (answers in projects/demo_answers.py, research findings in
projects/research/demo.py)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from peewee import fn

from playbook.edition import PHASES
from playbook.readiness import DONE, IN_PROGRESS, NOT_APPLICABLE, NOT_STARTED
from projects.audit import AuditEvent
from projects.auth.models import User
from projects.checklists import scores
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.db import db, utcnow
from projects.demo_answers import ANSWERS
from projects.editions import active_edition
from projects.measures.demo import seed_measures
from projects.measures.models import Measure
from projects.owners.changes import Named, resolve
from projects.owners.models import owner_columns
from projects.passwords import hash_password
from projects.projects.models import Membership, Project
from projects.research.demo import seed_findings
from projects.research.models import Finding

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo; never for real use
CONTRACT_DEMO_SLUG = "vehicle-registration"  # the project with the demo contract package
# Someone without an account who owns work on the first project (projects.owners).
OUTSIDE_OWNER_DEMO_SLUG = "building-permits"
OUTSIDE_OWNER = ("Morgan Reyes", "privacy.officer@example.gov")
USERS = [
    ("admin@example.gov", "Alex Admin", "admin"),
    ("lead@example.gov", "Lee Lead", "lead"),
    ("lead2@example.gov", "Priya Patel", "lead"),
    ("contracting@example.gov", "Casey Contracting", "contracting"),
    ("leadership@example.gov", "Jordan Leadership", "leadership"),
    ("assessor@example.gov", "Avery Assessor", "assessor"),
]
PROJECTS = [
    # slug, name, agency, office, phase, lead email, summary
    (
        "building-permits",
        "Apply for a building permit",
        "Department of Buildings",
        "Permits Office",
        "beta",
        "lead@example.gov",
        "Homeowners and contractors apply for residential building permits online, upload plans "
        "and book inspections instead of waiting in line at the permit counter.",
    ),
    (
        "business-license-renewal",
        "Renew a business license",
        "Department of Consumer Affairs",
        "Licensing Division",
        "alpha",
        "lead@example.gov",
        "Small businesses renew their general business license in one sitting, with the fee and "
        "the documents they need known before they start.",
    ),
    (
        "pay-parking-tickets",
        "Pay or dispute a parking ticket",
        "Department of Finance",
        "Parking Violations Bureau",
        "live",
        "lead2@example.gov",
        "Drivers pay a ticket or dispute it with photos, and see the hearing outcome online.",
    ),
    (
        "property-tax-payments",
        "Pay property tax",
        "Department of Finance",
        "Treasury",
        "live",
        "lead2@example.gov",
        "Owners see what they owe, set up installments and get receipts for their mortgage lender.",
    ),
    (
        "food-assistance-application",
        "Apply for food assistance",
        "Human Services Agency",
        "Benefits Access",
        "beta",
        "lead@example.gov",
        "Residents apply for SNAP food benefits on a phone in under 20 minutes and upload proofs "
        "with the camera.",
    ),
    (
        "unemployment-claims",
        "File an unemployment claim",
        "Department of Labor",
        "Unemployment Insurance",
        "alpha",
        "lead2@example.gov",
        "Workers who lost their job file a first claim and weekly certifications without calling.",
    ),
    (
        "vehicle-registration",
        "Renew a vehicle registration",
        "Department of Motor Vehicles",
        "Registration Services",
        "discovery",
        "lead@example.gov",
        "Drivers renew a registration and get proof at once, with emissions checks looked up "
        "automatically.",
    ),
    (
        "small-business-grants",
        "Apply for a small business grant",
        "Economic Development Office",
        "",
        "discovery",
        "lead2@example.gov",
        "Owners check eligibility for recovery grants and apply with documents they already have.",
    ),
]
# How far each phase tends to be: chance an item expected by now is done / in progress.
PROGRESS = {
    "discovery": (0.35, 0.3),
    "alpha": (0.55, 0.25),
    "beta": (0.7, 0.2),
    "live": (0.85, 0.1),
}
# Items each team marked not applicable, with the reason it gave.
NOT_APPLICABLE_ITEMS = {
    "building-permits": {
        "p09.c4": "The permit office keeps a paper process for outages, and the city's cloud "
        "account has one region; backups are copied to a second one nightly.",
    },
    "business-license-renewal": {
        "p12.c8": "Renewals follow the ordinance word for word; we test wording changes in "
        "research sessions rather than live experiments.",
    },
    "pay-parking-tickets": {
        "p13.c3": "Ticket records hold license plates and names; the bureau publishes counts "
        "by street in the open data portal instead.",
    },
    "property-tax-payments": {
        "p12.c8": "Tax bills must be the same for everyone; we do not experiment on the "
        "payment pages.",
        "p13.c7": "The Assessor's API already publishes parcels and bills; this service only "
        "takes payments.",
    },
    "food-assistance-application": {
        "p13.c2": "Applications hold personal data about households; the state publishes "
        "monthly caseload counts through its open data team.",
        "p13.c3": "No public dataset comes out of this service (see p13.c2).",
    },
    "unemployment-claims": {
        "p12.c8": "Benefit rules must treat every claimant the same; changes are tested in "
        "research sessions, not live.",
    },
    "vehicle-registration": {
        "p05.c7": "Hosting is bought through the state's existing cloud contract, not this one.",
    },
    "small-business-grants": {
        "p10.c5": "The grant round opens once for 6 weeks; we will load-test the form once "
        "before it opens, not on a schedule.",
    },
}


def seed() -> int:
    """Create what is missing; returns how many projects were created."""
    created = []
    with db.atomic():
        users = {email: _user(email, name, role) for email, name, role in USERS}
        for slug, name, agency, office, phase, lead_email, summary in PROJECTS:
            if Project.get_or_none(Project.slug == slug):
                continue
            lead = users[lead_email]
            project = Project.create(
                slug=slug,
                name=name,
                agency=agency,
                office=office,
                phase=phase,
                summary=summary,
                lead=lead,
                start_date=date(2026, 1, 5) - timedelta(days=60 * PHASES.index(phase)),
                target_date=date(2026, 12, 15) + timedelta(days=30 * len(slug) % 90),
            )
            Membership.create(project=project, user=lead, role="owner")
            seed_findings(project)
            seed_measures(project)
            # The officer edits the project buying a contract (so may change its package) and
            # reads the others.
            officer_role = "editor" if slug == CONTRACT_DEMO_SLUG else "viewer"
            Membership.create(
                project=project, user=users["contracting@example.gov"], role=officer_role
            )
            _responses(project)
            if slug == OUTSIDE_OWNER_DEMO_SLUG:
                _outside_owner(project)
            _measure_evidence(project)
            created.append(project.id)
        scores.store_all(only=created)
        from projects.trends.demo import seed_history

        seed_history(created)  # so the demo's trends show at once
        from projects.feedback.demo import seed_feedback

        seed_feedback(created)  # a year of public feedback, rolled up into the A-11 measures
    from projects.contracts.demo import seed_contracts

    seed_contracts()  # after the projects' transaction: exporting renders outside it
    from projects.assessments.demo import seed_assessments

    seed_assessments()  # the same: freezing an assessment renders its PDF
    return len(created)


def _outside_owner(project: Project) -> None:
    """The agency's privacy officer, who has no account, owns an open item of play 1 (late)
    and the project's first finding, so the demo shows owners without accounts."""
    key = resolve(project, Named(*OUTSIDE_OWNER), project.lead)
    open_items = (
        ItemResponse.select()
        .where(
            (ItemResponse.project == project) & ItemResponse.status.in_((NOT_STARTED, IN_PROGRESS))
        )
        .order_by(ItemResponse.id)
    )
    first_play = [r for r in open_items if r.item_id.startswith("p01.")]
    item = (first_play or list(open_items))[0]
    ItemResponse.update(**owner_columns(key), due_date=utcnow().date() - timedelta(days=3)).where(
        ItemResponse.id == item.id
    ).execute()
    Finding.update(**owner_columns(key), due_date=utcnow().date() + timedelta(days=10)).where(
        Finding.id == Finding.select(fn.MIN(Finding.id)).where(Finding.project == project)
    ).execute()


def _user(email: str, name: str, role: str) -> User:
    user = User.get_or_none(User.email == email)
    if user is None:
        user = User.create(
            email=email, name=name, role=role, password_hash=hash_password(DEMO_PASSWORD)
        )
    return user


def _responses(project: Project) -> None:
    """Statuses that look like a real project in its phase, the same on every run; due dates
    and updates around the day the demo is loaded, so only some work is late or stale."""
    rng = random.Random(project.slug)  # noqa: S311 - demo data, not security
    done_chance, progress_chance = PROGRESS[project.phase]
    excluded = NOT_APPLICABLE_ITEMS.get(project.slug, {})
    now = utcnow()
    rows = []
    for play in active_edition().plays:
        for item in play.checklist:
            expected = PHASES.index(item.phase) <= PHASES.index(project.phase)
            roll = rng.random()
            if item.id in excluded:
                status = NOT_APPLICABLE
            elif expected and roll < done_chance:
                status = DONE
            elif roll < done_chance + progress_chance:
                status = IN_PROGRESS
            else:
                status = NOT_STARTED
            rows.append(
                {
                    "project": project,
                    "item_id": item.id,
                    "status": status,
                    "justification": excluded.get(item.id, ""),
                    "evidence_url": f"https://example.gov/{project.slug}/evidence/{item.id}"
                    if status == DONE and rng.random() < 0.7
                    else "",
                    "owner": project.lead_id if status == IN_PROGRESS else None,
                    "due_date": now.date() + timedelta(days=rng.randint(-15, 100))
                    if status == IN_PROGRESS
                    else None,
                    "updated_by": project.lead_id,
                    "updated_at": now
                    - timedelta(days=rng.choice((2, 5, 9, 12, 20, 35, 60, 100)))
                    - timedelta(minutes=rng.randint(0, 540)),
                }
            )
    ItemResponse.insert_many(rows).execute()
    _recent_history(project, rows, now)
    answers = ANSWERS.get(project.slug, {})
    if answers:
        QuestionAnswer.insert_many(
            [
                {
                    "project": project,
                    "question_id": question_id,
                    "answer": answer,
                    "updated_by": project.lead_id,
                }
                for question_id, answer in answers.items()
            ]
        ).execute()


# Play 12 items that take one of the project's measures as evidence: item -> measure key.
MEASURE_EVIDENCE = {"p12.c5": "completion_rate", "p12.c6": "satisfaction"}


def _measure_evidence(project: Project) -> None:
    """Link play 12 items to the measures that show them (after seed_measures)."""
    measures = dict(
        Measure.select(Measure.key, Measure.id)
        .where((Measure.project == project) & Measure.key.in_(list(MEASURE_EVIDENCE.values())))
        .tuples()
    )
    for item_id, key in MEASURE_EVIDENCE.items():
        if key in measures:
            ItemResponse.update(evidence_measure=measures[key]).where(
                (ItemResponse.project == project) & (ItemResponse.item_id == item_id)
            ).execute()


def _recent_history(project: Project, rows: list[dict], now) -> None:
    """The history of the items changed in the last three weeks, as the play form would have
    recorded it: started (status, owner, due date) or finished (status, evidence)."""
    events = []
    for row in rows:
        if now - row["updated_at"] > timedelta(days=21) or row["status"] not in (DONE, IN_PROGRESS):
            continue
        if row["status"] == DONE:
            before = {"status": IN_PROGRESS}
            after = {"status": DONE, "evidence_url": row["evidence_url"]}
        else:
            before = {"status": NOT_STARTED, "owner": 0, "due_date": None}
            after = {
                "status": IN_PROGRESS,
                "owner": row["owner"],
                "due_date": row["due_date"].isoformat(),
            }
        events.append(
            {
                "project": project,
                "user": project.lead_id,
                "at": row["updated_at"],
                "action": "updated",
                "object_type": "ItemResponse",
                "object_id": row["item_id"],
                "before": before,
                "after": {k: v for k, v in after.items() if v not in ("", None)},
            }
        )
    if events:
        AuditEvent.insert_many(events).execute()
