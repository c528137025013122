"""The demo portfolio: services residents use most, in different phases and states."""

from __future__ import annotations

import random
from datetime import date, timedelta

from playbook.edition import PHASES
from playbook.readiness import DONE, IN_PROGRESS, NOT_APPLICABLE, NOT_STARTED
from projects.auth.models import User
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.db import db, utcnow
from projects.editions import active_edition
from projects.passwords import hash_password
from projects.projects.models import Membership, Project
from projects.research.demo import seed_findings

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo; never for real use
CONTRACT_DEMO_SLUG = "vehicle-registration"  # the project with the demo contract package
USERS = [
    ("admin@example.gov", "Alex Admin", "admin"),
    ("lead@example.gov", "Lee Lead", "lead"),
    ("lead2@example.gov", "Priya Patel", "lead"),
    ("contracting@example.gov", "Casey Contracting", "contracting"),
    ("leadership@example.gov", "Jordan Leadership", "leadership"),
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
        "and track inspections instead of queueing at the permit counter.",
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
ANSWERS = [
    "Residents who need the service on a phone, often outside office hours.",
    "We ran **12 interviews** and 2 rounds of usability testing; notes are in the research folder.",
    "Weekly, with at least five participants each round.",
]


def seed() -> int:
    """Create what is missing; returns how many projects were created."""
    created = 0
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
            # The officer edits the project buying a contract (so may change its package) and
            # reads the others.
            officer_role = "editor" if slug == CONTRACT_DEMO_SLUG else "viewer"
            Membership.create(
                project=project, user=users["contracting@example.gov"], role=officer_role
            )
            _responses(project)
            created += 1
    from projects.contracts.demo import seed_contracts

    seed_contracts()  # after the projects' transaction: exporting renders outside it
    return created


def _user(email: str, name: str, role: str) -> User:
    user = User.get_or_none(User.email == email)
    if user is None:
        user = User.create(
            email=email, name=name, role=role, password_hash=hash_password(DEMO_PASSWORD)
        )
    return user


def _responses(project: Project) -> None:
    """Statuses that look like a real project in its phase, the same on every run."""
    rng = random.Random(project.slug)  # noqa: S311 - demo data, not security
    done_chance, progress_chance = PROGRESS[project.phase]
    now = utcnow()
    rows = []
    for play in active_edition().plays:
        for item in play.checklist:
            expected = PHASES.index(item.phase) <= PHASES.index(project.phase)
            roll = rng.random()
            if rng.random() < 0.04:
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
                    "justification": "The service takes no payments, so this does not apply."
                    if status == NOT_APPLICABLE
                    else "",
                    "evidence_url": f"https://example.gov/{project.slug}/evidence/{item.id}"
                    if status == DONE and rng.random() < 0.7
                    else "",
                    "owner": project.lead_id if status == IN_PROGRESS else None,
                    "due_date": date(2026, 11, 1) + timedelta(days=rng.randint(-60, 120))
                    if status == IN_PROGRESS
                    else None,
                    "updated_by": project.lead_id,
                    "updated_at": now - timedelta(days=rng.randint(0, 150)),
                }
            )
    ItemResponse.insert_many(rows).execute()
    questions = [q for play in active_edition().plays[:3] for q in play.key_questions]
    QuestionAnswer.insert_many(
        [
            {
                "project": project,
                "question_id": q.id,
                "answer": ANSWERS[i % len(ANSWERS)],
                "updated_by": project.lead_id,
            }
            for i, q in enumerate(questions)
            if rng.random() < 0.6
        ]
    ).execute()
