"""Demo data: the fictional company Calico with one cohort mid-way."""

import random
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from portal.auth.models import User
from portal.cohorts.models import Cohort, CohortProfessional, HoursLog, Organisation
from portal.courses.grading import shuffled_layout
from portal.credentials.keystore import signing_key
from portal.credentials.models import TrackPolicy
from portal.credentials.services import issue
from portal.database import utcnow
from portal.extensions import db
from portal.learning.models import ChecklistTick, Enrolment, LessonRead, QuizAttempt

demo_cli = AppGroup("demo", help="Demo data for trying the portal.")

DEMO_PASSWORD = "calico-demo-2026"

# (name, email, role, track, group, modules finished, days since last activity)
PEOPLE = [
    ("Ada Admin", "admin@calico.example", "admin", None, None, 0, None),
    (
        "Priya Jansen",
        "priya@calico.example",
        "professional",
        "professional",
        None,
        2,
        3,
    ),
    ("Daan de Wit", "daan@calico.example", "professional", "professional", None, 1, 9),
    ("Anna Bakker", "anna@calico.example", "trainee", "ambassador", "Sales", 0, None),
    ("Ben Visser", "ben@calico.example", "trainee", "ambassador", "Sales", 1, 12),
    ("Chloé Martin", "chloe@calico.example", "trainee", "ambassador", "Service", 2, 5),
    ("Dirk Smit", "dirk@calico.example", "trainee", "ambassador", "Warehouse", 4, 2),
    ("Eva Mulder", "eva@calico.example", "trainee", "ambassador", "Warehouse", 0, 45),
    (
        "Fatima El Amrani",
        "fatima@calico.example",
        "trainee",
        "creator",
        "Service",
        1,
        8,
    ),
    ("Gijs Peters", "gijs@calico.example", "trainee", "creator", "Sales", 3, 4),
    (
        "Hanna Kowalska",
        "hanna@calico.example",
        "trainee",
        "creator",
        "Warehouse",
        0,
        38,
    ),
    ("Ivo de Jong", "ivo@calico.example", "trainee", "creator", "Service", 5, 1),
    (
        "Julia Hendriks",
        "julia@calico.example",
        "trainee",
        "activator",
        "Management",
        2,
        6,
    ),
    (
        "Karel van Dijk",
        "karel@calico.example",
        "trainee",
        "activator",
        "Management",
        0,
        None,
    ),
    ("Lotte Vos", "lotte@calico.example", "trainee", "activator", "Management", 5, 3),
]


def correct_answers(question):
    if question.type == "short":
        return [question.options[0].text]
    return sorted(question.correct_ids)


def finish_module(enrolment, track, module, when, rng, reviewer=None):
    """Record what a diligent trainee would have done in one module. Items for
    review are approved when a reviewer is given, and wait for one otherwise."""
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
            tick = ChecklistTick(
                enrolment=enrolment,
                module=module.slug,
                item=item.id,
                course_version=track.version,
                evidence=evidence,
                review_status="pending" if item.review else "none",
                ticked_at=when + timedelta(minutes=30),
            )
            if item.review and reviewer is not None:
                tick.review_status = "approved"
                tick.reviewer_id = reviewer.id
                tick.reviewed_at = when + timedelta(days=2)
            db.session.add(tick)


@demo_cli.command("load")
def load():
    """Create Calico's cohort and people, unless they exist already."""
    if db.session.scalar(db.select(Organisation).filter_by(name="Calico")):
        click.echo("Demo data is already there; nothing changed.")
        return

    registry = current_app.extensions["courses"]
    rng = random.Random(2026)
    now = utcnow()
    calico = Organisation(name="Calico")
    cohort = Cohort(
        organisation=calico,
        name="Calico pilot",
        start_date=date.today() - timedelta(weeks=10),
        timezone="Europe/Amsterdam",
    )
    db.session.add_all([calico, cohort])
    started = now - timedelta(weeks=10)

    users, professionals = {}, []
    for name, email, role, track_slug, group, finished, quiet_days in PEOPLE:
        user = User(email=email, name=name, role=role, organisation=calico)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        users[email] = user
        if role == "professional":
            db.session.add(CohortProfessional(cohort=cohort, user=user))
        if track_slug is None:
            continue
        enrolment = Enrolment(
            user=user, track=track_slug, cohort=cohort, group=group, created_at=started
        )
        db.session.add(enrolment)
        if quiet_days is not None:
            enrolment.last_activity_at = now - timedelta(days=quiet_days)
        track = registry.get(track_slug)
        if track is None:
            continue
        if track_slug == "professional":
            professionals.append((enrolment, track, finished))
            continue
        for number, module in enumerate(track.modules[:finished]):
            finish_module(
                enrolment, track, module, started + timedelta(days=7 * number), rng
            )
    db.session.flush()

    # The professionals review each other: Priya's first two milestones are
    # signed off by Daan, her third waits for him; Daan is behind on the second.
    priya, daan = users["priya@calico.example"], users["daan@calico.example"]
    for enrolment, track, finished in professionals:
        colleague = daan if enrolment.user is priya else priya
        for number, module in enumerate(track.modules[: finished + 1]):
            when = started + timedelta(weeks=3 * number + 2)
            reviewer = colleague if number < finished else None
            finish_module(enrolment, track, module, when, rng, reviewer=reviewer)
        db.session.add_all(
            HoursLog(
                enrolment_id=enrolment.id,
                day=date.today() - timedelta(weeks=week),
                hours=hours,
                note=note,
            )
            for week, hours, note in [
                (9, 3.0, "Kick-off with the management team"),
                (6, 2.5, "Editorial meeting and curating stories"),
                (2, 1.5, "Supporting the pilot group"),
            ]
        )
    db.session.commit()
    load_certificates(registry, users, now)
    click.echo(f"Loaded Calico's demo cohort with {len(PEOPLE)} people.")


# (holder, track, how it stands)
CERTIFICATES = [
    ("lotte@calico.example", "activator", "valid"),
    ("ivo@calico.example", "creator", "valid"),
    ("dirk@calico.example", "ambassador", "expired"),
    ("julia@calico.example", "activator", "revoked"),
]


def load_certificates(registry, users, now):
    """Certificates in each state, for trying the verification pages."""
    if signing_key() is None:
        click.echo(
            "No signing key, so no demo certificates; see 'certificates new-key'."
        )
        return
    # Ambassadors renew every year; the other tracks' certificates do not expire.
    if db.session.get(TrackPolicy, "ambassador") is None:
        db.session.add(TrackPolicy(track="ambassador", validity_months=12))
    for email, track_slug, state in CERTIFICATES:
        track = registry.get(track_slug)
        if track is None:
            continue
        if state == "expired":
            issued_at = now - timedelta(days=400)
            certificate = issue(
                users[email],
                track,
                now=issued_at,
                valid_until=issued_at + timedelta(days=365),
            )
        else:
            certificate = issue(users[email], track, now=now - timedelta(days=20))
        if state == "revoked":
            certificate.revoked_at = now - timedelta(days=2)
            certificate.revoked_reason = (
                "Issued before the final checklist was reviewed."
            )
    db.session.commit()


@demo_cli.command("logins")
def logins():
    """Print how to log in to the demo."""
    click.echo("")
    click.echo("SRO Academy runs on http://127.0.0.1:5000")
    click.echo(f"Demo accounts (password {DEMO_PASSWORD}, unless you changed it):")
    click.echo("  anna@calico.example    trainee, Social Ambassador, just started")
    click.echo("  gijs@calico.example    trainee, Social Creator, three modules done")
    click.echo(
        "  priya@calico.example   SRO Professional, runs the Calico pilot cohort"
    )
    click.echo("  daan@calico.example    SRO Professional, behind on milestone 2")
    click.echo("  admin@calico.example   administrator")
    click.echo("")
