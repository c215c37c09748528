"""Checklist items that another professional signs off."""

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from portal.auth.models import User
from portal.cohorts.services import CohortError, can_run
from portal.database import utcnow
from portal.extensions import db
from portal.learning.models import ChecklistTick, Enrolment

logger = logging.getLogger(__name__)


def pending(cohort):
    return db.session.scalars(
        db.select(ChecklistTick)
        .join(ChecklistTick.enrolment)
        .join(Enrolment.user)
        .options(contains_eager(ChecklistTick.enrolment).contains_eager(Enrolment.user))
        .where(
            Enrolment.cohort_id == cohort.id, ChecklistTick.review_status == "pending"
        )
        .order_by(ChecklistTick.ticked_at)
    ).all()


def review(tick, reviewer, *, approve, comment):
    """Approve or return an item; nobody reviews their own work."""
    cohort = tick.enrolment.cohort
    comment = (comment or "").strip()
    if cohort is None or not can_run(cohort, reviewer):
        raise CohortError(_l("Only a professional of this cohort can review this."))
    if tick.enrolment.user_id == reviewer.id:
        raise CohortError(_l("Nobody reviews their own work; ask a colleague."))
    if tick.review_status != "pending":
        raise CohortError(_l("This item is no longer waiting for review."))
    if not approve and not comment:
        raise CohortError(_l("Say what needs to change when you return an item."))

    tick.review_status = "approved" if approve else "returned"
    tick.reviewer_id = reviewer.id
    tick.reviewed_at = utcnow()
    tick.review_comment = comment or None
    db.session.commit()
    logger.info(
        "checklist item %s of enrolment %s %s by %s",
        tick.item,
        tick.enrolment_id,
        tick.review_status,
        reviewer.email,
    )


def reviewer_name(tick):
    user = db.session.get(User, tick.reviewer_id) if tick.reviewer_id else None
    return user.name if user else None
