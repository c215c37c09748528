from flask import jsonify

from portal.credentials import bp
from portal.credentials.keystore import public_jwks


@bp.get("/.well-known/jwks.json")
def jwks():
    """The issuer's public keys, for anyone who verifies a credential."""
    response = jsonify(public_jwks())
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
