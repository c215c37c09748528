"""Organisations, cohorts and their participants, without HTTP."""

import logging
from datetime import date
from zoneinfo import available_timezones

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.auth.models import Invitation, User
from portal.cohorts.importing import Problem
from portal.cohorts.models import (
    Cohort,
    CohortDeadline,
    CohortProfessional,
    Organisation,
)
from portal.database import commit_or_raise
from portal.extensions import db
from portal.learning.models import Enrolment

logger = logging.getLogger(__name__)

ROLE_OF_TRACK = {
    "ambassador": "trainee",
    "creator": "trainee",
    "activator": "trainee",
    "professional": "professional",
}


EARLIEST_START = date(2000, 1, 1)
LATEST_START = date(2100, 12, 31)


class CohortError(Exception):
    """A change to a cohort that cannot be made; the message says why."""


def can_run(cohort, user):
    return user.is_admin or cohort.is_run_by(user)


def cohorts_for(user):
    query = db.select(Cohort).order_by(Cohort.start_date.desc(), Cohort.id.desc())
    if not user.is_admin:
        query = query.join(CohortProfessional).where(
            CohortProfessional.user_id == user.id
        )
    return db.session.scalars(query).all()


def check_timezone(name):
    """Return the IANA name of a time zone, forgiving case; refuse unknown ones."""
    zones = {zone.lower(): zone for zone in available_timezones()}
    wanted = name.strip().lower().replace(" ", "_")
    if wanted in zones:
        return zones[wanted]
    close = sorted(zone for key, zone in zones.items() if key.endswith("/" + wanted))
    if close:
        raise CohortError(
            _l(
                "Unknown time zone '%(name)s'. Did you mean %(zone)s?",
                name=name[:60],
                zone=close[0],
            )
        )
    raise CohortError(
        _l(
            "Unknown time zone '%(name)s'. Use a name such as Europe/Amsterdam.",
            name=name[:60],
        )
    )


def create_organisation(name, created_by):
    organisation = Organisation(name=name.strip())
    db.session.add(organisation)
    commit_or_raise(CohortError(_l("An organisation with this name exists.")))
    logger.info("organisation %s created by %s", organisation.name, created_by.email)
    return organisation


def check_start(start_date):
    if not EARLIEST_START <= start_date <= LATEST_START:
        raise CohortError(
            _l(
                "Choose a start date between %(first)s and %(last)s.",
                first=EARLIEST_START.year,
                last=LATEST_START.year,
            )
        )


def create_cohort(
    *, organisation, name, start_date, timezone, created_by, colleagues=()
):
    """Create a cohort run by its creator and the colleagues chosen."""
    timezone = check_timezone(timezone)
    check_start(start_date)
    cohort = Cohort(
        organisation=organisation,
        name=name.strip(),
        start_date=start_date,
        timezone=timezone,
    )
    db.session.add(cohort)
    for user in {created_by, *colleagues}:
        if user.is_professional:
            db.session.add(CohortProfessional(cohort=cohort, user=user))
    db.session.commit()
    logger.info("cohort %s created by %s", cohort.name, created_by.email)
    return cohort


def add_professional(cohort, user):
    if not user.is_professional:
        raise CohortError(_l("Only SRO Professionals can run a cohort."))
    if cohort.is_run_by(user):
        return
    db.session.add(CohortProfessional(cohort=cohort, user=user))
    db.session.commit()


def update_cohort(cohort, *, name, start_date, timezone):
    timezone = check_timezone(timezone)
    check_start(start_date)
    earliest = db.session.scalar(
        db.select(db.func.min(CohortDeadline.due_date)).filter_by(cohort_id=cohort.id)
    )
    if earliest is not None and earliest < start_date:
        raise CohortError(_l("A moved deadline would fall before the new start date."))
    cohort.name = name.strip()
    cohort.start_date = start_date
    cohort.timezone = timezone
    db.session.commit()


def in_chunks(values, size=500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def check_against_cohort(cohort, participants):
    """Problems only the database can tell: people already in the cohort or
    invited to it, and accounts that may not join it."""
    accounts, enrolled, invited = {}, set(), set()
    for chunk in in_chunks([p.email for p in participants]):
        for user in db.session.scalars(db.select(User).where(User.email.in_(chunk))):
            accounts[user.email] = user
        enrolled.update(
            db.session.execute(
                db.select(User.email, Enrolment.track)
                .join(Enrolment, Enrolment.user_id == User.id)
                .where(User.email.in_(chunk))
            ).all()
        )
        invited.update(
            db.session.scalars(
                db.select(Invitation.email).where(
                    Invitation.email.in_(chunk),
                    Invitation.cohort_id == cohort.id,
                    Invitation.accepted_at.is_(None),
                )
            )
        )
    problems = []
    for participant in participants:
        email = participant.email
        user = accounts.get(email)
        if email in invited:
            message = _("%(email)s is already invited to this cohort.", email=email)
        elif user is not None and user.organisation_id != cohort.organisation_id:
            # Accounts of other organisations join only through an administrator.
            message = _(
                "%(email)s cannot be added here; an administrator can help.",
                email=email,
            )
        elif (email, participant.role) in enrolled:
            message = _("%(email)s already follows this track.", email=email)
        elif (
            user is not None
            and participant.role == "professional"
            and not user.is_professional
        ):
            message = _(
                "%(email)s has no SRO Professional account; an administrator can "
                "change that.",
                email=email,
            )
        else:
            continue
        problems.append(Problem(participant.line, message))
    return problems


def import_participants(cohort, participants, invited_by):
    """Enrol the known people and invite the others, all in one transaction.

    Returns the new invitations with their tokens, to be emailed after commit."""
    existing = {}
    for chunk in in_chunks([p.email for p in participants]):
        for user in db.session.scalars(db.select(User).where(User.email.in_(chunk))):
            existing[user.email] = user

    days_valid = current_app.config["INVITATION_MAX_AGE_DAYS"]
    invitations = []
    for participant in participants:
        user = existing.get(participant.email)
        if user is not None:
            db.session.add(
                Enrolment(
                    user=user,
                    track=participant.role,
                    cohort=cohort,
                    group=participant.group,
                )
            )
            if participant.role == "professional" and not cohort.is_run_by(user):
                db.session.add(CohortProfessional(cohort=cohort, user=user))
            continue
        invitation, token = Invitation.create(
            days_valid=days_valid,
            email=participant.email,
            name=participant.name,
            role=ROLE_OF_TRACK[participant.role],
            track=participant.role,
            group=participant.group,
            cohort=cohort,
            organisation=cohort.organisation,
            invited_by=invited_by,
        )
        db.session.add(invitation)
        invitations.append((invitation, token))
    commit_or_raise(
        CohortError(
            _l("Someone changed this cohort at the same moment; nothing was imported.")
        )
    )
    logger.info(
        "%d participants imported into cohort %s by %s",
        len(participants),
        cohort.id,
        invited_by.email,
    )
    return invitations
