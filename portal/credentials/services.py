"""Issue certificates when a track is finished, and check them for verifiers."""

import logging
from dataclasses import dataclass
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from certificates import achievement_credential, sign, verify
from portal.credentials.keystore import keys_version, public_keys, signing_key
from portal.credentials.models import (
    Certificate,
    TrackPolicy,
    new_code,
    new_public_id,
)
from portal.database import utcnow
from portal.extensions import db
from portal.learning.models import QuizAttempt
from portal.learning.progress import track_progress
from portal.mailer import email_user
from portal.urls import external_url

logger = logging.getLogger(__name__)


class NoSigningKey(RuntimeError):
    """Certificates cannot be issued before `flask certificates new-key`."""


def track_complete(progress):
    return bool(progress.modules) and all(m.complete for m in progress.modules)


def issue_if_complete(enrolment, track):
    """Issue the certificate of a finished track, or renew an expired one whose
    holder has passed every quiz again since it expired; return the holder's
    latest certificate, or None.

    Without a signing key nothing is issued now; the next completed step, or an
    administrator, issues it once a key exists."""
    current = latest(enrolment.user, track)
    if current is None:
        if not track_complete(track_progress(enrolment, track)):
            return None
        renewal = 0
    elif current.status() == "expired" and renewal_passed(enrolment, track, current):
        renewal = current.renewal + 1
    else:
        return current
    try:
        certificate = issue(enrolment.user, track, renewal=renewal, like=current)
    except NoSigningKey:
        logger.error(
            "track %s finished by %s, but there is no signing key",
            track.slug,
            enrolment.user.email,
        )
        return current
    if getattr(certificate, "just_issued", False):
        tell_holder(certificate)
    return certificate


def tell_holder(certificate):
    """The holder hears that the certificate is ready; a failed email changes
    nothing about the certificate."""
    try:
        email_user(
            certificate.user,
            _l("Your SRO Academy certificate is ready"),
            "certificate_issued",
            track=certificate.track_title,
            link=external_url("credentials.mine", _anchor=f"c-{certificate.public_id}"),
        )
    except OSError:
        logger.exception(
            "could not email %s about a certificate", certificate.user.email
        )


def renewal_status(enrolment, track, certificate):
    """Per quiz module of the track: (module, passed again since it expired)."""
    since = certificate.valid_until
    passed = set(
        db.session.scalars(
            db.select(QuizAttempt.module).where(
                QuizAttempt.enrolment_id == enrolment.id,
                QuizAttempt.passed.is_(True),
                QuizAttempt.submitted_at >= since,
            )
        )
    )
    return [(m, m.slug in passed) for m in track.modules if m.quiz is not None]


def renewal_passed(enrolment, track, certificate):
    return all(done for _module, done in renewal_status(enrolment, track, certificate))


def validity_months(track_slug):
    policy = db.session.get(TrackPolicy, track_slug)
    return policy.validity_months if policy is not None else None


def expiry(issued_at, months):
    """The moment a certificate issued then stops being valid, or None."""
    return issued_at + relativedelta(months=months) if months else None


def issue(user, track, now=None, valid_until=None, renewal=0, like=None):
    """Exactly one certificate per holder, course version and renewal, even when
    two requests race: the database's unique constraint decides.

    Without an explicit end, validity follows the track's policy."""
    existing = find(user, track, renewal)
    if existing is not None:
        return existing
    key = signing_key()
    if key is None:
        raise NoSigningKey("no signing key; run 'flask certificates new-key'")

    now = now or utcnow()
    if valid_until is None:
        valid_until = expiry(now, validity_months(track.slug))
    # Identifiers now, not at insert: the signed credential names its own address.
    certificate = Certificate(
        public_id=new_public_id(),
        code=new_code(),
        user_id=user.id,
        track=track.slug,
        track_title=track.title,
        course_version=track.version,
        renewal=renewal,
        holder_name=user.name,
        issued_at=now,
        valid_until=valid_until,
        kid=key.kid,
    )
    if like is not None:
        # A renewal keeps what the holder chose to show on the public page.
        certificate.show_dates = like.show_dates
        certificate.show_version = like.show_version
        certificate.show_organisation = like.show_organisation
    certificate.token = sign(credential_for(certificate, track), key)
    db.session.add(certificate)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return find(user, track, renewal)
    # Only the request that created it says so; one that lost a race does not.
    certificate.just_issued = True
    logger.info(
        "certificate %s issued to %s for %s",
        certificate.public_id,
        user.email,
        track.slug,
    )
    return certificate


def find(user, track, renewal=0):
    return db.session.scalar(
        db.select(Certificate).filter_by(
            user_id=user.id,
            track=track.slug,
            course_version=track.version,
            renewal=renewal,
        )
    )


def latest(user, track):
    """The holder's newest certificate for this version of the track."""
    return db.session.scalar(
        db.select(Certificate)
        .filter_by(user_id=user.id, track=track.slug, course_version=track.version)
        .order_by(Certificate.renewal.desc())
        .limit(1)
    )


def criteria(track):
    """What earning the certificate took, in the words of this track's parts."""
    parts = ["Passed every quiz of the track"]
    if any(module.checklist for module in track.modules):
        parts.append("finished its practical checklists, with review where asked")
    if any(module.exercises for module in track.modules):
        parts.append("met its exercises in the cohort's content calendar")
    if len(parts) == 1:
        return parts[0] + "."
    return "; ".join(parts[:-1]) + "; and " + parts[-1] + "."


def credential_for(certificate, track):
    return achievement_credential(
        credential_id=external_url("credentials.show", public_id=certificate.public_id),
        issuer={
            "id": external_url("credentials.issuer"),
            "name": current_app.config["SITE_NAME"],
            "url": external_url("main.index"),
        },
        holder_name=certificate.holder_name,
        achievement={
            "id": external_url(
                "credentials.achievement", track_slug=track.slug, version=track.version
            ),
            "name": track.title,
            "description": track.summary,
            "criteria": criteria(track),
            "version": track.version,
        },
        valid_from=certificate.issued_at,
        valid_until=certificate.valid_until,
    )


@dataclass
class Report:
    certificate: Certificate
    status: str
    checks: list


@lru_cache(maxsize=4096)
def signature_checks(token, keys_version):
    """(signature, key) for a stored credential; the answer depends only on the
    token and the published keys, so it is worked out once per key set."""
    passed = {c.name: c.passed for c in verify(token, public_keys()).checks}
    return passed.get("signature", False), passed.get("key", False)


def check(certificate, now=None):
    """What a verifier needs: the record's status and each check behind it."""
    now = now or utcnow()
    signature, key = signature_checks(certificate.token, keys_version())
    status = certificate.status(now)
    if status == "valid" and not (signature and key):
        status = "invalid"
    checks = [
        ("signature", signature),
        ("key", key),
        ("revocation", certificate.revoked_at is None),
        ("expiry", certificate.status(now) != "expired"),
    ]
    return Report(certificate=certificate, status=status, checks=checks)
