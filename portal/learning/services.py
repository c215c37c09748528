"""Quiz attempts, checklist ticks and lesson reads: the trainee's actions."""

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from portal.courses.grading import clean_answers, grade, shuffled_layout
from portal.database import commit_or_raise, utcnow
from portal.extensions import db
from portal.learning.models import ChecklistTick, LessonRead, QuizAttempt

logger = logging.getLogger(__name__)

MAX_EVIDENCE = 2000
MAX_LINK = 500


class LearningError(Exception):
    """An action the trainee cannot take right now; the message says why."""


def touch(enrolment):
    enrolment.last_activity_at = utcnow()


def mark_read(enrolment, module, lesson):
    exists = db.session.scalar(
        db.select(LessonRead.id).filter_by(
            enrolment_id=enrolment.id, module=module.slug, lesson=lesson.slug
        )
    )
    if exists is None:
        db.session.add(
            LessonRead(
                enrolment_id=enrolment.id, module=module.slug, lesson=lesson.slug
            )
        )
    touch(enrolment)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a request alongside recorded the same read


def last_attempt(enrolment, module):
    return db.session.scalar(
        db.select(QuizAttempt)
        .filter_by(enrolment_id=enrolment.id, module=module.slug)
        .order_by(QuizAttempt.id.desc())
        .limit(1)
    )


def cooldown_ends(enrolment, module):
    """When the trainee may start a new attempt, or None if they may now."""
    attempt = last_attempt(enrolment, module)
    if attempt is None or attempt.is_open or attempt.passed:
        return None
    ends = attempt.submitted_at + timedelta(minutes=module.quiz.cooldown_minutes)
    return ends if ends > utcnow() else None


def start_attempt(enrolment, track, module):
    """Return the open attempt at this version, or start one with a fresh order."""
    attempt = last_attempt(enrolment, module)
    if attempt is not None and attempt.is_open:
        if attempt.course_version == track.version:
            return attempt
        discard_attempt(attempt)
    elif cooldown_ends(enrolment, module) is not None:
        raise LearningError(_l("Please wait until the cooldown has passed."))

    attempt = QuizAttempt(
        enrolment_id=enrolment.id,
        module=module.slug,
        course_version=track.version,
        layout=shuffled_layout(module.quiz),
    )
    db.session.add(attempt)
    touch(enrolment)
    try:
        db.session.commit()
    except IntegrityError:
        # A request alongside opened an attempt first; that one is the attempt.
        db.session.rollback()
        attempt = last_attempt(enrolment, module)
        if attempt is None or not attempt.is_open:
            raise LearningError(_l("Please try again.")) from None
    return attempt


def discard_attempt(attempt):
    """Drop an unsubmitted attempt whose questions no longer match the course."""
    db.session.delete(attempt)
    db.session.commit()


def submit_attempt(attempt, track, module, form):
    """Grade the submitted form; raises AnswerError for a form the quiz did not
    offer and LearningError when the attempt cannot be graded."""
    if not attempt.is_open:
        raise LearningError(_l("This attempt has already been submitted."))
    if attempt.course_version != track.version:
        discard_attempt(attempt)
        raise LearningError(
            _l("The course was updated while you worked. Please start again.")
        )

    answers = clean_answers(module.quiz, form)
    _, correct, score, passed = grade(module.quiz, answers)
    attempt.answers = answers
    attempt.correct = correct
    attempt.total = len(module.quiz.questions)
    attempt.score = score
    attempt.passed = passed
    attempt.submitted_at = utcnow()
    touch(attempt.enrolment)
    db.session.commit()
    logger.info(
        "quiz %s/%s attempt %s by enrolment %s: %s%%",
        track.slug,
        module.slug,
        attempt.id,
        attempt.enrolment_id,
        score,
    )
    return attempt


def clean_evidence(item, evidence):
    evidence = (evidence or "").strip()
    if item.evidence is None:
        return None
    if not evidence:
        raise LearningError(_l("This item needs evidence before you tick it."))
    if item.evidence == "link":
        parts = urlsplit(evidence)
        if len(evidence) > MAX_LINK or parts.scheme not in ("http", "https"):
            raise LearningError(
                _l("Give a web address that starts with http:// or https://.")
            )
        if not parts.netloc:
            raise LearningError(_l("That web address is not complete."))
    elif len(evidence) > MAX_EVIDENCE:
        raise LearningError(
            _l("Evidence is at most %(count)s characters long.", count=MAX_EVIDENCE)
        )
    return evidence


def tick_item(enrolment, track, module, item, evidence):
    evidence = clean_evidence(item, evidence)
    tick = db.session.scalar(
        db.select(ChecklistTick).filter_by(
            enrolment_id=enrolment.id, module=module.slug, item=item.id
        )
    )
    if tick is not None and tick.review_status == "approved":
        raise LearningError(_l("This item has been approved and cannot be changed."))
    if tick is None:
        tick = ChecklistTick(
            enrolment_id=enrolment.id, module=module.slug, item=item.id
        )
        db.session.add(tick)
    tick.evidence = evidence
    tick.course_version = track.version
    tick.ticked_at = utcnow()
    tick.review_status = "pending" if item.review else "none"
    tick.reviewer_id = None
    tick.reviewed_at = None
    touch(enrolment)
    commit_or_raise(
        LearningError(
            _l("This item was changed at the same moment. Please look and try again.")
        )
    )
    return tick


def untick_item(enrolment, module, item):
    tick = db.session.scalar(
        db.select(ChecklistTick).filter_by(
            enrolment_id=enrolment.id, module=module.slug, item=item.id
        )
    )
    if tick is None:
        return
    if tick.review_status == "approved":
        raise LearningError(_l("This item has been approved and cannot be changed."))
    db.session.delete(tick)
    touch(enrolment)
    db.session.commit()
