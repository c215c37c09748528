"""Signing keys in the portal and the published JWKS."""

import pytest

from certificates import achievement_credential, load_jwks, sign, verify
from config import TestingConfig
from tests.conftest import FIXTURES


@pytest.fixture
def config(tmp_path):
    class KeysConfig(TestingConfig):
        COURSES_DIR = str(FIXTURES / "courses")
        SIGNING_KEYS_DIR = str(tmp_path / "keys")

    return KeysConfig


def test_new_key_creates_a_private_key_outside_the_repository(runner, tmp_path):
    result = runner.invoke(args=["certificates", "new-key"])

    assert result.exit_code == 0, result.output
    [pem] = (tmp_path / "keys").glob("*.pem")
    assert pem.stat().st_mode & 0o777 == 0o600
    assert b"PRIVATE KEY" in pem.read_bytes()


def test_the_jwks_publishes_every_key_and_no_private_part(runner, client):
    runner.invoke(args=["certificates", "new-key"])
    runner.invoke(args=["certificates", "new-key"])

    response = client.get("/.well-known/jwks.json")

    keys = response.get_json()["keys"]
    assert response.status_code == 200 and len(keys) == 2
    assert all(set(k) == {"kty", "crv", "x", "kid", "alg", "use"} for k in keys)
    assert all(k["crv"] == "Ed25519" for k in keys)


def test_a_credential_signed_before_a_rotation_verifies_with_the_published_keys(
    app, runner, client
):
    from datetime import UTC, datetime

    from portal.credentials.keystore import signing_key

    runner.invoke(args=["certificates", "new-key"])
    old = signing_key()
    token = sign(
        achievement_credential(
            credential_id="https://localhost/verify/x",
            issuer={
                "id": "https://localhost/issuer",
                "name": "SRO Academy",
                "url": "https://localhost/",
            },
            holder_name="Ирина Петрова",
            achievement={
                "id": "a",
                "name": "Social Activator",
                "description": "d",
                "criteria": "c",
                "version": "v",
            },
            valid_from=datetime(2026, 1, 1, tzinfo=UTC),
        ),
        old,
    )
    runner.invoke(args=["certificates", "new-key"])

    published = load_jwks(client.get("/.well-known/jwks.json").get_json())

    assert signing_key().kid != old.kid
    assert verify(token, published).valid
