"""Deviations: everything in a package that departs from the library, for legal review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Deviation:
    kind: str  # edited, removed, added, agency, outdated, qasp-edited, qasp-added
    clause_id: str
    title: str
    detail: str


@dataclass(frozen=True)
class PackageEntry:
    """What a package holds for one clause, enough to compare it with the library."""

    clause_id: str
    title: str
    included: bool
    edited_text: str | None
    library_text: str | None  # None when the clause is not in the library
    library_version: int | None
    used_version: int
    proposed: bool
    agency: bool = False


def deviations(entries: Iterable[PackageEntry]) -> list[Deviation]:
    """Everything in a package that departs from the library, for legal review."""
    found = []
    for e in entries:
        if not e.included:
            if e.proposed:
                found.append(
                    Deviation("removed", e.clause_id, e.title, "Proposed by the rules but removed")
                )
            continue
        if e.agency:
            found.append(
                Deviation(
                    "agency",
                    e.clause_id,
                    e.title,
                    f"An agency clause (version {e.used_version}), not in the standard library",
                )
            )
        elif not e.proposed:
            found.append(Deviation("added", e.clause_id, e.title, "Added though not proposed"))
        if e.edited_text is not None and e.edited_text.strip() != (e.library_text or "").strip():
            found.append(
                Deviation("edited", e.clause_id, e.title, "Text edited from the library version")
            )
        if not e.agency and e.library_version and e.library_version != e.used_version:
            found.append(
                Deviation(
                    "outdated",
                    e.clause_id,
                    e.title,
                    f"Uses version {e.used_version}; the library now has version "
                    f"{e.library_version}",
                )
            )
    return found
