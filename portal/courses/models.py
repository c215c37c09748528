from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class CourseVersion(db.Model):
    """A version of a track that has been published, kept so history can name it."""

    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("track", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    track: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    published_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
