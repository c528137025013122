"""Findings from and to CSV: read a team's spreadsheet, check every row before anything is
written, and export a project's findings in the same columns."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from playbook.edition import Edition
from projects.research.forms import GUARDED, FindingForm
from projects.research.models import METHODS, SEVERITIES, STATUSES, Finding
from projects.spreadsheets import FORMULA_STARTS

MAX_ROWS = 2000
# The columns, in the order the export writes them. `date` is the form's research date.
COLUMNS = (
    "title",
    "insight",
    "method",
    "date",
    "participants",
    "user_groups",
    "severity",
    "confidence",
    "status",
    "status_reason",
    "recommendation",
    "evidence_links",
    "tags",
    "plays",
    "items",
)
REQUIRED = ("title", "insight", "method", "date", "severity")
FORM_FIELD = {"date": "research_date"}
COLUMN_OF = {v: k for k, v in FORM_FIELD.items()}
CHOICES = {"method": METHODS, "severity": SEVERITIES, "status": STATUSES}


class ImportRefused(ValueError):
    """The file as a whole cannot be read; `messages` say why, for people."""

    def __init__(self, *messages: str):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


@dataclass
class Row:
    number: int  # the row as a spreadsheet numbers it: the headings are row 1
    cells: dict[str, str]
    values: dict | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    flags: list[tuple[str, str]] = field(default_factory=list)  # possible personal data


@dataclass
class Preview:
    rows: list[Row]

    @property
    def problem_rows(self) -> list[Row]:
        return [r for r in self.rows if r.problems]

    @property
    def flagged_rows(self) -> list[Row]:
        return [r for r in self.rows if r.flags]

    @property
    def problem_count(self) -> int:
        return sum(len(r.problems) for r in self.rows)


def decode(data: bytes) -> str:
    """The uploaded bytes as text: UTF-8, with or without a byte order mark."""
    if not data.strip(b" \t\r\n") or data.strip(b" \t\r\n") == b"\xef\xbb\xbf":
        raise ImportRefused("The file is empty. Add a row of column headings and your findings.")
    if data.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            "This looks like an Excel workbook, not a CSV file. In your spreadsheet, choose "
            "Save As or Download, pick “CSV UTF-8”, and upload that file."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(
            "The file is saved as UTF-16 (“Unicode text”). Save it as “CSV UTF-8” and upload "
            "it again."
        )
    if b"\x00" in data:
        raise ImportRefused("This is not a CSV file: it holds binary data, not text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            f"The file is not saved as UTF-8: line {line} has characters in another encoding. "
            "In your spreadsheet, save it as “CSV UTF-8” and upload it again."
        ) from error


def _heading(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _records(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        rows = []
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
            if len(rows) > MAX_ROWS:
                # Count the rest cheaply, so the message can say how many rows there are.
                rows.extend((0, []) for c in reader if any(x.strip() for x in c))
                break
    except csv.Error as error:
        raise ImportRefused(
            f"The file could not be read as CSV near line {reader.line_num} ({error}). "
            "Check that every quotation mark is paired, then upload it again."
        ) from error
    if not header or not any(h.strip() for h in header):
        raise ImportRefused("The file is empty. Add a row of column headings and your findings.")
    return header, rows


def _check_header(header: list[str]) -> list[str]:
    names = [_heading(h) for h in header]
    problems = []
    if len(names) == 1 and (";" in header[0] or "\t" in header[0]):
        raise ImportRefused(
            "The columns are separated by semicolons or tabs. Save the file as “CSV UTF-8 "
            "(comma delimited)” and upload it again."
        )
    blank = [str(i + 1) for i, n in enumerate(names) if not n]
    if blank:
        problems.append(f"Column {', '.join(blank)} has no heading. Give every column a heading.")
    unknown = [h.strip() for h, n in zip(header, names, strict=True) if n and n not in COLUMNS]
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
        problems.append(
            f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
            f"Every file needs: {', '.join(REQUIRED)}."
        )
    if problems:
        raise ImportRefused(*problems)
    return names


def _unneutralize(value: str) -> str:
    """Undo the apostrophe our export puts before a cell that could run as a formula."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _choice(column: str, value: str) -> tuple[str | None, str | None]:
    """A list value given by its code or its label, in any case -> (code, problem)."""
    options = CHOICES[column]
    wanted = _heading(value.replace("\u2019", "'").replace("'", ""))
    for code, label in options.items():
        if wanted in (code.replace("'", ""), _heading(label.replace("'", ""))):
            return code, None
    allowed = ", ".join(label.lower() for label in options.values())
    return None, f"“{value}” is not a {column} this tracker knows. Use one of: {allowed}"


def _plays(value: str, edition: Edition) -> tuple[list[str], list[str]]:
    plays, wrong = [], []
    for part in re.split(r"[;,\s]+", value.strip()):
        if not part:
            continue
        match = re.fullmatch(r"(?:play|p)?0*(\d{1,2})", part.lower())
        (plays if match and edition.play(int(match.group(1))) else wrong).append(
            match.group(1) if match else part
        )
    return plays, wrong


def _row(number: int, names: list[str], cells: list[str], edition: Edition) -> Row:
    padded = cells + [""] * (len(names) - len(cells))
    row = Row(number, {n: _unneutralize(c.strip()) for n, c in zip(names, padded, strict=False)})
    if any(c.strip() for c in cells[len(names) :]):
        row.problems.append(("", "This row has more cells than there are column headings"))
    data = MultiDict()
    for column in COLUMNS:
        value = row.cells.get(column, "")
        if column in CHOICES and value:
            code, problem = _choice(column, value)
            if problem:
                row.problems.append((column, problem))
            value = code or ""
        elif column == "status" and not value:
            value = "open"
        elif column == "confidence" and not value:
            value = "1"
        if column == "plays":
            plays, wrong = _plays(value, edition)
            if wrong:
                last = len(edition.plays)
                row.problems.append(
                    (column, f"Plays are numbers from 1 to {last}, not {', '.join(wrong)}")
                )
            for play in plays:
                data.add("plays", play)
        elif column == "items":
            for item in re.split(r"[;,\s]+", value.strip().lower()):
                if item:
                    data.add("items", item)
        else:
            data.add(FORM_FIELD.get(column, column), value)
    data.add("privacy_confirmed", "y")  # flags are collected below, not refused
    form = FindingForm(
        formdata=data, meta={"csrf": False, "every_field_required": False}, edition=edition
    )
    valid = form.validate()
    reported = {column for column, _ in row.problems}
    for name, messages in form.errors.items():
        column = COLUMN_OF.get(name, name)
        if column not in reported:
            row.problems.extend((column, m) for m in messages if isinstance(m, str))
    row.flags = [
        (f.field, f"{GUARDED[f.field]} may hold {f.kind}: “{f.text}”") for f in form.privacy_flags
    ]
    if valid and not row.problems:
        row.values = form.values()
    return row


def read(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The column names and the non-blank rows; raises ImportRefused when the file as a whole
    cannot be imported (not CSV, headings, no rows, too many rows)."""
    header, records = _records(text)
    names = _check_header(header)
    if not records:
        raise ImportRefused(
            "The file has column headings but no findings below them. Add one finding per row."
        )
    if len(records) > MAX_ROWS:
        raise ImportRefused(
            f"The file has {len(records):,} findings; one file can hold at most {MAX_ROWS:,}. "
            f"Split it into files of {MAX_ROWS:,} rows or fewer and upload them one at a time."
        )
    return names, records


def preview(text: str, edition: Edition) -> Preview:
    """Every row checked, nothing written; raises ImportRefused like `read`."""
    names, records = read(text)
    return Preview([_row(n, names, cells, edition) for n, cells in records])


def export_rows(findings: list[Finding]) -> list[list[object]]:
    """One row per finding in COLUMNS order; `attach_links` must have run on them."""
    return [
        [
            f.title,
            f.insight,
            f.method_label,
            f.research_date.isoformat(),
            "" if f.participants is None else f.participants,
            f.user_groups,
            f.severity_label,
            f.confidence,
            f.status_label,
            f.status_reason,
            f.recommendation,
            " ".join(f.links),
            "; ".join(f.tags),
            "; ".join(str(p) for p in f.plays),
            "; ".join(f.items),
        ]
        for f in findings
    ]
