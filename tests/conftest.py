import re
from pathlib import Path

import pytest
from flask import current_app
from flask.testing import FlaskClient

from config import TestingConfig
from portal import create_app
from portal.auth.models import User
from portal.extensions import db
from portal.learning.models import Enrolment

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
PASSWORD = "correct horse battery"


class FixtureCoursesConfig(TestingConfig):
    COURSES_DIR = str(FIXTURES / "courses")


class RealCoursesConfig(TestingConfig):
    """The courses in the repository, for tests of the real tracks."""

    COURSES_DIR = str(ROOT / "courses")


class LimitedConfig(FixtureCoursesConfig):
    """Rate limits on, and low, for the tests of them."""

    RATELIMIT_ENABLED = True
    LOGIN_RATE_LIMIT = "3 per minute"


@pytest.fixture
def config():
    """The configuration class for the app under test; override to change it."""
    return FixtureCoursesConfig


class RequestClient(FlaskClient):
    """Give every request its own application context, as a server would, so
    nothing cached on `g` leaks from one request into the next."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(config):
    app = create_app(config)
    app.test_client_class = RequestClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def make_user(
    email="trainee@example.org",
    *,
    name="Tess Example",
    role="trainee",
    track="sample",
    password=PASSWORD,
):
    user = User(email=email, name=name, role=role)
    user.set_password(password)
    db.session.add(user)
    if track:
        db.session.add(Enrolment(user=user, track=track))
    db.session.commit()
    return user


@pytest.fixture
def trainee(app):
    return make_user()


def csrf_token(client):
    """Fetch a page and take the CSRF token from its language form."""
    html = client.get("/", follow_redirects=True).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def post(client, url, data=None, **kwargs):
    """POST as the browser would: with the session's CSRF token."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, **kwargs)


def login(client, email="trainee@example.org", password=PASSWORD):
    return post(client, "/login", {"email": email, "password": password})


def outbox():
    """Emails sent by the app under test (the locmem backend keeps them)."""
    return getattr(current_app.extensions["mailman"], "outbox", [])


@pytest.fixture
def logged_in(client, trainee):
    login(client)
    return client
