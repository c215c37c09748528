"""Logging in, invitations, password resets and who may see what."""

import re

import pytest

from config import TestingConfig
from portal.auth.models import Invitation, User
from portal.extensions import db
from portal.learning.models import Enrolment
from tests.conftest import (
    PASSWORD,
    LimitedConfig,
    login,
    make_user,
    outbox,
    post,
)


def test_login_with_the_right_password_opens_the_dashboard(client, trainee):
    response = login(client)

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert "Tess Example" in client.get("/dashboard").get_data(as_text=True)


def test_login_accepts_the_email_in_any_case(client, trainee):
    assert login(client, "  TRAINEE@Example.org ").status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part(client, trainee):
    response = login(client, password="wrong password")

    assert response.status_code == 200
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_a_deactivated_account_cannot_log_in(client, trainee):
    trainee.active = False
    db.session.commit()

    assert login(client).status_code == 200


def test_passwords_are_stored_hashed(trainee):
    assert PASSWORD not in trainee.password_hash
    assert trainee.password_hash.startswith("$argon2")


def test_logout_is_a_post(logged_in):
    assert logged_in.get("/logout").status_code == 405

    post(logged_in, "/logout")

    assert logged_in.get("/dashboard").status_code == 302


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/learn/sample/01-basics/", "/learn/sample/01-basics/"),
        ("https://evil.example/", "/dashboard"),
        ("//evil.example/", "/dashboard"),
        ("/\\evil.example", "/dashboard"),
        ("javascript:alert(1)", "/dashboard"),
        ("http:/evil.example", "/dashboard"),
    ],
)
def test_login_only_follows_next_to_this_site(client, trainee, next_url, expected):
    response = post(
        client,
        f"/login?next={next_url}",
        {"email": "trainee@example.org", "password": PASSWORD},
    )

    assert response.headers["Location"] == expected


@pytest.mark.parametrize("config", [LimitedConfig])
def test_login_is_rate_limited(client, trainee):
    for _ in range(3):
        assert login(client, password="wrong password").status_code == 200

    response = login(client)

    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def invite(client, email="new@example.org", role="trainee", track="sample"):
    make_user("admin@example.org", role="admin", track=None)
    login(client, "admin@example.org")
    response = post(
        client,
        "/admin/users",
        {
            "name": "Nina New",
            "email": email,
            "role": role,
            "track": track,
            "organisation": "0",
        },
        follow_redirects=True,
    )
    post(client, "/logout")
    return response


def invitation_link():
    body = outbox()[-1].body
    return re.search(r"http://localhost(/join/\S+)", body).group(1)


def test_an_invitation_link_creates_an_account_with_its_track(client):
    invite(client)
    assert outbox()[-1].to == ["new@example.org"]
    link = invitation_link()

    page = client.get(link).get_data(as_text=True)
    assert "new@example.org" in page
    response = post(
        client,
        link,
        {
            "name": "Nina New",
            "password": "a long password",
            "confirm": "a long password",
        },
    )

    assert response.headers["Location"] == "/dashboard"
    user = db.session.scalar(db.select(User).filter_by(email="new@example.org"))
    assert user.role == "trainee"
    assert [e.track for e in user.enrolments] == ["sample"]
    assert "Sample track" in client.get("/dashboard").get_data(as_text=True)


def test_an_invitation_works_only_once(client):
    invite(client)
    link = invitation_link()
    form = {"name": "Nina", "password": "a long password", "confirm": "a long password"}
    post(client, link, form)
    post(client, "/logout")

    response = post(client, link, form)

    assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count(User.id))) == 2


@pytest.mark.parametrize("token", ["nonsense", "x" * 300])
def test_a_wrong_invitation_token_explains_itself(client, token):
    response = client.get(f"/join/{token}")

    assert response.status_code == 404
    assert "does not work" in response.get_data(as_text=True)


def test_a_weak_password_is_refused_at_registration(client):
    invite(client)
    link = invitation_link()

    response = post(
        client, link, {"name": "Nina", "password": "short", "confirm": "short"}
    )

    assert response.status_code == 200
    assert "Use 10 to 128 characters." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Invitation)).accepted_at is None


def test_inviting_an_existing_address_is_refused(client):
    make_user("taken@example.org")

    html = invite(client, email="taken@example.org").get_data(as_text=True)

    assert "already exists" in html
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0


def test_registration_is_only_by_invitation(client):
    assert client.get("/register").status_code == 404


def reset_link():
    return re.search(r"http://localhost(/reset/\S+)", outbox()[-1].body).group(1)


def test_a_password_reset_link_sets_a_new_password_once(client, trainee):
    post(client, "/reset", {"email": "trainee@example.org"})
    link = reset_link()

    response = post(
        client, link, {"password": "brand new secret", "confirm": "brand new secret"}
    )

    assert response.headers["Location"] == "/login"
    assert login(client, password="brand new secret").status_code == 302
    post(client, "/logout")
    again = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "expired or was already used" in again


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = post(
        client, "/reset", {"email": "nobody@example.org"}, follow_redirects=True
    )

    assert "If that address has an account" in response.get_data(as_text=True)
    assert outbox() == []


def test_an_expired_reset_link_is_refused(app, client, trainee):
    post(client, "/reset", {"email": "trainee@example.org"})
    link = reset_link()
    app.config["PASSWORD_RESET_MAX_AGE"] = -1

    response = post(
        client, link, {"password": "brand new secret", "confirm": "brand new secret"}
    )

    assert response.headers["Location"] == "/reset"
    assert login(client).status_code == 302  # the old password still works


def test_trainees_cannot_open_the_administration(logged_in):
    assert logged_in.get("/admin/").status_code == 403
    assert (
        post(
            logged_in,
            "/admin/users",
            {"name": "x", "email": "x@example.org", "role": "admin", "track": ""},
        ).status_code
        == 403
    )
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0


def test_create_admin_command_makes_an_administrator(runner):
    result = runner.invoke(
        args=[
            "users",
            "create-admin",
            "--email",
            "Boss@Example.org",
            "--name",
            "Boss",
            "--password",
            "a very long password",
        ]
    )

    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(email="boss@example.org"))
    assert user.role == "admin" and user.check_password("a very long password")


def test_create_admin_refuses_a_short_password(runner):
    result = runner.invoke(
        args=[
            "users",
            "create-admin",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--password",
            "short",
        ]
    )

    assert result.exit_code != 0
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_the_app_refuses_to_start_without_a_secret_key():
    class NoSecret(TestingConfig):
        SECRET_KEY = None

    from portal import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(NoSecret)


def test_enrolment_is_unique_per_track(trainee):
    from sqlalchemy.exc import IntegrityError

    db.session.add(Enrolment(user=trainee, track="sample"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
