"""Reading YAML we do not trust: duplicate keys, aliases, merge keys and deep nesting are refused.

YAML keeps the last of two equal keys without a word, so a second `payments:` block silently
replaces a team (and a second `frontdoor:teams:` drops ten). An alias can expand a 2 KB file into
gigabytes (the "billion laughs"). Neither belongs in a stack config or an estate, so this loader
refuses both, naming the key and the two lines, or the anchor's line. It is PyYAML's own loader
(libyaml's parser when the wheel has it, a 2,000-account estate loads ~6x faster) with the mapping
constructor replaced by one that checks: the check is one dict lookup per key.

`loads_json` does the same for the JSON files we read (no duplicate members, bounded nesting).
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node

# Deeper than any real config (a stack file nests ~7 levels): refused before Python's recursion
# limit turns it into a crash.
MAX_DEPTH = 64
_MERGE_TAG = "tag:yaml.org,2002:merge"
_QUOTED_OR_COMMENT = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"|\s#.*")


class InputRefused(ValueError):
    """The document is well-formed YAML/JSON but uses a construct we refuse."""

    def __init__(self, line: int, problem: str, value: Any, fix: str) -> None:
        super().__init__(problem)
        self.line = line  # 1-based
        self.problem = problem
        self.value = value
        self.fix = fix


class DuplicateKey(InputRefused):
    def __init__(self, key: Any, first_line: int, second_line: int) -> None:
        super().__init__(
            second_line,
            f"duplicate key {key!r}: first at line {first_line}, again at line {second_line} "
            "(YAML would silently keep only the last one)",
            key,
            "remove one of the two, or merge them into one block (a key appears once per mapping)",
        )
        self.key = key
        self.first_line = first_line
        self.second_line = second_line


def _alias_refused(node: Node) -> InputRefused:
    line = node.start_mark.line + 1
    return InputRefused(
        line,
        f"YAML anchors and aliases are not allowed (the node anchored at line {line} is reused)",
        "&anchor / *alias",
        "write the values out in full (aliases can expand a small file into gigabytes)",
    )


class _StrictConstructor(yaml.constructor.SafeConstructor):
    def construct_object(self, node: Node, deep: bool = False) -> Any:
        # Without aliases every node is constructed exactly once: a second visit is an alias.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _alias_refused(node)
        constructed: Any = super().construct_object(node, deep=deep)  # type: ignore[no-untyped-call]
        return constructed

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping node, but found {node.id}", node.start_mark
            )
        mapping: dict[Any, Any] = {}
        lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE_TAG:
                raise InputRefused(
                    line, "YAML merge keys (<<) are not allowed", "<<", "write the keys out in full"
                )
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                )
            if key in lines:
                raise DuplicateKey(key, lines[key], line)
            lines[key] = line
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_CParser: Any
try:
    import yaml.cyaml

    _CParser = getattr(yaml.cyaml, "CParser", None)
except ImportError:  # a PyYAML wheel without libyaml: the pure-Python parser, same checks
    _CParser = None


class _StrictCLoader(_CParser or object, _StrictConstructor, yaml.resolver.Resolver):  # type: ignore[misc]
    """libyaml's parser with the checking constructor."""

    def __init__(self, stream: str) -> None:
        _CParser.__init__(self, stream)
        _StrictConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


class StrictPureLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _StrictConstructor,
    yaml.resolver.Resolver,
):
    """The pure-Python parser, whose syntax-error messages are the ones we document."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _StrictConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


def nesting_depth_exceeds(text: str, limit: int = MAX_DEPTH) -> int | None:
    """The 1-based line where flow brackets or block indentation nest deeper than `limit`, if any.

    A cheap scan before parsing: libyaml's composer recurses in C per nesting level, so a file of
    a million `[` must never reach it.
    """
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("#"):
            continue
        # Block nesting: each level indents by at least one space (and "- " items by two).
        if (len(line) - len(stripped)) > limit * 4:
            return number
        if depth == 0 and "[" not in stripped and "{" not in stripped:
            continue
        for char in _QUOTED_OR_COMMENT.sub("", stripped):
            if char in "[{":
                depth += 1
                if depth > limit:
                    return number
            elif char in "]}":
                depth = max(depth - 1, 0)
    return None


def _too_deep(line: int) -> InputRefused:
    return InputRefused(
        line,
        f"the document nests deeper than {MAX_DEPTH} levels",
        f"more than {MAX_DEPTH} levels",
        "flatten it (stack configs and estates nest well under 20 levels)",
    )


def load(text: str, *, pure: bool = False) -> Any:
    """Parse one YAML document strictly; raises InputRefused or yaml.YAMLError."""
    deep_line = nesting_depth_exceeds(text)
    if deep_line is not None:
        raise _too_deep(deep_line)
    loader = StrictPureLoader(text) if pure or _CParser is None else _StrictCLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _json_key_lines(text: str, key: str) -> list[int]:
    pattern = re.compile(re.escape(json.dumps(key)) + r"\s*:")
    return [text.count("\n", 0, match.start()) + 1 for match in pattern.finditer(text)]


def _json_duplicate(text: str, key: str) -> DuplicateKey:
    # JSON is (nearly) YAML: the YAML loader knows the exact lines of the two keys.
    try:
        load(text)
    except DuplicateKey as duplicate:
        if duplicate.key == key:
            return duplicate
    except (yaml.YAMLError, InputRefused):
        pass
    lines = _json_key_lines(text, key) or [0]
    return DuplicateKey(key, lines[0], lines[-1])


def loads_json(text: str) -> Any:
    """json.loads refusing duplicate members (naming both lines) and nesting deeper than MAX_DEPTH."""
    deep_line = nesting_depth_exceeds(text)
    if deep_line is not None:
        raise _too_deep(deep_line)

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise _json_duplicate(text, key)
            out[key] = value
        return out

    return json.loads(text, object_pairs_hook=unique)
