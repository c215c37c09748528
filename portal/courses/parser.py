"""Read a track folder into a Track, collecting every mistake as path:line."""

import hashlib
import os
import re
import unicodedata
from pathlib import Path

import yaml

from portal.courses.rendering import parser as markdown
from portal.courses.rendering import render, render_tokens
from portal.courses.structure import (
    EVIDENCE_KINDS,
    EXERCISE_KINDS,
    PHASES,
    QUESTION_TYPES,
    ROLES,
    Checklist,
    ChecklistItem,
    CourseError,
    Exercise,
    Lesson,
    Milestone,
    Module,
    Option,
    Question,
    Quiz,
    Track,
)

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ATTRIBUTES = re.compile(r"\{([^{}]*)\}\s*$")
TASK_MARKER = re.compile(r"^\[( |x|X)\]\s+")
# Phones type curly quotes where course authors write straight ones.
CURLY_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
)
SPECIAL_FILES = {"module.md", "quiz.md", "checklist.md"}
MAX_FILE_BYTES = 512 * 1024
MILESTONE_COUNT = 7
MILESTONE_HOURS = 76

TRACK_KEYS = {"title": True, "role": True, "summary": True}
MODULE_KEYS = {
    "title": True,
    "summary": True,
    "minutes": False,
    "exercises": False,
    "milestone": False,
}
LESSON_KEYS = {"title": True}
QUIZ_KEYS = {"title": True, "pass_mark": False, "cooldown_minutes": False}
CHECKLIST_KEYS = {"title": True}


class SourceFile:
    """One Markdown file: its front matter, its tokens and its mistakes."""

    def __init__(self, path, errors):
        self.path = path
        self.errors = errors
        self.name = display_path(path)
        self.meta = {}
        self.tokens = []
        self.ok = self._read()

    def error(self, line, message):
        self.errors.append(CourseError(self.name, line, message))

    def _read(self):
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self.error(1, "file is missing")
            return False
        except OSError as exc:
            self.error(1, f"cannot read file: {exc.strerror}")
            return False
        if len(raw) > MAX_FILE_BYTES:
            self.error(1, f"file is larger than {MAX_FILE_BYTES // 1024} KiB")
            return False
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.error(line, "file is not valid UTF-8")
            return False

        self.tokens = markdown.parse(text)
        if not self.tokens or self.tokens[0].type != "front_matter":
            self.error(1, "front matter (between two '---' lines) is missing")
            return False
        front = self.tokens.pop(0)
        try:
            meta = yaml.safe_load(front.content)
        except yaml.YAMLError as exc:
            # Point at the start of the construct that is broken, where known.
            mark = getattr(exc, "context_mark", None) or getattr(
                exc, "problem_mark", None
            )
            line = mark.line + 2 if mark else 1
            parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
            problem = ", ".join(p for p in parts if p) or "invalid YAML"
            self.error(line, f"front matter: {problem}")
            return False
        if not isinstance(meta, dict):
            self.error(1, "front matter must be a set of 'key: value' lines")
            return False
        self.meta = meta
        self.front_end_line = front.map[1] if front.map else 1
        return True

    def check_keys(self, spec):
        for key in self.meta:
            if key not in spec:
                self.error(self.key_line(key), f"unknown front matter key '{key}'")
        for key, required in spec.items():
            if required and not self.text(key):
                self.error(1, f"front matter needs '{key}'")

    def key_line(self, key):
        lines = self.path.read_text(encoding="utf-8-sig").splitlines()
        for number, line in enumerate(lines, start=1):
            if line.startswith(f"{key}:"):
                return number
        return 1

    def text(self, key):
        value = self.meta.get(key)
        return str(value).strip() if isinstance(value, str | int | float) else ""

    def integer(self, key, default, low, high):
        value = self.meta.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(self.key_line(key), f"'{key}' must be a whole number")
            return default
        if not low <= value <= high:
            self.error(self.key_line(key), f"'{key}' must be between {low} and {high}")
            return default
        return value


def display_path(path):
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def line_of(token):
    return token.map[0] + 1 if token.map else 0


def parse_attributes(text):
    """Split 'Question text {#id key=value flag}' into the text and its attributes."""
    match = ATTRIBUTES.search(text)
    if not match:
        return text.strip(), None
    attributes = {}
    for part in match.group(1).split():
        if part.startswith("#"):
            attributes["id"] = part[1:]
        elif "=" in part:
            key, _, value = part.partition("=")
            attributes[key] = value
        else:
            attributes[part] = True
    return text[: match.start()].strip(), attributes


def option_id(question_id, text):
    digest = hashlib.sha256(f"{question_id}\0{text}".encode()).hexdigest()
    return digest[:10]


def split_task(inline_text):
    match = TASK_MARKER.match(inline_text)
    if not match:
        return None, inline_text
    return match.group(1).lower() == "x", inline_text[match.end() :]


def block_end(tokens, start):
    """Index just past the block that opens at tokens[start]."""
    level = tokens[start].level
    index = start + 1
    while index < len(tokens):
        if tokens[index].level == level and tokens[index].nesting == -1:
            return index + 1
        index += 1
    return index


def list_items(source, tokens, start):
    """Yield (line, inline text) for each item of the list at tokens[start]."""
    end = block_end(tokens, start)
    index = start + 1
    while index < end - 1:
        token = tokens[index]
        if token.type == "list_item_open":
            item_end = block_end(tokens, index)
            inner = tokens[index + 1 : item_end - 1]
            blocks = [t for t in inner if t.level == token.level + 1 and t.nesting >= 0]
            if len(blocks) != 1 or blocks[0].type != "paragraph_open":
                source.error(line_of(token), "a list item must be one line of text")
                yield line_of(token), None
            else:
                yield line_of(token), inner[1].content
            index = item_end
        else:
            index += 1


def parse_quiz(path, errors):
    source = SourceFile(path, errors)
    if not source.ok:
        return None
    source.check_keys(QUIZ_KEYS)
    pass_mark = source.integer("pass_mark", 80, 1, 100)
    cooldown = source.integer("cooldown_minutes", 10, 0, 10080)

    tokens = source.tokens
    intro, questions, seen = [], [], set()
    headings = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.tag == "h2":
            headings += 1
            question, index = parse_question(source, tokens, index)
            if question is None:
                continue
            if question.id in seen:
                source.error(question.line, f"duplicate question id '{question.id}'")
            seen.add(question.id)
            questions.append(question)
            continue
        end = block_end(tokens, index) if token.nesting == 1 else index + 1
        if token.type == "heading_open":
            source.error(line_of(token), "questions are level-two headings ('## ')")
        elif questions:
            source.error(line_of(token), "unexpected content between questions")
        else:
            intro.extend(tokens[index:end])
        index = end

    if not headings:
        source.error(source.front_end_line, "the quiz has no questions")
    return Quiz(
        title=source.text("title"),
        pass_mark=pass_mark,
        cooldown_minutes=cooldown,
        intro_html=render_tokens(intro),
        questions=questions,
    )


def parse_question(source, tokens, start):
    line = line_of(tokens[start])
    text, attributes = parse_attributes(tokens[start + 1].content)
    index = start + 3
    prompt, items, explanation = [], None, None
    while index < len(tokens) and not (
        tokens[index].type == "heading_open" and tokens[index].tag == "h2"
    ):
        token = tokens[index]
        end = block_end(tokens, index) if token.nesting == 1 else index + 1
        if token.type == "bullet_list_open" and items is None:
            items = list(list_items(source, tokens, index))
        elif token.type == "blockquote_open" and explanation is None:
            explanation = tokens[index + 1 : end - 1]
        elif token.type == "paragraph_open" and items is None:
            prompt.extend(tokens[index:end])
        else:
            source.error(line_of(token), "unexpected content in a question")
        index = end

    if attributes is None:
        source.error(line, "question heading needs '{#id type=...}' at its end")
        return None, index
    question_id = attributes.get("id")
    kind = attributes.get("type")
    valid = True
    if not question_id or not ID_PATTERN.match(str(question_id)):
        source.error(line, "question id must be lowercase letters, digits, hyphens")
        valid = False
    if kind not in QUESTION_TYPES:
        source.error(
            line,
            f"unknown question type '{kind}' (use {', '.join(QUESTION_TYPES)})",
        )
        valid = False
    unknown = set(attributes) - {"id", "type"}
    if unknown:
        source.error(line, f"unknown question attribute '{sorted(unknown)[0]}'")
    if not text:
        source.error(line, "the question has no text")
        valid = False
    if items is None:
        source.error(line, "the question has no list of options")
        return None, index
    if not explanation:
        source.error(line, "the question has no explanation (a '>' blockquote)")
    if not valid:
        return None, index

    options = []
    for item_line, content in items:
        if content is None:
            continue
        correct, option_text = split_task(content)
        if correct is None:
            source.error(item_line, "an option must start with '[ ]' or '[x]'")
            continue
        option_text = option_text.strip()
        options.append(
            Option(
                id=option_id(question_id, option_text),
                html=render(option_text, inline=True),
                text=option_text,
                correct=correct,
            )
        )
    check_options(source, line, kind, options)
    return (
        Question(
            id=question_id,
            type=kind,
            html=render(text, inline=True),
            prompt_html=render_tokens(prompt),
            options=options,
            explanation_html=render_tokens(explanation or []),
            line=line,
        ),
        index,
    )


def check_options(source, line, kind, options):
    correct = [o for o in options if o.correct]
    texts = [normalise_text(o.text) for o in options]
    if len(set(texts)) != len(texts):
        source.error(line, "two options have the same text")
    if kind == "short":
        if not options:
            source.error(line, "a short question needs at least one accepted answer")
        elif len(correct) != len(options):
            source.error(line, "every accepted answer of a short question is '[x]'")
        return
    if len(options) < 2:
        source.error(line, "a question needs at least two options")
    if kind == "true-false" and sorted(texts) != ["false", "true"]:
        source.error(line, "a true-false question has exactly the options True, False")
    if kind in ("single", "true-false") and len(correct) != 1:
        source.error(line, f"a {kind} question needs exactly one '[x]' option")
    if kind == "multiple" and not correct:
        source.error(line, "no correct answer: mark at least one option '[x]'")


def normalise_text(text):
    """Compare typed answers without regard to case, accents and spacing."""
    text = text.translate(CURLY_QUOTES)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = stripped.casefold().split()
    return " ".join(words).strip(".,;:!?'\" ").strip()


def parse_checklist(path, errors):
    source = SourceFile(path, errors)
    if not source.ok:
        return None
    source.check_keys(CHECKLIST_KEYS)
    tokens = source.tokens
    intro, items, seen = [], [], set()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = block_end(tokens, index) if token.nesting == 1 else index + 1
        if token.type == "bullet_list_open":
            for line, content in list_items(source, tokens, index):
                item = parse_checklist_item(source, line, content)
                if item is None:
                    continue
                if item.id in seen:
                    source.error(line, f"duplicate checklist item id '{item.id}'")
                seen.add(item.id)
                items.append(item)
        elif items:
            source.error(line_of(token), "unexpected content after the checklist")
        else:
            intro.extend(tokens[index:end])
        index = end
    if not items:
        source.error(source.front_end_line, "the checklist has no items")
    return Checklist(
        title=source.text("title"), intro_html=render_tokens(intro), items=items
    )


def parse_checklist_item(source, line, content):
    if content is None:
        return None
    ticked, rest = split_task(content)
    if ticked is None:
        source.error(line, "a checklist item must start with '[ ]'")
        return None
    if ticked:
        source.error(line, "write checklist items unticked: '[ ]'")
    text, attributes = parse_attributes(rest)
    if attributes is None or not attributes.get("id"):
        source.error(line, "a checklist item needs '{#id}' at its end")
        return None
    item_id = str(attributes["id"])
    if not ID_PATTERN.match(item_id):
        source.error(line, "item id must be lowercase letters, digits, hyphens")
        return None
    evidence = attributes.get("evidence")
    if evidence is not None and evidence not in EVIDENCE_KINDS:
        source.error(line, f"evidence must be one of {', '.join(EVIDENCE_KINDS)}")
        evidence = None
    review = attributes.get("review") is True
    if review and evidence is None:
        source.error(
            line, "an item for review needs 'evidence=text' or 'evidence=link'"
        )
    unknown = set(attributes) - {"id", "evidence", "review"}
    if unknown:
        source.error(line, f"unknown item attribute '{sorted(unknown)[0]}'")
    if not text:
        source.error(line, "the checklist item has no text")
    return ChecklistItem(
        id=item_id, html=render(text, inline=True), evidence=evidence, review=review
    )


def parse_exercises(source):
    value = source.meta.get("exercises", [])
    line = source.key_line("exercises")
    if not isinstance(value, list):
        source.error(line, "'exercises' must be a list")
        return []
    exercises, seen = [], set()
    for entry in value:
        if not isinstance(entry, dict):
            source.error(line, "each exercise needs id, kind and description")
            continue
        exercise_id = str(entry.get("id", ""))
        kind = entry.get("kind")
        if not ID_PATTERN.match(exercise_id):
            source.error(line, "exercise id must be lowercase letters, digits, hyphens")
            continue
        if exercise_id in seen:
            source.error(line, f"duplicate exercise id '{exercise_id}'")
        seen.add(exercise_id)
        if kind not in EXERCISE_KINDS:
            source.error(line, f"unknown exercise kind '{kind}'")
            continue
        if not entry.get("description"):
            source.error(line, f"exercise '{exercise_id}' needs a description")
        params = {
            k: v for k, v in entry.items() if k not in {"id", "kind", "description"}
        }
        for key in sorted(set(params) - set(EXERCISE_KINDS[kind])):
            source.error(line, f"exercise '{exercise_id}': unknown key '{key}'")
        for key, number in params.items():
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                source.error(line, f"exercise '{exercise_id}': '{key}' must be >= 1")
        if "count" not in params:
            source.error(line, f"exercise '{exercise_id}' needs a 'count'")
        exercises.append(
            Exercise(
                id=exercise_id,
                kind=kind,
                description=str(entry.get("description", "")),
                params=params,
            )
        )
    return exercises


def parse_milestone(source):
    value = source.meta.get("milestone")
    line = source.key_line("milestone")
    if not isinstance(value, dict):
        source.error(line, "'milestone' needs number, phase, hours and deadline_weeks")
        return None
    numbers = {}
    for key, low, high in (
        ("number", 1, MILESTONE_COUNT),
        ("hours", 1, 500),
        ("deadline_weeks", 1, 260),
    ):
        number = value.get(key)
        if isinstance(number, bool) or not isinstance(number, int):
            source.error(line, f"milestone '{key}' must be a whole number")
            return None
        if not low <= number <= high:
            source.error(line, f"milestone '{key}' must be between {low} and {high}")
            return None
        numbers[key] = number
    if value.get("phase") not in PHASES:
        source.error(line, f"milestone phase must be one of {', '.join(PHASES)}")
        return None
    return Milestone(phase=value["phase"], **numbers)


def parse_module(directory, role, errors):
    source = SourceFile(directory / "module.md", errors)
    if not source.ok:
        return None
    source.check_keys(MODULE_KEYS)
    minutes = source.integer("minutes", 0, 0, 6000) or None
    milestone = None
    if role == "professional":
        milestone = parse_milestone(source)
    elif "milestone" in source.meta:
        source.error(
            source.key_line("milestone"), "only the Professional track has milestones"
        )

    lessons = []
    for path in sorted(directory.glob("*.md")):
        if path.name in SPECIAL_FILES:
            continue
        lesson = SourceFile(path, errors)
        if not lesson.ok:
            continue
        lesson.check_keys(LESSON_KEYS)
        slug = path.stem
        if not ID_PATTERN.match(slug):
            lesson.error(1, "lesson file names are lowercase letters, digits, hyphens")
        lessons.append(
            Lesson(
                slug=slug,
                title=lesson.text("title"),
                html=render_tokens(without_title_heading(lesson.tokens)),
            )
        )

    quiz_path, checklist_path = directory / "quiz.md", directory / "checklist.md"
    return Module(
        slug=directory.name,
        title=source.text("title"),
        summary=source.text("summary"),
        minutes=minutes,
        intro_html=render_tokens(without_title_heading(source.tokens)),
        lessons=lessons,
        quiz=parse_quiz(quiz_path, errors) if quiz_path.exists() else None,
        checklist=(
            parse_checklist(checklist_path, errors) if checklist_path.exists() else None
        ),
        exercises=parse_exercises(source),
        milestone=milestone,
    )


def without_title_heading(tokens):
    """Drop a leading '# Title': the page shows the front matter title itself."""
    if tokens and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        return tokens[3:]
    return tokens


def track_version(directory):
    """Hash every file of the track, so any edit gives a new version."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def load_track(directory):
    """Parse one track folder; return (track or None, list of CourseError)."""
    directory = Path(directory)
    errors = []
    source = SourceFile(directory / "track.md", errors)
    if not source.ok:
        return None, errors
    source.check_keys(TRACK_KEYS)
    role = source.text("role")
    if role and role not in ROLES:
        source.error(source.key_line("role"), f"role must be one of {', '.join(ROLES)}")
    if not ID_PATTERN.match(directory.name):
        source.error(1, "track folder names are lowercase letters, digits, hyphens")

    modules = []
    for child in sorted(p for p in directory.iterdir() if p.is_dir()):
        if not ID_PATTERN.match(child.name):
            errors.append(
                CourseError(
                    display_path(child),
                    1,
                    "module folder names are lowercase letters, digits, hyphens",
                )
            )
            continue
        module = parse_module(child, role, errors)
        if module is not None:
            modules.append(module)
    if not modules:
        source.error(1, "the track has no modules (folders with a module.md)")
    if role == "professional":
        check_milestones(source, modules)

    track = Track(
        slug=directory.name,
        title=source.text("title"),
        role=role,
        summary=source.text("summary"),
        intro_html=render_tokens(without_title_heading(source.tokens)),
        version=track_version(directory),
        modules=modules,
    )
    return (None if errors else track), errors


def check_milestones(source, modules):
    milestones = [m.milestone for m in modules if m.milestone]
    if len(milestones) != len(modules):
        return
    numbers = [m.number for m in milestones]
    if numbers != list(range(1, MILESTONE_COUNT + 1)):
        source.error(
            1, f"milestones must be numbered 1 to {MILESTONE_COUNT} in module order"
        )
    hours = sum(m.hours for m in milestones)
    if hours != MILESTONE_HOURS:
        source.error(1, f"milestone hours add up to {hours}, not {MILESTONE_HOURS}")
    weeks = [m.deadline_weeks for m in milestones]
    if weeks != sorted(weeks):
        source.error(1, "milestone deadlines must not go back in time")


def discover_tracks(root):
    """Yield every folder under root that should hold a track."""
    root = Path(root)
    if not root.is_dir():
        return
    for child in sorted(root.iterdir()):
        if child.is_dir() and not child.name.startswith((".", "_")):
            yield child
