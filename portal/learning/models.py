from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class Enrolment(db.Model):
    """One person following one track; all progress hangs from it."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "track"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    track: Mapped[str] = mapped_column(String(64))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)
    group: Mapped[str | None] = mapped_column(String(80))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_activity_at = mapped_column(UTCDateTime)
    # The last "come back" email a professional sent to this participant.
    prompted_at = mapped_column(UTCDateTime)

    user = relationship("User", back_populates="enrolments")
    cohort = relationship("Cohort", back_populates="enrolments")
    attempts = relationship("QuizAttempt", back_populates="enrolment")
    ticks = relationship("ChecklistTick", back_populates="enrolment")
    reads = relationship("LessonRead", back_populates="enrolment")


class LessonRead(db.Model):
    __tablename__ = "lesson_reads"
    __table_args__ = (UniqueConstraint("enrolment_id", "module", "lesson"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"))
    module: Mapped[str] = mapped_column(String(64))
    lesson: Mapped[str] = mapped_column(String(64))
    read_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    enrolment = relationship("Enrolment", back_populates="reads")


class QuizAttempt(db.Model):
    """One try at a module's quiz, graded on the server when submitted."""

    __tablename__ = "quiz_attempts"
    # At most one open attempt per module: parallel starts cannot open spares.
    __table_args__ = (
        Index(
            "uq_quiz_attempts_open",
            "enrolment_id",
            "module",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    module: Mapped[str] = mapped_column(String(64))
    course_version: Mapped[str] = mapped_column(String(64))
    # Question ids in the order shown, each with its option ids in shown order.
    layout: Mapped[list] = mapped_column(JSON)
    answers: Mapped[dict | None] = mapped_column(JSON)
    correct: Mapped[int | None]
    total: Mapped[int | None]
    score: Mapped[int | None]
    passed: Mapped[bool | None]
    started_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    submitted_at = mapped_column(UTCDateTime)

    enrolment = relationship("Enrolment", back_populates="attempts")

    @property
    def is_open(self):
        return self.submitted_at is None


class ChecklistTick(db.Model):
    """A checklist item a trainee has ticked, with evidence and review state."""

    __tablename__ = "checklist_ticks"
    __table_args__ = (UniqueConstraint("enrolment_id", "module", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"))
    module: Mapped[str] = mapped_column(String(64))
    item: Mapped[str] = mapped_column(String(64))
    course_version: Mapped[str] = mapped_column(String(64))
    evidence: Mapped[str | None] = mapped_column(Text)
    # "none" when no review is needed, else "pending", "approved" or "returned".
    review_status: Mapped[str] = mapped_column(String(12), default="none")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_at = mapped_column(UTCDateTime)
    ticked_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    enrolment = relationship("Enrolment", back_populates="ticks")

    @property
    def counts_as_done(self):
        return self.review_status in ("none", "approved")
