"""The A-11 quarterly export (OMB Circular A-11 Section 280): per project and quarter, the
volumes (customers, surveys offered, responses) and the distribution of answers on the
5-point scale for each driver, rolled up from the stored values (a month's values go into its
quarter). Streamed a batch of projects at a time, like the portfolio CSV."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from playbook.measures import DRIVERS, SCALE, share_agreeing, sorted_periods
from projects.measures.figures import driver_values
from projects.reports.customer import quarter_of
from projects.reports.portfolio_csv import project_batches
from projects.spreadsheets import csv_lines

VOLUMES = ("customers", "offered", "responses")


def header() -> list[str]:
    columns = ["Project", "Slug", "Agency", "Quarter", "Customers", "Offered", "Responses"]
    for key in DRIVERS:
        name = key.title()
        columns += [f"{name} responses", *(f"{name} answered {s}" for s in SCALE)]
        columns.append(f"{name} % agreeing (4 or 5)")
    return columns


class Tally:
    """One driver's figures over a quarter: volumes and answers, summed over its months."""

    def __init__(self) -> None:
        self.customers: int | None = None
        self.offered: int | None = None
        self.responses = 0
        self.answers = [0] * len(SCALE)

    def add(self, customers, offered, responses, answers) -> None:
        if customers is not None:
            self.customers = (self.customers or 0) + customers
        if offered is not None:
            self.offered = (self.offered or 0) + offered
        self.responses += responses or 0
        self.answers = [a + (b or 0) for a, b in zip(self.answers, answers, strict=True)]


def rolled_up(rows) -> dict[int, dict[str, dict[str, Tally]]]:
    """project id -> quarter -> driver key -> Tally."""
    found: dict[int, dict[str, dict[str, Tally]]] = defaultdict(lambda: defaultdict(dict))
    for project_id, driver, period, customers, offered, responses, *answers in rows:
        quarter = quarter_of(period)
        if quarter is None:
            continue
        tally = found[project_id][quarter].setdefault(driver, Tally())
        tally.add(customers, offered, responses, answers)
    return found


def _most(tallies, name: str):
    """A quarter's volume: the same survey asks every driver, so each driver's figure counts
    the same people; the largest is the quarter's (a driver some skipped has fewer)."""
    figures = [getattr(t, name) for t in tallies if getattr(t, name) is not None]
    return max(figures) if figures else ""


def a11_lines(user) -> Iterator[str]:
    """One row per active project and quarter with driver figures, by project name, then
    quarter; UTF-8 with BOM and neutralized cells."""
    return csv_lines(header(), _rows(user))


def _rows(user) -> Iterator[list]:
    for batch in project_batches(user):
        quarters = rolled_up(driver_values([p.id for p in batch]))
        for project in batch:
            by_quarter = quarters.get(project.id, {})
            for quarter in sorted_periods(by_quarter):
                drivers = by_quarter[quarter]
                row = [project.name, project.slug, project.agency, quarter]
                row += [_most(drivers.values(), name) for name in VOLUMES]
                for key in DRIVERS:
                    tally = drivers.get(key)
                    if tally is None:
                        row += [""] * (len(SCALE) + 2)
                        continue
                    agreeing = share_agreeing(tally.answers)
                    row += [tally.responses, *tally.answers]
                    row.append("" if agreeing is None else round(agreeing, 1))
                yield row
