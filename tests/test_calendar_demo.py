"""The demo's content calendar: a plan worth clicking through, made fairly."""

import pytest

from portal.auth.models import User
from portal.cohorts.models import Cohort
from portal.extensions import db
from portal.planner.exercises import cohort_facts, results
from portal.planner.models import STATUSES, Meeting, Post, PostEvent
from tests.conftest import RealCoursesConfig


@pytest.fixture
def config():
    return RealCoursesConfig


@pytest.fixture
def calico(runner):
    runner.invoke(args=["demo", "load"])
    return db.session.scalar(db.select(Cohort).filter_by(name="Calico pilot"))


def test_the_demo_calendar_has_every_status_both_meetings_and_no_self_approval(
    calico,
):
    statuses = db.session.scalars(
        db.select(Post.status).filter_by(cohort_id=calico.id)
    ).all()
    series = db.session.execute(
        db.select(Meeting.kind, Meeting.every_months, Meeting.count).filter_by(
            cohort_id=calico.id
        )
    ).all()
    approvals = db.session.execute(
        db.select(PostEvent.actor_id, Post.author_id)
        .join(Post, Post.id == PostEvent.post_id)
        .where(PostEvent.action == "approved")
    ).all()

    assert set(statuses) == set(STATUSES)
    assert sorted(series) == [("editorial", 1, 12), ("management", 3, 4)]
    assert len(approvals) >= 5
    assert all(actor != author for actor, author in approvals)


def test_priya_is_two_posts_short_of_her_calendar_exercise(app, calico):
    priya = db.session.scalar(db.select(User).filter_by(email="priya@calico.example"))
    track = app.extensions["courses"].get("professional")

    result = results(track, priya.id, cohort_facts(calico))["first-quarter-calendar"]

    assert not result.met
    with app.test_request_context():
        assert [str(part) for part in result.missing] == ["Plan 2 more posts."]
