import logging

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from portal.admin import bp
from portal.auth import services
from portal.auth.forms import InviteForm
from portal.auth.models import Invitation, User
from portal.cohorts import services as cohort_services
from portal.cohorts.forms import OrganisationForm
from portal.cohorts.models import Organisation
from portal.courses.models import CourseVersion
from portal.credentials.forms import ValidityForm
from portal.credentials.models import Certificate, TrackPolicy, normalise_code
from portal.database import utcnow
from portal.extensions import db
from portal.mailer import send_email
from portal.text import single_line
from portal.urls import external_url

logger = logging.getLogger(__name__)

ROLE_LABELS = {
    "trainee": _l("Trainee"),
    "professional": _l("SRO Professional"),
    "admin": _l("Administrator"),
}


@bp.before_request
@login_required
def require_admin():
    if not current_user.is_admin:
        abort(403)


@bp.get("/")
def index():
    registry = current_app.extensions["courses"]
    versions = db.session.scalars(
        db.select(CourseVersion).order_by(CourseVersion.published_at.desc())
    ).all()
    policies = {p.track: p for p in db.session.scalars(db.select(TrackPolicy))}
    return render_template(
        "admin/index.html",
        tracks=registry.tracks.values(),
        broken=registry.broken,
        versions=versions,
        policies=policies,
        form=ValidityForm(),
    )


@bp.post("/tracks/<track_slug>/validity")
def validity(track_slug):
    """How long the track's new certificates stay valid before renewal."""
    if track_slug not in current_app.extensions["courses"].tracks:
        abort(404)
    form = ValidityForm()
    if not form.validate_on_submit():
        flash(_("Give a whole number of months from 1 to 240, or leave it empty."))
        return redirect(url_for("admin.index", _anchor="tracks"))
    policy = db.session.get(TrackPolicy, track_slug) or TrackPolicy(track=track_slug)
    policy.validity_months = form.validity_months.data
    db.session.add(policy)
    db.session.commit()
    logger.info(
        "validity of %s set to %s months by %s",
        track_slug,
        policy.validity_months,
        current_user.email,
    )
    flash(_("Saved. Certificates issued from now on follow the new period."), "success")
    return redirect(url_for("admin.index", _anchor="tracks"))


@bp.route("/users", methods=["GET", "POST"])
def users():
    registry = current_app.extensions["courses"]
    form = InviteForm()
    form.role.choices = list(ROLE_LABELS.items())
    form.track.choices = [("", _("No track"))] + [
        (track.slug, track.title) for track in registry.tracks.values()
    ]
    organisations = db.session.scalars(
        db.select(Organisation).order_by(Organisation.name)
    ).all()
    form.organisation.choices = [(0, _("None"))] + [
        (o.id, o.name) for o in organisations
    ]
    if form.validate_on_submit():
        try:
            invitation, token = services.invite(
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                track=form.track.data or None,
                invited_by=current_user,
                organisation=next(
                    (o for o in organisations if o.id == form.organisation.data), None
                ),
            )
        except services.AccountError as error:
            flash(str(error), "danger")
        else:
            link = external_url("auth.register", token=token)
            send_email(
                invitation.email,
                _("You are invited to SRO Academy"),
                "invitation",
                invitation=invitation,
                link=link,
            )
            flash(
                _(
                    "Invitation sent to %(email)s. The link: %(link)s",
                    email=invitation.email,
                    link=link,
                ),
                "success",
            )
            return redirect(url_for("admin.users"))

    people = db.session.scalars(db.select(User).order_by(User.name)).all()
    pending = db.session.scalars(
        db.select(Invitation)
        .filter(Invitation.accepted_at.is_(None), Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at.desc())
    ).all()
    return render_template(
        "admin/users.html",
        form=form,
        people=people,
        pending=pending,
        role_labels=ROLE_LABELS,
        track_titles={slug: t.title for slug, t in registry.tracks.items()},
    )


@bp.route("/organisations", methods=["GET", "POST"])
def organisations():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = cohort_services.create_organisation(
                form.name.data, current_user
            )
        except cohort_services.CohortError as error:
            form.name.errors.append(str(error))
        else:
            flash(
                _(
                    "Organisation %(name)s created. Invite its professionals from "
                    "People and invitations.",
                    name=organisation.name,
                ),
                "success",
            )
            return redirect(url_for("admin.organisations"))
    rows = db.session.execute(
        db.select(Organisation, db.func.count(User.id))
        .outerjoin(User, User.organisation_id == Organisation.id)
        .group_by(Organisation.id)
        .order_by(Organisation.name)
    ).all()
    return render_template("admin/organisations.html", form=form, rows=rows)


@bp.get("/certificates")
def certificates():
    """Every certificate, newest first; search by holder, email or code."""
    query = (request.args.get("q") or "").strip()[:100]
    statement = (
        db.select(Certificate)
        .join(Certificate.user)
        .order_by(Certificate.issued_at.desc())
        .limit(200)
    )
    if query:
        pattern = f"%{query}%"
        code = normalise_code(query)
        statement = statement.where(
            db.or_(
                Certificate.holder_name.ilike(pattern),
                User.email.ilike(pattern),
                Certificate.code == (code or ""),
            )
        )
    return render_template(
        "admin/certificates.html",
        certificates=db.session.scalars(statement).all(),
        query=query,
    )


@bp.post("/certificates/<public_id>/revoke")
def revoke(public_id):
    """Revoke a certificate with a reason; the public page says so at once."""
    certificate = db.session.scalar(
        db.select(Certificate).filter_by(public_id=public_id[:32])
    )
    if certificate is None:
        abort(404)
    reason = single_line(request.form.get("reason", ""))[:500]
    if not reason:
        flash(_("Give the reason for revoking; the public page shows it."), "danger")
    elif certificate.revoked_at is not None:
        flash(_("This certificate was already revoked."), "warning")
    else:
        certificate.revoked_at = utcnow()
        certificate.revoked_reason = reason
        db.session.commit()
        logger.info("certificate %s revoked by %s", public_id, current_user.email)
        flash(_("Certificate revoked."), "success")
    return redirect(url_for("admin.certificates", q=certificate.code))
