"""Detecting concurrent edits: a three-way comparison of what a form started from, what the
person submitted and what is saved now. Nothing is silently overwritten."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field


def _digest(value: object) -> str:
    text = "" if value is None else str(value)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprint(values: dict) -> str:
    """What the form started from, sent back in a hidden field (hashes, not the values)."""
    return json.dumps({k: _digest(v) for k, v in sorted(values.items())}, separators=(",", ":"))


@dataclass
class Merge:
    changes: dict = field(default_factory=dict)  # field -> the person's new value
    conflicts: dict = field(default_factory=dict)  # field -> (theirs saved now, the person's)


def merge(original: str | None, submitted: dict, current: dict, same_version: bool) -> Merge:
    """Work out what to save.

    Same version: nobody saved in between, so every changed field is the person's change.
    Otherwise a field the person changed that someone else also changed is a conflict; a
    field only the other person changed keeps their value.
    """
    result = Merge()
    try:
        started = json.loads(original or "")
        if not isinstance(started, dict):
            raise ValueError
    except ValueError:
        started = None  # no usable starting point: treat every difference as a conflict
    for key, mine in submitted.items():
        saved = current.get(key)
        if _digest(mine) == _digest(saved):
            continue
        if same_version:
            result.changes[key] = mine
            continue
        i_changed = started is None or started.get(key) != _digest(mine)
        they_changed = started is None or started.get(key) != _digest(saved)
        if i_changed and they_changed:
            result.conflicts[key] = (saved, mine)
        elif i_changed:
            result.changes[key] = mine
    return result
