"""The Okta expression evaluator: a case table pinned to Okta's documentation, errors, what it reads.

Sources (each case names one):
- EL-REF: developer.okta.com/docs/reference/okta-expression-language, "Reference user attributes":
  "To reference a user profile attribute, specify user. and the attribute variable name" (user.login,
  user.email …); and "Okta Expression Language is based on SpEL and uses a subset of the
  functionalities offered by SpEL".
- EL-OIE: developer.okta.com/docs/reference/okta-expression-language-in-identity-engine, "Okta user
  profile": "You can't use the user.status expression with group rules".
- OPS: help.okta.com "Examples of Okta Expression Language": "AND or && to denote the And operator.
  OR or || to denote the Or operator. ! to denote the Not operator."
- STRING: support.okta.com "Use the Okta Expression Language for String Manipulation":
  String.stringContains("This is a test", "test") is true, with "doesn'tExist" false.
- STARTS: the okta.group.Rule example of the Okta provider: String.startsWith(user.firstName,"andy").
- ARRAYS: support.okta.com "Okta Group Rule Using Arrays.contains Against a String Array Attribute
  Fails to Match Substring Values": "performs an exact, full-element match … case-sensitive", and
  "group rule conditions only support a limited subset of OEL functions (String, Arrays, and user
  expressions)".
- RULES: shared/research/technical-facts.md §6 (help.okta.com "About group rules"): isMemberOfGroupName,
  "Convert and Time functions unsupported".
- SPEL: not stated by Okta for group rules; SpEL's semantics, which the language is built on (EL-REF):
  case-sensitive string equality, null equal only to null, keywords case-insensitive. Where Okta's
  String functions meet null we take "no match" (inferred: a null input cannot contain anything).
  SpEL's parser (spring-framework InternalSpelExpressionParser) takes `!`/NOT as a unary operator that
  binds tighter than `==`; its Tokenizer reads a doubled quote inside a literal as one quote and a
  backslash as itself, and skips only space, tab, CR and LF between tokens.
- CASE: support.okta.com "Group Rule Expression Is Case Sensitive": "Group rule expressions are not
  only case sensitive but also treat blank spaces as distinct characters."
- EL-NULL: developer.okta.com/docs/reference/okta-expression-language, "Check for null and blank
  attributes": "If a profile attribute was populated in the past but the content is removed, it's no
  longer null but an empty string" (`user.employeeNumber == ""`).
- EL-BACKSLASH: the same reference's example `toUpperCase("gmail") + "\\" + substringBefore(...)`
  gives `GMAIL\\winston.churchill`: a backslash inside a literal is itself.
- EL-CSV: the same reference: "You can use comma-separated values (CSV) as an input parameter for all
  Arrays* functions. These values are converted into arrays."
- EL-BOOL: the same reference, "Samples using group rules": `!user.isContractor` and
  `user.salary > 1000000 AND !user.isContractor` over isContractor of type Boolean. An HR export holds
  strings only (a JSON true is refused), and how Okta reads a string as a boolean is undocumented, so
  frontdoor refuses an attribute read as true/false rather than report that it matches no one.
- GROUPS: the same reference, "Group functions": `isMemberOfGroupName("group1")` takes a group name,
  `isMemberOfAnyGroup("groupId1", "groupId2", "groupId3")` group ids (every Okta group id in the
  reference, e.g. the Groups API's 00g1emaKYZTWRYYRRTSK, is 00g and 17 letters or digits).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdoor.domain.people.okta_expression import ExpressionError, parse, reads
from frontdoor.domain.people.okta_expression_tree import Reads

GROUP_A, GROUP_B = "00g1emaKYZTWRYYRRTSK", "00gjitX9HqABSoqTB0g3"  # Okta group ids, from its reference
PAYMENTS_DEV = {"team": "payments", "department": "Engineering", "title": "Senior Software Engineer"}

# (expression, user profile, the user's groups, expected, source)
CASES: list[tuple[str, dict[str, Any], frozenset[str], bool, str]] = [
    ('user.team == "payments"', PAYMENTS_DEV, frozenset(), True, "EL-REF"),
    ('user.team == "Payments"', PAYMENTS_DEV, frozenset(), False, "SPEL"),
    ('user.team != "payments"', PAYMENTS_DEV, frozenset(), False, "EL-REF"),
    ('user.team == "payments" AND user.title == "Staff Engineer"', PAYMENTS_DEV, frozenset(), False, "OPS"),
    ('user.team == "payments" && user.department == "Engineering"', PAYMENTS_DEV, frozenset(), True, "OPS"),
    ('user.team == "mobile" OR user.department == "Engineering"', PAYMENTS_DEV, frozenset(), True, "OPS"),
    ('user.team == "mobile" || user.department == "Finance"', PAYMENTS_DEV, frozenset(), False, "OPS"),
    ('!(user.team == "mobile")', PAYMENTS_DEV, frozenset(), True, "OPS"),
    ('NOT (user.team == "payments")', PAYMENTS_DEV, frozenset(), False, "OPS"),
    ('user.team == "payments" and user.department == "Engineering"', PAYMENTS_DEV, frozenset(), True, "SPEL"),
    (
        'user.team == "mobile" OR user.team == "payments" AND user.title == "x"',
        PAYMENTS_DEV,
        frozenset(),
        False,
        "SPEL",
    ),
    (
        '(user.team == "mobile" OR user.team == "payments") AND user.title != "x"',
        PAYMENTS_DEV,
        frozenset(),
        True,
        "SPEL",
    ),
    ('String.stringContains(user.title, "Engineer")', PAYMENTS_DEV, frozenset(), True, "STRING"),
    ('String.stringContains(user.title, "doesntExist")', PAYMENTS_DEV, frozenset(), False, "STRING"),
    ('String.stringContains(user.title, "engineer")', PAYMENTS_DEV, frozenset(), False, "STRING"),
    ('String.startsWith(user.title, "Senior")', PAYMENTS_DEV, frozenset(), True, "STARTS"),
    ('String.startsWith(user.title, "Engineer")', PAYMENTS_DEV, frozenset(), False, "STARTS"),
    (
        'String.toLowerCase(user.title) == "senior software engineer"',
        PAYMENTS_DEV,
        frozenset(),
        True,
        "STRING",
    ),
    ("String.startsWith(String.toLowerCase(user.team), 'pay')", PAYMENTS_DEV, frozenset(), True, "STRING"),
    # toLowerCase is Java's String.toLowerCase: ß stays ß (a case fold would make it ss).
    ('String.toLowerCase(user.lastName) == "strauß"', {"lastName": "STRAUß"}, frozenset(), True, "SPEL"),
    ('String.toLowerCase(user.lastName) == "strauss"', {"lastName": "STRAUß"}, frozenset(), False, "SPEL"),
    ('Arrays.contains(user.tags, "pci")', {"tags": ["pci", "sox"]}, frozenset(), True, "ARRAYS"),
    ('Arrays.contains(user.tags, "pc")', {"tags": ["pci", "sox"]}, frozenset(), False, "ARRAYS"),
    ('Arrays.contains(user.tags, "PCI")', {"tags": ["pci", "sox"]}, frozenset(), False, "ARRAYS"),
    ('isMemberOfGroupName("contractors-approved")', {}, frozenset({"contractors-approved"}), True, "RULES"),
    ('isMemberOfGroupName("contractors-approved")', {}, frozenset({"contractors"}), False, "RULES"),
    (f'isMemberOfAnyGroup("{GROUP_A}", "{GROUP_B}")', {}, frozenset({GROUP_B}), True, "GROUPS"),
    (f'isMemberOfAnyGroup("{GROUP_A}", "{GROUP_B}")', {}, frozenset({"aws-x", "00g2def"}), False, "GROUPS"),
    # isMemberOfAnyGroup takes ids, isMemberOfGroupName a name: each matches no one given the other.
    ('isMemberOfAnyGroup("aws-payments-dev")', {}, frozenset({"aws-payments-dev"}), False, "GROUPS"),
    (f'isMemberOfAnyGroup("aws-x", "{GROUP_A}")', {}, frozenset({"aws-x", GROUP_A}), True, "GROUPS"),
    (f'isMemberOfGroupName("{GROUP_A}")', {}, frozenset({GROUP_A}), False, "GROUPS"),
    ('isMemberOfGroupName("00g2def")', {}, frozenset({"00g2def"}), True, "GROUPS"),  # too short for an id
    ('isMemberOfAnyGroup("00g2def")', {}, frozenset({"00g2def"}), False, "GROUPS"),
    # Null: an absent attribute is null; an empty string is a value of its own.
    ("user.team == null", {}, frozenset(), True, "SPEL"),
    ("user.team == null", {"team": ""}, frozenset(), False, "EL-NULL"),
    ('user.team == ""', {"team": ""}, frozenset(), True, "EL-NULL"),
    ('user.team == ""', {}, frozenset(), False, "EL-NULL"),
    ("user.team != null", {"team": ""}, frozenset(), True, "EL-NULL"),
    # Values are compared exactly: a trailing space, a non-breaking space or another case differ.
    ('user.title == "Platform Engineer"', {"title": "Platform Engineer "}, frozenset(), False, "CASE"),
    ('user.team == "telemetry"', {"team": "telemetry\u00a0"}, frozenset(), False, "CASE"),
    ('user.team == "telemetry"', {"team": "Telemetry"}, frozenset(), False, "CASE"),
    ('user.team != "telemetry"', {"team": " telemetry"}, frozenset(), True, "CASE"),
    (
        'String.startsWith(user.title, "Platform")',
        {"title": " Platform Engineer"},
        frozenset(),
        False,
        "CASE",
    ),
    ("user.team != null", PAYMENTS_DEV, frozenset(), True, "SPEL"),
    ('user.team == "payments"', {}, frozenset(), False, "SPEL"),
    ('user.team != "payments"', {}, frozenset(), True, "SPEL"),
    ('String.stringContains(user.title, "Eng")', {}, frozenset(), False, "SPEL"),
    ('String.startsWith(user.title, "Eng")', {}, frozenset(), False, "SPEL"),
    ("String.toLowerCase(user.title) == null", {}, frozenset(), True, "SPEL"),
    ('Arrays.contains(user.tags, "pci")', {}, frozenset(), False, "SPEL"),
    # Types are not coerced: an HR value is a string, a number literal never equals it.
    ("user.employeeNumber == 1234", {"employeeNumber": "1234"}, frozenset(), False, "SPEL"),
    ('user.employeeNumber == "1234"', {"employeeNumber": "1234"}, frozenset(), True, "SPEL"),
    ('user.isContractor == "true"', {"isContractor": True}, frozenset(), False, "SPEL"),
    ('user.isContractor == "true"', {"isContractor": "true"}, frozenset(), True, "SPEL"),
    ('true AND user.team == "payments"', PAYMENTS_DEV, frozenset(), True, "SPEL"),
    ("user.name == 'O''Brien'", {"name": "O'Brien"}, frozenset(), True, "SPEL"),
    ('user.name == "say ""hi"""', {"name": 'say "hi"'}, frozenset(), True, "SPEL"),
    ('user.department == "R\\D"', {"department": "R\\D"}, frozenset(), True, "EL-BACKSLASH"),
    ('user.department == "R\\D"', {"department": "RD"}, frozenset(), False, "EL-BACKSLASH"),
    # NOT binds tighter than ==, so it is written around a parenthesised comparison (refused otherwise).
    ('NOT (user.team == "payments") AND user.title != "x"', PAYMENTS_DEV, frozenset(), False, "SPEL"),
    ('!(user.team == "mobile") && !isMemberOfGroupName("x")', PAYMENTS_DEV, frozenset(), True, "SPEL"),
    # Arrays.contains over a string reads it as comma-separated values, each element as written.
    ('Arrays.contains(user.tags, "sox")', {"tags": "pci,sox"}, frozenset(), True, "EL-CSV"),
    ('Arrays.contains(user.tags, "sox")', {"tags": "pci, sox"}, frozenset(), False, "EL-CSV"),
    ('Arrays.contains(user.tags, "pc")', {"tags": "pci,sox"}, frozenset(), False, "EL-CSV"),
]


@pytest.mark.parametrize(("expression", "user", "groups", "expected", "source"), CASES)
def test_case_table(
    expression: str, user: dict[str, Any], groups: frozenset[str], expected: bool, source: str
) -> None:
    assert parse(expression).evaluate(user, groups) is expected, source


def test_every_demo_members_expression_parses() -> None:
    import yaml

    from frontdoor.offline.project import CHECKOUT as REPO_ROOT

    config = yaml.safe_load((REPO_ROOT / "stacks" / "Pulumi.demo.yaml").read_text())["config"]
    expressions = [team["members"] for team in config["frontdoor:teams"].values()]
    expressions += [grant["members"] for grant in config["frontdoor:orgGrants"].values()]
    assert len(expressions) == 15
    for expression in expressions:
        parse(expression)


BOOLEAN_READ = (
    "user.{name} is read as a boolean (true/false) at column {column}: frontdoor evaluates rules over HR "
    "values, which are all strings (a JSON true is refused), so it cannot say whom this rule matches in Okta"
)
# (expression, exact problem): outside the subset, named; syntax errors with the column and what was expected.
REFUSED = [
    (
        "user.level > 3",
        "the operator '>' at column 12 is outside the Okta expression subset frontdoor evaluates",
    ),
    (
        'user.a + "x" == "y"',
        "the operator '+' at column 8 is outside the Okta expression subset frontdoor evaluates",
    ),
    (
        'user.a == "x" ? true : false',
        "the conditional operator (a ? b : c) at column 1 is outside the Okta expression subset "
        "frontdoor evaluates",
    ),
    (
        'user.a ?: "x"',
        "the Elvis operator (?:) at column 8 is outside the Okta expression subset frontdoor evaluates",
    ),
    (
        "Convert.toInt(user.level) == 3",
        "the function 'Convert.toInt' at column 1 is outside the Okta expression subset frontdoor evaluates",
    ),
    (
        "user.isMemberOf({'group.profile.name': 'Admins'})",
        "the function 'user.isMemberOf' at column 1 is outside the Okta expression subset "
        "frontdoor evaluates",
    ),
    (
        'user.profile.team == "x"',
        "the attribute path 'user.profile.team' (group rules read user.<attribute>) at column 1 is outside "
        "the Okta expression subset frontdoor evaluates",
    ),
    (
        'appuser.team == "x"',
        "the reference 'appuser.team' (only user.<attribute> is supported) at column 1 is outside the Okta "
        "expression subset frontdoor evaluates",
    ),
    (
        '{"a"} == user.x',
        "a collection literal {...} at column 1 is outside the Okta expression subset frontdoor evaluates",
    ),
    ('user.status == "ACTIVE"', "user.status at column 1: Okta does not allow user.status in group rules"),
    ('"payments"', "a group rule must be a true/false condition, this expression is a string"),
    (
        "String.toLowerCase(user.team)",
        "a group rule must be a true/false condition, this expression is a string",
    ),
    ('user.team == "x" AND "y"', "AND at column 18 needs true/false on each side, got a string"),
    ("String.stringContains(user.a)", "String.stringContains at column 1 takes 2 arguments, got 1"),
    ("isMemberOfAnyGroup()", "isMemberOfAnyGroup at column 1 takes one or more arguments, got 0"),
    (
        "isMemberOfGroupName(user.x)",
        "isMemberOfGroupName at column 1 needs each group name as a quoted string",
    ),
    ("String.startsWith(user.a, 3)", "String.startsWith at column 1 takes strings, got number"),
    (
        'user.team = "x"',
        "syntax error at column 11: expected one of '(', '.', == or !=, AND, OR, the end of the "
        "expression, found '='",
    ),
    (
        "user.team == ",
        "syntax error at column 13: expected one of '(', NOT, a number, a quoted string, false, null, true, "
        "user.<attribute> or a function, found the end of the expression",
    ),
    ('(user.a == "b"', "syntax error at column 15: expected ')', found the end of the expression"),
    ('user.a == "b")', "syntax error at column 14: expected the end of the expression, found ')'"),
    (
        'user.a == "b" user.c',
        "syntax error at column 15: expected one of AND, OR, the end of the expression, found 'user'",
    ),
    (
        'user.a == "b" AND AND',
        "syntax error at column 19: expected an operand (user.<attribute>, a value or a function "
        "call), found 'AND'",
    ),
    ("   ", "the members expression is empty"),
    # An attribute read as true/false (EL-BOOL): every HR value is a string, so no export could say.
    ("user.hasBadge", BOOLEAN_READ.format(name="hasBadge", column=1)),
    ("!user.isContractor", BOOLEAN_READ.format(name="isContractor", column=1)),
    ('user.team == "platform" AND !user.isContractor', BOOLEAN_READ.format(name="isContractor", column=29)),
    ('user.isContractor OR user.team == "payments"', BOOLEAN_READ.format(name="isContractor", column=19)),
    ("user.isContractor == true", BOOLEAN_READ.format(name="isContractor", column=19)),
    ("false != user.isContractor", BOOLEAN_READ.format(name="isContractor", column=7)),
    (
        'NOT user.team == "payments"',
        "NOT at column 1 negates only user.team: in Okta, as in SpEL, NOT (!) binds tighter than == and "
        '!=, so this compares true/false with "payments"',
    ),
    (
        'user.a == "b" AND !user.team != "x"',
        "NOT at column 19 negates only user.team: in Okta, as in SpEL, NOT (!) binds tighter than == and "
        '!=, so this compares true/false with "x"',
    ),
    # A backslash is a character, not an escape: `\"` ends the literal (EL-BACKSLASH).
    (
        'user.name == "say \\"hi\\""',
        "syntax error at column 21: expected one of AND, OR, the end of the expression, found 'hi'",
    ),
    # Between tokens SpEL skips space, tab, CR and LF only: a non-breaking space is an error.
    (
        'user.team\u00a0== "x"',
        "syntax error at column 10: expected one of '(', '.', == or !=, AND, OR, the end of the "
        "expression, found '\\xa0'",
    ),
]


def test_the_not_refusal_names_both_fixes() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse('NOT user.team == "payments"')
    assert caught.value.fix == (
        'to negate the comparison write NOT (user.team == "payments"), or user.team != "payments"'
    )


@pytest.mark.parametrize(("expression", "problem"), REFUSED)
def test_refused_with_the_construct_or_the_position_named(expression: str, problem: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(expression)
    assert caught.value.problem == problem


def test_reads_lists_attributes_and_groups() -> None:
    text = (
        'user.team == "payments" AND (isMemberOfGroupName("aws-payments-dev") OR '
        'isMemberOfAnyGroup("00g1", "00g2")) AND String.stringContains(String.toLowerCase(user.title), "eng")'
    )
    assert reads(text) == Reads(
        attributes=frozenset({"team", "title"}),
        group_names=frozenset({"aws-payments-dev"}),
        group_ids=frozenset({"00g1", "00g2"}),
    )


VALUES = st.one_of(st.none(), st.sampled_from(["payments", "mobile", "Payments", ""]))


@given(team=VALUES, department=VALUES, negate=st.booleans())
def test_equality_agrees_with_its_definition(team: str | None, department: str | None, negate: bool) -> None:
    """`==`/`!=` and AND/OR/NOT over string attributes equal Python's over the same values (null and ""
    included: neither equals a non-empty literal)."""
    user = {"team": team, "department": department}
    op = "!=" if negate else "=="
    text = f'user.team {op} "payments" OR NOT (user.department == "mobile")'
    left = (team != "payments") if negate else (team == "payments")
    right = department != "mobile"
    assert parse(text).evaluate(user) is (left or right)
