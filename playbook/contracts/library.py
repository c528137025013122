"""The clause library's shape: sections, topics, clauses with their conditions and QASP rows,
and the error naming every problem in a clause file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from playbook.edition import Problem

DEFAULT_LIBRARY = Path(__file__).parent.parent / "data" / "clauses.toml"
CLAUSE_ID = re.compile(r"^(clause|agency)\.[a-z0-9]+(-[a-z0-9]+)*$")
PROPOSALS = ("always", "conditional", "optional")

SECTIONS = {
    "background": "Background",
    "statement-of-objectives": "Statement of objectives",
    "scope": "Scope",
    "deliverables": "Deliverables",
    "period-of-performance": "Period of performance",
    "personnel": "Personnel",
    "data-rights": "Data rights",
    "accessibility": "Accessibility",
    "security": "Security and privacy",
    "hosting": "Hosting",
    "qasp": "Quality assurance",
    "evaluation": "Evaluation",
    "instructions": "Instructions to offerors",
    "representations": "Representations and certifications",
    "administration": "Contract administration",
}
# The part of a uniform-contract-format solicitation (FAR 15.204-1) each section goes in,
# unless a clause names its own `part`.
SECTION_PARTS = {
    "background": "C",
    "statement-of-objectives": "C",
    "scope": "C",
    "deliverables": "F",
    "period-of-performance": "F",
    "personnel": "H",
    "data-rights": "H",
    "accessibility": "C",
    "security": "H",
    "hosting": "C",
    "qasp": "E",
    "evaluation": "M",
    "instructions": "L",
    "representations": "K",
    "administration": "G",
}
PARTS = "BCDEFGHIJKLM"

# The topics agile digital-service contract language has to cover; every clause names the
# ones it covers, and the built-in library covers all of them.
TOPICS = {
    "soo-vs-pws": "Statement of objectives; offerors propose the work statement",
    "product-vision-and-goals": "Product vision and goals as the baseline",
    "agile-process-in-solicitation": "Agile process written into the solicitation",
    "scope-and-modifications": "Scope and when a change needs a modification",
    "qasp-quality-indicators": "Quality assurance surveillance plan",
    "definition-of-done-acceptance": "Definition of done and acceptance",
    "contract-type-ffp-vs-tm": "Contract type",
    "iteration-based-clins": "Line items per iteration",
    "modular-contracting": "Modular contracting",
    "budget-discovery-prototyping": "Discovery and prototyping",
    "period-of-performance-options": "Period of performance and options",
    "performance-metrics-slas": "Performance metrics and service levels",
    "user-centered-design-research": "User research and human-centered design",
    "section-508-accessibility": "Section 508 accessibility",
    "key-personnel": "Key personnel",
    "evaluation-factors": "Evaluation factors",
    "price-evaluation-igce": "Price evaluation and the cost estimate",
    "market-research-vendor-engagement": "Market research and talking to vendors",
    "data-rights-ownership": "Data rights and ownership",
    "open-source-licensing": "Open-source licensing",
    "government-code-repository": "Government code repository",
    "security-privacy-ato": "Security, privacy and authority to operate",
    "hosting-devops-control": "Hosting and DevOps under Government control",
    "transition-documentation": "Documentation and transition",
    "warranty-defect-remediation": "Warranty and defects",
    "progress-tracking-demos": "Progress through demonstrations",
    "contractor-role-boundaries": "What the contractor may and may not decide",
    "contract-vehicles-small-business": "Contract vehicles and small business",
    "termination-exit-points": "Exit points and termination",
    "transparency-open-procurement": "Working in the open",
    # Topics a contracting officer asks about beyond the thirty published ones.
    "continuity-of-services": "Continuity of services and transition-in",
    "personnel-security": "Personnel security and suitability (HSPD-12)",
    "supply-chain-representations": "Section 889 and supply-chain representations",
    "invoicing-payment": "Invoicing, payment and acceptance before invoicing",
    "organizational-conflicts": "Organizational conflicts of interest",
}


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Reference:
    """A FAR or agency clause incorporated by reference (Section I), from a selected clause;
    `contract_types` limits it to those contract types (empty: every type)."""

    number: str
    title: str
    contract_types: tuple[str, ...] = ()

    def applies(self, contract_type: str) -> bool:
        return not self.contract_types or contract_type in self.contract_types


@dataclass(frozen=True)
class QaspRow:
    standard: str
    quality_level: str
    surveillance: str


@dataclass(frozen=True)
class Conditions:
    """When a conditional clause is proposed: every condition given must hold."""

    phases: tuple[str, ...] = ()
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (variable, accepted values)
    handles_pii: bool | None = None
    option_periods: tuple[int, int] | None = None  # inclusive min, max
    items_in_scope: tuple[str, ...] = ()  # any one of them in scope

    @property
    def empty(self) -> bool:
        return not (
            self.phases
            or self.choices
            or self.handles_pii is not None
            or self.option_periods
            or self.items_in_scope
        )


@dataclass(frozen=True)
class Clause:
    id: str
    version: int
    title: str
    section: str
    proposal: str
    text: str
    variables: tuple[str, ...] = ()
    plays: tuple[int, ...] = ()
    items: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    source: Source | None = None
    when: Conditions = field(default_factory=Conditions)
    qasp: tuple[QaspRow, ...] = ()
    references: tuple[Reference, ...] = ()
    part: str = ""  # the solicitation part (B to M) when not the section's

    @property
    def section_label(self) -> str:
        return SECTIONS.get(self.section, self.section)

    @property
    def solicitation_part(self) -> str:
        """The uniform-contract-format part (a letter, B to M) the clause goes in."""
        return self.part or SECTION_PARTS.get(self.section, "H")

    def summary(self) -> dict:
        """The clause as `flask playbook export --clauses` prints it."""
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "section": self.section,
            "variables": list(self.variables),
            "plays": list(self.plays),
            "items": list(self.items),
            "source": {"title": self.source.title, "url": self.source.url} if self.source else None,
            "topics": list(self.topics),
        }


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    clauses: tuple[Clause, ...]

    def get(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def to_dict(self) -> dict:
        return {"clauses": [c.summary() for c in self.clauses]}

    def uncovered_topics(self) -> list[str]:
        covered = {t for c in self.clauses for t in c.topics}
        return [t for t in TOPICS if t not in covered]


class LibraryError(ValueError):
    """The clause file cannot be used; `problems` names every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))
