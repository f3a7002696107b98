"""Okta Expression Language for group rules: a real grammar (lark) and the subset we evaluate.

Owns how a members expression (`okta.group.Rule.expression_value`) is read: `parse` turns the text
into a checked tree (okta_expression_tree.py) or raises `ExpressionError` naming the column and what
was expected, and returns it as an `Expression` that evaluates it for one HR record
(okta_expression_evaluation.py, which also says how null is handled); `reads` lists the attributes
and group names an expression reads (the cascade check of the "Deployable" issue reuses it).

The grammar accepts more of the language than we evaluate (relational and arithmetic operators, the
conditional and Elvis operators, collection literals, any dotted function call), so that a construct
outside the subset is refused by name instead of surfacing as a bare syntax error. The subset is what
Okta documents for group rules (developer.okta.com/docs/reference/okta-expression-language,
"Expressions in group rules"; tests/frontdoor/domain/people/test_okta_expression.py pins each case to
its passage): `user.<attribute>`, string/number/boolean/null literals, `==`, `!=`, `AND`/`OR`/`NOT` and
`&&`/`||`/`!`, parentheses, `String.stringContains`, `String.startsWith`, `String.toLowerCase`,
`Arrays.contains`, `isMemberOfAnyGroup`, `isMemberOfGroupName`. An attribute is compared, never read as
true/false (`!user.isContractor` is refused by name: `_boolean_read`).

The grammar and the builder that turns its parse tree into the checked tree stay one module (about
400 lines, a quarter of them the grammar's text): every refusal the builder writes names a rule or a
terminal of that grammar, so the two change together.
"""

from __future__ import annotations

import functools
import hashlib
import pprint
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import lark
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.grammar import Rule
from lark.lexer import TerminalDef

from frontdoor.domain.people.okta_expression_evaluation import (
    Expression,
    compile_tree,
)
from frontdoor.domain.people.okta_expression_tree import (
    Attribute,
    BoolOp,
    Call,
    Equality,
    Literal,
    Node,
    Not,
    Reads,
)

GRAMMAR = r"""
?start: expr

?expr: or_expr
     | or_expr "?" expr ":" expr          -> ternary
     | or_expr ELVIS expr                 -> elvis

?or_expr: and_expr
        | or_expr OR and_expr             -> or_
?and_expr: comparison
         | and_expr AND comparison        -> and_
?comparison: sum
           | sum EQ_OP sum                -> equality
           | sum REL_OP sum               -> relational
?sum: unary
    | sum ARITH_OP unary                  -> arithmetic
?unary: NOT unary                         -> not_
      | primary

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
STRING: /"(?:[^"]|"")*"/ | /'(?:[^']|'')*'/
NUMBER: /\d+(\.\d+)?/
WS: /[ \t\r\n]+/

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


# --- parsing ----------------------------------------------------------------------------------------


def compile_grammar() -> Lark:
    """The LALR parser lark builds from GRAMMAR: ~0.03 s of CPU, the first time in a process."""
    return Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def parser_tables(parser: Lark) -> dict[str, Any]:
    """What `Lark.load` rebuilds `parser` from (its rules, terminals, LALR tables and options)."""
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    return {"data": data, "memo": memo}


def grammar_sha256() -> str:
    return hashlib.sha256(GRAMMAR.encode()).hexdigest()


TABLES_MODULE = Path(__file__).with_name("okta_expression_tables.py")


def tables_module_text(tables: dict[str, Any]) -> str:
    """okta_expression_tables.py's text for `tables` (excluded from ruff: pprint lays it out)."""
    return (
        '"""Generated from okta_expression.GRAMMAR by `python -m frontdoor.domain.people.okta_expression`;\n'
        "do not edit. The parser lark builds from the grammar, as `Lark.load` reads it back; used only\n"
        "while GRAMMAR_SHA256 and LARK_VERSION are the grammar's and lark's (the state numbering differs\n"
        "between builds, so the grammar's hash, not the tables, says whether they are current).\n"
        '"""\n\n'
        "from typing import Any\n\n"
        f"GRAMMAR_SHA256 = {grammar_sha256()!r}\n"
        f"LARK_VERSION = {lark.__version__!r}\n"
        f"TABLES: dict[str, Any] = {pprint.pformat(tables, width=110, sort_dicts=True)}\n"
    )


@functools.cache
def _parser() -> Lark:
    # Loading the stored tables takes 0.002 s of CPU, building them 0.03 s: a fixed cost of every
    # preview's prevalidate. Tables of another grammar or lark are not used (correct, only slower); a
    # test keeps them current and the loaded parser's answers equal to a fresh build's.
    from frontdoor.domain.people import okta_expression_tables as stored

    if grammar_sha256() == stored.GRAMMAR_SHA256 and lark.__version__ == stored.LARK_VERSION:
        return Lark.load(stored.TABLES)
    return compile_grammar()


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
    """SpEL's string literal: a doubled quote is one quote, a backslash is itself (Okta's own example
    `"\\" + substringBefore(user.email, "@")` gives `GMAIL\\winston.churchill`)."""
    text = str(token)
    quote = text[0]
    return text[1:-1].replace(quote * 2, quote)


def _path(tree: Tree[Token]) -> str:
    return ".".join(str(part) for part in tree.children)


def _build(tree: Tree[Token] | Token, source: str) -> Node:
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
        return Not(_boolean(_build(children[1], source), "NOT", _column(children[0])))
    if kind in ("and_", "or_"):
        op = "and" if kind == "and_" else "or"
        left = _boolean(_build(children[0], source), op.upper(), _column(children[1]))
        right = _boolean(_build(children[2], source), op.upper(), _column(children[1]))
        operands = (*left.operands, right) if isinstance(left, BoolOp) and left.op == op else (left, right)
        return BoolOp(op, operands)
    if kind == "equality":
        for side in (children[0], children[2]):
            if isinstance(side, Tree) and side.data == "not_":
                raise _not_before_comparison(tree, side, source)
        left, right = _build(children[0], source), _build(children[2], source)
        for operand, other in ((left, right), (right, left)):
            if isinstance(operand, Attribute) and _type(other) == "boolean":
                raise _boolean_read(operand, _column(children[1]))
        return Equality(str(children[1]) == "!=", left, right)
    if kind == "call":
        return _call(tree, column, source)
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


def _text_of(tree: Tree[Token] | Token, source: str) -> str:
    if isinstance(tree, Token):
        return str(tree)
    return source[tree.meta.start_pos : tree.meta.end_pos]


def _not_before_comparison(comparison: Tree[Token], negation: Tree[Token], source: str) -> ExpressionError:
    """`NOT user.team == "payments"` reads, in Okta as in SpEL, `(NOT user.team) == "payments"`:
    SpEL's parser takes `!`/NOT as a unary operator, binding tighter than `==` and `!=`
    (InternalSpelExpressionParser: eatRelationalExpression over eatUnaryExpression). That compares
    true/false with the other side, which no one writing it means: refused, with both fixes."""
    operator_token, operand = negation.children
    left, operator, right = comparison.children
    other = right if left is negation else left
    negated = _text_of(operand, source)
    inverse = "!=" if str(operator) == "==" else "=="
    column = _column(operator_token)
    return ExpressionError(
        f"NOT at column {column} negates only {negated}: in Okta, as in SpEL, NOT (!) binds tighter than "
        f"== and !=, so this compares true/false with {_text_of(other, source)}",
        f"to negate the comparison write NOT ({negated} {operator} {_text_of(other, source)}), "
        f"or {negated} {inverse} {_text_of(other, source)}",
        column,
    )


def _call(tree: Tree[Token], column: int | None, source: str) -> Call:
    path_tree, *rest = tree.children
    name = _path(path_tree)  # type: ignore[arg-type]
    if name not in FUNCTIONS:
        raise _outside(f"the function {name!r}", column)
    arguments = [_build(a, source) for a in rest[0].children] if rest else []  # type: ignore[union-attr]
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


def _boolean_read(attribute: Attribute, column: int | None) -> ExpressionError:
    """`user.hasBadge`, `!user.isContractor`, `user.isContractor == true`: Okta's reference reads a
    Boolean attribute so ("Samples using group rules": `!user.isContractor`, isContractor of type
    Boolean). No HR export frontdoor reads can hold a boolean (every value is a string; a JSON true is
    refused, hr_export.py), and how Okta reads a string as true/false is undocumented, so the rule
    would match no one here whatever Okta does: refused, as every construct we cannot evaluate is."""
    name = attribute.name
    return ExpressionError(
        f"user.{name} is read as a boolean (true/false) at column {column}: frontdoor evaluates rules "
        "over HR values, which are all strings (a JSON true is refused), so it cannot say whom this "
        "rule matches in Okta",
        f'compare it with the string HR exports, e.g. user.{name} == "true"; Okta\'s base profile '
        "attributes and the custom ones frontdoor creates are strings",
        column,
    )


def _boolean(node: Node, operator: str, column: int | None) -> Node:
    if isinstance(node, Attribute):
        raise _boolean_read(node, column)
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
    tree = _build(concrete, text)
    if isinstance(tree, Attribute):
        raise _boolean_read(tree, 1)
    if _type(tree) not in ("boolean", "any"):
        raise ExpressionError(
            f"a group rule must be a true/false condition, this expression is a {_type(tree)}",
            'compare it, e.g. user.team == "payments"',
            1,
        )
    return Expression(text, tree, _reads(tree), compile_tree(tree))


def reads(source: str) -> Reads:
    """The attributes and group names/ids an expression reads (raises ExpressionError if invalid)."""
    return parse(source).reads


def unknown_attributes(expression: Expression, known: Iterable[str]) -> list[str]:
    return sorted(expression.reads.attributes - set(known))


if __name__ == "__main__":  # regenerate the stored tables after a change to GRAMMAR
    TABLES_MODULE.write_text(tables_module_text(parser_tables(compile_grammar())))
