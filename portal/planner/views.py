"""The content calendar pages: views, posts and their workflow, meetings,
the strategy, sharing, exports and the private feed."""

import calendar as monthly
from datetime import UTC, date, datetime, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields import SelectChoice

from portal.auth.models import User
from portal.cohorts.models import Cohort
from portal.extensions import db
from portal.learning.models import Enrolment
from portal.learning.views import award
from portal.planner import exports, services
from portal.planner.forms import (
    CHANNEL_LABELS,
    MEETING_LABELS,
    STATUS_LABELS,
    MeetingForm,
    NoteForm,
    PostForm,
    RescheduleForm,
    StrategyForm,
    UrlForm,
    ZoneForm,
    choices,
)
from portal.planner.meetings import every_months, occurrences
from portal.planner.models import (
    CHANNELS,
    READY_STATUSES,
    STATUSES,
    Meeting,
    Post,
    PostShare,
)
from portal.planner.services import PlanError
from portal.planner.times import (
    TimeProblem,
    check_day,
    day_bounds,
    in_zone,
    known_zones,
    local_to_utc,
    zone,
)
from portal.text import single_line
from portal.urls import is_safe_next

ID = "int(max=2147483647)"

bp = Blueprint("planner", __name__)


@bp.before_request
def require_login_except_feed():
    if request.endpoint == "planner.feed":
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


def get_cohort(cohort_id):
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not services.can_view(cohort, current_user):
        abort(404)
    return cohort


def get_post(cohort, post_id):
    post = db.session.get(Post, post_id)
    if post is None or post.cohort_id != cohort.id:
        abort(404)
    if post.status == "draft" and post.author_id != current_user.id:
        abort(404)
    return post


def viewer_zone(cohort):
    """The zone the viewer reads times in: their own choice, else the cohort's."""
    chosen = current_user.timezone
    return chosen if zone(chosen) else cohort.timezone


def zone_choices(*extra):
    """Every IANA zone, the ones that matter here first."""
    first = [z for z in dict.fromkeys(extra) if z]
    return [(z, z) for z in first + sorted(known_zones() - set(first))]


def award_exercises(cohort, user):
    """A calendar step may finish an exercise, and with it a track."""
    registry = current_app.extensions["courses"]
    enrolments = db.session.scalars(
        db.select(Enrolment).filter_by(user_id=user.id, cohort_id=cohort.id)
    )
    for enrolment in enrolments:
        track = registry.get(enrolment.track)
        if track is not None and any(m.exercises for m in track.modules):
            award(enrolment, track)


# Index and the three views ----------------------------------------------------


@bp.get("/")
def index():
    cohorts = services.cohorts_for(current_user)
    if len(cohorts) == 1:
        return redirect(url_for("planner.calendar", cohort_id=cohorts[0].id))
    return render_template("planner/index.html", cohorts=cohorts)


def read_filters(cohort):
    def number(name):
        return small_number(request.args.get(name, ""))

    filters = {
        "pillar": number("pillar"),
        "author": number("author"),
        "channel": request.args.get("channel")
        if request.args.get("channel") in CHANNELS
        else None,
        "status": request.args.get("status")
        if request.args.get("status") in STATUSES
        else None,
    }
    return {key: value for key, value in filters.items() if value is not None}


def visible_posts(cohort):
    return db.select(Post).where(
        Post.cohort_id == cohort.id,
        db.or_(Post.status != "draft", Post.author_id == current_user.id),
    )


def apply_filters(query, filters):
    if "pillar" in filters:
        query = query.where(Post.pillar_id == filters["pillar"])
    if "author" in filters:
        query = query.where(Post.author_id == filters["author"])
    if "channel" in filters:
        query = query.where(Post.channel == filters["channel"])
    if "status" in filters:
        query = query.where(Post.status == filters["status"])
    return query


def items_between(cohort, first_day, last_day, tz_name, filters):
    """Posts and meeting occurrences on the viewer's local days, by day."""
    start, end = day_bounds(first_day, last_day, tz_name)
    query = apply_filters(visible_posts(cohort), filters).where(
        db.or_(
            db.and_(Post.planned_at >= start, Post.planned_at < end),
            db.and_(
                Post.planned_at.is_(None),
                Post.planned_date >= first_day,
                Post.planned_date <= last_day,
            ),
        )
    )
    days = {}
    for post in db.session.scalars(query):
        if post.all_day:
            key, moment = post.planned_date, None
        else:
            moment = in_zone(post.planned_at, tz_name)
            key = moment.date()
        days.setdefault(key, []).append(Item("post", post, moment))
    if not filters:
        meetings = db.session.scalars(db.select(Meeting).filter_by(cohort_id=cohort.id))
        for meeting in meetings:
            for instant in occurrences(meeting, start, end):
                moment = in_zone(instant, tz_name)
                days.setdefault(moment.date(), []).append(
                    Item("meeting", meeting, moment)
                )
    for items in days.values():
        items.sort(
            key=lambda i: (
                i.moment is not None,
                i.moment or datetime.min.replace(tzinfo=UTC),
            )
        )
    return days


class Item:
    """A post or one meeting of a series, at a local moment (None: all day)."""

    def __init__(self, kind, obj, moment):
        self.kind, self.obj, self.moment = kind, obj, moment


def parse_day(value, default):
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


@bp.get(f"/<{ID}:cohort_id>/")
def calendar(cohort_id):
    cohort = get_cohort(cohort_id)
    tz_name = viewer_zone(cohort)
    today = datetime.now(zone(tz_name) or UTC).date()
    view = request.args.get("view", "month")
    if view not in ("month", "week", "list"):
        view = "month"
    day = parse_day(request.args.get("date"), today)
    if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        day = today
    filters = read_filters(cohort)

    if view == "month":
        weeks = monthly.Calendar(firstweekday=0).monthdatescalendar(day.year, day.month)
        first, last = weeks[0][0], weeks[-1][-1]
        previous = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
        following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    elif view == "week":
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=6)
        weeks = [[first + timedelta(days=n) for n in range(7)]]
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
    else:
        first = day
        last = day + timedelta(days=90)
        weeks = None
        previous, following = day - timedelta(days=91), last + timedelta(days=1)
    days = items_between(cohort, first, last, tz_name, filters)

    return render_template(
        "planner/calendar.html",
        cohort=cohort,
        view=view,
        day=day,
        today=today,
        weeks=weeks,
        first=first,
        last=last,
        days=days,
        list_days=sorted(days) if view == "list" else [],
        previous=previous,
        following=following,
        filters=filters,
        tz_name=tz_name,
        pillars=services.entries(cohort, "pillar", include_archived=True),
        authors=authors_of(cohort),
        zone_form=ZoneForm(zone=tz_name),
        can_move=can_move,
        waiting=[
            local_day(p, tz_name) for p in services.waiting_for(cohort, current_user)
        ],
        zone_choices=zone_choices(tz_name, cohort.timezone),
    )


@bp.context_processor
def calendar_labels():
    return labels()


def labels():
    return {
        "channel_labels": CHANNEL_LABELS,
        "status_labels": STATUS_LABELS,
        "meeting_labels": MEETING_LABELS,
    }


def authors_of(cohort):
    """People with posts this viewer can see; someone with only drafts is not."""
    visible = visible_posts(cohort).with_only_columns(Post.author_id)
    return db.session.scalars(
        db.select(User).where(User.id.in_(visible)).order_by(User.name)
    ).all()


@bp.post("/zone")
def set_zone():
    form = ZoneForm()
    chosen = form.zone.data
    if form.validate_on_submit() and zone(chosen):
        current_user.timezone = chosen
        db.session.commit()
        flash(_("Times are now shown in %(zone)s.", zone=chosen), "success")
    else:
        flash(_("Choose a time zone from the list."), "warning")
    back = request.form.get("next", "")
    if not (is_safe_next(back) and back.startswith("/calendar/")):
        back = url_for("planner.index")
    return redirect(back)


# Posts ------------------------------------------------------------------------


def fill_choices(form, cohort, post=None):
    """The strategy's entries; a post being edited keeps its own, even archived."""
    used = {post.pillar_id, post.topic_id, post.group_id} if post else set()

    def entries(kind):
        return [
            e
            for e in services.entries(cohort, kind, include_archived=True)
            if not e.archived or e.id in used
        ]

    pillars = entries("pillar")
    topics = entries("topic")
    names = {p.id: p.name for p in pillars}
    form.pillar_id.choices = choices(
        [("", _("Choose a pillar"))] + [(p.id, p.name) for p in pillars]
    )
    form.topic_id.choices = [SelectChoice("", _("No topic"))] + [
        SelectChoice(t.id, t.name, optgroup=names[t.parent_id])
        for t in topics
        if t.parent_id in names
    ]
    form.group_id.choices = choices(
        [("", _("Everyone"))] + [(g.id, g.name) for g in entries("group")]
    )
    form.zone.choices = choices(zone_choices(viewer_zone(cohort), cohort.timezone))


def when_values(form):
    """planned_at or planned_date, and the zone, from the form; TimeProblem if
    the time cannot be planned as given."""
    zone_name = form.zone.data
    if zone(zone_name) is None:
        raise TimeProblem(_("Choose a time zone from the list."), field="zone")
    if form.clock.data is None:
        check_day(form.day.data)
        return {
            "planned_at": None,
            "planned_date": form.day.data,
            "timezone": zone_name,
        }
    instant = local_to_utc(
        form.day.data, form.clock.data, zone_name, form.occurrence.data or None
    )
    return {"planned_at": instant, "planned_date": None, "timezone": zone_name}


class FieldProblem(TimeProblem):
    """A value the form's own checks let through but the calendar cannot use."""


def post_values(form):
    title = single_line(form.title.data)[:120]
    if not title:
        raise FieldProblem(_("Give the post a title."), field="title")
    try:
        link = services.clean_url(form.link.data)
    except PlanError as error:
        raise FieldProblem(str(error), field="link") from None
    values = {
        "title": title,
        "channel": form.channel.data,
        "pillar_id": form.pillar_id.data,
        "topic_id": form.topic_id.data,
        "group_id": form.group_id.data,
        "text": (form.text.data or "").replace("\x00", "").strip(),
        "link": link,
        "image": single_line(form.image.data or "")[:300] or None,
    }
    values.update(when_values(form))
    return values


def show_time_problem(form, problem):
    field = getattr(form, problem.field)
    field.errors = list(field.errors) + [str(problem)]
    return problem.ambiguous


def saved(cohort, post, message):
    """After a post is saved: say so, see whether it met an exercise, show it."""
    flash(message, "success")
    award_exercises(cohort, post.author)
    return redirect(url_for("planner.post", cohort_id=cohort.id, post_id=post.id))


@bp.route(f"/<{ID}:cohort_id>/posts/new", methods=["GET", "POST"])
def new_post(cohort_id):
    cohort = get_cohort(cohort_id)
    form = PostForm()
    fill_choices(form, cohort)
    ambiguous = False
    if request.method == "GET":
        form.zone.data = viewer_zone(cohort)
        form.day.data = parse_day(request.args.get("date"), None)
    if form.validate_on_submit():
        try:
            post = services.create_post(cohort, current_user, post_values(form))
        except TimeProblem as problem:
            ambiguous = show_time_problem(form, problem)
        except PlanError as error:
            flash(str(error), "danger")
        else:
            message = _("Saved as a draft. Submit it when it is ready for review.")
            return saved(cohort, post, message)
    return render_template(
        "planner/post_form.html",
        cohort=cohort,
        form=form,
        post=None,
        ambiguous=ambiguous,
    )


def fill_form_from(form, post):
    if isinstance(form, PostForm):
        form.title.data, form.channel.data = post.title, post.channel
        form.pillar_id.data, form.topic_id.data = post.pillar_id, post.topic_id
        form.group_id.data = post.group_id
        form.text.data, form.link.data = post.text, post.link
        form.image.data = post.image
    form.zone.data = post.timezone
    if post.all_day:
        form.day.data, form.clock.data = post.planned_date, None
    else:
        local = in_zone(post.planned_at, post.timezone)
        form.day.data, form.clock.data = local.date(), local.time().replace(tzinfo=None)
        if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
            form.occurrence.data = "second" if local.fold else "first"
    form.version.data = str(post.version)


def small_number(value):
    """A whole number typed in ASCII digits and small enough for the database."""
    if value and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return None


def version_of(form):
    number = small_number(form.version.data or "")
    return -1 if number is None else number


@bp.route(f"/<{ID}:cohort_id>/posts/<{ID}:post_id>/edit", methods=["GET", "POST"])
def edit_post(cohort_id, post_id):
    """The author edits a draft or returned post; professionals of the cohort
    move any post that is not yet published, with a form of date and time only."""
    cohort = get_cohort(cohort_id)
    post = get_post(cohort, post_id)
    author_edits = post.author_id == current_user.id and post.status in (
        services.EDITABLE
    )
    if not author_edits and not can_move(post, cohort):
        abort(403)
    form = PostForm() if author_edits else RescheduleForm()
    if author_edits:
        fill_choices(form, cohort, post)
    else:
        form.zone.choices = choices(zone_choices(post.timezone, viewer_zone(cohort)))
    ambiguous = False
    if request.method == "GET":
        fill_form_from(form, post)
    elif form.validate_on_submit():
        try:
            values = post_values(form) if author_edits else when_values(form)
            services.edit_post(post, current_user, values, version_of(form))
        except TimeProblem as problem:
            ambiguous = show_time_problem(form, problem)
        except PlanError as error:
            db.session.refresh(post)
            form.version.data = str(post.version)
            flash(str(error), "danger")
        else:
            return saved(cohort, post, _("Saved."))
    return render_template(
        "planner/post_form.html",
        cohort=cohort,
        form=form,
        post=post,
        ambiguous=ambiguous,
        reschedule=not author_edits,
    )


@bp.get(f"/<{ID}:cohort_id>/posts/<{ID}:post_id>")
def post(cohort_id, post_id):
    cohort = get_cohort(cohort_id)
    post = get_post(cohort, post_id)
    tz_name = viewer_zone(cohort)
    shared = db.session.scalar(
        db.select(PostShare).filter_by(post_id=post.id, user_id=current_user.id)
    )
    return render_template(
        "planner/post.html",
        cohort=cohort,
        post=post,
        tz_name=tz_name,
        moment=None if post.all_day else in_zone(post.planned_at, tz_name),
        can_review=services.can_review(post, current_user),
        can_run=services.can_run(cohort, current_user),
        waits_for_administrator=services.waits_for_administrator(post),
        shared=shared,
        note_form=NoteForm(version=post.version),
        changed_fields=changed_fields,
        url_form=UrlForm(version=post.version),
    )


@bp.post(f"/<{ID}:cohort_id>/posts/<{ID}:post_id>/move")
def move(cohort_id, post_id):
    """Move a post to another day at the same local time: what dragging it in
    the month or week view does. The edit form does the same without JavaScript."""
    cohort = get_cohort(cohort_id)
    post = get_post(cohort, post_id)
    form = NoteForm()
    day = parse_day(request.form.get("day"), None)
    if not form.validate_on_submit() or day is None:
        flash(_("The post was not moved; please try again."), "warning")
    else:
        try:
            services.edit_post(
                post, current_user, moved_to(post, day), version_of(form)
            )
        except (TimeProblem, PlanError) as error:
            flash(str(error), "danger")
        else:
            flash(_("Moved to %(date)s.", date=format_date(day, "long")), "success")
    back = request.form.get("next", "")
    if is_safe_next(back) and back.startswith(f"/calendar/{cohort.id}/"):
        return redirect(back)
    return redirect(url_for("planner.calendar", cohort_id=cohort.id))


def moved_to(post, day):
    if post.all_day:
        check_day(day)
        return {"planned_date": day, "planned_at": None, "timezone": post.timezone}
    local = in_zone(post.planned_at, post.timezone)
    fold = local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
    occurrence = ("second" if local.fold else "first") if fold else None
    instant = local_to_utc(
        day, local.time().replace(tzinfo=None), post.timezone, occurrence
    )
    return {"planned_at": instant, "planned_date": None, "timezone": post.timezone}


def can_move(post, cohort):
    if post.status == "published":
        return False
    if post.author_id == current_user.id and post.status in services.EDITABLE:
        return True
    return services.can_run(cohort, current_user)


def changed_fields(event):
    """The names of the fields an edit changed, as the form calls them."""
    form = PostForm(meta={"csrf": False}, formdata=None)
    names = {
        "planned_at": _("Date and time"),
        "planned_date": _("Date and time"),
        "timezone": form.zone.label.text,
    }
    result = []
    for key in event.changes or {}:
        name = names.get(key) or (form[key].label.text if key in form else key)
        if name not in result:
            result.append(name)
    return result


ACTIONS = ("submit", "approve", "return", "schedule", "publish", "share", "delete")


@bp.post(f"/<{ID}:cohort_id>/posts/<{ID}:post_id>/<action>")
def act(cohort_id, post_id, action):
    cohort = get_cohort(cohort_id)
    post = get_post(cohort, post_id)
    if action not in ACTIONS:
        abort(404)
    form = UrlForm() if action in ("publish", "share") else NoteForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            flash(_("The form expired; please try again."), "warning")
        for field in (form.url if action in ("publish", "share") else form.note,):
            for error in field.errors:
                flash(f"{field.label.text}: {error}", "danger")
        return redirect(url_for("planner.post", cohort_id=cohort.id, post_id=post.id))
    version = version_of(form)
    messages = {
        "submit": _("Submitted for review."),
        "approve": _("Approved: ambassadors can now share it."),
        "return": _("Returned to the author with your note."),
        "schedule": _("Scheduled."),
        "publish": _("Recorded as published."),
        "share": _("Thank you: your share is recorded."),
        "delete": _("Draft deleted."),
    }
    try:
        if action == "submit":
            services.submit(post, current_user, version)
        elif action == "approve":
            services.approve(post, current_user, version)
        elif action == "return":
            services.return_post(post, current_user, version, form.note.data)
        elif action == "schedule":
            services.schedule(post, current_user, version)
        elif action == "publish":
            services.publish(post, current_user, version, form.url.data)
        elif action == "share":
            services.share(post, current_user, form.url.data)
        else:
            services.delete_draft(post, current_user)
            flash(messages[action], "success")
            return redirect(url_for("planner.calendar", cohort_id=cohort.id))
    except PlanError as error:
        flash(str(error), "danger")
    else:
        flash(messages[action], "success")
        award_exercises(cohort, current_user if action == "share" else post.author)
    if action == "share":
        return redirect(url_for("planner.ready", cohort_id=cohort.id))
    return redirect(url_for("planner.post", cohort_id=cohort.id, post_id=post.id))


def local_day(post, tz_name):
    return (
        post.planned_date if post.all_day else in_zone(post.planned_at, tz_name).date()
    )


@bp.get(f"/<{ID}:cohort_id>/ready")
def ready(cohort_id):
    """Approved posts, with their text to copy, for ambassadors to share."""
    cohort = get_cohort(cohort_id)
    tz_name = viewer_zone(cohort)
    posts = sorted(
        db.session.scalars(
            db.select(Post).where(
                Post.cohort_id == cohort.id, Post.status.in_(READY_STATUSES)
            )
        ),
        key=lambda p: local_day(p, tz_name),
    )
    mine = set(
        db.session.scalars(
            db.select(PostShare.post_id).where(
                PostShare.user_id == current_user.id,
                PostShare.post_id.in_([p.id for p in posts]),
            )
        )
    )
    return render_template(
        "planner/ready.html",
        cohort=cohort,
        posts=posts,
        mine=mine,
        tz_name=tz_name,
        local_day=local_day,
        today=datetime.now(zone(tz_name) or UTC).date(),
        form=UrlForm(),
    )


# Meetings ---------------------------------------------------------------------


@bp.route(f"/<{ID}:cohort_id>/meetings/new", methods=["GET", "POST"])
@bp.route(f"/<{ID}:cohort_id>/meetings/<{ID}:meeting_id>/edit", methods=["GET", "POST"])
def meeting_form(cohort_id, meeting_id=None):
    """Add a meeting series, or change one; a change reaches subscribed
    calendars as a new version of the same series."""
    cohort = get_cohort(cohort_id)
    if not services.can_run(cohort, current_user):
        abort(403)
    meeting = get_meeting(cohort, meeting_id) if meeting_id else None
    form = MeetingForm()
    form.zone.choices = choices(zone_choices(cohort.timezone, viewer_zone(cohort)))
    ambiguous = False
    if request.method == "GET":
        fill_meeting_form(form, meeting, cohort)
    if form.validate_on_submit():
        try:
            when = meeting_start(form)
        except TimeProblem as problem:
            ambiguous = show_time_problem(form, problem)
        else:
            values = {
                "kind": form.kind.data,
                "title": single_line(form.title.data)[:120],
                "agenda": (form.agenda.data or "").replace("\x00", "").strip(),
                "starts_at": when["planned_at"],
                "timezone": when["timezone"],
                "minutes": form.minutes.data,
                "every_months": every_months(form.kind.data),
                "by_weekday": form.repeat.data == "weekday",
                "count": form.count.data,
            }
            if not values["title"]:
                form.title.errors = [_("Give the series a title.")]
            elif meeting is None:
                meeting = Meeting(cohort_id=cohort.id, created_by_id=current_user.id)
                for key, value in values.items():
                    setattr(meeting, key, value)
                db.session.add(meeting)
                db.session.commit()
                flash(_("Meeting series added to the calendar."), "success")
                return redirect(
                    url_for(
                        "planner.meeting", cohort_id=cohort.id, meeting_id=meeting.id
                    )
                )
            elif services.change_meeting(meeting, version_of(form), values):
                flash(_("Meeting series changed."), "success")
                return redirect(
                    url_for(
                        "planner.meeting", cohort_id=cohort.id, meeting_id=meeting.id
                    )
                )
            else:
                db.session.refresh(meeting)
                form.version.data = str(meeting.version)
                flash(
                    _(
                        "Someone changed this series since you opened it, so your "
                        "change was not saved. Your version is below."
                    ),
                    "danger",
                )
    return render_template(
        "planner/meeting_form.html",
        cohort=cohort,
        form=form,
        meeting=meeting,
        ambiguous=ambiguous,
    )


def fill_meeting_form(form, meeting, cohort):
    if meeting is None:
        form.zone.data = cohort.timezone
        return
    local = in_zone(meeting.starts_at, meeting.timezone)
    form.kind.data, form.title.data = meeting.kind, meeting.title
    form.agenda.data, form.minutes.data = meeting.agenda, meeting.minutes
    form.count.data = meeting.count
    form.repeat.data = "weekday" if meeting.by_weekday else "date"
    form.day.data, form.clock.data = local.date(), local.time().replace(tzinfo=None)
    form.zone.data = meeting.timezone
    form.version.data = str(meeting.version)


def meeting_start(form):
    """The first meeting of a series. It falls on a day of the month that every
    month has, and at a time that exists once, so every meeting can keep it."""
    if form.repeat.data == "date" and form.day.data and form.day.data.day > 28:
        raise TimeProblem(
            _("Choose a day from the 1st to the 28th: every month has those days.")
        )
    form.occurrence.data = ""
    try:
        return when_values(form)
    except TimeProblem as problem:
        if problem.ambiguous:
            raise TimeProblem(
                _(
                    "That time happens twice on that day, when the clocks go back. "
                    "Choose another time for the series."
                )
            ) from None
        raise


def get_meeting(cohort, meeting_id):
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.cohort_id != cohort.id:
        abort(404)
    return meeting


@bp.get(f"/<{ID}:cohort_id>/meetings/<{ID}:meeting_id>")
def meeting(cohort_id, meeting_id):
    cohort = get_cohort(cohort_id)
    meeting = get_meeting(cohort, meeting_id)
    tz_name = viewer_zone(cohort)
    return render_template(
        "planner/meeting.html",
        cohort=cohort,
        meeting=meeting,
        moments=[in_zone(i, tz_name) for i in occurrences(meeting)],
        tz_name=tz_name,
        can_run=services.can_run(cohort, current_user),
        form=NoteForm(),
    )


@bp.post(f"/<{ID}:cohort_id>/meetings/<{ID}:meeting_id>/delete")
def delete_meeting(cohort_id, meeting_id):
    cohort = get_cohort(cohort_id)
    meeting = get_meeting(cohort, meeting_id)
    if not services.can_run(cohort, current_user):
        abort(403)
    if NoteForm().validate_on_submit():
        db.session.delete(meeting)
        db.session.commit()
        flash(_("Meeting series removed."), "success")
    return redirect(url_for("planner.calendar", cohort_id=cohort.id))


# Strategy ---------------------------------------------------------------------


def strategy_text(cohort):
    pillars = services.entries(cohort, "pillar")
    topics = services.entries(cohort, "topic")
    lines = []
    for pillar in pillars:
        names = [t.name for t in topics if t.parent_id == pillar.id]
        lines.append(f"{pillar.name}: {', '.join(names)}" if names else pillar.name)
    groups = "\n".join(g.name for g in services.entries(cohort, "group"))
    return "\n".join(lines), groups


@bp.route(f"/<{ID}:cohort_id>/strategy", methods=["GET", "POST"])
def strategy(cohort_id):
    cohort = get_cohort(cohort_id)
    can_edit = services.can_run(cohort, current_user)
    current = services.strategy_of(cohort)
    form = StrategyForm()
    if request.method == "POST":
        if not can_edit:
            abort(403)
        if form.validate_on_submit():
            pillars, problems = services.parse_pillars(form.pillars.data)
            for problem in problems:
                form.pillars.errors = list(form.pillars.errors) + [str(problem)]
            if not problems:
                try:
                    services.save_strategy(
                        cohort,
                        current_user,
                        (form.goals.data or "").replace("\x00", "").strip(),
                        pillars,
                        services.parse_groups(form.groups.data),
                        version_of(form),
                    )
                except PlanError as error:
                    flash(str(error), "danger")
                    current = services.strategy_of(cohort)
                    form.version.data = str(current.version)
                else:
                    flash(_("Content strategy saved."), "success")
                    return redirect(url_for("planner.strategy", cohort_id=cohort.id))
    else:
        pillars_text, groups_text = strategy_text(cohort)
        form.goals.data = current.goals
        form.pillars.data, form.groups.data = pillars_text, groups_text
        form.version.data = str(current.version)
    topics = services.entries(cohort, "topic")
    return render_template(
        "planner/strategy.html",
        cohort=cohort,
        strategy=current,
        pillars=services.entries(cohort, "pillar"),
        topics=topics,
        groups=services.entries(cohort, "group"),
        form=form,
        can_edit=can_edit,
    )


# Exports ----------------------------------------------------------------------


@bp.get(f"/<{ID}:cohort_id>/export.csv")
def export_csv(cohort_id):
    cohort = get_cohort(cohort_id)
    tz_name = viewer_zone(cohort)
    posts = db.session.scalars(
        apply_filters(visible_posts(cohort), read_filters(cohort)).order_by(
            Post.planned_date, Post.planned_at
        )
    ).all()
    meetings = db.session.scalars(
        db.select(Meeting).filter_by(cohort_id=cohort.id)
    ).all()
    data = exports.csv_text(
        posts, meetings, tz_name, str(get_locale()).startswith("nl"), labels()
    )
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="calendar.csv"'},
    )


@bp.get(f"/<{ID}:cohort_id>/subscribe")
def subscribe(cohort_id):
    cohort = get_cohort(cohort_id)
    feed = exports.feed_for(current_user, cohort)
    return render_template(
        "planner/subscribe.html",
        cohort=cohort,
        url=exports.feed_url(feed),
        form=NoteForm(),
    )


@bp.post(f"/<{ID}:cohort_id>/subscribe")
def regenerate(cohort_id):
    cohort = get_cohort(cohort_id)
    if request.form.get("understood") != "y":
        flash(
            _("Tick the box to confirm: the old address will stop working."), "warning"
        )
    elif NoteForm().validate_on_submit():
        exports.regenerate(current_user, cohort)
        flash(
            _(
                "New address made. The old one no longer works; update your "
                "calendar app."
            ),
            "success",
        )
    return redirect(url_for("planner.subscribe", cohort_id=cohort.id))


@bp.get("/feed/<token>.ics")
def feed(token):
    feed = exports.feed_from_token(token)
    if (
        feed is None
        or not services.can_view(feed.cohort, feed.user)
        or not feed.user.active
    ):
        abort(404)
    return Response(
        exports.ical(feed.cohort, feed.user),
        mimetype="text/calendar",
        headers={"Cache-Control": "private, max-age=300"},
    )
