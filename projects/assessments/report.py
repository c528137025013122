"""The assessment report as plain data (JSON, so it freezes as it is), and its renderers: the
print HTML for the PDF/UA file and the DOCX. Renderers never query."""

from __future__ import annotations

import io
from datetime import date

from flask import render_template

from playbook.assessment import RATING_COLORS, RATING_LABELS, action_due, gate_label
from projects.assessments.models import Assessment
from projects.assessments.queries import panel_of
from projects.auth.models import User
from projects.checklists.scores import stored_readiness
from projects.db import utcnow
from projects.editions import active_edition
from projects.pdf import render_pdf, warnings_fail


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def planned_actions(assessment: Assessment, ratings: dict) -> list[dict]:
    """The actions completing the assessment sets: one per play with something to improve,
    owned by the project's lead, due as `playbook.assessment.action_due` says."""
    lead = assessment.project.lead_id
    return [
        {
            "play": number,
            "text": rating.to_improve.strip(),
            "owner_id": lead,
            "due_date": _day(action_due(rating.rating, assessment.held_on)),
        }
        for number, rating in sorted(ratings.items())
        if rating.to_improve.strip()
    ]


def assessment_data(assessment: Assessment, outcome: str, summary: str, actions: list) -> dict:
    """Everything the report shows, as JSON-ready data (about six queries)."""
    project = assessment.project
    edition = active_edition()
    ratings = {r.play: r for r in assessment.ratings}
    stored = stored_readiness([project.id])[project.id].readiness
    owners = dict(
        User.select(User.id, User.name)
        .where(User.id.in_([a["owner_id"] for a in actions if a.get("owner_id")] or [0]))
        .tuples()
    )
    lead = assessment.lead_assessor
    plays = []
    for play in edition.plays:
        rating = ratings.get(play.number)
        r = stored.plays.get(play.number)
        plays.append(
            {
                "number": play.number,
                "title": play.title,
                "rating": rating.rating if rating else "",
                "rating_label": RATING_LABELS.get(rating.rating if rating else "", "Not rated"),
                "color": RATING_COLORS.get(rating.rating if rating else "", "grey"),
                "went_well": rating.went_well if rating else "",
                "to_improve": rating.to_improve if rating else "",
                "readiness": r.label if r else "n/a",
                "reviewed": r.reviewed.label if r else "n/a",
            }
        )
    return {
        "project": {"name": project.name, "slug": project.slug, "agency": project.agency},
        "gate": gate_label(assessment.to_phase),
        "to_phase": assessment.to_phase,
        "held_on": _day(assessment.held_on),
        "lead_assessor": lead.name if lead else "No lead assessor",
        "panel": [p.user.name for p in panel_of(assessment)],
        "outcome": outcome,
        "outcome_label": RATING_LABELS.get(outcome, "Not decided yet"),
        "outcome_color": RATING_COLORS.get(outcome, "grey"),
        "summary": summary,
        "readiness": stored.overall.label,
        "reviewed": stored.overall.reviewed.label,
        "plays": plays,
        "actions": [a | {"owner": owners.get(a.get("owner_id"), "No owner yet")} for a in actions],
        "edition": edition.title,
        "prepared": utcnow().replace(microsecond=0).isoformat() + "Z",
    }


def assessment_html(data: dict) -> str:
    return render_template("assessments/print.html", report=data)


def assessment_pdf(data: dict) -> bytes:
    return render_pdf(assessment_html(data), strict=warnings_fail())


def assessment_docx(data: dict) -> bytes:
    """The same report as an editable Word document: real headings, a table with a header
    row for the ratings, the actions as a list."""
    from docx import Document

    from projects.contracts.docx import _table

    document = Document()
    document.core_properties.title = f"Service assessment: {data['project']['name']}"
    document.core_properties.language = "en-US"
    document.add_heading(f"Service assessment: {data['project']['name']}", level=0)
    document.add_paragraph(f"{data['project']['agency']} · {data['gate']} · held {data['held_on']}")
    document.add_paragraph(f"Outcome: {data['outcome_label']}")
    document.add_paragraph(f"Lead assessor: {data['lead_assessor']}")
    document.add_paragraph("Panel: " + (", ".join(data["panel"]) or "no panel named"))
    document.add_paragraph(
        f"Readiness at the assessment: {data['readiness']} self-reported, "
        f"{data['reviewed']} reviewed."
    )
    if data["summary"]:
        document.add_heading("Summary", level=1)
        document.add_paragraph(data["summary"])
    document.add_heading("Ratings", level=1)
    rows = [[f"{p['number']}. {p['title']}", p["rating_label"]] for p in data["plays"]]
    _table(
        document,
        "Rating of each play",
        ["Play", "Rating"],
        rows,
        1,
        description=f"The panel's rating of each of the {len(rows)} plays.",
    )
    for play in data["plays"]:
        if play["went_well"] or play["to_improve"]:
            document.add_heading(f"Play {play['number']}: {play['title']}", level=2)
            if play["went_well"]:
                document.add_paragraph(f"What went well: {play['went_well']}")
            if play["to_improve"]:
                document.add_paragraph(f"What to improve: {play['to_improve']}")
    document.add_heading("Actions", level=1)
    if not data["actions"]:
        document.add_paragraph("No actions.")
    for action in data["actions"]:
        due = action["due_date"] or "by the re-assessment"
        document.add_paragraph(
            f"Play {action['play']}: {action['text']} (owner {action['owner']}, due {due})",
            style="List Bullet",
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
