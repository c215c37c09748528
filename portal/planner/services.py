"""Who may do what in a cohort's calendar, and the post workflow."""

import logging
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from portal.cohorts.models import Cohort, CohortProfessional
from portal.database import utcnow
from portal.extensions import db
from portal.learning.models import Enrolment
from portal.mailer import email_user
from portal.planner.models import (
    READY_STATUSES,
    Meeting,
    Post,
    PostEvent,
    PostShare,
    Strategy,
    StrategyEntry,
)
from portal.text import single_line
from portal.urls import external_url

logger = logging.getLogger(__name__)


class PlanError(ValueError):
    """A step that is not allowed now; the message is shown to the person."""


# Access -----------------------------------------------------------------------


def can_view(cohort, user):
    """Administrators, the cohort's professionals and its participants."""
    return user.is_admin or cohort.is_run_by(user) or is_participant(cohort, user)


def is_participant(cohort, user):
    return any(e.cohort_id == cohort.id for e in user.enrolments)


def can_run(cohort, user):
    return user.is_admin or cohort.is_run_by(user)


def cohorts_for(user):
    """The cohorts whose calendar this person may open, newest first."""
    query = db.select(Cohort).order_by(Cohort.start_date.desc(), Cohort.id.desc())
    if not user.is_admin:
        run = db.select(CohortProfessional.cohort_id).where(
            CohortProfessional.user_id == user.id
        )
        joined = db.select(Enrolment.cohort_id).where(Enrolment.user_id == user.id)
        query = query.where(db.or_(Cohort.id.in_(run), Cohort.id.in_(joined)))
    return db.session.scalars(query).all()


def can_review(post, user):
    """Another professional of the cohort, or an administrator; never the author.

    When the author is the cohort's only professional, that leaves the
    administrators."""
    if user.id == post.author_id:
        return False
    cohort = db.session.get(Cohort, post.cohort_id)
    return user.is_admin or cohort.is_run_by(user)


def waiting_for(cohort, user):
    """The submitted posts of the cohort this person could review now."""
    if not can_run(cohort, user):
        return []
    return db.session.scalars(
        db.select(Post).where(
            Post.cohort_id == cohort.id,
            Post.status == "submitted",
            Post.author_id != user.id,
        )
    ).all()


def waits_for_administrator(post):
    """True when nobody in the cohort but the author could approve the post."""
    cohort = db.session.get(Cohort, post.cohort_id)
    return all(member.user_id == post.author_id for member in cohort.staff)


# Strategy ---------------------------------------------------------------------


def strategy_of(cohort):
    return db.session.get(Strategy, cohort.id) or Strategy(
        cohort_id=cohort.id, goals="", version=0
    )


def entries(cohort, kind=None, include_archived=False):
    query = db.select(StrategyEntry).filter_by(cohort_id=cohort.id)
    if kind:
        query = query.filter_by(kind=kind)
    if not include_archived:
        query = query.filter_by(archived=False)
    return db.session.scalars(
        query.order_by(StrategyEntry.position, StrategyEntry.id)
    ).all()


def parse_pillars(text):
    """Lines of "Pillar: topic, topic" as [(pillar, [topics])]; problems listed."""
    pillars, problems, seen = [], [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = single_line(line)
        if not line:
            continue
        name, _, rest = line.partition(":")
        name = name.strip()
        topics = [t for t in (single_line(t) for t in rest.split(",")) if t]
        if not name or len(name) > 80 or any(len(t) > 80 for t in topics):
            problems.append(
                _l("Line %(number)s: names are 1 to 80 characters.", number=number)
            )
            continue
        if name.casefold() in seen:
            problems.append(
                _l(
                    "Line %(number)s: the pillar %(name)s is there twice.",
                    number=number,
                    name=name,
                )
            )
            continue
        seen.add(name.casefold())
        unique_topics = list(dict.fromkeys(topics))
        pillars.append((name, unique_topics))
    if len(pillars) > 12:
        problems.append(_l("Keep it to twelve pillars at most."))
    return pillars, problems


def parse_groups(text):
    groups = []
    for line in (text or "").splitlines():
        name = single_line(line)[:80]
        if name and name.casefold() not in {g.casefold() for g in groups}:
            groups.append(name)
    return groups[:30]


def save_strategy(cohort, user, goals, pillars, groups, version):
    """Replace the strategy; entries that are left out are archived. Refused when
    someone saved a newer version since the form was opened."""
    strategy = db.session.get(Strategy, cohort.id)
    if strategy is None:
        if version != 0:
            raise PlanError(_l("Someone changed the strategy since you opened it."))
        strategy = Strategy(cohort_id=cohort.id, goals="", version=0)
        db.session.add(strategy)
        db.session.flush()
    claimed = db.session.execute(
        update(Strategy)
        .where(Strategy.cohort_id == cohort.id, Strategy.version == version)
        .values(
            goals=goals,
            version=Strategy.version + 1,
            updated_at=utcnow(),
            updated_by_id=user.id,
        )
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise PlanError(
            _l(
                "Someone changed the strategy since you opened it. Your text is "
                "below; compare it with the current strategy and save again."
            )
        )
    existing = entries(cohort, include_archived=True)
    kept = set()

    def keep(kind, name, parent_id, position):
        for entry in existing:
            if (
                entry.kind == kind
                and entry.parent_id == parent_id
                and entry.name.casefold() == name.casefold()
            ):
                entry.name, entry.position, entry.archived = name, position, False
                kept.add(entry.id)
                return entry
        entry = StrategyEntry(
            cohort_id=cohort.id,
            kind=kind,
            parent_id=parent_id,
            name=name,
            position=position,
        )
        db.session.add(entry)
        db.session.flush()
        existing.append(entry)
        kept.add(entry.id)
        return entry

    for position, (name, topics) in enumerate(pillars):
        pillar = keep("pillar", name, None, position)
        for topic_position, topic in enumerate(topics):
            keep("topic", topic, pillar.id, topic_position)
    for position, name in enumerate(groups):
        keep("group", name, None, position)
    for entry in existing:
        if entry.id not in kept:
            entry.archived = True
    db.session.commit()


# Posts ------------------------------------------------------------------------


def clean_url(value):
    """A web address, or None when empty; anything but http(s) is refused."""
    value = single_line(value or "")
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise PlanError(_l("Give a web address that starts with https:// or http://."))
    if len(value) > 500:
        raise PlanError(_l("That web address is too long."))
    return value


def record(post, user, action, note=None, changes=None):
    db.session.add(
        PostEvent(
            post_id=post.id, actor_id=user.id, action=action, note=note, changes=changes
        )
    )


def claim(post, version, *conditions, **values):
    """Change a post in one conditional UPDATE, only if nobody saved a newer
    version since `version` was read and the conditions hold; else roll back."""
    claimed = db.session.execute(
        update(Post)
        .where(Post.id == post.id, Post.version == version, *conditions)
        .values(version=Post.version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
    return claimed == 1


def change_meeting(meeting, version, values):
    """Save a changed series unless someone saved a newer one; True if saved."""
    claimed = db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.version == version)
        .values(version=Meeting.version + 1, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return False
    db.session.commit()
    db.session.refresh(meeting)
    return True


def move(post, user, action, allowed_from, to, version, comment=None, **values):
    """Change a post's status in one conditional UPDATE: it happens only if the
    post is still in an allowed state and at the version the person saw."""
    if not claim(post, version, Post.status.in_(allowed_from), status=to, **values):
        raise PlanError(
            _l(
                "This post changed since you opened it, so nothing was done. "
                "Here is how it stands now."
            )
        )
    record(post, user, action, note=comment)
    db.session.commit()
    db.session.refresh(post)


def submit(post, user, version):
    if user.id != post.author_id:
        raise PlanError(_l("Only the author submits a post."))
    if post.pillar_id is None:
        raise PlanError(_l("Choose a content pillar before submitting."))
    move(post, user, "submitted", ("draft", "returned"), "submitted", version)


def approve(post, user, version):
    if not can_review(post, user):
        raise PlanError(_l("You cannot approve this post: nobody approves their own."))
    move(post, user, "approved", ("submitted",), "approved", version, note=None)


def return_post(post, user, version, note):
    note = (note or "").strip()[:2000]
    if not can_review(post, user):
        raise PlanError(_l("You cannot return this post."))
    if not note:
        raise PlanError(_l("Say what needs to change: a note is required."))
    move(
        post,
        user,
        "returned",
        ("submitted", "approved", "scheduled"),
        "returned",
        version,
        comment=note,
        note=note,
    )
    tell_author_about_return(post, user, note)


def tell_author_about_return(post, reviewer, note):
    """The author hears at once; a failed email does not undo the return."""
    try:
        email_user(
            post.author,
            _l("Your post was returned with a note"),
            "post_returned",
            reply_to=reviewer.email,
            reviewer=reviewer,
            title=post.title,
            note=note,
            link=external_url(
                "planner.edit_post", cohort_id=post.cohort_id, post_id=post.id
            ),
        )
    except OSError:
        logger.exception("could not email %s about returned post", post.author.email)


def schedule(post, user, version):
    cohort = db.session.get(Cohort, post.cohort_id)
    if not can_run(cohort, user):
        raise PlanError(_l("Professionals of the cohort schedule posts."))
    move(post, user, "scheduled", ("approved",), "scheduled", version)


def publish(post, user, version, url):
    cohort = db.session.get(Cohort, post.cohort_id)
    if not (can_run(cohort, user) or user.id == post.author_id):
        raise PlanError(_l("The author or a professional records publication."))
    url = clean_url(url)
    if url is None:
        raise PlanError(_l("Give the address of the live post."))
    move(
        post,
        user,
        "published",
        ("approved", "scheduled"),
        "published",
        version,
        published_url=url,
    )


def share(post, user, url=None):
    """Record that someone shared an approved post; once per person."""
    if post.status not in READY_STATUSES:
        raise PlanError(_l("Only approved posts can be shared."))
    url = clean_url(url)
    if db.session.scalar(
        db.select(PostShare).filter_by(post_id=post.id, user_id=user.id)
    ):
        raise PlanError(_l("You already recorded sharing this post."))
    db.session.add(PostShare(post_id=post.id, user_id=user.id, url=url))
    record(post, user, "shared")
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise PlanError(_l("You already recorded sharing this post.")) from None


EDITABLE = ("draft", "returned")
CONTENT_FIELDS = (
    "title",
    "channel",
    "pillar_id",
    "topic_id",
    "group_id",
    "text",
    "link",
    "image",
)
TIME_FIELDS = ("planned_at", "planned_date", "timezone")


def check_entries(cohort, values):
    """The chosen pillar, topic and target group belong to this cohort's
    strategy, and the topic to the pillar."""
    chosen = {
        key: db.session.get(StrategyEntry, values[key])
        for key in ("pillar_id", "topic_id", "group_id")
        if values.get(key)
    }
    kinds = {"pillar_id": "pillar", "topic_id": "topic", "group_id": "group"}
    for key, entry in chosen.items():
        if entry is None or entry.cohort_id != cohort.id or entry.kind != kinds[key]:
            raise PlanError(_l("Choose from this cohort's content strategy."))
    topic = chosen.get("topic_id")
    if topic is not None and topic.parent_id != values.get("pillar_id"):
        raise PlanError(_l("That topic belongs to another pillar."))


def changes_between(post, values, fields):
    return {
        key: [str_or_none(getattr(post, key)), str_or_none(values[key])]
        for key in fields
        if key in values and getattr(post, key) != values[key]
    }


def str_or_none(value):
    return None if value is None else str(value)


def create_post(cohort, user, values):
    check_entries(cohort, values)
    post = Post(cohort_id=cohort.id, author_id=user.id, status="draft", **values)
    db.session.add(post)
    db.session.flush()
    record(post, user, "created")
    db.session.commit()
    return post


def edit_post(post, user, values, version):
    """Save an edit if nobody saved a newer one since the form was opened.

    The author edits while the post is a draft or returned; professionals of the
    cohort may move its date and time until it is published."""
    cohort = db.session.get(Cohort, post.cohort_id)
    author_may = user.id == post.author_id and post.status in EDITABLE
    reschedule_only = not author_may
    if reschedule_only and not (can_run(cohort, user) and post.status != "published"):
        raise PlanError(
            _l("This post cannot be edited now. Ask its author or a professional.")
        )
    fields = TIME_FIELDS if reschedule_only else CONTENT_FIELDS + TIME_FIELDS
    values = {key: values[key] for key in fields if key in values}
    if not reschedule_only:
        check_entries(cohort, values)
    changes = changes_between(post, values, fields)
    if not claim(post, version, **values):
        raise PlanError(
            _l(
                "Someone changed this post since you opened it, so your edit was "
                "not saved. Your version is below; check the current post and "
                "save again."
            )
        )
    if changes:
        action = "rescheduled" if set(changes) <= set(TIME_FIELDS) else "edited"
        record(post, user, action, changes=changes)
    db.session.commit()
    db.session.refresh(post)
    return post


def delete_draft(post, user):
    if user.id != post.author_id or post.status != "draft":
        raise PlanError(_l("Only the author deletes a draft."))
    for event in post.events:
        db.session.delete(event)
    db.session.delete(post)
    db.session.commit()
