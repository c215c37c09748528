"""Everything the cohort dashboard shows, in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import case
from sqlalchemy.orm import contains_eager

from portal.auth.models import Invitation, User
from portal.cohorts.milestones import Deadlines, today_in
from portal.cohorts.models import HoursLog
from portal.database import utcnow
from portal.extensions import db
from portal.learning.models import ChecklistTick, Enrolment, QuizAttempt
from portal.learning.progress import build_progress
from portal.planner.exercises import cohort_facts
from portal.planner.exercises import results as exercise_results

QUIET_DAYS = 30
MILESTONE_HOURS = 76


@dataclass
class Participant:
    enrolment: object
    user: object
    track: object | None
    progress: object | None
    milestones: list = field(default_factory=list)
    quiz_average: int | None = None
    hours_logged: float = 0.0
    quiet: bool = False

    @property
    def percent(self):
        return self.progress.percent if self.progress else 0

    @property
    def behind(self):
        return any(m.status == "overdue" for m in self.milestones)

    @property
    def complete(self):
        return self.percent == 100

    @property
    def milestones_done(self):
        return sum(1 for m in self.milestones if m.status == "done")

    @property
    def hours_estimated(self):
        return sum(
            m.module.milestone.hours for m in self.milestones if m.status == "done"
        )

    @property
    def hours_total(self):
        return self.hours_estimated + self.hours_logged

    def matches(self, role=None, group=None, status=None):
        if role and self.enrolment.track != role:
            return False
        if group and (self.enrolment.group or "") != group:
            return False
        if status == "quiet":
            return self.quiet
        if status == "behind":
            return self.behind
        if status == "complete":
            return self.complete
        return True


@dataclass
class CohortView:
    cohort: object
    participants: list
    invitations: list
    deadlines: object
    today: object
    progress_by_week: list

    @property
    def groups(self):
        return sorted(
            {p.enrolment.group for p in self.participants if p.enrolment.group}
        )

    @property
    def professionals(self):
        return [p for p in self.participants if p.enrolment.track == "professional"]

    def funnel(self, track):
        """How many professionals finished each milestone."""
        if track is None:
            return []
        counts = []
        for module in track.modules:
            if module.milestone is None:
                continue
            done = sum(
                1
                for p in self.professionals
                for m in p.milestones
                if m.module.slug == module.slug and m.status == "done"
            )
            counts.append((module, done))
        return counts


def members(cohort):
    """The cohort's enrolments with their people, in one query."""
    return db.session.scalars(
        db.select(Enrolment)
        .join(Enrolment.user)
        .options(contains_eager(Enrolment.user))
        .where(Enrolment.cohort_id == cohort.id)
        .order_by(User.name, Enrolment.id)
    ).all()


def open_invitations(cohort):
    return db.session.scalars(
        db.select(Invitation)
        .where(Invitation.cohort_id == cohort.id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.name)
    ).all()


def load(cohort, registry, now=None, today=None):
    """Load the cohort's participants and their progress in ten queries."""
    now = now or utcnow()
    today = today or today_in(cohort.timezone, now)

    enrolments = members(cohort)

    passed = case((QuizAttempt.passed, 1), else_=0)
    first_pass = case((QuizAttempt.passed, QuizAttempt.submitted_at), else_=None)
    attempts = defaultdict(list)
    completions = []
    for enrolment_id, module, score, ever_passed, passed_at in db.session.execute(
        db.select(
            QuizAttempt.enrolment_id,
            QuizAttempt.module,
            db.func.max(QuizAttempt.score),
            db.func.max(passed),
            db.func.min(first_pass),
        )
        .join(Enrolment, Enrolment.id == QuizAttempt.enrolment_id)
        .where(Enrolment.cohort_id == cohort.id, QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.enrolment_id, QuizAttempt.module)
    ):
        attempts[enrolment_id].append((module, score, ever_passed))
        if passed_at is not None:
            completions.append(passed_at)

    ticks = defaultdict(list)
    for tick in db.session.scalars(
        db.select(ChecklistTick)
        .join(Enrolment, Enrolment.id == ChecklistTick.enrolment_id)
        .where(Enrolment.cohort_id == cohort.id)
    ):
        ticks[tick.enrolment_id].append(tick)
        if tick.counts_as_done:
            completions.append(tick.reviewed_at or tick.ticked_at)

    hours = dict(
        db.session.execute(
            db.select(HoursLog.enrolment_id, db.func.sum(HoursLog.hours))
            .join(Enrolment, Enrolment.id == HoursLog.enrolment_id)
            .where(Enrolment.cohort_id == cohort.id)
            .group_by(HoursLog.enrolment_id)
        ).all()
    )
    deadlines = Deadlines(cohort)
    invitations = open_invitations(cohort)
    facts = cohort_facts(cohort)

    quiet_since = now - timedelta(days=QUIET_DAYS)
    participants = []
    total_requirements = 0
    for enrolment in enrolments:
        track = registry.get(enrolment.track)
        participant = Participant(
            enrolment=enrolment, user=enrolment.user, track=track, progress=None
        )
        if track is not None:
            progress = build_progress(
                track,
                (),
                attempts.get(enrolment.id, ()),
                ticks.get(enrolment.id, ()),
                exercise_results(track, enrolment.user_id, facts),
            )
            participant.progress = progress
            total_requirements += sum(m.requirements[1] for m in progress.modules)
            scores = [
                m.best_score for m in progress.modules if m.best_score is not None
            ]
            participant.quiz_average = (
                round(sum(scores) / len(scores)) if scores else None
            )
            if enrolment.track == "professional":
                participant.milestones = deadlines.states(enrolment.id, progress, today)
        participant.hours_logged = float(hours.get(enrolment.id) or 0)
        last = enrolment.last_activity_at or enrolment.created_at
        participant.quiet = last < quiet_since
        participants.append(participant)

    return CohortView(
        cohort=cohort,
        participants=participants,
        invitations=invitations,
        deadlines=deadlines,
        today=today,
        progress_by_week=weekly_progress(
            cohort, completions, total_requirements, today
        ),
    )


def weekly_progress(cohort, completions, total, today):
    """The cohort's average progress at the end of each week since it started."""
    if not total or today < cohort.start_date:
        return []
    weeks = max(1, min(104, (today - cohort.start_date).days // 7 + 1))
    dates = sorted(moment.date() for moment in completions)
    series, index = [], 0
    for week in range(weeks + 1):
        end = min(cohort.start_date + timedelta(weeks=week), today)
        while index < len(dates) and dates[index] <= end:
            index += 1
        series.append((end, round(100 * index / total)))
    return series
