"""Demo data: the fictional company Calico with one cohort mid-way."""

import random
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from portal.auth.models import User
from portal.cohorts.models import Cohort, Organisation
from portal.courses.grading import shuffled_layout
from portal.database import utcnow
from portal.extensions import db
from portal.learning.models import ChecklistTick, Enrolment, LessonRead, QuizAttempt

demo_cli = AppGroup("demo", help="Demo data for trying the portal.")

DEMO_PASSWORD = "calico-demo-2026"

# (name, email, role, track, modules finished)
PEOPLE = [
    ("Ada Admin", "admin@calico.example", "admin", None, 0),
    ("Priya Jansen", "priya@calico.example", "professional", "professional", 0),
    ("Daan de Wit", "daan@calico.example", "professional", "professional", 0),
    ("Anna Bakker", "anna@calico.example", "trainee", "ambassador", 0),
    ("Ben Visser", "ben@calico.example", "trainee", "ambassador", 1),
    ("Chloé Martin", "chloe@calico.example", "trainee", "ambassador", 2),
    ("Dirk Smit", "dirk@calico.example", "trainee", "ambassador", 4),
    ("Eva Mulder", "eva@calico.example", "trainee", "ambassador", 0),
    ("Fatima El Amrani", "fatima@calico.example", "trainee", "creator", 1),
    ("Gijs Peters", "gijs@calico.example", "trainee", "creator", 3),
    ("Hanna Kowalska", "hanna@calico.example", "trainee", "creator", 0),
    ("Ivo de Jong", "ivo@calico.example", "trainee", "creator", 5),
    ("Julia Hendriks", "julia@calico.example", "trainee", "activator", 2),
    ("Karel van Dijk", "karel@calico.example", "trainee", "activator", 0),
    ("Lotte Vos", "lotte@calico.example", "trainee", "activator", 5),
]


def correct_answers(question):
    if question.type == "short":
        return [question.options[0].text]
    return sorted(question.correct_ids)


def finish_module(enrolment, track, module, when, rng):
    """Record what a diligent trainee would have done in one module."""
    for lesson in module.lessons:
        db.session.add(
            LessonRead(
                enrolment=enrolment,
                module=module.slug,
                lesson=lesson.slug,
                read_at=when,
            )
        )
    if module.quiz:
        answers = {q.id: correct_answers(q) for q in module.quiz.questions}
        total = len(module.quiz.questions)
        db.session.add(
            QuizAttempt(
                enrolment=enrolment,
                module=module.slug,
                course_version=track.version,
                layout=shuffled_layout(module.quiz, rng),
                answers=answers,
                correct=total,
                total=total,
                score=100,
                passed=True,
                started_at=when,
                submitted_at=when + timedelta(minutes=12),
            )
        )
    if module.checklist:
        for item in module.checklist.items:
            evidence = None
            if item.evidence == "link":
                evidence = "https://www.linkedin.com/feed/"
            elif item.evidence == "text":
                evidence = "Done during the pilot week; notes shared with the team."
            db.session.add(
                ChecklistTick(
                    enrolment=enrolment,
                    module=module.slug,
                    item=item.id,
                    course_version=track.version,
                    evidence=evidence,
                    review_status="pending" if item.review else "none",
                    ticked_at=when + timedelta(minutes=30),
                )
            )


@demo_cli.command("load")
def load():
    """Create Calico's cohort and people, unless they exist already."""
    if db.session.scalar(db.select(Organisation).filter_by(name="Calico")):
        click.echo("Demo data is already there; nothing changed.")
        return

    registry = current_app.extensions["courses"]
    rng = random.Random(2026)
    calico = Organisation(name="Calico")
    cohort = Cohort(
        organisation=calico,
        name="Calico pilot",
        start_date=date.today() - timedelta(weeks=10),
        timezone="Europe/Amsterdam",
    )
    db.session.add_all([calico, cohort])

    for name, email, role, track_slug, finished in PEOPLE:
        user = User(email=email, name=name, role=role)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        if track_slug is None:
            continue
        enrolment = Enrolment(user=user, track=track_slug, cohort=cohort)
        db.session.add(enrolment)
        track = registry.get(track_slug)
        if track is None:
            continue
        start = utcnow() - timedelta(days=60)
        for number, module in enumerate(track.modules[:finished]):
            finish_module(
                enrolment, track, module, start + timedelta(days=7 * number), rng
            )
        if finished:
            enrolment.last_activity_at = start + timedelta(days=7 * finished)
    db.session.commit()
    click.echo(f"Loaded Calico's demo cohort with {len(PEOPLE)} people.")


@demo_cli.command("logins")
def logins():
    """Print how to log in to the demo."""
    click.echo("")
    click.echo("SRO Academy runs on http://127.0.0.1:5000")
    click.echo(f"Demo accounts (password {DEMO_PASSWORD}, unless you changed it):")
    click.echo("  anna@calico.example    trainee, Social Ambassador, just started")
    click.echo("  gijs@calico.example    trainee, Social Creator, three modules done")
    click.echo("  priya@calico.example   SRO Professional")
    click.echo("  admin@calico.example   administrator")
    click.echo("")
