"""Milestone deadlines and their status, in the cohort's own calendar."""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from portal.cohorts.models import CohortDeadline, PersonalDeadline
from portal.database import utcnow
from portal.extensions import db
from portal.learning.models import Enrolment

DUE_SOON_DAYS = 14
STATUSES = ("done", "on-track", "due-soon", "overdue")


def today_in(timezone, now=None):
    """The date it is now in the given IANA time zone."""
    now = now or utcnow()
    return now.astimezone(ZoneInfo(timezone)).date()


def status_for(done, due, today):
    if done:
        return "done"
    if today > due:
        return "overdue"
    if (due - today).days <= DUE_SOON_DAYS:
        return "due-soon"
    return "on-track"


def default_due(cohort, milestone):
    return cohort.start_date + timedelta(weeks=milestone.deadline_weeks)


@dataclass
class MilestoneState:
    module: object
    due: date
    moved: str | None  # None, "cohort" or "personal"
    status: str

    @property
    def number(self):
        return self.module.milestone.number


class Deadlines:
    """Every deadline of a cohort, loaded in two queries."""

    def __init__(self, cohort):
        self.cohort = cohort
        self.cohort_dates = dict(
            db.session.execute(
                db.select(CohortDeadline.milestone, CohortDeadline.due_date).filter_by(
                    cohort_id=cohort.id
                )
            ).all()
        )
        query = (
            db.select(
                PersonalDeadline.enrolment_id,
                PersonalDeadline.milestone,
                PersonalDeadline.due_date,
            )
            .join(Enrolment, Enrolment.id == PersonalDeadline.enrolment_id)
            .where(Enrolment.cohort_id == cohort.id)
        )
        self.personal = {
            (enrolment_id, number): due
            for enrolment_id, number, due in db.session.execute(query)
        }

    def for_cohort(self, module):
        number = module.milestone.number
        if number in self.cohort_dates:
            return self.cohort_dates[number], "cohort"
        return default_due(self.cohort, module.milestone), None

    def due(self, enrolment_id, module):
        personal = self.personal.get((enrolment_id, module.milestone.number))
        if personal is not None:
            return personal, "personal"
        return self.for_cohort(module)

    def states(self, enrolment_id, progress, today):
        """The state of each milestone for one professional in training."""
        states = []
        for module_progress in progress.modules:
            module = module_progress.module
            if module.milestone is None:
                continue
            due, moved = self.due(enrolment_id, module)
            states.append(
                MilestoneState(
                    module=module,
                    due=due,
                    moved=moved,
                    status=status_for(module_progress.complete, due, today),
                )
            )
        return states


class DeadlineError(ValueError):
    """A deadline that cannot be set; the message says why."""


def check_deadline(cohort, due):
    if due < cohort.start_date:
        raise DeadlineError("before-start")
    if due > cohort.start_date + timedelta(weeks=260):
        raise DeadlineError("too-late")


def set_cohort_deadline(cohort, number, due):
    """Move one milestone for the whole cohort; None goes back to the default."""
    row = db.session.scalar(
        db.select(CohortDeadline).filter_by(cohort_id=cohort.id, milestone=number)
    )
    if due is None:
        if row is not None:
            db.session.delete(row)
    else:
        check_deadline(cohort, due)
        if row is None:
            row = CohortDeadline(cohort_id=cohort.id, milestone=number)
            db.session.add(row)
        row.due_date = due
    db.session.commit()


def set_personal_deadline(enrolment, number, due):
    """Move one milestone for one professional; None follows the cohort again."""
    row = db.session.scalar(
        db.select(PersonalDeadline).filter_by(
            enrolment_id=enrolment.id, milestone=number
        )
    )
    if due is None:
        if row is not None:
            db.session.delete(row)
    else:
        check_deadline(enrolment.cohort, due)
        if row is None:
            row = PersonalDeadline(enrolment_id=enrolment.id, milestone=number)
            db.session.add(row)
        row.due_date = due
    db.session.commit()


def out_of_order(cohort, enrolment, number, due):
    """Whether a moved deadline breaks the order of the milestones around it."""
    track = current_app.extensions["courses"].get("professional")
    if track is None:
        return False
    deadlines = Deadlines(cohort)
    for module in track.modules:
        if module.milestone is None or module.milestone.number == number:
            continue
        other, _ = (
            deadlines.due(enrolment.id, module)
            if enrolment is not None
            else deadlines.for_cohort(module)
        )
        if (module.milestone.number < number and other > due) or (
            module.milestone.number > number and other < due
        ):
            return True
    return False
