import secrets

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
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
    """One certificate per holder and course version, with its signed credential."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("user_id", "track", "course_version"),)

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

    user = relationship("User")

    @property
    def code_display(self):
        return f"{self.code[:5]}-{self.code[5:]}"

    def status(self, now=None):
        if self.revoked_at is not None:
            return "revoked"
        if self.valid_until is not None and (now or utcnow()) > self.valid_until:
            return "expired"
        return "valid"
