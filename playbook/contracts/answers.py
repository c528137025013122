"""The answers a package gives and clause texts use: each question, defaults, checks and
wording."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Variable:
    """One answer a package gives and clause texts use, with what makes it valid."""

    name: str
    label: str
    kind: str  # text, longtext, int, choice, bool
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int = 200

    def choice_label(self, value: object) -> str:
        return dict(self.choices).get(value, str(value))


VARIABLES: tuple[Variable, ...] = (
    Variable("agency_name", "Agency name", "text", "As it should appear in the solicitation."),
    Variable("program_name", "Program or office", "text", "The program that buys the work."),
    Variable("project_name", "Name of the service", "text"),
    Variable(
        "service_summary",
        "What the service does and for whom",
        "longtext",
        "A few sentences; they open the background section.",
        max_length=3000,
    ),
    Variable(
        "contract_type",
        "Contract type",
        "choice",
        "Firm-fixed-price per iteration suits most agile work.",
        choices=(
            ("firm-fixed-price", "Firm-fixed-price"),
            ("time-and-materials", "Time-and-materials"),
            ("labor-hour", "Labor-hour"),
            ("hybrid", "Hybrid: fixed-price and labor-hour line items"),
        ),
    ),
    Variable("iteration_weeks", "Iteration length in weeks", "int", "1 to 4 weeks.", (), 1, 4),
    Variable(
        "discovery_weeks",
        "Discovery and prototyping phase in weeks",
        "int",
        "2 to 16 weeks; used when the package has a discovery phase.",
        (),
        2,
        16,
    ),
    Variable("base_period_months", "Base period in months", "int", "1 to 24 months.", (), 1, 24),
    Variable("option_periods", "Number of option periods", "int", "0 to 5.", (), 0, 5),
    Variable(
        "option_period_months",
        "Length of each option period in months",
        "int",
        "1 to 12.",
        (),
        1,
        12,
    ),
    Variable(
        "hosting",
        "Hosting",
        "choice",
        choices=(
            ("commercial-cloud", "Commercial cloud (FedRAMP authorized)"),
            ("agency-cloud", "The agency's own cloud platform"),
            ("agency-data-center", "An agency data center"),
            ("to-be-decided", "To be decided during the work"),
        ),
    ),
    Variable(
        "data_sensitivity",
        "Data sensitivity (FIPS 199 impact level)",
        "choice",
        choices=(("low", "Low"), ("moderate", "Moderate"), ("high", "High")),
    ),
    Variable("handles_pii", "The service handles personally identifiable information", "bool"),
    Variable(
        "open_source",
        "Open-source intent for custom code",
        "choice",
        choices=(
            ("open-by-default", "Open by default"),
            ("case-by-case", "Decided component by component"),
            ("closed", "Not released as open source"),
        ),
    ),
    Variable(
        "repository_host",
        "Where the Government's code repository is",
        "text",
        "For example, the agency's GitHub organization.",
    ),
    Variable(
        "ceiling_dollars",
        "Estimated ceiling or budget in dollars",
        "int",
        "All periods together, in whole dollars; 0 leaves it out of the documents.",
        (),
        0,
        10_000_000_000,
    ),
    Variable(
        "performance_start",
        "Expected start of performance",
        "text",
        "A date, such as October 1, 2026, or “the effective date of award”.",
        max_length=100,
    ),
    Variable(
        "place_of_performance",
        "Place of performance",
        "choice",
        choices=(
            ("contractor-site", "The Contractor's own sites, working remotely"),
            ("mixed", "Mostly remote, with regular work at the agency's site"),
            ("agency-site", "The agency's site"),
        ),
    ),
    Variable(
        "personnel_security",
        "Personnel security and suitability",
        "choice",
        "HSPD-12 credentials are needed for routine access to agency systems or buildings.",
        choices=(
            ("none", "No access to agency facilities or non-public systems"),
            ("low-risk", "HSPD-12 credential after a low-risk (Tier 1) investigation"),
            ("moderate-risk", "HSPD-12 credential after a moderate-risk public trust (Tier 2)"),
            ("high-risk", "HSPD-12 credential after a high-risk public trust (Tier 4)"),
            ("secret", "A Secret security clearance"),
        ),
    ),
    Variable(
        "travel",
        "Travel",
        "choice",
        choices=(
            ("none", "No travel is expected"),
            ("local", "Local travel only, at the Contractor's expense"),
            ("reimbursed", "Travel reimbursed at cost under the Federal Travel Regulation"),
        ),
    ),
    Variable(
        "key_personnel",
        "Key personnel",
        "choice",
        choices=(
            ("lead-and-technical", "Product or delivery lead and technical lead"),
            ("with-design", "Product or delivery lead, technical lead and design lead"),
            ("none", "No key personnel"),
        ),
    ),
    Variable(
        "incumbent",
        "Incumbent contractor",
        "choice",
        choices=(
            ("none", "New work: no contractor does it today"),
            ("incumbent", "A contractor does this work today and hands it over"),
        ),
    ),
    Variable(
        "transition_in_days",
        "Transition-in period in days",
        "int",
        "0 to 90; used when an incumbent hands the work over.",
        (),
        0,
        90,
    ),
    Variable(
        "technical_challenge",
        "Technical challenge during evaluation",
        "choice",
        "Many agile buys skip coding challenges to keep proposals cheap for small firms.",
        choices=(
            ("none", "None: written proposals, links to past work and an interview"),
            ("challenge", "A short technical challenge for the offerors in the competitive range"),
        ),
    ),
)
VARIABLES_BY_NAME = {v.name: v for v in VARIABLES}
CHOICE_VARIABLES = {v.name for v in VARIABLES if v.kind == "choice"}


def default_answers(**facts: str) -> dict[str, Any]:
    """Sensible starting answers; `facts` (agency_name, project_name...) override them."""
    answers: dict[str, Any] = {
        "agency_name": "",
        "program_name": "",
        "project_name": "",
        "service_summary": "",
        "contract_type": "firm-fixed-price",
        "iteration_weeks": 2,
        "discovery_weeks": 8,
        "base_period_months": 12,
        "option_periods": 2,
        "option_period_months": 12,
        "hosting": "commercial-cloud",
        "data_sensitivity": "moderate",
        "handles_pii": False,
        "open_source": "open-by-default",
        "repository_host": "the agency's GitHub organization",
        "ceiling_dollars": 0,
        "performance_start": "the effective date of award",
        "place_of_performance": "contractor-site",
        "personnel_security": "low-risk",
        "travel": "none",
        "key_personnel": "lead-and-technical",
        "incumbent": "none",
        "transition_in_days": 30,
        "technical_challenge": "none",
    }
    answers.update({k: v for k, v in facts.items() if k in VARIABLES_BY_NAME})
    return answers


def describe_answers(answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The answers as (label, value in words), for the package page and the exports."""
    rows = []
    answers = default_answers() | dict(answers)  # packages started before an answer existed
    for var in VARIABLES:
        value = answers.get(var.name)
        if var.kind == "choice":
            shown = var.choice_label(value)
        elif var.kind == "bool":
            shown = "Yes" if value else "No"
        elif var.name == "ceiling_dollars":
            shown = f"${value:,}" if isinstance(value, int) and value else "Not stated"
        else:
            shown = "" if value is None else str(value)
        rows.append((var.label, shown))
    return rows


def sample_answers() -> list[tuple[dict[str, Any], bool]]:
    """Answers to fill a clause in with before it is saved, each with whether it is one of the
    longest: typical answers, then every text as long as the form allows with the numbers at
    their largest, at their smallest, and with each choice in turn (a clause's branches)."""
    typical = default_answers(
        agency_name="Sample Agency",
        program_name="Sample Program",
        project_name="Sample Service",
        service_summary="People apply for a license online.",
    )
    words = "Sample answer " * 300
    texts = {v.name: words[: v.max_length].strip() for v in VARIABLES if "text" in v.kind}
    largest = typical | texts
    largest |= {v.name: v.maximum for v in VARIABLES if v.kind == "int"}
    largest |= {v.name: True for v in VARIABLES if v.kind == "bool"}
    smallest = largest | {v.name: v.minimum for v in VARIABLES if v.kind == "int"}
    smallest |= {v.name: False for v in VARIABLES if v.kind == "bool"}
    samples = [(typical, False), (largest, True), (smallest, True)]
    for var in VARIABLES:
        for value, _label in var.choices:
            if value != largest[var.name]:
                samples.append((largest | {var.name: value}, True))
    return samples
