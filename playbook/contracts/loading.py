"""Reading a clause file: TOML in, every clause checked against the edition and the answers,
a frozen Library out (or every problem named)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from playbook.contracts.answers import CHOICE_VARIABLES, VARIABLES_BY_NAME
from playbook.contracts.library import (
    CLAUSE_ID,
    DEFAULT_LIBRARY,
    PARTS,
    PROPOSALS,
    SECTIONS,
    TOPICS,
    Clause,
    Conditions,
    Library,
    LibraryError,
    QaspRow,
    Reference,
    Source,
)
from playbook.contracts.sandbox import ClauseError, used_variables
from playbook.edition import PHASES, Edition, Problem, default_edition


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

    references = []
    raw_references = entry.get("references", [])
    if not isinstance(raw_references, list):
        problems.append(f"{where}: `references` must be a list of clauses")
        raw_references = []
    for number, ref in enumerate(raw_references, start=1):
        reference = _reference(ref) if isinstance(ref, dict) else None
        if reference is None:
            problems.append(
                f"{where}: reference {number} needs a `number` and a `title`, and its "
                "`contract_types` must list contract types"
            )
        else:
            references.append(reference)
    part = entry.get("part", "")
    if part != "" and (not isinstance(part, str) or len(part) != 1 or part not in PARTS):
        problems.append(f"{where}: part {part!r} is not a solicitation part from B to M")
        part = ""

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
            references=tuple(references),
            part=part,
        ),
        [],
    )


def _reference(raw: Mapping[str, Any]) -> Reference | None:
    number, title = raw.get("number"), raw.get("title")
    types = raw.get("contract_types", [])
    allowed = dict(VARIABLES_BY_NAME["contract_type"].choices)
    if (
        set(raw) - {"number", "title", "contract_types"}
        or not (isinstance(number, str) and number.strip())
        or not (isinstance(title, str) and title.strip())
        or not isinstance(types, list)
        or any(t not in allowed for t in types)
    ):
        return None
    return Reference(number.strip(), title.strip(), tuple(types))


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
