"""The content calendar in real browsers, on phone-sized screens: a story from a
Creator's draft to an Ambassador's share, and a professional in training who
completes the calendar exercise."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.cohorts.models import Cohort, CohortProfessional, Organisation
from portal.extensions import db
from portal.learning.models import Enrolment
from portal.planner import services
from portal.planner.models import Post, PostShare
from tests.browser.conftest import log_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser

COURSES = Path(__file__).parents[2] / "courses"
PILLARS = [("Craft", ["Roasting"]), ("People", ["New colleagues"]), ("Neighbours", [])]
# (key, role, track in the cohort); the professionals also run it.
MEMBERS = [
    ("gijs", "trainee", "creator"),
    ("anna", "trainee", "ambassador"),
    ("tess", "professional", "professional"),
    ("priya", "professional", None),
    ("daan", "professional", None),
]
NOTE = "Say which café this is, and ask Lars if he agrees to be in the photo."
MODULE = "/learn/professional/04-content-planning/"


@pytest.fixture
def courses_dir():
    return str(COURSES)


@pytest.fixture
def cohort_id(live_app):
    """A cohort with three pillars, two professionals who run it, a Creator, an
    Ambassador, and Tess, a professional in training who planned 11 posts."""
    with live_app.app_context():
        cohort = Cohort(
            organisation=Organisation(name="Calico"),
            name="Pilot",
            start_date=date.today(),
            timezone="Europe/Amsterdam",
        )
        db.session.add(cohort)
        people = {key: join(cohort, key, role, track) for key, role, track in MEMBERS}
        for key in ("priya", "daan"):
            db.session.add(CohortProfessional(cohort=cohort, user=people[key]))
        db.session.commit()

        services.save_strategy(
            cohort, people["priya"], "Goals", PILLARS, ["Job seekers"], version=0
        )
        plan_posts(cohort, people["tess"], 11)
        return cohort.id


def join(cohort, key, role, track):
    user = make_user(f"{key}@example.org", name=key.title(), role=role, track=None)
    if track:
        db.session.add(Enrolment(user=user, track=track, cohort=cohort))
    return user


def plan_posts(cohort, author, count):
    """Weekly all-day posts that take turns over the pillars and two channels."""
    pillars = services.entries(cohort, "pillar")
    for number in range(count):
        values = {
            "title": f"Planned post {number + 1}",
            "channel": ("linkedin", "instagram")[number % 2],
            "pillar_id": pillars[number % len(pillars)].id,
            "planned_date": date.today() + timedelta(weeks=number),
            "timezone": cohort.timezone,
        }
        services.create_post(cohort, author, values)


def fill_post(page, title, topic, text, group="Everyone"):
    """Fill in a post for next week and save it."""
    pillar, _, topic = topic.partition(": ")
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Channel", exact=True).select_option(label="LinkedIn")
    page.get_by_label("Content pillar", exact=True).select_option(label=pillar)
    page.get_by_label("Topic", exact=True).select_option(label=topic)
    page.get_by_label("Target group", exact=True).select_option(label=group)
    page.get_by_label("Text of the post", exact=True).fill(text)
    page.get_by_label("Date", exact=True).fill(
        (date.today() + timedelta(days=7)).isoformat()
    )
    page.get_by_label("Time", exact=True).fill("09:30")
    page.get_by_role("button", name="Save", exact=True).click()


def open_post(page, calendar, title):
    """Find the post in the calendar's list of the coming three months."""
    page.goto(f"{calendar}/?view=list")
    page.get_by_role("link", name=title).click()


def test_a_story_is_returned_reworked_approved_and_shared(
    live_app, live_server, phones, cohort_id
):
    calendar = f"{live_server}/calendar/{cohort_id}"
    title = "Behind the counter on a Saturday"
    creator = log_in(phones(), live_server, "gijs@example.org")
    creator.goto(f"{calendar}/")
    creator.get_by_role("link", name="New post", exact=True).click()
    fill_post(creator, title, "People: New colleagues", "Saturday is our busiest day.")
    expect(creator.get_by_role("alert")).to_contain_text("Saved as a draft")
    creator.get_by_role("button", name="Submit for review").click()
    expect(creator.get_by_role("alert")).to_have_text("Submitted for review.")

    reviewer = log_in(phones(), live_server, "priya@example.org")
    open_post(reviewer, calendar, title)
    reviewer.get_by_label("Note for the author").fill(NOTE)
    reviewer.get_by_role("button", name="Return with this note").click()
    expect(reviewer.get_by_role("heading", level=1)).to_contain_text("Returned")

    creator.reload()
    expect(creator.get_by_text("Returned with this note:")).to_be_visible()
    expect(creator.get_by_text(NOTE, exact=True)).to_be_visible()
    creator.get_by_role("link", name="Edit", exact=True).click()
    creator.get_by_label("Text of the post").fill(
        "Saturday is our busiest day at the Lombok café; Lars is happy to be in it."
    )
    creator.get_by_role("button", name="Save", exact=True).click()
    creator.get_by_role("button", name="Submit for review").click()
    expect(creator.get_by_role("heading", level=1)).to_contain_text("Submitted")

    approver = log_in(phones(), live_server, "daan@example.org")
    open_post(approver, calendar, title)
    approver.get_by_role("button", name="Approve").click()
    expect(approver.get_by_role("alert")).to_contain_text("Approved")

    ambassador = log_in(phones(), live_server, "anna@example.org")
    ambassador.goto(f"{calendar}/")
    ambassador.get_by_role("link", name="Ready to share").click()
    card = ambassador.locator("section").filter(
        has=ambassador.get_by_role("heading", name=title)
    )
    expect(card.get_by_label("Text to share")).to_have_value(
        "Saturday is our busiest day at the Lombok café; Lars is happy to be in it."
    )
    expect(card.get_by_role("button", name="Copy text")).to_be_visible()
    card.get_by_role("button", name="I shared this").click()
    expect(card.get_by_text("You shared this")).to_be_visible()

    with live_app.app_context():
        post = db.session.scalar(db.select(Post).filter_by(title=title))
        history = [(e.action, e.actor.name, e.note) for e in post.events]
        shares = db.session.scalars(db.select(PostShare).filter_by(post_id=post.id))
        assert post.status == "approved"
        assert history == [
            ("created", "Gijs", None),
            ("submitted", "Gijs", None),
            ("returned", "Priya", NOTE),
            ("edited", "Gijs", None),
            ("submitted", "Gijs", None),
            ("approved", "Daan", None),
            ("shared", "Anna", None),
        ]
        assert [share.user.name for share in shares] == ["Anna"]


def test_the_twelfth_post_meets_the_calendar_exercise(
    live_app, live_server, page, cohort_id
):
    log_in(page, live_server, "tess@example.org")
    on_dashboard = page.locator("#dashboard-exercise-first-quarter-calendar")
    expect(on_dashboard.locator(".badge")).to_have_text("Not met yet")
    expect(on_dashboard).to_contain_text("Plan 1 more post.")
    page.goto(f"{live_server}{MODULE}")
    exercise = page.locator("#exercise-first-quarter-calendar")
    expect(exercise.locator(".badge")).to_have_text("Not met yet")
    expect(exercise).to_contain_text("Plan 1 more post.")

    page.get_by_role("link", name="Open the calendar").click()
    page.get_by_role("link", name="New post", exact=True).click()
    fill_post(
        page, "Our new roaster", "Craft: Roasting", "Meet the machine behind every cup."
    )
    expect(page.get_by_role("alert")).to_contain_text("Saved as a draft")
    page.goto(f"{live_server}{MODULE}")
    expect(exercise.locator(".badge")).to_have_text("Met")
    expect(exercise).to_contain_text("12 planned (12 needed)")
    expect(exercise).not_to_contain_text("Plan 1 more post.")
    page.goto(f"{live_server}/dashboard")
    expect(on_dashboard.locator(".badge")).to_have_text("Met")

    with live_app.app_context():
        titles = db.session.scalars(
            db.select(Post.title).join(Post.author).filter_by(name="Tess")
        ).all()
        assert len(titles) == 12 and "Our new roaster" in titles


def test_a_post_is_dragged_to_another_day(live_app, live_server, chromium, cohort_id):
    """On a wide screen the author drags a post in the week view to another day."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    desk = log_in(context.new_page(), live_server, "tess@example.org")
    with live_app.app_context():
        first = db.session.scalar(db.select(Post).filter_by(title="Planned post 1"))
        source, post_id = first.planned_date, first.id
    target = source + timedelta(days=1 if source.weekday() < 6 else -1)
    desk.goto(
        f"{live_server}/calendar/{cohort_id}/?view=week&date={source.isoformat()}"
    )
    desk.get_by_role("link", name="Planned post 1").drag_to(
        desk.locator(f"td[data-day='{target.isoformat()}']")
    )
    expect(desk.get_by_role("alert")).to_contain_text("Moved to")
    expect(
        desk.locator(f"td[data-day='{target.isoformat()}']").get_by_role(
            "link", name="Planned post 1"
        )
    ).to_be_visible()
    with live_app.app_context():
        assert db.session.get(Post, post_id).planned_date == target
    context.close()
