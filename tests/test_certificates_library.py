"""The certificates library on its own: signing, forgeries, baking, QR, the CLI."""

import base64
import io
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
import zxingcpp
from PIL import Image

from certificates import KeyPair, achievement_credential, load_jwks, sign, verify
from certificates.__main__ import main as cli
from certificates.credential import holder_name
from certificates.images import badge_image, bake, qr_png, unbake
from certificates.keys import jwks

ISSUER = {
    "id": "https://academy.example/issuer",
    "name": "SRO Academy",
    "url": "https://academy.example/",
}
ACHIEVEMENT = {
    "id": "https://academy.example/achievements/ambassador/abc123",
    "name": "Social Ambassador",
    "description": "Shares the company's prepared posts with a personal comment.",
    "criteria": "Passed every quiz and finished the practical checklist.",
    "version": "abc123",
}
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def credential(valid_until=None, name="Αλέξανδρος Παπαδόπουλος"):
    return achievement_credential(
        credential_id="https://academy.example/verify/7c4f",
        issuer=ISSUER,
        holder_name=name,
        achievement=ACHIEVEMENT,
        valid_from=NOW - timedelta(days=1),
        valid_until=valid_until,
    )


@pytest.fixture(scope="module")
def key():
    return KeyPair.generate()


@pytest.fixture(scope="module")
def keys(key):
    return load_jwks(jwks([key]))


def segments(token):
    return token.split(".")


def encode_segment(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def decode_segment(segment):
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def test_a_signed_credential_verifies_with_every_check(key, keys):
    token = sign(credential(), key)

    result = verify(token, keys, now=NOW)

    assert result.valid, result.checks
    assert [c.name for c in result.checks] == [
        "format",
        "algorithm",
        "key",
        "signature",
        "validity",
    ]
    assert holder_name(result.credential) == "Αλέξανδρος Παπαδόπουλος"
    assert result.credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["kid"], header["typ"]) == ("EdDSA", key.kid, "vc+jwt")


def forged_payload(token):
    head, body, signature = segments(token)
    claims = decode_segment(body)
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"
    return ".".join([head, encode_segment(claims), signature])


def foreign_key_same_kid(token, key):
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["name"] = "SRO Professional"
    return jwt.encode(
        claims,
        KeyPair.generate().private_key,
        algorithm="EdDSA",
        headers={"kid": key.kid, "typ": "vc+jwt"},
    )


def alg_none(token):
    _, body, _ = segments(token)
    return ".".join([encode_segment({"alg": "none", "typ": "vc+jwt"}), body, ""])


def unknown_kid(token):
    claims = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode(
        claims,
        KeyPair.generate().private_key,
        algorithm="EdDSA",
        headers={"kid": "20990101-deadbeef"},
    )


def hs256_with_public_key(token, key):
    claims = jwt.decode(token, options={"verify_signature": False})
    head = encode_segment({"alg": "HS256", "kid": key.kid})
    body = encode_segment(claims)
    import hashlib
    import hmac

    secret = json.dumps(key.public_jwk()).encode()
    signature = (
        base64.urlsafe_b64encode(
            hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
        )
        .rstrip(b"=")
        .decode()
    )
    return f"{head}.{body}.{signature}"


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        (lambda t, k: forged_payload(t), "signature does not match"),
        (foreign_key_same_kid, "signature does not match"),
        (lambda t, k: alg_none(t), "'none' is not accepted"),
        (lambda t, k: unknown_kid(t), "is not one of the issuer's keys"),
        (hs256_with_public_key, "'HS256' is not accepted"),
        (lambda t, k: t[: len(t) // 2], "not a compact JWT"),
        (lambda t, k: t[:-10], "signature does not match"),
        (lambda t, k: "", "not a compact JWT"),
        (lambda t, k: "a.b.c", "header is not readable"),
    ],
    ids=[
        "edited payload",
        "foreign key, our kid",
        "alg none",
        "unknown kid",
        "HS256 confusion",
        "truncated",
        "cut signature",
        "empty",
        "garbage",
    ],
)
def test_every_forgery_is_rejected_with_its_reason(key, keys, forge, reason):
    result = verify(forge(sign(credential(), key), key), keys, now=NOW)

    assert not result.valid
    assert reason in result.reason


def test_a_swapped_key_id_is_rejected(key):
    other = KeyPair.generate()
    token = sign(credential(), key)
    claims = jwt.decode(token, options={"verify_signature": False})
    head = encode_segment({**jwt.get_unverified_header(token), "kid": other.kid})
    swapped = ".".join([head, encode_segment(claims), segments(token)[2]])

    result = verify(swapped, load_jwks(jwks([key, other])), now=NOW)

    assert not result.valid and "signature does not match" in result.reason


def test_an_expired_credential_says_when_it_expired(key, keys):
    token = sign(credential(valid_until=NOW - timedelta(hours=1)), key)

    result = verify(token, keys, now=NOW)

    assert not result.valid
    assert result.reason == "expired on 2026-12-03T11:00:00Z"
    assert [c.passed for c in result.checks][:4] == [True] * 4


def test_old_credentials_verify_after_a_key_rotation(key):
    old_token = sign(credential(), key)
    new_key = KeyPair.generate()
    published = load_jwks(jwks([new_key, key]))

    assert verify(old_token, published, now=NOW).valid
    assert verify(sign(credential(), new_key), published, now=NOW).valid


def test_a_key_survives_a_trip_through_pem(key):
    again = KeyPair.from_pem(key.kid, key.private_pem())

    assert verify(sign(credential(), again), load_jwks(jwks([key])), now=NOW).valid


def test_a_baked_badge_carries_the_credential(key, keys):
    token = sign(credential(), key)

    png = bake(token, badge_image("Social Ambassador"))

    assert Image.open(io.BytesIO(png)).format == "PNG"
    assert unbake(png) == token
    assert verify(unbake(png), keys, now=NOW).valid


def test_a_badge_with_an_altered_credential_is_rejected(key, keys):
    png = bake(
        forged_payload(sign(credential(), key)), badge_image("Social Ambassador")
    )

    assert not verify(unbake(png), keys, now=NOW).valid


@pytest.mark.parametrize("data", [b"", b"not a png", qr_png("https://x.example/")])
def test_unbaking_something_else_finds_nothing(data):
    assert unbake(data) is None


def test_the_qr_code_reads_back_as_the_url():
    url = "https://academy.example/verify/7c4f9a2e-8d1b"

    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(url))))

    assert found.text == url


def test_the_cli_verifies_each_export_with_only_the_jwks(tmp_path, key, capsys):
    token = sign(credential(valid_until=datetime(2099, 1, 1, tzinfo=UTC)), key)
    keys_file = tmp_path / "jwks.json"
    keys_file.write_text(json.dumps(jwks([key])))
    files = {
        "credential.jwt": token.encode(),
        "credential.json": json.dumps({"jwt": token}).encode(),
        "badge.png": bake(token, badge_image("Social Ambassador")),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

        status = cli(["verify", str(tmp_path / name), "--keys", str(keys_file)])

        output = capsys.readouterr().out
        assert status == 0, output
        assert "VALID  Social Ambassador for Αλέξανδρος Παπαδόπουλος" in output
        assert "ok    signature: signed by the issuer's key" in output


def test_the_cli_fails_with_the_reason_on_a_forgery(tmp_path, key, capsys):
    (tmp_path / "forged.jwt").write_text(forged_payload(sign(credential(), key)))
    keys_file = tmp_path / "jwks.json"
    keys_file.write_text(json.dumps(jwks([key])))

    status = cli(["verify", str(tmp_path / "forged.jwt"), "--keys", str(keys_file)])

    output = capsys.readouterr().out
    assert status == 1
    assert "FAIL  signature: the signature does not match the content" in output
    assert "INVALID" in output


def test_the_cli_prints_no_terminal_control_characters(tmp_path, key, capsys):
    token = sign(credential(), key)
    head, body, signature = token.split(".")
    header = {**decode_segment(head), "crit": ["x\r\x1b[2K\x1b[1AVALID  for Mallory"]}
    (tmp_path / "sneaky.jwt").write_text(
        ".".join([encode_segment(header), body, signature])
    )
    (tmp_path / "jwks.json").write_text(json.dumps(jwks([key])))

    status = cli(
        ["verify", str(tmp_path / "sneaky.jwt"), "--keys", str(tmp_path / "jwks.json")]
    )

    output = capsys.readouterr().out
    assert status == 1
    assert "\x1b" not in output and "\r" not in output


@pytest.mark.parametrize(
    ("content", "keys", "status"),
    [
        ("[" * 5000 + "]" * 5000, {"keys": []}, 1),
        ("{" + '"jwt":' * 1 + "[" * 5000 + "]" * 5000 + "}", {"keys": []}, 1),
        ("a.b.c", [1, 2], 2),
        ("a.b.c", {"keys": ["not an object", 3]}, 1),
    ],
    ids=["nested header", "nested export", "JWKS is a list", "odd keys"],
)
def test_the_cli_fails_cleanly_on_malformed_input(
    tmp_path, capsys, content, keys, status
):
    (tmp_path / "input").write_text(content)
    (tmp_path / "jwks.json").write_text(json.dumps(keys))

    assert (
        cli(["verify", str(tmp_path / "input"), "--keys", str(tmp_path / "jwks.json")])
        == status
    )
    assert "FAIL" in capsys.readouterr().out


def test_unbaking_does_not_decode_the_pixels(key):
    token = sign(credential(), key)
    big = Image.new("1", (9000, 9000))

    assert unbake(bake(token, big)) == token
