"""Where a trainee stands in their track, computed from a handful of queries."""

from dataclasses import dataclass, field

from portal.extensions import db
from portal.learning.models import ChecklistTick, LessonRead, QuizAttempt
from portal.planner.exercises import cohort_facts, results


@dataclass
class ModuleProgress:
    module: object
    read: set = field(default_factory=set)
    best_score: int | None = None
    quiz_passed: bool = False
    ticks: dict = field(default_factory=dict)
    # Exercise id -> its result against the cohort's calendar.
    exercises: dict = field(default_factory=dict)

    @property
    def items_done(self):
        return sum(1 for t in self.ticks.values() if t.counts_as_done)

    @property
    def items_open(self):
        """Items the trainee can act on: not ticked, or returned by a reviewer.
        Items waiting for a review are not theirs to do."""
        return [
            item
            for item in self.module.checklist.items
            if item.id not in self.ticks
            or self.ticks[item.id].review_status == "returned"
        ]

    @property
    def requirements(self):
        """(done, total) over the quiz, checklist items and exercises."""
        module = self.module
        total = done = 0
        if module.quiz:
            total += 1
            done += self.quiz_passed
        if module.checklist:
            items = {item.id for item in module.checklist.items}
            total += len(items)
            done += sum(
                1
                for item, t in self.ticks.items()
                if item in items and t.counts_as_done
            )
        total += len(module.exercises)
        done += sum(
            1
            for exercise in module.exercises
            if exercise.id in self.exercises and self.exercises[exercise.id].met
        )
        return done, total

    @property
    def complete(self):
        done, total = self.requirements
        return total > 0 and done == total

    @property
    def unread_lessons(self):
        return [
            lesson for lesson in self.module.lessons if lesson.slug not in self.read
        ]


@dataclass
class TrackProgress:
    track: object
    modules: list

    @property
    def percent(self):
        done = sum(m.requirements[0] for m in self.modules)
        total = sum(m.requirements[1] for m in self.modules)
        return round(100 * done / total) if total else 0

    def for_module(self, slug):
        return next(m for m in self.modules if m.module.slug == slug)

    def next_step(self):
        """The first thing left to do, as (kind, module, lesson-or-None)."""
        for progress in self.modules:
            module = progress.module
            if progress.unread_lessons:
                return "lesson", module, progress.unread_lessons[0]
            if module.quiz and not progress.quiz_passed:
                return "quiz", module, None
            if module.checklist and progress.items_open:
                return "checklist", module, None
            if any(
                not (r := progress.exercises.get(e.id)) or not r.met
                for e in module.exercises
            ):
                return "exercise", module, None
        return None


def build_progress(track, reads=(), attempts=(), ticks=(), exercises=None):
    """Progress from raw records: reads as (module, lesson), attempts as
    (module, score, passed) of submitted attempts, ticks as ChecklistTick,
    exercises as {exercise id: result}."""
    exercises = exercises or {}
    by_module = {
        m.slug: ModuleProgress(
            module=m,
            exercises={e.id: exercises[e.id] for e in m.exercises if e.id in exercises},
        )
        for m in track.modules
    }
    for module, lesson in reads:
        if module in by_module:
            by_module[module].read.add(lesson)
    for module, score, passed in attempts:
        progress = by_module.get(module)
        if progress is None:
            continue
        if progress.best_score is None or score > progress.best_score:
            progress.best_score = score
        progress.quiz_passed = progress.quiz_passed or bool(passed)
    for tick in ticks:
        if tick.module in by_module:
            by_module[tick.module].ticks[tick.item] = tick
    return TrackProgress(track=track, modules=list(by_module.values()))


def track_progress(enrolment, track):
    """Gather reads, attempts and ticks for one enrolment in three queries, and
    the cohort's calendar in three more when the track has exercises."""
    reads = db.session.execute(
        db.select(LessonRead.module, LessonRead.lesson).filter_by(
            enrolment_id=enrolment.id
        )
    )
    attempts = db.session.execute(
        db.select(QuizAttempt.module, QuizAttempt.score, QuizAttempt.passed).where(
            QuizAttempt.enrolment_id == enrolment.id,
            QuizAttempt.submitted_at.is_not(None),
        )
    )
    ticks = db.session.scalars(
        db.select(ChecklistTick).filter_by(enrolment_id=enrolment.id)
    )
    exercises = None
    if any(module.exercises for module in track.modules):
        facts = cohort_facts(enrolment.cohort)
        exercises = results(track, enrolment.user_id, facts)
    return build_progress(track, reads, attempts, ticks, exercises)
