"""Migrations, demo data and the real courses, end to end."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from markupsafe import escape

from portal.auth.models import User
from portal.extensions import db
from portal.learning.models import ChecklistTick, Enrolment, QuizAttempt
from tests.conftest import RealCoursesConfig, login, make_user, post

ROOT = Path(__file__).parent.parent


def test_migrations_build_exactly_the_models_schema(app):
    db.drop_all()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")

    upgrade()
    with db.engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection), db.metadata
        )
    downgrade(revision="base")

    assert differences == []
    with db.engine.connect() as connection:
        tables = set(db.inspect(connection).get_table_names())
    assert tables <= {"alembic_version"}
    db.create_all()


@pytest.mark.parametrize("config", [RealCoursesConfig])
def test_demo_data_loads_once_and_keeps_what_is_there(runner):
    first = runner.invoke(args=["demo", "load"])
    people = db.session.scalar(db.select(db.func.count(User.id)))
    make_user("extra@example.org", track=None)

    second = runner.invoke(args=["demo", "load"])

    assert first.exit_code == 0 and second.exit_code == 0
    assert "already there" in second.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == people + 1
    assert people >= 14
    professionals = db.session.scalar(
        db.select(db.func.count(User.id)).filter_by(role="professional")
    )
    assert professionals == 2
    scores = db.session.scalars(db.select(QuizAttempt.score)).all()
    assert scores and all(score == 100 for score in scores)
    assert db.session.scalar(
        db.select(db.func.count(ChecklistTick.id)).filter_by(review_status="pending")
    )


@pytest.mark.parametrize("config", [RealCoursesConfig])
@pytest.mark.parametrize("track_slug", ["ambassador", "creator", "activator"])
def test_every_page_of_a_real_track_opens(app, client, track_slug):
    make_user(f"{track_slug}@example.org", track=track_slug)
    login(client, f"{track_slug}@example.org")
    track = app.extensions["courses"].get(track_slug)

    assert track.title in client.get("/dashboard").get_data(as_text=True)
    for module in track.modules:
        base = f"/learn/{track_slug}/{module.slug}/"
        page = client.get(base)
        assert page.status_code == 200
        assert escape(module.title) in page.get_data(as_text=True)
        for lesson in module.lessons:
            response = client.get(base + lesson.slug)
            assert response.status_code == 200
            assert "<script" not in response.get_data(as_text=True).split("</main>")[0]
        if module.quiz:
            attempt = post(client, base + "quiz", follow_redirects=True)
            assert attempt.status_code == 200
            html = attempt.get_data(as_text=True)
            assert all(q.id in html for q in module.quiz.questions)


@pytest.mark.parametrize("config", [RealCoursesConfig])
def test_a_demo_trainee_can_log_in_after_make_run(runner, client):
    from portal.demo import DEMO_PASSWORD

    runner.invoke(args=["demo", "load"])

    assert login(client, "anna@calico.example", DEMO_PASSWORD).status_code == 302
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Social Ambassador" in html
    enrolment = db.session.scalar(
        db.select(Enrolment).join(User).filter(User.email == "anna@calico.example")
    )
    assert enrolment.cohort.organisation.name == "Calico"
