"""Property: a key duplicated anywhere in a stack file is refused before the program runs.

Hypothesis picks one key of the demo stack file at any depth (the top-level `config:`, a team, a
grant, a tag), copies the whole entry (key line and its indented block) and inserts the copy at a
random position among its siblings. The CLI must exit 2 naming the key and both lines, and the
program must never run: a duplicated key can then never produce a different plan.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, SequenceNode

import frontdoor.offline.preview
from frontdoor.commands.cli import main

STACKS = Path(__file__).resolve().parents[2] / "stacks"
DEMO_LINES = (STACKS / "Pulumi.demo.yaml").read_text().splitlines(keepends=True)
ESTATE_LINES = (STACKS / "estate.demo.yaml").read_text().splitlines(keepends=True)


@dataclass(frozen=True)
class Entry:
    """One `key: value` entry of a block mapping, as 0-based line numbers [first, last]."""

    key: object
    first: int
    last: int
    depth: int
    # Where a copy can go without changing the YAML structure: before any sibling entry, or after
    # the last one (0-based line index the copy is inserted before).
    slots: tuple[int, ...]


def _last_line(lines: list[str], value: Node) -> int:
    # A block value ends where the next token starts: that line belongs to the value only if the
    # value's own text precedes the mark on it (a scalar ending mid-line).
    end = value.end_mark
    if end.line >= len(lines) or lines[end.line][: end.column].strip() == "":
        return end.line - 1
    return end.line


def _starts_its_line(lines: list[str], node: Node) -> bool:
    return lines[node.start_mark.line][: node.start_mark.column].strip() == ""


def _entries(lines: list[str], node: Node, depth: int, found: list[Entry]) -> None:
    if isinstance(node, SequenceNode):
        for item in node.value:
            _entries(lines, item, depth + 1, found)
        return
    if not isinstance(node, MappingNode) or node.flow_style:
        return
    # Only entries that begin their own line can be copied as lines (not the first key of `- a: b`).
    movable = [(k, v) for k, v in node.value if _starts_its_line(lines, k)]
    slots = (*(k.start_mark.line for k, _ in movable), *(_last_line(lines, v) + 1 for _, v in movable[-1:]))
    constructor = yaml.constructor.SafeConstructor()
    for key_node, value_node in movable:
        key = constructor.construct_object(key_node)
        found.append(Entry(key, key_node.start_mark.line, _last_line(lines, value_node), depth, slots))
    for _, value_node in node.value:
        _entries(lines, value_node, depth + 1, found)


def _all_entries(lines: list[str]) -> list[Entry]:
    found: list[Entry] = []
    _entries(lines, yaml.compose("".join(lines)), 0, found)
    return found


ENTRIES = _all_entries(DEMO_LINES)
ESTATE_ENTRIES = _all_entries(ESTATE_LINES)


def test_the_generator_reaches_every_depth_of_the_demo_stack() -> None:
    # The top-level `config:`, namespaced keys, team names, grant keys, tags and deeper: the property
    # below is only as strong as the keys it can pick.
    assert {e.depth for e in ENTRIES} >= {0, 1, 2, 3, 4}
    assert {"config", "frontdoor:teams", "aws:region"} <= {e.key for e in ENTRIES}
    assert len(ENTRIES) > 60
    assert {e.depth for e in ESTATE_ENTRIES} >= {0, 1, 2, 4, 6}  # sequences count as a level


def _duplicated(original_lines: list[str], entry: Entry, slot: int) -> tuple[str, int, int]:
    """The text with `entry` copied before line `slot`, and the 1-based lines of both keys."""
    block = original_lines[entry.first : entry.last + 1]
    if not block[-1].endswith("\n"):
        block[-1] += "\n"
    lines = [*original_lines]
    if slot == len(lines) and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines[slot:slot] = block
    original = entry.first + (len(block) if slot <= entry.first else 0)
    first, second = sorted((slot + 1, original + 1))
    return "".join(lines), first, second


def _refused(name: str, flag: str, original_lines: list[str], entry: Entry, slot: int) -> None:
    text, first, second = _duplicated(original_lines, entry, slot)

    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the program ran: a duplicated key reached the plan")

    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory() as directory:
        broken = Path(directory) / name
        broken.write_text(text)
        with (
            mock.patch.object(frontdoor.offline.preview, "run_program", forbidden),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            code = main(["preview", "--stack", "demo", "--quiet", flag, str(broken)])
    assert code == 2, err.getvalue()
    assert out.getvalue() == ""
    assert err.getvalue().splitlines() == [
        "error: bad input, nothing was registered",
        f"{broken}: line {second}: duplicate key {entry.key!r}: first at line {first}, again at "
        f"line {second} (YAML would silently keep only the last one) (got {entry.key!r}). Fix: remove "
        "one of the two, or merge them into one block (a key appears once per mapping)",
    ]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_duplicated_key_at_any_depth_exits_2_and_never_runs_the_program(data: st.DataObject) -> None:
    entry = data.draw(st.sampled_from(ENTRIES), label="entry")
    slot = data.draw(st.sampled_from(entry.slots), label="slot")
    _refused("Pulumi.demo.yaml", "--config", DEMO_LINES, entry, slot)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_duplicated_key_anywhere_in_the_estate_is_refused_the_same_way(data: st.DataObject) -> None:
    # The estate decides which accounts a target reaches: a second `accounts:` or `id:` must not
    # silently replace the first either.
    entry = data.draw(st.sampled_from(ESTATE_ENTRIES), label="entry")
    slot = data.draw(st.sampled_from(entry.slots), label="slot")
    _refused("estate.demo.yaml", "--estate", ESTATE_LINES, entry, slot)
