"""Demo findings: a few believable research results per demo project, the same on every run."""

from __future__ import annotations

import random
from datetime import date, timedelta

from projects.editions import active_edition
from projects.projects.models import Project
from projects.research import changes
from projects.research.models import METHODS, OPEN, WONT_ADDRESS, Finding

# title, insight, severity, recommendation, tags, plays the finding is most likely evidence for
TEMPLATES = [
    (
        "People cannot tell what documents they need before they start",
        "Most participants gave up at the upload step and went looking for papers. Several said "
        "they would have **gathered everything first** if the start page had told them.",
        "critical",
        "List every document on the start page, with what counts as proof for each.",
        ["documents", "start page"],
        (1, 3),
    ),
    (
        "The fee is a surprise at the end",
        "Participants expected to see the cost early. Seeing it only at payment made some doubt "
        "the service was official.",
        "high",
        "Show the fee and how to pay it before the first question.",
        ["fees", "trust"],
        (1, 2),
    ),
    (
        "Phone users struggle with the date fields",
        "On small screens the date picker hid the *Continue* button; people typed dates in "
        "several formats and got errors they did not understand.",
        "high",
        "Use three separate inputs for day, month and year, with an example.",
        ["mobile", "forms"],
        (3, 2),
    ),
    (
        "Staff re-key the same answers into the case system",
        "Caseworkers copy each application by hand into the old system, which adds days and "
        "introduces typing mistakes.",
        "medium",
        "Send submitted applications to the case system automatically.",
        ["staff", "back office"],
        (2, 1),
    ),
    (
        "Status messages do not say what happens next",
        "After submitting, people called the helpline to ask whether their application had "
        "arrived and how long it would take.",
        "medium",
        "Send a confirmation with a reference number and the expected decision date.",
        ["notifications", "contact center"],
        (2, 3),
    ),
    (
        "Screen reader users miss error messages",
        "Two participants using screen readers did not hear why the form would not submit, "
        "because errors were only shown in red at the field.",
        "critical",
        "Add an error summary at the top that takes focus and links to each field.",
        ["accessibility", "forms"],
        (3, 1),
    ),
    (
        "Plain words beat the legal terms",
        "Participants understood questions written in everyday words much faster than the "
        "regulation's wording, and made fewer mistakes.",
        "low",
        "Keep the plain-language question text and link to the rule for those who want it.",
        ["content"],
        (3,),
    ),
    (
        "Many people start on a phone and finish on a computer",
        "Analytics show a large share of sessions begin on a phone and resume later on a "
        "desktop, often losing what was entered.",
        "medium",
        "Let people save and come back, on any device.",
        ["mobile", "analytics"],
        (1, 2),
    ),
]
DEMO_METHODS = [m for m in METHODS if m != "other"]
STATUS_CHOICES = [OPEN, OPEN, OPEN, "planned", "addressed", WONT_ADDRESS]


def seed_findings(project: Project) -> int:
    """Give a demo project several findings linked to plays and items; adds nothing to a
    project that already has findings. Returns how many were created."""
    if Finding.select().where(Finding.project == project).exists():
        return 0
    rng = random.Random(f"findings:{project.slug}")  # noqa: S311 - demo data, not security
    how_many = rng.choice([0, 3, 4, 5, 6])
    if how_many == 0:
        return 0
    edition = active_edition()
    started = project.start_date or date(2026, 1, 5)
    rows = []
    for title, insight, severity, recommendation, tags, plays in rng.sample(TEMPLATES, how_many):
        status = rng.choice(STATUS_CHOICES)
        play_numbers = sorted(rng.sample(plays, rng.randint(1, len(plays))))
        items = sorted(
            {
                rng.choice(edition.play(n).checklist).id
                for n in play_numbers
                if edition.play(n) and edition.play(n).checklist
            }
        )
        rows.append(
            (
                {
                    "title": title,
                    "insight": insight,
                    "method": rng.choice(DEMO_METHODS),
                    "research_date": started + timedelta(days=rng.randint(5, 200)),
                    "participants": rng.choice([None, 5, 6, 8, 12, 40, 250]),
                    "user_groups": rng.choice(
                        ["P1 to P8", "first-time applicants", "caseworkers", "P3, P5, P9"]
                    ),
                    "severity": severity,
                    "confidence": rng.randint(1, 6),
                    "status": status,
                    "status_reason": "The law sets this step; we have asked policy to review it."
                    if status == WONT_ADDRESS
                    else "",
                    "recommendation": recommendation,
                    "evidence_links": f"https://example.gov/{project.slug}/research/"
                    f"{title.split()[0].lower()}-{len(rows) + 1}",
                    "tags": sorted(tags),
                    "plays": play_numbers,
                    "items": items,
                },
                False,
            )
        )
    changes.create_many(project, rows, project.lead, action="created")
    return len(rows)
