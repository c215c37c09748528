from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

CHANNEL_LABELS = {
    "linkedin": "LinkedIn",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "x": "X",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "other": _l("Other"),
}
STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "returned": _l("Returned"),
    "approved": _l("Approved"),
    "scheduled": _l("Scheduled"),
    "published": _l("Published"),
}
MEETING_LABELS = {
    "editorial": _l("Monthly editorial meeting"),
    "management": _l("Quarterly management meeting"),
}
OCCURRENCES = [
    SelectChoice("", _l("Not needed")),
    SelectChoice("first", _l("The first (before the clocks go back)")),
    SelectChoice("second", _l("The second (after the clocks go back)")),
]


def choices(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


def unix_lines(value):
    """Browsers count a line break as one character and send two; count one."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


def optional_id(value):
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return -1  # never an entry; the service refuses it with a message


class WhenFields:
    """A date, an optional time (none means all day), the zone and, on a day the
    clocks go back, which of the two equal times is meant."""

    day = DateField(_l("Date"), validators=[InputRequired()])
    clock = TimeField(
        _l("Time"),
        validators=[Optional()],
        description=_l("Leave empty for an all-day post."),
    )
    zone = SelectField(_l("Time zone"), validate_choice=False)
    occurrence = SelectField(_l("Which one?"), choices=OCCURRENCES, default="")
    version = HiddenField()


class PostForm(WhenFields, FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    channel = SelectField(_l("Channel"), choices=choices(CHANNEL_LABELS.items()))
    pillar_id = SelectField(_l("Content pillar"), coerce=optional_id)
    topic_id = SelectField(_l("Topic"), coerce=optional_id)
    group_id = SelectField(_l("Target group"), coerce=optional_id)
    text = TextAreaField(
        _l("Text of the post"), filters=[unix_lines], validators=[Length(max=3000)]
    )
    link = StringField(_l("Link"), validators=[Length(max=500)])
    image = StringField(
        _l("Image reference"),
        validators=[Length(max=300)],
        description=_l("Where the image is: a file name or a shared-drive address."),
    )


class RescheduleForm(WhenFields, FlaskForm):
    """Only the date and time: the rest of a post is its author's."""


class MeetingForm(WhenFields, FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices(MEETING_LABELS.items()))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    agenda = TextAreaField(
        _l("Agenda"), filters=[unix_lines], validators=[Length(max=5000)]
    )
    clock = TimeField(_l("Time"), validators=[InputRequired()])
    minutes = IntegerField(
        _l("Length in minutes"), default=60, validators=[NumberRange(min=15, max=480)]
    )
    repeat = SelectField(
        _l("Repeat"),
        choices=[
            SelectChoice("weekday", _l("On the same weekday: the first Tuesday, say")),
            SelectChoice("date", _l("On the same date each month")),
        ],
        default="weekday",
    )
    count = IntegerField(
        _l("How many meetings"),
        default=12,
        validators=[NumberRange(min=1, max=60)],
        description=_l(
            "Monthly meetings repeat every month, quarterly ones every three months."
        ),
    )


class StrategyForm(FlaskForm):
    goals = TextAreaField(
        _l("Goals"), filters=[unix_lines], validators=[Length(max=5000)]
    )
    pillars = TextAreaField(
        _l("Content pillars and their topics"),
        filters=[unix_lines],
        validators=[Length(max=5000)],
        description=_l(
            "One pillar per line, then a colon and its topics, separated by commas."
        ),
    )
    groups = TextAreaField(
        _l("Target groups"),
        filters=[unix_lines],
        validators=[Length(max=3000)],
        description=_l("One per line."),
    )
    version = HiddenField()


class NoteForm(FlaskForm):
    note = TextAreaField(
        _l("Note for the author"), filters=[unix_lines], validators=[Length(max=2000)]
    )
    version = HiddenField()


class UrlForm(FlaskForm):
    url = StringField(_l("Address of the live post"), validators=[Length(max=500)])
    version = HiddenField()


class ZoneForm(FlaskForm):
    zone = SelectField(_l("Show times in"), validate_choice=False)
