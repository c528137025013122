"""The sandbox clause texts run in: checking a text, filling it in with the answers and
splitting the result into paragraphs and lists.

Templates run in an immutable sandbox with StrictUndefined, no globals, a short allow-list of
filters and no attribute or item access, so a clause written by a person can only fill in
answers, never reach Python.

Filling a clause in also has a budget, because a short text can still ask for a lot of work:
three nested `{% for %}` loops over long strings take minutes, and `{% set a = a ~ a %}`
twenty times builds a value of hundreds of megabytes. Limits on the text alone cannot catch
this (the work depends on the answers), and a timer would make the outcome depend on how busy
the machine is. So the budget is counted, not timed: before a text is compiled, its syntax
tree is rewritten so that every place where work can multiply goes through a meter:

- each `{% for %}` iterable is wrapped, and every item it hands out costs as many steps as
  the loop body has template nodes (nested loops multiply, as their work does);
- every piece of output (`{{ ... }}` and the text between tags, also inside `{% set %}` and
  `{% filter %}` blocks), every `~` join, every `+` and every filter call counts the
  characters it writes, and a join or `+` whose result would pass MAX_OUTPUT is refused
  before it is built;
- the filters' arguments are bounded (`round` to ten places), and joins and output take only
  text and numbers (a list printed or joined could be far larger than its length suggests).

The meters keep their count in a budget object passed in with the answers under a key that
is not a valid template name, so no clause text can read or reset it, and renders on other
threads never share one. Going over the budget stops the render with a ClauseError that says
what is wrong, in the same way as any other mistake in a clause text. Since the budget
depends on the answers, clauses are checked before they are saved by filling them in with
sample answers, among them the longest a package can give (see `check_fills_in`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, meta, nodes, pass_context
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.runtime import Context, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from playbook.contracts.answers import VARIABLES_BY_NAME, sample_answers

MAX_TEXT = 20_000  # characters of template text in one clause
MAX_OUTPUT = 100_000  # characters one rendered clause (or any value in it) may grow to
MAX_STEPS = 100_000  # loop iterations, each weighted by the size of the loop's body
MAX_WRITTEN = 1_000_000  # characters written, joined or filtered while filling one clause in
MAX_ROUND_PLACES = 10


class ClauseError(ValueError):
    """A clause text cannot be rendered; the message says why in plain words."""


class OverBudget(ClauseError):
    """Filling the clause in would take more work than any clause needs."""

    def __init__(self, problem: str, advice: str = ""):
        self.problem, self.advice = problem, advice
        super().__init__(self.message())

    def message(self, context: str = "") -> str:
        return f"{self.problem}{context}." + (f" {self.advice}" if self.advice else "")


SAFE_FILTERS = (
    "capitalize",
    "lower",
    "upper",
    "title",
    "trim",
    "length",
    "abs",
    "round",
    "plural",
    "dollars",
)
_TEXT_FILTERS = frozenset({"capitalize", "lower", "upper", "title", "trim"})
_INTERCEPTED = frozenset({"+", "*", "**", "//", "%"})
_BUDGET = "budget:"  # the budget's key among the render's variables: no template can name it
_SCALARS = (str, int, float, bool, type(None))


class _Budget:
    """The work one fill-in has done so far."""

    __slots__ = ("steps", "written")

    def __init__(self):
        self.steps = 0
        self.written = 0

    def step(self, weight: int) -> None:
        self.steps += weight
        if self.steps > MAX_STEPS:
            raise OverBudget(
                "This clause repeats too much: it would take more than "
                f"{MAX_STEPS:,} steps to fill in",
                "Use fewer {% for %} loops, or loops over shorter values.",
            )

    def write(self, characters: int) -> None:
        self.written += characters
        if self.written > MAX_WRITTEN:
            raise OverBudget(
                "This clause grows too long: filling it in would write more than "
                f"{MAX_WRITTEN:,} characters",
                "Repeat and join text fewer times.",
            )

    def value(self, size: int) -> None:
        if size > MAX_OUTPUT:
            raise OverBudget(
                "This clause grows too long: a value in it would be longer than "
                f"{MAX_OUTPUT:,} characters",
                "Repeat and join text fewer times.",
            )
        self.write(size)


def _budget(context: Context) -> _Budget:
    return context.parent[_BUDGET]


def _text(value: Any, what: str) -> str:
    """A value as the text it prints as; lists and the like are refused (see the docstring)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (Undefined, *_SCALARS)):
        return str(value)  # StrictUndefined raises here, naming the missing answer
    raise SecurityError(f"clause texts may {what} only text and numbers")


@pass_context
def _each(context: Context, iterable: Any, weight: int) -> Iterator[Any]:
    budget = _budget(context)
    for item in iterable:
        budget.step(weight)
        yield item


@pass_context
def _print(context: Context, value: Any) -> str:
    text = _text(value, "print")
    _budget(context).write(len(text))
    return text


@pass_context
def _join(context: Context, parts: list[Any]) -> str:
    texts = [_text(part, "join") for part in parts]
    _budget(context).value(sum(len(t) for t in texts))
    return "".join(texts)


def _metered_filter(name: str, original):
    @pass_context
    def metered(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        budget = _budget(context)
        if name in _TEXT_FILTERS:
            value = _text(value, f"use the filter “{name}” on")
        if isinstance(value, str):
            budget.write(len(value))
        if name == "round":
            places = args[0] if args else kwargs.get("precision", 0)
            if not isinstance(places, int) or abs(places) > MAX_ROUND_PLACES:
                raise SecurityError(f"round takes at most {MAX_ROUND_PLACES} places")
        return original(value, *args, **kwargs)

    return metered


def _meter(name: str, node: nodes.Expr, *args: nodes.Expr) -> nodes.Filter:
    return nodes.Filter(node, name, list(args), [], None, None, lineno=node.lineno)


def _size(body: Iterable[nodes.Node | None]) -> int:
    return sum(1 + sum(1 for _ in n.find_all(nodes.Node)) for n in body if n is not None)


class _Metered(NodeTransformer):
    """Rewrites a checked syntax tree so that its loops, output and joins are metered."""

    def visit_For(self, node: nodes.For) -> nodes.For:
        weight = 1 + _size([*node.body, node.test])  # before the meters add nodes of their own
        self.generic_visit(node)
        node.iter = _meter("budget.each", node.iter, nodes.Const(weight))
        return node

    def visit_Output(self, node: nodes.Output) -> nodes.Output:
        self.generic_visit(node)
        node.nodes = [_meter("budget.print", child) for child in node.nodes]
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        self.generic_visit(node)
        return _meter("budget.join", nodes.List(node.nodes, lineno=node.lineno))


def plural(count: Any, singular: str, plural: str | None = None) -> str:
    """`{{ option_periods | plural("option period") }}`: "1 option period", "2 option periods"
    (never "option period(s)"); a third argument gives an irregular plural."""
    if not isinstance(count, int) or isinstance(count, bool):
        raise SecurityError("plural counts whole numbers only")
    if not isinstance(singular, str) or not (plural is None or isinstance(plural, str)):
        raise SecurityError("plural takes the words as text")
    word = singular if count == 1 else (plural if plural is not None else f"{singular}s")
    return f"{count} {word}"


def dollars(amount: Any) -> str:
    """`{{ ceiling_dollars | dollars }}`: "$1,250,000"."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise SecurityError("dollars formats whole numbers only")
    return f"${amount:,}"


_OWN_FILTERS = {"plural": plural, "dollars": dollars}


class ClauseEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox clause texts run in: answers only, no globals, few filters, bounded math
    and a budget of work (see the module docstring)."""

    intercepted_binops = _INTERCEPTED

    def __init__(self):
        super().__init__(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
        self.globals.clear()
        known = self.filters | _OWN_FILTERS
        self.filters = {name: _metered_filter(name, known[name]) for name in SAFE_FILTERS}
        # Names a template cannot spell (a dot), so only the rewritten tree can use them.
        self.filters |= {"budget.each": _each, "budget.print": _print, "budget.join": _join}

    def call_binop(self, context, operator, left, right):
        if operator == "+":
            sized = (str, list, tuple)
            if isinstance(left, sized) and isinstance(right, sized):
                _budget(context).value(len(left) + len(right))
            return left + right
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
    return _fill(_template(text), answers)


def check_fills_in(text: str, answers: Mapping[str, Any] | None = None) -> None:
    """Fill the text in with `answers` when given, then with sample answers (the longest a
    package can give among them), so a clause saved today fits the budget for any package;
    raises ClauseError naming the first problem."""
    check_text(text)
    template = _template(text)
    if answers is not None:
        _fill(template, answers)
    for sample, longest in sample_answers():
        try:
            _fill(template, sample)
        except OverBudget as error:
            context = " with the longest answers a package can give" if longest else ""
            raise ClauseError(error.message(context)) from None


@lru_cache(maxsize=256)
def _template(text: str) -> Template:
    """The checked text compiled with its meters (cached: library texts are filled in often)."""
    tree = _Metered().visit(_parse(text))
    tree.set_environment(_ENV)
    return _ENV.from_string(tree)


def _fill(template: Template, answers: Mapping[str, Any]) -> str:
    try:
        rendered = template.render({**answers, _BUDGET: _Budget()})
    except ClauseError:
        raise
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
