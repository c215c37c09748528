"""The OpenAPI description of the public certificate API."""


def description(server_url):
    certificate = {
        "type": "object",
        # Dates, course version and organisation appear as the holder chose.
        "required": ["id", "code", "status", "holder", "track", "checks"],
        "properties": {
            "id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
            "code": {"type": "string", "example": "ABCDE-FGHJK"},
            "status": {
                "type": "string",
                "enum": ["valid", "expired", "revoked", "invalid"],
            },
            "revocation_reason": {"type": ["string", "null"]},
            "holder": {"type": "string"},
            "track": {"type": "string"},
            "course_version": {"type": "string"},
            "issued_at": {"type": "string", "format": "date-time"},
            "valid_until": {"type": ["string", "null"], "format": "date-time"},
            "organisation": {"type": "string"},
            "issuer": {"type": "string"},
            "checks": {
                "type": "object",
                "properties": {
                    name: {"type": "boolean"}
                    for name in ("signature", "key", "revocation", "expiry")
                },
            },
            "credential_url": {"type": "string", "format": "uri"},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SRO Academy certificates",
            "version": "1",
            "description": "Check a certificate without an account. Requests are "
            "rate-limited; the signed credential can also be verified offline "
            "against /.well-known/jwks.json.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/v1/certificates/{id}": {
                "get": {
                    "summary": "The authoritative record of one certificate",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The certificate and its checks",
                            "content": {"application/json": {"schema": certificate}},
                        },
                        "404": {"description": "No such certificate"},
                        "429": {"description": "Too many requests"},
                    },
                }
            }
        },
    }
