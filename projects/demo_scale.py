"""Generated projects for trying the app at scale (`flask seed-demo --projects N`): plausible
services across agencies, phases and states, written in bulk so 10,000 projects load in seconds.

Each run adds N more. Generated people share one password hash (the demo password), computed
once: hashing is slow on purpose, and it is the same password for everyone in the demo.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from peewee import fn

from playbook.edition import PHASES
from playbook.readiness import DONE, IN_PROGRESS, NOT_APPLICABLE, NOT_STARTED
from projects.audit import AuditEvent
from projects.auth.models import User
from projects.checklists.models import ItemResponse, ReadinessScore
from projects.checklists.scores import computed_rows, set_sort_keys
from projects.db import bulk_insert, db, utcnow
from projects.editions import active_edition
from projects.passwords import hash_password
from projects.projects.models import Membership, Project

SERVICES = [
    ("Apply for", "a fishing license"),
    ("Renew", "a professional license"),
    ("Report", "a pothole"),
    ("Request", "a copy of a birth certificate"),
    ("Apply for", "housing assistance"),
    ("Schedule", "a vaccination"),
    ("Register", "a new business"),
    ("Appeal", "a benefits decision"),
    ("Apply for", "a park event permit"),
    ("Update", "a mailing address"),
    ("Request", "public records"),
    ("Enroll in", "a job training program"),
    ("Book", "a road test"),
    ("File", "a noise complaint"),
    ("Apply for", "child care assistance"),
    ("Pay", "a water bill"),
]
AGENCIES = [
    ("Department of Health", "Vital Records"),
    ("Department of Transportation", "Street Services"),
    ("Department of Housing", "Rental Assistance"),
    ("Parks Department", "Permits"),
    ("Department of Labor", "Workforce Programs"),
    ("Department of Revenue", "Customer Service"),
    ("Environmental Protection Agency", "Water Quality"),
    ("Office of the Clerk", "Records"),
]
FIRST = ["Avery", "Blake", "Carmen", "Devon", "Elena", "Farah", "Gabe", "Hana", "Imani", "Jun"]
LAST = ["Nguyen", "Okafor", "Garcia", "Smith", "Kowalski", "Haddad", "Lee", "Martin", "Reyes"]
PROJECTS_PER_LEAD = 25
NOT_OURS = "Not part of this service."
# Chance an item expected by the project's phase is done / in progress (others rarely begun).
PROGRESS = {"discovery": (0.3, 0.3), "alpha": (0.5, 0.25), "beta": (0.7, 0.2), "live": (0.85, 0.1)}


def seed_projects(count: int, seed: int = 2026) -> int:
    """Add `count` generated projects with leads, members, item states and stored scores, in
    one transaction; returns how many were added."""
    rng = random.Random(seed + Project.select().count())  # noqa: S311 - demo data
    edition = active_edition()
    now = utcnow()
    with db.atomic():
        start = (Project.select(fn.MAX(Project.id)).scalar() or 0) + 1
        leads = _leads(max(count // PROJECTS_PER_LEAD, 1), start, now)
        demo_lead = User.get_or_none(User.email == "lead@example.gov")
        projects = []
        for n in range(count):
            verb, thing = rng.choice(SERVICES)
            agency, office = rng.choice(AGENCIES)
            phase = rng.choice(PHASES)
            projects.append(
                {
                    "slug": f"{verb} {thing} {start + n}".lower().replace(" ", "-"),
                    "name": f"{verb} {thing} ({agency.split()[-1]} {start + n})",
                    "agency": agency,
                    "office": office,
                    "phase": phase,
                    "summary": f"Residents {verb.lower()} {thing} online.",
                    "lead": leads[n % len(leads)],
                    "start_date": date(2026, 1, 5) - timedelta(days=rng.randint(0, 600)),
                    "target_date": date(2027, 1, 1) + timedelta(days=rng.randint(0, 400)),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        _insert(Project, projects)
        made = list(
            Project.select(Project.id, Project.slug, Project.phase, Project.lead)
            .where(Project.slug.in_([p["slug"] for p in projects]))
            .order_by(Project.id)
        )
        members = [{"project": p.id, "user": p.lead_id, "role": "owner"} for p in made]
        if demo_lead:  # the demo lead works on some, so their home page has many projects
            members += [
                {"project": p.id, "user": demo_lead.id, "role": "editor"}
                for p in made[::10]
                if p.lead_id != demo_lead.id
            ]
        _insert(Membership, members)
        responses, scores = [], []
        for project in made:
            statuses, backed = _states(project, edition, rng)
            responses += [
                {
                    "project": project.id,
                    "item_id": item_id,
                    "status": status,
                    "justification": NOT_OURS if status == NOT_APPLICABLE else "",
                    "evidence_url": f"https://example.gov/{project.slug}/{item_id}"
                    if item_id in backed
                    else "",
                    "owner": project.lead_id if status == IN_PROGRESS else None,
                    "due_date": now.date() + timedelta(days=rng.randint(-30, 120))
                    if status == IN_PROGRESS
                    else None,
                    "updated_by": project.lead_id,
                    "updated_at": now - timedelta(days=rng.randint(0, 150)),
                }
                for item_id, status in statuses.items()
            ]
            scores += computed_rows(project, edition, statuses, backed)
        _insert(ItemResponse, responses)
        _insert(ReadinessScore, scores)
        set_sort_keys([p.id for p in made])
        _insert(
            AuditEvent,
            [
                {"project": p.id, "at": now, "action": "created", "object_type": "Project"}
                | {"object_id": str(p.id), "before": None, "after": {"generated": True}}
                for p in made
            ],
        )
    return len(made)


def _leads(count: int, start: int, now) -> list[int]:
    password_hash = hash_password("demo-password-2026")
    rows = [
        {
            "email": f"lead{start + n}@example.gov",
            "name": f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {start + n}",
            "password_hash": password_hash,
            "role": "lead",
            "created_at": now,
        }
        for n in range(count)
    ]
    _insert(User, rows)
    emails = [r["email"] for r in rows]
    return [u for (u,) in User.select(User.id).where(User.email.in_(emails)).tuples()]


def _states(project: Project, edition, rng: random.Random) -> tuple[dict[str, str], set[str]]:
    """Item statuses like a real project in its phase, and the done items with evidence."""
    done_chance, progress_chance = PROGRESS[project.phase]
    statuses, backed = {}, set()
    for play in edition.plays:
        for item in play.checklist:
            expected = PHASES.index(item.phase) <= PHASES.index(project.phase)
            roll = rng.random()
            if roll < 0.03:
                status = NOT_APPLICABLE
            elif expected and roll < done_chance:
                status = DONE
            elif roll < (done_chance if expected else 0.05) + progress_chance:
                status = IN_PROGRESS
            else:
                status = NOT_STARTED
            statuses[item.id] = status
            if status == DONE and rng.random() < 0.7:
                backed.add(item.id)
    return statuses, backed


def _insert(model, rows: list[dict]) -> None:
    bulk_insert(model, rows)
