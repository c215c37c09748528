"""Build, sign, verify and render SRO Academy certificates.

This package has no Flask in it: a third party can verify a credential with
`python -m certificates verify FILE --keys JWKS-FILE-OR-URL`.
"""

from certificates.credential import achievement_credential
from certificates.keys import KeyPair, load_jwks
from certificates.signing import Verification, sign, verify

__all__ = [
    "KeyPair",
    "Verification",
    "achievement_credential",
    "load_jwks",
    "sign",
    "verify",
]
