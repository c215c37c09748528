from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from portal.extensions import db
from portal.main import bp
from portal.urls import is_safe_next


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    return render_template("main/index.html")


@bp.post("/language")
def set_language():
    """Remember the chosen language for this browser and, if logged in, the user."""
    language = request.form.get("language")
    if language in current_app.config["LANGUAGES"]:
        session["locale"] = language
        if current_user.is_authenticated:
            current_user.locale = language
            db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("main.index"))


@bp.before_app_request
def refuse_nul_characters():
    """No database stores a NUL character in text; refuse such a form at once."""
    if request.method == "POST" and any(
        "\x00" in value for values in request.form.listvalues() for value in values
    ):
        abort(400)


@bp.after_app_request
def set_security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' https: data:; "
        "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
        "base-uri 'self'; form-action 'self'",
    )
    return response
