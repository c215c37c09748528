"""Cohorts: import, deadlines, reminders, reviews, the dashboard and who may see it."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from config import TestingConfig
from portal.auth.models import Invitation, User
from portal.cohorts import dashboard
from portal.cohorts.importing import parse_participants
from portal.cohorts.milestones import status_for, today_in
from portal.cohorts.models import (
    Cohort,
    CohortDeadline,
    CohortProfessional,
    Organisation,
)
from portal.extensions import db
from portal.learning.models import Enrolment
from tests.conftest import login, make_user, outbox, post

ROOT = Path(__file__).parent.parent


class RealCoursesConfig(TestingConfig):
    COURSES_DIR = str(ROOT / "courses")


@pytest.fixture
def config():
    return RealCoursesConfig


def professional(email, organisation, cohort=None, name=None):
    user = make_user(
        email,
        name=name or email.split("@")[0].title(),
        role="professional",
        track="professional" if cohort else None,
    )
    user.organisation = organisation
    if cohort is not None:
        db.session.add(CohortProfessional(cohort=cohort, user=user))
        user.enrolments[0].cohort = cohort
    db.session.commit()
    return user


@pytest.fixture
def calico(app):
    organisation = Organisation(name="Calico")
    cohort = Cohort(
        organisation=organisation,
        name="Calico pilot",
        start_date=date.today() - timedelta(weeks=6),
        timezone="Europe/Amsterdam",
    )
    db.session.add_all([organisation, cohort])
    db.session.commit()
    professional("priya@calico.example", organisation, cohort, "Priya")
    professional("daan@calico.example", organisation, cohort, "Daan")
    return cohort


def trainee_in(cohort, email="tess@calico.example", track="ambassador", group=None):
    user = make_user(email, track=track)
    user.enrolments[0].cohort = cohort
    user.enrolments[0].group = group
    db.session.commit()
    return user


# CSV import -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"name,email,role,group\nSam Jansen,sam@example.org,ambassador,Sales\n",
        b"\xef\xbb\xbfname;email;role;group\r\n"
        b"Sam Jansen;sam@example.org;ambassador;Sales\r\n",
        b"Naam;E-mail;Rol;Groep\nSam Jansen;SAM@example.org;Social Ambassador;Sales\n",
        b"name,email,role,group\n"
        b'"Jansen, Sam",sam@example.org,ambassador,"Sales, North"\n',
        b"email;role;name\nsam@example.org;ambassador;Sam Jansen\n\n\n",
    ],
    ids=[
        "comma",
        "semicolon with BOM and CRLF",
        "Dutch headers",
        "quoted",
        "reordered",
    ],
)
def test_csv_dialects_that_spreadsheets_write_are_read(data):
    people, problems = parse_participants(data)

    assert problems == []
    assert len(people) == 1
    assert people[0].email == "sam@example.org"
    assert people[0].role == "ambassador"
    assert "Sam" in people[0].name and "Jansen" in people[0].name


def test_accents_survive_the_import():
    people, _ = parse_participants(
        "name;email;role\nChloé Müller;c@example.org;creator\n".encode()
    )

    assert people[0].name == "Chloé Müller"


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", 1, "empty"),
        (b"naam,adres\nSam,x\n", 1, "must name the columns"),
        (b"name,email,role\nSam,sam@example.org\n", 2, "Expected 3 fields, found 2"),
        (
            b"name,email,role\nSam,not-an-email,ambassador\n",
            2,
            "is not an email address",
        ),
        (
            b"name,email,role\nSam,sam@example.org,ambassador\nSem,SAM@example.org,creator\n",
            3,
            "also on line 2",
        ),
        (b"name,email,role\nSam,sam@example.org,influencer\n", 2, "Unknown role"),
        (b"name,email,role\n ,sam@example.org,ambassador\n", 2, "The name is empty"),
        (
            b"name,email,role\nSam,sam@example.org,ambassador\n\x89PNG\x00\x00junk",
            3,
            "not a text file",
        ),
        (
            "name,email,role\nSamé,sam@example.org,ambassador\n".encode("latin-1"),
            2,
            "not UTF-8",
        ),
        (b"name,email,role\n", 2, "holds no one"),
    ],
    ids=[
        "empty",
        "wrong columns",
        "short row",
        "bad email",
        "duplicate",
        "bad role",
        "no name",
        "binary",
        "latin-1",
        "header only",
    ],
)
def test_every_bad_row_is_reported_with_its_line(data, line, message):
    people, problems = parse_participants(data)

    assert people == [] or problems
    assert any(p.line == line and message in str(p.message) for p in problems), problems


def test_every_bad_row_is_reported_not_just_the_first():
    data = (
        b"name,email,role\nA,bad,ambassador\nB,b@example.org,ambassador\nC,c@x,nobody\n"
    )

    _, problems = parse_participants(data)

    assert [p.line for p in problems] == [2, 4]


def test_ten_thousand_rows_are_refused_with_a_clear_message():
    rows = "".join(f"P{n},p{n}@example.org,ambassador\n" for n in range(10_000))

    people, problems = parse_participants(("name,email,role\n" + rows).encode())

    assert people == []
    assert len(problems) == 1 and "at most 5000" in str(problems[0].message)


def upload(client, cohort, data, filename="people.csv"):
    import io

    return post(
        client,
        f"/cohorts/{cohort.id}/participants/import",
        {"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_an_import_with_one_bad_row_imports_nothing(client, calico):
    login(client, "priya@calico.example")
    data = b"name;email;role\nSam;sam@example.org;ambassador\nNoor;noor@;creator\n"

    response = upload(client, calico, data)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nothing was imported" in html and "Line 3" in html
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0
    assert outbox() == []


def test_an_import_invites_new_people_and_enrols_known_ones(client, calico):
    make_user("known@example.org", track=None)
    login(client, "priya@calico.example")
    data = (
        b"name;email;role;group\n"
        b"Sam Jansen;sam@example.org;ambassador;Sales\n"
        b"Known Person;known@example.org;creator;Service\n"
        b"Pia Prof;pia@example.org;professional;\n"
    )

    response = upload(client, calico, data)

    assert response.status_code == 302
    invitations = db.session.scalars(
        db.select(Invitation).order_by(Invitation.email)
    ).all()
    assert [(i.email, i.track, i.role, i.group) for i in invitations] == [
        ("pia@example.org", "professional", "professional", None),
        ("sam@example.org", "ambassador", "trainee", "Sales"),
    ]
    assert sorted(m.to[0] for m in outbox()) == ["pia@example.org", "sam@example.org"]
    known = db.session.scalar(db.select(User).filter_by(email="known@example.org"))
    enrolment = next(e for e in known.enrolments if e.track == "creator")
    assert (enrolment.cohort_id, enrolment.group) == (calico.id, "Service")

    to_pia = next(m for m in outbox() if m.to == ["pia@example.org"])
    link = re.search(r"http://localhost(/join/\S+)", to_pia.body).group(1)
    post(client, "/logout")
    post(
        client,
        link,
        {"name": "Pia", "password": "a long password", "confirm": "a long password"},
    )
    pia = db.session.scalar(db.select(User).filter_by(email="pia@example.org"))
    assert pia.organisation_id == calico.organisation_id
    assert calico.is_run_by(pia)


def test_importing_the_same_people_twice_is_refused(client, calico):
    login(client, "priya@calico.example")
    data = b"name,email,role\nSam,sam@example.org,ambassador\n"
    upload(client, calico, data)

    response = upload(client, calico, data)

    assert response.status_code == 400
    assert "already invited" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 1


# Milestone status and deadlines -------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 1), "due-soon"),  # the deadline day itself is still in time
        (date(2026, 3, 2), "overdue"),
        (date(2026, 2, 15), "due-soon"),  # fourteen days ahead
        (date(2026, 2, 14), "on-track"),
    ],
)
def test_milestone_status_at_the_boundaries(today, expected):
    assert status_for(False, date(2026, 3, 1), today) == expected
    assert status_for(True, date(2026, 3, 1), today) == "done"


@pytest.mark.parametrize(
    ("zone", "expected_day", "expected_status"),
    [
        ("Pacific/Kiritimati", date(2026, 3, 2), "overdue"),  # UTC+14
        ("UTC", date(2026, 3, 1), "due-soon"),
        ("Pacific/Pago_Pago", date(2026, 2, 28), "due-soon"),  # UTC-11
    ],
)
def test_the_cohorts_time_zone_decides_which_day_it_is(
    zone, expected_day, expected_status
):
    instant = datetime(2026, 3, 1, 10, 30, tzinfo=UTC)

    today = today_in(zone, instant)

    assert today == expected_day
    assert status_for(False, date(2026, 3, 1), today) == expected_status


def test_a_dashboard_far_east_of_utc_shows_the_deadline_overdue_a_day_early(
    app, calico
):
    calico.timezone = "Pacific/Kiritimati"
    calico.start_date = date(2026, 1, 1)
    db.session.add(
        CohortDeadline(cohort_id=calico.id, milestone=1, due_date=date(2026, 3, 1))
    )
    db.session.commit()
    registry = app.extensions["courses"]

    before = dashboard.load(
        calico, registry, now=datetime(2026, 3, 1, 9, 59, tzinfo=UTC)
    )
    after = dashboard.load(
        calico, registry, now=datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    )

    assert before.professionals[0].milestones[0].status == "due-soon"
    assert after.professionals[0].milestones[0].status == "overdue"


def move(client, cohort, number, due, enrolment=None, action="move"):
    data = {"due_date": due, "action": action}
    if enrolment:
        data["enrolment"] = enrolment
    return post(
        client, f"/cohorts/{cohort.id}/deadlines/{number}", data, follow_redirects=True
    )


def test_moving_a_deadline_for_the_cohort_and_for_one_professional(app, client, calico):
    login(client, "priya@calico.example")
    daan = db.session.scalar(
        db.select(Enrolment).join(User).filter(User.name == "Daan")
    )

    move(client, calico, 2, (calico.start_date + timedelta(weeks=20)).isoformat())
    move(
        client,
        calico,
        2,
        (calico.start_date + timedelta(weeks=30)).isoformat(),
        daan.id,
    )

    view = dashboard.load(calico, app.extensions["courses"])
    by_name = {p.user.name: p.milestones[1] for p in view.professionals}
    assert by_name["Priya"].due == calico.start_date + timedelta(weeks=20)
    assert by_name["Daan"].due == calico.start_date + timedelta(weeks=30)
    assert by_name["Daan"].moved == "personal"

    move(client, calico, 2, "", daan.id, action="reset")
    view = dashboard.load(calico, app.extensions["courses"])
    assert {p.milestones[1].due for p in view.professionals} == {
        calico.start_date + timedelta(weeks=20)
    }


def test_a_deadline_before_the_cohort_starts_is_refused(client, calico):
    login(client, "priya@calico.example")

    html = move(client, calico, 1, (calico.start_date - timedelta(days=1)).isoformat())

    assert "cannot fall before the cohort starts" in html.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(CohortDeadline.id))) == 0


def test_moving_the_deadline_changes_the_dashboard(client, calico):
    login(client, "priya@calico.example")
    before = client.get(f"/cohorts/{calico.id}").get_data(as_text=True)
    assert "overdue" in before  # milestone 1 was due after four weeks

    move(client, calico, 1, (date.today() + timedelta(weeks=8)).isoformat())

    after = client.get(f"/cohorts/{calico.id}").get_data(as_text=True)
    assert '1: <span class="badge text-bg-danger">overdue' not in after
