"""python -m certificates verify FILE --keys JWKS-FILE-OR-URL"""

import argparse
import json
import sys

from certificates.credential import holder_name
from certificates.images import unbake
from certificates.keys import load_jwks
from certificates.signing import plain, verify


def read_token(path):
    """The VC-JWT in a .jwt file, a JSON export or a baked PNG."""
    with open(path, "rb") as handle:
        data = handle.read(16 * 1024 * 1024)
    if data.startswith(b"\x89PNG"):
        return unbake(data)
    text = data.decode("utf-8", errors="replace").strip()
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            return None
        token = document.get("jwt") if isinstance(document, dict) else None
        return token if isinstance(token, str) else None
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m certificates")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("verify", help="verify a credential offline")
    check.add_argument("file", help="a .jwt file, a JSON export or a baked PNG badge")
    check.add_argument(
        "--keys", required=True, help="the issuer's JWKS, as a file or an https URL"
    )
    arguments = parser.parse_args(argv)

    token = read_token(arguments.file)
    if not token:
        print(f"FAIL  {arguments.file}: no signed credential found in it")
        return 1
    try:
        keys = load_jwks(arguments.keys)
    except (OSError, ValueError, RecursionError) as error:
        print(f"FAIL  cannot read the keys: {plain(error)}")
        return 2

    result = verify(token, keys)
    for check in result.checks:
        print(f"{'ok  ' if check.passed else 'FAIL'}  {check.name}: {check.detail}")
    print("revocation: not checked offline; the verification page tells the status")
    if result.valid:
        credential = result.credential
        subject = credential["credentialSubject"]
        print(
            f"VALID  {plain(credential['name'])} for {plain(holder_name(credential))}"
        )
        print(f"       {plain(credential['id'])}")
        print(
            f"       achievement version {plain(subject['achievement'].get('version'))}"
        )
        return 0
    print(f"INVALID  {result.reason}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
