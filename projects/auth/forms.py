"""Sign-in forms (the password, then a code), and the forms of a person's own account: their
password and their two-step sign-in."""

from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from projects.auth.second_factor import DIGITS, is_app_code
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


def app_code(form, field) -> None:
    if field.data and not is_app_code(field.data):
        raise ValidationError(f"Enter the {DIGITS}-digit code your authenticator app shows")


def _app_code_field(label: str, description: str) -> StringField:
    return StringField(
        label,
        description=description,
        validators=[DataRequired(f"Enter the {DIGITS}-digit code from your app"), app_code],
    )


class CodeForm(Form):
    """The second step of signing in: a code from the app."""

    code = _app_code_field(
        "Code from your authenticator app",
        f"The {DIGITS}-digit code your app shows for Playbook Tracker. It changes every 30 "
        "seconds.",
    )


class RecoveryCodeForm(Form):
    """The second step of signing in without the phone: one of the person's recovery codes."""

    recovery_code = StringField(
        "Recovery code",
        description="One of the codes you saved when you turned on two-step sign-in, like "
        "abcd-efgh-jkmn-pqrs. Each one works once.",
        validators=[DataRequired("Enter a recovery code"), Length(max=100)],
    )


class SetUpForm(Form):
    """Confirms an authenticator app by a code it made from the key just shown."""

    code = _app_code_field(
        "Code from your authenticator app",
        f"After you add the key, your app shows a {DIGITS}-digit code. Enter it here.",
    )


class TurnOffForm(Form):
    """Turning two-step sign-in off asks the person to prove it is them: a password or a code.
    Its fields are prefixed: the account page also has the password change's."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "turn-off")
        super().__init__(*args, **kwargs)

    password = PasswordField("Your password")
    code = StringField(
        "Or a code from your authenticator app",
        validators=[app_code],
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.password.data or self.code.data):
            self.password.errors.append("Enter your password or a code from your app")
            return False
        return True
