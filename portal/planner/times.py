"""Local wall-clock times to UTC and back, honest about daylight-saving days."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import lazy_gettext as _l

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class TimeProblem(ValueError):
    """A date or time that cannot be planned as given; the message says why."""

    def __init__(self, message, ambiguous=False, field="day"):
        super().__init__(message)
        self.ambiguous = ambiguous
        self.field = field


def zone(name):
    """A ZoneInfo for a known IANA name, else None."""
    if not name or name not in known_zones():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


_zones = None


# Names in the zone database that are not places: the server's own zone, and
# entries kept for the database's own use.
NOT_PLACES = {"localtime", "Factory", "posixrules"}


def known_zones():
    global _zones
    if _zones is None:
        _zones = frozenset(
            name
            for name in available_timezones()
            if name not in NOT_PLACES and not name.startswith(("posix/", "right/"))
        )
    return _zones


def check_day(day):
    if not EARLIEST <= day <= LATEST:
        raise TimeProblem(
            _l("Plan dates between %(start)s and %(end)s.", start=EARLIEST, end=LATEST)
        )


def local_to_utc(day, clock, zone_name, occurrence=None):
    """The UTC instant of a wall-clock time in a zone.

    A time skipped when clocks go forward is refused. A time that happens twice
    when clocks go back needs `occurrence` ("first" or "second")."""
    check_day(day)
    tz = zone(zone_name)
    if tz is None:
        raise TimeProblem(_l("Unknown time zone."), field="zone")
    naive = datetime.combine(day, clock)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    # A wall time that does not exist does not survive the trip to UTC and back.
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise TimeProblem(
            _l(
                "%(time)s does not exist on %(date)s in %(zone)s: the clocks go "
                "forward then. Choose another time.",
                time=clock.strftime("%H:%M"),
                date=day.isoformat(),
                zone=zone_name,
            ),
            field="clock",
        )
    if first.utcoffset() != second.utcoffset():
        if occurrence not in ("first", "second"):
            raise TimeProblem(
                _l(
                    "%(time)s happens twice on %(date)s in %(zone)s: the clocks go "
                    "back then. Say whether you mean the first or the second.",
                    time=clock.strftime("%H:%M"),
                    date=day.isoformat(),
                    zone=zone_name,
                ),
                ambiguous=True,
                field="clock",
            )
        chosen = first if occurrence == "first" else second
    else:
        chosen = first
    return chosen.astimezone(UTC)


def in_zone(instant, zone_name):
    """An aware UTC instant as wall-clock time in a zone (UTC if unknown)."""
    return instant.astimezone(zone(zone_name) or UTC)


def day_bounds(first_day, last_day, zone_name):
    """The UTC instants at which a range of local days starts and ends."""
    tz = zone(zone_name) or UTC
    start = datetime.combine(first_day, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)
    return start, end.astimezone(UTC)
