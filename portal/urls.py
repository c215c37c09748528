"""Helpers for URLs that come from users."""

from urllib.parse import urlsplit

from flask import request, url_for


def is_safe_next(target):
    """Accept only a path on this site, never another host."""
    if not target or len(target) > 2000:
        return False
    if "\\" in target or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/")


def next_url(default_endpoint="learning.dashboard"):
    target = request.values.get("next")
    return target if is_safe_next(target) else url_for(default_endpoint)
