"""Taking a quiz through the web pages, as a trainee."""

import re
from datetime import timedelta

import pytest

from portal.database import utcnow
from portal.extensions import db
from portal.learning.models import QuizAttempt
from tests.conftest import login, make_user, post

QUIZ_URL = "/learn/sample/01-basics/quiz"


def start(client):
    response = post(client, QUIZ_URL)
    assert response.status_code == 302
    return response.headers["Location"]


def quiz_of(app):
    return app.extensions["courses"].get("sample").modules[0].quiz


def right_answers(app):
    quiz = quiz_of(app)
    owner, roles, own, _model = quiz.questions
    return {
        "q-owner": next(iter(owner.correct_ids)),
        "q-roles": sorted(roles.correct_ids),
        "q-own-accounts": next(iter(own.correct_ids)),
        "q-model": "fogg model",
    }


def wrong_answers(app):
    quiz = quiz_of(app)
    owner = quiz.questions[0]
    wrong = next(o.id for o in owner.options if not o.correct)
    return {"q-owner": wrong, "q-model": "Maslow"}


def test_the_quiz_page_holds_no_answer_key(app, logged_in):
    html = logged_in.get(start(logged_in)).get_data(as_text=True)
    quiz = quiz_of(app)

    assert "Who owns the framework?" in html
    assert "EXPLANATION" not in html
    assert "Fogg" not in html  # accepted short answers stay on the server
    for question in quiz.questions:
        for option in question.options:
            if question.type != "short":
                # Every option looks the same: an id, and nothing that marks it right.
                assert html.count(f'value="{option.id}"') == 1
    assert "checked" not in html
    assert "right answer" not in html
    assert "[x]" not in html


def test_options_are_shuffled_per_attempt_and_kept_for_that_attempt(app, logged_in):
    layouts = []
    for _ in range(8):
        url = start(logged_in)
        first = logged_in.get(url).get_data(as_text=True)
        again = logged_in.get(url).get_data(as_text=True)
        order = re.findall(r'value="([0-9a-f]{10})"', first)
        assert order == re.findall(r'value="([0-9a-f]{10})"', again)
        layouts.append(tuple(order))
        post(logged_in, url, right_answers(app))

    assert len(set(layouts)) > 1


def test_fail_then_wait_for_the_cooldown_then_pass(app, logged_in):
    url = start(logged_in)
    result = post(logged_in, url, wrong_answers(app), follow_redirects=True)
    html = result.get_data(as_text=True)

    assert "Not passed yet." in html
    assert "EXPLANATION-OWNER" in html  # explanations come after submission

    refused = post(logged_in, QUIZ_URL, follow_redirects=True)
    assert "Please wait until the cooldown has passed." in refused.get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count(QuizAttempt.id))) == 1

    attempt = db.session.scalar(db.select(QuizAttempt))
    attempt.submitted_at = utcnow() - timedelta(minutes=11)
    db.session.commit()

    url = start(logged_in)
    html = post(logged_in, url, right_answers(app), follow_redirects=True).get_data(
        as_text=True
    )
    assert "Passed." in html
    attempts = db.session.scalars(db.select(QuizAttempt).order_by(QuizAttempt.id)).all()
    assert [(a.score, a.passed) for a in attempts] == [(0, False), (100, True)]
    assert {a.course_version for a in attempts} == {
        app.extensions["courses"].get("sample").version
    }


def test_a_tampered_answer_is_refused_and_the_attempt_stays_open(app, logged_in):
    url = start(logged_in)

    response = post(logged_in, url, {"q-owner": "forged-option"})

    assert response.status_code == 400
    assert "does not belong to this quiz" in response.get_data(as_text=True)
    attempt = db.session.scalar(db.select(QuizAttempt))
    assert attempt.submitted_at is None and attempt.answers is None


def test_a_submitted_attempt_cannot_be_submitted_again(app, logged_in):
    url = start(logged_in)
    post(logged_in, url, wrong_answers(app))

    response = post(logged_in, url, right_answers(app), follow_redirects=True)

    assert "already been submitted" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(QuizAttempt)).score == 0


def test_a_submission_without_csrf_token_is_refused(app, logged_in):
    url = start(logged_in)

    response = logged_in.post(url, data=right_answers(app))

    assert response.status_code == 400
    assert db.session.scalar(db.select(QuizAttempt)).submitted_at is None


def test_a_huge_answer_is_refused_without_harm(app, logged_in):
    url = start(logged_in)

    response = post(logged_in, url, {"q-model": "x" * 3_000_000})

    assert response.status_code == 413
    assert db.session.scalar(db.select(QuizAttempt)).submitted_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_trainees_attempt_is_not_found(app, client, method):
    make_user("owner@example.org")
    make_user("other@example.org")
    login(client, "owner@example.org")
    url = start(client)
    post(client, "/logout")
    login(client, "other@example.org")

    if method == "get":
        response = client.get(url)
    else:
        response = post(client, url, right_answers(app))

    assert response.status_code == 404
    assert db.session.scalar(db.select(QuizAttempt)).submitted_at is None


def test_pages_of_a_track_one_is_not_enrolled_in_are_not_found(app, client):
    make_user("none@example.org", track=None)
    login(client, "none@example.org")

    assert client.get("/learn/sample/01-basics/").status_code == 404
    assert post(client, QUIZ_URL).status_code == 404


def test_unknown_attempt_ids_are_not_found(logged_in):
    assert logged_in.get("/attempts/999999").status_code == 404
    assert logged_in.get("/attempts/abc").status_code == 404


def test_the_quiz_pages_need_a_login(client):
    response = client.get("/learn/sample/01-basics/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
