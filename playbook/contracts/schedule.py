"""Section B and Section I from a package's answers and selected clauses: the price schedule
skeleton (line items per period with blanks for prices) and the clauses incorporated by
reference."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from playbook.contracts.answers import default_answers
from playbook.contracts.library import Clause, Reference

BLANK = "$________"
BY_REFERENCE = Reference("52.252-2", "Clauses Incorporated by Reference")
TYPE_LABELS = {
    "firm-fixed-price": "Firm-fixed-price",
    "time-and-materials": "Time-and-materials",
    "labor-hour": "Labor-hour",
}


@dataclass(frozen=True)
class LineItem:
    """One contract line item (CLIN): 0001 in the base period, 1001 in option period 1."""

    number: str
    period: str
    description: str
    pricing: str
    quantity: str
    unit: str
    unit_price: str = BLANK
    amount: str = BLANK


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def iterations_in(months: int, weeks: int) -> int:
    """How many whole iterations of `weeks` fit in `months` (52 weeks a year)."""
    return max(1, (months * 52) // (12 * weeks))


def price_schedule(answers: Mapping[str, Any], clause_ids: Iterable[str]) -> list[LineItem]:
    """The Section B skeleton: for the base period and each option period, line items for the
    development work (by iteration when fixed-price, by the hour otherwise), and where the
    package calls for them discovery, transition-in, cloud services and travel."""
    answers = default_answers() | dict(answers)
    clause_ids = set(clause_ids)
    kind, weeks = answers["contract_type"], answers["iteration_weeks"]
    periods = [("Base period", answers["base_period_months"])]
    periods += [
        (f"Option period {n}", answers["option_period_months"])
        for n in range(1, answers["option_periods"] + 1)
    ]
    lines: list[LineItem] = []
    for index, (period, months) in enumerate(periods):
        numbers = (f"{index}{n:03d}" for n in range(1, 20))
        label = f"{period} ({_plural(months, 'month')})"

        def add(description, pricing, quantity, unit, _period=label, _numbers=numbers):
            lines.append(LineItem(next(_numbers), _period, description, pricing, quantity, unit))

        if index == 0 and answers["incumbent"] == "incumbent" and answers["transition_in_days"]:
            days = _plural(answers["transition_in_days"], "day")
            add(
                f"Transition-in from the incumbent contractor ({days})",
                "Firm-fixed-price",
                "1",
                "Lot",
            )
        if index == 0 and "clause.research-and-prototyping" in clause_ids:
            add(
                f"Discovery and prototyping phase ({_plural(answers['discovery_weeks'], 'week')})",
                "Firm-fixed-price",
                "1",
                "Lot",
            )
        iterations = str(iterations_in(months, weeks))
        per = f"{_plural(weeks, 'week')}"
        if kind in ("firm-fixed-price", "hybrid"):
            add(
                f"Agile development iterations of {per}, by the team in the accepted proposal",
                "Firm-fixed-price",
                iterations,
                "Iteration",
            )
        if kind in ("time-and-materials", "labor-hour", "hybrid"):
            pricing = TYPE_LABELS[
                "time-and-materials" if kind == "time-and-materials" else "labor-hour"
            ]
            add(
                "Agile development and operations services, by labor category and hourly rate"
                + (" (work that cannot be estimated at award)" if kind == "hybrid" else ""),
                pricing,
                "Estimated",
                "Hour",
            )
        if "clause.cloud-flexibility" in clause_ids:
            add(
                "Cloud services and tools, at cost without markup (other direct costs)",
                "Cost, not to exceed",
                "1",
                "Lot",
            )
        if answers["travel"] == "reimbursed":
            add("Travel under the Federal Travel Regulation", "Cost, not to exceed", "1", "Lot")
    return lines


def references(clauses: Iterable[Clause], contract_type: str) -> list[Reference]:
    """The FAR and agency clauses the selected clauses incorporate by reference, for the
    contract type, each once, in FAR order, after FAR 52.252-2 which lets them be cited."""
    found: dict[str, Reference] = {}
    for clause in clauses:
        for ref in clause.references:
            if ref.applies(contract_type) and ref.number not in found:
                found[ref.number] = ref
    if not found:
        return []
    found.pop(BY_REFERENCE.number, None)
    return [BY_REFERENCE, *sorted(found.values(), key=lambda r: _order(r.number))]


def _order(number: str) -> tuple:
    """FAR 52.204-9 before 52.204-24 (numbers, not text); other prefixes after the FAR."""
    head, _, tail = number.partition(".")
    parts = [head, *tail.split("-")]
    return (not head[:1].isdigit(), *(int(p) if p.isdigit() else 0 for p in parts), number)
