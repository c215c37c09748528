"""`flask courses check` and the parser behind it."""

from pathlib import Path

import pytest

from portal.courses.parser import load_track
from portal.courses.registry import CourseRegistry

ROOT = Path(__file__).parent.parent
BROKEN = "tests/fixtures/broken"


def test_shipped_courses_pass_the_check(runner):
    result = runner.invoke(args=["courses", "check", str(ROOT / "courses")])

    assert result.exit_code == 0, result.output
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("bad-yaml/track.md:3", "front matter: while parsing a flow sequence"),
        ("unknown-type/01-module/quiz.md:5", "unknown question type 'essay'"),
        ("no-correct/01-module/quiz.md:5", "no correct answer"),
        ("duplicate-ids/01-module/quiz.md:12", "duplicate question id 'same'"),
        ("missing-file/01-module/module.md:1", "file is missing"),
        ("pass-mark/01-module/quiz.md:3", "'pass_mark' must be between 1 and 100"),
        ("checklist-id/01-module/checklist.md:6", "needs '{#id}' at its end"),
        ("review-evidence/01-module/checklist.md:5", "an item for review needs"),
        ("no-explanation/01-module/quiz.md:5", "has no explanation"),
        ("unknown-key/01-module/quiz.md:3", "unknown front matter key 'pas_mark'"),
        ("no-front-matter/01-module/01-lesson.md:1", "front matter"),
        ("two-correct/01-module/quiz.md:7", "needs exactly one '[x]' option"),
    ],
)
def test_check_reports_each_mistake_with_path_and_line(
    runner, monkeypatch, location, message
):
    monkeypatch.chdir(ROOT)

    result = runner.invoke(args=["courses", "check", BROKEN])

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(f"{BROKEN}/{location}: ") and message in line for line in lines
    ), result.stdout


def test_every_broken_fixture_is_reported(runner, monkeypatch):
    monkeypatch.chdir(ROOT)

    result = runner.invoke(args=["courses", "check", BROKEN])

    tracks = {p.name for p in (ROOT / BROKEN).iterdir() if p.is_dir()}
    reported = {line.split("/")[3] for line in result.stdout.splitlines()}
    assert reported == tracks


def test_a_broken_track_is_not_served_but_the_others_are(tmp_path):
    good = ROOT / "tests/fixtures/courses/sample"
    (tmp_path / "sample").symlink_to(good, target_is_directory=True)
    (tmp_path / "broken").symlink_to(
        ROOT / BROKEN / "unknown-type", target_is_directory=True
    )

    registry = CourseRegistry.load(tmp_path)

    assert list(registry.tracks) == ["sample"]
    assert list(registry.broken) == ["broken"]


def test_admin_sees_why_a_track_is_not_served(app, client):
    from tests.conftest import login, make_user

    make_user("admin@example.org", role="admin", track=None)
    app.extensions["courses"] = CourseRegistry.load(ROOT / BROKEN)
    login(client, "admin@example.org")

    html = client.get("/admin/").get_data(as_text=True)

    assert "Not served" in html
    assert "unknown question type &#39;essay&#39;" in html


def test_the_role_tracks_have_the_content_the_academy_promises():
    for slug in ("ambassador", "creator", "activator"):
        track, errors = load_track(ROOT / "courses" / slug)

        assert errors == []
        assert track.role == slug
        assert len(track.modules) >= 4
        questions = [q for m in track.modules if m.quiz for q in m.quiz.questions]
        assert len(questions) >= 20
        assert {q.type for q in questions} == {
            "single",
            "multiple",
            "true-false",
            "short",
        }
        assert any(m.checklist for m in track.modules)
        assert all(m.lessons for m in track.modules)


def test_the_professional_track_has_seven_full_milestones_of_76_hours():
    track, errors = load_track(ROOT / "courses" / "professional")

    assert errors == []
    milestones = [m.milestone for m in track.modules]
    assert [m.number for m in milestones] == [1, 2, 3, 4, 5, 6, 7]
    assert sum(m.hours for m in milestones) == 76
    for module in track.modules:
        assert module.lessons
        assert len(module.quiz.questions) >= 8
        assert any(item.review for item in module.checklist.items)
    calendar = track.modules[3].exercises[0]
    assert calendar.kind == "plan-calendar"
    assert calendar.params == {"count": 12, "weeks": 4, "channels": 2}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours: 10", "hours: 11", "milestone hours add up to 77, not 76"),
        ("number: 2", "number: 3", "milestones must be numbered 1 to 7"),
        ("deadline_weeks: 8", "deadline_weeks: 2", "deadlines must not go back"),
        ("phase: strategy", "phase: planning", "milestone phase must be one of"),
    ],
)
def test_the_check_validates_the_milestone_data(tmp_path, field, value, message):
    import shutil

    copy = tmp_path / "professional"
    shutil.copytree(ROOT / "courses" / "professional", copy)
    module = copy / "02-content-strategy" / "module.md"
    module.write_text(module.read_text().replace(field, value, 1))

    track, errors = load_track(copy)

    assert track is None
    assert any(message in error.message for error in errors), errors


def test_course_html_is_sanitised():
    track, _ = load_track(ROOT / "tests/fixtures/courses/sample")

    html = track.modules[0].lessons[0].html

    assert "<strong>people trust people</strong>" in html
    assert "<script" not in html
    assert 'href="javascript' not in html


def test_the_version_changes_when_a_file_changes(tmp_path):
    import shutil

    copy = tmp_path / "sample"
    shutil.copytree(ROOT / "tests/fixtures/courses/sample", copy)
    before, _ = load_track(copy)

    lesson = copy / "01-basics" / "01-first.md"
    lesson.write_text(lesson.read_text() + "\nOne more line.\n")
    after, _ = load_track(copy)

    assert before.version != after.version
