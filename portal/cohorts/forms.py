from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    DecimalField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)

from portal.text import single_line

ROLES = [
    ("ambassador", _l("Social Ambassador")),
    ("creator", _l("Social Creator")),
    ("activator", _l("Social Activator")),
    ("professional", _l("SRO Professional")),
]


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"), filters=[single_line], validators=[DataRequired(), Length(max=120)]
    )


class CohortForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), coerce=int)
    name = StringField(
        _l("Name"), filters=[single_line], validators=[DataRequired(), Length(max=120)]
    )
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    timezone = StringField(
        _l("Time zone"),
        default="Europe/Amsterdam",
        filters=[single_line],
        validators=[DataRequired(), Length(max=64)],
    )
    colleagues = SelectMultipleField(_l("Co-professionals"), coerce=int)


class SettingsForm(FlaskForm):
    name = StringField(
        _l("Name"), filters=[single_line], validators=[DataRequired(), Length(max=120)]
    )
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    timezone = StringField(
        _l("Time zone"),
        filters=[single_line],
        validators=[InputRequired(), Length(max=64)],
    )


class ParticipantForm(FlaskForm):
    name = StringField(
        _l("Name"), filters=[single_line], validators=[DataRequired(), Length(max=120)]
    )
    email = EmailField(
        _l("Email"), validators=[InputRequired(), Email(), Length(max=254)]
    )
    role = SelectField(
        _l("Role"), choices=[SelectChoice(value, label) for value, label in ROLES]
    )
    group = StringField(
        _l("Group"), filters=[single_line], validators=[Optional(), Length(max=80)]
    )


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])


class ColleagueForm(FlaskForm):
    colleague = SelectField(_l("Professional"), coerce=int)


class DeadlineForm(FlaskForm):
    due_date = DateField(_l("New deadline"), validators=[Optional()])


class ReviewForm(FlaskForm):
    decision = SelectField(
        _l("Decision"),
        choices=[
            SelectChoice("approve", _l("Approve")),
            SelectChoice("return", _l("Return")),
        ],
    )
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])


def finite(form, field):
    """Refuse NaN and infinity before any comparison is made with them."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Give a number of hours."))


class HoursForm(FlaskForm):
    day = DateField(_l("Day"), validators=[InputRequired()])
    hours = DecimalField(
        _l("Hours"),
        places=1,
        validators=[
            InputRequired(),
            finite,
            NumberRange(min=Decimal("0.1"), max=Decimal("24")),
        ],
    )
    note = StringField(
        _l("What you did"), filters=[single_line], validators=[Length(max=200)]
    )
