"""The demo's reviewed evidence and assessments: one completed assessment (parking tickets, beta
to live, met with conditions, with its frozen report and actions) and one open (building
permits, beta to live, the panel at work)."""

from __future__ import annotations

from datetime import timedelta

from playbook.assessment import MET, MET_WITH_CONDITIONS
from playbook.readiness import ACCEPTED, DONE, NEEDS_EVIDENCE
from projects.assessments import changes
from projects.assessments.models import Assessment
from projects.auth.models import User
from projects.checklists import scores
from projects.checklists.models import ItemResponse
from projects.db import db, utcnow
from projects.editions import active_edition
from projects.projects.models import Project

ASSESSOR = ("assessor@example.gov", "Avery Assessor", "assessor")
COMPLETED, OPEN = "pay-parking-tickets", "building-permits"
# Plays the completed assessment met with conditions, with what the team must improve.
CONDITIONS = {
    2: "Map the dispute journey end to end, including the letters people get by post.",
    7: "Name a product owner who can decide without waiting for the steering group.",
    10: "Run a load test at twice the peak seen in the last ticket amnesty.",
}
WENT_WELL = (
    "The team showed its work: items link to evidence the panel could open, and research "
    "findings back the claims."
)


def seed_assessments() -> None:
    """Add the demo's reviews and assessments once (nothing when any assessment exists)."""
    if Assessment.select().exists():
        return
    assessor = User.get_or_none(User.email == ASSESSOR[0])
    admin = User.get_or_none(User.email == "admin@example.gov")
    done = Project.get_or_none(Project.slug == COMPLETED)
    ongoing = Project.get_or_none(Project.slug == OPEN)
    if None in (assessor, admin, done, ongoing):
        return
    today = utcnow().date()
    with db.atomic():
        _review_evidence(done, assessor, every=1)
        _review_evidence(ongoing, assessor, every=3)
        completed = changes.open_assessment(
            done,
            to_phase="live",
            held_on=today - timedelta(days=40),
            lead=assessor,
            panel=[admin],
            user=admin,
        )
        for play in active_edition().plays:
            rating = MET_WITH_CONDITIONS if play.number in CONDITIONS else MET
            changes.rate_play(
                completed,
                play.number,
                {
                    "rating": rating,
                    "went_well": WENT_WELL,
                    "to_improve": CONDITIONS.get(play.number, ""),
                },
                version=None,
                original=None,
                user=assessor,
            )
        underway = changes.open_assessment(
            ongoing,
            to_phase="live",
            held_on=today + timedelta(days=14),
            lead=assessor,
            panel=[admin],
            user=admin,
        )
        changes.rate_play(
            underway,
            1,
            {"rating": MET, "went_well": WENT_WELL, "to_improve": ""},
            version=None,
            original=None,
            user=assessor,
        )
        changes.save_notes(
            underway,
            admin,
            "Ask about the inspection booking drop-off the research found in March.",
        )
    # Rendering the frozen PDF takes seconds: after the transaction above, like the contracts.
    completed = Assessment.get_by_id(completed.id)
    changes.complete(
        completed,
        outcome=MET_WITH_CONDITIONS,
        summary="Ready to go live once the three conditions below are met.",
        version=completed.version,
        user=assessor,
    )


def _review_evidence(project: Project, reviewer: User, every: int) -> None:
    """The lead marked the done items; the assessor accepted every `every`-th one with a link
    and asked for more evidence on the first without one."""
    rows = list(
        ItemResponse.select()
        .where((ItemResponse.project == project.id) & (ItemResponse.status == DONE))
        .order_by(ItemResponse.item_id)
    )
    asked = False
    now = utcnow()
    for index, row in enumerate(rows):
        verdict = ""
        if row.evidence_url and index % every == 0:
            verdict = ACCEPTED
        elif not row.evidence_url and not asked:
            verdict, asked = NEEDS_EVIDENCE, True
        ItemResponse.update(
            done_by=project.lead_id,
            review=verdict,
            review_comment="Link the notes from the session." if verdict == NEEDS_EVIDENCE else "",
            reviewed_by=reviewer if verdict else None,
            reviewed_at=now if verdict else None,
        ).where(ItemResponse.id == row.id).execute()
    scores.refresh(project)
