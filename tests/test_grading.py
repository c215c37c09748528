"""Server-side grading of every question type."""

import random
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from portal.courses.grading import AnswerError, clean_answers, grade, shuffled_layout
from portal.courses.parser import load_track, normalise_text

SAMPLE = Path(__file__).parent / "fixtures" / "courses" / "sample"


@pytest.fixture(scope="module")
def quiz():
    track, errors = load_track(SAMPLE)
    assert errors == []
    return track.modules[0].quiz


def option(quiz, question_id, text):
    question = quiz.question(question_id)
    return next(o.id for o in question.options if o.text == text)


def answers_for(quiz, **given):
    form = MultiDict()
    for question_id, values in given.items():
        for value in values if isinstance(values, list) else [values]:
            form.add(f"q-{question_id.replace('_', '-')}", value)
    return clean_answers(quiz, form)


def correct_form(quiz):
    return {
        "owner": option(quiz, "owner", "A professional"),
        "roles": [option(quiz, "roles", "Creator"), option(quiz, "roles", "Activator")],
        "own_accounts": option(quiz, "own-accounts", "True"),
        "model": "Fogg model",
    }


def test_all_correct_answers_score_full_marks(quiz):
    results, correct, score, passed = grade(
        quiz, answers_for(quiz, **correct_form(quiz))
    )

    assert [r.correct for r in results] == [True, True, True, True]
    assert (correct, score, passed) == (4, 100, True)


def test_single_choice_wrong_option_is_wrong(quiz):
    form = correct_form(quiz) | {"owner": option(quiz, "owner", "The vendor")}

    results, correct, score, passed = grade(quiz, answers_for(quiz, **form))

    assert results[0].correct is False
    assert (correct, score, passed) == (3, 75, True)


@pytest.mark.parametrize(
    "chosen",
    [["Creator"], ["Creator", "Activator", "Influencer"], []],
    ids=["missing one", "one too many", "none"],
)
def test_multiple_choice_needs_exactly_the_correct_set(quiz, chosen):
    form = correct_form(quiz) | {"roles": [option(quiz, "roles", t) for t in chosen]}

    results, *_ = grade(quiz, answers_for(quiz, **form))

    assert results[1].correct is False


def test_true_false_false_is_wrong(quiz):
    form = correct_form(quiz) | {"own_accounts": option(quiz, "own-accounts", "False")}

    results, *_ = grade(quiz, answers_for(quiz, **form))

    assert results[2].correct is False


@pytest.mark.parametrize(
    "typed",
    [
        "Fogg model",
        "fogg MODEL",
        "  Fogg   model ",
        "Fögg model",
        "FOGG",
        "Fogg model.",
        "Fogg\tBehavior\nModel",
        "ＦＯＧＧ",
    ],
)
def test_short_answers_ignore_case_accents_and_spacing(quiz, typed):
    form = correct_form(quiz) | {"model": typed}

    results, *_ = grade(quiz, answers_for(quiz, **form))

    assert results[3].correct is True


@pytest.mark.parametrize("typed", ["", "Maslow", "Fog model", "Fogg model extra"])
def test_short_answers_that_differ_are_wrong(quiz, typed):
    form = correct_form(quiz) | {"model": typed}

    results, *_ = grade(quiz, answers_for(quiz, **form))

    assert results[3].correct is False


def test_unanswered_questions_count_as_wrong(quiz):
    results, correct, score, passed = grade(quiz, answers_for(quiz))

    assert correct == 0 and score == 0 and passed is False


def test_below_the_pass_mark_fails(quiz):
    form = correct_form(quiz) | {
        "owner": option(quiz, "owner", "The vendor"),
        "model": "Maslow",
    }

    *_, score, passed = grade(quiz, answers_for(quiz, **form))

    assert score == 50 and passed is False


@pytest.mark.parametrize(
    "form",
    [
        MultiDict({"q-owner": "not-an-option"}),
        MultiDict({"q-owner": "1 OR 1=1"}),
        MultiDict([("q-owner", "a"), ("q-owner", "b")]),
        MultiDict({"q-unknown-question": "x"}),
        MultiDict({"q-model": "x" * 201}),
    ],
    ids=["unknown id", "sql", "two for single", "unknown question", "too long"],
)
def test_answers_the_quiz_did_not_offer_are_refused(quiz, form):
    with pytest.raises(AnswerError):
        clean_answers(quiz, form)


def test_option_ids_of_one_question_do_not_fit_another(quiz):
    form = MultiDict({"q-owner": option(quiz, "roles", "Creator")})

    with pytest.raises(AnswerError):
        clean_answers(quiz, form)


def test_each_attempt_gets_its_own_option_order(quiz):
    orders = {
        tuple(shuffled_layout(quiz, random.Random(seed))[0]["options"])
        for seed in range(20)
    }

    assert len(orders) > 1
    assert len({tuple(sorted(order)) for order in orders}) == 1


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  Crème   Brûlée ", "creme brulee"),
        ("pillar .", "pillar"),
        ("\u201cIt\u2019s\u201d", "it's"),
    ],
)
def test_normalise_text_examples(typed, expected):
    assert normalise_text(typed) == expected
