"""Deadline reminders, sent once each, and prompts for quiet participants."""

import logging
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from portal.cohorts import dashboard
from portal.cohorts.models import Cohort, ReminderSent
from portal.cohorts.services import CohortError
from portal.database import utcnow
from portal.extensions import db
from portal.learning.models import Enrolment
from portal.mailer import email_user
from portal.urls import external_url

logger = logging.getLogger(__name__)

PROMPT_INTERVAL = timedelta(days=7)


def send_deadline_reminders(registry, now=None):
    """Email each professional once when a milestone comes due, and once when it is
    overdue. Safe to run as often as a scheduler likes; returns what was sent."""
    sent = []
    for cohort in db.session.scalars(db.select(Cohort)).all():
        try:
            sent.extend(remind_cohort(cohort, registry, now))
        except Exception:
            # One broken cohort must not keep the others from their reminders.
            db.session.rollback()
            logger.exception("reminders for cohort %s failed", cohort.id)
    return sent


def remind_cohort(cohort, registry, now):
    view = dashboard.load(cohort, registry, now=now)
    already = set(
        db.session.execute(
            db.select(
                ReminderSent.enrolment_id, ReminderSent.milestone, ReminderSent.kind
            ).where(
                ReminderSent.enrolment_id.in_(
                    [p.enrolment.id for p in view.professionals]
                )
            )
        ).all()
    )
    sent = []
    for participant in view.professionals:
        for state in participant.milestones:
            if state.status not in ("due-soon", "overdue"):
                continue
            key = (participant.enrolment.id, state.number, state.status)
            if key in already or not remember_reminder(*key):
                continue
            try:
                send_reminder(participant, state)
            except OSError:
                forget_reminder(*key)  # so that the next run tries again
                logger.exception("reminder to %s failed", participant.user.email)
            else:
                sent.append(key)
    return sent


def remember_reminder(enrolment_id, milestone, kind):
    """Record the reminder first: a parallel run that loses the race sends nothing."""
    db.session.add(
        ReminderSent(enrolment_id=enrolment_id, milestone=milestone, kind=kind)
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def forget_reminder(enrolment_id, milestone, kind):
    db.session.execute(
        db.delete(ReminderSent).filter_by(
            enrolment_id=enrolment_id, milestone=milestone, kind=kind
        )
    )
    db.session.commit()


def send_reminder(participant, state):
    user = participant.user
    subject = (
        _l("Milestone %(number)s is overdue", number=state.number)
        if state.status == "overdue"
        else _l("Milestone %(number)s is due soon", number=state.number)
    )
    email_user(
        user,
        subject,
        "deadline_reminder",
        state=state,
        link=external_url(
            "learning.module", track_slug="professional", module_slug=state.module.slug
        ),
    )
    logger.info(
        "reminder %s for milestone %s to %s", state.status, state.number, user.email
    )


def prompt(enrolment, sender, now=None):
    """Send a quiet participant a friendly nudge; at most once a week."""
    now = now or utcnow()
    last = enrolment.last_activity_at or enrolment.created_at
    if now - last < timedelta(days=dashboard.QUIET_DAYS):
        raise CohortError(_l("Prompts are for people who have been quiet for 30 days."))
    # Claim the week with one conditional update, so parallel clicks send one email.
    claimed = db.session.execute(
        db.update(Enrolment)
        .where(
            Enrolment.id == enrolment.id,
            db.or_(
                Enrolment.prompted_at.is_(None),
                Enrolment.prompted_at < now - PROMPT_INTERVAL,
            ),
        )
        .values(prompted_at=now)
    ).rowcount
    db.session.commit()
    if not claimed:
        raise CohortError(_l("This person was prompted less than a week ago."))
    user = enrolment.user
    email_user(
        user,
        _l("Your next step in SRO Academy"),
        "prompt",
        reply_to=sender.email,
        sender=sender,
        link=external_url("learning.dashboard"),
    )
    logger.info("prompt sent to %s by %s", user.email, sender.email)
