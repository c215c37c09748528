import csv
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.auth.models import Invitation, User
from portal.cohorts import (
    bp,
    dashboard,
    importing,
    milestones,
    reminders,
    reviews,
    services,
)
from portal.cohorts.forms import (
    ROLES,
    CohortForm,
    ColleagueForm,
    DeadlineForm,
    HoursForm,
    ImportForm,
    ParticipantForm,
    ReviewForm,
    SettingsForm,
)
from portal.cohorts.models import Cohort, HoursLog, Organisation
from portal.extensions import db
from portal.learning.models import ChecklistTick, Enrolment
from portal.mailer import send_email
from portal.text import spreadsheet_safe
from portal.urls import external_url


@bp.before_request
@login_required
def require_professional():
    """Cohort pages are for professionals and administrators only."""
    if not current_user.is_professional:
        abort(403)


@bp.context_processor
def review_counts():
    return {
        "pending_reviews": lambda cohort: reviews.pending_count(cohort, current_user)
    }


def registry():
    return current_app.extensions["courses"]


def get_cohort(cohort_id):
    """The cohort, if the current user runs it (or administers the portal)."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not services.can_run(cohort, current_user):
        abort(404)
    return cohort


def get_enrolment(cohort, enrolment_id):
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.cohort_id != cohort.id:
        abort(404)
    return enrolment


def organisations_for(user):
    if user.is_admin:
        return db.session.scalars(
            db.select(Organisation).order_by(Organisation.name)
        ).all()
    return [user.organisation] if user.organisation else []


def colleagues_of(organisation_ids, exclude):
    if not organisation_ids:
        return []
    return db.session.scalars(
        db.select(User)
        .where(
            User.organisation_id.in_(organisation_ids),
            User.role == "professional",
            User.id != exclude.id,
            User.active.is_(True),
        )
        .order_by(User.name)
    ).all()


@bp.get("/")
def index():
    return render_template(
        "cohorts/index.html",
        cohorts=services.cohorts_for(current_user),
        can_create=bool(organisations_for(current_user)),
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    organisations = organisations_for(current_user)
    if not organisations:
        flash(_("An administrator first has to add you to an organisation."), "warning")
        return redirect(url_for("cohorts.index"))
    form = CohortForm()
    form.organisation.choices = [(o.id, o.name) for o in organisations]
    colleagues = colleagues_of([o.id for o in organisations], current_user)
    form.colleagues.choices = [(u.id, f"{u.name} ({u.email})") for u in colleagues]
    if form.validate_on_submit():
        organisation = next(o for o in organisations if o.id == form.organisation.data)
        chosen = [u for u in colleagues if u.id in form.colleagues.data]
        try:
            cohort = services.create_cohort(
                organisation=organisation,
                name=form.name.data,
                start_date=form.start_date.data,
                timezone=form.timezone.data,
                created_by=current_user,
                colleagues=chosen,
            )
        except services.CohortError as error:
            flash(str(error), "danger")
        else:
            flash(_("Cohort %(name)s created.", name=cohort.name), "success")
            return redirect(url_for("cohorts.participants", cohort_id=cohort.id))
    return render_template("cohorts/new.html", form=form)


def filters():
    return {
        "role": request.args.get("role") or None,
        "group": request.args.get("group") or None,
        "status": request.args.get("status") or None,
    }


@bp.get("/<int(max=2147483647):cohort_id>")
def show(cohort_id):
    cohort = get_cohort(cohort_id)
    view = dashboard.load(cohort, registry())
    chosen = filters()
    own = next((p for p in view.professionals if p.user.id == current_user.id), None)
    return render_template(
        "cohorts/dashboard.html",
        cohort=cohort,
        view=view,
        shown=[p for p in view.participants if p.matches(**chosen)],
        chosen=chosen,
        roles=ROLES,
        professional_track=registry().get("professional"),
        own=own,
        hours_form=HoursForm(formdata=None) if own else None,
        milestone_hours=dashboard.MILESTONE_HOURS,
    )


@bp.get("/<int(max=2147483647):cohort_id>/export.csv")
def export(cohort_id):
    """The dashboard's table, as the filters show it, for a spreadsheet."""
    cohort = get_cohort(cohort_id)
    view = dashboard.load(cohort, registry())
    chosen = filters()
    out = io.StringIO()
    # Spreadsheets in Dutch open semicolon files; English ones expect commas.
    writer = csv.writer(out, delimiter=";" if get_locale().language == "nl" else ",")
    zone = ZoneInfo(cohort.timezone)
    writer.writerow(
        [
            "name",
            "email",
            "track",
            "group",
            "progress",
            "quiz_average",
            "milestones_done",
            "overdue",
            "last_activity",
            "quiet",
        ]
    )
    for p in view.participants:
        if not p.matches(**chosen):
            continue
        last = p.enrolment.last_activity_at
        writer.writerow(
            [
                spreadsheet_safe(p.user.name),
                spreadsheet_safe(p.user.email),
                p.enrolment.track,
                spreadsheet_safe(p.enrolment.group or ""),
                p.percent,
                "" if p.quiz_average is None else p.quiz_average,
                p.milestones_done if p.milestones else "",
                sum(1 for m in p.milestones if m.status == "overdue")
                if p.milestones
                else "",
                last.astimezone(zone).strftime("%Y-%m-%d %H:%M") if last else "",
                "yes" if p.quiet else "no",
            ]
        )
    filename = f"cohort-{cohort.id}-participants.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/<int(max=2147483647):cohort_id>/participants", methods=["GET", "POST"])
def participants(cohort_id):
    cohort = get_cohort(cohort_id)
    form = ParticipantForm()
    if form.validate_on_submit():
        person = importing.Participant(
            line=1,
            name=form.name.data,
            email=importing.normalise_address(form.email.data),
            role=form.role.data,
            group=form.group.data or None,
        )
        problems = services.check_against_cohort(cohort, [person])
        if problems:
            form.email.errors.append(str(problems[0].message))
        else:
            return add_participants(cohort, [person])
    return render_participants(cohort, form=form)


def render_participants(cohort, form=None, import_form=None, problems=(), status=200):
    colleague_form = ColleagueForm()
    staff_ids = {member.user_id for member in cohort.staff}
    candidates = colleagues_of([cohort.organisation_id], current_user)
    colleague_form.colleague.choices = [
        (u.id, f"{u.name} ({u.email})") for u in candidates if u.id not in staff_ids
    ]
    return (
        render_template(
            "cohorts/participants.html",
            cohort=cohort,
            settings_form=SettingsForm(obj=cohort, formdata=None),
            form=form or ParticipantForm(formdata=None),
            import_form=import_form or ImportForm(formdata=None),
            colleague_form=colleague_form,
            problems=problems,
            members=dashboard.members(cohort),
            invitations=dashboard.open_invitations(cohort),
            track_titles={slug: t.title for slug, t in registry().tracks.items()},
        ),
        status,
    )


def email_invitation(invitation, token):
    send_email(
        invitation.email,
        _("You are invited to SRO Academy"),
        "invitation",
        invitation=invitation,
        link=external_url("auth.register", token=token),
    )


@bp.post("/<int(max=2147483647):cohort_id>/participants/import")
def import_participants(cohort_id):
    """Import a CSV of participants: all rows, or none when any row is wrong."""
    cohort = get_cohort(cohort_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return render_participants(cohort, import_form=form, status=400)

    people = []
    data = form.file.data.read(importing.MAX_BYTES + 1)
    if len(data) > importing.MAX_BYTES:
        problems = [importing.Problem(1, _("The file is larger than 1 MB."))]
    else:
        people, problems = importing.parse_participants(data)
        if not problems:
            problems = services.check_against_cohort(cohort, people)
    if problems:
        return render_participants(
            cohort, import_form=form, problems=problems, status=400
        )

    return add_participants(cohort, people)


def add_participants(cohort, people):
    """Enrol or invite checked participants, email the invitations, and say so."""
    try:
        invitations = services.import_participants(cohort, people, current_user)
    except services.CohortError as error:
        flash(str(error), "danger")
        return redirect(url_for("cohorts.participants", cohort_id=cohort.id))
    for invitation, token in invitations:
        email_invitation(invitation, token)
    flash(
        ngettext(
            "%(num)s participant added; %(invited)s invited by email.",
            "%(num)s participants added; %(invited)s invited by email.",
            len(people),
            invited=len(invitations),
        ),
        "success",
    )
    return redirect(url_for("cohorts.participants", cohort_id=cohort.id))


@bp.post("/<int(max=2147483647):cohort_id>/settings")
def update(cohort_id):
    """Rename the cohort, or change its start date or time zone."""
    cohort = get_cohort(cohort_id)
    form = SettingsForm()
    if not form.validate_on_submit():
        flash(_("Give a name, a start date and a time zone."), "danger")
    else:
        try:
            services.update_cohort(
                cohort,
                name=form.name.data,
                start_date=form.start_date.data,
                timezone=form.timezone.data,
            )
        except services.CohortError as error:
            flash(str(error), "danger")
        else:
            flash(_("Cohort settings saved."), "success")
    return redirect(url_for("cohorts.participants", cohort_id=cohort.id))


@bp.post(
    "/<int(max=2147483647):cohort_id>/invitations/<int(max=2147483647):invitation_id>"
)
def withdraw_invitation(cohort_id, invitation_id):
    """Withdraw an invitation nobody has used yet; its link stops working."""
    cohort = get_cohort(cohort_id)
    invitation = db.session.get(Invitation, invitation_id)
    if (
        invitation is None
        or invitation.cohort_id != cohort.id
        or invitation.accepted_at is not None
    ):
        abort(404)
    db.session.delete(invitation)
    db.session.commit()
    flash(
        _("The invitation for %(email)s was withdrawn.", email=invitation.email), "info"
    )
    return redirect(url_for("cohorts.participants", cohort_id=cohort.id))


@bp.post("/<int(max=2147483647):cohort_id>/staff")
def add_colleague(cohort_id):
    cohort = get_cohort(cohort_id)
    user = db.session.get(User, request.form.get("colleague", type=int) or 0)
    if user is None or user.organisation_id != cohort.organisation_id:
        abort(404)
    try:
        services.add_professional(cohort, user)
    except services.CohortError as error:
        flash(str(error), "danger")
    else:
        flash(_("%(name)s now runs this cohort too.", name=user.name), "success")
    return redirect(url_for("cohorts.participants", cohort_id=cohort.id))


@bp.get("/<int(max=2147483647):cohort_id>/deadlines")
def deadlines(cohort_id):
    cohort = get_cohort(cohort_id)
    view = dashboard.load(cohort, registry())
    return render_template(
        "cohorts/deadlines.html",
        cohort=cohort,
        view=view,
        track=registry().get("professional"),
        form=DeadlineForm(formdata=None),
    )


@bp.post("/<int(max=2147483647):cohort_id>/deadlines/<int(max=99):number>")
def move_deadline(cohort_id, number):
    """Move one milestone for the cohort, or for one professional in it."""
    cohort = get_cohort(cohort_id)
    track = registry().get("professional")
    numbers = (
        {m.milestone.number for m in track.modules if m.milestone} if track else ()
    )
    if number not in numbers:
        abort(404)
    form = DeadlineForm()
    if not form.validate_on_submit():
        flash(_("Give the deadline as a date."), "danger")
        return redirect(url_for("cohorts.deadlines", cohort_id=cohort.id))
    due = None if request.form.get("action") == "reset" else form.due_date.data
    if due is None and request.form.get("action") != "reset":
        flash(_("Give the deadline as a date."), "danger")
        return redirect(url_for("cohorts.deadlines", cohort_id=cohort.id))
    enrolment = None
    if "enrolment" in request.form:
        enrolment = get_enrolment(cohort, request.form.get("enrolment", 0, type=int))
        if enrolment.track != "professional":
            abort(404)
    try:
        if enrolment is not None:
            milestones.set_personal_deadline(enrolment, number, due)
        else:
            milestones.set_cohort_deadline(cohort, number, due)
    except milestones.DeadlineError as error:
        reason = {
            "before-start": _("A deadline cannot fall before the cohort starts."),
            "too-late": _("A deadline must fall within five years of the start."),
        }[str(error)]
        flash(reason, "danger")
    else:
        if enrolment is not None:
            message = _(
                "Deadline of milestone %(number)s saved for %(name)s.",
                number=number,
                name=enrolment.user.name,
            )
        else:
            message = _(
                "Deadline of milestone %(number)s saved for the cohort.", number=number
            )
        flash(message, "success")
        if due is not None and milestones.out_of_order(cohort, enrolment, number, due):
            flash(
                _(
                    "Note: this deadline now comes before the deadline of an earlier "
                    "milestone, or after a later one."
                ),
                "warning",
            )
    return redirect(url_for("cohorts.deadlines", cohort_id=cohort.id))


@bp.get("/<int(max=2147483647):cohort_id>/reviews")
def review_queue(cohort_id):
    cohort = get_cohort(cohort_id)
    items = []
    for tick in reviews.pending(cohort):
        track = registry().get(tick.enrolment.track)
        module = track.module(tick.module) if track else None
        item = module.checklist.item(tick.item) if module and module.checklist else None
        items.append((tick, track, module, item))
    return render_template(
        "cohorts/reviews.html",
        cohort=cohort,
        items=items,
        form=ReviewForm(formdata=None),
    )


@bp.post("/<int(max=2147483647):cohort_id>/reviews/<int(max=2147483647):tick_id>")
def review(cohort_id, tick_id):
    cohort = get_cohort(cohort_id)
    tick = db.session.get(ChecklistTick, tick_id)
    if tick is None or tick.enrolment.cohort_id != cohort.id:
        abort(404)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(
            _("Choose approve or return; a comment is at most 2000 characters."),
            "danger",
        )
    else:
        try:
            reviews.review(
                tick,
                current_user,
                approve=form.decision.data == "approve",
                comment=form.comment.data,
                seen=request.form.get("seen"),
            )
        except services.CohortError as error:
            flash(str(error), "danger")
        else:
            flash(_("Review saved."), "success")
    return redirect(url_for("cohorts.review_queue", cohort_id=cohort.id))


@bp.post("/<int(max=2147483647):cohort_id>/prompt/<int(max=2147483647):enrolment_id>")
def prompt(cohort_id, enrolment_id):
    """Send a quiet participant a prompt to come back."""
    cohort = get_cohort(cohort_id)
    enrolment = get_enrolment(cohort, enrolment_id)
    try:
        reminders.prompt(enrolment, current_user)
    except services.CohortError as error:
        flash(str(error), "warning")
    else:
        flash(_("Prompt sent to %(name)s.", name=enrolment.user.name), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id, status="quiet"))


@bp.post("/<int(max=2147483647):cohort_id>/hours")
def log_hours(cohort_id):
    cohort = get_cohort(cohort_id)
    enrolment = db.session.scalar(
        db.select(Enrolment).filter_by(
            cohort_id=cohort.id, user_id=current_user.id, track="professional"
        )
    )
    if enrolment is None:
        abort(404)
    form = HoursForm()
    today = milestones.today_in(cohort.timezone)
    valid = form.validate_on_submit()
    if valid and not cohort.start_date <= form.day.data <= today:
        flash(_("Log hours for a day between the cohort's start and today."), "danger")
    elif valid and logged_on(enrolment, form.day.data) + form.hours.data > 24:
        flash(_("A day holds at most 24 hours."), "danger")
    elif valid:
        db.session.add(
            HoursLog(
                enrolment_id=enrolment.id,
                day=form.day.data,
                hours=float(form.hours.data),
                note=form.note.data or "",
            )
        )
        db.session.commit()
        flash(_("%(hours)s hours logged.", hours=form.hours.data), "success")
    else:
        flash(_("Give a day and between 0.1 and 24 hours."), "danger")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id))


def logged_on(enrolment, day):
    total = db.session.scalar(
        db.select(db.func.sum(HoursLog.hours)).filter_by(
            enrolment_id=enrolment.id, day=day
        )
    )
    return Decimal(str(total or 0))


@bp.get("/<int(max=2147483647):cohort_id>/summary")
def summary(cohort_id):
    """A page for the quarterly management meeting; prints on A4."""
    cohort = get_cohort(cohort_id)
    view = dashboard.load(cohort, registry())
    by_track = {}
    for participant in view.participants:
        by_track.setdefault(
            participant.track.title if participant.track else "?", []
        ).append(participant)
    return render_template(
        "cohorts/summary.html",
        cohort=cohort,
        view=view,
        by_track=by_track,
        professional_track=registry().get("professional"),
        milestone_hours=dashboard.MILESTONE_HOURS,
    )
