"""Forms for recording a finding and for uploading and confirming a CSV of findings."""

from __future__ import annotations

import re

from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from playbook.edition import Edition
from projects.fields import DayField, Form, Versioned, choices, csv_file, is_web_address
from projects.owners.fields import OutsideOwnerFields, owner_select
from projects.research.models import METHODS, SEVERITIES, STATUSES, WONT_ADDRESS
from projects.research.privacy import Flag, personal_data

MAX_TAGS, MAX_TAG_LENGTH, MAX_LINKS = 20, 40, 20
# The fields the privacy guard reads, with the names people see in its messages.
GUARDED = {
    "title": "Title",
    "insight": "Insight",
    "user_groups": "User groups",
    "recommendation": "Recommendation",
    "status_reason": "Reason",
    "tags": "Tags",
}


class WholeNumberField(IntegerField):
    """An integer field whose message for text like "eight" is written for people."""

    def __init__(self, *args, invalid: str = "Enter a whole number", **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.invalid) from error


def split_tags(text: str | None) -> list[str]:
    """Tags as people type them ("Mobile, ID documents") -> sorted unique lower-case tags."""
    tags = {re.sub(r"\s+", " ", t).strip().lower() for t in re.split(r"[,;\n]", text or "")}
    return sorted(t for t in tags if t)


def split_links(text: str | None) -> list[str]:
    links: list[str] = []
    for link in (text or "").split():
        if link not in links:
            links.append(link)
    return links


class FindingForm(Versioned, OutsideOwnerFields, Form):
    title = StringField(
        "Title",
        description="The finding in one sentence, for example: People cannot find the fee.",
        validators=[
            DataRequired("Enter a title for the finding"),
            Length(max=200, message="Use 200 characters or fewer for the title"),
        ],
    )
    insight = TextAreaField(
        "Insight",
        description="What you learned and what you saw or heard. You can use Markdown.",
        validators=[
            DataRequired("Describe what you learned"),
            Length(max=20000, message="Use 20,000 characters or fewer for the insight"),
        ],
    )
    method = SelectField(
        "Research method",
        choices=choices([("", "Choose a method"), *METHODS.items()]),
        validators=[InputRequired("Choose the research method")],
    )
    research_date = DayField(
        "Date of the research",
        description="When the research took place.",
        validators=[InputRequired("Enter the date of the research")],
    )
    participants = WholeNumberField(
        "Number of participants (optional)",
        invalid="Enter the number of participants as a whole number, like 8",
        validators=[
            Optional(),
            NumberRange(0, 100000, "Enter a number of participants from 0 to 100,000"),
        ],
    )
    user_groups = StringField(
        "User groups (optional)",
        description="Groups or participant codes, such as “first-time applicants, P1 to P8”. "
        "Never write participants' names.",
        validators=[Optional(), Length(max=500, message="Use 500 characters or fewer")],
    )
    severity = SelectField(
        "Severity",
        choices=choices([("", "Choose a severity"), *SEVERITIES.items()]),
        validators=[InputRequired("Choose how severe the problem is")],
    )
    confidence = WholeNumberField(
        "Confidence: how many sources support it",
        description="Count interviews, sessions, surveys or data sets that show the same thing.",
        invalid="Enter the number of sources as a whole number, like 3",
        default=1,
        validators=[
            InputRequired("Enter how many sources support the finding"),
            NumberRange(1, 10000, "Enter a number of sources from 1 to 10,000"),
        ],
    )
    status = SelectField(
        "Status",
        choices=choices(STATUSES),
        validators=[InputRequired("Choose a status")],
    )
    status_reason = TextAreaField(
        "Reason the team won't address it",
        description="Required when the status is “Won't address”.",
        # No Optional(): it would stop the check that a reason is given.
        validators=[Length(max=2000, message="Use 2,000 characters or fewer")],
    )
    recommendation = TextAreaField(
        "Recommendation (optional)",
        description="What the team should do about it. You can use Markdown.",
        validators=[Optional(), Length(max=10000, message="Use 10,000 characters or fewer")],
    )
    evidence_links = TextAreaField(
        "Evidence links (optional)",
        description="One web address per line: notes, recordings, reports.",
        validators=[Optional(), Length(max=20000)],
    )
    tags = StringField(
        "Tags (optional)",
        description="Separate tags with commas, for example: mobile, documents.",
        validators=[Optional(), Length(max=1000, message="Use 1,000 characters or fewer")],
    )
    # Choices are the project's people, set by the page; a CSV import leaves both empty.
    owner = owner_select(
        "Owner (optional)",
        description="Who follows this finding up. It shows in their My work.",
        validate_choice=False,
    )
    due_date = DayField("Due date (optional)", validators=[Optional()])
    plays = SelectMultipleField("Plays", coerce=int, validate_choice=False)
    items = SelectMultipleField("Checklist items", validate_choice=False)
    privacy_confirmed = BooleanField(
        "I have checked the text above: it holds no personal data about participants"
    )

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        # The template draws the checkboxes and validate_plays/validate_items check them, so
        # no choices are built: a CSV import makes one form per row.
        self.known_items = edition.items
        self.privacy_flags: list[Flag] = []

    def validate_status_reason(self, field):
        if self.status.data == WONT_ADDRESS and not (field.data or "").strip():
            raise ValidationError("Say why the team won't address this finding")

    def validate_owner(self, field):
        if field.choices is not None and field.data not in {c.value for c in field.choices}:
            raise ValidationError("Choose the owner from the list")

    def validate_evidence_links(self, field):
        links = split_links(field.data)
        if len(links) > MAX_LINKS:
            raise ValidationError(f"Add at most {MAX_LINKS} evidence links")
        wrong = next((link for link in links if not is_web_address(link)), None)
        if wrong:
            raise ValidationError(
                f"Enter evidence links that start with https:// or http:// (check “{wrong[:80]}”)"
            )

    def validate_tags(self, field):
        tags = split_tags(field.data)
        if len(tags) > MAX_TAGS:
            raise ValidationError(f"Use at most {MAX_TAGS} tags")
        long = next((t for t in tags if len(t) > MAX_TAG_LENGTH), None)
        if long:
            raise ValidationError(f"Keep each tag to {MAX_TAG_LENGTH} characters (“{long[:50]}”)")

    def validate_plays(self, field):
        numbers = {p.number for p in self.edition.plays}
        wrong = [str(n) for n in field.data or [] if n not in numbers]
        if wrong:
            last = len(self.edition.plays)
            raise ValidationError(f"Choose plays from 1 to {last} (not {', '.join(wrong)})")

    def validate_items(self, field):
        wrong = [i for i in field.data or [] if i not in self.known_items]
        if wrong:
            raise ValidationError(f"There is no checklist item {', '.join(wrong[:5])}")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # The length checks run first: a field they refuse is not read for personal data, so
        # the guard's work is bounded by the fields' limits, not by what was sent.
        self.privacy_flags = personal_data(
            {f: getattr(self, f).data or "" for f in GUARDED if not getattr(self, f).errors}
        )
        if self.privacy_flags and not self.privacy_confirmed.data:
            for flag in self.privacy_flags:
                getattr(self, flag.field).errors.append(
                    f"{GUARDED[flag.field]} looks like it holds {flag.kind}: “{flag.text}”. "
                    "Remove it, or check the box to confirm it is not personal data"
                )
            self.privacy_confirmed.errors.append(
                "Remove the personal data, or confirm that the text holds none"
            )
            valid = False
        return valid

    def restart(self, outcome) -> None:
        super().restart(outcome)
        if isinstance(self.tags.data, list):  # someone else's tags, shown as typed
            self.tags.data = ", ".join(self.tags.data)

    def values(self) -> dict:
        """The submitted finding, tidied, in the shape `changes.values_of` gives a saved one."""
        items = sorted(set(self.items.data or []))
        known = self.known_items
        plays = set(self.plays.data or []) | {known[i].play for i in items if i in known}
        return {
            "title": self.title.data.strip(),
            "insight": self.insight.data.strip(),
            "method": self.method.data,
            "research_date": self.research_date.data,
            "participants": self.participants.data,
            "user_groups": (self.user_groups.data or "").strip(),
            "severity": self.severity.data,
            "confidence": self.confidence.data,
            "status": self.status.data,
            "status_reason": (self.status_reason.data or "").strip()
            if self.status.data == WONT_ADDRESS
            else "",
            "recommendation": (self.recommendation.data or "").strip(),
            "evidence_links": "\n".join(split_links(self.evidence_links.data)),
            "tags": split_tags(self.tags.data),
            "plays": sorted(plays),
            "items": items,
            "owner": self.chosen_owner(),
            "due_date": self.due_date.data,
        }


class UploadForm(Form):
    file = csv_file("A .csv file saved as UTF-8, with one finding per row, up to 2 MB.")


class ConfirmImportForm(Form):
    privacy_confirmed = BooleanField(
        "I have checked the flagged rows: they hold no personal data about participants"
    )
