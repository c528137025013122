"""The sandbox clause texts run in: checking a text, filling it in with the answers and
splitting the result into paragraphs and lists.

Templates run in an immutable sandbox with StrictUndefined, no globals, a short allow-list of
filters and no attribute or item access, so a clause written by a person can only fill in
answers, never reach Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from playbook.contracts.answers import VARIABLES_BY_NAME

MAX_TEXT = 20_000  # characters of template text in one clause
MAX_OUTPUT = 100_000  # characters one rendered clause may grow to


class ClauseError(ValueError):
    """A clause text cannot be rendered; the message says why in plain words."""


SAFE_FILTERS = ("capitalize", "lower", "upper", "title", "trim", "length", "abs", "round")
_INTERCEPTED = frozenset({"*", "**", "//", "%"})


class ClauseEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox clause texts run in: answers only, no globals, few filters, bounded maths."""

    intercepted_binops = _INTERCEPTED

    def __init__(self):
        super().__init__(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
        self.globals.clear()
        self.filters = {name: self.filters[name] for name in SAFE_FILTERS}

    def call_binop(self, context, operator, left, right):
        # Repetition and powers can build huge values from a short text; clauses never need them.
        raise SecurityError(f"the operator {operator!r} is not allowed in clause texts")


_ENV = ClauseEnvironment()


def _parse(text: str):
    if not isinstance(text, str):
        raise ClauseError("The clause text is missing.")
    if len(text) > MAX_TEXT:
        raise ClauseError(f"The clause text is too long: use {MAX_TEXT:,} characters or fewer.")
    try:
        return _ENV.parse(text)
    except TemplateSyntaxError as error:
        line = f" on line {error.lineno}" if error.lineno else ""
        raise ClauseError(
            f"The clause text has a template mistake{line}: {error.message}. Check that every "
            "{{ opens and closes with }} and every {% if %} has its {% endif %}."
        ) from None


def _refuse_internals(tree, text: str) -> None:
    """Clause texts name answers; they never look inside values or call anything."""
    internal = sorted(
        {n.attr for n in tree.find_all(nodes.Getattr) if n.attr.startswith("_")},
        key=text.find,
    )
    if internal:
        names = ", ".join(f".{name}" for name in internal)
        raise ClauseError(
            f"The clause text tries to reach Python internals ({names}), which clause texts "
            "may not do. Use only the package's answers, for example {{ agency_name }}."
        )
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Call)):
        what = {nodes.Getattr: "a .name", nodes.Getitem: "[...]", nodes.Call: "(...)"}[type(node)]
        raise ClauseError(
            f"The clause text tries to look inside a value or call something ({what}), which "
            "clause texts may not do. Use only the package's answers, for example "
            "{{ agency_name }}."
        )
    for node in tree.find_all(nodes.Filter):
        if node.name not in SAFE_FILTERS:
            raise ClauseError(
                f"The clause text uses the filter “{node.name}”, which clause texts may not use. "
                f"Allowed: {', '.join(SAFE_FILTERS)}."
            )


def used_variables(text: str) -> set[str]:
    """The answer names a clause text uses; ClauseError when it cannot be parsed or is unsafe."""
    tree = _parse(text)
    _refuse_internals(tree, text)
    return set(meta.find_undeclared_variables(tree))


def check_text(text: str, allowed: Iterable[str] | None = None) -> set[str]:
    """Check that a text parses, is safe and uses only known (or `allowed`) answers."""
    allowed = set(VARIABLES_BY_NAME if allowed is None else allowed)
    used = used_variables(text)
    unknown = sorted(used - allowed)
    if unknown:
        names = ", ".join("{{ " + name + " }}" for name in unknown)
        raise ClauseError(
            f"The clause text uses {names}, which {'is' if len(unknown) == 1 else 'are'} not "
            f"one of the package's answers. Answers you can use: "
            + ", ".join(sorted(allowed))
            + "."
        )
    return used


def render_text(text: str, answers: Mapping[str, Any]) -> str:
    """Fill a clause text in with the answers, or raise ClauseError with a plain message."""
    check_text(text)
    try:
        rendered = _ENV.from_string(text).render(dict(answers))
    except SecurityError as error:
        raise ClauseError(
            f"The clause text tries something clause texts may not do ({error}). Use only the "
            "package's answers, for example {{ agency_name }}."
        ) from None
    except UndefinedError as error:
        raise ClauseError(
            f"The clause text uses an answer the package does not have: {error}."
        ) from None
    except Exception as error:  # a person's template: any failure is theirs to fix, not a 500
        raise ClauseError(f"The clause text could not be filled in: {error}.") from None
    if len(rendered) > MAX_OUTPUT:
        raise ClauseError("The clause text grows too long when it is filled in.")
    return rendered.strip()


@dataclass(frozen=True)
class Block:
    """A paragraph, or a bulleted list when `items` is set."""

    text: str = ""
    items: tuple[str, ...] = ()


def blocks(rendered: str) -> list[Block]:
    """Split rendered text into paragraphs (blank lines between) and lists ("- " lines)."""
    result: list[Block] = []
    for chunk in re.split(r"\n\s*\n", rendered.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        run: list[str] = []
        bullet_run = False
        for line in [*lines, None]:
            is_bullet = line is not None and line.startswith("- ")
            if run and (line is None or is_bullet != bullet_run):
                result.append(Block(items=tuple(run)) if bullet_run else Block(text=" ".join(run)))
                run = []
            if line is not None:
                run.append(line[2:].strip() if is_bullet else line)
                bullet_run = is_bullet
    return result
