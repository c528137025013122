"""Proposal rules: whether each clause is proposed for a package's answers, phase and
checklist, and why (not)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from playbook.contracts.answers import VARIABLES_BY_NAME
from playbook.contracts.library import SECTIONS, Clause, Library, QaspRow
from playbook.edition import default_edition, parse_id

IN_SCOPE_EXCEPT = "not_applicable"


@dataclass(frozen=True)
class Proposal:
    clause: Clause
    proposed: bool
    reason: str  # why it was proposed, or why not


def item_in_scope(statuses: Mapping[str, str], item_id: str) -> bool:
    """An item is in scope unless the project marked it not applicable."""
    return statuses.get(item_id, "not_started") != IN_SCOPE_EXCEPT


def evaluate(
    clause: Clause,
    answers: Mapping[str, Any],
    phase: str,
    statuses: Mapping[str, str],
) -> Proposal:
    """Is the clause proposed for these answers, phase and checklist, and why (not)?"""
    if clause.proposal == "always":
        return Proposal(clause, True, "Proposed for every digital-service contract package")
    if clause.proposal == "optional":
        return Proposal(clause, False, "Optional: add it when the acquisition needs it")
    met, unmet = [], []
    when = clause.when
    if when.phases:
        words = " or ".join(when.phases)
        (met if phase in when.phases else unmet).append(
            f"the project is in the {phase} phase"
            if phase in when.phases
            else f"the project is not in the {words} phase"
        )
    for name, accepted in when.choices:
        var = VARIABLES_BY_NAME[name]
        value = answers.get(name)
        shown = var.choice_label(value).lower()
        if value in accepted:
            met.append(f"the {var.label.lower()} is “{shown}”")
        else:
            wanted = " or ".join(f"“{var.choice_label(v).lower()}”" for v in accepted)
            unmet.append(f"the {var.label.lower()} is not {wanted}")
    if when.handles_pii is not None:
        pii = bool(answers.get("handles_pii"))
        text = "handles" if pii else "does not handle"
        (met if pii == when.handles_pii else unmet).append(
            f"the service {text} personally identifiable information"
        )
    if when.option_periods:
        low, high = when.option_periods
        count = answers.get("option_periods", 0)
        phrase = f"the package has {count} option period{'s' if count != 1 else ''}"
        (met if isinstance(count, int) and low <= count <= high else unmet).append(phrase)
    if when.items_in_scope:
        in_scope = [i for i in when.items_in_scope if item_in_scope(statuses, i)]
        if in_scope:
            met.append(_items_phrase(in_scope))
        else:
            unmet.append(
                "every related checklist item ("
                + _and([_quoted(i) for i in when.items_in_scope[:3]])
                + (" and others" if len(when.items_in_scope) > 3 else "")
                + ") is marked not applicable"
            )
    if unmet:
        return Proposal(clause, False, "Not proposed because " + _and(unmet))
    return Proposal(clause, True, "Proposed because " + _and(met))


def _quoted(item_id: str) -> str:
    """A checklist item as a contracting officer can read it: its text, not its id."""
    item = default_edition().items.get(item_id)
    return f"“{item.text}”" if item else item_id


def _items_phrase(items: list[str]) -> str:
    """ "Play 13 item “Publish the code…” is in scope", "Play 3 items “…” and “…” are in
    scope": the items' texts, since their ids mean nothing to a contracting officer."""
    shown, rest = items[:2], len(items) - 2
    by_play: dict[int, list[str]] = {}
    for item in shown:
        by_play.setdefault(parse_id(item).play, []).append(_quoted(item))
    groups = [
        f"Play {play} item{'s' if len(ids) > 1 else ''} {_and(ids)}"
        for play, ids in by_play.items()
    ]
    more = f" (and {rest} more)" if rest > 0 else ""
    return f"{_and(groups)}{more} {'is' if len(items) == 1 else 'are'} in scope"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def propose(
    library: Library | Iterable[Clause],
    answers: Mapping[str, Any],
    phase: str,
    statuses: Mapping[str, str],
) -> list[Proposal]:
    """Every clause with whether it is proposed and why, in section order then library order."""
    clauses = library.clauses if isinstance(library, Library) else tuple(library)
    order = list(SECTIONS)
    results = [evaluate(c, answers, phase, statuses) for c in clauses]
    return sorted(results, key=lambda p: order.index(p.clause.section))


def proposed_ids(
    library: Library, answers: Mapping[str, Any], phase: str, statuses: Mapping[str, str]
) -> list[str]:
    return [p.clause.id for p in propose(library, answers, phase, statuses) if p.proposed]


def qasp_rows(clauses: Iterable[Clause]) -> list[tuple[str, QaspRow]]:
    """The QASP rows the selected clauses bring, as (clause id, row), in clause order."""
    return [(c.id, row) for c in clauses for row in c.qasp]
