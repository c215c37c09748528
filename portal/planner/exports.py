"""The calendar outside the portal: a private iCalendar feed and a CSV file."""

import csv
import hashlib
import hmac
import io
import secrets
from datetime import UTC, date, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.planner.forms import CHANNEL_LABELS
from portal.planner.meetings import DAYS, occurrences, weekday_rule
from portal.planner.models import Feed, Meeting, Post
from portal.planner.times import in_zone, zone
from portal.text import spreadsheet_safe
from portal.urls import external_url

POST_MINUTES = 15


# The private feed address -----------------------------------------------------


def signature(feed):
    message = f"{feed.id}:{feed.user_id}:{feed.cohort_id}:{feed.nonce}".encode()
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]


def feed_for(user, cohort):
    """The person's feed of this cohort, made on first use."""
    feed = db.session.scalar(
        db.select(Feed).filter_by(user_id=user.id, cohort_id=cohort.id)
    )
    if feed is None:
        feed = Feed(user_id=user.id, cohort_id=cohort.id, nonce=secrets.token_hex(16))
        db.session.add(feed)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # made by a request alongside; use that one
            feed = db.session.scalar(
                db.select(Feed).filter_by(user_id=user.id, cohort_id=cohort.id)
            )
    return feed


def regenerate(user, cohort):
    feed = feed_for(user, cohort)
    feed.nonce = secrets.token_hex(16)
    db.session.commit()
    return feed


def feed_url(feed):
    return external_url("planner.feed", token=f"{feed.id}-{signature(feed)}")


def feed_from_token(token):
    feed_id, _, mac = (token or "").partition("-")
    if not (feed_id.isascii() and feed_id.isdigit()) or len(feed_id) > 9:
        return None
    if len(mac) != 40:
        return None
    feed = db.session.get(Feed, int(feed_id))
    if feed is None or not hmac.compare_digest(signature(feed), mac):
        return None
    return feed


# iCalendar --------------------------------------------------------------------


def uid(kind, number):
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"
    return f"{kind}-{number}@{host}"


def ical_start(instant, zone_name):
    """The start as local time in its zone, as calendars show it best; but in UTC
    when that local time happens twice, since RFC 5545 reads a repeated local time
    as its first occurrence."""
    local = in_zone(instant, zone_name)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return instant.astimezone(UTC)
    return local


def ical(cohort, user):
    """RFC 5545 text of the cohort's calendar as this person may see it."""
    calendar = Calendar()
    calendar.add("prodid", "-//SRO Academy//Content calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{cohort.name} · SRO")
    calendar.add("x-wr-timezone", cohort.timezone)

    posts = db.session.scalars(
        db.select(Post).where(
            Post.cohort_id == cohort.id,
            db.or_(Post.status != "draft", Post.author_id == user.id),
        )
    )
    for post in posts:
        event = Event()
        event.add("uid", uid("post", post.id))
        event.add("dtstamp", post.updated_at)
        event.add("sequence", post.version)
        event.add("summary", f"{post.title} ({CHANNEL_LABELS[post.channel]})")
        if post.all_day:
            event.add("dtstart", post.planned_date)
            event.add("dtend", post.planned_date + timedelta(days=1))
        else:
            start = ical_start(post.planned_at, post.timezone)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=POST_MINUTES))
        lines = [post.text or ""]
        if post.link:
            lines.append(post.link)
        event.add("description", "\n\n".join(line for line in lines if line))
        event.add("status", "CONFIRMED" if post.status != "draft" else "TENTATIVE")
        event.add("categories", [post.status])
        event.add(
            "url",
            external_url("planner.post", cohort_id=cohort.id, post_id=post.id),
        )
        calendar.add_component(event)

    meetings = db.session.scalars(db.select(Meeting).filter_by(cohort_id=cohort.id))
    for meeting in meetings:
        event = Event()
        event.add("uid", uid("meeting", meeting.id))
        event.add("dtstamp", meeting.created_at)
        event.add("sequence", meeting.version)
        event.add("summary", meeting.title)
        # A series repeats in local time, so it starts in local time; its first
        # meeting never falls in an hour that happens twice.
        start = in_zone(meeting.starts_at, meeting.timezone)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=meeting.minutes))
        if meeting.count > 1:
            rule = {
                "freq": "monthly",
                "interval": max(meeting.every_months, 1),
                "count": meeting.count,
            }
            by_weekday = weekday_rule(meeting)
            if by_weekday:
                rule["byday"] = f"{by_weekday[0]}{DAYS[by_weekday[1]]}"
            event.add("rrule", rule)
        if meeting.agenda:
            event.add("description", meeting.agenda)
        calendar.add_component(event)
    # Zone definitions that reach past the last planned date (up to 2100, and
    # meeting series beyond), not only to 2038 as icalendar's default does.
    calendar.add_missing_timezones(last_date=date(2141, 1, 1))
    for timezone in calendar.walk("VTIMEZONE"):
        correct_onsets(timezone)
    return calendar.to_ical()


def correct_onsets(timezone):
    """Put each change of a VTIMEZONE at the wall time before it, as RFC 5545 asks.

    icalendar (7.3) writes the start of summer time in the wall time after the
    change (03:00 in Amsterdam, not 02:00), so strict readers would move times in
    that hour by an hour. Every onset is checked against the zone database, and
    moved only when it is off, so a fixed icalendar leaves nothing to do."""
    tz = zone(str(timezone["TZID"]))
    if tz is None:
        return
    for part in timezone.subcomponents:
        before = part["TZOFFSETFROM"].td
        after = part["TZOFFSETTO"].td

        def onset(local, before=before, after=after):
            for candidate in (local, local - (after - before)):
                instant = (candidate - before).replace(tzinfo=UTC)
                if (
                    instant.astimezone(tz).utcoffset() == after
                    and (instant - timedelta(seconds=1)).astimezone(tz).utcoffset()
                    == before
                ):
                    return candidate
            return local

        part.DTSTART = onset(part.DTSTART)
        if "RDATE" in part:
            lists = part.pop("RDATE")
            lists = lists if isinstance(lists, list) else [lists]
            part.add("RDATE", [onset(d.dt) for rdates in lists for d in rdates.dts])


# CSV ----------------------------------------------------------------------------

HEADER = [
    "kind",
    "title",
    "status",
    "channel",
    "pillar",
    "topic",
    "target_group",
    "date",
    "time",
    "time_zone",
    "minutes",
    "author",
    "text",
    "link",
    "image",
    "published_url",
]


def csv_text(posts, meetings, tz_name, semicolons, labels):
    """The posts and every meeting of each series, in date order, with times in
    the reader's zone and the labels the pages use. Spreadsheets in Dutch open
    semicolon files; English ones expect commas."""
    channels, statuses = labels["channel_labels"], labels["status_labels"]
    rows = []

    def safe(value):
        return spreadsheet_safe(str(value or ""))

    for post in posts:
        if post.all_day:
            day, clock, zone_name = post.planned_date, "", ""
        else:
            local = in_zone(post.planned_at, tz_name)
            day, clock, zone_name = local.date(), local.strftime("%H:%M"), tz_name
        rows.append(
            [
                str(_l("Post")),
                safe(post.title),
                str(statuses[post.status]),
                str(channels[post.channel]),
                safe(post.pillar.name if post.pillar else ""),
                safe(post.topic.name if post.topic else ""),
                safe(post.group.name if post.group else ""),
                day.isoformat(),
                clock,
                zone_name,
                "",
                safe(post.author.name),
                safe(post.text),
                safe(post.link),
                safe(post.image),
                safe(post.published_url),
            ]
        )
    for meeting in meetings:
        for instant in occurrences(meeting):
            local = in_zone(instant, tz_name)
            rows.append(
                [
                    str(labels["meeting_labels"][meeting.kind]),
                    safe(meeting.title),
                    "",
                    "",
                    "",
                    "",
                    "",
                    local.date().isoformat(),
                    local.strftime("%H:%M"),
                    tz_name,
                    meeting.minutes,
                    "",
                    safe(meeting.agenda),
                    "",
                    "",
                    "",
                ]
            )
    rows.sort(key=lambda row: (row[7], row[8]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if semicolons else ",")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()
