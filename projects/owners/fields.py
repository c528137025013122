"""The owner part of the item and finding forms: a list of the project's people (and the
people without accounts already named), and a name and an email address to type for someone
else without an account. Works without JavaScript: typed words win over the list."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import Email, Length, ValidationError

from projects.auth.queries import person_with_email
from projects.owners.changes import Named
from projects.owners.models import NOBODY, as_key

EMAIL_FORMAT = "Enter an email address in the right format, like name@agency.gov"


def owner_select(label: str, **kwargs) -> SelectField:
    """The list of owners; its choices are the project's, set by the page."""
    return SelectField(label, coerce=as_key, **kwargs)


class OutsideOwnerFields:
    """Mixin for a form (or one row of a form) with an `owner` select: the name and address
    of an owner without an account."""

    outside_name = StringField(
        "Name of an owner without an account",
        validators=[Length(max=200, message="Use 200 characters or fewer for the name")],
    )
    outside_email = StringField(
        "Their email address",
        description="They get email about this work, with a link to make an account.",
        validators=[Length(max=255, message="Use 255 characters or fewer for the address")],
    )

    def _typed(self) -> tuple[str, str]:
        return (self.outside_name.data or "").strip(), (self.outside_email.data or "").strip()

    def validate_outside_name(self, field):
        name, email = self._typed()
        if email and not name:
            raise ValidationError("Enter the name of the owner without an account")

    def validate_outside_email(self, field):
        name, email = self._typed()
        if not email:
            if name:
                raise ValidationError("Enter the email address of the owner without an account")
            return
        Email(EMAIL_FORMAT)(self, field)
        user = person_with_email(email)
        if user is None:
            return
        if not user.active:
            raise ValidationError(
                f"{email} belongs to an account that is turned off. Name someone else."
            )
        if user.id not in {choice.value for choice in self.owner.choices or []}:
            raise ValidationError(
                f"{user.name} has an account with {email} but is not on this project. Add "
                "them as a member first, or choose someone from the list."
            )

    def chosen_owner(self):
        """The owner this form names: typed name and address when given, else the choice."""
        name, email = self._typed()
        if name and email:
            return Named(name, email)
        return self.owner.data or NOBODY

    def outside_open(self) -> bool:
        """Whether the page shows the typed owner's fields open (something typed, or wrong)."""
        return bool(any(self._typed()) or self.outside_name.errors or self.outside_email.errors)
