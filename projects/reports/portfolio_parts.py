"""The portfolio PDF in parts: which sections, and which of their projects, each part holds.

WeasyPrint keeps a whole document's layout in memory until the PDF is written: about 1.4 MB
per project of the portfolio. Rendered in parts of about PDF_PART_PROJECTS projects each, one
after the other, the memory stays that of one part whatever the size of the portfolio;
projects.pdf_parts joins the parts into one tagged PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from projects.reports.records import PortfolioReport

HEATMAP_ROWS_PER_TABLE = 20  # one landscape page each
# What a section's entry costs to lay out, counted in overdue-and-stale blocks of one project
# (the heaviest: up to ten items each). Measured with tests/benchmarks/portfolio.py.
WEIGHTS = {
    "heatmap": 0.5,
    "changed": 0.125,
    "cx": 0.125,
    "attention": 1.0,
    "critical": 0.125,
    "contracts": 0.125,
}
LABELS = {
    "cover": "the summary",
    "changed": "what changed",
    "heatmap": "the heat map",
    "cx": "customer experience",
    "attention": "overdue and stale items",
    "critical": "critical findings",
    "contracts": "contract packages",
    "rules": "the scoring rules",
}


@dataclass(frozen=True)
class Slice:
    """Entries `start` to `start + len(items)` of a section's `total`. A section without
    entries (the cover, the rules) is one slice with none."""

    section: str
    items: Sequence
    start: int = 0
    total: int = 0

    @property
    def stop(self) -> int:
        return self.start + len(self.items)

    @property
    def first(self) -> bool:
        return self.start == 0

    @property
    def last(self) -> bool:
        return self.stop >= self.total

    @property
    def label(self) -> str:
        label = LABELS[self.section]
        if self.section not in ("heatmap", "attention") or (self.first and self.last):
            return label
        if len(self.items) == 1:
            return f"{label}, project {self.stop:,} of {self.total:,}"
        return f"{label}, projects {self.start + 1:,} to {self.stop:,} of {self.total:,}"


@dataclass(frozen=True)
class Part:
    """One WeasyPrint document of the portfolio PDF."""

    number: int  # from 1
    slices: tuple[Slice, ...]

    @property
    def continues(self) -> bool:
        """Whether it begins in the middle of a section the part before began."""
        return not self.slices[0].first

    @property
    def label(self) -> str:
        labels = [s.label for s in self.slices]
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _sections(report: PortfolioReport) -> list[tuple[str, Sequence | None, int]]:
    """(section, its entries or None, entries that go together) in the order of the PDF."""
    return [
        ("cover", None, 1),
        ("changed", report.changed if report.baseline else [], 1),
        ("heatmap", report.rows, HEATMAP_ROWS_PER_TABLE),
        ("cx", report.with_cx, 1),
        ("attention", report.attention, 1),
        ("critical", report.critical_findings, 1),
        ("contracts", report.contracts, 1),
        ("rules", None, 1),
    ]


def plan_parts(report: PortfolioReport, part_projects: float | None = None) -> list[Part]:
    """The parts of the portfolio PDF, each holding about `part_projects` projects' worth of
    sections (all of them in one part when None). A part holds at least one group of entries
    (a heat map table), however heavy."""
    budget = float("inf") if part_projects is None else part_projects
    parts: list[list[Slice]] = [[]]
    room = budget
    for section, entries, step in _sections(report):
        if entries is None or not entries:
            parts[-1].append(Slice(section, [] if entries is None else entries))
            continue
        weight, start, total = WEIGHTS[section], 0, len(entries)
        while start < total:
            left = total - start
            fits = left if room >= left * weight else max(0, int(room / weight) // step * step)
            if fits == 0 and room < budget:  # the part is full: start the next one
                parts.append([])
                room = budget
                continue
            stop = min(total, start + max(fits, step))
            parts[-1].append(Slice(section, entries[start:stop], start, total))
            room -= (stop - start) * weight
            start = stop
    return [Part(n, tuple(slices)) for n, slices in enumerate(parts, start=1)]
