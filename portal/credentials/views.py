import re
from collections import OrderedDict
from urllib.parse import urlencode

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required

from certificates.images import badge_image, bake
from certificates.pdf import Labels, certificate_pdf, missing_letters
from portal.credentials import bp, services
from portal.credentials.forms import VisibilityForm
from portal.credentials.keystore import public_jwks
from portal.credentials.models import Certificate, normalise_code
from portal.credentials.openapi import description
from portal.database import utcnow
from portal.extensions import db, limiter
from portal.learning.models import Enrolment
from portal.urls import external_url

PUBLIC_ID = re.compile(r"^[0-9a-f]{32}$")
LOOKUP_LIMIT = "30 per minute;300 per hour"


def find_public(public_id):
    if not PUBLIC_ID.match(public_id or ""):
        return None
    return db.session.scalar(db.select(Certificate).filter_by(public_id=public_id))


def not_found(typed=""):
    return (
        render_template(
            "credentials/lookup.html",
            message=_("No certificate with this code or address exists."),
            typed=(typed or "")[:40],
        ),
        404,
    )


@bp.get("/.well-known/jwks.json")
def jwks():
    """The issuer's public keys, for anyone who verifies a credential."""
    response = jsonify(public_jwks())
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/issuer")
def issuer():
    """The issuer profile: who signs SRO Academy certificates, and with which keys."""
    return render_template("credentials/issuer.html", keys=public_jwks()["keys"])


@bp.get("/achievements/<track_slug>/<version>")
def achievement(track_slug, version):
    track = current_app.extensions["courses"].get(track_slug)
    if track is None:
        abort(404)
    return render_template("credentials/achievement.html", track=track, version=version)


@bp.get("/verify")
@limiter.limit(LOOKUP_LIMIT)
def lookup():
    """Find a certificate by the code printed on it; case and spaces do not matter."""
    typed = request.args.get("code")
    if typed is None:
        return render_template("credentials/lookup.html")
    code = normalise_code(typed)
    certificate = (
        db.session.scalar(db.select(Certificate).filter_by(code=code)) if code else None
    )
    if certificate is None:
        return not_found(typed)
    return redirect(url_for("credentials.show", public_id=certificate.public_id))


@bp.get("/verify/<public_id>")
@limiter.limit(LOOKUP_LIMIT)
def show(public_id):
    """The authoritative record, read from the database on every request."""
    certificate = find_public(public_id)
    if certificate is None:
        return not_found()
    report = services.check(certificate)
    organisation = certificate.public_organisation
    # The page is a function of the record as read just now, so a rendering can
    # be reused until any of it (status, revocation, language, day) changes.
    key = (
        certificate.public_id,
        certificate.holder_name,
        certificate.valid_until,
        certificate.revoked_at,
        certificate.revoked_reason,
        certificate.show_dates,
        certificate.show_version,
        organisation,
        report.status,
        tuple(report.checks),
        str(get_locale()),
        str(get_timezone()),
        utcnow().date(),
    )
    html = rendered_pages.get(key)
    if html is None:
        html = render_template(
            "credentials/show.html", report=report, organisation=organisation
        )
        rendered_pages.put(key, html)
    return html


class RenderedPages:
    """A small, bounded cache of rendered pages, per process."""

    def __init__(self, size=2048):
        self.size = size
        self.pages = OrderedDict()

    def get(self, key):
        html = self.pages.get(key)
        if html is not None:
            self.pages.move_to_end(key)
        return html

    def put(self, key, html):
        self.pages[key] = html
        if len(self.pages) > self.size:
            self.pages.popitem(last=False)


rendered_pages = RenderedPages()


@bp.get("/api/v1/certificates/<public_id>")
@limiter.limit(LOOKUP_LIMIT)
def api_show(public_id):
    certificate = find_public(public_id)
    if certificate is None:
        return jsonify({"error": "not found"}), 404
    report = services.check(certificate)
    record = {
        "id": certificate.public_id,
        "code": certificate.code_display,
        "status": report.status,
        "revocation_reason": certificate.revoked_reason,
        "holder": certificate.holder_name,
        "track": certificate.track_title,
        "issuer": current_app.config["SITE_NAME"],
        "checks": {name: passed for name, passed in report.checks},
        "credential_url": url_for(
            "credentials.download", public_id=public_id, _external=True
        ),
    }
    # Fields the holder chose not to show are left out, as on the page.
    if certificate.show_dates:
        record["issued_at"] = certificate.issued_at.isoformat()
        record["valid_until"] = (
            certificate.valid_until.isoformat() if certificate.valid_until else None
        )
    if certificate.show_version:
        record["course_version"] = certificate.course_version
    if certificate.public_organisation:
        record["organisation"] = certificate.public_organisation
    return jsonify(record)


@bp.get("/api/v1/openapi.json")
def openapi():
    return jsonify(description(external_url("main.index").rstrip("/")))


@bp.get("/verify/<public_id>/credential.jwt")
def download(public_id):
    """The signed credential, for offline verification."""
    certificate = find_public(public_id)
    if certificate is None:
        abort(404)
    if certificate.revoked_at is not None:
        abort(410)
    return Response(
        certificate.token,
        mimetype="application/vc+jwt",
        headers={"Content-Disposition": 'attachment; filename="credential.jwt"'},
    )


def own_certificate(public_id):
    certificate = find_public(public_id)
    if certificate is None or certificate.user_id != current_user.id:
        abort(404)
    return certificate


@bp.get("/certificates/")
@login_required
def mine():
    certificates = db.session.scalars(
        db.select(Certificate)
        .filter_by(user_id=current_user.id)
        .order_by(Certificate.issued_at.desc())
    ).all()
    return render_template(
        "credentials/mine.html",
        certificates=certificates,
        renewals=renewals(certificates),
        linkedin_url=linkedin_url,
        form=VisibilityForm(),
    )


def renewals(certificates):
    """For each expired certificate that can be renewed: the quizzes to pass again,
    as (module title, passed since it expired)."""
    registry = current_app.extensions["courses"]
    newest = {}
    for certificate in certificates:
        key = (certificate.track, certificate.course_version)
        if key not in newest or certificate.renewal > newest[key].renewal:
            newest[key] = certificate
    result = {}
    for certificate in newest.values():
        track = registry.tracks.get(certificate.track)
        if (
            certificate.status() != "expired"
            or track is None
            or track.version != certificate.course_version
        ):
            continue
        enrolment = db.session.scalar(
            db.select(Enrolment).filter_by(user_id=current_user.id, track=track.slug)
        )
        if enrolment is not None:
            result[certificate.id] = [
                (module.title, done)
                for module, done in services.renewal_status(
                    enrolment, track, certificate
                )
            ]
    return result


@bp.post("/certificates/<public_id>/visibility")
@login_required
def visibility(public_id):
    certificate = own_certificate(public_id)
    form = VisibilityForm()
    if certificate.revoked_at is not None:
        flash(_("This certificate was revoked; its public page says so."), "warning")
    elif form.validate_on_submit():
        form.populate_obj(certificate)
        db.session.commit()
        flash(_("Saved. The public page now shows what you chose."), "success")
    else:
        flash(_("The form expired; please try again."), "warning")
    return redirect(url_for("credentials.mine", _anchor=f"c-{certificate.public_id}"))


@bp.get("/certificates/<public_id>/certificate.pdf")
@login_required
def pdf(public_id):
    """The printable certificate, with the QR code to its public page."""
    certificate = own_certificate(public_id)
    if certificate.revoked_at is not None:
        abort(410)
    missing = missing_letters(certificate.holder_name)
    if missing:
        # A name printed with gaps would be a wrong certificate: say so instead.
        flash(
            _(
                "The PDF cannot print these letters of your name: %(letters)s. "
                "The public page, the signed credential and the badge show your "
                "name in full.",
                letters=" ".join(missing),
            ),
            "warning",
        )
        return redirect(url_for("credentials.mine", _anchor=f"c-{public_id}"))
    data = certificate_pdf(
        holder=certificate.holder_name,
        track=certificate.track_title,
        issuer=current_app.config["SITE_NAME"],
        issued=format_date(certificate.issued_at, "long"),
        valid_until=(
            format_date(certificate.valid_until, "long")
            if certificate.valid_until
            else None
        ),
        code=certificate.code_display,
        url=external_url("credentials.show", public_id=certificate.public_id),
        lookup_url=external_url("credentials.lookup"),
        labels=Labels(
            heading=_("Certificate of completion"),
            awarded_to=_("is awarded to"),
            for_track=_("for completing the track"),
            issued=_("Issued"),
            valid_until=_("Valid until"),
            code=_("Code"),
            scan=_("Scan the QR code or enter the code at"),
        ),
    )
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": "attachment; "
            f'filename="sro-certificate-{certificate.code_display}.pdf"'
        },
    )


def linkedin_url(certificate):
    """LinkedIn's add-to-profile link, filled in with this certificate."""
    query = urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": certificate.track_title,
            "organizationName": current_app.config["SITE_NAME"],
            "issueYear": certificate.issued_at.year,
            "issueMonth": certificate.issued_at.month,
            "certUrl": external_url(
                "credentials.show", public_id=certificate.public_id
            ),
            "certId": certificate.code_display,
        }
    )
    return f"https://www.linkedin.com/profile/add?{query}"


@bp.get("/certificates/<public_id>/badge.png")
@login_required
def badge(public_id):
    """The badge image with the signed credential baked into it."""
    certificate = own_certificate(public_id)
    if certificate.revoked_at is not None:
        abort(410)
    data = bake(certificate.token, badge_image(certificate.track_title))
    return Response(
        data,
        mimetype="image/png",
        headers={"Content-Disposition": 'attachment; filename="sro-badge.png"'},
    )
