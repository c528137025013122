"""Load and validate a survey edition: the public feedback form's questions, one 5-point
agreement question per OMB Circular A-11 Section 280 driver, in every language the form
offers, with the scale's labels.

A survey edition is a TOML file, like a playbook edition (playbook/edition.py). Answers are
stored by driver key (`satisfaction`, `trust`, ...), so a survey can be reworded or replaced
without losing any response or figure.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from playbook.edition import EditionError, Problem
from playbook.measures import DRIVERS, SCALE

DEFAULT_SURVEY = Path(__file__).parent / "data" / "survey.toml"
LANGUAGES = ("en", "es")  # the form's languages: every survey edition words each of them
MAX_QUESTION_LENGTH = 300


@dataclass(frozen=True)
class Question:
    id: str
    driver: str  # an A-11 driver key (playbook.measures.DRIVERS)
    text: dict[str, str]  # language -> wording

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass(frozen=True)
class Survey:
    name: str
    title: str
    questions: tuple[Question, ...]
    scale: dict[str, tuple[str, ...]]  # language -> the labels of 1 .. 5

    def __hash__(self) -> int:
        return hash(self.name)

    def labels(self, language: str) -> list[tuple[int, str]]:
        """(score, label) pairs, lowest first, in `language`."""
        return list(zip(SCALE, self.scale[language], strict=True))


def load_survey_file(path: str | Path) -> Survey:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EditionError([Problem(f"{path} does not exist")]) from None
    except UnicodeDecodeError:
        raise EditionError([Problem(f"{path} is not UTF-8 text")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise EditionError([Problem(f"{path} is not valid TOML: {error}")]) from None
    return survey_from_dict(data)


@cache
def default_survey() -> Survey:
    return load_survey_file(DEFAULT_SURVEY)


def survey_from_dict(data: dict) -> Survey:
    """Validate a decoded survey edition, or raise EditionError naming every problem."""
    problems: list[Problem] = []

    def wording(table: dict, where: str) -> dict[str, str]:
        words = {}
        for language in LANGUAGES:
            value = table.get(language)
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem(f"{where} needs its wording in `{language}`"))
            elif len(value) > MAX_QUESTION_LENGTH:
                problems.append(
                    Problem(f"{where}: keep `{language}` to {MAX_QUESTION_LENGTH} characters")
                )
            else:
                words[language] = value.strip()
        return words

    name = data.get("survey")
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem("the file needs a `survey` name at the top"))
        name = ""
    scale_data = data.get("scale")
    scale: dict[str, tuple[str, ...]] = {}
    if not isinstance(scale_data, dict):
        problems.append(Problem("the file has no `[scale]` table of answer labels"))
        scale_data = {}
    for language in LANGUAGES:
        labels = scale_data.get(language)
        if (
            not isinstance(labels, list)
            or len(labels) != len(SCALE)
            or not all(isinstance(label, str) and label.strip() for label in labels)
        ):
            problems.append(
                Problem(f"`scale.{language}` must list {len(SCALE)} labels, lowest first")
            )
        else:
            scale[language] = tuple(label.strip() for label in labels)

    entries = data.get("questions")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(Problem("the file has no `[[questions]]` list"))
        entries = []
    questions, ids, drivers = [], set(), set()
    for position, entry in enumerate(entries, start=1):
        question_id = entry.get("id")
        where = f"question {position}"
        if not isinstance(question_id, str) or not question_id.isidentifier():
            problems.append(Problem(f"{where} needs an `id` of letters and digits, like q1"))
            continue
        if question_id in ids:
            problems.append(Problem(f"{where}: the id {question_id} is used twice"))
        ids.add(question_id)
        driver = entry.get("driver")
        if driver not in DRIVERS:
            problems.append(
                Problem(
                    f"{where} ({question_id}): driver {driver!r} is not one of "
                    + ", ".join(DRIVERS)
                )
            )
            continue
        if driver in drivers:
            problems.append(Problem(f"{where} ({question_id}): driver {driver} is asked twice"))
        drivers.add(driver)
        questions.append(Question(question_id, driver, wording(entry, where)))
    if not questions and not any("questions" in p.message for p in problems):
        problems.append(Problem("a survey needs at least one question"))
    if problems:
        raise EditionError(problems)
    return Survey(
        name=name.strip(),
        title=str(data.get("title", name)).strip(),
        questions=tuple(questions),
        scale=scale,
    )
