import click
from flask.cli import AppGroup

from portal.auth.models import User
from portal.auth.services import find_user, normalise_email
from portal.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option(help="Asked for when not given.")
def create_admin(email, name, password):
    """Create an administrator account."""
    email = normalise_email(email)
    if "@" not in email:
        raise click.BadParameter("not an email address", param_hint="--email")
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="password")
    if find_user(email) is not None:
        raise click.ClickException(f"an account for {email} already exists")
    user = User(email=email, name=name.strip(), role="admin")
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Administrator {email} created.")
