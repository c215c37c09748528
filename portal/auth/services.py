"""Accounts: invitations, registration and password resets, without HTTP."""

import hashlib
import logging

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.auth.models import Invitation, User, dummy_hash, password_matches
from portal.cohorts.models import CohortProfessional
from portal.database import commit_or_raise, utcnow
from portal.extensions import db
from portal.learning.models import Enrolment

logger = logging.getLogger(__name__)


class AccountError(Exception):
    """A request about an account that cannot be carried out."""


def normalise_email(email):
    return (email or "").strip().lower()


def find_user(email):
    return db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))


def authenticate(email, password):
    user = find_user(email)
    if user is None:
        password_matches(dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_seen_at = utcnow()
    db.session.commit()
    return user


def invite(
    *, email, name, role, track, invited_by, cohort=None, group=None, organisation=None
):
    email = normalise_email(email)
    if find_user(email) is not None:
        raise AccountError(_l("An account with this email address already exists."))
    invitation, token = Invitation.create(
        days_valid=current_app.config["INVITATION_MAX_AGE_DAYS"],
        email=email,
        name=name.strip(),
        role=role,
        track=track,
        group=group,
        cohort=cohort,
        organisation=organisation or (cohort.organisation if cohort else None),
        invited_by=invited_by,
    )
    db.session.add(invitation)
    db.session.commit()
    logger.info("invitation for %s as %s sent by %s", email, role, invited_by)
    return invitation, token


def register(invitation, *, name, password):
    """Create the invited account and its enrolment in one transaction."""
    if find_user(invitation.email) is not None:
        raise AccountError(_l("An account with this email address already exists."))
    user = User(
        email=invitation.email,
        name=name.strip(),
        role=invitation.role,
        organisation_id=invitation.organisation_id,
    )
    user.set_password(password)
    db.session.add(user)
    if invitation.track:
        db.session.add(
            Enrolment(
                user=user,
                track=invitation.track,
                cohort=invitation.cohort,
                group=invitation.group,
            )
        )
    if invitation.cohort is not None and invitation.role == "professional":
        db.session.add(CohortProfessional(cohort=invitation.cohort, user=user))
    invitation.accepted_at = utcnow()
    # The same invitation may be accepted by a request running alongside.
    commit_or_raise(
        AccountError(_l("An account with this email address already exists."))
    )
    logger.info("user %s registered through invitation %s", user.email, invitation.id)
    return user


def _reset_serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="password-reset")


def _password_fingerprint(user):
    # Part of the token, so that a token stops working once the password changes.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user):
    return _reset_serializer().dumps({"u": user.id, "p": _password_fingerprint(user)})


def user_for_reset_token(token):
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or data.get("p") != _password_fingerprint(user):
        return None
    return user


def reset_password(user, password):
    user.set_password(password)
    db.session.commit()
    logger.info("password reset for %s", user.email)
