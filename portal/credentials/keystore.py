"""Signing keys kept outside the repository: PEM files in a folder of their own.

The newest key signs; every key in the folder stays published, so certificates
signed before a rotation keep verifying."""

import logging
import os
from pathlib import Path

from flask import current_app

from certificates.keys import KeyPair, jwks

logger = logging.getLogger(__name__)


def key_folder():
    configured = current_app.config.get("SIGNING_KEYS_DIR")
    return Path(configured or os.path.join(current_app.instance_path, "signing-keys"))


def load_keys():
    """Every key pair, oldest first (key ids start with their date)."""
    folder = key_folder()
    if not folder.is_dir():
        return []
    return [
        KeyPair.from_pem(path.stem, path.read_bytes())
        for path in sorted(folder.glob("*.pem"))
    ]


def create_key():
    pair = KeyPair.generate()
    folder = key_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{pair.kid}.pem"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "wb") as handle:
        handle.write(pair.private_pem())
    logger.info("signing key %s created", pair.kid)
    return pair


def signing_key():
    keys = load_keys()
    return keys[-1] if keys else None


def public_jwks():
    return jwks(load_keys())
