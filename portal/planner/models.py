"""The content calendar of a cohort: its strategy, planned posts and meetings."""

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime, utcnow
from portal.extensions import db

CHANNELS = ("linkedin", "instagram", "facebook", "x", "tiktok", "youtube", "other")
STATUSES = ("draft", "submitted", "returned", "approved", "scheduled", "published")
# Posts others may see in the plan: everything but an author's own drafts.
SHARED_STATUSES = ("submitted", "returned", "approved", "scheduled", "published")
# Approved posts that ambassadors may share.
READY_STATUSES = ("approved", "scheduled", "published")
MEETING_KINDS = ("editorial", "management")


class Strategy(db.Model):
    """The cohort's content strategy: goals in prose, the rest as named entries."""

    __tablename__ = "strategies"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), primary_key=True)
    goals: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by = relationship("User")


class StrategyEntry(db.Model):
    """A pillar, a topic (under its pillar) or a target group.

    Entries taken out of the strategy are archived, not deleted, so the posts that
    name them keep their meaning."""

    __tablename__ = "strategy_entries"
    __table_args__ = (UniqueConstraint("cohort_id", "kind", "parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # pillar, topic, group
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("strategy_entries.id"))
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )


class Post(db.Model):
    """A planned post. A time is stored in UTC beside the zone it was planned in;
    an all-day post has a date and no time."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(16))
    pillar_id: Mapped[int | None] = mapped_column(ForeignKey("strategy_entries.id"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("strategy_entries.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("strategy_entries.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(500))
    image: Mapped[str | None] = mapped_column(String(300))
    planned_at = mapped_column(UTCDateTime)
    planned_date = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    note: Mapped[str | None] = mapped_column(Text)
    published_url: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    author = relationship("User")
    pillar = relationship("StrategyEntry", foreign_keys=[pillar_id])
    topic = relationship("StrategyEntry", foreign_keys=[topic_id])
    group = relationship("StrategyEntry", foreign_keys=[group_id])
    events = relationship("PostEvent", back_populates="post", order_by="PostEvent.id")
    shares = relationship("PostShare", back_populates="post")

    @property
    def all_day(self):
        return self.planned_at is None


class PostEvent(db.Model):
    """One change to a post: who, when, what, and the note given with it."""

    __tablename__ = "post_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    action: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[dict | None] = mapped_column(JSON)

    post = relationship("Post", back_populates="events")
    actor = relationship("User")


class PostShare(db.Model):
    """An ambassador's record that they shared an approved post."""

    __tablename__ = "post_shares"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    url: Mapped[str | None] = mapped_column(String(500))
    shared_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    post = relationship("Post", back_populates="shares")
    user = relationship("User")


class Meeting(db.Model):
    """A meeting series: the first one's local start in its zone, and a rule."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(120))
    agenda: Mapped[str] = mapped_column(Text, default="")
    starts_at = mapped_column(UTCDateTime, nullable=False)
    timezone: Mapped[str] = mapped_column(String(64))
    minutes: Mapped[int] = mapped_column(Integer, default=60)
    # Months between meetings (1 monthly, 3 quarterly), 0 for a single meeting.
    every_months: Mapped[int] = mapped_column(Integer, default=1)
    count: Mapped[int] = mapped_column(Integer, default=1)
    # On the same weekday of the month as the first (the first Tuesday, the last
    # Friday) rather than on the same date.
    by_weekday: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Feed(db.Model):
    """A person's private calendar feed of one cohort. The address is signed
    with the site's secret and this row's nonce; a new nonce retires the old one."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (UniqueConstraint("user_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    nonce: Mapped[str] = mapped_column(String(32))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user = relationship("User")
    cohort = relationship("Cohort")
