"""Send the portal's emails through Flask-Mailman's configured backend."""

import logging

from flask import render_template
from flask_babel import force_locale
from flask_mailman import EmailMessage

logger = logging.getLogger(__name__)


def send_email(to, subject, template, reply_to=None, **context):
    """Render templates/email/<template>.txt and send it to one address."""
    body = render_template(f"email/{template}.txt", **context)
    message = EmailMessage(
        subject=subject, body=body, to=[to], reply_to=[reply_to] if reply_to else None
    )
    message.send()
    logger.info("sent %s email to %s", template, to)


def email_user(user, subject, template, reply_to=None, **context):
    """Email a person in their own language; `subject` is a lazy text."""
    with force_locale(user.locale or "en"):
        send_email(
            user.email, str(subject), template, reply_to=reply_to, user=user, **context
        )
