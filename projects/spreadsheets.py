"""CSV downloads that open safely in Excel: UTF-8 with a BOM, formulas neutralized."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from flask import Response

# Excel and LibreOffice also read the full-width signs (as typed with East Asian keyboards) as
# the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralize(value: object) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The file a line at a time, the BOM first: rows are read only as they are written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for number, row in enumerate(_with_header(header, rows)):
        writer.writerow([neutralize(cell) for cell in row])
        yield ("\ufeff" if number == 0 else "") + buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _with_header(header, rows):
    yield header
    yield from rows


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    return "".join(csv_lines(header, rows))


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[object]], filename: str
) -> Response:
    return Response(
        csv_text(header, rows).encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
