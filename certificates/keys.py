"""Ed25519 signing keys with key ids, and the JWKS that publishes them."""

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.request import urlopen

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

MAX_JWKS_BYTES = 256 * 1024


@dataclass(frozen=True)
class KeyPair:
    kid: str
    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls):
        """A new key whose id tells when it was made, so ids sort by age."""
        kid = f"{datetime.now(UTC):%Y%m%d-%H%M%S%f}-{secrets.token_hex(3)}"
        return cls(kid=kid, private_key=Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, kid, pem):
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"key {kid} is not an Ed25519 key")
        return cls(kid=kid, private_key=key)

    def private_pem(self):
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def public_jwk(self):
        jwk = json.loads(
            jwt.algorithms.OKPAlgorithm.to_jwk(self.private_key.public_key())
        )
        return {**jwk, "kid": self.kid, "alg": "EdDSA", "use": "sig"}


def jwks(key_pairs):
    return {"keys": [pair.public_jwk() for pair in key_pairs]}


def load_jwks(source):
    """Public keys by id, from a JWKS document (dict), file path or https URL."""
    if isinstance(source, dict):
        document = source
    elif str(source).startswith(("https://", "http://")):
        with urlopen(source, timeout=10) as response:  # noqa: S310 (scheme checked)
            document = json.loads(response.read(MAX_JWKS_BYTES))
    else:
        with open(source, "rb") as handle:
            document = json.loads(handle.read(MAX_JWKS_BYTES))
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document (an object with a list of keys)")
    keys = {}
    for jwk in document["keys"]:
        if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str):
            continue
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            continue
        keys[jwk["kid"]] = jwt.algorithms.OKPAlgorithm.from_jwk(
            {k: v for k, v in jwk.items() if k in ("kty", "crv", "x")}
        )
    return keys
