"""Service assessment rules: the phase gates, what a panel may rate each play, the outcomes,
and when the actions they set fall due. Pure, like the readiness rules.

- A gate is the move from one phase to the next (discovery to alpha, alpha to beta, beta to
  live); an assessment is held for one gate.
- The panel rates each play met, met with conditions, or not met, and the assessment as a
  whole the same way. A met or met-with-conditions outcome opens the gate.
- Each play's "to improve" becomes an action: due within 3 months when the play was met with
  conditions, by the re-assessment when it was not met (no date: the next assessment checks
  it), and within 3 months otherwise.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from playbook.edition import PHASES

MET, MET_WITH_CONDITIONS, NOT_MET = RATINGS = ("met", "met_with_conditions", "not_met")
RATING_LABELS = {MET: "Met", MET_WITH_CONDITIONS: "Met with conditions", NOT_MET: "Not met"}
# The colors reports use, always beside the words.
RATING_COLORS = {MET: "green", MET_WITH_CONDITIONS: "amber", NOT_MET: "red", "": "grey"}
OPENS_GATE = frozenset({MET, MET_WITH_CONDITIONS})
CONDITIONS_DUE = timedelta(days=91)  # about 3 months
GATES = {to: f"{before.title()} to {to}" for before, to in itertools.pairwise(PHASES)}


def gate_label(to_phase: str) -> str:
    return GATES.get(to_phase, to_phase)


def previous_phase(to_phase: str) -> str:
    return PHASES[max(PHASES.index(to_phase) - 1, 0)]


def opens_gate(outcome: str) -> bool:
    return outcome in OPENS_GATE


def is_forward(from_phase: str, to_phase: str) -> bool:
    return PHASES.index(to_phase) > PHASES.index(from_phase)


def action_due(rating: str, held_on: date) -> date | None:
    """When an action set for a play with this rating falls due by default (None: at the
    re-assessment)."""
    if rating == NOT_MET:
        return None
    return held_on + CONDITIONS_DUE
