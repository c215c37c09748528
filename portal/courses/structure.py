"""What a parsed track looks like; plain data, no Flask."""

from dataclasses import dataclass, field

ROLES = ("ambassador", "creator", "activator", "professional")
QUESTION_TYPES = ("single", "multiple", "true-false", "short")
EVIDENCE_KINDS = ("text", "link")
# Each kind of calendar exercise, with the numbers it takes.
EXERCISE_KINDS = {
    "submit-stories": ("count",),
    "share-posts": ("count",),
    "plan-calendar": ("count", "weeks", "channels"),
}
PHASES = ("strategy", "pilot", "scale-up")


@dataclass(frozen=True)
class CourseError:
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Option:
    id: str
    html: str
    text: str
    correct: bool


@dataclass
class Question:
    id: str
    type: str
    html: str
    prompt_html: str
    options: list[Option]
    explanation_html: str
    line: int

    def option(self, option_id):
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def correct_ids(self):
        return {o.id for o in self.options if o.correct}


@dataclass
class Quiz:
    title: str
    pass_mark: int
    cooldown_minutes: int
    intro_html: str
    questions: list[Question]

    def question(self, question_id):
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass
class ChecklistItem:
    id: str
    html: str
    evidence: str | None
    review: bool


@dataclass
class Checklist:
    title: str
    intro_html: str
    items: list[ChecklistItem]

    def item(self, item_id):
        return next((i for i in self.items if i.id == item_id), None)


@dataclass
class Exercise:
    id: str
    kind: str
    description: str
    params: dict


@dataclass
class Milestone:
    number: int
    phase: str
    hours: int
    deadline_weeks: int


@dataclass
class Lesson:
    slug: str
    title: str
    html: str


@dataclass
class Module:
    slug: str
    title: str
    summary: str
    minutes: int | None
    intro_html: str
    lessons: list[Lesson] = field(default_factory=list)
    quiz: Quiz | None = None
    checklist: Checklist | None = None
    exercises: list[Exercise] = field(default_factory=list)
    milestone: Milestone | None = None

    def lesson(self, slug):
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)


@dataclass
class Track:
    slug: str
    title: str
    role: str
    summary: str
    intro_html: str
    version: str
    modules: list[Module]

    def module(self, slug):
        return next((m for m in self.modules if m.slug == slug), None)
