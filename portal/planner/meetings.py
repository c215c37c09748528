"""Meeting series: each occurrence at the same local time, whatever the clocks do."""

from datetime import UTC

from dateutil.rrule import MONTHLY, rrule, weekday

from portal.planner.times import zone

QUARTERLY = 3
MONTHLY_INTERVAL = 1


def every_months(kind):
    return QUARTERLY if kind == "management" else MONTHLY_INTERVAL


DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def nth_weekday(day):
    """Which weekday of its month a date is: 1 for the first Tuesday and so on,
    -1 for a fifth one, which not every month has: then it is the last."""
    number = (day.day - 1) // 7 + 1
    return -1 if number == 5 else number


def weekday_rule(meeting):
    """(n, weekday index) for a series on the same weekday, else None."""
    if not meeting.by_weekday:
        return None
    first = meeting.starts_at.astimezone(zone(meeting.timezone) or UTC)
    return nth_weekday(first), first.weekday()


def occurrences(meeting, start=None, end=None):
    """The UTC starts of a series' meetings, optionally those in [start, end).

    The rule runs on local wall-clock time, so a 10:00 meeting stays at 10:00 in
    its zone across daylight-saving changes."""
    tz = zone(meeting.timezone) or UTC
    first = meeting.starts_at.astimezone(tz).replace(tzinfo=None)
    by_weekday = weekday_rule(meeting)
    rule = rrule(
        MONTHLY,
        interval=max(meeting.every_months, 1),
        count=meeting.count,
        dtstart=first,
        byweekday=weekday(by_weekday[1], by_weekday[0]) if by_weekday else None,
    )
    result = []
    for local in rule:
        instant = local.replace(tzinfo=tz).astimezone(UTC)
        if (start is None or instant >= start) and (end is None or instant < end):
            result.append(instant)
    return result
