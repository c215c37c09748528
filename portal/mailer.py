"""Send the portal's emails through Flask-Mailman's configured backend."""

import logging

from flask import render_template
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
