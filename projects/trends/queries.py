"""Reading the recorded history: the change of each project's overall readiness over 30 and
90 days (for a page of projects, in a fixed number of queries), and one project's daily
figures for its trend line and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from peewee import fn

from projects.checklists.models import WHOLE_PROJECT
from projects.trends.models import ScoreHistory

SPANS = (30, 90)  # days back the pages compare with


@dataclass(frozen=True)
class Change:
    """How a score moved since `days` ago (in points of a percentage); None with no record
    that old, or nothing applicable at either end."""

    days: int
    points: int | None
    since: date | None  # the day of the record compared with

    @property
    def words(self) -> str:
        if self.points is None:
            return f"no record from {self.days} days ago yet"
        if self.points == 0:
            return f"no change in {self.days} days"
        sign = "up" if self.points > 0 else "down"
        return f"{sign} {abs(self.points)} points in {self.days} days"

    @property
    def signed(self) -> str:
        if self.points is None:
            return "\N{EN DASH}"
        return f"{self.points:+d}" if self.points else "0"


def past_scores(project_ids: list[int], on: date) -> dict[int, tuple[date, float | None]]:
    """Each project's overall score as last recorded on or before `on`, in one query."""
    if not project_ids:
        return {}
    earlier = ScoreHistory.alias()
    latest = earlier.select(fn.MAX(earlier.day)).where(
        (earlier.project == ScoreHistory.project)
        & (earlier.play == WHOLE_PROJECT)
        & (earlier.day <= on)
    )
    rows = (
        ScoreHistory.select(ScoreHistory.project, ScoreHistory.day, ScoreHistory.score)
        .where(
            ScoreHistory.project.in_(project_ids)
            & (ScoreHistory.play == WHOLE_PROJECT)
            & (ScoreHistory.day == latest)
        )
        .tuples()
    )
    return {pid: (day, score) for pid, day, score in rows}


def changes(now: dict[int, float | None], today: date) -> dict[int, list[Change]]:
    """For projects and their overall scores now, the change over each of SPANS."""
    found: dict[int, list[Change]] = {pid: [] for pid in now}
    for days in SPANS:
        past = past_scores(list(now), today - timedelta(days=days))
        for pid, score in now.items():
            day, before = past.get(pid, (None, None))
            points = None
            if day is not None and score is not None and before is not None:
                points = round(score * 100) - round(before * 100)
            found[pid].append(Change(days, points, day))
    return found


def daily(project_id: int, since: date) -> list[dict]:
    """The project's recorded days from `since`, oldest first: overall, phase and per-play."""
    rows = (
        ScoreHistory.select(
            ScoreHistory.day, ScoreHistory.play, ScoreHistory.score, ScoreHistory.phase_score
        )
        .where((ScoreHistory.project == project_id) & (ScoreHistory.day >= since))
        .order_by(ScoreHistory.day, ScoreHistory.play)
        .tuples()
    )
    days: dict[date, dict] = {}
    for day, play, score, phase_score in rows:
        entry = days.setdefault(day, {"day": day.isoformat(), "plays": {}})
        if play == WHOLE_PROJECT:
            entry["overall"], entry["phase"] = score, phase_score
        else:
            entry["plays"][str(play)] = score
    return [{"overall": None, "phase": None} | entry for entry in days.values()]


def trend_points(project_id: int, today: date, days: int = 90) -> list[tuple[date, float]]:
    """(day, overall score) for the trend line, days with nothing applicable left out."""
    query = (
        ScoreHistory.select(ScoreHistory.day, ScoreHistory.score)
        .where(
            (ScoreHistory.project == project_id)
            & (ScoreHistory.play == WHOLE_PROJECT)
            & (ScoreHistory.day >= today - timedelta(days=days))
            & ScoreHistory.score.is_null(False)
        )
        .order_by(ScoreHistory.day)
        .tuples()
    )
    return list(query)


@dataclass(frozen=True)
class TrendLine:
    """A small line of the overall score by day, drawn as inline SVG (0% at the bottom)."""

    points: str  # "x,y x,y ..." for <polyline>
    first: tuple[date, float]
    last: tuple[date, float]
    width: int = 160
    height: int = 40


def trend_line(points: list[tuple[date, float]], width: int = 160, height: int = 40):
    """The line for these (day, score) points, spread over the days they cover; None with
    fewer than two days recorded."""
    if len(points) < 2:
        return None
    start, span = points[0][0], max((points[-1][0] - points[0][0]).days, 1)
    xy = [
        f"{(day - start).days / span * (width - 4) + 2:.1f},{(1 - score) * (height - 4) + 2:.1f}"
        for day, score in points
    ]
    return TrendLine(" ".join(xy), points[0], points[-1], width, height)
