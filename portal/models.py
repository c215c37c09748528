"""Every model, imported in one place so that migrations see them all."""

from portal.auth.models import Invitation, User
from portal.cohorts.models import (
    Cohort,
    CohortDeadline,
    CohortProfessional,
    HoursLog,
    Organisation,
    PersonalDeadline,
    ReminderSent,
)
from portal.courses.models import CourseVersion
from portal.credentials.models import Certificate, TrackPolicy
from portal.learning.models import ChecklistTick, Enrolment, LessonRead, QuizAttempt
from portal.planner.models import (
    Feed,
    Meeting,
    Post,
    PostEvent,
    PostShare,
    Strategy,
    StrategyEntry,
)

__all__ = [
    "Certificate",
    "TrackPolicy",
    "ChecklistTick",
    "Feed",
    "Meeting",
    "Post",
    "PostEvent",
    "PostShare",
    "Strategy",
    "StrategyEntry",
    "Cohort",
    "CohortDeadline",
    "CohortProfessional",
    "HoursLog",
    "PersonalDeadline",
    "ReminderSent",
    "CourseVersion",
    "Enrolment",
    "Invitation",
    "LessonRead",
    "Organisation",
    "QuizAttempt",
    "User",
]
