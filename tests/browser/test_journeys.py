"""A trainee's journey in a real browser, on a phone-sized screen."""

import pytest

from portal.extensions import db
from portal.learning.models import ChecklistTick, QuizAttempt
from tests.browser.conftest import log_in, pass_time
from tests.conftest import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def trainee_login(live_app, live_server, page):
    with live_app.app_context():
        make_user()
    return log_in(page, live_server, "trainee@example.org")


def answer(page, *, right):
    page.locator("#question-owner").get_by_label(
        "A professional" if right else "The vendor"
    ).check()
    page.locator("#question-roles").get_by_label("Creator").check()
    page.locator("#question-roles").get_by_label("Activator").check()
    page.locator("#question-own-accounts").get_by_label("True").check()
    page.locator("#question-model").get_by_label("Your answer").fill(
        "  FOGG model " if right else "Maslow"
    )
    page.get_by_role("button", name="Submit answers").click()


def test_a_trainee_reads_fails_passes_and_ticks(live_app, live_server, trainee_login):
    page = trainee_login
    assert page.get_by_text("Sample track").is_visible()

    page.get_by_role("link", name="Continue").click()
    assert page.get_by_role("heading", name="First lesson").is_visible()
    page.get_by_role("button", name="Mark as read and go to the quiz").click()

    page.get_by_role("button", name="Start the quiz").click()
    answer(page, right=False)
    result = page.locator("#result")
    assert "Not passed yet." in result.inner_text()
    assert "50%" in result.inner_text()
    assert page.get_by_text("EXPLANATION-OWNER").is_visible()

    pass_time(live_app, minutes=11)
    page.get_by_role("link", name="Back to the module").click()
    page.get_by_role("button", name="Take the quiz again").click()
    answer(page, right=True)
    assert "Passed." in page.locator("#result").inner_text()

    page.goto(f"{live_server}/learn/sample/02-practice/")
    page.locator("#item-share").get_by_label("Link to your evidence").fill(
        "https://www.linkedin.com/feed/update/1"
    )
    page.locator("#item-share").get_by_role("button", name="Tick this item").click()
    assert page.locator("#item-share").get_by_text("Done").is_visible()

    with live_app.app_context():
        scores = db.session.scalars(
            db.select(QuizAttempt.score).order_by(QuizAttempt.id)
        )
        assert list(scores) == [50, 100]
        tick = db.session.scalar(db.select(ChecklistTick))
        assert tick.evidence == "https://www.linkedin.com/feed/update/1"


def test_the_menu_folds_on_a_phone_and_switches_language(live_server, trainee_login):
    page = trainee_login
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible()

    menu.click()
    page.get_by_role("button", name="Nederlands").click()

    assert page.get_by_text("Volgende stap").is_visible()
    assert page.locator("html").get_attribute("lang") == "nl"
