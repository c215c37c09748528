from flask import Blueprint

bp = Blueprint("cohorts", __name__)

from portal.cohorts import views  # noqa: E402, F401
