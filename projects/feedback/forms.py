"""The public feedback form (built from the survey edition, in the visitor's language) and
the owner's settings of it. Messages on the public form are translated (projects/languages)."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from playbook.survey import LANGUAGES, Survey
from projects.fields import DayField, Form, Versioned, choices
from projects.research.privacy import personal_data

MAX_COMMENT = 2000
HONEYPOT = "website"  # the field people never see; a bot that fills it is held back
PRA_NUMBER = re.compile(r"^\d{4}-\d{4}$")


class ScoreField(RadioField):
    """One question: a score from 1 to 5 or no answer, refused with a message for people."""

    def process_formdata(self, valuelist):
        if valuelist:
            try:
                self.data = int(valuelist[0])
            except ValueError:
                self.data = None
                raise ValueError(_("Choose one of the answers given")) from None

    def pre_validate(self, form):
        if self.data is not None and self.data not in {c.value for c in self.choices}:
            raise ValidationError(_("Choose one of the answers given"))


class ResponseBase(Form):
    """The fields every survey has; `response_form` adds one ScoreField per question."""

    # The comment, the language and the honeypot are added with the questions, worded in the
    # form's language (`response_form`).

    def validate_comment(self, field):
        flags = personal_data({"comment": field.data or ""})
        if flags:
            raise ValidationError(
                _(
                    "Please remove personal details from your comment, such as %(kind)s. "
                    "We do not need them and do not keep them.",
                    kind=str(KINDS.get(flags[0].kind, flags[0].kind)),
                )
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not self.answers() and not (self.comment.data or "").strip():
            self.form_errors.append(_("Answer at least one question, or write a comment"))
            return False
        return valid

    def answers(self) -> dict[str, int]:
        return {
            field.driver: field.data
            for field in self
            if isinstance(field, ScoreField) and field.data is not None
        }

    @property
    def caught(self) -> bool:
        """The honeypot is filled: a bot, not a person."""
        return bool((self.website.data or "").strip())


# The privacy guard's kinds, in the visitor's language.
KINDS = {
    "an email address": _l("an email address"),
    "a number shaped like a Social Security number": _l("a Social Security number"),
    "a phone number": _l("a phone number"),
}


_form_classes: dict[tuple[int, str], type] = {}


def response_form(survey: Survey, language: str, **kwargs) -> ResponseBase:
    """The form for `survey`: one question per driver, worded in `language` (call it in a
    request in that language: labels and messages are translated as the class is made). The
    class is made once per survey and language (building it on every request cost more than
    the form)."""
    key = (id(survey), language)  # surveys are loaded once per process
    if key not in _form_classes:

        class ResponseForm(ResponseBase):
            comment = TextAreaField(
                _("Anything else you want to tell us? (optional)"),
                validators=[
                    Optional(),
                    Length(max=MAX_COMMENT, message=_("Keep your comment to 2,000 characters")),
                ],
            )
            language = HiddenField()
            website = StringField(_("Leave this field empty"))

        for question in survey.questions:
            field = ScoreField(
                question.text[language],
                choices=choices(survey.labels(language)),
                validators=[Optional()],
                validate_choice=False,
            )
            setattr(ResponseForm, question.driver, field)
        _form_classes[key] = ResponseForm
    form = _form_classes[key](**kwargs)
    for question in survey.questions:
        form[question.driver].driver = question.driver
    if form.language.data not in LANGUAGES:
        form.language.data = language
    return form


class SettingsForm(Versioned, Form):
    enabled = BooleanField("The form is on: people can send feedback")
    public_title = StringField(
        "Title the public sees (optional)",
        description="The name of the service as people know it. Empty: the project's name.",
        validators=[Optional(), Length(max=200, message="Use 200 characters or fewer")],
    )
    pra_number = StringField(
        "Paperwork Reduction Act control number (optional)",
        description="The OMB control number, like 1234-5678. The form shows it when set.",
        validators=[Optional()],
    )
    pra_expires = DayField(
        "Expiration date of the control number (optional)", validators=[Optional()]
    )

    def validate_pra_number(self, field):
        if (field.data or "").strip() and not PRA_NUMBER.match(field.data.strip()):
            raise ValidationError("Enter the control number as 4 digits, a dash and 4 digits")

    def validate_pra_expires(self, field):
        if field.data and not (self.pra_number.data or "").strip():
            raise ValidationError("Enter the control number that expires on this date")

    def values(self) -> dict:
        return {
            "enabled": bool(self.enabled.data),
            "public_title": (self.public_title.data or "").strip(),
            "pra_number": (self.pra_number.data or "").strip(),
            "pra_expires": self.pra_expires.data,
        }
