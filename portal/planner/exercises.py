"""Calendar exercises from the course modules, checked against the calendar."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from portal.extensions import db
from portal.planner.models import READY_STATUSES, Post, PostShare, StrategyEntry
from portal.planner.times import in_zone

# A story counts once it has been handed over and not sent back.
SUBMITTED_STATUSES = ("submitted", "approved", "scheduled", "published")


@dataclass(frozen=True)
class PostFact:
    id: int
    author_id: int
    status: str
    pillar_id: int | None
    channel: str
    day: object


@dataclass
class Facts:
    """What the exercises of a whole cohort are checked against: three queries."""

    posts: list = field(default_factory=list)
    shared: set = field(default_factory=set)  # (user id, post id)
    pillars: dict = field(default_factory=dict)  # active pillar id -> name


@dataclass
class Result:
    exercise: object
    met: bool
    progress: str
    missing: list


def cohort_facts(cohort):
    if cohort is None:
        return None
    rows = db.session.execute(
        db.select(
            Post.id,
            Post.author_id,
            Post.status,
            Post.pillar_id,
            Post.channel,
            Post.planned_at,
            Post.planned_date,
        ).where(Post.cohort_id == cohort.id)
    )
    posts = [
        PostFact(
            id=row.id,
            author_id=row.author_id,
            status=row.status,
            pillar_id=row.pillar_id,
            channel=row.channel,
            day=(
                row.planned_date
                if row.planned_at is None
                else in_zone(row.planned_at, cohort.timezone).date()
            ),
        )
        for row in rows
    ]
    shared = set(
        tuple(row)
        for row in db.session.execute(
            db.select(PostShare.user_id, PostShare.post_id)
            .join(Post, Post.id == PostShare.post_id)
            .where(Post.cohort_id == cohort.id, Post.status.in_(READY_STATUSES))
        ).all()
    )
    pillars = dict(
        tuple(row)
        for row in db.session.execute(
            db.select(StrategyEntry.id, StrategyEntry.name).filter_by(
                cohort_id=cohort.id, kind="pillar", archived=False
            )
        ).all()
    )
    return Facts(posts=posts, shared=shared, pillars=pillars)


def check(exercise, user_id, facts):
    """Whether one person meets one exercise, and what is still missing."""
    params = exercise.params
    if facts is None:
        return Result(
            exercise,
            False,
            "",
            [_l("Join a cohort: the exercise is done in its content calendar.")],
        )
    count = params.get("count", 1)
    if exercise.kind == "submit-stories":
        done = sum(
            1
            for p in facts.posts
            if p.author_id == user_id
            and p.status in SUBMITTED_STATUSES
            and p.pillar_id is not None
        )
        missing = []
        if done < count:
            missing.append(
                lazy_ngettext(
                    "Submit %(num)s more story with a content pillar.",
                    "Submit %(num)s more stories, each with a content pillar.",
                    count - done,
                )
            )
        progress = _l("%(done)s of %(count)s stories submitted", done=done, count=count)
        return Result(exercise, not missing, progress, missing)

    if exercise.kind == "share-posts":
        done = sum(1 for user, _post in facts.shared if user == user_id)
        missing = []
        if done < count:
            missing.append(
                lazy_ngettext(
                    "Share %(num)s more approved post and record it.",
                    "Share %(num)s more approved posts and record each one.",
                    count - done,
                )
            )
        progress = _l(
            "%(done)s of %(count)s approved posts shared", done=done, count=count
        )
        return Result(exercise, not missing, progress, missing)

    # plan-calendar: enough posts, spread over enough weeks, every pillar, channels.
    mine = [p for p in facts.posts if p.author_id == user_id and p.status != "returned"]
    weeks = {p.day.isocalendar()[:2] for p in mine if p.day is not None}
    channels = {p.channel for p in mine}
    covered = {p.pillar_id for p in mine if p.pillar_id in facts.pillars}
    need_weeks, need_channels = params.get("weeks", 1), params.get("channels", 1)
    missing = []
    if len(mine) < count:
        missing.append(
            lazy_ngettext(
                "Plan %(num)s more post.", "Plan %(num)s more posts.", count - len(mine)
            )
        )
    if len(weeks) < need_weeks:
        missing.append(
            lazy_ngettext(
                "Spread the posts over %(num)s more week.",
                "Spread the posts over %(num)s more weeks.",
                need_weeks - len(weeks),
            )
        )
    if not facts.pillars:
        missing.append(
            _l("The content strategy has no pillars yet; its professionals set them.")
        )
    elif len(covered) < len(facts.pillars):
        names = ", ".join(
            name for pid, name in facts.pillars.items() if pid not in covered
        )
        missing.append(_l("Plan posts for these pillars: %(names)s.", names=names))
    if len(channels) < need_channels:
        missing.append(
            lazy_ngettext(
                "Use %(num)s more channel.",
                "Use %(num)s more channels.",
                need_channels - len(channels),
            )
        )
    progress = _l(
        "Your own posts: %(posts)s planned (%(count)s needed), in %(weeks)s "
        "different weeks (%(need_weeks)s needed), on %(channels)s channels "
        "(%(need_channels)s needed), covering %(covered)s of %(pillars)s pillars. "
        "Drafts count; returned posts do not.",
        posts=len(mine),
        count=count,
        weeks=len(weeks),
        need_weeks=need_weeks,
        channels=len(channels),
        need_channels=need_channels,
        covered=len(covered),
        pillars=len(facts.pillars),
    )
    return Result(exercise, not missing, progress, missing)


def results(track, user_id, facts):
    """{exercise id: Result} for every exercise of the track."""
    return {
        exercise.id: check(exercise, user_id, facts)
        for module in track.modules
        for exercise in module.exercises
    }
