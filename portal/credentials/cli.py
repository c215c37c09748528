import click
from flask.cli import AppGroup

from portal.credentials.keystore import create_key, key_folder, signing_key

certificates_cli = AppGroup("certificates", help="Signing keys for certificates.")


@certificates_cli.command("new-key")
@click.option("--if-missing", is_flag=True, help="Only when there is no key yet.")
def new_key(if_missing):
    """Create a new Ed25519 signing key; it signs from now on, and older keys stay
    published so that the certificates they signed keep verifying."""
    if if_missing and signing_key() is not None:
        click.echo(f"A signing key exists already: {signing_key().kid}.")
        return
    pair = create_key()
    click.echo(f"Created signing key {pair.kid} in {key_folder()}.")
