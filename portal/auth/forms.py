from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from portal.text import single_line

PASSWORD_RULES = [
    InputRequired(),
    Length(min=10, max=128, message=_l("Use 10 to 128 characters.")),
]


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[InputRequired(), Length(max=128)]
    )
    remember = BooleanField(_l("Keep me logged in"))


class RegisterForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        filters=[single_line],
        validators=[DataRequired(), Length(max=120)],
    )
    password = PasswordField(_l("Choose a password"), validators=PASSWORD_RULES)
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
    )


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("Email"), validators=[InputRequired(), Email(), Length(max=254)]
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES)
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
    )


class InviteForm(FlaskForm):
    name = StringField(
        _l("Name"), filters=[single_line], validators=[DataRequired(), Length(max=120)]
    )
    email = EmailField(
        _l("Email"), validators=[InputRequired(), Email(), Length(max=254)]
    )
    role = SelectField(_l("Role"))
    track = SelectField(_l("Track"))
    organisation = SelectField(_l("Organisation"), coerce=int)
