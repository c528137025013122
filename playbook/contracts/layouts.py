"""Solicitation layouts: the parts a contracting officer assembles, their headings and
numbering, and which part each clause goes in.

A clause names the uniform-contract-format part it belongs to (`Clause.solicitation_part`,
B to M, FAR 15.204-1). The full layout keeps those parts; the shorter request-for-quotation
layout for an order under a schedule or a blanket purchase agreement folds them into fewer,
numbered parts.
"""

from __future__ import annotations

from dataclasses import dataclass

UCF, RFQ = "ucf", "rfq"
DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class Part:
    key: str  # the letter (B to M) or, in the quotation layout, a short name
    heading: str  # as the document shows it: "Section C - Description" or "3. Terms"
    title: str
    letters: tuple[str, ...]  # the uniform-contract-format parts it holds
    empty: str = ""  # what the part says when nothing goes in it

    def number(self, position: int) -> str:
        """A clause's number in this part: C.3, or 3.2 in the quotation layout."""
        return f"{self.key}.{position}"


@dataclass(frozen=True)
class Layout:
    id: str
    label: str
    hint: str
    parts: tuple[Part, ...]

    def part_of(self, letter: str) -> Part:
        return next(p for p in self.parts if letter in p.letters)


def _section(letter: str, title: str, empty: str = "Reserved.") -> Part:
    return Part(letter, f"Section {letter} {DASH} {title}", title, (letter,), empty)


UCF_LAYOUT = Layout(
    UCF,
    "Uniform contract format (Sections B to M)",
    "For a solicitation under FAR Part 15 or a stand-alone contract.",
    (
        _section("B", "Supplies or services and prices"),
        _section("C", "Description and statement of objectives"),
        _section(
            "D",
            "Packaging and marking",
            "Every deliverable is electronic and is delivered to the Government repository; "
            "no packaging or marking applies.",
        ),
        _section("E", "Inspection and acceptance"),
        _section("F", "Deliveries or performance"),
        _section("G", "Contract administration data"),
        _section("H", "Special contract requirements"),
        _section("I", "Contract clauses"),
        _section("J", "List of attachments"),
        _section("K", "Representations, certifications and other statements of offerors"),
        _section("L", "Instructions, conditions and notices to offerors"),
        _section("M", "Evaluation factors for award"),
    ),
)


def _numbered(number: int, title: str, letters: str, empty: str = "Reserved.") -> Part:
    return Part(str(number), f"{number}. {title}", title, tuple(letters), empty)


RFQ_LAYOUT = Layout(
    RFQ,
    "Request for quotation under a schedule or BPA",
    "A shorter layout for an order under a GSA schedule, a GWAC or a blanket purchase "
    "agreement: the vehicle's own terms already cover most clauses.",
    (
        _numbered(1, "Background and requirement", "C"),
        _numbered(2, "Price schedule", "B"),
        _numbered(3, "Period, place and acceptance of performance", "DEF"),
        _numbered(4, "Terms of the order", "GHK"),
        _numbered(5, "Clauses incorporated by reference", "I"),
        _numbered(6, "Attachments", "J"),
        _numbered(7, "Instructions for quotations", "L"),
        _numbered(8, "Basis for award", "M"),
    ),
)

LAYOUTS = {layout.id: layout for layout in (UCF_LAYOUT, RFQ_LAYOUT)}


def layout_of(layout_id: str) -> Layout:
    """The layout by id; an unknown id (none stored yet) is the uniform contract format."""
    return LAYOUTS.get(layout_id, UCF_LAYOUT)
