from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.courses.grading import AnswerError, grade
from portal.credentials.services import issue_if_complete
from portal.extensions import db
from portal.learning import bp, services
from portal.learning.models import Enrolment, QuizAttempt
from portal.learning.progress import track_progress
from portal.main.errors import error_page


def award(enrolment, track):
    """Issue the certificate when this step finished the track, and tell the
    holder if they are the one who took it (others hear by email)."""
    certificate = issue_if_complete(enrolment, track)
    if (
        getattr(certificate, "just_issued", False)
        and enrolment.user_id == current_user.id
    ):
        flash(_("You finished the track: your certificate is ready."), "success")


@bp.before_request
@login_required
def require_login():
    """Every page of this blueprint belongs to a logged-in trainee."""


def courses():
    return current_app.extensions["courses"]


def get_enrolment(track_slug):
    """The current user's enrolment in a served track, or a 404."""
    enrolment = db.session.scalar(
        db.select(Enrolment).filter_by(user_id=current_user.id, track=track_slug)
    )
    if enrolment is None:
        abort(404)
    track = courses().get(track_slug)
    if track is None:
        message = _(
            "This track is being updated and is not available right now. "
            "Please try again later."
        )
        abort(make_response(error_page(503, message)))
    return enrolment, track


def get_module(track, module_slug):
    module = track.module(module_slug)
    if module is None:
        abort(404)
    return module


@bp.get("/dashboard")
def dashboard():
    enrolments = db.session.scalars(
        db.select(Enrolment).filter_by(user_id=current_user.id).order_by(Enrolment.id)
    ).all()
    entries = []
    for enrolment in enrolments:
        track = courses().get(enrolment.track)
        progress = track_progress(enrolment, track) if track else None
        entries.append((enrolment, track, progress))
    return render_template("learning/dashboard.html", entries=entries)


@bp.get("/learn/<track_slug>/<module_slug>/")
def module(track_slug, module_slug):
    enrolment, track = get_enrolment(track_slug)
    module = get_module(track, module_slug)
    progress = track_progress(enrolment, track)
    return render_template(
        "learning/module.html",
        track=track,
        module=module,
        enrolment=enrolment,
        progress=progress.for_module(module.slug),
        cooldown_ends=services.cooldown_ends(enrolment, module)
        if module.quiz
        else None,
    )


def get_lesson(track_slug, module_slug, lesson_slug):
    """The enrolment, track, module and lesson named by a lesson URL, or a 404."""
    enrolment, track = get_enrolment(track_slug)
    module = get_module(track, module_slug)
    lesson = module.lesson(lesson_slug)
    if lesson is None:
        abort(404)
    return enrolment, track, module, lesson


@bp.get("/learn/<track_slug>/<module_slug>/<lesson_slug>")
def lesson(track_slug, module_slug, lesson_slug):
    _, track, module, lesson = get_lesson(track_slug, module_slug, lesson_slug)
    position = module.lessons.index(lesson)
    return render_template(
        "learning/lesson.html",
        track=track,
        module=module,
        lesson=lesson,
        previous=module.lessons[position - 1] if position else None,
        following=module.lessons[position + 1 : position + 2],
    )


@bp.post("/learn/<track_slug>/<module_slug>/<lesson_slug>")
def mark_read(track_slug, module_slug, lesson_slug):
    """Record that the lesson was read and go on to the next one."""
    enrolment, track, module, lesson = get_lesson(track_slug, module_slug, lesson_slug)
    services.mark_read(enrolment, module, lesson)

    position = module.lessons.index(lesson)
    if position + 1 < len(module.lessons):
        following = module.lessons[position + 1]
        return redirect(
            url_for(
                "learning.lesson",
                track_slug=track.slug,
                module_slug=module.slug,
                lesson_slug=following.slug,
            )
        )
    return redirect(
        url_for(
            "learning.module",
            track_slug=track.slug,
            module_slug=module.slug,
            _anchor="quiz" if module.quiz else None,
        )
    )


@bp.post("/learn/<track_slug>/<module_slug>/quiz")
def start_quiz(track_slug, module_slug):
    enrolment, track = get_enrolment(track_slug)
    module = get_module(track, module_slug)
    if module.quiz is None:
        abort(404)
    try:
        attempt = services.start_attempt(enrolment, track, module)
    except services.LearningError as error:
        flash(str(error), "warning")
        return redirect(
            url_for("learning.module", track_slug=track.slug, module_slug=module.slug)
        )
    return redirect(url_for("learning.attempt", attempt_id=attempt.id))


def get_attempt(attempt_id):
    """The current user's own attempt, with its track and module, or a 404."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.enrolment.user_id != current_user.id:
        abort(404)
    enrolment, track = get_enrolment(attempt.enrolment.track)
    module = get_module(track, attempt.module)
    if module.quiz is None:
        abort(404)
    return attempt, track, module


@bp.get("/attempts/<int(max=2147483647):attempt_id>")
def attempt(attempt_id):
    attempt, track, module = get_attempt(attempt_id)
    quiz = module.quiz
    if attempt.is_open and attempt.course_version != track.version:
        services.discard_attempt(attempt)
        flash(_("The course was updated while you worked. Please start again."), "info")
        return redirect(
            url_for("learning.module", track_slug=track.slug, module_slug=module.slug)
        )
    if attempt.is_open:
        questions = [
            (quiz.question(entry["question"]), entry["options"])
            for entry in attempt.layout
        ]
        return render_template(
            "learning/attempt.html",
            track=track,
            module=module,
            attempt=attempt,
            questions=questions,
        )

    results = None
    if attempt.course_version == track.version:
        results, _correct, _score, _passed = grade(quiz, attempt.answers or {})
    return render_template(
        "learning/result.html",
        track=track,
        module=module,
        attempt=attempt,
        results=results,
        layout={entry["question"]: entry["options"] for entry in attempt.layout},
        cooldown_ends=services.cooldown_ends(attempt.enrolment, module),
    )


@bp.post("/attempts/<int(max=2147483647):attempt_id>")
def submit_attempt(attempt_id):
    attempt, track, module = get_attempt(attempt_id)
    try:
        services.submit_attempt(attempt, track, module, request.form)
        if attempt.passed:
            award(attempt.enrolment, track)
    except AnswerError as error:
        return error_page(400, str(error))
    except services.LearningError as error:
        flash(str(error), "warning")
        return redirect(
            url_for("learning.module", track_slug=track.slug, module_slug=module.slug)
        )
    return redirect(url_for("learning.attempt", attempt_id=attempt.id))


@bp.post("/learn/<track_slug>/<module_slug>/checklist/<item_id>")
def tick(track_slug, module_slug, item_id):
    enrolment, track = get_enrolment(track_slug)
    module = get_module(track, module_slug)
    item = module.checklist.item(item_id) if module.checklist else None
    if item is None:
        abort(404)
    try:
        if request.form.get("action") == "untick":
            services.untick_item(enrolment, module, item)
        else:
            tick = services.tick_item(
                enrolment, track, module, item, request.form.get("evidence")
            )
            award(enrolment, track)
            if tick.review_status == "pending":
                flash(
                    _("Ticked. A professional of your cohort will review it."),
                    "success",
                )
    except services.LearningError as error:
        flash(str(error), "danger")
    target = url_for("learning.module", track_slug=track.slug, module_slug=module.slug)
    return redirect(f"{target}#checklist")
