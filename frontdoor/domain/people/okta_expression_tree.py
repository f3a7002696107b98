"""The checked tree of an Okta group-rule expression: what `okta_expression.parse` builds from the
grammar's parse tree (only the constructs we evaluate) and `okta_expression_evaluation` compiles."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Literal:
    value: str | int | float | bool | None


@dataclass(frozen=True)
class Attribute:
    name: str


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Equality:
    negated: bool
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple[Node, ...]


Node = Literal | Attribute | Not | BoolOp | Equality | Call


@dataclass(frozen=True)
class Reads:
    """What an expression reads: profile attributes, group names and group ids (for membership)."""

    attributes: frozenset[str]
    group_names: frozenset[str]
    group_ids: frozenset[str]
