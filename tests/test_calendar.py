"""The content calendar: strategy, the post workflow, times, exercises, exports."""

from datetime import UTC, date, datetime, time

import pytest

from portal.cohorts.models import Cohort, CohortProfessional, Organisation
from portal.extensions import db
from portal.learning.models import Enrolment
from portal.planner.models import Post, PostShare, StrategyEntry
from tests.conftest import RealCoursesConfig, login, make_user, post


@pytest.fixture
def config():
    """The real courses: their exercises are what the calendar is checked for."""
    return RealCoursesConfig


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
        db.select(StrategyEntry).filter_by(
            cohort_id=cohort.id, kind="pillar", name=name
        )
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


def the_post(title="Our new roaster"):
    return db.session.scalar(db.select(Post).filter_by(title=title))


def act(client, cohort, item, action, **data):
    db.session.refresh(item)
    data.setdefault("version", str(item.version))
    return post(client, f"/calendar/{cohort.id}/posts/{item.id}/{action}", data)


def text_of(response):
    return response.get_data(as_text=True)


@pytest.fixture
def planned(client, cohort):
    """The strategy is set and Gijs, a creator, has a draft."""
    as_user(client, "priya")
    set_strategy(client, cohort)
    as_user(client, "gijs")
    assert new_post(client, cohort).status_code == 302
    return the_post()


# Pages ------------------------------------------------------------------------


def test_every_view_shows_the_post_to_its_author(client, cohort, planned):
    for view in ("month", "week", "list"):
        page = client.get(f"/calendar/{cohort.id}/?view={view}&date=2026-03-10")
        assert "Our new roaster" in text_of(page), view
    for path in ("ready", "strategy", "subscribe", "export.csv"):
        assert client.get(f"/calendar/{cohort.id}/{path}").status_code == 200, path


def test_the_form_sends_empty_choices_as_empty(client, cohort, planned):
    """What a browser sends for "No topic" and "Everyone" must be accepted."""
    import re

    page = text_of(client.get(f"/calendar/{cohort.id}/posts/new"))
    for label in ("Choose a pillar", "No topic", "Everyone"):
        assert re.search(rf'<option[^>]*value=""[^>]*>{label}</option>', page), label


def test_a_draft_is_its_authors_alone(client, cohort, planned):
    as_user(client, "daan")
    page = text_of(client.get(f"/calendar/{cohort.id}/?date=2026-03-10"))
    assert "Our new roaster" not in page
    assert client.get(f"/calendar/{cohort.id}/posts/{planned.id}").status_code == 404


def test_filters_narrow_the_list(client, cohort, planned):
    new_post(
        client,
        cohort,
        title="Barista of the month",
        channel="instagram",
        pillar_id=str(pillar(cohort, "People").id),
    )
    url = f"/calendar/{cohort.id}/?view=list&date=2026-03-01"
    assert "Barista" in text_of(client.get(url))
    only_craft = text_of(client.get(f"{url}&pillar={pillar(cohort, 'Craft').id}"))
    assert "Our new roaster" in only_craft and "Barista" not in only_craft
    only_instagram = text_of(client.get(f"{url}&channel=instagram"))
    assert "Barista" in only_instagram and "Our new roaster" not in only_instagram
    assert "Our new roaster" not in text_of(client.get(f"{url}&status=approved"))


def test_people_outside_the_cohort_get_not_found(client, cohort, planned):
    as_user(client, "gijs")
    act(client, cohort, planned, "submit")
    other = Organisation(name="Elsewhere")
    db.session.add(other)
    db.session.flush()
    stranger = make_user("stranger@example.org", role="professional", track=None)
    stranger.organisation_id = other.id
    db.session.commit()
    as_user(client, "stranger")
    base = f"/calendar/{cohort.id}"
    for path in (
        "/",
        f"/posts/{planned.id}",
        f"/posts/{planned.id}/edit",
        "/ready",
        "/strategy",
        "/subscribe",
        "/export.csv",
    ):
        assert client.get(base + path).status_code == 404, path
    assert act(client, cohort, planned, "approve").status_code == 404
    assert set_strategy(client, cohort, version="1").status_code == 404
    db.session.refresh(planned)
    assert planned.status == "submitted"


def another_cohort(cohort):
    """A second cohort of the same organisation."""
    second = Cohort(
        organisation_id=cohort.organisation_id,
        name="Second",
        start_date=date(2026, 1, 5),
        timezone="Europe/Amsterdam",
    )
    db.session.add(second)
    db.session.flush()
    return second


def test_a_post_id_from_another_cohort_is_not_found(client, cohort, planned):
    second = another_cohort(cohort)
    db.session.add(
        CohortProfessional(cohort_id=second.id, user_id=cohort.people["priya"].id)
    )
    db.session.commit()
    as_user(client, "gijs")
    act(client, cohort, planned, "submit")
    as_user(client, "priya")
    response = post(
        client, f"/calendar/{second.id}/posts/{planned.id}/approve", {"version": "2"}
    )
    assert response.status_code == 404
    assert client.get(f"/calendar/{second.id}/posts/{planned.id}").status_code == 404


# The workflow -----------------------------------------------------------------


def test_submit_return_fix_and_approve_keep_a_history(client, cohort, planned):
    as_user(client, "gijs")
    act(client, cohort, planned, "submit")
    as_user(client, "priya")
    assert "required" in text_of(
        post(
            client,
            f"/calendar/{cohort.id}/posts/{planned.id}/return",
            {"version": "2", "note": "  "},
            follow_redirects=True,
        )
    )
    act(client, cohort, planned, "return", note="Add the roaster's name.")
    db.session.refresh(planned)
    assert (planned.status, planned.note) == ("returned", "Add the roaster's name.")

    as_user(client, "gijs")
    assert "Add the roaster&#39;s name." in text_of(
        client.get(f"/calendar/{cohort.id}/posts/{planned.id}/edit")
    )
    edit = {"title": "Our new roaster, Lena", "version": str(planned.version)}
    response = post(
        client,
        f"/calendar/{cohort.id}/posts/{planned.id}/edit",
        edit_form(planned, **edit),
    )
    assert response.status_code == 302
    act(client, cohort, planned, "submit")
    as_user(client, "daan")
    act(client, cohort, planned, "approve")

    db.session.refresh(planned)
    assert planned.status == "approved" and planned.note is None
    history = [(e.action, e.actor.name) for e in planned.events]
    assert history == [
        ("created", "Gijs"),
        ("submitted", "Gijs"),
        ("returned", "Priya"),
        ("edited", "Gijs"),
        ("submitted", "Gijs"),
        ("approved", "Daan"),
    ]
    assert planned.events[3].changes["title"] == [
        "Our new roaster",
        "Our new roaster, Lena",
    ]
    page = text_of(client.get(f"/calendar/{cohort.id}/posts/{planned.id}"))
    assert "Add the roaster&#39;s name." in page  # the note stays in the history
    assert "Changed: Title" in page


def edit_form(item, **fields):
    local = item.planned_at.astimezone(__import__("zoneinfo").ZoneInfo(item.timezone))
    data = {
        "title": item.title,
        "channel": item.channel,
        "pillar_id": str(item.pillar_id or ""),
        "topic_id": str(item.topic_id or ""),
        "group_id": str(item.group_id or ""),
        "text": item.text,
        "link": item.link or "",
        "image": item.image or "",
        "day": local.date().isoformat(),
        "clock": local.strftime("%H:%M"),
        "zone": item.timezone,
        "occurrence": "",
        "version": str(item.version),
    }
    data.update(fields)
    return data


def test_nobody_approves_their_own_post(client, cohort):
    as_user(client, "priya")
    set_strategy(client, cohort)
    new_post(client, cohort)
    item = the_post()
    act(client, cohort, item, "submit")

    response = act(client, cohort, item, "approve")

    assert response.status_code == 302
    db.session.refresh(item)
    assert item.status == "submitted"
    page = text_of(client.get(f"/calendar/{cohort.id}/posts/{item.id}"))
    assert ">Approve<" not in page


def test_a_lone_professional_waits_for_an_administrator(client, cohort):
    db.session.execute(
        db.delete(CohortProfessional).where(
            CohortProfessional.user_id == cohort.people["daan"].id
        )
    )
    db.session.commit()
    as_user(client, "priya")
    set_strategy(client, cohort)
    new_post(client, cohort)
    item = the_post()
    act(client, cohort, item, "submit")

    page = text_of(client.get(f"/calendar/{cohort.id}/posts/{item.id}"))
    assert "an administrator reviews your post" in page
    as_user(client, "admin")
    assert ">Approve<" in text_of(client.get(f"/calendar/{cohort.id}/posts/{item.id}"))
    act(client, cohort, item, "approve")
    db.session.refresh(item)
    assert item.status == "approved"
    assert item.events[-1].actor.name == "Admin"


def test_trainees_cannot_approve_schedule_or_edit_the_strategy(client, cohort, planned):
    as_user(client, "gijs")
    act(client, cohort, planned, "submit")
    as_user(client, "anna")
    act(client, cohort, planned, "approve")
    act(client, cohort, planned, "return", note="No.")
    db.session.refresh(planned)
    assert planned.status == "submitted"
    assert set_strategy(client, cohort, "Mine", version="1").status_code == 403
    assert "Mine" not in [p.name for p in db.session.scalars(db.select(StrategyEntry))]


def test_schedule_publish_and_share(client, cohort, planned):
    as_user(client, "gijs")
    act(client, cohort, planned, "submit")
    as_user(client, "anna")
    assert "Our new roaster" not in text_of(client.get(f"/calendar/{cohort.id}/ready"))
    response = act(client, cohort, planned, "share", url="")
    assert db.session.scalar(db.select(PostShare)) is None

    as_user(client, "daan")
    act(client, cohort, planned, "approve")
    act(client, cohort, planned, "schedule")
    act(client, cohort, planned, "publish", url="javascript:alert(1)")
    db.session.refresh(planned)
    assert planned.status == "scheduled"
    act(client, cohort, planned, "publish", url="https://www.linkedin.com/posts/1")
    db.session.refresh(planned)
    assert (planned.status, planned.published_url) == (
        "published",
        "https://www.linkedin.com/posts/1",
    )

    as_user(client, "anna")
    page = text_of(client.get(f"/calendar/{cohort.id}/ready"))
    assert "Our new roaster" in page and "Meet the machine behind every cup." in page
    assert "I shared this" in page
    response = act(client, cohort, planned, "share", url="")
    assert response.status_code == 302
    act(client, cohort, planned, "share", url="")
    assert len(db.session.scalars(db.select(PostShare)).all()) == 1
    assert "You shared this" in text_of(client.get(f"/calendar/{cohort.id}/ready"))


def test_a_stale_edit_is_refused_and_the_text_is_kept(client, cohort, planned):
    stale = str(planned.version)
    first = post(
        client,
        f"/calendar/{cohort.id}/posts/{planned.id}/edit",
        edit_form(planned, title="First edit", version=stale),
    )
    assert first.status_code == 302
    second = post(
        client,
        f"/calendar/{cohort.id}/posts/{planned.id}/edit",
        edit_form(planned, title="Second edit", version=stale),
    )

    assert second.status_code == 200
    assert "changed this post since you opened it" in text_of(second)
    assert 'value="Second edit"' in text_of(second)
    db.session.refresh(planned)
    assert planned.title == "First edit"


def test_a_stale_approval_is_refused(client, cohort, planned):
    as_user(client, "gijs")
    act(client, cohort, planned, "submit")
    as_user(client, "daan")
    seen = str(planned.version + 1)
    as_user(client, "priya")
    act(client, cohort, planned, "return", note="Shorter, please.")
    as_user(client, "daan")
    post(client, f"/calendar/{cohort.id}/posts/{planned.id}/approve", {"version": seen})
    db.session.refresh(planned)
    assert planned.status == "returned"


# Hostile input -------------------------------------------------------------------


def test_script_in_the_text_is_shown_as_text(client, cohort, planned):
    post(
        client,
        f"/calendar/{cohort.id}/posts/{planned.id}/edit",
        edit_form(
            planned,
            title="<b>bold</b>",
            text="<script>alert('x')</script><img src=x onerror=alert(1)>",
        ),
    )
    page = text_of(client.get(f"/calendar/{cohort.id}/posts/{planned.id}"))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:x",
        "//evil.example",
        "https://",
    ],
)
def test_only_web_links_are_accepted(client, cohort, planned, link):
    response = new_post(client, cohort, title="Linked", link=link)
    assert response.status_code == 200
    assert "https://" in text_of(response)
    assert the_post("Linked") is None


@pytest.mark.parametrize("day", ["1999-12-31", "2101-01-01", "2026-02-30", "nonsense"])
def test_dates_out_of_range_are_refused(client, cohort, planned, day):
    response = new_post(client, cohort, title="Odd date", day=day)
    assert response.status_code == 200
    assert the_post("Odd date") is None


def test_an_unknown_time_zone_is_refused(client, cohort, planned):
    response = new_post(client, cohort, title="Nowhere", zone="Mars/Olympus")
    assert response.status_code == 200 and the_post("Nowhere") is None


def test_a_pillar_of_another_cohort_is_refused(client, cohort, planned):
    second = another_cohort(cohort)
    foreign = StrategyEntry(cohort_id=second.id, kind="pillar", name="X")
    db.session.add(foreign)
    db.session.commit()
    response = new_post(client, cohort, title="Foreign", pillar_id=str(foreign.id))
    assert response.status_code == 200 and the_post("Foreign") is None


# The strategy -------------------------------------------------------------------


def test_the_strategy_is_edited_by_professionals_and_seen_by_everyone(client, cohort):
    as_user(client, "priya")
    set_strategy(client, cohort)
    as_user(client, "anna")
    page = text_of(client.get(f"/calendar/{cohort.id}/strategy"))
    assert "More applicants" in page and "Craft" in page and "origin stories" in page
    assert "Job seekers" in page and "Save the strategy" not in page


def test_a_removed_pillar_stays_on_its_posts(client, cohort, planned):
    as_user(client, "daan")
    set_strategy(client, cohort, "People: behind the counter\nNews", version="1")
    craft = pillar(cohort, "Craft")
    assert craft.archived
    db.session.refresh(planned)
    assert planned.pillar.name == "Craft"
    names = [
        p.name
        for p in db.session.scalars(
            db.select(StrategyEntry).filter_by(kind="pillar", archived=False)
        )
    ]
    assert names == ["People", "News"]


def test_a_stale_strategy_edit_is_refused_and_kept_on_the_page(client, cohort):
    as_user(client, "priya")
    set_strategy(client, cohort)
    set_strategy(client, cohort, "Craft\nPeople", version="1")
    response = set_strategy(client, cohort, "Only mine", version="1")

    assert "changed the strategy since you opened it" in text_of(response)
    assert "Only mine" in text_of(response)
    assert pillar(cohort, "Only mine") is None


def test_a_pillar_twice_is_refused_with_its_line(client, cohort):
    as_user(client, "priya")
    response = set_strategy(client, cohort, "Craft\nPeople\ncraft: beans")
    assert "Line 3" in text_of(response)
    assert pillar(cohort, "Craft") is None


# Time ---------------------------------------------------------------------------


def planned_utc(title):
    item = the_post(title)
    return item.planned_at.astimezone(UTC).replace(tzinfo=None) if item else None


def test_a_time_that_does_not_exist_is_refused(client, cohort, planned):
    # Amsterdam's clocks jump from 02:00 to 03:00 on 29 March 2026.
    response = new_post(client, cohort, title="Gap", day="2026-03-29", clock="02:30")
    assert "does not exist" in text_of(response)
    assert the_post("Gap") is None
    new_post(client, cohort, title="After", day="2026-03-29", clock="03:30")
    assert planned_utc("After") == datetime(2026, 3, 29, 1, 30)


def test_a_time_that_happens_twice_needs_a_choice(client, cohort, planned):
    # On 25 October 2026 Amsterdam's clocks go back from 03:00 to 02:00.
    response = new_post(client, cohort, title="Twice", day="2026-10-25", clock="02:30")
    assert "happens twice" in text_of(response)
    assert "The first (before the clocks go back)" in text_of(response)
    assert the_post("Twice") is None

    new_post(
        client,
        cohort,
        title="First",
        day="2026-10-25",
        clock="02:30",
        occurrence="first",
    )
    new_post(
        client,
        cohort,
        title="Second",
        day="2026-10-25",
        clock="02:30",
        occurrence="second",
    )
    assert planned_utc("First") == datetime(2026, 10, 25, 0, 30)
    assert planned_utc("Second") == datetime(2026, 10, 25, 1, 30)


def test_the_same_wall_time_either_side_of_the_change(client, cohort, planned):
    new_post(client, cohort, title="Winter", day="2026-03-28", clock="09:00")
    new_post(client, cohort, title="Summer", day="2026-03-30", clock="09:00")
    assert planned_utc("Winter") == datetime(2026, 3, 28, 8, 0)
    assert planned_utc("Summer") == datetime(2026, 3, 30, 7, 0)


def test_a_viewer_far_from_utc_sees_their_own_day_and_time(client, cohort, planned):
    new_post(client, cohort, title="Evening roast", day="2026-03-10", clock="23:30")
    new_post(client, cohort, title="Whole day", day="2026-03-10", clock="")
    post(
        client,
        "/calendar/zone",
        {"zone": "Pacific/Kiritimati", "next": f"/calendar/{cohort.id}/"},
    )
    # 23:30 in Amsterdam is 12:30 the next day at UTC+14; an all-day item keeps
    # its date wherever it is read.
    page = text_of(client.get(f"/calendar/{cohort.id}/?view=list&date=2026-03-09"))
    day_11 = page.index("Wednesday, 11 March 2026")
    assert page.index("Evening roast") > day_11 and "12:30" in page[day_11:]
    assert page.index("Whole day") < day_11
    assert (
        db.session.get(type(cohort.people["gijs"]), cohort.people["gijs"].id).timezone
        == "Pacific/Kiritimati"
    )


def test_an_all_day_post_is_a_date(client, cohort, planned):
    new_post(client, cohort, title="Holiday", day="2026-04-27", clock="")
    item = the_post("Holiday")
    assert item.planned_at is None and item.planned_date == date(2026, 4, 27)


# Exercises ------------------------------------------------------------------------


def exercise_result(app, cohort, key, track_slug, exercise_id):
    from portal.learning.progress import track_progress

    enrolment = db.session.scalar(
        db.select(Enrolment).filter_by(user_id=cohort.people[key].id, track=track_slug)
    )
    track = app.extensions["courses"].get(track_slug)
    progress = track_progress(enrolment, track)
    for module in progress.modules:
        if exercise_id in module.exercises:
            return module.exercises[exercise_id]
    raise AssertionError(exercise_id)


def test_three_submitted_stories_with_a_pillar_meet_the_creator_exercise(
    app, client, cohort, planned
):
    def result():
        return exercise_result(app, cohort, "gijs", "creator", "submit-three-stories")

    assert not result().met  # a draft is not submitted
    assert [str(m) for m in result().missing] == [
        "Submit 3 more stories, each with a content pillar."
    ]
    act(client, cohort, planned, "submit")
    new_post(client, cohort, title="Two")
    act(client, cohort, the_post("Two"), "submit")
    assert str(result().missing[0]) == "Submit 1 more story with a content pillar."
    new_post(client, cohort, title="Three")
    act(client, cohort, the_post("Three"), "submit")

    assert result().met and result().missing == []
    page = text_of(client.get("/learn/creator/04-submitting-stories/"))
    assert "Met" in page and "3 of 3 stories submitted" in page


def test_a_returned_story_does_not_count(app, client, cohort, planned):
    act(client, cohort, planned, "submit")
    as_user(client, "priya")
    act(client, cohort, planned, "return", note="Needs a photo.")
    result = exercise_result(app, cohort, "gijs", "creator", "submit-three-stories")
    assert "0 of 3" in str(result.progress)


def test_two_recorded_shares_meet_the_ambassador_exercise(app, client, cohort, planned):
    act(client, cohort, planned, "submit")
    new_post(client, cohort, title="Two")
    act(client, cohort, the_post("Two"), "submit")
    as_user(client, "daan")
    for item in (planned, the_post("Two")):
        act(client, cohort, item, "approve")
    as_user(client, "anna")

    def result():
        return exercise_result(app, cohort, "anna", "ambassador", "share-two-posts")

    assert not result().met
    act(client, cohort, planned, "share", url="https://www.linkedin.com/feed/1")
    assert str(result().missing[0]) == "Share 1 more approved post and record it."
    act(client, cohort, the_post("Two"), "share", url="")
    assert result().met


def plan(client, cohort, count, days, channels, pillars):
    for n in range(count):
        new_post(
            client,
            cohort,
            title=f"Plan {n}",
            day=days[n % len(days)],
            channel=channels[n % len(channels)],
            pillar_id=str(pillar(cohort, pillars[n % len(pillars)]).id),
        )


def test_the_milestone_4_calendar_lists_what_is_missing_then_is_met(
    app, client, cohort
):
    as_user(client, "priya")
    set_strategy(client, cohort)

    def result():
        return exercise_result(
            app, cohort, "priya", "professional", "first-quarter-calendar"
        )

    plan(
        client,
        cohort,
        11,
        ["2026-04-06", "2026-04-14"],
        ["linkedin"],
        ["Craft", "People"],
    )
    missing = [str(m) for m in result().missing]
    assert missing == [
        "Plan 1 more post.",
        "Spread the posts over 2 more weeks.",
        "Plan posts for these pillars: News.",
        "Use 1 more channel.",
    ]
    page = text_of(client.get("/learn/professional/04-content-planning/"))
    assert "Not met yet" in page and "Plan posts for these pillars: News." in page

    new_post(
        client,
        cohort,
        title="Late April",
        day="2026-04-21",
        channel="instagram",
        pillar_id=str(pillar(cohort, "News").id),
    )
    assert str(result().missing[0]) == "Spread the posts over 1 more week."
    new_post(
        client,
        cohort,
        title="May",
        day="2026-05-04",
        clock="",
        channel="instagram",
        pillar_id=str(pillar(cohort, "News").id),
    )

    assert result().met
    page = text_of(client.get("/learn/professional/04-content-planning/"))
    assert "Not met yet" not in page and "13 planned (12 needed)" in page


def test_exercises_need_a_cohort(app, client):
    from portal.learning.progress import track_progress

    user = make_user("solo@example.org", track="creator")
    enrolment = db.session.scalar(db.select(Enrolment).filter_by(user_id=user.id))
    progress = track_progress(enrolment, app.extensions["courses"].get("creator"))
    [result] = [r for m in progress.modules for r in m.exercises.values()]
    assert not result.met and "Join a cohort" in str(result.missing[0])


# Exports ------------------------------------------------------------------------


def add_meeting(client, cohort, **fields):
    data = {
        "kind": "editorial",
        "title": "Editorial meeting",
        "agenda": "Last month's results\nNext month's stories",
        "day": "2026-02-28",
        "clock": "10:00",
        "zone": "Europe/Amsterdam",
        "occurrence": "",
        "minutes": "60",
        "count": "12",
        "repeat": "date",
    }
    data.update(fields)
    return post(client, f"/calendar/{cohort.id}/meetings/new", data)


@pytest.fixture
def feed_url(client, cohort, planned):
    """Gijs's feed with a timed post each side of both clock changes, an all-day
    post and Priya's monthly editorial meeting."""
    new_post(client, cohort, title="Spring", day="2026-03-29", clock="03:30")
    new_post(
        client,
        cohort,
        title="Autumn",
        day="2026-10-25",
        clock="02:30",
        occurrence="second",
    )
    new_post(client, cohort, title="Holiday", day="2026-04-27", clock="")
    as_user(client, "priya")
    assert add_meeting(client, cohort).status_code == 302
    as_user(client, "gijs")
    page = text_of(client.get(f"/calendar/{cohort.id}/subscribe"))
    import re

    return re.search(r"http://localhost(/calendar/feed/[^<\s]+\.ics)", page).group(1)


def test_the_feed_parses_back_with_icalendar(client, cohort, feed_url):
    import icalendar
    from dateutil.rrule import rrulestr

    post(client, "/logout")
    response = client.get(feed_url)
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}

    spring = events["Spring (LinkedIn)"]
    autumn = events["Autumn (LinkedIn)"]
    assert spring.decoded("dtstart").astimezone(UTC) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )
    assert autumn.decoded("dtstart").astimezone(UTC) == datetime(
        2026, 10, 25, 1, 30, tzinfo=UTC
    )
    assert str(spring["dtstart"].params["TZID"]) == "Europe/Amsterdam"
    assert {str(t["tzid"]) for t in calendar.walk("VTIMEZONE")} == {"Europe/Amsterdam"}
    assert events["Holiday (LinkedIn)"].decoded("dtstart") == date(2026, 4, 27)
    assert str(events["Holiday (LinkedIn)"]["dtstart"].params.get("VALUE")) == "DATE"

    meeting = events["Editorial meeting"]
    rule = rrulestr(
        meeting["rrule"].to_ical().decode(), dtstart=meeting.decoded("dtstart")
    )
    starts = [s.astimezone(UTC) for s in rule]
    assert len(starts) == 12
    # 10:00 in Amsterdam: 09:00 UTC in winter, 08:00 UTC in summer.
    assert starts[1] == datetime(2026, 3, 28, 9, 0, tzinfo=UTC)
    assert starts[2] == datetime(2026, 4, 28, 8, 0, tzinfo=UTC)
    assert starts[8] == datetime(2026, 10, 28, 9, 0, tzinfo=UTC)
    uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    assert client.get(feed_url).data.count(b"UID:") == len(uids)
    assert [
        str(e["uid"])
        for e in icalendar.Calendar.from_ical(client.get(feed_url).data).walk("VEVENT")
    ] == uids  # stable


def test_the_feed_parses_back_with_a_second_parser(client, cohort, feed_url):
    from zoneinfo import ZoneInfo

    from ical.calendar_stream import IcsCalendarStream

    calendar = IcsCalendarStream.calendar_from_ics(
        client.get(feed_url).get_data(as_text=True)
    )
    events = {e.summary: e for e in calendar.events}

    assert events["Spring (LinkedIn)"].dtstart.astimezone(UTC) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )
    assert events["Autumn (LinkedIn)"].dtstart.astimezone(UTC) == datetime(
        2026, 10, 25, 1, 30, tzinfo=UTC
    )
    assert events["Holiday (LinkedIn)"].dtstart == date(2026, 4, 27)
    meetings = [
        e.start
        for e in calendar.timeline_tz(ZoneInfo("Europe/Amsterdam"))
        if e.summary == "Editorial meeting"
    ]
    assert len(meetings) == 12
    assert {m.time() for m in meetings} == {time(10, 0)}
    assert meetings[2].astimezone(UTC) == datetime(2026, 4, 28, 8, 0, tzinfo=UTC)
    assert meetings[8].astimezone(UTC) == datetime(2026, 10, 28, 9, 0, tzinfo=UTC)


def test_the_feeds_time_zone_puts_the_changes_at_the_right_moment(client, feed_url):
    """A reader that knows no zone names relies on the embedded VTIMEZONE."""
    import io
    import re

    from dateutil.tz import tzical

    text = client.get(feed_url).get_data(as_text=True)
    vtimezone = re.search(r"BEGIN:VTIMEZONE.*?END:VTIMEZONE", text, re.S).group(0)
    amsterdam = tzical(io.StringIO(vtimezone.replace("\r\n ", ""))).get()
    for wall, fold, offset in [
        (datetime(2026, 3, 29, 1, 30), 0, 1),
        (datetime(2026, 3, 29, 3, 30), 0, 2),
        (datetime(2026, 10, 25, 2, 30), 0, 2),
        (datetime(2026, 10, 25, 2, 30), 1, 1),
        (datetime(2026, 10, 25, 3, 30), 0, 1),
    ]:
        hours = wall.replace(tzinfo=amsterdam, fold=fold).utcoffset().total_seconds()
        assert hours / 3600 == offset, wall


def test_the_feed_needs_the_current_token(client, cohort, feed_url):
    token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    feed_id, mac = token.split("-")
    assert client.get(feed_url).status_code == 200
    for forged in (f"{feed_id}-{'0' * 40}", f"{int(feed_id) + 1}-{mac}", "x", mac):
        assert client.get(f"/calendar/feed/{forged}.ics").status_code == 404

    post(client, f"/calendar/{cohort.id}/subscribe", {})
    assert client.get(feed_url).status_code == 200  # not without confirming
    post(client, f"/calendar/{cohort.id}/subscribe", {"understood": "y"})
    assert client.get(feed_url).status_code == 404
    page = text_of(client.get(f"/calendar/{cohort.id}/subscribe"))
    assert feed_url not in page and "/calendar/feed/" in page


def test_the_feed_shows_nobody_elses_drafts(client, cohort, feed_url):
    as_user(client, "priya")
    new_post(client, cohort, title="Priya's secret draft")
    as_user(client, "gijs")
    assert b"secret draft" not in client.get(feed_url).data


def test_the_csv_export_holds_the_same_items(client, cohort, feed_url):
    import csv
    import io

    new_post(client, cohort, title='=HYPERLINK("http://evil")')
    response = client.get(f"/calendar/{cohort.id}/export.csv")
    rows = list(
        csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    )
    titles = {r["title"] for r in rows}
    assert {
        "Our new roaster",
        "Spring",
        "Autumn",
        "Holiday",
        "Editorial meeting",
    } <= titles
    assert '\'=HYPERLINK("http://evil")' in titles
    spring = next(r for r in rows if r["title"] == "Spring")
    assert (spring["date"], spring["time"], spring["time_zone"]) == (
        "2026-03-29",
        "03:30",
        "Europe/Amsterdam",
    )
    holiday = next(r for r in rows if r["title"] == "Holiday")
    assert (holiday["date"], holiday["time"]) == ("2026-04-27", "")
    assert (spring["channel"], spring["status"]) == ("LinkedIn", "Draft")
    meetings = [r for r in rows if r["title"] == "Editorial meeting"]
    assert len(meetings) == 12 and {m["time"] for m in meetings} == {"10:00"}
    assert meetings[0]["minutes"] == "60" and "Next month" in meetings[0]["text"]
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_a_meeting_series_keeps_its_local_time(client, cohort):
    as_user(client, "priya")
    add_meeting(client, cohort, kind="management", title="Quarterly", count="4")
    from portal.planner.models import Meeting

    meeting = db.session.scalar(db.select(Meeting))
    assert meeting.every_months == 3
    page = text_of(client.get(f"/calendar/{cohort.id}/meetings/{meeting.id}"))
    assert page.count("10:00") == 4
    as_user(client, "anna")
    assert add_meeting(client, cohort).status_code == 403


# After an attack ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["pillar=²", "author=①", "pillar=99999999999999999999", "date=9999-12-31"]
)
def test_odd_filters_are_ignored(client, cohort, planned, query):
    assert client.get(f"/calendar/{cohort.id}/?{query}").status_code == 200
    assert client.get(f"/calendar/{cohort.id}/export.csv?{query}").status_code == 200


@pytest.mark.parametrize("version", ["²", "1" * 20, "-1", ""])
def test_odd_versions_change_nothing(client, cohort, planned, version):
    act(client, cohort, planned, "submit", version=version)
    response = post(
        client,
        f"/calendar/{cohort.id}/posts/{planned.id}/edit",
        edit_form(planned, title="Odd", version=version),
    )
    assert response.status_code == 200
    db.session.refresh(planned)
    assert (planned.status, planned.title) == ("draft", "Our new roaster")


def test_odd_feed_tokens_are_not_found(client):
    for token in ("①-" + "a" * 40, "1" * 20 + "-" + "a" * 40, "-", ""):
        assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_the_zone_form_goes_back_only_to_the_calendar(client, cohort, planned):
    for target in ("/calendar/\r\nX-Evil: 1", "https://evil.example/", "//evil"):
        response = post(
            client, "/calendar/zone", {"zone": "Europe/Paris", "next": target}
        )
        assert response.headers["Location"] == "/calendar/"


def test_zones_that_are_not_places_are_refused(client, cohort, planned):
    for name in ("localtime", "Factory", "posix/Europe/Paris"):
        response = new_post(client, cohort, title="Server time", zone=name)
        assert response.status_code == 200 and the_post("Server time") is None


def test_after_a_stale_edit_saving_again_works(client, cohort, planned):
    stale = str(planned.version)
    post(
        client,
        f"/calendar/{cohort.id}/posts/{planned.id}/edit",
        edit_form(planned, title="First edit", version=stale),
    )
    refused = text_of(
        post(
            client,
            f"/calendar/{cohort.id}/posts/{planned.id}/edit",
            edit_form(planned, title="Second edit", version=stale),
        )
    )
    import re

    current = re.search(r'name="version" type="hidden" value="(\d+)"', refused)
    current = current or re.search(r'name="version" value="(\d+)"', refused)
    post(
        client,
        f"/calendar/{cohort.id}/posts/{planned.id}/edit",
        edit_form(planned, title="Second edit", version=current.group(1)),
    )
    db.session.refresh(planned)
    assert planned.title == "Second edit"


def test_line_breaks_count_once(client, cohort, planned):
    text = "line\r\n" * 500  # 3,000 characters as a browser counts them
    response = post(
        client,
        f"/calendar/{cohort.id}/posts/{planned.id}/edit",
        edit_form(planned, text=text),
    )
    assert response.status_code == 302
    db.session.refresh(planned)
    assert planned.text == ("line\n" * 500).strip()


def test_an_overlong_text_says_so(client, cohort, planned):
    response = post(
        client,
        f"/calendar/{cohort.id}/posts/{planned.id}/edit",
        edit_form(planned, text="x" * 3001),
    )
    assert "Nothing was saved yet" in text_of(response)


def test_a_post_keeps_its_archived_pillar_when_rescheduled(client, cohort, planned):
    as_user(client, "priya")
    set_strategy(client, cohort, "People\nNews", version="1")
    as_user(client, "gijs")
    page = text_of(client.get(f"/calendar/{cohort.id}/posts/{planned.id}/edit"))
    assert ">Craft</option>" in page
    response = post(
        client,
        f"/calendar/{cohort.id}/posts/{planned.id}/edit",
        edit_form(planned, day="2026-03-12"),
    )
    assert response.status_code == 302
    db.session.refresh(planned)
    assert planned.pillar.name == "Craft"
    assert "Craft" not in text_of(client.get(f"/calendar/{cohort.id}/posts/new"))


def test_an_invisible_title_is_refused(client, cohort, planned):
    response = new_post(client, cohort, title="  \u200b  ")
    assert response.status_code == 200
    assert len(db.session.scalars(db.select(Post)).all()) == 1


def test_a_meeting_series_needs_a_day_every_month_has_and_a_single_time(client, cohort):
    from portal.planner.models import Meeting

    as_user(client, "priya")
    assert "every month has" in text_of(add_meeting(client, cohort, day="2026-01-31"))
    twice = add_meeting(
        client, cohort, day="2026-10-25", clock="02:30", occurrence="second"
    )
    assert "happens twice" in text_of(twice)
    assert db.session.scalar(db.select(Meeting)) is None


def test_the_feed_zone_holds_beyond_2038(client, cohort, planned):
    import io
    import re

    from dateutil.tz import tzical

    new_post(client, cohort, title="Far", day="2050-07-01", clock="12:00")
    url = (
        "/calendar/feed/"
        + re.search(
            r"/calendar/feed/([^<\s]+)\.ics",
            text_of(client.get(f"/calendar/{cohort.id}/subscribe")),
        ).group(1)
        + ".ics"
    )
    text = client.get(url).get_data(as_text=True)
    vtimezone = re.search(r"BEGIN:VTIMEZONE.*?END:VTIMEZONE", text, re.S).group(0)
    amsterdam = tzical(io.StringIO(vtimezone.replace("\r\n ", ""))).get()
    summer = datetime(2050, 7, 1, 12, tzinfo=amsterdam).utcoffset()
    assert summer.total_seconds() == 7200


# Moving a post by dragging it --------------------------------------------------


def move(client, cohort, item, day, **data):
    db.session.refresh(item)
    data.setdefault("version", str(item.version))
    data["day"] = day
    return post(client, f"/calendar/{cohort.id}/posts/{item.id}/move", data)


def test_a_dragged_post_keeps_its_local_time_across_the_clock_change(
    client, cohort, planned
):
    page = text_of(client.get(f"/calendar/{cohort.id}/?date=2026-03-10"))
    assert f'data-move="/calendar/{cohort.id}/posts/{planned.id}/move"' in page

    response = move(
        client,
        cohort,
        planned,
        "2026-03-31",
        next=f"/calendar/{cohort.id}/?view=week&date=2026-03-31",
    )

    assert response.headers["Location"] == (
        f"/calendar/{cohort.id}/?view=week&date=2026-03-31"
    )
    db.session.refresh(planned)
    # 09:30 in Amsterdam: 08:30 UTC in winter, 07:30 UTC in summer.
    assert planned.planned_at.astimezone(UTC) == datetime(
        2026, 3, 31, 7, 30, tzinfo=UTC
    )
    assert planned.events[-1].action == "rescheduled"


def test_only_those_who_may_reschedule_can_drag(client, cohort, planned):
    act(client, cohort, planned, "submit")
    as_user(client, "anna")
    page = text_of(client.get(f"/calendar/{cohort.id}/?date=2026-03-10"))
    assert "Our new roaster" in page and "data-move" not in page
    move(client, cohort, planned, "2026-03-12")
    db.session.refresh(planned)
    assert planned.planned_at.day == 10

    as_user(client, "daan")
    move(client, cohort, planned, "2026-03-12")
    db.session.refresh(planned)
    assert planned.planned_at.day == 12 and planned.status == "submitted"


def test_a_stale_drag_moves_nothing(client, cohort, planned):
    move(client, cohort, planned, "2026-03-12", version="0")
    db.session.refresh(planned)
    assert planned.planned_at.day == 10


def test_reviewers_see_what_waits_for_them_and_authors_hear_of_returns(
    client, cohort, planned
):
    from tests.conftest import outbox

    act(client, cohort, planned, "submit")
    page = text_of(client.get(f"/calendar/{cohort.id}/"))
    assert "waits for your review" not in page  # not for the author
    as_user(client, "priya")
    page = text_of(client.get(f"/calendar/{cohort.id}/"))
    assert "1 post waits for your review." in page
    assert "date=2026-03-10&amp;status=submitted" in page

    act(client, cohort, planned, "return", note="Which roaster is it?")
    [email] = outbox()
    assert email.to == ["gijs@example.org"] and "Which roaster is it?" in email.body
    assert f"/calendar/{cohort.id}/posts/{planned.id}/edit" in email.body


def test_a_professional_reschedules_without_touching_the_content(
    client, cohort, planned
):
    act(client, cohort, planned, "submit")
    as_user(client, "daan")
    page = text_of(client.get(f"/calendar/{cohort.id}/posts/{planned.id}/edit"))
    assert "Reschedule post" in page and 'name="title"' not in page
    post(
        client,
        f"/calendar/{cohort.id}/posts/{planned.id}/edit",
        {
            "day": "2026-03-11",
            "clock": "10:00",
            "zone": "Europe/Amsterdam",
            "occurrence": "",
            "version": str(planned.version + 1),
            "title": "Hijacked",
        },
    )
    db.session.refresh(planned)
    assert planned.title == "Our new roaster" and planned.planned_at.day == 11
    as_user(client, "anna")
    response = client.get(f"/calendar/{cohort.id}/posts/{planned.id}/edit")
    assert response.status_code == 403


def test_a_series_on_the_first_tuesday_is_the_same_in_the_portal_and_the_feed(
    client, cohort, planned
):
    from zoneinfo import ZoneInfo

    from ical.calendar_stream import IcsCalendarStream

    from portal.planner.meetings import occurrences
    from portal.planner.models import Meeting

    as_user(client, "priya")
    add_meeting(
        client, cohort, title="Editorial", day="2026-01-06", repeat="weekday", count="6"
    )
    add_meeting(
        client,
        cohort,
        title="Last Friday",
        day="2026-01-30",
        repeat="weekday",
        count="3",
        kind="management",
    )
    first_tuesday, last_friday = db.session.scalars(
        db.select(Meeting).order_by(Meeting.id)
    ).all()
    amsterdam = ZoneInfo("Europe/Amsterdam")
    portal_days = [d.astimezone(amsterdam).date() for d in occurrences(first_tuesday)]
    assert portal_days == [
        date(2026, 1, 6),
        date(2026, 2, 3),
        date(2026, 3, 3),
        date(2026, 4, 7),
        date(2026, 5, 5),
        date(2026, 6, 2),
    ]
    assert [d.astimezone(amsterdam).date() for d in occurrences(last_friday)] == [
        date(2026, 1, 30),
        date(2026, 4, 24),
        date(2026, 7, 31),
    ]

    import re

    url = re.search(
        r"http://localhost(/calendar/feed/[^<\s]+\.ics)",
        text_of(client.get(f"/calendar/{cohort.id}/subscribe")),
    ).group(1)
    calendar = IcsCalendarStream.calendar_from_ics(
        client.get(url).get_data(as_text=True)
    )
    feed_days = [
        e.start.date()
        for e in calendar.timeline_tz(amsterdam)
        if e.summary == "Editorial"
    ]
    assert feed_days == portal_days


def test_a_meeting_series_is_changed_and_the_feed_says_so(client, cohort, planned):
    from portal.planner.models import Meeting

    as_user(client, "priya")
    add_meeting(client, cohort, day="2026-01-06", repeat="weekday")
    meeting = db.session.scalar(db.select(Meeting))
    edit_url = f"/calendar/{cohort.id}/meetings/{meeting.id}/edit"
    page = text_of(client.get(edit_url))
    assert 'value="Editorial meeting"' in page and 'value="10:00"' in page

    changed = {
        "kind": "editorial",
        "title": "Editorial, now at nine",
        "agenda": "Stories",
        "day": "2026-01-06",
        "clock": "09:00",
        "zone": "Europe/Amsterdam",
        "occurrence": "",
        "minutes": "45",
        "count": "6",
        "repeat": "weekday",
        "version": "1",
    }
    assert post(client, edit_url, changed).status_code == 302
    db.session.refresh(meeting)
    assert (meeting.title, meeting.minutes, meeting.version) == (
        "Editorial, now at nine",
        45,
        2,
    )
    stale = text_of(post(client, edit_url, dict(changed, title="Stale")))
    assert "changed this series since you opened it" in stale
    db.session.refresh(meeting)
    assert meeting.title == "Editorial, now at nine"

    as_user(client, "gijs")
    assert client.get(edit_url).status_code == 403
    assert post(client, edit_url, dict(changed, version="2")).status_code == 403
