"""Read a participants CSV as spreadsheets write it, and report every bad row."""

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from portal.text import single_line

MAX_ROWS = 5000
MAX_BYTES = 1024 * 1024
# Accepted column names, English and Dutch, mapped to ours.
COLUMNS = {
    "name": "name",
    "naam": "name",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "e-mailadres": "email",
    "role": "role",
    "rol": "role",
    "group": "group",
    "groep": "group",
    "team": "group",
}
REQUIRED = ("name", "email", "role")
ROLES = {
    "ambassador": "ambassador",
    "social ambassador": "ambassador",
    "creator": "creator",
    "social creator": "creator",
    "activator": "activator",
    "social activator": "activator",
    "professional": "professional",
    "sro professional": "professional",
}


@dataclass
class Participant:
    line: int
    name: str
    email: str
    role: str
    group: str | None


@dataclass
class Problem:
    line: int
    message: str


def decode(data):
    """Text from the uploaded bytes (UTF-8, with or without BOM), or a Problem."""
    if not data.strip():
        return Problem(1, _l("The file is empty."))
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return Problem(line, _l("This is not a text file. Save the sheet as CSV."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Problem(
            line, _l("This line is not UTF-8 text. Save the sheet as 'CSV UTF-8'.")
        )


def find_header(first_line):
    """Try comma, then semicolon; return (delimiter, column names) or None."""
    for delimiter in (",", ";"):
        names = next(csv.reader([first_line], delimiter=delimiter), [])
        columns = [COLUMNS.get(name.strip().lower()) for name in names]
        if all(column in columns for column in REQUIRED):
            return delimiter, columns
    return None


def parse_participants(data):
    """Return (participants, problems); any problem means nothing is imported."""
    text = decode(data)
    if isinstance(text, Problem):
        return [], [text]
    first_line = text.splitlines()[0]
    header = find_header(first_line)
    if header is None:
        return [], [
            Problem(
                1,
                _l(
                    "The first line must name the columns name, email and role "
                    "(and optionally group), separated by commas or semicolons."
                ),
            )
        ]
    delimiter, columns = header
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader)

    participants, problems, seen = [], [], {}
    for fields in reader:
        line = reader.line_num
        if not any(field.strip() for field in fields):
            continue
        if len(participants) + len(problems) >= MAX_ROWS:
            return [], [
                Problem(
                    line,
                    _l(
                        "A file can hold at most %(count)s participants.",
                        count=MAX_ROWS,
                    ),
                )
            ]
        if len(fields) != len(columns):
            problems.append(
                Problem(
                    line,
                    _l(
                        "Expected %(expected)s fields, found %(found)s.",
                        expected=len(columns),
                        found=len(fields),
                    ),
                )
            )
            continue
        row = {
            column: value
            for column, value in zip(columns, fields, strict=True)
            if column
        }
        participant, problem = check_row(line, row, seen)
        if problem:
            problems.append(problem)
        else:
            seen[participant.email] = line
            participants.append(participant)
    if not participants and not problems:
        problems.append(Problem(2, _l("The file names its columns but holds no one.")))
    return participants, problems


def check_row(line, row, seen):
    name = single_line(row.get("name", ""))
    group = single_line(row.get("group", "")) or None
    role = ROLES.get(row.get("role", "").strip().lower())
    if not name:
        return None, Problem(line, _l("The name is empty."))
    if len(name) > 120:
        return None, Problem(line, _l("The name is longer than 120 characters."))
    try:
        email = validate_email(
            row.get("email", "").strip(), check_deliverability=False
        ).normalized.lower()
    except EmailNotValidError:
        return None, Problem(
            line,
            _l("'%(email)s' is not an email address.", email=row.get("email", "")[:80]),
        )
    if email in seen:
        return None, Problem(
            line,
            _l("%(email)s is also on line %(other)s.", email=email, other=seen[email]),
        )
    if role is None:
        return None, Problem(
            line,
            _l(
                "Unknown role '%(role)s': use ambassador, creator, activator or "
                "professional.",
                role=row.get("role", "")[:40],
            ),
        )
    if group and len(group) > 80:
        return None, Problem(line, _l("The group is longer than 80 characters."))
    return Participant(line, name, email, role, group), None
