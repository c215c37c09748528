"""SRO Academy: the Flask application."""

import logging
import os
import secrets

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from config import configs
from portal.courses.registry import CourseRegistry
from portal.extensions import (
    babel,
    bootstrap,
    csrf,
    db,
    limiter,
    login_manager,
    mail,
    migrate,
)

logger = logging.getLogger(__name__)


def create_app(config=None):
    app = Flask(__name__, instance_relative_config=True)
    load_configuration(app, config)
    configure_logging(app)
    configure_extensions(app)
    configure_courses(app)
    register_blueprints(app)
    register_commands(app)
    return app


def load_configuration(app, config):
    app.config.from_object(
        config or configs[os.environ.get("PORTAL_CONFIG", "development")]
    )
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY") and app.config.get("INSTANCE_SECRET"):
        app.config["SECRET_KEY"] = instance_secret(app.instance_path)
    for name in ("SECRET_KEY", "PUBLIC_URL"):
        if not app.config.get(name):
            raise RuntimeError(f"{name} is not set; refusing to start without it")


def instance_secret(folder):
    """A random key made on first use and kept in the instance folder, so that no
    two development installations share a secret."""
    path = os.path.join(folder, "secret_key")
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with open(descriptor, "w") as f:
            f.write(secrets.token_hex(32))
    with open(path) as f:
        return f.read().strip()


def configure_logging(app):
    if not app.debug and not app.testing and not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )


# English pages write dates the British way (3 December 2026, 17:05), which reads
# the same to the Dutch colleagues who use the English interface.
FORMAT_LOCALES = {"en": "en_GB"}


def select_locale():
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return FORMAT_LOCALES.get(languages[0])  # commands and background work
    chosen = session.get("locale")
    if chosen not in languages and current_user.is_authenticated:
        chosen = current_user.locale
    if chosen not in languages:
        chosen = request.accept_languages.best_match(languages, default=languages[0])
    return FORMAT_LOCALES.get(chosen, chosen)


def select_timezone():
    """Show times in the zone the person chose, else in their cohort's."""
    if has_request_context() and current_user.is_authenticated:
        if current_user.timezone:
            return current_user.timezone
        for enrolment in current_user.enrolments:
            if enrolment.cohort is not None:
                return enrolment.cohort.timezone
    return None


def configure_extensions(app):
    from portal.models import User

    db.init_app(app)
    migrations = os.path.join(os.path.dirname(app.root_path), "migrations")
    migrate.init_app(app, db, directory=migrations, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=select_locale, timezone_selector=select_timezone
    )
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["hours"] = lambda value: format_decimal(value, "#,##0.#")
    limiter.init_app(app)
    mail.init_app(app)
    bootstrap.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = str  # evaluates the lazy text per request

    @login_manager.user_loader
    def load_user(session_id):
        user_id, _, token = session_id.partition(":")
        if not user_id.isdigit() or len(user_id) > 12:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active:
            return None
        return user if secrets.compare_digest(user.session_token, token) else None


def configure_courses(app):
    registry = CourseRegistry.load(app.config["COURSES_DIR"])
    registry.log_problems()
    app.extensions["courses"] = registry


def register_blueprints(app):
    from portal.admin import bp as admin_bp
    from portal.auth import bp as auth_bp
    from portal.cohorts import bp as cohorts_bp
    from portal.credentials import bp as credentials_bp
    from portal.learning import bp as learning_bp
    from portal.main import bp as main_bp
    from portal.planner.views import bp as planner_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(credentials_bp)
    app.register_blueprint(cohorts_bp, url_prefix="/cohorts")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(planner_bp, url_prefix="/calendar")


def register_commands(app):
    from portal.auth.cli import users_cli
    from portal.cohorts.cli import cohorts_cli
    from portal.courses.cli import courses_cli
    from portal.credentials.cli import certificates_cli
    from portal.demo import demo_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(cohorts_cli)
    app.cli.add_command(courses_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(demo_cli)
