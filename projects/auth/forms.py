"""Sign-in form, and a person's own password change."""

from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo

from projects.fields import Form, strong_password


class SignInForm(Form):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address in the right format, like name@agency.gov"),
        ],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class ChangePasswordForm(Form):
    current = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password")]
    )
    password = PasswordField(
        "New password",
        description="At least 12 characters, and not a common password.",
        validators=[DataRequired("Enter a new password"), strong_password],
    )
    confirm = PasswordField(
        "New password again",
        validators=[
            DataRequired("Enter the new password again"),
            EqualTo("password", "Enter the same new password twice"),
        ],
    )
