"""Type checks at load time: names, choice codes, kinds of operands."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from questionnaire.definition.model import (
    Choice,
    Question,
    QuestionType,
    Repeat,
    Section,
    SpecialCode,
)
from questionnaire.expressions import (
    ExpressionError,
    ExprType,
    Kind,
    check_types,
    context_types,
    parse_expression,
    type_of_question,
    type_of_repeat,
)

MakeQuestion = Callable[..., Question]
Env = dict[str, ExprType]


@pytest.fixture
def make_question() -> MakeQuestion:
    """Factory: ``make_question(name, type, codes=(), special=())``."""

    def make(
        name: str, type_: QuestionType, codes: tuple[str, ...] = (), special: tuple[str, ...] = ()
    ) -> Question:
        return Question(
            name=name,
            type=type_,
            label={"fr": name, "en": name},
            choices=[Choice(code=c, label={"fr": c, "en": c}) for c in codes],
            special=[SpecialCode(s) for s in special],
        )

    return make


@pytest.fixture
def env(make_question: MakeQuestion) -> Env:
    """Names of a small victimisation questionnaire and their types."""
    q = make_question
    safety = ("very_safe", "reasonably_safe", "somewhat_unsafe", "very_unsafe")
    questions = [
        q("walk_alone_dark", QuestionType.SINGLE_CHOICE, safety, ("dont_know",)),
        q("avoid", QuestionType.MULTIPLE_CHOICE, ("places", "routine", "none"), ("prefer_not",)),
        q("consent", QuestionType.CONSENT),
        q("has_vehicle", QuestionType.YES_NO),
        q("age", QuestionType.INTEGER, special=("dont_know",)),
        q("income", QuestionType.DECIMAL),
        q("comment", QuestionType.TEXT),
        q("moved_in", QuestionType.DATE),
        q("incident_month", QuestionType.YEAR_MONTH),
        q("intro", QuestionType.NOTE),
    ]
    incident = Section(
        name="incident_report",
        title={"fr": "Incident", "en": "Incident"},
        repeat=Repeat(name="incident", count="3", max=5),
        questions=[
            q("reported", QuestionType.YES_NO, special=("dont_know",)),
            q("times", QuestionType.INTEGER),
            q("place", QuestionType.SINGLE_CHOICE, ("home", "near_home")),
        ],
    )
    names: Env = {question.name: type_of_question(question) for question in questions}
    names["incident"] = type_of_repeat(incident)
    names["total"] = ExprType(Kind.ANY)
    names.update(context_types(["fr", "en"]))
    return names


@pytest.mark.parametrize(
    ("type_", "codes", "kind", "expected_codes"),
    [
        (QuestionType.SINGLE_CHOICE, ("a", "b"), Kind.CHOICE, {"a", "b"}),
        (QuestionType.MULTIPLE_CHOICE, ("a", "b"), Kind.CHOICES, {"a", "b"}),
        (QuestionType.YES_NO, (), Kind.CHOICE, {"yes", "no"}),
        (QuestionType.CONSENT, (), Kind.CHOICE, {"yes", "no"}),
        (QuestionType.INTEGER, (), Kind.NUMBER, set()),
        (QuestionType.DECIMAL, (), Kind.NUMBER, set()),
        (QuestionType.RATING, (), Kind.NUMBER, set()),
        (QuestionType.TEXT, (), Kind.TEXT, set()),
        (QuestionType.LONG_TEXT, (), Kind.TEXT, set()),
        (QuestionType.DATE, (), Kind.DATE, set()),
        (QuestionType.YEAR_MONTH, (), Kind.YEAR_MONTH, set()),
        (QuestionType.NOTE, (), Kind.NULL, set()),
    ],
)
def test_type_of_question(
    make_question: MakeQuestion,
    type_: QuestionType,
    codes: tuple[str, ...],
    kind: Kind,
    expected_codes: set[str],
) -> None:
    found = type_of_question(make_question("q", type_, codes, ("dont_know",)))
    assert found == ExprType(
        kind, codes=frozenset(expected_codes), specials=frozenset({"dont_know"})
    )


def test_repeat_types_are_hashable_and_list_their_members(env: Env) -> None:
    incident = env["incident"]
    assert incident.kind is Kind.REPEAT
    assert set(incident.members) == {"index", "reported", "times", "place"}
    assert incident.members["place"].codes == {"home", "near_home"}
    rebuilt = ExprType(Kind.REPEAT, members=dict(incident.members))
    assert hash(rebuilt) == hash(incident)
    assert rebuilt == incident


WELL_TYPED = [
    ("walk_alone_dark in ['somewhat_unsafe', 'very_unsafe']", Kind.BOOL),
    ("walk_alone_dark == 'dont_know'", Kind.BOOL),
    ("walk_alone_dark != null", Kind.BOOL),
    ("consent == 'yes' and has_vehicle == 'no'", Kind.BOOL),
    ("'places' in avoid", Kind.BOOL),
    ("avoid == 'prefer_not'", Kind.BOOL),
    ("count(avoid)", Kind.NUMBER),
    ("age >= 15 or age == 'dont_know'", Kind.BOOL),
    ("coalesce(age, 0) + income * 2", Kind.NUMBER),
    ("-age % 3", Kind.NUMBER),
    ("moved_in + 30", Kind.DATE),
    ("today - moved_in", Kind.NUMBER),
    ("moved_in < reference_date", Kind.BOOL),
    ("incident_month >= reference_month", Kind.BOOL),
    ("incident_month >= moved_in", Kind.BOOL),
    ("year(moved_in) + month(incident_month)", Kind.NUMBER),
    ("comment < 'm'", Kind.BOOL),
    ("count(incident)", Kind.NUMBER),
    ("count(incident, reported == 'yes' and place == 'home')", Kind.NUMBER),
    ("count(incident, index > 1 and age > 15)", Kind.NUMBER),
    ("sum(incident, coalesce(times, 0))", Kind.NUMBER),
    ("min(count(incident), 5)", Kind.NUMBER),
    ("max(moved_in, date('2020-01-01'))", Kind.DATE),
    ("if(answered(age), age, 0)", Kind.NUMBER),
    ("if(language == 'fr', 'oui', 'yes')", Kind.TEXT),
    ("channel == 'telegram'", Kind.BOOL),
    ("round(income / 3, 1)", Kind.NUMBER),
    ("total + 1", Kind.ANY),
    ("total * 2", Kind.ANY),
    ("if(total, total, null)", Kind.ANY),
    ("coalesce(null, walk_alone_dark)", Kind.CHOICE),
    ("intro == null", Kind.BOOL),
    ("answered(walk_alone_dark)", Kind.BOOL),
]


@pytest.mark.parametrize(("text", "kind"), WELL_TYPED)
def test_well_typed_expressions_give_their_type(env: Env, text: str, kind: Kind) -> None:
    assert check_types(parse_expression(text), env).kind is kind


def test_choice_types_keep_their_codes(env: Env) -> None:
    found = check_types(parse_expression("if(consent == 'yes', walk_alone_dark, null)"), env)
    assert found.codes == {"very_safe", "reasonably_safe", "somewhat_unsafe", "very_unsafe"}
    assert found.specials == {"dont_know"}


TYPE_ERRORS = [
    ("walk_alone_dark_x == 'a'", "unknown_name", 0),
    ("count(incident, ghost)", "unknown_name", 16),
    ("walk_alone_dark == 'unsafe'", "unknown_choice_code", 19),
    ("walk_alone_dark in ['very_safe', 'safe']", "unknown_choice_code", 33),
    ("'safe' == walk_alone_dark", "unknown_choice_code", 0),
    ("consent == 'oui'", "unknown_choice_code", 11),
    ("count(incident, place == 'work')", "unknown_choice_code", 25),
    ("'cars' in avoid", "unknown_choice_code", 0),
    ("language == 'de'", "unknown_choice_code", 12),
    ("avoid == 'places'", "type_mismatch", 9),
    ("'prefer_not' in avoid", "type_mismatch", 0),
    ("avoid in ['places']", "type_mismatch", 0),
    ("'x' in comment", "type_mismatch", 7),
    ("'x' in walk_alone_dark", "type_mismatch", 7),
    ("comment + 1", "type_mismatch", 0),
    ("walk_alone_dark * 2", "type_mismatch", 0),
    ("1 - avoid", "type_mismatch", 4),
    ("-comment", "type_mismatch", 0),
    ("true + 1", "type_mismatch", 0),
    ("age == 'many'", "type_mismatch", 4),
    ("age < 'dont_know'", "type_mismatch", 4),
    ("comment < 3", "type_mismatch", 8),
    ("walk_alone_dark < 'very_safe'", "type_mismatch", 0),
    ("moved_in * 2", "type_mismatch", 9),
    ("moved_in + moved_in", "type_mismatch", 9),
    ("3 - moved_in", "type_mismatch", 2),
    ("incident_month + 1", "type_mismatch", 0),
    ("age == moved_in", "type_mismatch", 4),
    ("count(age)", "type_mismatch", 6),
    ("count(age, true)", "not_a_repeat", 6),
    ("sum(walk_alone_dark, 1)", "not_a_repeat", 4),
    ("sum(1, 1)", "not_a_repeat", 4),
    ("sum(incident, place)", "type_mismatch", 14),
    ("count(incident, place)", "type_mismatch", 16),
    ("incident + 1", "type_mismatch", 0),
    ("answered(age + 1)", "type_mismatch", 13),
    ("answered(incident)", "type_mismatch", 9),
    ("consent and age > 15", "type_mismatch", 0),
    ("not age", "type_mismatch", 4),
    ("if(age, 1, 2)", "type_mismatch", 3),
    ("if(age > 1, 1, 'a')", "type_mismatch", 0),
    ("coalesce(age, 'none')", "type_mismatch", 0),
    ("min(avoid, 1)", "type_mismatch", 4),
    ("min(age, moved_in)", "type_mismatch", 0),
    ("max(consent, 'yes')", "type_mismatch", 4),
    ("round(comment, 1)", "type_mismatch", 6),
    ("year(age)", "type_mismatch", 5),
]


@pytest.mark.parametrize(("text", "code", "offset"), TYPE_ERRORS)
def test_type_errors_have_a_code_and_an_offset(env: Env, text: str, code: str, offset: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        check_types(parse_expression(text), env)
    assert (caught.value.code, caught.value.offset) == (code, offset)


def message_of(env: Env, text: str) -> str:
    with pytest.raises(ExpressionError) as caught:
        check_types(parse_expression(text), env)
    return caught.value.message


def test_messages_name_close_matches_and_valid_codes(env: Env) -> None:
    assert "walk_alone_dark" in message_of(env, "walk_alone_drak == 'very_safe'")
    unknown_code = message_of(env, "walk_alone_dark == 'very_unsafee'")
    assert "'very_unsafe'" in unknown_code
    assert "reasonably_safe" in unknown_code and "dont_know" in unknown_code
    assert "'places' in avoid" in message_of(env, "avoid == 'places'")
    assert "count(incident)" in message_of(env, "incident > 0")
