"""Figures from and to CSV: every row is checked before anything is written, then all rows
are recorded or none (the same rules as the findings import)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from playbook import measures as catalog
from projects.measures.models import ANSWERS, Measure, MeasureValue
from projects.research.csv_import import ImportRefused, decode
from projects.spreadsheets import FORMULA_STARTS

MAX_ROWS = 5000
COLUMNS = ("measure", "period", "value", *ANSWERS, "offered", "customers")
REQUIRED = ("measure", "period")
MOST_COUNT = 1_000_000_000


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it: the headings are row 1
    measure: Measure | None = None
    period: str = ""
    values: dict = field(default_factory=dict)
    replaces: MeasureValue | None = None  # the period's figures saved now, when there are
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)


@dataclass
class Checked:
    rows: list[Row]

    @property
    def problem_rows(self) -> list[Row]:
        return [r for r in self.rows if r.problems]


def _heading(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _cell(text: str) -> str:
    text = text.strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]  # our own export's guard against formulas
    return text


def text_of(data: bytes) -> str:
    """The uploaded bytes as text (UTF-8, with or without a byte order mark)."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportRefused("The file is empty. Add a row of column headings and your figures.")
    return decode(data)


def read(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The column names and the non-blank rows; raises ImportRefused for a file that cannot be
    imported at all."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None) or []
        rows = []
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
            if len(rows) > MAX_ROWS:
                raise ImportRefused(
                    f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files."
                )
    except csv.Error as error:
        raise ImportRefused(
            f"The file could not be read as CSV near line {reader.line_num} ({error}). "
            "Check that every quotation mark is paired, then upload it again."
        ) from error
    names = [_heading(h) for h in header]
    if len(names) == 1 and (";" in header[0] or "\t" in header[0]):
        raise ImportRefused(
            "The columns are separated by semicolons or tabs. Save the file as “CSV UTF-8 "
            "(comma delimited)” and upload it again."
        )
    problems = []
    unknown = [h.strip() for h, n in zip(header, names, strict=True) if n not in COLUMNS]
    if unknown:
        problems.append(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"Use only these columns: {', '.join(COLUMNS)}."
        )
    twice = sorted({n for n in names if n and names.count(n) > 1})
    if twice:
        problems.append(f"These columns appear more than once: {', '.join(twice)}.")
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        problems.append(f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}.")
    if problems:
        raise ImportRefused(*problems)
    if not rows:
        raise ImportRefused("The file has column headings but no figures below them.")
    return names, rows


def _number(text: str, column: str, row: Row) -> float | None:
    cleaned = text.replace(",", "").removesuffix("%").removeprefix("$").strip()
    if not cleaned:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        row.problems.append((column, f"“{text[:40]}” is not a number"))
        return None
    return number


def _whole(text: str, column: str, row: Row) -> int | None:
    cleaned = text.replace(",", "").strip()
    if not cleaned:
        return None
    if not cleaned.isascii() or not cleaned.isdigit() or int(cleaned) > MOST_COUNT:
        row.problems.append(
            (column, f"“{text[:40]}” is not a whole number from 0 to 1,000,000,000")
        )
        return None
    return int(cleaned)


def check(project, text: str, today: date) -> Checked:
    """Every row checked against the project's measures; nothing written."""
    names, records = read(text)
    measures = {m.key: m for m in Measure.select().where(Measure.project == project)}
    by_name = {m.name.strip().lower(): m for m in measures.values()}
    seen: dict[tuple[str, str], int] = {}
    rows = []
    for number, cells in records:
        row = Row(number)
        padded = cells + [""] * (len(names) - len(cells))
        got = {n: _cell(c) for n, c in zip(names, padded, strict=False)}
        if any(c.strip() for c in cells[len(names) :]):
            row.problems.append(("", "This row has more cells than there are column headings"))
        wanted = got.get("measure", "")
        row.measure = measures.get(wanted.lower()) or by_name.get(wanted.lower())
        if row.measure is None:
            keys = ", ".join(sorted(measures)) or "none yet: add measures first"
            row.problems.append(
                ("measure", f"“{wanted[:60]}” is not a measure of this project. Use: {keys}")
            )
            rows.append(row)
            continue
        measure = row.measure
        problem = catalog.period_problem(got.get("period", ""), measure.period_kind, today)
        if problem:
            row.problems.append(("period", problem))
        else:
            row.period = catalog.normal_period(got["period"], measure.period_kind)
            first = seen.setdefault((measure.key, row.period), number)
            if first != number:
                row.problems.append(
                    ("period", f"Row {first} already gives {measure.key} for {row.period}")
                )
        value = _number(got.get("value", ""), "value", row)
        answers = [_whole(got.get(c, ""), c, row) for c in ANSWERS]
        counts = {c: _whole(got.get(c, ""), c, row) for c in ("offered", "customers")}
        given = any(a is not None for a in answers)
        if given and not measure.driver:
            row.problems.append(
                ("answers_1", f"{measure.key} is not an A-11 driver: give a value, not answers")
            )
        elif given:
            answers = [a or 0 for a in answers]
            if not sum(answers):
                row.problems.append(("answers_1", "The answers add up to 0"))
            row.values["answers"] = answers
        elif value is None:
            row.problems.append(
                ("value", "Give a value" + (" or answers" if measure.driver else ""))
            )
        if not given and value is not None:
            problem = catalog.value_problem(value, measure.unit)
            if problem:
                row.problems.append(("value", problem))
            row.values["value"] = value
        row.values.update(counts)
        rows.append(row)
    _saved_now(rows)
    return Checked(rows)


def _saved_now(rows: list[Row]) -> None:
    """Point each good row at the figures its period has now (one query)."""
    wanted = [(r.measure.id, r.period) for r in rows if r.measure and r.period]
    if not wanted:
        return
    ids = sorted({m for m, _ in wanted})
    saved = {
        (v.measure_id, v.period): v
        for v in MeasureValue.select().where(MeasureValue.measure.in_(ids))
    }
    for row in rows:
        if row.measure and row.period:
            row.replaces = saved.get((row.measure.id, row.period))


def export_rows(project) -> list[list[object]]:
    """Every figure of the project in COLUMNS order, by measure then period."""
    query = (
        MeasureValue.select(MeasureValue, Measure)
        .join(Measure)
        .where(Measure.project == project)
        .order_by(Measure.position, Measure.id, MeasureValue.period)
    )
    rows = []
    for v in query:
        driver = bool(v.measure.driver) and any(v.answers)
        rows.append(
            [
                v.measure.key,
                v.period,
                "" if v.value is None else round(v.value, 4),
                *(v.answers if driver else ("",) * 5),
                "" if v.offered is None else v.offered,
                "" if v.customers is None else v.customers,
            ]
        )
    return rows
