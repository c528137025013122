"""Forms admins use to manage users."""

from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from projects.auth.models import ROLES
from projects.fields import Form, Versioned, choices, strong_password


class NewUserForm(Form):
    name = StringField(
        "Full name", validators=[DataRequired("Enter the person's name"), Length(max=200)]
    )
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter the person's email address"),
            Email("Enter an email address in the right format, like name@agency.gov"),
        ],
    )
    role = SelectField("Role", choices=choices(ROLES), validators=[InputRequired("Choose a role")])
    password = PasswordField(
        "Password",
        description="At least 12 characters. Share it safely.",
        validators=[DataRequired("Enter a password"), strong_password],
    )


class EditUserForm(Versioned, Form):
    name = StringField(
        "Full name", validators=[DataRequired("Enter the person's name"), Length(max=200)]
    )
    role = SelectField("Role", choices=choices(ROLES), validators=[InputRequired("Choose a role")])
    active = BooleanField("Can sign in")
    unlock = BooleanField("Let them sign in again now after failed attempts")
    password = PasswordField(
        "New password (optional)",
        description="Leave empty to keep the current password.",
        validators=[Optional(), strong_password],
    )
