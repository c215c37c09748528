import hashlib
import secrets
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime, utcnow
from portal.extensions import db

ROLES = ("trainee", "professional", "admin")
password_hasher = PasswordHasher()


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Part of the login cookie; a new one ends every session of this account.
    session_token: Mapped[str] = mapped_column(
        String(32), default=lambda: secrets.token_hex(16)
    )
    role: Mapped[str] = mapped_column(String(20), default="trainee")
    locale: Mapped[str | None] = mapped_column(String(8))
    # The IANA zone the person reads times in; their cohort's zone when unset.
    timezone: Mapped[str | None] = mapped_column(String(64))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_seen_at = mapped_column(UTCDateTime)

    enrolments = relationship(
        "Enrolment", back_populates="user", order_by="Enrolment.id"
    )
    organisation = relationship("Organisation")

    def __repr__(self):
        return f"<User {self.id} {self.email}>"

    @property
    def is_active(self):
        return self.active

    @property
    def is_admin(self):
        return self.role == "admin"

    @property
    def is_professional(self):
        return self.role in ("professional", "admin")

    def get_id(self):
        return f"{self.id}:{self.session_token}"

    def set_password(self, password):
        """Set a new password and end every session that used the old one."""
        self.password_hash = password_hasher.hash(password)
        self.session_token = secrets.token_hex(16)

    def check_password(self, password):
        if not password_matches(self.password_hash, password):
            return False
        if password_hasher.check_needs_rehash(self.password_hash):
            self.password_hash = password_hasher.hash(password)
        return True


def password_matches(password_hash, password):
    try:
        return password_hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash():
    """A hash to verify against when an address is unknown, so that a failed
    login takes as long whether or not the account exists."""
    return password_hasher.hash(secrets.token_hex(16))


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(db.Model):
    """A one-time link that lets one person register with a given role and track."""

    __tablename__ = "invitations"
    # One open invitation per person and cohort, even when imports race.
    __table_args__ = (
        Index(
            "uq_invitations_open",
            "cohort_id",
            "email",
            unique=True,
            sqlite_where=text("accepted_at IS NULL"),
            postgresql_where=text("accepted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    track: Mapped[str | None] = mapped_column(String(64))
    group: Mapped[str | None] = mapped_column(String(80))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    accepted_at = mapped_column(UTCDateTime)

    invited_by = relationship("User", foreign_keys=[invited_by_id])
    cohort = relationship("Cohort")
    organisation = relationship("Organisation")

    @classmethod
    def create(cls, *, days_valid, **fields):
        """Return the new invitation and its token; only the token's hash is kept."""
        token = secrets.token_urlsafe(32)
        invitation = cls(
            token_hash=hash_token(token),
            expires_at=utcnow() + timedelta(days=days_valid),
            **fields,
        )
        return invitation, token

    @classmethod
    def find_open(cls, token):
        if not token or len(token) > 100:
            return None
        invitation = db.session.scalar(
            db.select(cls).filter_by(token_hash=hash_token(token))
        )
        if invitation is None or invitation.accepted_at is not None:
            return None
        if invitation.expires_at < utcnow():
            return None
        return invitation
