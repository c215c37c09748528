from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField
from wtforms.validators import NumberRange, Optional

# What a checkbox left unticked may arrive as.
OFF = ("", "false", "0", "off", "n", "no")


class VisibilityForm(FlaskForm):
    """What the public page shows beyond the holder's name, track and status."""

    show_dates = BooleanField(_l("Issue and expiry dates"), false_values=OFF)
    show_version = BooleanField(_l("Course version"), false_values=OFF)
    show_organisation = BooleanField(_l("My organisation"), false_values=OFF)


class ValidityForm(FlaskForm):
    validity_months = IntegerField(
        _l("Valid for (months)"),
        validators=[Optional(), NumberRange(min=1, max=240)],
        description=_l("Leave empty for certificates that do not expire."),
    )
