"""Load and validate a playbook edition: the 13 plays, their checklist items and key questions.

An edition is a TOML file. Answers in the database point at the stable ids (`p01.c3`,
`p01.q2`), so an edition can be reworded or replaced without losing anything.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

PHASES = ("discovery", "alpha", "beta", "live")
PLAY_COUNT = 13
DEFAULT_EDITION = Path(__file__).parent / "data" / "plays.toml"

_ID = re.compile(r"p(\d\d)\.([cq])(\d+)")
ITEM, QUESTION = "c", "q"


class ParsedId(NamedTuple):
    """The parts of a stable id: `p04.q2` is play 4, key question (`q`) 2."""

    play: int
    kind: str  # ITEM ("c", a checklist item) or QUESTION ("q", a key question)
    number: int


def parse_id(value: str) -> ParsedId | None:
    """`p01.c3` -> ParsedId(1, "c", 3), `p04.q2` -> ParsedId(4, "q", 2); None if not an id.

    Sorting by it puts p02.c10 after p02.c9."""
    match = _ID.fullmatch(value) if isinstance(value, str) else None
    if not match:
        return None
    return ParsedId(int(match.group(1)), match.group(2), int(match.group(3)))


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    play: int
    text: str
    phase: str
    evidence: str


@dataclass(frozen=True)
class KeyQuestion:
    id: str
    play: int
    text: str


@dataclass(frozen=True)
class Play:
    number: int
    title: str
    description: str
    checklist: tuple[ChecklistItem, ...]
    key_questions: tuple[KeyQuestion, ...]


@dataclass(frozen=True)
class Edition:
    name: str
    title: str
    plays: tuple[Play, ...]

    def play(self, number: int) -> Play | None:
        return next((p for p in self.plays if p.number == number), None)

    @property
    def items(self) -> dict[str, ChecklistItem]:
        return {item.id: item for play in self.plays for item in play.checklist}

    @property
    def questions(self) -> dict[str, KeyQuestion]:
        return {q.id: q for play in self.plays for q in play.key_questions}

    def to_dict(self) -> dict:
        """The edition in the shape `flask playbook export` prints and `import` reads back."""
        return {
            "edition": self.name,
            "title": self.title,
            "plays": [
                {
                    "number": play.number,
                    "title": play.title,
                    "description": play.description,
                    "checklist": [
                        {"id": i.id, "text": i.text, "phase": i.phase, "evidence": i.evidence}
                        for i in play.checklist
                    ],
                    "key_questions": [{"id": q.id, "text": q.text} for q in play.key_questions],
                }
                for play in self.plays
            ],
        }


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an edition file, with the line it is on when that is known."""

    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class EditionError(ValueError):
    """The edition file cannot be used; `problems` names every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def load_edition_file(path: str | Path) -> Edition:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EditionError([Problem(f"{path} does not exist")]) from None
    except UnicodeDecodeError:
        raise EditionError([Problem(f"{path} is not UTF-8 text")]) from None
    return parse_edition(text)


def parse_edition(text: str) -> Edition:
    """Parse TOML text into an Edition, or raise EditionError naming every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib says "... (at line 3, column 5)"; pull the line out for a uniform message.
        match = re.search(r"\(at line (\d+), column \d+\)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise EditionError(
            [Problem(f"not valid TOML: {message}", int(match.group(1)) if match else None)]
        ) from None
    return edition_from_dict(data, _LineFinder(text))


@cache
def default_edition() -> Edition:
    return load_edition_file(DEFAULT_EDITION)


class _LineFinder:
    """Finds the line that mentions a value, so semantic problems point into the file too."""

    def __init__(self, text: str = ""):
        self.lines = text.splitlines()

    def __call__(self, value: object, key: str = "") -> int | None:
        needle = f'"{value}"' if isinstance(value, str) else f"= {value}"
        if key:
            needle = f"{key} {needle}" if not isinstance(value, str) else f"{key} = {needle}"
        for number, line in enumerate(self.lines, start=1):
            if needle in line.replace("  ", " "):
                return number
        return None


def edition_from_dict(data: dict, line_of: _LineFinder | None = None) -> Edition:
    """Validate a decoded edition (TOML or exported JSON) into frozen dataclasses."""
    line_of = line_of or _LineFinder()
    problems: list[Problem] = []
    seen: set[str] = set()

    def text_field(table: dict, key: str, where: str, anchor: object) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(f"{where} needs a non-empty `{key}`", line_of(anchor)))
            return ""
        return value.strip()

    name = data.get("edition")
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem("the file needs an `edition` name at the top"))
        name = ""
    plays_data = data.get("plays")
    if not isinstance(plays_data, list):
        problems.append(Problem("the file has no `plays` list"))
        plays_data = []
    elif len(plays_data) != PLAY_COUNT:
        problems.append(
            Problem(f"an edition has {PLAY_COUNT} plays; this one has {len(plays_data)}")
        )

    plays = []
    for position, play_data in enumerate(plays_data, start=1):
        if not isinstance(play_data, dict):
            problems.append(Problem(f"play {position} is not a table"))
            continue
        number = play_data.get("number")
        if number != position:
            problems.append(
                Problem(
                    f"play {position} has number {number!r}; "
                    f"plays are numbered 1 to {PLAY_COUNT} in order",
                    line_of(number, "number"),
                )
            )
        where = f"play {position}"
        title = text_field(play_data, "title", where, position)
        description = play_data.get("description", "")
        if not isinstance(description, str):
            problems.append(Problem(f"{where}: `description` must be text", line_of(position)))
            description = ""

        items = []
        for entry in _entries(play_data, "checklist", where, problems):
            item_id = entry.get("id")
            if not _id_ok(
                item_id, ITEM, position, "checklist item", where, seen, problems, line_of
            ):
                continue
            item_where = f"{where}, item {item_id}"
            phase = entry.get("phase")
            if phase not in PHASES:
                problems.append(
                    Problem(
                        f"{item_where}: phase {phase!r} is not one of {', '.join(PHASES)}",
                        line_of(phase, "phase") if isinstance(phase, str) else line_of(item_id),
                    )
                )
            items.append(
                ChecklistItem(
                    id=item_id,
                    play=position,
                    text=text_field(entry, "text", item_where, item_id),
                    phase=phase if phase in PHASES else PHASES[0],
                    evidence=(entry.get("evidence") or "").strip(),
                )
            )
        if not items:
            problems.append(Problem(f"{where} has no checklist items", line_of(position)))

        questions = []
        for entry in _entries(play_data, "key_questions", where, problems):
            question_id = entry.get("id")
            if not _id_ok(
                question_id, QUESTION, position, "key question", where, seen, problems, line_of
            ):
                continue
            questions.append(
                KeyQuestion(
                    id=question_id,
                    play=position,
                    text=text_field(entry, "text", f"{where}, question {question_id}", question_id),
                )
            )

        plays.append(Play(position, title, description.strip(), tuple(items), tuple(questions)))

    if problems:
        raise EditionError(problems)
    return Edition(
        name=name.strip(), title=str(data.get("title", name)).strip(), plays=tuple(plays)
    )


def _entries(play_data: dict, key: str, where: str, problems: list[Problem]) -> list[dict]:
    entries = play_data.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(Problem(f"{where}: `{key}` must be a list of tables"))
        return []
    return entries


def _id_ok(value, letter, play, kind, where, seen, problems, line_of) -> bool:
    parsed = parse_id(value)
    if parsed is None or parsed.kind != letter:
        problems.append(
            Problem(
                f"{where}: {kind} id {value!r} is not of the form "
                f"{'p01.c1' if kind.startswith('checklist') else 'p01.q1'}",
                line_of(value),
            )
        )
        return False
    if parsed.play != play:
        problems.append(Problem(f"{where}: {kind} {value} belongs to another play", line_of(value)))
        return False
    if value in seen:
        problems.append(Problem(f"{where}: the id {value} is used twice", line_of(value)))
        return False
    seen.add(value)
    return True
