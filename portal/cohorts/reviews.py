"""Checklist items that another professional signs off."""

import logging

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from portal.cohorts.services import CohortError, can_run
from portal.credentials.services import issue_if_complete
from portal.database import utcnow
from portal.extensions import db
from portal.learning.models import ChecklistTick, Enrolment
from portal.mailer import email_user
from portal.urls import external_url

logger = logging.getLogger(__name__)


def pending_count(cohort, reviewer):
    """How many items wait for this reviewer: everyone's but their own."""
    return db.session.scalar(
        db.select(db.func.count(ChecklistTick.id))
        .join(ChecklistTick.enrolment)
        .where(
            Enrolment.cohort_id == cohort.id,
            Enrolment.user_id != reviewer.id,
            ChecklistTick.review_status == "pending",
        )
    )


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


def review(tick, reviewer, *, approve, comment, seen=None):
    """Approve or return an item; nobody reviews their own work.

    `seen` is when the item was ticked as the reviewer saw it: an item ticked
    again since then, with other evidence, is not decided on the old view."""
    cohort = tick.enrolment.cohort
    comment = (comment or "").strip()
    if cohort is None or not can_run(cohort, reviewer):
        raise CohortError(_l("Only a professional of this cohort can review this."))
    if tick.enrolment.user_id == reviewer.id:
        raise CohortError(_l("Nobody reviews their own work; ask a colleague."))
    if not approve and not comment:
        raise CohortError(_l("Say what needs to change when you return an item."))
    if seen is not None and seen != tick.ticked_at.isoformat():
        raise CohortError(
            _l("The trainee changed this item since you opened it; look again.")
        )

    # One conditional update, so that two reviewers at once cannot both decide.
    decided = db.session.execute(
        db.update(ChecklistTick)
        .where(
            ChecklistTick.id == tick.id,
            ChecklistTick.review_status == "pending",
            ChecklistTick.ticked_at == tick.ticked_at,
        )
        .values(
            review_status="approved" if approve else "returned",
            reviewer_id=reviewer.id,
            reviewed_at=utcnow(),
            review_comment=comment or None,
        )
    ).rowcount
    db.session.commit()
    if not decided:
        raise CohortError(_l("This item is no longer waiting for review."))
    db.session.refresh(tick)
    if not approve:
        tell_trainee_about_return(tick, reviewer)
    else:
        track = current_app.extensions["courses"].get(tick.enrolment.track)
        if track is not None:
            issue_if_complete(tick.enrolment, track)
    logger.info(
        "checklist item %s of enrolment %s %s by %s",
        tick.item,
        tick.enrolment_id,
        tick.review_status,
        reviewer.email,
    )


def tell_trainee_about_return(tick, reviewer):
    trainee = tick.enrolment.user
    email_user(
        trainee,
        _l("A checklist item was returned to you"),
        "item_returned",
        reply_to=reviewer.email,
        reviewer=reviewer,
        comment=tick.review_comment,
        link=external_url(
            "learning.module",
            track_slug=tick.enrolment.track,
            module_slug=tick.module,
            _anchor=f"item-{tick.item}",
        ),
    )
