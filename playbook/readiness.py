"""Readiness rules: how far a project is along each play, overall and for its phase.

These are the only place the rules live; the README and every report state them:

- an item scores 1 when done, 0.5 in progress, 0 not started; not applicable items leave
  the count;
- play readiness = score / applicable items; project readiness = the mean over plays that
  have applicable items; phase readiness does the same with only the items expected by the
  project's phase;
- red below 50%, amber from 50%, green from 80%, gray when nothing is applicable;
- evidence coverage = done items with evidence / done items, always said with its counts
  ("4 of 4 done items have evidence"), so a project with few items done never reads as
  complete; an item is stale when nobody has updated it for 90 days; open work (not started
  or in progress) past its due date is overdue; next actions list overdue work first;
- the score counts checklist items only: open critical research findings and overdue items
  are shown beside it wherever it appears (`Attention`), so a green "Ready" never hides them;
- readiness is self-reported: the team marks its own items. Reviewed readiness counts only
  what someone else has checked: an item scores 1 when it is done and a reviewer accepted its
  evidence, else 0; play and project figures follow as above (reviewed / applicable items, the
  mean over plays). A reviewer may not review an item they marked done themselves, and a
  change to a reviewed item's status or evidence sends it back to unreviewed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from playbook.edition import PHASES, ChecklistItem, Edition

NOT_STARTED, IN_PROGRESS, DONE, NOT_APPLICABLE = STATUSES = (
    "not_started",
    "in_progress",
    "done",
    "not_applicable",
)
STATUS_LABELS = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    DONE: "Done",
    NOT_APPLICABLE: "Not applicable",
}
SCORES = {DONE: 1.0, IN_PROGRESS: 0.5, NOT_STARTED: 0.0}
AMBER_FROM, GREEN_FROM = 0.5, 0.8
STALE_AFTER = timedelta(days=90)
RATING_LABELS = {"green": "Ready", "amber": "Partly ready", "red": "Not ready", "grey": "No items"}
ACCEPTED, NEEDS_EVIDENCE = VERDICTS = ("accepted", "needs_evidence")
NOT_REVIEWED = ""
REVIEW_LABELS = {
    NOT_REVIEWED: "Not reviewed",
    ACCEPTED: "Accepted",
    NEEDS_EVIDENCE: "Needs more evidence",
}


@dataclass(frozen=True)
class Readiness:
    """Counts for a set of items and the score they give."""

    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    not_applicable: int = 0
    score: float | None = None  # 0..1, None when nothing is applicable
    accepted: int = 0  # done items whose evidence a reviewer accepted
    reviewed_score: float | None = None  # accepted / applicable; None when nothing is

    @property
    def reviewed(self) -> Readiness:
        """The reviewed figure as a Readiness of its own (accepted items count as done), so
        every place that shows a score shows this one the same way."""
        return Readiness(
            done=self.accepted,
            not_started=self.applicable - self.accepted,
            not_applicable=self.not_applicable,
            score=self.reviewed_score,
            accepted=self.accepted,
            reviewed_score=self.reviewed_score,
        )

    @property
    def applicable(self) -> int:
        return self.done + self.in_progress + self.not_started

    @property
    def rating(self) -> str:
        return rating(self.score)

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(self.score * 100)

    @property
    def label(self) -> str:
        """The score in words, so color never carries the meaning alone."""
        return "n/a" if self.percent is None else f"{self.percent}%"


@dataclass(frozen=True)
class ProjectReadiness:
    overall: Readiness
    phase: Readiness
    plays: dict[int, Readiness]
    phase_plays: dict[int, Readiness] = field(default_factory=dict)  # items the phase expects


def rating(score: float | None) -> str:
    if score is None:
        return "grey"
    if score >= GREEN_FROM:
        return "green"
    return "amber" if score >= AMBER_FROM else "red"


def expected_by(item: ChecklistItem, phase: str) -> bool:
    """Is the item expected to be done by the time a project is in `phase`?"""
    return PHASES.index(item.phase) <= PHASES.index(phase)


def next_phase(phase: str) -> str | None:
    position = PHASES.index(phase)
    return PHASES[position + 1] if position + 1 < len(PHASES) else None


def count(
    items: Iterable[ChecklistItem],
    statuses: Mapping[str, str],
    accepted: Collection[str] = frozenset(),
) -> Readiness:
    """Score a set of items; an item with no recorded status has not started. `accepted`: the
    ids of items whose evidence a reviewer accepted (they count only when done)."""
    tally = dict.fromkeys(STATUSES, 0)
    reviewed = 0
    for item in items:
        status = statuses.get(item.id, NOT_STARTED)
        tally[status] += 1
        reviewed += status == DONE and item.id in accepted
    applicable = tally[DONE] + tally[IN_PROGRESS] + tally[NOT_STARTED]
    score = sum(SCORES[s] * tally[s] for s in SCORES) / applicable if applicable else None
    return Readiness(
        tally[DONE],
        tally[IN_PROGRESS],
        tally[NOT_STARTED],
        tally[NOT_APPLICABLE],
        score,
        reviewed,
        reviewed / applicable if applicable else None,
    )


def mean_of_plays(per_play: Iterable[Readiness]) -> Readiness:
    """Sum the counts; the score is the mean over plays that have applicable items."""
    per_play = list(per_play)
    scores = [r.score for r in per_play if r.score is not None]
    reviewed = [r.reviewed_score for r in per_play if r.reviewed_score is not None]
    return Readiness(
        done=sum(r.done for r in per_play),
        in_progress=sum(r.in_progress for r in per_play),
        not_started=sum(r.not_started for r in per_play),
        not_applicable=sum(r.not_applicable for r in per_play),
        score=sum(scores) / len(scores) if scores else None,
        accepted=sum(r.accepted for r in per_play),
        reviewed_score=sum(reviewed) / len(reviewed) if reviewed else None,
    )


def project_readiness(
    edition: Edition,
    statuses: Mapping[str, str],
    phase: str,
    accepted: Collection[str] = frozenset(),
) -> ProjectReadiness:
    """`accepted`: the items whose evidence a reviewer accepted (for the reviewed figures)."""
    plays = {play.number: count(play.checklist, statuses, accepted) for play in edition.plays}
    in_phase = {
        play.number: count([i for i in play.checklist if expected_by(i, phase)], statuses, accepted)
        for play in edition.plays
    }
    return ProjectReadiness(
        overall=mean_of_plays(plays.values()),
        phase=mean_of_plays(in_phase.values()),
        plays=plays,
        phase_plays=in_phase,
    )


def missing_for_next_phase(
    edition: Edition, statuses: Mapping[str, str], phase: str
) -> list[ChecklistItem]:
    """Applicable items not yet done that the next phase (or, when live, this one) expects."""
    target = next_phase(phase) or phase
    return [
        item
        for play in edition.plays
        for item in play.checklist
        if expected_by(item, target)
        and statuses.get(item.id, NOT_STARTED) in SCORES
        and statuses.get(item.id, NOT_STARTED) != DONE
    ]


def evidence_coverage(done_with_evidence: int, done: int) -> float | None:
    return done_with_evidence / done if done else None


def evidence_words(done_with_evidence: int, done: int) -> str:
    """Evidence coverage with its counts: "4 of 4 done items have evidence" reads as what it
    is even when 4 of 85 items are done, where "100%" would read as complete."""
    if not done:
        return "No items done yet"
    verb = "has" if done == 1 else "have"
    return f"{done_with_evidence} of {done} done item{'s' if done != 1 else ''} {verb} evidence"


@dataclass(frozen=True)
class Attention:
    """What a readiness score leaves out: open critical research findings and overdue work
    (open items past their due date). Shown beside every readiness label; never part of the
    score, which counts checklist items only."""

    open_critical: int = 0
    overdue: int = 0

    def __bool__(self) -> bool:
        return bool(self.open_critical or self.overdue)

    @property
    def parts(self) -> list[str]:
        found = []
        if self.open_critical:
            found.append(_counted(self.open_critical, "open critical finding"))
        if self.overdue:
            found.append(_counted(self.overdue, "overdue item"))
        return found

    @property
    def words(self) -> str:
        """ "2 open critical findings and 1 overdue item", or "" when there is nothing."""
        return " and ".join(self.parts)


def _counted(n: int, thing: str) -> str:
    return f"{n} {thing}{'s' if n != 1 else ''}"


def is_stale(updated_at: datetime | None, now: datetime) -> bool:
    return updated_at is not None and now - updated_at > STALE_AFTER


def is_open(status: str) -> bool:
    """Applicable and not done yet: work somebody still has to do."""
    return status in (NOT_STARTED, IN_PROGRESS)


def is_overdue(status: str, due: date | None, today: date) -> bool:
    return is_open(status) and due is not None and due < today


def is_stale_open(status: str, updated_at: datetime | None, now: datetime) -> bool:
    """Open work nobody has touched for 90 days (finished or excluded items are never stale)."""
    return is_open(status) and is_stale(updated_at, now)


def next_action_order(due: date | None, today: date) -> tuple[int, date]:
    """Sort key for next actions: overdue first, then by due date, undated last."""
    if due is None:
        return (2, date.max)
    return (0 if due < today else 1, due)


def change_in_points(before: float | None, after: float | None) -> int | None:
    """Change of a score in percentage points; None when either side has nothing applicable."""
    if before is None or after is None:
        return None
    return round(after * 100) - round(before * 100)


def mean_score(scores: Iterable[float | None]) -> float | None:
    """The mean of the scores that exist (a play across a portfolio, say)."""
    known = [s for s in scores if s is not None]
    return sum(known) / len(known) if known else None


def may_review(status: str, done_by_id: int | None, reviewer_id: int) -> bool:
    """Evidence is reviewed by someone other than the person who marked the item done, and only
    once it is done."""
    return status == DONE and done_by_id != reviewer_id
