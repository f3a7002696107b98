"""The reference evaluator's own case table: each case names the passage it follows (see the module)."""

from __future__ import annotations

import pytest

from tests.frontdoor.domain.people.reference_okta_el import (
    EMPTY,
    Attribute,
    Binary,
    Literal,
    Not,
    ParseError,
    Policy,
    Unsupported,
    evaluate,
    membership,
    parse,
    profile_from_csv_row,
)

TEAM = 'user.team == "payments"'


@pytest.mark.parametrize(
    ("rule", "user", "member", "source"),
    [
        # [CASE] exact, case- and space-sensitive ==
        (TEAM, {"team": "payments"}, True, "CASE"),
        (TEAM, {"team": "payments "}, False, "CASE: an extra space causes a mismatch"),
        (TEAM, {"team": " payments"}, False, "CASE"),
        (TEAM, {"team": "payments\u00a0"}, False, "CASE: NBSP is a character like any other"),
        (TEAM, {"team": "Payments"}, False, "CASE: a letter in the wrong case"),
        (TEAM, {"team": "paym\u0065\u0301nts"}, False, "SPEL String.equals: no Unicode normalisation"),
        (TEAM, {}, False, "SPEL nullSafeEquals(null, 'payments')"),
        ('user.team != "payments"', {}, True, "SPEL OpNE = !equalityCheck"),
        ("user.team == null", {}, True, "EL: never-populated attribute == null"),
        ('user.team == ""', {"team": ""}, True, 'EL: cleared attribute == ""'),
        ("user.team == null", {"team": ""}, False, "NULL: null and blank are not the same"),
        ("user.team == null", {"team": "  "}, False, "CASE: blanks are characters"),
        # [SPEL] keywords case-insensitive, && and ||
        ('user.team == "a" oR user.team == "b"', {"team": "b"}, True, "SPEL equalsIgnoreCase('or')"),
        ('user.team == "a" && user.title == "b"', {"team": "a", "title": "b"}, True, "SPEL &&"),
        ("user.team == NULL", {}, True, "SPEL equalsIgnoreCase('null'); EL Arrays.size(NULL)"),
        ("TRUE", {}, True, "SPEL equalsIgnoreCase('true')"),
        # [SPEL] quotes: doubled quote escapes, backslash is literal (EL popular expressions: "\")
        ("user.team == 'it''s'", {"team": "it's"}, True, "SPEL lexQuotedStringLiteral"),
        ('user.team == "say ""hi"""', {"team": 'say "hi"'}, True, "SPEL lexDoubleQuotedStringLiteral"),
        ('user.team == "R\\D"', {"team": "R\\D"}, True, 'EL: "\\" is one backslash'),
        ('user.team == "R\\D"', {"team": "RD"}, False, "backslash is not an escape"),
        # String functions: Java String.contains / startsWith are case-sensitive
        ('String.stringContains(user.title, "Engineer")', {"title": "Platform Engineer"}, True, "EL"),
        ('String.stringContains(user.title, "engineer")', {"title": "Platform Engineer"}, False, "CASE"),
        ('String.startsWith(user.title, "Platform")', {"title": " Platform"}, False, "CASE"),
        ('String.toLowerCase(user.team) == "payments"', {"team": "PAYMENTS"}, True, "EL toLowerCase"),
        ('String.toLowerCase(user.team) == "payments"', {"team": "PAYMENTS "}, False, "no trim"),
        # Arrays.contains: exact element match [ARR]
        ('Arrays.contains(user.teams, "a")', {"teams": ("a", "b")}, True, "ARR"),
        ('Arrays.contains(user.teams, "A")', {"teams": ("a", "b")}, False, "ARR case-sensitive"),
        ('Arrays.contains(user.teams, "a")', {"teams": ("ab",)}, False, "ARR no substring"),
        ('Arrays.contains(user.teams, "b")', {"teams": "a,b"}, True, "EL: CSV converted to array"),
        # groups
        ('isMemberOfGroupName("aws-x")', {}, False, "EL group functions"),
        # SpEL precedence: ! binds tighter than == ; !"payments" cannot become a boolean -> error
        ('NOT user.team == "payments"', {"team": "telemetry"}, False, "SPEL unary NOT + A1"),
        ('NOT (user.team == "payments")', {"team": "telemetry"}, True, "SPEL"),
        # short-circuit: the right operand's error is never reached
        ('user.team == "x" AND NOT user.team', {"team": "y"}, False, "SPEL OpAnd short-circuit"),
        ('user.team == "y" OR NOT user.team', {"team": "y"}, True, "SPEL OpOr short-circuit"),
    ],
)
def test_membership(rule: str, user: dict[str, object], member: bool, source: str) -> None:
    assert membership(rule, user).member is member, source  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rule", "groups", "member"),
    [
        ('isMemberOfGroupName("aws-x")', {"aws-x"}, True),
        ('isMemberOfGroupName("00g1emaKYZTWRYYRRTSK")', {"00g1emaKYZTWRYYRRTSK"}, False),
        ('isMemberOfAnyGroup("00g1emaKYZTWRYYRRTSK", "x")', {"00g1emaKYZTWRYYRRTSK"}, True),
        ('isMemberOfAnyGroup("aws-x")', {"aws-x"}, False),
    ],
)
def test_group_functions_read_names_or_ids_as_documented(rule: str, groups: set[str], member: bool) -> None:
    """[EL] "Group functions": isMemberOfGroupName("group1"), isMemberOfAnyGroup("groupId1", ...)."""
    assert membership(rule, {}, groups).member is member


def test_null_in_a_boolean_operator_is_an_error_under_every_reading() -> None:
    verdict = membership('user.flag AND user.team == "x"', {"team": "x"})
    assert (verdict.member, verdict.outcomes) == (False, frozenset({"error"}))


def test_a_string_operand_is_undetermined() -> None:
    # SpEL converts "yes" to true; Okta's validator may refuse a String attribute there: undocumented.
    verdict = membership("user.flag", {"flag": "yes"})
    assert (verdict.member, verdict.outcomes) == (None, frozenset({"true", "error"}))


def test_negated_string_function_over_null_is_undetermined() -> None:
    verdict = membership('!String.stringContains(user.title, "x")', {})
    assert (verdict.member, verdict.outcomes) == (None, frozenset({"true", "error"}))


def test_empty_cell_matters_only_where_null_and_blank_differ() -> None:
    assert membership(TEAM, {"team": EMPTY}).member is False
    assert membership('user.team != "payments"', {"team": EMPTY}).member is True
    assert membership("user.team == null", {"team": EMPTY}).member is None


def test_csv_elements_with_spaces_are_undetermined() -> None:
    assert membership('Arrays.contains(user.teams, "b")', {"teams": "a, b"}).member is None


def test_precedence_tree() -> None:
    assert parse('!user.a == "x"') == Binary("==", Not(Attribute("a")), Literal("x"))
    assert parse('user.a == "x" OR user.b == "y" AND user.c == "z"') == Binary(
        "or",
        Binary("==", Attribute("a"), Literal("x")),
        Binary("and", Binary("==", Attribute("b"), Literal("y")), Binary("==", Attribute("c"), Literal("z"))),
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('user.team = "x"', ParseError),
        ('user.team == "x', ParseError),
        ('user.team == "x" AND', ParseError),
        ('user.team\u00a0== "x"', ParseError),  # SpEL skips only space, tab, CR, LF
        ('user.team == "a" == "b"', ParseError),
        ("user.salary >= 5", Unsupported),
        ('user.team matches "a.*"', Unsupported),
        ('user.team == "a" ? true : false', Unsupported),
        ('Convert.toInt("1") == 1', Unsupported),
        ('user.status == "ACTIVE"', Unsupported),
        ("String.len(user.team) == 0", Unsupported),
    ],
)
def test_refused(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse(text)


def test_evaluate_numbers_and_booleans_like_spel() -> None:
    policy = Policy()
    assert evaluate(parse("1 == 1.0"), {}, frozenset(), policy) is True
    assert evaluate(parse("user.n == 5"), {"n": "5"}, frozenset(), policy) is False
    assert evaluate(parse("user.b == true"), {"b": "True"}, frozenset(), policy) is False
    assert evaluate(parse("user.b == true"), {"b": True}, frozenset(), policy) is True


def test_csv_row_keeps_cells_verbatim() -> None:
    row = {"Team": " payments\u00a0", "Title": ""}
    assert profile_from_csv_row(row, {"Team": "team", "Title": "title"}) == {
        "team": " payments\u00a0",
        "title": EMPTY,
    }


def test_and_short_circuits_before_the_right_operand_errs() -> None:
    verdict = membership('user.team == "x" AND NOT user.team', {"team": "y"})
    assert verdict.outcomes == frozenset({"false"})  # never "error": the right side is not evaluated
