from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    cohorts = relationship("Cohort", back_populates="organisation")


class Cohort(db.Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Amsterdam")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    organisation = relationship("Organisation", back_populates="cohorts")
    enrolments = relationship("Enrolment", back_populates="cohort")
    staff = relationship(
        "CohortProfessional", back_populates="cohort", order_by="CohortProfessional.id"
    )

    @property
    def has_started(self):
        return datetime.now(ZoneInfo(self.timezone)).date() >= self.start_date

    def is_run_by(self, user):
        return any(member.user_id == user.id for member in self.staff)


class CohortProfessional(db.Model):
    """A professional who runs a cohort (two are advised)."""

    __tablename__ = "cohort_professionals"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    cohort = relationship("Cohort", back_populates="staff")
    user = relationship("User")


class CohortDeadline(db.Model):
    """A milestone deadline moved for the whole cohort."""

    __tablename__ = "cohort_deadlines"
    __table_args__ = (UniqueConstraint("cohort_id", "milestone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    milestone: Mapped[int]
    due_date: Mapped[date]


class PersonalDeadline(db.Model):
    """A milestone deadline moved for one professional in training."""

    __tablename__ = "personal_deadlines"
    __table_args__ = (UniqueConstraint("enrolment_id", "milestone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"))
    milestone: Mapped[int]
    due_date: Mapped[date]


class ReminderSent(db.Model):
    """A deadline reminder that went out, so that it goes out only once."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("enrolment_id", "milestone", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"))
    milestone: Mapped[int]
    # "due-soon" or "overdue"
    kind: Mapped[str] = mapped_column(String(12))
    sent_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class HoursLog(db.Model):
    """Hours a professional spent on the framework, logged by themselves."""

    __tablename__ = "hours_logged"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    day: Mapped[date]
    hours: Mapped[float]
    note: Mapped[str] = mapped_column(String(200), default="")
    logged_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
