"""Signing keys kept outside the repository: PEM files in a folder of their own.

The newest key signs; every key in the folder stays published, so certificates
signed before a rotation keep verifying."""

import logging
import os
from pathlib import Path

from flask import current_app

from certificates.keys import KeyPair, jwks, load_jwks

logger = logging.getLogger(__name__)


def key_folder():
    configured = current_app.config.get("SIGNING_KEYS_DIR")
    return Path(configured or os.path.join(current_app.instance_path, "signing-keys"))


def load_keys():
    """Every key pair, oldest first (key ids start with their date).

    Parsed once per process and read again only when the folder changes, so a
    verification page does not parse PEM files on every request."""
    folder = key_folder()
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.pem"))
    fingerprint = (str(folder), tuple((p.name, p.stat().st_mtime_ns) for p in paths))
    if _cache.get("fingerprint") != fingerprint:
        _cache["keys"] = [KeyPair.from_pem(p.stem, p.read_bytes()) for p in paths]
        _cache["jwks"] = jwks(_cache["keys"])
        _cache["public"] = load_jwks(_cache["jwks"])
        _cache["fingerprint"] = fingerprint
    return _cache["keys"]


_cache = {}


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
    return _cache["jwks"] if load_keys() else jwks([])


def keys_version():
    """Changes whenever the set of keys changes."""
    load_keys()
    return _cache.get("fingerprint")


def public_keys():
    """The public keys by id, ready for `certificates.verify`."""
    return _cache["public"] if load_keys() else {}
