"""The portal's side of certificates: keys, issuing, verification pages.

The signing and verifying itself lives in the `certificates` library."""

from flask import Blueprint

bp = Blueprint("credentials", __name__)

from portal.credentials import views  # noqa: E402, F401
