"""The strict JSON reader: duplicate keys with both positions, depth refused, syntax named."""

from __future__ import annotations

import json

import pytest

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.base.strict_json import first_duplicate, loads

SHAPE = "write a list of flat objects"


def refusal(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        loads(text, "hr.json", SHAPE)
    (issue,) = caught.value.issues
    return issue.render()


def test_a_valid_document_is_the_standard_librarys_value() -> None:
    text = '[{"login": "a@x.example", "tags": ["pci", "sox"], "n": null}]'
    assert loads(text, "hr.json", SHAPE) == json.loads(text)


def test_a_duplicate_key_names_both_positions_at_any_depth() -> None:
    assert refusal('[{"status": "active",\n  "login": "a", "status": "terminated"}]') == (
        "hr.json: line 2, column 17: duplicate key 'status' (first at line 1, column 3): JSON readers keep "
        "only one of the two, silently (got 'status'). Fix: remove one of the two"
    )
    assert refusal('{"a": {"b": [{"c": 1, "c": 2}]}}').startswith(
        "hr.json: line 1, column 23: duplicate key 'c'"
    )
    # Equal keys in different objects are not duplicates.
    assert loads('[{"a": 1}, {"a": 2}]', "hr.json", SHAPE) == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
def test_nesting_deeper_than_64_is_refused_without_a_traceback(depth: int) -> None:
    assert refusal("[" * depth + "]" * depth) == (
        f"hr.json: (file): the document nests deeper than 64 levels (got 'more than 64 levels'). Fix: {SHAPE}"
    )


def test_64_levels_are_read() -> None:
    assert loads("[" * 64 + "]" * 64, "hr.json", SHAPE) is not None


def test_a_syntax_error_names_line_column_and_the_text_there() -> None:
    assert refusal('[{"login": "a",}]') == (
        "hr.json: line 1, column 16: JSON syntax error: Expecting property name enclosed in double quotes "
        '(got \'[{"login": "a",}]\'). Fix: fix the JSON at that position'
    )


def test_first_duplicate_skips_strings_and_arrays() -> None:
    text = '{"a": "{\\"a\\": 1}", "b": [{"a": 1}], "a": 2}'
    assert first_duplicate(text) == ("a", 1, text.rindex('"a"'))
