"""Helpers for URLs that come from users."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for


def is_safe_next(target):
    """Accept only a path on this site, never another host."""
    if not target or len(target) > 2000:
        return False
    if "\\" in target or any(ord(c) < 32 for c in target):
        return False
    # Browsers read '//host' (and '///host' after clean-up) as another site.
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def next_url(default_endpoint="learning.dashboard"):
    target = request.values.get("next")
    return target if is_safe_next(target) else url_for(default_endpoint)


def external_url(endpoint, **values):
    """An absolute link for emails, built from the configured address of the
    site rather than from the request's Host header, which a client controls."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    # Commands run without a request; give url_for one at the public address.
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
