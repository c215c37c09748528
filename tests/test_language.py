"""The interface in English and Dutch."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.extensions import db
from tests.conftest import login, post

TRANSLATIONS = Path(__file__).parent.parent / "portal" / "translations"


def read_catalogue(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def catalogue():
    return read_catalogue("nl")


@pytest.mark.parametrize("language", ["en", "nl"])
def test_both_catalogues_are_complete(language):
    catalogue = read_catalogue(language)

    def untranslated(message):
        forms = (
            message.string if isinstance(message.string, tuple) else [message.string]
        )
        return message.fuzzy or not all(forms)

    missing = [m.id for m in catalogue if m.id and untranslated(m)]

    assert missing == []


def test_the_dutch_catalogue_covers_every_marked_string(tmp_path, catalogue):
    from babel.messages.frontend import CommandLineInterface

    template = tmp_path / "messages.pot"
    root = Path(__file__).parent.parent
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(root / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_ngettext:1,2",
            "-o",
            str(template),
            str(root / "portal"),
        ]
    )
    with template.open("rb") as handle:
        marked = {m.id for m in read_po(handle) if m.id}

    assert marked - {m.id for m in catalogue if m.id} == set()


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def english_left(html, catalogue):
    """Every English interface string still visible on a Dutch page."""
    text = visible_text(html)
    left = []
    for message in catalogue:
        if not message.id or not isinstance(message.id, str):
            continue
        english = re.split(r"%\(\w+\)s", message.id)[0].strip()
        if len(english) < 6 or english == message.string or english in message.string:
            continue
        if re.search(rf"(?<!\w){re.escape(english)}(?!\w)", text):
            left.append(english)
    return left


def test_the_browser_language_chooses_dutch(client, trainee):
    html = client.get("/login", headers={"Accept-Language": "nl-NL,nl;q=0.9"}).get_data(
        as_text=True
    )

    assert "Inloggen" in html
    assert '<html lang="nl">' in html


def test_the_language_can_be_switched_and_is_remembered(client, trainee):
    login(client)
    response = post(client, "/language", {"language": "nl", "next": "/dashboard"})

    assert response.headers["Location"] == "/dashboard"
    assert trainee.locale == "nl"
    html = client.get("/dashboard", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Volgende stap" in html


def test_no_english_is_left_on_the_trainees_pages_in_dutch(
    app, client, trainee, catalogue
):
    login(client)
    post(client, "/language", {"language": "nl"})
    quiz = app.extensions["courses"].get("sample").modules[0].quiz
    attempt_url = post(client, "/learn/sample/01-basics/quiz").headers["Location"]
    pages = {
        "dashboard": client.get("/dashboard").get_data(as_text=True),
        "module": client.get("/learn/sample/01-basics/").get_data(as_text=True),
        "checklist": client.get("/learn/sample/02-practice/").get_data(as_text=True),
        "lesson": client.get("/learn/sample/01-basics/01-first").get_data(as_text=True),
        "attempt": client.get(attempt_url).get_data(as_text=True),
    }
    wrong = quiz.questions[0].options[0].id
    post(client, attempt_url, {"q-owner": wrong})
    pages["result"] = client.get(attempt_url).get_data(as_text=True)
    post(client, "/learn/sample/02-practice/checklist/story", {"evidence": "x"})
    pages["ticked"] = client.get("/learn/sample/02-practice/").get_data(as_text=True)
    pages["not found"] = client.get("/learn/sample/nothing/").get_data(as_text=True)

    left = {name: english_left(html, catalogue) for name, html in pages.items()}

    assert left == {name: [] for name in pages}
    assert "Volgende stap" in pages["dashboard"]
    assert "Wacht op beoordeling" in pages["ticked"]
    db.session.rollback()


def test_an_unknown_language_is_ignored(client):
    response = post(
        client, "/language", {"language": "xx", "next": "https://evil.example"}
    )

    assert response.headers["Location"] == "/"
