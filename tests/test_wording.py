"""The words people meet: American English for U.S. agencies, and dates written the U.S. way."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from projects.filters import format_date

ROOT = Path(__file__).resolve().parents[1]
BRITISH = re.compile(
    r"\b(licences?|programmes?|colours?|centres?|greys?|catalogues?|labell(?:ed|ing)"
    r"|instalments?|behaviours?|favour\w*|honour\w*|organis\w*|authoris\w*|recognis\w*"
    r"|prioritis\w*|summaris\w*|sanitis\w*|neutralis\w*|analys(?:e|ed|ing)|travell\w*"
    r"|cancell(?:ed|ing)|neighbours?|maths|whilst|judgement|enrolment|tick(?:ed|s)?)\b",
    re.IGNORECASE,
)
# Names other code depends on keep their spelling: the rating key "grey" (CSS classes in the
# page and print styles), the contracts.catalogue module and the print charts' COLOURS.
KEPT_NAMES = re.compile(
    r"grey\"|'grey'|--grey|grey:|\bgrey\b\)|COLOURS"
    r"|catalogue\(|from projects\.contracts\.catalogue import .*"
)
SUFFIXES = (".py", ".html", ".md", ".toml")


def _files() -> list[Path]:
    found = [ROOT / "README.md"]
    for folder in ("templates", "playbook", "projects", "tests"):
        found += sorted(p for p in (ROOT / folder).rglob("*") if p.suffix in SUFFIXES)
    return [p for p in found if p.name != "test_wording.py"]


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_american_english(path):
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = KEPT_NAMES.sub("", line)
        found.extend(f"line {number}: {m.group(0)}" for m in BRITISH.finditer(line))
    assert not found, "British spellings: " + ", ".join(found)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (date(2026, 9, 7), "September 7, 2026"),
        (datetime(2026, 9, 7, 0, 5), "September 7, 2026, 12:05 a.m. UTC"),
        (datetime(2026, 12, 15, 15, 30), "December 15, 2026, 3:30 p.m. UTC"),
        (None, ""),
    ],
)
def test_dates_read_the_us_way(value, shown):
    assert format_date(value) == shown
