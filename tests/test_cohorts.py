"""Cohorts: import, deadlines, reminders, reviews, the dashboard and who may see it."""

import re
import socket
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

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
from portal.extensions import db, mail
from portal.learning.models import ChecklistTick, Enrolment
from tests.conftest import RealCoursesConfig, login, make_user, outbox, post
from tests.factories import add_participants

ROOT = Path(__file__).parent.parent


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
    known = make_user("known@example.org", track=None)
    known.organisation_id = calico.organisation_id
    db.session.commit()
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


# Reminders over real SMTP ------------------------------------------------------


class Inbox:
    """An SMTP server on localhost that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        from email import message_from_bytes, policy

        self.messages.append(
            message_from_bytes(envelope.content, policy=policy.default)
        )
        return "250 OK"


@pytest.fixture
def smtp_server(app):
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    mail.init_app(app)  # Flask-Mailman reads its settings when attached
    yield inbox
    controller.stop()


def test_deadline_reminders_arrive_once(runner, calico, smtp_server):
    first = runner.invoke(args=["cohorts", "remind"])
    second = runner.invoke(args=["cohorts", "remind"])

    assert first.exit_code == 0 and second.exit_code == 0
    assert "4 reminder(s) sent." in first.output
    assert "0 reminder(s) sent." in second.output
    received = sorted((m["To"], m["Subject"]) for m in smtp_server.messages)
    assert received == [
        ("daan@calico.example", "Milestone 1 is overdue"),
        ("daan@calico.example", "Milestone 2 is due soon"),
        ("priya@calico.example", "Milestone 1 is overdue"),
        ("priya@calico.example", "Milestone 2 is due soon"),
    ]
    body = smtp_server.messages[0].get_content()
    assert "http://localhost/learn/professional/" in body


def test_an_overdue_reminder_follows_the_due_soon_one_once(
    app, runner, calico, smtp_server
):
    runner.invoke(args=["cohorts", "remind"])
    calico.start_date -= timedelta(weeks=3)  # time passes: milestone 2 is now late
    db.session.commit()

    result = runner.invoke(args=["cohorts", "remind"])

    assert "2 reminder(s) sent." in result.output
    late = [m["Subject"] for m in smtp_server.messages[-2:]]
    assert late == ["Milestone 2 is overdue", "Milestone 2 is overdue"]


def test_a_quiet_participant_gets_one_prompt_a_week(client, calico, smtp_server):
    quiet = trainee_in(calico)
    quiet.enrolments[0].created_at = datetime.now(UTC) - timedelta(days=40)
    db.session.commit()
    login(client, "priya@calico.example")

    page = client.get(f"/cohorts/{calico.id}?status=quiet").get_data(as_text=True)
    assert "tess@calico.example" in page and "Send a prompt" in page
    url = f"/cohorts/{calico.id}/prompt/{quiet.enrolments[0].id}"
    post(client, url)
    again = post(client, url, follow_redirects=True).get_data(as_text=True)

    assert "less than a week ago" in again
    assert [m["To"] for m in smtp_server.messages] == ["tess@calico.example"]
    assert smtp_server.messages[0]["Reply-To"] == "priya@calico.example"


# Reviews --------------------------------------------------------------------------


def tick_for_review(client, email, track="ambassador"):
    module, item = {
        "ambassador": ("03-sharing-in-practice", "share-reactions"),
        "professional": ("01-goals-and-audiences", "measurable-goals"),
    }[track]
    login(client, email)
    post(client, f"/learn/{track}/{module}/checklist/{item}", {"evidence": "My notes"})
    post(client, "/logout")
    return db.session.scalar(db.select(ChecklistTick).filter_by(item=item))


def review(client, cohort, tick, decision, comment=""):
    return post(
        client,
        f"/cohorts/{cohort.id}/reviews/{tick.id}",
        {"decision": decision, "comment": comment},
        follow_redirects=True,
    )


def test_a_professional_approves_and_the_trainee_sees_it(client, calico):
    trainee_in(calico)
    tick = tick_for_review(client, "tess@calico.example")
    assert tick.review_status == "pending"
    login(client, "priya@calico.example")
    assert "My notes" in client.get(f"/cohorts/{calico.id}/reviews").get_data(
        as_text=True
    )

    review(client, calico, tick, "approve")

    db.session.refresh(tick)
    assert tick.review_status == "approved"
    post(client, "/logout")
    login(client, "tess@calico.example")
    page = client.get("/learn/ambassador/03-sharing-in-practice/").get_data(
        as_text=True
    )
    assert "Approved" in page


def test_returning_an_item_needs_a_comment_that_the_trainee_reads(client, calico):
    trainee_in(calico)
    tick = tick_for_review(client, "tess@calico.example")
    login(client, "priya@calico.example")

    refused = review(client, calico, tick, "return").get_data(as_text=True)
    assert "Say what needs to change" in refused
    review(client, calico, tick, "return", "Add one example, please.")

    db.session.refresh(tick)
    assert (tick.review_status, tick.review_comment) == (
        "returned",
        "Add one example, please.",
    )
    post(client, "/logout")
    login(client, "tess@calico.example")
    page = client.get("/learn/ambassador/03-sharing-in-practice/").get_data(
        as_text=True
    )
    assert "Returned" in page and "Add one example, please." in page


def test_nobody_reviews_their_own_item(client, calico):
    tick = tick_for_review(client, "priya@calico.example", track="professional")
    login(client, "priya@calico.example")

    html = review(client, calico, tick, "approve").get_data(as_text=True)

    assert "Nobody reviews their own work" in html
    db.session.refresh(tick)
    assert tick.review_status == "pending"

    post(client, "/logout")
    login(client, "daan@calico.example")
    review(client, calico, tick, "approve")
    db.session.refresh(tick)
    assert tick.review_status == "approved"


def test_an_administrator_may_review(client, calico):
    trainee_in(calico)
    tick = tick_for_review(client, "tess@calico.example")
    make_user("admin@example.org", role="admin", track=None)
    login(client, "admin@example.org")

    review(client, calico, tick, "approve")

    db.session.refresh(tick)
    assert tick.review_status == "approved"


def test_an_item_can_be_reviewed_only_once(client, calico):
    trainee_in(calico)
    tick = tick_for_review(client, "tess@calico.example")
    login(client, "priya@calico.example")
    review(client, calico, tick, "approve")

    html = review(client, calico, tick, "return", "Changed my mind").get_data(
        as_text=True
    )

    assert "no longer waiting for review" in html
    db.session.refresh(tick)
    assert tick.review_status == "approved"


# Who may see what ---------------------------------------------------------------


@pytest.fixture
def other_cohort(app, calico):
    organisation = Organisation(name="Other")
    cohort = Cohort(
        organisation=organisation, name="Other", start_date=date.today(), timezone="UTC"
    )
    db.session.add_all([organisation, cohort])
    db.session.commit()
    professional("olga@other.example", organisation, cohort, "Olga")
    return cohort


def cohort_pages(cohort, tick_id, enrolment_id, invitation_id):
    base = f"/cohorts/{cohort.id}"
    gets = ["", "/export.csv", "/participants", "/deadlines", "/reviews", "/summary"]
    posts = [
        (
            "/participants",
            {"name": "X", "email": "x@example.org", "role": "ambassador"},
        ),
        ("/staff", {"colleague": "1"}),
        ("/deadlines/1", {"due_date": date.today().isoformat(), "action": "move"}),
        (f"/reviews/{tick_id}", {"decision": "approve"}),
        (f"/prompt/{enrolment_id}", {}),
        ("/hours", {"day": date.today().isoformat(), "hours": "2"}),
        ("/settings", {"name": "Taken", "start_date": "2027-01-04", "timezone": "UTC"}),
        (f"/invitations/{invitation_id}", {}),
    ]
    return [base + path for path in gets], [(base + path, data) for path, data in posts]


def test_a_professional_of_another_cohort_gets_not_found_everywhere(
    client, calico, other_cohort
):
    trainee = trainee_in(calico)
    tick = tick_for_review(client, "tess@calico.example")
    invitation, _ = Invitation.create(
        days_valid=14,
        email="new@example.org",
        name="New",
        role="trainee",
        cohort=calico,
    )
    db.session.add(invitation)
    db.session.commit()
    gets, posts = cohort_pages(calico, tick.id, trainee.enrolments[0].id, invitation.id)
    login(client, "olga@other.example")

    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts:
        assert post(client, url, data).status_code == 404, url
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 1
    db.session.refresh(tick)
    db.session.refresh(calico)
    assert tick.review_status == "pending"
    assert calico.name == "Calico pilot"
    listing = client.get("/cohorts/").get_data(as_text=True)
    assert "Calico pilot" not in listing and "Other" in listing


def test_trainees_cannot_open_cohort_pages(client, calico):
    trainee_in(calico)
    login(client, "tess@calico.example")

    assert client.get("/cohorts/").status_code == 403
    assert client.get(f"/cohorts/{calico.id}").status_code == 403


def test_an_administrator_sees_every_cohort(client, calico, other_cohort):
    make_user("admin@example.org", role="admin", track=None)
    login(client, "admin@example.org")

    listing = client.get("/cohorts/").get_data(as_text=True)

    assert "Calico pilot" in listing and "Other" in listing
    assert client.get(f"/cohorts/{other_cohort.id}").status_code == 200


# Creating and running a cohort --------------------------------------------------


@pytest.fixture
def acme(client):
    """An organisation with one professional, logged in, and no cohort yet."""
    organisation = Organisation(name="Acme")
    db.session.add(organisation)
    db.session.commit()
    professional("solo@acme.example", organisation)
    login(client, "solo@acme.example")
    return organisation


def test_a_professional_creates_a_cohort_and_is_warned_to_add_a_colleague(client, acme):
    organisation = acme

    response = post(
        client,
        "/cohorts/new",
        {
            "organisation": organisation.id,
            "name": "Acme 2027",
            "start_date": "2027-01-04",
            "timezone": "Asia/Tokyo",
        },
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    assert "Cohort Acme 2027 created." in html
    assert "only one professional" in html
    cohort = db.session.scalar(db.select(Cohort).filter_by(name="Acme 2027"))
    assert (cohort.timezone, cohort.start_date) == ("Asia/Tokyo", date(2027, 1, 4))
    assert [m.user.email for m in cohort.staff] == ["solo@acme.example"]


def test_an_unknown_time_zone_is_refused(client, acme):
    organisation = acme

    response = post(
        client,
        "/cohorts/new",
        {
            "organisation": organisation.id,
            "name": "X",
            "start_date": "2027-01-04",
            "timezone": "Mars/Olympus",
        },
    )

    assert "Unknown time zone" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Cohort.id))) == 0


def test_the_export_holds_the_table_and_defuses_formulas(client, calico):
    trainee = trainee_in(calico, group="Sales")
    trainee.name = "=HYPERLINK(evil)"
    db.session.commit()
    login(client, "priya@calico.example")

    response = client.get(f"/cohorts/{calico.id}/export.csv?group=Sales")

    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("name,email,track,group,progress")
    assert len(lines) == 2
    assert lines[1].startswith(
        "'=HYPERLINK(evil),tess@calico.example,ambassador,Sales,0"
    )


def test_hours_logged_count_toward_the_indication(app, client, calico):
    login(client, "priya@calico.example")

    post(
        client,
        f"/cohorts/{calico.id}/hours",
        {"day": date.today().isoformat(), "hours": "2.5", "note": "Editorial meeting"},
    )

    view = dashboard.load(calico, app.extensions["courses"])
    priya = next(p for p in view.professionals if p.user.name == "Priya")
    assert priya.hours_logged == 2.5


# The dashboard at scale ----------------------------------------------------------


def count_queries(client, url):
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


def test_the_dashboard_runs_as_many_queries_for_2000_as_for_20(client, calico):
    login(client, "priya@calico.example")
    add_participants(calico, 20)
    small = count_queries(client, f"/cohorts/{calico.id}")

    add_participants(calico, 1980)
    large = count_queries(client, f"/cohorts/{calico.id}")

    assert small == large
    assert small <= 15


def test_an_invitation_arrives_over_smtp(client, calico, smtp_server):
    login(client, "priya@calico.example")

    post(
        client,
        f"/cohorts/{calico.id}/participants",
        {
            "name": "Noor",
            "email": "noor@example.org",
            "role": "creator",
            "group": "Sales",
        },
    )

    [message] = smtp_server.messages
    assert message["To"] == "noor@example.org"
    assert "http://localhost/join/" in message.get_content()


def test_the_demo_cohort_is_mid_way(app, runner, client):
    from portal.demo import DEMO_PASSWORD

    runner.invoke(args=["demo", "load"])
    cohort = db.session.scalar(db.select(Cohort).filter_by(name="Calico pilot"))

    view = dashboard.load(cohort, app.extensions["courses"])

    statuses = {m.status for p in view.professionals for m in p.milestones}
    assert {"done", "overdue"} <= statuses
    assert any(p.quiet for p in view.participants)
    assert any(0 < p.percent < 100 for p in view.participants)
    login(client, "priya@calico.example", DEMO_PASSWORD)
    queue = client.get(f"/cohorts/{cohort.id}/reviews").get_data(as_text=True)
    assert queue.count('name="decision" value="approve"') >= 2


# What an attacker tried against the cohorts ---------------------------------------


def test_accounts_of_another_organisation_cannot_be_imported(
    client, calico, other_cohort
):
    login(client, "priya@calico.example")

    response = upload(
        client,
        calico,
        b"name,email,role\nSam,sam@example.org,ambassador\nO,olga@other.example,professional\n",
    )

    assert response.status_code == 400
    assert "cannot be added here" in response.get_data(as_text=True)
    olga = db.session.scalar(db.select(User).filter_by(email="olga@other.example"))
    assert not calico.is_run_by(olga)
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0


def test_a_trainee_account_cannot_be_imported_as_professional(client, calico):
    tess = trainee_in(calico)
    tess.organisation_id = calico.organisation_id
    db.session.commit()
    login(client, "priya@calico.example")

    response = upload(
        client, calico, b"name,email,role\nT,tess@calico.example,professional\n"
    )

    assert "has no SRO Professional account" in response.get_data(as_text=True)
    assert [e.track for e in tess.enrolments] == ["ambassador"]


def test_import_problems_are_escaped(client, calico):
    login(client, "priya@calico.example")

    response = upload(
        client, calico, b"name,email,role\nA,<img src=x onerror=alert(1)>,<b>x</b>\n"
    )

    html = response.get_data(as_text=True)
    assert "<img src=x" not in html and "<b>x</b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xef\xbb\xbf", "empty"),
        (b"name,email,role\rSam,sam@example.org,ambassador\r", None),
        (b'name,email,role\n"Sam,sam@example.org,ambassador\n', "Expected 3 fields"),
        (b"PK\x03\x04rest of a workbook", "spreadsheet workbook"),
        (
            b"name,email,email,role\nS,a@example.org,b@example.org,creator\n",
            "once each",
        ),
    ],
    ids=["only a BOM", "old Mac line ends", "open quote", "xlsx", "column twice"],
)
def test_odd_files_get_a_message_not_an_error(data, message):
    people, problems = parse_participants(data)

    if message is None:
        assert problems == [] and people[0].email == "sam@example.org"
    else:
        assert people == [] and message in problems[0].message


def test_a_cohort_start_far_in_the_future_is_refused(client, acme):
    response = post(
        client,
        "/cohorts/new",
        {
            "organisation": acme.id,
            "name": "Far",
            "start_date": "9999-12-31",
            "timezone": "UTC",
        },
    )

    assert "Choose a start date between 2000 and 2100" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count(Cohort.id))) == 0


def test_a_review_is_refused_when_the_item_changed_since_it_was_opened(client, calico):
    trainee_in(calico)
    tick = tick_for_review(client, "tess@calico.example")
    seen = tick.ticked_at.isoformat()
    login(client, "tess@calico.example")
    post(
        client,
        "/learn/ambassador/03-sharing-in-practice/checklist/share-reactions",
        {"evidence": "Something else entirely"},
    )
    post(client, "/logout")
    login(client, "priya@calico.example")

    html = post(
        client,
        f"/cohorts/{calico.id}/reviews/{tick.id}",
        {"decision": "approve", "seen": seen},
        follow_redirects=True,
    ).get_data(as_text=True)

    assert "changed this item since you opened it" in html
    db.session.refresh(tick)
    assert tick.review_status == "pending"


@pytest.mark.parametrize("number", [0, 8, 99])
def test_unknown_milestones_are_not_found(client, calico, number):
    login(client, "priya@calico.example")

    response = post(
        client,
        f"/cohorts/{calico.id}/deadlines/{number}",
        {"due_date": date.today().isoformat(), "action": "move"},
    )

    assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count(CohortDeadline.id))) == 0


def test_a_personal_deadline_needs_a_real_professional_enrolment(client, calico):
    trainee = trainee_in(calico)
    login(client, "priya@calico.example")
    url = f"/cohorts/{calico.id}/deadlines/1"
    due = (calico.start_date + timedelta(weeks=6)).isoformat()

    for enrolment in ["abc", "0", str(trainee.enrolments[0].id)]:
        response = post(
            client, url, {"due_date": due, "action": "move", "enrolment": enrolment}
        )
        assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count(CohortDeadline.id))) == 0


@pytest.mark.parametrize("hours", ["sNaN", "NaN", "inf", "-1", "0", "25"])
def test_impossible_hours_are_refused(app, client, calico, hours):
    login(client, "priya@calico.example")

    response = post(
        client,
        f"/cohorts/{calico.id}/hours",
        {"day": date.today().isoformat(), "hours": hours},
    )

    assert response.status_code == 302
    view = dashboard.load(calico, app.extensions["courses"])
    assert all(p.hours_logged == 0 for p in view.professionals)


def test_a_day_holds_at_most_24_hours(app, client, calico):
    login(client, "priya@calico.example")
    url = f"/cohorts/{calico.id}/hours"
    today = date.today().isoformat()

    for hours in ["0.1", "20", "5"]:
        post(client, url, {"day": today, "hours": hours})

    view = dashboard.load(calico, app.extensions["courses"])
    priya = next(p for p in view.professionals if p.user.name == "Priya")
    assert priya.hours_logged == pytest.approx(20.1)


def test_only_quiet_participants_can_be_prompted(client, calico):
    active = trainee_in(calico)
    active.enrolments[0].last_activity_at = datetime.now(UTC) - timedelta(days=2)
    db.session.commit()
    login(client, "priya@calico.example")

    html = post(
        client,
        f"/cohorts/{calico.id}/prompt/{active.enrolments[0].id}",
        follow_redirects=True,
    ).get_data(as_text=True)

    assert "quiet for 30 days" in html
    assert outbox() == []


def test_a_reminder_that_could_not_be_sent_is_tried_again(app, runner, calico):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
    mail.init_app(app)  # port 9 refuses: the mail server is down

    failed = runner.invoke(args=["cohorts", "remind"])
    app.config.update(MAIL_BACKEND="locmem")
    mail.init_app(app)
    retried = runner.invoke(args=["cohorts", "remind"])

    assert "0 reminder(s) sent." in failed.output
    assert "4 reminder(s) sent." in retried.output
    assert len(outbox()) == 4


def test_the_cohort_can_be_renamed_and_moved(client, calico):
    login(client, "priya@calico.example")

    post(
        client,
        f"/cohorts/{calico.id}/settings",
        {
            "name": "Calico 2027",
            "start_date": "2027-01-04",
            "timezone": "europe/brussels",
        },
    )

    db.session.refresh(calico)
    assert (calico.name, calico.start_date, calico.timezone) == (
        "Calico 2027",
        date(2027, 1, 4),
        "Europe/Brussels",
    )


def test_an_invitation_can_be_withdrawn_and_its_link_dies(client, calico):
    login(client, "priya@calico.example")
    post(
        client,
        f"/cohorts/{calico.id}/participants",
        {"name": "Noor", "email": "noor@example.org", "role": "creator", "group": ""},
    )
    invitation = db.session.scalar(db.select(Invitation))
    link = re.search(r"http://localhost(/join/\S+)", outbox()[-1].body).group(1)

    post(client, f"/cohorts/{calico.id}/invitations/{invitation.id}")

    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0
    post(client, "/logout")
    assert client.get(link).status_code == 404


def test_the_demo_holds_valid_expired_and_revoked_certificates(app, runner, tmp_path):
    from portal.credentials.models import Certificate

    app.config["SIGNING_KEYS_DIR"] = str(tmp_path / "keys")
    runner.invoke(args=["certificates", "new-key"])
    runner.invoke(args=["demo", "load"])

    statuses = sorted(c.status() for c in db.session.scalars(db.select(Certificate)))

    assert statuses == ["expired", "revoked", "valid", "valid"]


def test_the_reviews_tab_counts_what_waits_for_the_viewer(client, calico):
    from portal.learning.models import ChecklistTick

    tess = trainee_in(calico)
    for item in ("one", "two"):
        db.session.add(
            ChecklistTick(
                enrolment_id=tess.enrolments[0].id,
                module="03-sharing-in-practice",
                item=item,
                course_version="v",
                evidence="https://example.org/",
                review_status="pending",
            )
        )
    db.session.commit()
    login(client, "priya@calico.example")

    page = client.get(f"/cohorts/{calico.id}").get_data(as_text=True)

    assert 'title="Items waiting for your review">2</span>' in page
    assert f'href="/calendar/{calico.id}/"' in page
