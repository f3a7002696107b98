"""The one strict reader of every JSON file the people commands take (HR exports, posture results).

Strict where `json` is lenient, as README "Hostile input" promises for every JSON file frontdoor
reads: a key repeated in one object is refused with the line and column of both (the standard library
keeps the last one silently: `"status": "active", …, "status": "terminated"` would make a person a
leaver), and a document nesting deeper than `MAX_DEPTH` levels is refused, also when it nests deeper
than the decoder itself can follow (its RecursionError never escapes). The size limit is the caller's
(`input_files.read_text`).

`first_duplicate` locates a duplicate after the decoder has seen one; the replacement gate's streaming
reader (frontdoor/gate/strict_json.py) uses it too.
"""

from __future__ import annotations

import json
from typing import Any

from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.base.input_files import line_and_column
from frontdoor.domain.base.strict_yaml import MAX_DEPTH


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


def _deeper_than(value: Any, limit: int) -> bool:
    """Iteratively, so a deep document cannot exhaust the stack here either."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict | list):
            if depth > limit:
                return True
            children = current.values() if isinstance(current, dict) else current
            stack.extend((child, depth + 1) for child in children)
    return False


def loads(text: str, source: str, shape_fix: str) -> Any:
    """The JSON value of `text`; ConfigError naming `source`, where, the value and the fix otherwise.

    `shape_fix` is what the file should look like, for the nesting refusal.
    """
    try:
        document = json.loads(text, object_pairs_hook=_refuse_duplicates)
    except _Duplicate as duplicate:
        found = first_duplicate(text, 0)
        key, first, second = found if found is not None else (duplicate.key, 0, 0)
        (line1, column1), (line2, column2) = line_and_column(text, first), line_and_column(text, second)
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    f"line {line2}, column {column2}",
                    key,
                    f"duplicate key {key!r} (first at line {line1}, column {column1}): JSON readers keep "
                    "only one of the two, silently",
                    "remove one of the two",
                )
            ]
        ) from None
    except RecursionError:
        raise _too_deep(source, shape_fix) from None
    except json.JSONDecodeError as error:
        line_text = text.splitlines()[error.lineno - 1] if text.strip() else ""
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    f"line {error.lineno}, column {error.colno}",
                    line_text[max(0, error.colno - 40) : error.colno + 40],
                    f"JSON syntax error: {error.msg}",
                    "fix the JSON at that position",
                )
            ]
        ) from None
    if _deeper_than(document, MAX_DEPTH):
        raise _too_deep(source, shape_fix)
    return document


def _too_deep(source: str, shape_fix: str) -> ConfigError:
    return ConfigError(
        [
            ConfigIssue(
                source,
                "(file)",
                f"more than {MAX_DEPTH} levels",
                f"the document nests deeper than {MAX_DEPTH} levels",
                shape_fix,
            )
        ]
    )


def first_duplicate(text: str, start: int = 0) -> tuple[str, int, int] | None:
    """(key, first index, second index) of the first key repeated within one object of the JSON
    value at `start`, found by a small scanner over the text (only called on the error path)."""
    stack: list[dict[str, int] | None] = []  # per open container: keys seen (None for arrays)
    index = start
    expecting_key = False
    length = len(text)
    while index < length:
        char = text[index]
        if char == '"':
            end = _string_end(text, index)
            if expecting_key and stack and stack[-1] is not None:
                key = json.loads(text[index:end])
                keys = stack[-1]
                if key in keys:
                    return key, keys[key], index
                keys[key] = index
            index = end
            expecting_key = False
            continue
        if char == "{":
            stack.append({})
            expecting_key = True
        elif char == "[":
            stack.append(None)
        elif char in "}]":
            stack.pop()
            if not stack:
                return None
        elif char == ",":
            expecting_key = bool(stack) and stack[-1] is not None
        index += 1
    return None


def _string_end(text: str, start: int) -> int:
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            return index + 1
        index += 1
    return len(text)
