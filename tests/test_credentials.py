"""Signing keys in the portal and the published JWKS."""

import pytest

from certificates import achievement_credential, load_jwks, sign, verify
from config import TestingConfig
from tests.conftest import FIXTURES


@pytest.fixture
def config(tmp_path):
    class KeysConfig(TestingConfig):
        COURSES_DIR = str(FIXTURES / "courses")
        SIGNING_KEYS_DIR = str(tmp_path / "keys")

    return KeysConfig


def test_new_key_creates_a_private_key_outside_the_repository(runner, tmp_path):
    result = runner.invoke(args=["certificates", "new-key"])

    assert result.exit_code == 0, result.output
    [pem] = (tmp_path / "keys").glob("*.pem")
    assert pem.stat().st_mode & 0o777 == 0o600
    assert b"PRIVATE KEY" in pem.read_bytes()


def test_the_jwks_publishes_every_key_and_no_private_part(runner, client):
    runner.invoke(args=["certificates", "new-key"])
    runner.invoke(args=["certificates", "new-key"])

    response = client.get("/.well-known/jwks.json")

    keys = response.get_json()["keys"]
    assert response.status_code == 200 and len(keys) == 2
    assert all(set(k) == {"kty", "crv", "x", "kid", "alg", "use"} for k in keys)
    assert all(k["crv"] == "Ed25519" for k in keys)


def test_a_credential_signed_before_a_rotation_verifies_with_the_published_keys(
    app, runner, client
):
    from datetime import UTC, datetime

    from portal.credentials.keystore import signing_key

    runner.invoke(args=["certificates", "new-key"])
    old = signing_key()
    token = sign(
        achievement_credential(
            credential_id="https://localhost/verify/x",
            issuer={
                "id": "https://localhost/issuer",
                "name": "SRO Academy",
                "url": "https://localhost/",
            },
            holder_name="Ирина Петрова",
            achievement={
                "id": "a",
                "name": "Social Activator",
                "description": "d",
                "criteria": "c",
                "version": "v",
            },
            valid_from=datetime(2026, 1, 1, tzinfo=UTC),
        ),
        old,
    )
    runner.invoke(args=["certificates", "new-key"])

    published = load_jwks(client.get("/.well-known/jwks.json").get_json())

    assert signing_key().kid != old.kid
    assert verify(token, published).valid


# Issuing and verifying in the portal ------------------------------------------


import threading  # noqa: E402
from datetime import timedelta  # noqa: E402

from portal.credentials import services  # noqa: E402
from portal.credentials.models import Certificate, normalise_code  # noqa: E402
from portal.database import utcnow  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.learning.models import ChecklistTick, Enrolment  # noqa: E402
from tests.conftest import login, make_user, post  # noqa: E402
from tests.test_quiz import right_answers, start  # noqa: E402


@pytest.fixture
def signing(runner):
    runner.invoke(args=["certificates", "new-key"])


def finish_sample_track(client):
    """Pass the quiz and tick every item; the item for review is approved here."""
    post(client, start(client), right_answers(client.application))
    base = "/learn/sample/02-practice/checklist/"
    post(client, base + "install")
    post(client, base + "share", {"evidence": "https://www.linkedin.com/feed/1"})
    post(client, base + "story", {"evidence": "Colleagues asked questions."})
    tick = db.session.scalar(db.select(ChecklistTick).filter_by(item="story"))
    tick.review_status = "approved"
    db.session.commit()
    # The last step that completes the track issues the certificate.
    return post(client, base + "install", follow_redirects=True)


def issued():
    return db.session.scalars(db.select(Certificate)).all()


def test_finishing_a_track_issues_one_certificate(app, client, trainee, signing):
    login(client)
    post(client, start(client), right_answers(app))
    assert issued() == []

    finish_sample_track(client)

    [certificate] = issued()
    assert (certificate.track, certificate.holder_name) == ("sample", "Tess Example")
    assert certificate.course_version == app.extensions["courses"].get("sample").version
    page = client.get("/certificates/").get_data(as_text=True)
    assert certificate.code_display in page


def test_the_public_page_says_valid_without_a_login(app, client, trainee, signing):
    login(client)
    finish_sample_track(client)
    [certificate] = issued()
    post(client, "/logout")

    html = client.get(f"/verify/{certificate.public_id}").get_data(as_text=True)

    assert "Valid" in html and "Tess Example" in html and "Sample track" in html
    assert html.count("✔") == 4


@pytest.mark.parametrize(
    "typed",
    ["{code}", "{lower}", " {spaced} ", "{dashed}"],
)
def test_the_code_is_found_whatever_the_case_and_spaces(
    client, trainee, signing, typed
):
    login(client)
    finish_sample_track(client)
    [certificate] = issued()
    code = certificate.code
    typed = typed.format(
        code=code,
        lower=code.lower(),
        spaced=f"{code[:5]} {code[5:]}",
        dashed=certificate.code_display,
    )

    response = client.get("/verify", query_string={"code": typed})

    assert response.headers["Location"] == f"/verify/{certificate.public_id}"


@pytest.mark.parametrize(
    "path",
    [
        "/verify?code=ABCDE-FGHJK",
        "/verify?code=0000000000",
        "/verify?code=" + "A" * 500,
        "/verify?code=%00%ff",
        "/verify/" + "0" * 32,
        "/verify/not-an-id",
        "/verify/" + "a" * 2000,
    ],
)
def test_unknown_malformed_and_overlong_codes_are_not_found(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "No certificate with this code" in response.get_data(as_text=True)


def test_the_api_gives_the_same_record(client, trainee, signing):
    login(client)
    finish_sample_track(client)
    [certificate] = issued()

    data = client.get(f"/api/v1/certificates/{certificate.public_id}").get_json()

    assert data["status"] == "valid"
    assert data["holder"] == "Tess Example"
    assert data["checks"] == {
        "signature": True,
        "key": True,
        "revocation": True,
        "expiry": True,
    }
    assert client.get("/api/v1/certificates/nope").status_code == 404


def test_a_revoked_certificate_shows_its_reason(client, trainee, signing):
    login(client)
    finish_sample_track(client)
    [certificate] = issued()
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = "Issued to the wrong person."
    db.session.commit()

    html = client.get(f"/verify/{certificate.public_id}").get_data(as_text=True)
    data = client.get(f"/api/v1/certificates/{certificate.public_id}").get_json()

    assert "Revoked" in html and "Issued to the wrong person." in html
    assert (data["status"], data["revocation_reason"]) == (
        "revoked",
        "Issued to the wrong person.",
    )


def test_an_expired_certificate_says_so(client, trainee, signing):
    login(client)
    finish_sample_track(client)
    [certificate] = issued()
    certificate.valid_until = utcnow() - timedelta(days=1)
    db.session.commit()

    data = client.get(f"/api/v1/certificates/{certificate.public_id}").get_json()

    assert data["status"] == "expired" and data["checks"]["expiry"] is False


def test_a_tampered_stored_credential_is_not_called_valid(client, trainee, signing):
    login(client)
    finish_sample_track(client)
    [certificate] = issued()
    head, body, signature = certificate.token.split(".")
    certificate.token = ".".join([head, body[:-4] + "AAAA", signature])
    db.session.commit()

    data = client.get(f"/api/v1/certificates/{certificate.public_id}").get_json()

    assert data["status"] == "invalid" and data["checks"]["signature"] is False


def test_only_the_holder_downloads_the_badge(app, client, trainee, signing):
    from certificates.images import unbake

    login(client)
    finish_sample_track(client)
    [certificate] = issued()
    png = client.get(f"/certificates/{certificate.public_id}/badge.png").data
    assert unbake(png) == certificate.token
    post(client, "/logout")

    make_user("other@example.org")
    login(client, "other@example.org")

    assert (
        client.get(f"/certificates/{certificate.public_id}/badge.png").status_code
        == 404
    )


def test_the_code_alphabet_has_no_look_alikes():
    assert normalise_code("ABCDE-FGHJ0") is None  # zero is never used
    assert normalise_code("abcde fghjk") == "ABCDEFGHJK"
    assert normalise_code("ABCDEFGHJK1") is None


@pytest.fixture
def file_database(config, tmp_path):
    """Racing requests need a real database with connections of their own."""
    import os

    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'race.sqlite'}"
    config.SQLALCHEMY_DATABASE_URI = url.replace(
        "postgresql://", "postgresql+psycopg://"
    )
    return config


def test_two_racing_requests_issue_exactly_one_certificate(file_database, tmp_path):
    from portal import create_app

    app = create_app(file_database)
    with app.app_context():
        db.drop_all()
        db.create_all()
        app.test_cli_runner().invoke(args=["certificates", "new-key"])
        user = make_user()
        enrolment_id = db.session.scalar(db.select(Enrolment.id))
        user_id = user.id
        track = app.extensions["courses"].get("sample")
        db.session.remove()

    barrier = threading.Barrier(4)
    results, errors = [], []

    def request():
        try:
            with app.app_context():
                from portal.auth.models import User

                holder = db.session.get(User, user_id)
                barrier.wait(timeout=10)
                results.append(services.issue(holder, track).id)
        except Exception as error:  # reported below, so the test says what broke
            errors.append(error)

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    with app.app_context():
        count = db.session.scalar(db.select(db.func.count(Certificate.id)))
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    assert errors == []
    assert count == 1
    assert len(set(results)) == 1 and enrolment_id


def test_an_administrator_revokes_and_the_public_page_says_so_at_once(
    client, trainee, signing
):
    login(client)
    finish_sample_track(client)
    [certificate] = issued()
    post(client, "/logout")
    make_user("admin@example.org", role="admin", track=None)
    login(client, "admin@example.org")
    assert certificate.holder_name in client.get(
        f"/admin/certificates?q={certificate.code.lower()}"
    ).get_data(as_text=True)

    refused = post(
        client,
        f"/admin/certificates/{certificate.public_id}/revoke",
        {"reason": "  "},
        follow_redirects=True,
    )
    assert "Give the reason" in refused.get_data(as_text=True)
    post(
        client,
        f"/admin/certificates/{certificate.public_id}/revoke",
        {"reason": "Shared an account."},
    )

    data = client.get(f"/api/v1/certificates/{certificate.public_id}").get_json()
    assert (data["status"], data["revocation_reason"]) == (
        "revoked",
        "Shared an account.",
    )


def test_trainees_cannot_revoke(client, trainee, signing):
    login(client)
    finish_sample_track(client)
    [certificate] = issued()

    response = post(
        client,
        f"/admin/certificates/{certificate.public_id}/revoke",
        {"reason": "mine"},
    )

    assert response.status_code == 403
    db.session.refresh(certificate)
    assert certificate.revoked_at is None


def test_the_holder_page_offers_linkedin(client, trainee, signing):
    login(client)
    finish_sample_track(client)

    html = client.get("/certificates/").get_data(as_text=True)

    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in html
    assert "certUrl=http%3A%2F%2Flocalhost%2Fverify%2F" in html


def test_the_api_is_described_in_openapi(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    assert spec["openapi"].startswith("3.")
    assert "/api/v1/certificates/{id}" in spec["paths"]


class GuessingConfig(TestingConfig):
    COURSES_DIR = str(FIXTURES / "courses")
    RATELIMIT_ENABLED = True


@pytest.mark.parametrize("config", [GuessingConfig])
def test_guessing_codes_is_rate_limited(client):
    statuses = [
        client.get("/verify", query_string={"code": f"AAAAA{n:05d}"}).status_code
        for n in range(31)
    ]

    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


def test_a_revoked_credential_is_no_longer_handed_out(client, trainee, signing):
    login(client)
    finish_sample_track(client)
    [certificate] = issued()
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = "Withdrawn."
    db.session.commit()

    assert (
        client.get(f"/verify/{certificate.public_id}/credential.jwt").status_code == 410
    )
    assert (
        client.get(f"/certificates/{certificate.public_id}/badge.png").status_code
        == 410
    )


# The printable PDF ------------------------------------------------------------


def read_pdf(data):
    """The PDF's text, and the QR codes found on its page rendered as a phone
    camera would see it."""
    import io

    import pypdfium2
    import zxingcpp
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    page = pypdfium2.PdfDocument(data)[0]
    image = page.render(scale=2).to_pil()
    return text, page.get_size(), [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize(
    "name",
    ["Ελένη Παπαδοπούλου", "Анна Ковалёва-Щербакова", "Zoë Ñúñez-Łukasiewicz"],
)
def test_the_pdf_prints_the_name_and_its_qr_code_leads_to_valid(client, name, signing):
    make_user("holder@example.org", name=name)
    login(client, "holder@example.org")
    finish_sample_track(client)
    [certificate] = issued()

    response = client.get(f"/certificates/{certificate.public_id}/certificate.pdf")
    text, (width, height), codes = read_pdf(response.data)

    assert response.mimetype == "application/pdf"
    assert width > height  # landscape; A4 is 842 by 595 points
    assert (round(width), round(height)) == (842, 595)
    assert name in text and certificate.code_display in text
    assert "Sample track" in text
    [url] = codes
    assert url == f"http://localhost/verify/{certificate.public_id}"
    post(client, "/logout")
    page = client.get(url.removeprefix("http://localhost")).get_data(as_text=True)
    assert "Valid" in page and name in page


def test_only_the_holder_downloads_the_pdf_and_not_once_revoked(client, signing):
    make_user("holder@example.org")
    login(client, "holder@example.org")
    finish_sample_track(client)
    [certificate] = issued()
    address = f"/certificates/{certificate.public_id}/certificate.pdf"
    post(client, "/logout")

    assert client.get(address).status_code == 302  # to the login page
    make_user("other@example.org")
    login(client, "other@example.org")
    assert client.get(address).status_code == 404
    post(client, "/logout")

    certificate.revoked_at, certificate.revoked_reason = utcnow(), "Fraud."
    db.session.commit()
    login(client, "holder@example.org")
    assert client.get(address).status_code == 410


# Validity periods and renewal -------------------------------------------------


def test_an_administrator_sets_a_validity_period_that_new_certificates_follow(
    client, trainee, signing
):
    make_user("admin@example.org", role="admin", track=None)
    login(client, "admin@example.org")
    assert post(client, "/admin/tracks/sample/validity", {"validity_months": "0"})
    assert db.session.get(services.TrackPolicy, "sample") is None
    page = client.get("/admin/").get_data(as_text=True)
    assert "Give a whole number of months" in page

    post(client, "/admin/tracks/sample/validity", {"validity_months": "24"})
    assert db.session.get(services.TrackPolicy, "sample").validity_months == 24
    assert post(client, "/admin/tracks/nope/validity", {}).status_code == 404
    post(client, "/logout")

    login(client)
    finish_sample_track(client)
    [certificate] = issued()

    issued_at, valid_until = certificate.issued_at, certificate.valid_until
    assert (valid_until.year - issued_at.year, valid_until.month) == (
        2,
        issued_at.month,
    )
    credential = verify(certificate.token, services.public_keys()).credential
    assert credential["validUntil"].startswith(valid_until.strftime("%Y-%m-%d"))


def test_trainees_cannot_set_validity(client, trainee):
    login(client)
    response = post(client, "/admin/tracks/sample/validity", {"validity_months": "1"})
    assert response.status_code == 403
    assert db.session.get(services.TrackPolicy, "sample") is None


def two_years_on(certificate):
    """Move the holder's quiz attempts and the certificate two years back; the
    certificate ran out yesterday."""
    from portal.learning.models import QuizAttempt

    two_years = timedelta(days=730)
    for attempt in db.session.scalars(db.select(QuizAttempt)):
        attempt.started_at -= two_years
        attempt.submitted_at -= two_years
    certificate.issued_at -= two_years
    certificate.valid_until = utcnow() - timedelta(days=1)
    db.session.commit()


def test_an_expired_certificate_is_renewed_by_passing_every_quiz_again(
    app, client, trainee, signing
):

    login(client)
    finish_sample_track(client)
    [old] = issued()
    two_years_on(old)

    page = client.get("/certificates/").get_data(as_text=True)
    assert "To renew this certificate" in page and "○ Basics" in page

    post(client, start(client), right_answers(app))

    old, new = sorted(issued(), key=lambda c: c.renewal)
    assert (old.status(), new.status()) == ("expired", "valid")
    assert new.renewal == 1 and new.code != old.code
    page = client.get("/certificates/").get_data(as_text=True)
    assert "To renew this certificate" not in page
    assert client.get(f"/verify/{new.public_id}").status_code == 200


def test_a_valid_certificate_is_not_renewed_by_passing_again(app, client, trainee):
    login(client)
    client.application.test_cli_runner().invoke(args=["certificates", "new-key"])
    finish_sample_track(client)
    post(client, start(client), right_answers(app))

    assert len(issued()) == 1


# What the public page shows ---------------------------------------------------


def test_the_holder_chooses_what_the_public_page_shows(client, trainee, signing):
    from portal.cohorts.models import Organisation

    organisation = Organisation(name="Calico Coffee")
    db.session.add(organisation)
    db.session.flush()
    trainee.organisation_id = organisation.id
    db.session.commit()
    login(client)
    finish_sample_track(client)
    [certificate] = issued()
    public = f"/verify/{certificate.public_id}"
    api = f"/api/v1/certificates/{certificate.public_id}"
    before = client.get(public).get_data(as_text=True)
    assert "Issued on" in before and certificate.course_version in before
    assert "Calico Coffee" not in before

    post(
        client,
        f"/certificates/{certificate.public_id}/visibility",
        {"show_organisation": "y"},
    )

    after = client.get(public).get_data(as_text=True)
    data = client.get(api).get_json()
    assert "Tess Example" in after and "Sample track" in after and "Valid" in after
    assert "Issued on" not in after and certificate.course_version not in after
    assert "Calico Coffee" in after
    assert "issued_at" not in data and "course_version" not in data
    assert data["organisation"] == "Calico Coffee" and data["status"] == "valid"


def test_nobody_else_changes_what_the_public_page_shows(client, trainee, signing):
    login(client)
    finish_sample_track(client)
    [certificate] = issued()
    post(client, "/logout")
    make_user("other@example.org")
    login(client, "other@example.org")

    response = post(client, f"/certificates/{certificate.public_id}/visibility", {})

    assert response.status_code == 404
    db.session.refresh(certificate)
    assert certificate.show_dates and certificate.show_version


def test_the_holder_is_emailed_once_when_the_certificate_is_issued(
    client, trainee, signing
):
    from tests.conftest import outbox

    login(client)
    finish_sample_track(client)
    post(client, "/learn/sample/02-practice/checklist/install")  # a later step
    [certificate] = issued()

    [email] = [m for m in outbox() if "certificate" in m.subject]
    assert email.to == ["trainee@example.org"]
    assert f"/certificates/#c-{certificate.public_id}" in email.body


def test_a_name_the_pdf_cannot_print_is_not_printed_with_gaps(client, signing):
    make_user("holder@example.org", name="王小明")
    login(client, "holder@example.org")
    finish_sample_track(client)
    [certificate] = issued()

    response = client.get(
        f"/certificates/{certificate.public_id}/certificate.pdf", follow_redirects=True
    )

    assert response.mimetype == "text/html"
    assert "cannot print these letters of your name: 小 明 王" in response.get_data(
        as_text=True
    )


def test_a_long_name_wraps_inside_the_page(client, signing):
    name = (
        "Maria Anna Theresia Walburga Amalia Christina von Habsburg-Lothringen "
        "Ковалёва Παπαδοπούλου the Third"
    )
    make_user("holder@example.org", name=name)
    login(client, "holder@example.org")
    finish_sample_track(client)
    [certificate] = issued()

    data = client.get(f"/certificates/{certificate.public_id}/certificate.pdf").data

    text, _size, [url] = read_pdf(data)
    assert " ".join(text.split()).count("Habsburg-Lothringen") == 1
    assert "Παπαδοπούλου" in text and url.endswith(certificate.public_id)


def test_a_renewal_keeps_what_the_holder_chose_to_show(app, client, trainee, signing):

    login(client)
    finish_sample_track(client)
    [old] = issued()
    post(client, f"/certificates/{old.public_id}/visibility", {"show_dates": "0"})
    two_years_on(old)

    post(client, start(client), right_answers(app))

    new = max(issued(), key=lambda c: c.renewal)
    assert new.renewal == 1
    assert (new.show_dates, new.show_version) == (False, False)


def test_a_revoked_certificates_page_choices_stay_as_they_were(
    client, trainee, signing
):
    login(client)
    finish_sample_track(client)
    [certificate] = issued()
    certificate.revoked_at, certificate.revoked_reason = utcnow(), "Fraud."
    db.session.commit()

    post(client, f"/certificates/{certificate.public_id}/visibility", {})

    db.session.refresh(certificate)
    assert certificate.show_dates and certificate.show_version
