"""Read a participants CSV as spreadsheets write it, and report every bad row."""

import csv
import io
import unicodedata
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

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

    def __post_init__(self):
        # A plain string: templates escape it (a lazy string would pass as markup).
        self.message = str(self.message)


def decode(data):
    """Text from the uploaded bytes (UTF-8, with or without BOM), or a Problem."""
    if not data.strip():
        return Problem(1, _("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return Problem(
            1, _("This is a spreadsheet workbook. Save it as 'CSV UTF-8' first.")
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return Problem(line, _("This is not a text file. Save the sheet as CSV."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Problem(
            line, _("This line is not UTF-8 text. Save the sheet as 'CSV UTF-8'.")
        )
    if not text.strip():
        return Problem(1, _("The file is empty."))
    # Old Mac spreadsheets end lines with a bare carriage return.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def find_header(first_line):
    """Try comma, then semicolon; return (delimiter, column names) or None."""
    for delimiter in (",", ";"):
        names = next(csv.reader([first_line], delimiter=delimiter), [])
        columns = [COLUMNS.get(name.strip().lower()) for name in names]
        known = [column for column in columns if column]
        if all(column in columns for column in REQUIRED) and len(set(known)) == len(
            known
        ):
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
                _(
                    "The first line must name the columns name, email and role "
                    "(and optionally group) once each, separated by commas or "
                    "semicolons."
                ),
            )
        ]
    delimiter, columns = header
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader)

    participants, problems, seen = [], [], {}
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error:
            return [], [
                Problem(
                    reader.line_num,
                    _("This line cannot be read: check its quotes and its length."),
                )
            ]
        line = reader.line_num
        if not any(field.strip() for field in fields):
            continue
        if len(participants) + len(problems) >= MAX_ROWS:
            return [], [
                Problem(
                    line,
                    _(
                        "A file can hold at most %(count)s participants.",
                        count=MAX_ROWS,
                    ),
                )
            ]
        if len(fields) != len(columns):
            problems.append(
                Problem(
                    line,
                    _(
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
        problems.append(Problem(2, _("The file names its columns but holds no one.")))
    return participants, problems


def check_row(line, row, seen):
    name = single_line(row.get("name", ""))
    group = single_line(row.get("group", "")) or None
    role = ROLES.get(row.get("role", "").strip().lower())
    if not name:
        return None, Problem(line, _("The name is empty."))
    if len(name) > 120:
        return None, Problem(line, _("The name is longer than 120 characters."))
    try:
        email = normalise_address(row.get("email", ""))
    except EmailNotValidError:
        return None, Problem(
            line,
            _("'%(email)s' is not an email address.", email=row.get("email", "")[:80]),
        )
    if email in seen:
        return None, Problem(
            line,
            _("%(email)s is also on line %(other)s.", email=email, other=seen[email]),
        )
    if role is None:
        return None, Problem(
            line,
            _(
                "Unknown role '%(role)s': use ambassador, creator, activator or "
                "professional.",
                role=row.get("role", "")[:40],
            ),
        )
    if group and len(group) > 80:
        return None, Problem(line, _("The group is longer than 80 characters."))
    return Participant(line, name, email, role, group), None


def normalise_address(raw):
    """The canonical form of an email address; raises EmailNotValidError."""
    return validate_email(
        unicodedata.normalize("NFC", raw.strip()), check_deliverability=False
    ).normalized.lower()
