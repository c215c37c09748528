"""Grade quiz answers on the server; no Flask, so tests call it directly."""

import random
from dataclasses import dataclass

from portal.courses.parser import normalise_text

MAX_SHORT_ANSWER = 200


class AnswerError(ValueError):
    """The submitted answers do not fit the quiz (tampered or stale form)."""


@dataclass
class QuestionResult:
    question_id: str
    correct: bool
    given: list[str]


def shuffled_layout(quiz, rng=None):
    """Question and option order for one attempt: questions in course order,
    options shuffled."""
    rng = rng or random.SystemRandom()
    layout = []
    for question in quiz.questions:
        option_ids = [o.id for o in question.options]
        if question.type != "short":
            rng.shuffle(option_ids)
        layout.append({"question": question.id, "options": option_ids})
    return layout


def clean_answers(quiz, form):
    """Turn a submitted form (a MultiDict or dict of lists) into answers per
    question, refusing anything the quiz did not offer."""
    answers = {}
    for question in quiz.questions:
        values = [v for v in form.getlist(f"q-{question.id}") if v != ""]
        if question.type == "short":
            if len(values) > 1:
                raise AnswerError("one answer per question, please")
            if values and len(values[0]) > MAX_SHORT_ANSWER:
                raise AnswerError(
                    f"answers are at most {MAX_SHORT_ANSWER} characters long"
                )
            answers[question.id] = [values[0].strip()] if values else []
            continue
        if question.type in ("single", "true-false") and len(values) > 1:
            raise AnswerError("choose only one option for this question")
        for value in values:
            if question.option(value) is None:
                raise AnswerError("an answer does not belong to this quiz")
        answers[question.id] = sorted(set(values))
    known = {f"q-{q.id}" for q in quiz.questions}
    extra = [key for key in form if key.startswith("q-") and key not in known]
    if extra:
        raise AnswerError("an answer does not belong to this quiz")
    return answers


def is_correct(question, given):
    if question.type == "short":
        if not given:
            return False
        typed = normalise_text(given[0])
        return any(typed == normalise_text(o.text) for o in question.options)
    return bool(given) and set(given) == question.correct_ids


def grade(quiz, answers):
    """Return (results per question, number correct, percentage, passed)."""
    results = [
        QuestionResult(
            q.id, is_correct(q, answers.get(q.id, [])), answers.get(q.id, [])
        )
        for q in quiz.questions
    ]
    correct = sum(r.correct for r in results)
    percentage = round(100 * correct / len(results)) if results else 0
    return results, correct, percentage, percentage >= quiz.pass_mark
