"""Okta Expression Language for group rules: a real grammar (lark), the subset we evaluate, and evaluation.

Owns how a members expression (`okta.group.Rule.expression_value`) is read: `parse` turns the text
into a checked tree or raises `ExpressionError` naming the column and what was expected; `Expression`
evaluates it for one HR record; `reads` lists the attributes and group names an expression reads (the
cascade check of the "Deployable" issue reuses it).

The grammar accepts more of the language than we evaluate (relational and arithmetic operators, the
conditional and Elvis operators, collection literals, any dotted function call), so that a construct
outside the subset is refused by name instead of surfacing as a bare syntax error. The subset is what
Okta documents for group rules (developer.okta.com/docs/reference/okta-expression-language,
"Expressions in group rules"; tests/frontdoor/domain/people/test_okta_expression.py pins each case to its
passage): `user.<attribute>`, string/number/boolean/null literals, `==`, `!=`, `AND`/`OR`/`NOT` and
`&&`/`||`/`!`, parentheses, `String.stringContains`, `String.startsWith`, `String.toLowerCase`,
`Arrays.contains`, `isMemberOfAnyGroup`, `isMemberOfGroupName`.

Null handling follows SpEL, which the language is built on: a missing or empty attribute is null,
`null == null` is true and null equals nothing else, the String functions treat a null input as "no
match" (`toLowerCase(null)` is null), and a boolean operator over a non-boolean (null included) is an
evaluation error, which Okta treats as the rule not matching: `evaluate` returns False.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

GRAMMAR = r"""
?start: expr

?expr: or_expr
     | or_expr "?" expr ":" expr          -> ternary
     | or_expr ELVIS expr                 -> elvis

?or_expr: and_expr
        | or_expr OR and_expr             -> or_
?and_expr: not_expr
         | and_expr AND not_expr          -> and_
?not_expr: NOT not_expr                   -> not_
         | comparison
?comparison: sum
           | sum EQ_OP sum                -> equality
           | sum REL_OP sum               -> relational
?sum: primary
    | sum ARITH_OP primary                -> arithmetic

?primary: STRING                          -> string
        | NUMBER                          -> number
        | TRUE                            -> true
        | FALSE                           -> false
        | NULL                            -> null
        | path
        | path "(" [arguments] ")"        -> call
        | "(" expr ")"
        | "{" [items] "}"                 -> collection

path: NAME ("." NAME)*
arguments: expr ("," expr)*
items: item ("," item)*
item: or_expr (":" or_expr)?

ELVIS: "?:"
OR.2: /(?i:or)\b/ | "||"
AND.2: /(?i:and)\b/ | "&&"
NOT.2: /(?i:not)\b/ | "!"
TRUE.2: /(?i:true)\b/
FALSE.2: /(?i:false)\b/
NULL.2: /(?i:null)\b/
EQ_OP: "==" | "!="
REL_OP: "<=" | ">=" | "<" | ">"
ARITH_OP: "+" | "-" | "*" | "/" | "%"
NAME: /[A-Za-z_$][A-Za-z0-9_$]*/
STRING: /"(?:[^"\\]|\\.)*"/ | /'(?:[^']|'')*'/
NUMBER: /\d+(\.\d+)?/

%import common.WS
%ignore WS
"""

# Function -> (number of arguments, None for one or more; the type each argument must have).
FUNCTIONS: dict[str, tuple[int | None, str]] = {
    "String.stringContains": (2, "string"),
    "String.startsWith": (2, "string"),
    "String.toLowerCase": (1, "string"),
    "Arrays.contains": (2, "any"),
    "isMemberOfAnyGroup": (None, "group id"),
    "isMemberOfGroupName": (1, "group name"),
}
_RETURNS = {"String.toLowerCase": "string"}  # every other supported function returns a boolean
SUBSET_FIX = (
    "use only user.<attribute>, quoted strings, numbers, true/false/null, ==, !=, AND/OR/NOT "
    "(&&, ||, !), parentheses and the functions " + ", ".join(FUNCTIONS)
)
SYNTAX_FIX = (
    'write an Okta group-rule condition, e.g. user.team == "payments" AND user.userType != "contractor"'
)
# Okta refuses user.status in group rules (reference, "Okta user profile": "You can't use the
# user.status expression with group rules"); lifecycle, not a rule, removes a leaver.
KEYWORDS = frozenset({"and", "or", "not", "true", "false", "null"})
FORBIDDEN_ATTRIBUTES = {"status": "Okta does not allow user.status in group rules"}

_TERMINAL_NAMES = {
    "NAME": "user.<attribute> or a function",
    "STRING": "a quoted string",
    "NUMBER": "a number",
    "OR": "OR",
    "AND": "AND",
    "NOT": "NOT",
    "TRUE": "true",
    "FALSE": "false",
    "NULL": "null",
    "EQ_OP": "== or !=",
    "REL_OP": "a comparison",
    "ARITH_OP": "an arithmetic operator",
    "ELVIS": "'?:'",
    "$END": "the end of the expression",
}


_REFUSED_TERMINALS = frozenset({"ELVIS", "REL_OP", "ARITH_OP", "QMARK", "LBRACE", "RBRACE", "COLON"})


class ExpressionError(ValueError):
    """An expression Okta would reject, or that we do not evaluate: what, where (1-based column), the fix."""

    def __init__(self, problem: str, fix: str, column: int | None = None) -> None:
        self.problem = problem
        self.fix = fix
        self.column = column
        super().__init__(problem)


class _Invalid(Exception):
    """Evaluation hit a type error (SpEL would throw): the rule does not match this user."""


# --- the checked tree -------------------------------------------------------------------------------


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


Evaluator = Callable[[Mapping[str, Any], frozenset[str]], Any]


@dataclass(frozen=True)
class Expression:
    source: str
    tree: Node
    reads: Reads
    _run: Evaluator

    def evaluate(self, user: Mapping[str, Any], groups: frozenset[str] = frozenset()) -> bool:
        """Does the rule put this user in its group? `user`: attribute -> value (absent/"" = null);
        `groups`: the Okta groups (names or ids) the user is already in."""
        try:
            return self._run(user, groups) is True
        except _Invalid:
            return False


# --- parsing ----------------------------------------------------------------------------------------


@functools.cache
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def _expected(names: Iterable[str]) -> str:
    terminals = {t.name: t for t in _parser().terminals}
    shown: set[str] = set()
    for name in names:
        if name in _REFUSED_TERMINALS:
            continue  # tokens of constructs outside the subset: never suggest them
        if name in _TERMINAL_NAMES:
            shown.add(_TERMINAL_NAMES[name])
        elif name in terminals and terminals[name].pattern.type == "str":
            shown.add(repr(terminals[name].pattern.value))
        else:
            shown.add(name)
    ordered = sorted(shown, key=lambda s: (not s.startswith("'"), s))
    return ordered[0] if len(ordered) == 1 else "one of " + ", ".join(ordered)


def _accepted_before(source: str, position: int) -> set[str]:
    """The tokens the parser accepts after `source[:position]` (the lexer's own set is wider)."""
    try:
        interactive = _parser().parse_interactive(source[:position])
        interactive.exhaust_lexer()
        accepted: set[str] = interactive.accepts()  # type: ignore[no-untyped-call]
        return accepted
    except UnexpectedInput:
        return set()


def _syntax_error(source: str, error: UnexpectedInput) -> ExpressionError:
    if isinstance(error, UnexpectedCharacters):
        column = error.column
        position = error.pos_in_stream or 0
        expected = _expected(_accepted_before(source, position) or error.allowed or ())
        found = repr(source[position]) if position < len(source) else "?"
    elif isinstance(error, UnexpectedToken):
        token = error.token
        at_end = token.type == "$END"
        column = len(source) + 1 if at_end else token.column or 0
        # `accepts` replays the parser to the error: exactly the tokens valid there (a superset otherwise).
        expected = _expected(getattr(error, "accepts", None) or error.expected)
        found = "the end of the expression" if at_end else repr(str(token))
    else:  # UnexpectedEOF
        column = len(source) + 1
        expected = _expected(getattr(error, "expected", ()))
        found = "the end of the expression"
    return ExpressionError(
        f"syntax error at column {column}: expected {expected}, found {found}", SYNTAX_FIX, column
    )


def _outside(construct: str, column: int | None) -> ExpressionError:
    return ExpressionError(
        f"{construct} at column {column} is outside the Okta expression subset frontdoor evaluates",
        SUBSET_FIX,
        column,
    )


def _column(tree: Tree[Token] | Token) -> int | None:
    if isinstance(tree, Token):
        return tree.column
    return getattr(tree.meta, "column", None)


def _string_value(token: Token) -> str:
    text = str(token)
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    body = text[1:-1]
    out: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            index += 1
            char = body[index]
        out.append(char)
        index += 1
    return "".join(out)


def _path(tree: Tree[Token]) -> str:
    return ".".join(str(part) for part in tree.children)


def _build(tree: Tree[Token] | Token) -> Node:
    """The concrete tree -> the checked tree; refuses every construct outside the subset by name."""
    if isinstance(tree, Token):  # pragma: no cover - the grammar wraps every terminal in a rule
        raise _outside(f"the token {str(tree)!r}", tree.column)
    kind = tree.data
    children = tree.children
    column = _column(tree)
    if kind == "string":
        return Literal(_string_value(children[0]))  # type: ignore[arg-type]
    if kind == "number":
        text = str(children[0])
        return Literal(float(text) if "." in text else int(text))
    if kind in ("true", "false"):
        return Literal(kind == "true")
    if kind == "null":
        return Literal(None)
    if kind == "path":
        path = _path(tree)
        parts = path.split(".")
        if parts[0].lower() in KEYWORDS:  # a keyword where an operand belongs: `a == "b" AND AND`
            raise ExpressionError(
                f"syntax error at column {column}: expected an operand (user.<attribute>, a value or a "
                f"function call), found {parts[0]!r}",
                SYNTAX_FIX,
                column,
            )
        if parts[0] == "user" and len(parts) == 2:
            if parts[1] in FORBIDDEN_ATTRIBUTES:
                raise ExpressionError(
                    f"user.{parts[1]} at column {column}: {FORBIDDEN_ATTRIBUTES[parts[1]]}",
                    "select people by profile attributes; deactivating the user in Okta removes them "
                    "from every group",
                    column,
                )
            return Attribute(parts[1])
        if parts[0] == "user":
            raise _outside(f"the attribute path {path!r} (group rules read user.<attribute>)", column)
        raise _outside(f"the reference {path!r} (only user.<attribute> is supported)", column)
    if kind == "not_":
        return Not(_boolean(_build(children[1]), "NOT", _column(children[0])))
    if kind in ("and_", "or_"):
        op = "and" if kind == "and_" else "or"
        left = _boolean(_build(children[0]), op.upper(), _column(children[1]))
        right = _boolean(_build(children[2]), op.upper(), _column(children[1]))
        operands = (*left.operands, right) if isinstance(left, BoolOp) and left.op == op else (left, right)
        return BoolOp(op, operands)
    if kind == "equality":
        return Equality(str(children[1]) == "!=", _build(children[0]), _build(children[2]))
    if kind == "call":
        return _call(tree, column)
    if kind == "relational":
        raise _outside(f"the operator {str(children[1])!r}", _column(children[1]))
    if kind == "arithmetic":
        raise _outside(f"the operator {str(children[1])!r}", _column(children[1]))
    if kind == "ternary":
        raise _outside("the conditional operator (a ? b : c)", column)
    if kind == "elvis":
        raise _outside("the Elvis operator (?:)", _column(children[1]))
    if kind == "collection":
        raise _outside("a collection literal {...}", column)
    raise _outside(f"the construct {kind!r}", column)  # pragma: no cover - every rule is handled above


def _call(tree: Tree[Token], column: int | None) -> Call:
    path_tree, *rest = tree.children
    name = _path(path_tree)  # type: ignore[arg-type]
    if name not in FUNCTIONS:
        raise _outside(f"the function {name!r}", column)
    arguments = [_build(a) for a in rest[0].children] if rest else []  # type: ignore[union-attr]
    count, argument_type = FUNCTIONS[name]
    if (count is None and not arguments) or (count is not None and len(arguments) != count):
        wanted = "one or more arguments" if count is None else f"{count} argument{'s' * (count != 1)}"
        raise ExpressionError(
            f"{name} at column {column} takes {wanted}, got {len(arguments)}", SUBSET_FIX, column
        )
    if argument_type in ("group id", "group name"):
        example = "00g1abcd2EFGH3ijk4x5" if argument_type == "group id" else "aws-payments-dev"
        for argument in arguments:
            if not (isinstance(argument, Literal) and isinstance(argument.value, str) and argument.value):
                raise ExpressionError(
                    f"{name} at column {column} needs each {argument_type} as a quoted string",
                    f'write {name}("{example}")',
                    column,
                )
    elif argument_type == "string":
        for argument in arguments:
            if _type(argument) not in ("string", "any", "null"):
                raise ExpressionError(
                    f"{name} at column {column} takes strings, got {_type(argument)}", SUBSET_FIX, column
                )
    return Call(name, tuple(arguments))


def _type(node: Node) -> str:
    if isinstance(node, Literal):
        value = node.value
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "boolean"
        return "string" if isinstance(value, str) else "number"
    if isinstance(node, Attribute):
        return "any"
    if isinstance(node, Call):
        return _RETURNS.get(node.function, "boolean")
    return "boolean"


def _boolean(node: Node, operator: str, column: int | None) -> Node:
    kind = _type(node)
    if kind not in ("boolean", "any"):
        raise ExpressionError(
            f"{operator} at column {column} needs true/false on each side, got a {kind}",
            'compare the value first, e.g. user.team == "payments"',
            column,
        )
    return node


def _reads(node: Node) -> Reads:
    attributes: set[str] = set()
    names: set[str] = set()
    ids: set[str] = set()

    def walk(current: Node) -> None:
        if isinstance(current, Attribute):
            attributes.add(current.name)
        elif isinstance(current, Not):
            walk(current.operand)
        elif isinstance(current, BoolOp):
            for operand in current.operands:
                walk(operand)
        elif isinstance(current, Equality):
            walk(current.left)
            walk(current.right)
        elif isinstance(current, Call):
            target = names if current.function == "isMemberOfGroupName" else ids
            for argument in current.arguments:
                if current.function.startswith("isMemberOf") and isinstance(argument, Literal):
                    target.add(str(argument.value))
                else:
                    walk(argument)

    walk(node)
    return Reads(frozenset(attributes), frozenset(names), frozenset(ids))


@functools.lru_cache(maxsize=4096)
def parse(source: str) -> Expression:
    """Parse and check one members expression; ExpressionError says what is wrong and where."""
    text = source.strip()
    if not text:
        raise ExpressionError("the members expression is empty", SYNTAX_FIX, 1)
    try:
        concrete = _parser().parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(text, error) from None
    tree = _build(concrete)
    if _type(tree) not in ("boolean", "any"):
        raise ExpressionError(
            f"a group rule must be a true/false condition, this expression is a {_type(tree)}",
            'compare it, e.g. user.team == "payments"',
            1,
        )
    return Expression(text, tree, _reads(tree), _compile(tree))


def reads(source: str) -> Reads:
    """The attributes and group names/ids an expression reads (raises ExpressionError if invalid)."""
    return parse(source).reads


def unknown_attributes(expression: Expression, known: Iterable[str]) -> list[str]:
    return sorted(expression.reads.attributes - set(known))


# --- evaluation: the checked tree compiled to closures (10,000 people x the demo rules in well under 1 s)


def _equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    return type(left) is type(right) and bool(left == right)


def _truth(value: Any) -> bool:
    if value is True or value is False:
        return value
    raise _Invalid(value)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise _Invalid(value)


def _compile(node: Node) -> Evaluator:
    if isinstance(node, Literal):
        constant = node.value
        return lambda user, groups: constant
    if isinstance(node, Attribute):
        name = node.name

        def attribute(user: Mapping[str, Any], groups: frozenset[str]) -> Any:
            value = user.get(name)
            return None if value == "" else value  # Okta stores no empty strings: unset is null

        return attribute
    if isinstance(node, Not):
        operand = _compile(node.operand)
        return lambda user, groups: not _truth(operand(user, groups))
    if isinstance(node, BoolOp):
        operands = tuple(_compile(o) for o in node.operands)
        if len(operands) == 2:  # the common case, without a generator per call
            first, second = operands
            if node.op == "and":
                return lambda user, groups: _truth(first(user, groups)) and _truth(second(user, groups))
            return lambda user, groups: _truth(first(user, groups)) or _truth(second(user, groups))
        if node.op == "and":
            return lambda user, groups: all(_truth(o(user, groups)) for o in operands)
        return lambda user, groups: any(_truth(o(user, groups)) for o in operands)
    if isinstance(node, Equality):
        fast = _compile_attribute_equals(node)
        if fast is not None:
            return fast
        left, right = _compile(node.left), _compile(node.right)
        if node.negated:
            return lambda user, groups: not _equal(left(user, groups), right(user, groups))
        return lambda user, groups: _equal(left(user, groups), right(user, groups))
    return _compile_call(node)


def _compile_attribute_equals(node: Equality) -> Evaluator | None:
    """`user.x == "text"` (most rules): one dict lookup. Exact because a non-empty string literal
    equals only the same string (never null, "", a boolean or a number), as `_equal` decides."""
    sides = (node.left, node.right)
    attribute = next((s for s in sides if isinstance(s, Attribute)), None)
    literal = next((s for s in sides if isinstance(s, Literal)), None)
    if attribute is None or literal is None or not isinstance(literal.value, str) or not literal.value:
        return None
    name, text = attribute.name, literal.value
    if node.negated:
        return lambda user, groups: user.get(name) != text
    return lambda user, groups: user.get(name) == text


def _compile_call(node: Call) -> Evaluator:
    arguments = tuple(_compile(a) for a in node.arguments)
    name = node.function
    if name == "isMemberOfGroupName" or name == "isMemberOfAnyGroup":
        wanted = frozenset(str(a.value) for a in node.arguments if isinstance(a, Literal))
        return lambda user, groups: not wanted.isdisjoint(groups)
    if name == "String.toLowerCase":
        (only,) = arguments

        def lower(user: Mapping[str, Any], groups: frozenset[str]) -> Any:
            value = _text(only(user, groups))
            return None if value is None else value.lower()

        return lower
    first, second = arguments
    if name == "Arrays.contains":

        def contains(user: Mapping[str, Any], groups: frozenset[str]) -> bool:
            array = first(user, groups)
            if array is None:
                return False
            if not isinstance(array, list | tuple | frozenset | set):
                raise _Invalid(array)
            value = second(user, groups)
            return any(_equal(item, value) for item in array)

        return contains
    starts = name == "String.startsWith"

    def string_test(user: Mapping[str, Any], groups: frozenset[str]) -> bool:
        text, search = _text(first(user, groups)), _text(second(user, groups))
        if text is None or search is None:
            return False
        return text.startswith(search) if starts else search in text

    return string_test
