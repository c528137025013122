"""A year of public feedback for the demo's projects that are in beta or live: a few hundred
responses with comments in each project's own terms, in English and Spanish, rolled up into
their A-11 measures the way the form does (changes.seed_responses)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from playbook.measures import DRIVERS
from projects.db import utcnow
from projects.feedback.changes import new_key, seed_responses
from projects.feedback.models import FeedbackForm
from projects.feedback.queries import survey_in_use
from projects.projects.models import Project

# Per project: how many responses, how the scores lean (the chance of a 4 or 5, rising over
# the year as the team fixes things), and comments people might write about that service.
FEEDBACK = {
    "building-permits": (
        140,
        (0.55, 0.75),
        [
            "Uploading the plans worked first time, much easier than the counter.",
            "I could not tell which drawings the reviewer still needed.",
            "Booking the inspection online saved me a morning off work.",
            "The fee calculator gave a different total from the invoice.",
            "The status page said 'in review' for three weeks with no detail.",
            "Clear checklist of documents before starting. Thank you.",
            "As a contractor I apply for many permits; saving my license details would help.",
            "El formulario fue claro, pero no encontré cómo cambiar la fecha de inspección.",
            "The site timed out while I was uploading a large PDF.",
            "Staff at the help line explained the setback rules patiently.",
        ],
    ),
    "pay-parking-tickets": (
        180,
        (0.6, 0.8),
        [
            "Paid in two minutes on my phone. Great.",
            "I wanted to dispute the ticket but the photo of the sign would not load.",
            "The payment plan option was hard to find.",
            "Pude pagar mi multa en español sin llamar a nadie. Muy útil.",
            "The plate lookup did not find my ticket until I removed the spaces.",
            "I never got a decision on my dispute, only an automatic reply.",
            "Much better than mailing a check.",
            "The late fee was added even though I paid on the due date.",
            "Hearing by video was convenient and the officer was fair.",
            "No entendí por qué me cobraron un cargo adicional.",
        ],
    ),
    "property-tax-payments": (
        120,
        (0.5, 0.7),
        [
            "Could not see how my assessment was calculated.",
            "Autopay set up easily. I like the reminder before the due date.",
            "The page asked for my parcel number but did not say where to find it.",
            "Paying for my elderly mother's property was confusing: it only shows my own.",
            "Quick, and the receipt came right away.",
            "El recibo estaba solo en inglés.",
            "The exemption application needed documents I had already sent last year.",
            "Phone support was friendly but the wait was long.",
        ],
    ),
    "food-assistance-application": (
        160,
        (0.45, 0.7),
        [
            "I could save the application and come back after work. That helped a lot.",
            "The income questions were confusing when my hours change every week.",
            "Uploading pay stubs from my phone worked well.",
            "La solicitud en español fue fácil de seguir.",
            "I did not know what would happen next after I submitted.",
            "The interview time I was given did not work and I could not change it online.",
            "The caseworker I spoke with was kind and explained everything.",
            "It asked for the same information about my children twice.",
            "Faster than the paper form, for sure.",
        ],
    ),
}
COMMENT_SHARE = 0.4  # about two in five people write something
SPANISH_SHARE = 0.15


def _score(rng: random.Random, agree: float) -> int:
    if rng.random() < agree:
        return rng.choice((4, 4, 5))
    return rng.choice((1, 2, 2, 3, 3))


def demo_rows(slug: str, now: datetime, seed: int = 13) -> list[dict]:
    """The responses of one demo project over the year before `now`, the same every time."""
    count, (start, end), comments = FEEDBACK[slug]
    rng = random.Random(f"{slug}-{seed}")  # noqa: S311 (demo data, not security)
    survey = survey_in_use()
    rows = []
    for _ in range(count):
        age = rng.random()  # 0: today, 1: a year ago
        agree = end - (end - start) * age
        drivers = [d for d in DRIVERS if rng.random() < 0.85] or ["satisfaction"]
        comment = rng.choice(comments) if rng.random() < COMMENT_SHARE else ""
        spanish = any(w in comment for w in (" el ", "El ", "La ", " en ", "Pude", "No "))
        rows.append(
            {
                "created_at": now - timedelta(days=365 * age, minutes=rng.randrange(1440)),
                "answers": {d: _score(rng, agree) for d in drivers},
                "comment": comment,
                "language": "es" if spanish or rng.random() < SPANISH_SHARE else "en",
                "survey": survey.name,
            }
        )
    return sorted(rows, key=lambda r: r["created_at"])


def seed_feedback(project_ids: list[int]) -> None:
    """Turn the form on and store a year of responses for the new demo projects that have
    feedback; call in the seeding transaction."""
    now = utcnow()
    projects = Project.select().where(
        Project.id.in_(project_ids) & Project.slug.in_(list(FEEDBACK))
    )
    for project in projects:
        FeedbackForm.create(project=project, key=new_key(), enabled=True)
        seed_responses(project, demo_rows(project.slug, now))
