"""The content calendar: strategy, the post workflow, times, exercises, exports."""

from datetime import UTC, date, datetime, time

import pytest

from portal.cohorts.models import Cohort, CohortProfessional, Organisation
from portal.extensions import db
from portal.learning.models import Enrolment
from portal.planner.models import Post, PostEvent, PostShare, StrategyEntry
from tests.conftest import login, make_user, post

PILLARS = "Craft: recipes, origin stories\nPeople: behind the counter\nNews"


@pytest.fixture
def cohort(app):
    """A cohort with two professionals, a creator, an ambassador and a
    professional in training, in Amsterdam."""
    organisation = Organisation(name="Calico")
    db.session.add(organisation)
    db.session.flush()
    cohort = Cohort(
        organisation_id=organisation.id,
        name="Pilot",
        start_date=date(2026, 1, 5),
        timezone="Europe/Amsterdam",
    )
    db.session.add(cohort)
    db.session.flush()
    people = {}
    for key, role, track in [
        ("priya", "professional", "professional"),
        ("daan", "professional", None),
        ("gijs", "trainee", "creator"),
        ("anna", "trainee", "ambassador"),
        ("admin", "admin", None),
    ]:
        user = make_user(f"{key}@example.org", name=key.title(), role=role, track=None)
        user.organisation_id = organisation.id
        people[key] = user
        if track:
            db.session.add(Enrolment(user_id=user.id, track=track, cohort_id=cohort.id))
    for key in ("priya", "daan"):
        db.session.add(CohortProfessional(cohort_id=cohort.id, user_id=people[key].id))
    db.session.commit()
    cohort.people = people
    return cohort


def as_user(client, key):
    post(client, "/logout")
    login(client, f"{key}@example.org")


def set_strategy(client, cohort, pillars=PILLARS, version="0"):
    return post(
        client,
        f"/calendar/{cohort.id}/strategy",
        {
            "goals": "More applicants from our own colleagues' networks.",
            "pillars": pillars,
            "groups": "Job seekers\nCustomers",
            "version": version,
        },
    )


def pillar(cohort, name):
    return db.session.scalar(
        db.select(StrategyEntry).filter_by(cohort_id=cohort.id, kind="pillar", name=name)
    )


def new_post(client, cohort, **fields):
    data = {
        "title": "Our new roaster",
        "channel": "linkedin",
        "pillar_id": str(pillar(cohort, "Craft").id),
        "topic_id": "",
        "group_id": "",
        "text": "Meet the machine behind every cup.",
        "link": "https://calico.example/roaster",
        "image": "roaster.jpg",
        "day": "2026-03-10",
        "clock": "09:30",
        "zone": "Europe/Amsterdam",
        "occurrence": "",
    }
    data.update(fields)
    return post(client, f"/calendar/{cohort.id}/posts/new", data)


def test_smoke(app, client, cohort):
    as_user(client, "priya")
    assert set_strategy(client, cohort).status_code == 302
    as_user(client, "gijs")
    response = new_post(client, cohort)
    assert response.status_code == 302, response.get_data(as_text=True)
    for view in ("month", "week", "list"):
        page = client.get(f"/calendar/{cohort.id}/?view={view}&date=2026-03-10")
        assert "Our new roaster" in page.get_data(as_text=True), view
    the_post = db.session.scalar(db.select(Post))
    page = client.get(f"/calendar/{cohort.id}/posts/{the_post.id}")
    assert page.status_code == 200
    for url in ("ready", "strategy", "subscribe", "export.csv", f"posts/{the_post.id}/edit"):
        assert client.get(f"/calendar/{cohort.id}/{url}").status_code == 200, url
