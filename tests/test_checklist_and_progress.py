"""Lessons, checklist items and the dashboard: progress that belongs to one person."""

import pytest

from portal.extensions import db
from portal.learning.models import ChecklistTick, LessonRead
from tests.conftest import PASSWORD, login, make_user, post

MODULE = "/learn/sample/02-practice/"


def tick(client, item, evidence=None, action="tick"):
    data = {"action": action}
    if evidence is not None:
        data["evidence"] = evidence
    return post(client, f"{MODULE}checklist/{item}", data, follow_redirects=True)


def ticks():
    return {t.item: t for t in db.session.scalars(db.select(ChecklistTick))}


def test_ticking_a_plain_item_is_stored_and_shown(logged_in):
    html = tick(logged_in, "install").get_data(as_text=True)

    assert ticks()["install"].review_status == "none"
    assert "Untick" in html


def test_an_item_that_asks_for_a_link_needs_a_real_link(logged_in):
    html = tick(logged_in, "share", "javascript:alert(1)").get_data(as_text=True)

    assert "starts with http:// or https://" in html
    assert ticks() == {}

    tick(logged_in, "share", "https://www.linkedin.com/posts/123")
    assert ticks()["share"].evidence == "https://www.linkedin.com/posts/123"


def test_an_item_that_asks_for_evidence_cannot_be_ticked_without(logged_in):
    html = tick(logged_in, "story", "   ").get_data(as_text=True)

    assert "needs evidence" in html
    assert ticks() == {}


def test_an_item_for_review_waits_for_a_professional(logged_in):
    html = tick(logged_in, "story", "Three colleagues asked about it.").get_data(
        as_text=True
    )

    assert ticks()["story"].review_status == "pending"
    assert "Waiting for review" in html


def test_evidence_is_shown_escaped(logged_in):
    html = tick(logged_in, "story", "<script>alert('x')</script>").get_data(
        as_text=True
    )

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_oversized_evidence_is_refused(logged_in):
    html = tick(logged_in, "story", "x" * 2001).get_data(as_text=True)

    assert "at most 2000 characters" in html
    assert ticks() == {}


def test_an_item_can_be_unticked(logged_in):
    tick(logged_in, "install")

    tick(logged_in, "install", action="untick")

    assert ticks() == {}


def test_an_approved_item_cannot_be_changed(logged_in):
    tick(logged_in, "story", "Evidence")
    stored = ticks()["story"]
    stored.review_status = "approved"
    db.session.commit()

    html = tick(logged_in, "story", action="untick").get_data(as_text=True)

    assert "has been approved" in html
    assert ticks()["story"].review_status == "approved"


def test_unknown_items_are_not_found(logged_in):
    assert tick(logged_in, "no-such-item").status_code == 404


def test_reading_a_lesson_moves_the_next_step(logged_in):
    dashboard = logged_in.get("/dashboard").get_data(as_text=True)
    assert "read &#34;First lesson&#34;" in dashboard or "First lesson" in dashboard

    response = post(logged_in, "/learn/sample/01-basics/01-first")

    assert response.status_code == 302
    assert db.session.scalar(db.select(LessonRead)).lesson == "01-first"
    dashboard = logged_in.get("/dashboard").get_data(as_text=True)
    assert "take the quiz of Basics" in dashboard


def test_progress_survives_logging_out(client, trainee):
    login(client)
    tick(client, "install")
    post(client, "/logout")

    login(client)

    assert "Untick" in client.get(MODULE).get_data(as_text=True)
    assert "1 of 3 done" in client.get("/dashboard").get_data(as_text=True)


def test_one_trainee_cannot_see_or_change_anothers_progress(client):
    make_user("first@example.org")
    make_user("second@example.org")
    login(client, "first@example.org")
    tick(client, "story", "My private evidence")
    post(client, "/logout")

    login(client, "second@example.org")
    html = client.get(MODULE).get_data(as_text=True)
    assert "My private evidence" not in html
    assert "Waiting for review" not in html

    tick(client, "story", action="untick")
    stored = ticks()["story"]
    assert stored.evidence == "My private evidence"
    assert stored.enrolment.user.email == "first@example.org"


@pytest.mark.parametrize(
    "url", ["/dashboard", MODULE, "/learn/sample/01-basics/01-first"]
)
def test_trainee_pages_need_a_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_dashboard_shows_the_track_and_its_modules(logged_in):
    html = logged_in.get("/dashboard").get_data(as_text=True)

    assert "Sample track" in html
    assert "Basics" in html and "Practice" in html
    assert 'aria-valuenow="0"' in html


def test_the_module_page_shows_percent_after_work(client, trainee):
    login(client, password=PASSWORD)
    tick(client, "install")

    html = client.get("/dashboard").get_data(as_text=True)

    # Four requirements: the quiz and three checklist items; one is done.
    assert 'aria-valuenow="25"' in html
