"""Contract language: the clause library, the answers its texts use, proposal rules and
safe rendering.

The library is a TOML file of clauses, each a Jinja template over a fixed set of named
answers (agency name, contract type, iteration length...). Templates run in an immutable
sandbox with StrictUndefined, no globals, a short allow-list of filters and no attribute or
item access, so a clause written by a person can only fill in answers, never reach Python.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from playbook.edition import PHASES, Edition, Problem, default_edition

DEFAULT_LIBRARY = Path(__file__).parent / "data" / "clauses.toml"
CLAUSE_ID = re.compile(r"^(clause|agency)\.[a-z0-9]+(-[a-z0-9]+)*$")
PROPOSALS = ("always", "conditional", "optional")
MAX_TEXT = 20_000  # characters of template text in one clause
MAX_OUTPUT = 100_000  # characters one rendered clause may grow to

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
    "administration": "Contract administration",
}

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
}


# ------------------------------------------------------------------ answers


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
    Variable("program_name", "Programme or office", "text", "The programme that buys the work."),
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
    }
    answers.update({k: v for k, v in facts.items() if k in VARIABLES_BY_NAME})
    return answers


def answer_problems(answers: Mapping[str, Any]) -> dict[str, str]:
    """Every answer that is missing or out of range, as variable name -> message."""
    problems = {}
    for var in VARIABLES:
        value = answers.get(var.name)
        if var.kind in ("text", "longtext"):
            if not isinstance(value, str) or not value.strip():
                problems[var.name] = f"Enter the {var.label.lower()}"
            elif len(value) > var.max_length:
                problems[var.name] = f"Use {var.max_length:,} characters or fewer"
        elif var.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                problems[var.name] = f"Enter the {var.label.lower()} as a whole number"
            elif not var.minimum <= value <= var.maximum:
                problems[var.name] = f"{var.label} must be between {var.minimum} and {var.maximum}"
        elif var.kind == "choice":
            if value not in dict(var.choices):
                problems[var.name] = f"Choose the {var.label.lower()}"
        elif var.kind == "bool" and not isinstance(value, bool):
            problems[var.name] = f"Say whether {var.label[0].lower()}{var.label[1:]}"
    return problems


def describe_answers(answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The answers as (label, value in words), for the package page and the exports."""
    rows = []
    for var in VARIABLES:
        value = answers.get(var.name)
        if var.kind == "choice":
            shown = var.choice_label(value)
        elif var.kind == "bool":
            shown = "Yes" if value else "No"
        else:
            shown = "" if value is None else str(value)
        rows.append((var.label, shown))
    return rows


# ------------------------------------------------------------------ clauses


@dataclass(frozen=True)
class Source:
    title: str
    url: str


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

    @property
    def section_label(self) -> str:
        return SECTIONS.get(self.section, self.section)

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


class ClauseError(ValueError):
    """A clause text cannot be rendered; the message says why in plain words."""


# ------------------------------------------------------------------ the sandbox

SAFE_FILTERS = ("capitalize", "lower", "upper", "title", "trim", "length", "abs", "round")
_INTERCEPTED = frozenset({"*", "**", "//", "%"})


class ClauseEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox clause texts run in: answers only, no globals, few filters, bounded maths."""

    intercepted_binops = _INTERCEPTED

    def __init__(self):
        super().__init__(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
        self.globals.clear()
        self.filters = {name: self.filters[name] for name in SAFE_FILTERS}

    def call_binop(self, context, operator, left, right):
        # Repetition and powers can build huge values from a short text; clauses never need them.
        raise SecurityError(f"the operator {operator!r} is not allowed in clause texts")


_ENV = ClauseEnvironment()


def _parse(text: str):
    if not isinstance(text, str):
        raise ClauseError("The clause text is missing.")
    if len(text) > MAX_TEXT:
        raise ClauseError(f"The clause text is too long: use {MAX_TEXT:,} characters or fewer.")
    try:
        return _ENV.parse(text)
    except TemplateSyntaxError as error:
        line = f" on line {error.lineno}" if error.lineno else ""
        raise ClauseError(
            f"The clause text has a template mistake{line}: {error.message}. Check that every "
            "{{ opens and closes with }} and every {% if %} has its {% endif %}."
        ) from None


def _refuse_internals(tree, text: str) -> None:
    """Clause texts name answers; they never look inside values or call anything."""
    internal = sorted(
        {n.attr for n in tree.find_all(nodes.Getattr) if n.attr.startswith("_")},
        key=text.find,
    )
    if internal:
        names = ", ".join(f".{name}" for name in internal)
        raise ClauseError(
            f"The clause text tries to reach Python internals ({names}), which clause texts "
            "may not do. Use only the package's answers, for example {{ agency_name }}."
        )
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Call)):
        what = {nodes.Getattr: "a .name", nodes.Getitem: "[...]", nodes.Call: "(...)"}[type(node)]
        raise ClauseError(
            f"The clause text tries to look inside a value or call something ({what}), which "
            "clause texts may not do. Use only the package's answers, for example "
            "{{ agency_name }}."
        )
    for node in tree.find_all(nodes.Filter):
        if node.name not in SAFE_FILTERS:
            raise ClauseError(
                f"The clause text uses the filter “{node.name}”, which clause texts may not use. "
                f"Allowed: {', '.join(SAFE_FILTERS)}."
            )


def used_variables(text: str) -> set[str]:
    """The answer names a clause text uses; ClauseError when it cannot be parsed or is unsafe."""
    tree = _parse(text)
    _refuse_internals(tree, text)
    return set(meta.find_undeclared_variables(tree))


def check_text(text: str, allowed: Iterable[str] | None = None) -> set[str]:
    """Check that a text parses, is safe and uses only known (or `allowed`) answers."""
    allowed = set(VARIABLES_BY_NAME if allowed is None else allowed)
    used = used_variables(text)
    unknown = sorted(used - allowed)
    if unknown:
        names = ", ".join("{{ " + name + " }}" for name in unknown)
        raise ClauseError(
            f"The clause text uses {names}, which {'is' if len(unknown) == 1 else 'are'} not "
            f"one of the package's answers. Answers you can use: "
            + ", ".join(sorted(allowed))
            + "."
        )
    return used


def render_text(text: str, answers: Mapping[str, Any]) -> str:
    """Fill a clause text in with the answers, or raise ClauseError with a plain message."""
    check_text(text)
    try:
        rendered = _ENV.from_string(text).render(dict(answers))
    except SecurityError as error:
        raise ClauseError(
            f"The clause text tries something clause texts may not do ({error}). Use only the "
            "package's answers, for example {{ agency_name }}."
        ) from None
    except UndefinedError as error:
        raise ClauseError(
            f"The clause text uses an answer the package does not have: {error}."
        ) from None
    except Exception as error:  # a person's template: any failure is theirs to fix, not a 500
        raise ClauseError(f"The clause text could not be filled in: {error}.") from None
    if len(rendered) > MAX_OUTPUT:
        raise ClauseError("The clause text grows too long when it is filled in.")
    return rendered.strip()


@dataclass(frozen=True)
class Block:
    """A paragraph, or a bulleted list when `items` is set."""

    text: str = ""
    items: tuple[str, ...] = ()


def blocks(rendered: str) -> list[Block]:
    """Split rendered text into paragraphs (blank lines between) and lists ("- " lines)."""
    result: list[Block] = []
    for chunk in re.split(r"\n\s*\n", rendered.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        run: list[str] = []
        bullet_run = False
        for line in [*lines, None]:
            is_bullet = line is not None and line.startswith("- ")
            if run and (line is None or is_bullet != bullet_run):
                result.append(Block(items=tuple(run)) if bullet_run else Block(text=" ".join(run)))
                run = []
            if line is not None:
                run.append(line[2:].strip() if is_bullet else line)
                bullet_run = is_bullet
    return result


# ------------------------------------------------------------------ loading


class _LineFinder:
    def __init__(self, text: str = ""):
        self.lines = text.splitlines()

    def __call__(self, clause_id: str) -> int | None:
        needle = f'id = "{clause_id}"'
        for number, line in enumerate(self.lines, start=1):
            if line.strip().startswith(needle):
                return number
        return None


def load_library(path: str | Path = DEFAULT_LIBRARY, edition: Edition | None = None) -> Library:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LibraryError([Problem(f"{path} does not exist")]) from None
    except (OSError, UnicodeDecodeError):
        raise LibraryError([Problem(f"{path} is not readable UTF-8 text")]) from None
    return parse_library(text, edition)


def parse_library(text: str, edition: Edition | None = None) -> Library:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column \d+\)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise LibraryError(
            [Problem(f"not valid TOML: {message}", int(match.group(1)) if match else None)]
        ) from None
    return library_from_dict(data, edition, _LineFinder(text))


@cache
def default_library() -> Library:
    return load_library(DEFAULT_LIBRARY, default_edition())


def library_from_dict(
    data: dict, edition: Edition | None = None, line_of: _LineFinder | None = None
) -> Library:
    """Validate a decoded clause library into frozen dataclasses, naming every problem."""
    edition = edition or default_edition()
    line_of = line_of or _LineFinder()
    problems: list[Problem] = []
    entries = data.get("clauses")
    if not isinstance(entries, list) or not entries:
        problems.append(Problem("the file has no [[clauses]]"))
        entries = []
    clauses, seen = [], set()
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(Problem(f"clause {position} is not a table"))
            continue
        clause, found = clause_from_dict(entry, edition, f"clause {position}")
        ident = entry.get("id")
        line = line_of(ident) if isinstance(ident, str) else None
        if isinstance(ident, str) and ident in seen:
            found.append(f"{ident}: the id is used twice")
        seen.add(ident)
        problems.extend(Problem(message, line) for message in found)
        if clause is not None:
            clauses.append(clause)
    if problems:
        raise LibraryError(problems)
    return Library(
        name=str(data.get("library", "clauses")),
        version=str(data.get("version", "")),
        clauses=tuple(clauses),
    )


def clause_from_dict(
    entry: Mapping[str, Any], edition: Edition, where: str = "clause"
) -> tuple[Clause | None, list[str]]:
    """One clause, checked: returns (clause or None, problems as messages)."""
    problems: list[str] = []
    ident = entry.get("id")
    if not isinstance(ident, str) or not CLAUSE_ID.match(ident):
        problems.append(
            f"{where}: id {ident!r} is not of the form clause.some-name (or agency.some-name)"
        )
        ident = str(ident)
    else:
        where = ident

    def text_of(key: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: needs a non-empty `{key}`")
            return ""
        return value.strip()

    version = entry.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(f"{where}: `version` must be a whole number from 1")
        version = 1
    title = text_of("title")
    text = text_of("text")
    section = entry.get("section")
    if section not in SECTIONS:
        problems.append(f"{where}: section {section!r} is not one of {', '.join(SECTIONS)}")
    proposal = entry.get("proposal", "optional")
    if proposal not in PROPOSALS:
        problems.append(f"{where}: proposal {proposal!r} is not one of {', '.join(PROPOSALS)}")

    variables = _list_of(entry, "variables", str, where, problems)
    for name in variables:
        if name not in VARIABLES_BY_NAME:
            problems.append(
                f"{where}: declares the variable {name!r}, which is not a package answer "
                f"(known: {', '.join(VARIABLES_BY_NAME)})"
            )
    if text:
        try:
            used = used_variables(text)
        except ClauseError as error:
            problems.append(f"{where}: {error}")
        else:
            for name in sorted(used - set(variables)):
                problems.append(
                    f"{where}: the text uses {{{{ {name} }}}} but `variables` does not declare it"
                )
            for name in sorted(set(variables) - used):
                problems.append(
                    f"{where}: declares the variable {name!r} but the text never uses it"
                )

    plays = _list_of(entry, "plays", int, where, problems)
    for play in plays:
        if edition.play(play) is None:
            problems.append(f"{where}: play {play} does not exist in edition {edition.name!r}")
    items = _list_of(entry, "items", str, where, problems)
    known_items = edition.items
    for item in items:
        if item not in known_items:
            problems.append(f"{where}: checklist item {item!r} is not in edition {edition.name!r}")
    topics = _list_of(entry, "topics", str, where, problems)
    for topic in topics:
        if topic not in TOPICS:
            problems.append(f"{where}: topic {topic!r} is not a known contract topic")
    if not topics:
        problems.append(f"{where}: names no `topics`")

    source = None
    raw_source = entry.get("source")
    if raw_source is not None:
        if (
            not isinstance(raw_source, dict)
            or not isinstance(raw_source.get("title"), str)
            or not str(raw_source.get("url", "")).startswith("https://")
        ):
            problems.append(f"{where}: `source` needs a title and an https:// url")
        else:
            source = Source(raw_source["title"].strip(), raw_source["url"].strip())

    when = _conditions(entry.get("when"), edition, where, problems)
    if proposal == "conditional" and when.empty:
        problems.append(f"{where}: is conditional but has no `when` conditions")
    if proposal != "conditional" and not when.empty:
        problems.append(f"{where}: has `when` conditions but proposal is {proposal!r}")

    qasp = []
    raw_qasp = entry.get("qasp", [])
    if not isinstance(raw_qasp, list):
        problems.append(f"{where}: `qasp` must be a list of rows")
        raw_qasp = []
    for number, row in enumerate(raw_qasp, start=1):
        values = [row.get(k) if isinstance(row, dict) else None for k in QASP_FIELDS]
        if not all(isinstance(v, str) and v.strip() for v in values):
            problems.append(
                f"{where}: QASP row {number} needs a standard, a quality_level and a surveillance"
            )
            continue
        qasp.append(QaspRow(*(v.strip() for v in values)))

    if problems:
        return None, problems
    return (
        Clause(
            id=ident,
            version=version,
            title=title,
            section=section,
            proposal=proposal,
            text=text,
            variables=tuple(variables),
            plays=tuple(plays),
            items=tuple(items),
            topics=tuple(topics),
            source=source,
            when=when,
            qasp=tuple(qasp),
        ),
        [],
    )


QASP_FIELDS = ("standard", "quality_level", "surveillance")


def _list_of(entry, key, kind, where, problems) -> list:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(v, kind) and not isinstance(v, bool) for v in value
    ):
        word = "numbers" if kind is int else "texts"
        problems.append(f"{where}: `{key}` must be a list of {word}")
        return []
    return value


def _conditions(raw, edition: Edition, where: str, problems: list[str]) -> Conditions:
    if raw is None:
        return Conditions()
    if not isinstance(raw, dict):
        problems.append(f"{where}: `when` must be a table of conditions")
        return Conditions()
    phases, choices, pii, options, items = (), [], None, None, ()
    for key, value in raw.items():
        if key == "phase":
            if not isinstance(value, list) or not value or any(p not in PHASES for p in value):
                problems.append(
                    f"{where}: when.phase must list phases from {', '.join(PHASES)}; got {value!r}"
                )
            else:
                phases = tuple(value)
        elif key == "handles_pii":
            if not isinstance(value, bool):
                problems.append(f"{where}: when.handles_pii must be true or false")
            else:
                pii = value
        elif key == "option_periods":
            var = VARIABLES_BY_NAME["option_periods"]
            low = value.get("min", var.minimum) if isinstance(value, dict) else None
            high = value.get("max", var.maximum) if isinstance(value, dict) else None
            if (
                not isinstance(value, dict)
                or set(value) - {"min", "max"}
                or not all(isinstance(n, int) and not isinstance(n, bool) for n in (low, high))
                or not var.minimum <= low <= high <= var.maximum
            ):
                problems.append(
                    f"{where}: when.option_periods must be {{ min = n, max = n }} with "
                    f"{var.minimum} <= min <= max <= {var.maximum}"
                )
            else:
                options = (low, high)
        elif key == "items_in_scope":
            if not isinstance(value, list) or not value:
                problems.append(f"{where}: when.items_in_scope must list checklist item ids")
            else:
                for item in value:
                    if item not in edition.items:
                        problems.append(
                            f"{where}: when.items_in_scope names {item!r}, which is not in "
                            f"edition {edition.name!r}"
                        )
                items = tuple(value)
        elif key in CHOICE_VARIABLES:
            allowed = dict(VARIABLES_BY_NAME[key].choices)
            if not isinstance(value, list) or not value or any(v not in allowed for v in value):
                problems.append(
                    f"{where}: when.{key} must list values from {', '.join(allowed)}; got {value!r}"
                )
            else:
                choices.append((key, tuple(value)))
        else:
            problems.append(
                f"{where}: unknown condition when.{key} (use phase, handles_pii, option_periods, "
                f"items_in_scope or one of {', '.join(sorted(CHOICE_VARIABLES))})"
            )
    return Conditions(phases, tuple(choices), pii, options, items)


# ------------------------------------------------------------------ proposals

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
                + ", ".join(when.items_in_scope)
                + ") is marked not applicable"
            )
    if unmet:
        return Proposal(clause, False, "Not proposed because " + _and(unmet))
    return Proposal(clause, True, "Proposed because " + _and(met))


def _items_phrase(items: list[str]) -> str:
    """ "Play 13 item p13.c3 is in scope", "Play 3 items p03.c1 and p03.c2 are in scope"."""
    shown, rest = items[:4], len(items) - 4
    by_play: dict[int, list[str]] = {}
    for item in shown:
        by_play.setdefault(int(item[1:3]), []).append(item)
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


# ------------------------------------------------------------------ deviations


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
