from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import bp, services
from portal.auth.forms import (
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from portal.auth.models import Invitation
from portal.extensions import limiter
from portal.mailer import send_email
from portal.urls import external_url, next_url


def login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def submitted_email():
    return "email:" + request.form.get("email", "").strip().lower()[:254]


def failed(response):
    """Only refused logins count toward the limit; a success redirects."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"], deduct_when=failed)
@limiter.limit(
    login_limit, methods=["POST"], key_func=submitted_email, deduct_when=failed
)
def login():
    if current_user.is_authenticated:
        return redirect(next_url())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("That email address and password do not match."), "danger")
        else:
            login_user(user, remember=form.remember.data)
            return redirect(next_url())
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/join/<token>", methods=["GET", "POST"])
def register(token):
    """Create an account from an invitation link."""
    invitation = Invitation.find_open(token)
    if invitation is None:
        return render_template("auth/invitation_invalid.html"), 404
    if current_user.is_authenticated:
        logout_user()

    form = RegisterForm(name=invitation.name)
    if form.validate_on_submit():
        try:
            user = services.register(
                invitation, name=form.name.data, password=form.password.data
            )
        except services.AccountError as error:
            flash(str(error), "danger")
            return redirect(url_for("auth.login"))
        login_user(user)
        flash(_("Welcome to SRO Academy, %(name)s.", name=user.name), "success")
        return redirect(url_for("learning.dashboard"))
    return render_template("auth/register.html", form=form, invitation=invitation)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None and user.active:
            token = services.make_reset_token(user)
            send_email(
                user.email,
                _("Reset your SRO Academy password"),
                "reset_password",
                user=user,
                link=external_url("auth.reset_password", token=token),
            )
        # The same answer whether or not the address exists.
        flash(
            _(
                "If that address has an account, we have sent it a link to reset "
                "the password. The link works for one hour."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/request_reset.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    user = services.user_for_reset_token(token) if len(token) < 500 else None
    if user is None:
        flash(
            _("This reset link has expired or was already used. Ask for a new one."),
            "warning",
        )
        return redirect(url_for("auth.request_reset"))

    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        flash(_("Your password has been changed. Please log in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
