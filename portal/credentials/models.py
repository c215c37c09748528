import secrets

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime, utcnow
from portal.extensions import db

# Letters and digits that cannot be mistaken for one another: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_public_id():
    return secrets.token_hex(16)


def normalise_code(text):
    """The code as stored, from what someone typed; None if it cannot be one."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


class Certificate(db.Model):
    """One certificate per holder and course version, with its signed credential.

    A track with a validity period can be renewed after the certificate expires;
    each renewal is a new certificate, numbered, so the old record stays as it was.
    """

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("user_id", "track", "course_version", "renewal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(32), unique=True, default=new_public_id
    )
    code: Mapped[str] = mapped_column(
        String(CODE_LENGTH), unique=True, default=new_code
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    track: Mapped[str] = mapped_column(String(64))
    track_title: Mapped[str] = mapped_column(String(200))
    course_version: Mapped[str] = mapped_column(String(64))
    holder_name: Mapped[str] = mapped_column(String(120))
    issued_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    valid_until = mapped_column(UTCDateTime)
    kid: Mapped[str] = mapped_column(String(64))
    token: Mapped[str] = mapped_column(Text)
    revoked_at = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    renewal: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # What the public page shows beyond name, track and status: the holder's choice.
    show_dates: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true()
    )
    show_version: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true()
    )
    show_organisation: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    user = relationship("User")

    @property
    def code_display(self):
        return f"{self.code[:5]}-{self.code[5:]}"

    @property
    def public_organisation(self):
        """The holder's organisation, if they chose to show it publicly."""
        if not self.show_organisation or self.user.organisation is None:
            return None
        return self.user.organisation.name

    def status(self, now=None):
        if self.revoked_at is not None:
            return "revoked"
        if self.valid_until is not None and (now or utcnow()) > self.valid_until:
            return "expired"
        return "valid"


class TrackPolicy(db.Model):
    """How long a track's certificates stay valid; none means they do not expire."""

    __tablename__ = "track_policies"

    track: Mapped[str] = mapped_column(String(64), primary_key=True)
    validity_months: Mapped[int | None] = mapped_column(Integer)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
