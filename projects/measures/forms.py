"""Forms for adding and editing measures, entering a period's figures, importing a CSV of
figures and creating API tokens."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields import FloatField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from playbook import measures as catalog
from projects.fields import Form, Versioned, choices, csv_file
from projects.measures.models import ANSWERS
from projects.research.forms import WholeNumberField

MOST_COUNT = 1_000_000_000  # people, transactions or answers in one period


class NumberField(FloatField):
    """A decimal number, written for people: "1,234.5" and "82%" are read, text is refused
    with a message; "NaN" and "inf" are not numbers."""

    def __init__(self, *args, invalid: str = "Enter a number, like 82.5", **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = str(valuelist[0]).strip().replace(",", "").removesuffix("%").removeprefix("$")
        if not text:
            self.data = None
            return
        try:
            number = float(text)
        except ValueError as error:
            self.data = None
            raise ValueError(self.invalid) from error
        if number != number or number in (float("inf"), float("-inf")):
            self.data = None
            raise ValueError(self.invalid)
        self.data = number

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        # The shortest text that reads back as exactly the saved number (82.5, not 82.500000).
        return str(self.data).removesuffix(".0")


def _count(label: str, invalid: str) -> WholeNumberField:
    return WholeNumberField(
        label,
        invalid=invalid,
        validators=[
            Optional(),
            NumberRange(0, MOST_COUNT, "Enter a whole number from 0 to 1,000,000,000"),
        ],
    )


CUSTOM = ""


class MeasureForm(Form):
    """Add a measure: one from the catalog (its name, unit and direction are filled in) or
    a custom one."""

    kind = SelectField(
        "Measure",
        description="Pick one the playbook and OMB Circular A-11 ask for, or your own.",
        validators=[Optional()],
    )
    name = StringField(
        "Name (for your own measure)",
        description="Leave it blank to use the catalog's name.",
        validators=[Optional(), Length(max=200, message="Use 200 characters or fewer")],
    )
    unit = SelectField(
        "Unit (for your own measure)",
        choices=choices(catalog.UNITS),
        validators=[InputRequired("Choose a unit")],
    )
    direction = SelectField(
        "Which way is better (for your own measure)",
        choices=choices(catalog.DIRECTIONS),
        validators=[InputRequired("Choose which way is better")],
    )
    period_kind = SelectField(
        "Figures per",
        choices=choices(catalog.PERIOD_KINDS),
        validators=[InputRequired("Choose month or quarter")],
    )
    target = NumberField("Target (optional)", validators=[Optional()])

    def __init__(self, *args, taken: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = set(taken)
        self.kind.choices = choices(
            [(CUSTOM, "My own measure")]
            + [(k, m.name) for k, m in catalog.CATALOG.items() if k not in taken]
        )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        kind = catalog.CATALOG.get(self.kind.data or "")
        name = (self.name.data or "").strip()
        if not kind and not name:
            self.name.errors.append("Enter a name for your measure, or pick one from the list")
            valid = False
        elif not kind and self.key() in self.taken:
            self.name.errors.append("The project already has a measure with this name")
            valid = False
        unit = kind.unit if kind else self.unit.data
        problem = catalog.value_problem(self.target.data, unit)
        if problem:
            self.target.errors.append(problem)
            valid = False
        return valid

    def key(self) -> str:
        if self.kind.data in catalog.CATALOG:
            return self.kind.data
        return catalog.slug_key(self.name.data or "")

    def values(self) -> dict:
        kind = catalog.CATALOG.get(self.kind.data or "")
        return {
            "key": self.key(),
            "name": (self.name.data or "").strip() or (kind.name if kind else ""),
            "description": kind.description if kind else "",
            "unit": kind.unit if kind else self.unit.data,
            "direction": kind.direction if kind else self.direction.data,
            "period_kind": catalog.QUARTER if kind and kind.driver else self.period_kind.data,
            "target": self.target.data,
        }


class MeasureEditForm(Versioned, Form):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter a name"),
            Length(max=200, message="Use 200 characters or fewer"),
        ],
    )
    description = TextAreaField(
        "What it measures (optional)",
        validators=[Optional(), Length(max=2000, message="Use 2,000 characters or fewer")],
    )
    target = NumberField("Target (optional)", validators=[Optional()])

    def __init__(self, *args, unit: str = catalog.PERCENT, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    def validate_target(self, field):
        problem = catalog.value_problem(field.data, self.unit)
        if problem:
            raise ValueError(problem)

    def values(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "description": (self.description.data or "").strip(),
            "target": self.target.data,
        }


class ValueForm(Versioned, Form):
    """A period's figures. For an A-11 driver, the count of each answer gives the share
    agreeing; without them, the share can be typed."""

    value = NumberField("Value", validators=[Optional()])
    answers_5 = _count("Strongly agree (5)", "Enter how many answered 5 as a whole number")
    answers_4 = _count("Agree (4)", "Enter how many answered 4 as a whole number")
    answers_3 = _count("Neither (3)", "Enter how many answered 3 as a whole number")
    answers_2 = _count("Disagree (2)", "Enter how many answered 2 as a whole number")
    answers_1 = _count("Strongly disagree (1)", "Enter how many answered 1 as a whole number")
    offered = _count(
        "Offered the survey (optional)", "Enter how many were offered it as a whole number"
    )
    customers = _count("Customers or transactions (optional)", "Enter the number as a whole number")

    def __init__(self, *args, measure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        if not measure.driver:  # only drivers have a distribution of answers
            for name in ANSWERS:
                del self[name]
        self.value.label.text = f"Value ({catalog.UNITS.get(measure.unit, '').lower()})"

    def answers(self) -> list[int] | None:
        """A driver's counts; [] when none were typed (the share is typed instead)."""
        if not self.measure.driver:
            return None
        counts = [getattr(self, name).data for name in ANSWERS]
        return [] if all(c is None for c in counts) else [c or 0 for c in counts]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        answers = self.answers()
        if answers and not sum(answers):
            self.answers_5.errors.append("Enter how many gave each answer, or leave them all blank")
            return False
        if not answers and self.value.data is None:
            self.value.errors.append("Enter the value for this period")
            return False
        problem = catalog.value_problem(self.value.data, self.measure.unit)
        if not answers and problem:
            self.value.errors.append(problem)
            return False
        return valid

    def values(self) -> dict:
        answers = self.answers()
        return {
            "value": None if answers else self.value.data,
            "answers": answers,
            "offered": self.offered.data,
            "customers": self.customers.data,
        }


class ImportForm(Form):
    file = csv_file("A .csv file saved as UTF-8, one figure per row, up to 2 MB.")


class TokenForm(Form):
    name = StringField(
        "Name",
        description="What uses it, so you know which to revoke: for example, Nightly export.",
        validators=[
            DataRequired("Enter a name for the token"),
            Length(max=100, message="Use 100 characters or fewer"),
        ],
    )
