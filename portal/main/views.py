from flask import current_app, redirect, render_template, request, session, url_for
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
