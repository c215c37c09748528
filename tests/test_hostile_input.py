"""What an attacker tried against the portal, kept as tests."""

import re

import pytest
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.learning import services
from portal.learning.models import Enrolment, QuizAttempt
from tests.conftest import (
    PASSWORD,
    LimitedConfig,
    login,
    make_user,
    outbox,
    post,
)
from tests.test_quiz import right_answers, start, wrong_answers


def sample(app):
    track = app.extensions["courses"].get("sample")
    return track, track.modules[0]


def test_only_one_attempt_can_be_open_per_module(app, trainee):
    track, module = sample(app)
    enrolment = db.session.scalar(db.select(Enrolment))

    first = services.start_attempt(enrolment, track, module)
    second = services.start_attempt(enrolment, track, module)

    assert first.id == second.id
    db.session.add(
        QuizAttempt(
            enrolment_id=enrolment.id,
            module=module.slug,
            course_version=track.version,
            layout=[],
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_failed_attempt_does_not_reveal_the_answer_key(app, logged_in):
    url = start(logged_in)

    html = post(logged_in, url, wrong_answers(app), follow_redirects=True).get_data(
        as_text=True
    )

    assert "Not passed yet." in html
    assert 'text-bg-success">right answer' not in html
    assert "Fogg Behavior Model" not in html  # accepted short answers stay hidden
    assert "EXPLANATION-MODEL" in html


def test_a_passed_attempt_shows_the_answer_key(app, logged_in):
    url = start(logged_in)

    html = post(logged_in, url, right_answers(app), follow_redirects=True).get_data(
        as_text=True
    )

    assert 'text-bg-success">right answer' in html
    assert "Fogg Behavior Model" in html


def test_an_open_attempt_from_an_older_course_version_is_started_again(app, logged_in):
    url = start(logged_in)
    attempt = db.session.scalar(db.select(QuizAttempt))
    attempt.course_version = "older"
    db.session.commit()

    response = logged_in.get(url, follow_redirects=True)

    assert "The course was updated" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(QuizAttempt.id))) == 0


@pytest.mark.parametrize("attempt_id", ["2147483648", "9" * 30, "-1", "0"])
def test_out_of_range_attempt_ids_are_not_found(logged_in, attempt_id):
    assert logged_in.get(f"/attempts/{attempt_id}").status_code == 404


def test_a_nul_character_in_a_form_is_refused_cleanly(logged_in):
    response = post(
        logged_in,
        "/learn/sample/02-practice/checklist/story",
        {"evidence": "before\x00after"},
    )

    assert response.status_code == 400


def test_a_nul_character_in_the_login_form_is_refused_cleanly(client):
    assert (
        post(
            client, "/login", {"email": "a\x00b@example.org", "password": "x"}
        ).status_code
        == 400
    )


@pytest.mark.parametrize(
    "target", ["////evil.example/x", "/////evil.example", "//evil"]
)
def test_slashes_cannot_turn_next_into_another_site(client, trainee, target):
    response = post(
        client,
        f"/login?next={target}",
        {"email": "trainee@example.org", "password": PASSWORD},
    )

    assert response.headers["Location"] == "/dashboard"


def test_email_links_use_the_configured_address_not_the_host_header(client, trainee):
    evil = {"Host": "evil.example"}
    page = client.get("/reset", headers=evil).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    client.post(
        "/reset",
        data={"csrf_token": token, "email": "trainee@example.org"},
        headers=evil,
    )

    assert "http://localhost/reset/" in outbox()[-1].body
    assert "evil.example" not in outbox()[-1].body


def test_a_password_reset_ends_the_sessions_that_used_the_old_password(app, trainee):
    thief = app.test_client()
    login(thief)
    assert thief.get("/dashboard").status_code == 200

    owner = app.test_client()
    post(owner, "/reset", {"email": "trainee@example.org"})
    link = outbox()[-1].body.split("http://localhost", 1)[1].split()[0]
    post(
        owner,
        link,
        {"password": "a new long password", "confirm": "a new long password"},
    )

    assert thief.get("/dashboard").status_code == 302


@pytest.mark.parametrize("config", [LimitedConfig])
def test_successful_logins_do_not_use_up_the_limit(client, trainee):
    for _ in range(5):
        assert login(client).status_code == 302
        post(client, "/logout")


def test_control_characters_are_dropped_from_names(client):
    make_user("admin@example.org", role="admin", track=None)
    login(client, "admin@example.org")

    post(
        client,
        "/admin/users",
        {
            "name": "Eve\u202e\u200b Evil\x07",
            "email": "eve@example.org",
            "role": "trainee",
            "track": "sample",
            "organisation": "0",
        },
    )

    assert "Eve Evil" in outbox()[-1].body


def test_pages_carry_security_headers(client):
    headers = client.get("/login").headers

    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
