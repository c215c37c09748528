"""Sign credentials as VC-JWT (EdDSA) and verify them, check by check."""

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import jwt

from certificates.credential import timestamp

MEDIA_TYPE = "vc+jwt"
MAX_TOKEN_LENGTH = 64 * 1024


def sign(credential, key_pair):
    """The credential as a compact JWS: the payload is the credential itself,
    with the registered claims a JWT verifier looks for."""
    claims = dict(credential)
    claims["iss"] = credential["issuer"]["id"]
    claims["jti"] = credential["id"]
    claims["nbf"] = parse_time(credential["validFrom"])
    if "validUntil" in credential:
        claims["exp"] = parse_time(credential["validUntil"])
    return jwt.encode(
        claims,
        key_pair.private_key,
        algorithm="EdDSA",
        headers={"kid": key_pair.kid, "typ": MEDIA_TYPE, "cty": "vc"},
    )


def parse_time(text):
    return int(
        datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
    )


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


@dataclass
class Verification:
    checks: list = field(default_factory=list)
    credential: dict | None = None
    kid: str | None = None

    @property
    def valid(self):
        return bool(self.checks) and all(check.passed for check in self.checks)

    def add(self, name, passed, detail):
        self.checks.append(Check(name, passed, detail))
        return passed

    @property
    def reason(self):
        failed = next((c for c in self.checks if not c.passed), None)
        return failed.detail if failed else None


def unverified_header(token):
    try:
        head = token.split(".")[0]
        return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, binascii.Error, IndexError, RecursionError):
        return None


def plain(value, limit=200):
    """Text from a token, safe to print: no control characters, not too long."""
    text = "".join(c if c.isprintable() else "?" for c in str(value))
    return text[:limit]


def verify(token, public_keys, now=None):
    """Verify a VC-JWT against public keys by id; every check is reported."""
    result = Verification()
    now = now or datetime.now(UTC)
    token = token.strip() if isinstance(token, str) else ""

    if not token or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
        result.add("format", False, "not a compact JWT (three dot-separated parts)")
        return result
    header = unverified_header(token)
    if not isinstance(header, dict):
        result.add("format", False, "the header is not readable JSON")
        return result
    result.add("format", True, "a compact JWT")

    if header.get("alg") != "EdDSA":
        result.add(
            "algorithm",
            False,
            f"algorithm {plain(repr(header.get('alg')), 40)} is not accepted; "
            "only EdDSA",
        )
        return result
    result.add("algorithm", True, "EdDSA (Ed25519)")

    kid = header.get("kid")
    key = public_keys.get(kid) if isinstance(kid, str) else None
    result.kid = kid if isinstance(kid, str) else None
    if key is None:
        result.add(
            "key",
            False,
            f"key id {plain(repr(kid), 80)} is not one of the issuer's keys",
        )
        return result
    result.add("key", True, f"issuer key {kid}")

    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=["EdDSA"],
            options={"verify_exp": False, "verify_nbf": False, "verify_aud": False},
        )
    except jwt.InvalidSignatureError:
        result.add("signature", False, "the signature does not match the content")
        return result
    except jwt.InvalidTokenError as error:
        result.add("signature", False, f"the token cannot be read: {plain(error)}")
        return result
    result.add("signature", True, "signed by the issuer's key")
    result.credential = {
        k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf", "exp", "iat")
    }

    valid_from = claims.get("validFrom")
    valid_until = claims.get("validUntil")
    moment = timestamp(now)
    if not isinstance(valid_from, str) or moment < valid_from:
        result.add("validity", False, f"not valid before {valid_from}")
    elif isinstance(valid_until, str) and moment > valid_until:
        result.add("validity", False, f"expired on {valid_until}")
    else:
        detail = f"valid from {valid_from}" + (
            f" until {valid_until}" if valid_until else ", no expiry"
        )
        result.add("validity", True, detail)
    return result
