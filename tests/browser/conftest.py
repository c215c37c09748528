"""A real server and a real Chromium for journeys through the portal."""

import os
import shutil
import threading
from datetime import timedelta

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db
from tests.conftest import PASSWORD, FixtureCoursesConfig

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium():
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium():
    path = find_chromium()
    if path is None:
        message = "no Chromium found (apt-get install chromium, or set CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {message}")
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def courses_dir():
    """The courses the live server publishes; a test module overrides this to
    walk through the real tracks."""
    return FixtureCoursesConfig.COURSES_DIR


@pytest.fixture
def live_app(tmp_path, courses_dir):
    class LiveConfig(FixtureCoursesConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'live.sqlite'}"
        COURSES_DIR = courses_dir

    app = create_app(LiveConfig)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def phones(chromium):
    """Open phone-sized pages, each in its own browser, as colleagues who take
    turns in one journey each use their own phone."""
    contexts = []

    def open_phone():
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_phone
    for context in contexts:
        context.close()


@pytest.fixture
def page(phones):
    return phones()


def log_in(page, live_server, email, password=PASSWORD):
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/dashboard")
    return page


def pass_time(app, minutes):
    """Move every submitted attempt back in time, as if the trainee waited."""
    from portal.learning.models import QuizAttempt

    with app.app_context():
        for attempt in db.session.scalars(db.select(QuizAttempt)):
            if attempt.submitted_at:
                attempt.submitted_at -= timedelta(minutes=minutes)
        db.session.commit()
