"""The privacy guard: text that looks like it holds personal data about participants."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Order matters: a Social Security number is tested before the looser phone pattern, and
# text already matched is not reported twice.
#
# Every pattern does work in proportion to the text's length: each repeat is bounded (an email
# address has at most 64 characters before the @ and 63 in a label of its domain), so one
# attempt reads a bounded stretch of text, and nested repeats are separated by a character
# the inner one cannot match, so an attempt never tries the same text several ways. The email
# pattern also starts only where a run of address characters starts (the lookbehind), so a
# long run costs one attempt, not one per character. tests/research/test_privacy.py checks
# this shape, so a pattern that would cost quadratic time fails the tests, not a worker.
PATTERNS = (
    (
        "an email address",
        re.compile(
            r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}"
            r"@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,6}\.[A-Za-z]{2,63}"
        ),
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
