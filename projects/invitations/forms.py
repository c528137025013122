"""Forms of the one-time links: accepting an invitation, asking for and using a password
reset link, and an admin's invitation of a new user."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from projects.auth.models import ROLES
from projects.fields import Form, choices, strong_password

EMAIL_FORMAT = "Enter an email address in the right format, like name@agency.gov"


def _new_password(label: str = "Password"):
    return PasswordField(
        label,
        description="At least 12 characters, and not a common password.",
        validators=[DataRequired("Enter a password"), strong_password],
    )


def _again():
    return PasswordField(
        "Password again",
        validators=[
            DataRequired("Enter the password again"),
            EqualTo("password", "Enter the same password twice"),
        ],
    )


class AcceptInvitationForm(Form):
    name = StringField(
        "Your name",
        description="As colleagues will see it on projects.",
        validators=[
            DataRequired("Enter your name"),
            Length(max=200, message="Use 200 characters or fewer for your name"),
        ],
    )
    password = _new_password()
    confirm = _again()


class ForgotPasswordForm(Form):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address"), Email(EMAIL_FORMAT)],
    )


class ResetPasswordForm(Form):
    password = _new_password("New password")
    confirm = _again()


class InviteUserForm(Form):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter their email address"),
            Email(EMAIL_FORMAT),
            Length(max=255, message="Use 255 characters or fewer"),
        ],
    )
    name = StringField(
        "Name",
        description="They can change it when they accept.",
        validators=[
            DataRequired("Enter their name"),
            Length(max=200, message="Use 200 characters or fewer for the name"),
        ],
    )
    role = SelectField(
        "Role",
        choices=choices([("", "Choose a role"), *ROLES.items()]),
        validators=[DataRequired("Choose a role")],
    )
