"""The 1EdTech Open Badges 3.0 AchievementCredential, in the W3C VC 2.0 data model."""

from datetime import UTC

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def timestamp(moment):
    """An XML Schema dateTime in UTC, as the data model asks."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def achievement_credential(
    *,
    credential_id,
    issuer,
    holder_name,
    achievement,
    valid_from,
    valid_until=None,
):
    """Return the credential as a dict.

    issuer: {"id", "name", "url"}; achievement: {"id", "name", "description",
    "criteria", "version"}. The holder is named in an IdentityObject, so that
    the public verification page and the credential tell the same name.
    """
    credential = {
        "@context": CONTEXTS,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer["id"],
            "type": ["Profile"],
            "name": issuer["name"],
            "url": issuer["url"],
        },
        "validFrom": timestamp(valid_from),
        "name": achievement["name"],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": holder_name,
                }
            ],
            "achievement": {
                "id": achievement["id"],
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": achievement["name"],
                "description": achievement["description"],
                "criteria": {"narrative": achievement["criteria"]},
                "version": achievement["version"],
            },
        },
    }
    if valid_until is not None:
        credential["validUntil"] = timestamp(valid_until)
    return credential


def holder_name(credential):
    for identity in credential.get("credentialSubject", {}).get("identifier", []):
        if identity.get("identityType") == "name" and not identity.get("hashed"):
            return identity.get("identityHash")
    return None
