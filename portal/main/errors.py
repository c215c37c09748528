import logging

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from portal.extensions import db
from portal.main import bp

logger = logging.getLogger(__name__)

MESSAGES = {
    400: lambda: _("The request could not be understood."),
    403: lambda: _("You do not have access to this page."),
    404: lambda: _("This page does not exist, or you cannot see it."),
    405: lambda: _("This action is not allowed here."),
    410: lambda: _("This is no longer available; it was withdrawn."),
    413: lambda: _("What you sent is too large."),
    429: lambda: _("Too many attempts. Please wait a little and try again."),
    500: lambda: _("Something went wrong on our side. Please try again later."),
}


def error_page(status, message=None):
    wants_json = request.accept_mimetypes.best == "application/json"
    text = message or MESSAGES.get(status, MESSAGES[400])()
    if wants_json:
        return {"error": text}, status
    return render_template("main/error.html", status=status, message=text), status


@bp.app_errorhandler(CSRFError)
def csrf_error(error):
    return error_page(
        400, _("Your form expired or was not sent from this site. Please try again.")
    )


@bp.app_errorhandler(400)
@bp.app_errorhandler(403)
@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
@bp.app_errorhandler(410)
@bp.app_errorhandler(413)
@bp.app_errorhandler(429)
def client_error(error):
    return error_page(error.code)


@bp.app_errorhandler(500)
def server_error(error):
    db.session.rollback()
    return error_page(500)
