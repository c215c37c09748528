"""Clean-up of text people type."""

import unicodedata


def single_line(value):
    """Drop control and invisible formatting characters from a name or address,
    and fold white space."""
    if value is None:
        return value
    kept = "".join(c for c in value if unicodedata.category(c) not in ("Cc", "Cf"))
    return " ".join(kept.split())


def spreadsheet_safe(text):
    """Keep a spreadsheet from reading a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
