"""Meeting series: each occurrence at the same local time, whatever the clocks do."""

from datetime import UTC

from dateutil.rrule import MONTHLY, rrule

from portal.planner.times import zone

QUARTERLY = 3
MONTHLY_INTERVAL = 1


def every_months(kind):
    return QUARTERLY if kind == "management" else MONTHLY_INTERVAL


def occurrences(meeting, start=None, end=None):
    """The UTC starts of a series' meetings, optionally those in [start, end).

    The rule runs on local wall-clock time, so a 10:00 meeting stays at 10:00 in
    its zone across daylight-saving changes."""
    tz = zone(meeting.timezone) or UTC
    first = meeting.starts_at.astimezone(tz).replace(tzinfo=None)
    rule = rrule(
        MONTHLY,
        interval=max(meeting.every_months, 1),
        count=meeting.count,
        dtstart=first,
    )
    result = []
    for local in rule:
        instant = local.replace(tzinfo=tz).astimezone(UTC)
        if (start is None or instant >= start) and (end is None or instant < end):
            result.append(instant)
    return result
