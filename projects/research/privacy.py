"""The privacy guard: text that looks like it holds personal data about participants."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Order matters: a Social Security number is tested before the looser phone pattern, and
# text already matched is not reported twice.
PATTERNS = (
    (
        "an email address",
        re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    ),
    (
        "a number shaped like a Social Security number",
        re.compile(r"(?<![\d-])\d{3}([- ]?)\d{2}\1\d{4}(?![\d-])"),
    ),
    (
        "a phone number",
        re.compile(
            r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w-])"
            r"|(?<![\w+])\+\d{1,3}[\s.-]?\d(?:[\s.-]?\d){6,12}(?!\w)"
        ),
    ),
)


@dataclass(frozen=True)
class Flag:
    """Something in a field that looks like personal data."""

    field: str
    kind: str
    text: str


def personal_data(fields: dict[str, str]) -> list[Flag]:
    """Everything that looks like personal data, field by field, in the order given."""
    found: list[Flag] = []
    for name, value in fields.items():
        text = value or ""
        taken: list[tuple[int, int]] = []
        for kind, pattern in PATTERNS:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                found.append(Flag(name, kind, match.group(0).strip()))
    return found
