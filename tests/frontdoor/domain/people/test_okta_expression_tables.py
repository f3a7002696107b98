"""The members-expression parser is loaded from stored tables: current, used, and answering as a fresh build.

Building the LALR parser from the grammar costs ~0.03 s of CPU in every preview's prevalidate; loading
the tables lark computed from it costs ~0.002 s (issue 27). The tables' state numbering differs from
build to build (lark iterates over hashed sets), so whether they are current is the grammar's hash, and
whether they are right is what the loaded parser answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import lark
import pytest

from frontdoor.domain.people import okta_expression, okta_expression_tables
from frontdoor.domain.people.okta_expression import ExpressionError, parse
from tests.frontdoor.domain.people.test_okta_expression import CASES, REFUSED

# Beyond the evaluated and refused cases: syntax errors (the expected-token sets come from the tables).
SYNTAX_ERRORS = [
    'user.team == "payments',
    "user.team ==",
    'user.team == "a" AND',
    '(user.team == "a"',
    'user.team == "a")',
    "user. == 1",
    'user.team = "a"',
    'String.startsWith(user.team "a")',
    "@",
]

REGENERATE = "regenerate them: .venv/bin/python -m frontdoor.domain.people.okta_expression"


@pytest.fixture
def fresh_parser_cache() -> Iterator[None]:
    okta_expression._parser.cache_clear()
    yield
    okta_expression._parser.cache_clear()


def test_the_stored_tables_are_of_this_grammar_and_this_lark() -> None:
    assert okta_expression.grammar_sha256() == okta_expression_tables.GRAMMAR_SHA256, REGENERATE
    assert lark.__version__ == okta_expression_tables.LARK_VERSION, REGENERATE


def test_the_parser_is_loaded_from_the_stored_tables(fresh_parser_cache: None) -> None:
    assert okta_expression._parser().source_path == "<deserialized>"


def test_tables_of_another_grammar_are_not_used(
    fresh_parser_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(okta_expression_tables, "GRAMMAR_SHA256", "0" * 64)
    assert okta_expression._parser().source_path == "<string>"


def test_tables_of_another_lark_are_not_used(
    fresh_parser_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(okta_expression_tables, "LARK_VERSION", "1.2.2")
    assert okta_expression._parser().source_path == "<string>"


def _answer(text: str) -> tuple[str, object]:
    try:
        expression = parse(text)
    except ExpressionError as error:
        return ("refused", (str(error), error.column, error.fix))
    return ("parsed", (expression.tree, expression.reads))


def test_the_loaded_parser_answers_exactly_as_a_fresh_build(
    fresh_parser_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [case[0] for case in CASES] + [text for text, _ in REFUSED] + SYNTAX_ERRORS
    loaded = okta_expression._parser()
    assert loaded.source_path == "<deserialized>"
    loaded_answers = [_answer(text) for text in texts]
    fresh = okta_expression.compile_grammar()
    monkeypatch.setattr(okta_expression, "_parser", lambda: fresh)
    fresh_answers = [_answer(text) for text in texts]
    assert loaded_answers == fresh_answers
    kinds = [kind for kind, _ in loaded_answers]
    assert kinds.count("refused") == len(REFUSED) + len(SYNTAX_ERRORS)
    assert [loaded.parse(text) for text, *_ in CASES] == [fresh.parse(text) for text, *_ in CASES]
