import click
from flask.cli import AppGroup

from portal.credentials.keystore import create_key, key_folder

certificates_cli = AppGroup("certificates", help="Signing keys for certificates.")


@certificates_cli.command("new-key")
def new_key():
    """Create a new Ed25519 signing key; it signs from now on, and older keys stay
    published so that the certificates they signed keep verifying."""
    pair = create_key()
    click.echo(f"Created signing key {pair.kid} in {key_folder()}.")
