"""A real server and a real Chromium for journeys through the portal."""

import os
import shutil
import threading
from datetime import timedelta

import pytest
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db
from tests.conftest import FixtureCoursesConfig

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
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_app(tmp_path):
    class LiveConfig(FixtureCoursesConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'live.sqlite'}"

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
def page(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def pass_time(app, minutes):
    """Move every submitted attempt back in time, as if the trainee waited."""
    from portal.learning.models import QuizAttempt

    with app.app_context():
        for attempt in db.session.scalars(db.select(QuizAttempt)):
            if attempt.submitted_at:
                attempt.submitted_at -= timedelta(minutes=minutes)
        db.session.commit()
