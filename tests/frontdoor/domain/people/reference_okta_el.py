"""A plain reference evaluator of the Okta Expression Language subset frontdoor's group rules use.

Written from the Okta reference and SpEL's source, NOT from frontdoor/domain/people/okta_expression*.py
(a hand-written tokenizer and recursive-descent parser, no lark), so that the differential test
(test_differential_people.py) can compare the two. Its own case table is test_reference_okta_el.py.
Every semantic below cites where it comes from:

[EL]    developer.okta.com/docs/reference/okta-expression-language (okta/okta-developer-docs,
        packages/@okta/vuepress-site/docs/reference/okta-expression-language/index.md @468de9c5):
        "Okta Expression Language is based on SpEL and uses a subset"; String/Arrays/Group functions
        tables; "Check for null and blank attributes" (null and "" are different values);
        "Expressions in group rules" (only String, Arrays and user expressions; `user.hasBadge`).
[CASE]  support.okta.com "Group Rule Expression Is Case Sensitive": "treat blank spaces as distinct
        characters. Any discrepancy, whether an extra space or a letter in the wrong case, will cause a
        mismatch."
[ARR]   support.okta.com "Okta Group Rule Using Arrays.contains Against a String Array Attribute Fails
        to Match Substring Values": "exact, full-element match ... case-sensitive".
[NULL]  support.okta.com "How to search for null and blank or deleted values in attributes via API":
        "Okta will not see the NULL and blank values the same."
[SPEL]  spring-projects/spring-framework spring-expression: Tokenizer.java (whitespace is only
        ' ', '\\t', '\\r', '\\n'; textual NOT/EQ/NE... case-insensitive; quotes), InternalSpelExpressionParser
        (precedence: or < and < relational < unary; `!` is unary and binds tighter than `==`; and/or/
        null/true/false compared with equalsIgnoreCase), Operator.equalityCheck (two CharSequences:
        String.equals; numbers numerically; otherwise nullSafeEquals), OpAnd/OpOr (short-circuit; a
        null operand is "EL1001E type conversion null -> boolean"), OperatorNot (same for null),
        StringToBooleanConverter (a String operand of a boolean operator is converted:
        trim + lowercase, true/on/yes/1, false/off/no/0, else error).

Where Okta documents nothing, the evaluator does not guess: it evaluates under every plausible
reading (`POLICIES`) and, when the readings disagree on membership, answers `member=None` with the
reasons. The one assumption it does make (A1): an evaluation error for a user means the rule does not
add that user (Okta documents no runtime error behaviour; it cannot add a user on an error).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# A profile value as Okta holds it: null, a string, a number, a boolean, or an array attribute.
Value = None | str | int | float | bool | tuple["Value", ...]


class ParseError(ValueError):
    """Not SpEL syntax (a rule Okta would refuse as invalid)."""


class Unsupported(ValueError):
    """Valid Okta EL, but outside the subset frontdoor's group rules use."""


class EvalError(Exception):
    """A SpEL evaluation error (e.g. EL1001E: cannot convert null to boolean)."""


class _Empty:
    """An HR cell that is empty: Okta holds null (never populated) or "" (populated, then cleared) [EL]."""

    def __repr__(self) -> str:
        return "EMPTY"


EMPTY = _Empty()


@dataclass(frozen=True)
class Dialect:
    """Deviations from Okta, off by default: only for naming the cause of another evaluator's
    disagreement (the differential test's classifier turns them on one combination at a time)."""

    not_binds_looser: bool = False  # NOT x == y read as NOT (x == y)
    c_escapes: bool = False  # backslash escapes in string literals; "" inside "..." refused
    empty_is_null: bool = False  # a "" value reads as null
    arrays_need_array: bool = False  # Arrays.contains over a string is an error, not a CSV array


OKTA = Dialect()

# --- lexer (SpEL Tokenizer) ----------------------------------------------------------------------

_WHITESPACE = " \t\r\n"  # [SPEL] Tokenizer: "drift over white space" is exactly these four
_ALPHA = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_DIGITS = set("0123456789")
_IDENT_START = _ALPHA | {"_", "$"}
_IDENT_PART = _IDENT_START | _DIGITS
# [SPEL] alternative (textual) operator names; case-insensitive.
_TEXTUAL_OPERATORS = {"div", "eq", "ge", "gt", "le", "lt", "mod", "ne", "not"}


@dataclass(frozen=True)
class Token:
    kind: str  # STRING NUMBER IDENT ( ) , . == != ! && || = OP(other operator) EOF
    text: str
    value: object = None
    position: int = 0


def _string(source: str, start: int, c_escapes: bool = False) -> tuple[str, int]:
    """A quoted literal from `start` (the quote): a doubled quote is one quote; backslash is literal."""
    quote = source[start]
    if c_escapes and quote == '"':
        out_c: list[str] = []
        index = start + 1
        while index < len(source) and source[index] != '"':
            if source[index] == "\\" and index + 1 < len(source):
                index += 1
            out_c.append(source[index])
            index += 1
        if index >= len(source):
            raise ParseError(f"unterminated string literal at {start}")
        return "".join(out_c), index + 1
    out: list[str] = []
    index = start + 1
    while True:
        if index >= len(source):
            raise ParseError(f"unterminated string literal at {start}")
        char = source[index]
        if char == quote:
            if index + 1 < len(source) and source[index + 1] == quote:
                out.append(quote)
                index += 2
                continue
            return "".join(out), index + 1
        out.append(char)
        index += 1


def tokenize(source: str, dialect: Dialect = OKTA) -> list[Token]:
    tokens: list[Token] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char in _WHITESPACE:
            index += 1
            continue
        if char in ("'", '"'):
            value, end = _string(source, index, dialect.c_escapes)
            tokens.append(Token("STRING", source[index:end], value, index))
            index = end
            continue
        if char in _DIGITS:
            end = index
            while end < len(source) and source[end] in _DIGITS:
                end += 1
            is_real = end + 1 < len(source) and source[end] == "." and source[end + 1] in _DIGITS
            if is_real:
                end += 1
                while end < len(source) and source[end] in _DIGITS:
                    end += 1
            if end < len(source) and source[end] in "LlFfDdEeXx":
                raise Unsupported(f"number suffix/exponent/hex at {index}")
            text = source[index:end]
            tokens.append(Token("NUMBER", text, float(text) if is_real else int(text), index))
            index = end
            continue
        if char in _IDENT_START:
            end = index + 1
            while end < len(source) and source[end] in _IDENT_PART:
                end += 1
            word = source[index:end]
            lowered = word.lower()
            if lowered in _TEXTUAL_OPERATORS:
                kind = {"not": "!", "eq": "==", "ne": "!="}.get(lowered, "OP")
                tokens.append(Token(kind, word, None, index))
            else:
                tokens.append(Token("IDENT", word, None, index))
            index = end
            continue
        two = source[index : index + 2]
        if two in ("==", "!=", "&&", "||"):
            tokens.append(Token(two, two, None, index))
            index += 2
            continue
        if two in ("<=", ">=", "?:", "?.", "?[", "![", "^[", "$["):
            tokens.append(Token("OP", two, None, index))
            index += 2
            continue
        if char in "(),.!=":
            tokens.append(Token(char, char, None, index))
            index += 1
            continue
        if char in "+-*/%^<>?:[]{}#@":
            tokens.append(Token("OP", char, None, index))
            index += 1
            continue
        raise ParseError(f"SpEL cannot handle character {char!r} at {index}")
    tokens.append(Token("EOF", "", None, len(source)))
    return tokens


# --- AST -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: Value


@dataclass(frozen=True)
class Attribute:
    name: str


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Binary:
    operator: str  # "and" | "or" | "==" | "!="
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple[Node, ...]


Node = Literal | Attribute | Not | Binary | Call

FUNCTIONS = {  # name -> (min args, max args or None)
    "String.stringContains": (2, 2),
    "String.startsWith": (2, 2),
    "String.toLowerCase": (1, 1),
    "Arrays.contains": (2, 2),
    "isMemberOfAnyGroup": (1, None),
    "isMemberOfGroupName": (1, 1),
}


class _Parser:
    """Recursive descent with SpEL's precedence: or < and < relational < unary < primary."""

    def __init__(self, source: str, dialect: Dialect = OKTA) -> None:
        self.tokens = tokenize(source, dialect)
        self.index = 0
        self.dialect = dialect

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def is_word(self, word: str) -> bool:
        token = self.peek()
        return token.kind == "IDENT" and token.text.lower() == word  # [SPEL] equalsIgnoreCase

    def parse(self) -> Node:
        node = self.or_expression()
        token = self.peek()
        if token.kind == "OP" and token.text in ("?", "?:"):
            raise Unsupported("the conditional/Elvis operator")
        if token.kind == "=":
            raise ParseError("assignment '=' is not allowed (use ==)")  # [EL] conditions
        if token.kind != "EOF":
            raise ParseError(f"more input after the expression at {token.position}: {token.text!r}")
        return node

    def or_expression(self) -> Node:
        node = self.and_expression()
        while self.is_word("or") or self.peek().kind == "||":
            self.take()
            node = Binary("or", node, self.and_expression())
        return node

    def and_expression(self) -> Node:
        node = self.relational()
        while self.is_word("and") or self.peek().kind == "&&":
            self.take()
            node = Binary("and", node, self.relational())
        return node

    def relational(self) -> Node:
        node = self.unary()
        token = self.peek()
        if token.kind in ("==", "!="):
            self.take()
            node = Binary(token.kind, node, self.unary())
        elif token.kind == "OP" and token.text.lower() in ("<", ">", "<=", ">=", "lt", "gt", "le", "ge"):
            raise Unsupported(f"the relational operator {token.text!r}")
        elif token.kind == "IDENT" and token.text.lower() in ("matches", "between", "instanceof"):
            raise Unsupported(f"the operator {token.text!r}")
        return node

    def unary(self) -> Node:
        token = self.peek()
        if token.kind == "!":
            self.take()
            return Not(self.relational() if self.dialect.not_binds_looser else self.unary())
        if token.kind == "OP" and token.text in ("+", "-"):
            raise Unsupported("arithmetic")
        return self.primary()

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "STRING":
            node: Node = Literal(str(token.value))
        elif token.kind == "NUMBER":
            node = Literal(token.value)  # type: ignore[arg-type]
        elif token.kind == "(":
            node = self.or_expression()
            if self.take().kind != ")":
                raise ParseError("missing ')'")
        elif token.kind == "IDENT":
            lowered = token.text.lower()
            if lowered in ("true", "false"):
                node = Literal(lowered == "true")
            elif lowered == "null":
                node = Literal(None)
            else:
                node = self.path_or_call(token)
        elif token.kind == "EOF":
            raise ParseError("unexpected end of expression")
        elif token.kind == "OP" and token.text == "{":
            raise Unsupported("collection literals")
        else:
            raise ParseError(f"unexpected {token.text!r} at {token.position}")
        following = self.peek()
        if following.kind == "." or (following.kind == "OP" and following.text in ("[", "?.")):
            raise Unsupported("property access or indexing on a value")
        return node

    def path_or_call(self, first: Token) -> Node:
        parts = [first.text]
        while self.peek().kind == ".":
            self.take()
            name = self.take()
            if name.kind != "IDENT":
                raise ParseError(f"a name must follow '.' at {name.position}")
            parts.append(name.text)
        path = ".".join(parts)
        if self.peek().kind == "(":
            self.take()
            arguments: list[Node] = []
            if self.peek().kind != ")":
                arguments.append(self.or_expression())
                while self.peek().kind == ",":
                    self.take()
                    arguments.append(self.or_expression())
            if self.take().kind != ")":
                raise ParseError("missing ')' after arguments")
            if path not in FUNCTIONS:
                raise Unsupported(f"the function {path!r}")
            low, high = FUNCTIONS[path]
            if len(arguments) < low or (high is not None and len(arguments) > high):
                raise ParseError(f"{path} takes {low}{'' if high == low else '+'} argument(s)")
            return Call(path, tuple(arguments))
        if len(parts) == 2 and parts[0] == "user":
            if parts[1] == "status":
                raise Unsupported('user.status (Okta: use user.getInternalProperty("status"))')
            return Attribute(parts[1])
        raise Unsupported(f"the reference {path!r}")


def parse(source: str, dialect: Dialect = OKTA) -> Node:
    return _Parser(source, dialect).parse()


# --- evaluation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """One reading of the points the Okta documentation leaves open."""

    # String.stringContains/startsWith with a null argument: "false" or "error". toLowerCase(null):
    # "false" reads as null, "error" as an error. Undocumented in [EL].
    null_string_function: str = "false"
    # A string where a boolean is needed (`user.x AND ...`, `!user.x`): SpEL converts it
    # (StringToBooleanConverter); Okta's rule validator may refuse it instead. "convert" | "error".
    string_as_boolean: str = "convert"
    # Arrays.contains(null, v): [EL] documents Arrays.size(NULL) = 0 and Arrays.isEmpty(NULL) = true,
    # not contains. "false" | "error".
    null_array: str = "false"
    # Arrays.contains("a, b", v): [EL] "comma-separated values ... are converted into arrays"; whether
    # the split trims elements is undocumented. "keep" | "trim".
    csv_elements: str = "keep"


POLICIES = tuple(
    Policy(a, b, c, d)
    for a, b, c, d in itertools.product(
        ("false", "error"), ("convert", "error"), ("false", "error"), ("keep", "trim")
    )
)

_TRUE_WORDS = {"true", "on", "yes", "1"}
_FALSE_WORDS = {"false", "off", "no", "0"}


def _java_trim(text: str) -> str:
    """java.lang.String.trim(): strips code points <= U+0020 only (not NBSP)."""
    start, end = 0, len(text)
    while start < end and ord(text[start]) <= 0x20:
        start += 1
    while end > start and ord(text[end - 1]) <= 0x20:
        end -= 1
    return text[start:end]


def to_boolean(value: Value, policy: Policy) -> bool:
    """SpEL's conversion of an operand of AND/OR/NOT to boolean [SPEL]."""
    if isinstance(value, bool):
        return value
    if value is None:
        raise EvalError("EL1001E: cannot convert null to boolean")
    if isinstance(value, str):
        if policy.string_as_boolean == "error":
            raise EvalError("a string is not a boolean")
        word = _java_trim(value)
        if word == "":
            raise EvalError("EL1001E: empty string converts to null, not boolean")
        word = word.lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise EvalError(f"invalid boolean value {value!r}")
    raise EvalError(f"cannot convert {type(value).__name__} to boolean")


def spel_equal(left: Value, right: Value) -> bool:
    """Operator.equalityCheck [SPEL]: strings by String.equals (exact, case- and space-sensitive)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return (
            float(left) == float(right)
            if isinstance(left, float) or isinstance(right, float)
            else left == right
        )
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if left is None or right is None:
        return left is None and right is None
    return left == right and type(left) is type(right)


def java_lower(text: str) -> str:
    """java.lang.String.toLowerCase() in a non-Turkish locale; Python's str.lower() applies the same
    full Unicode case mapping (final sigma included) up to Unicode-version differences."""
    return text.lower()


def _string_argument(value: Value, policy: Policy) -> str | None:
    if value is None:
        if policy.null_string_function == "error":
            raise EvalError("null argument to a String function")
        return None
    if isinstance(value, str):
        return value
    raise EvalError(f"a String function got {type(value).__name__}")


def _array_elements(value: Value, policy: Policy, dialect: Dialect = OKTA) -> tuple[Value, ...] | None:
    if value is None:
        if policy.null_array == "error":
            raise EvalError("Arrays.contains over null")
        return None
    if isinstance(value, tuple):
        return value
    if (
        isinstance(value, str) and not dialect.arrays_need_array
    ):  # [EL] "comma-separated values ... are converted into arrays"
        parts = value.split(",")
        return tuple(_java_trim(p) for p in parts) if policy.csv_elements == "trim" else tuple(parts)
    raise EvalError(f"Arrays.contains over {type(value).__name__}")


def evaluate(
    node: Node, user: Mapping[str, Value], groups: frozenset[str], policy: Policy, dialect: Dialect = OKTA
) -> Value:
    """The SpEL value of `node`; raises EvalError as SpEL would."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Attribute):
        return user.get(node.name)
    if isinstance(node, Not):
        return not to_boolean(evaluate(node.operand, user, groups, policy, dialect), policy)
    if isinstance(node, Binary):
        if node.operator == "and":  # [SPEL] OpAnd: short-circuit on a false left operand
            if not to_boolean(evaluate(node.left, user, groups, policy, dialect), policy):
                return False
            return to_boolean(evaluate(node.right, user, groups, policy, dialect), policy)
        if node.operator == "or":  # [SPEL] OpOr: short-circuit on a true left operand
            if to_boolean(evaluate(node.left, user, groups, policy, dialect), policy):
                return True
            return to_boolean(evaluate(node.right, user, groups, policy, dialect), policy)
        equal = spel_equal(
            evaluate(node.left, user, groups, policy, dialect),
            evaluate(node.right, user, groups, policy, dialect),
        )
        return equal if node.operator == "==" else not equal
    arguments = [evaluate(a, user, groups, policy, dialect) for a in node.arguments]
    if node.function in ("String.stringContains", "String.startsWith"):
        text, part = (_string_argument(a, policy) for a in arguments)
        if text is None or part is None:
            return False
        return part in text if node.function == "String.stringContains" else text.startswith(part)
    if node.function == "String.toLowerCase":
        text = _string_argument(arguments[0], policy)
        return None if text is None else java_lower(text)
    if node.function == "Arrays.contains":
        elements = _array_elements(arguments[0], policy, dialect)
        return elements is not None and any(spel_equal(e, arguments[1]) for e in elements)  # [ARR]
    # Group functions: exact names/ids (case-sensitivity of names inferred from [CASE]). [EL] "Group
    # functions": isMemberOfGroupName("group1") by name, isMemberOfAnyGroup("groupId1", ...) by id.
    if any(not isinstance(a, str) for a in arguments):
        raise EvalError(f"{node.function} takes strings")
    by_id = node.function == "isMemberOfAnyGroup"
    return any(a in groups and _okta_group_id(str(a)) is by_id for a in arguments)


def _okta_group_id(text: str) -> bool:
    """[EL]/Groups API ids: "00g1emaKYZTWRYYRRTSK" (20 ASCII letters/digits, "00g" first)."""
    return len(text) == 20 and text.startswith("00g") and text.isascii() and text.isalnum()


def attributes_read(node: Node) -> frozenset[str]:
    if isinstance(node, Attribute):
        return frozenset({node.name})
    if isinstance(node, Not):
        return attributes_read(node.operand)
    if isinstance(node, Binary):
        return attributes_read(node.left) | attributes_read(node.right)
    if isinstance(node, Call):
        return frozenset().union(*(attributes_read(a) for a in node.arguments))
    return frozenset()


@dataclass(frozen=True)
class Verdict:
    """Whether the rule adds the user. `member` is None when the documentation does not decide it."""

    member: bool | None
    outcomes: frozenset[str]  # "true" / "false" / "error" seen over the readings
    open_points: tuple[str, ...] = ()


def membership(
    source: str | Node,
    user: Mapping[str, Value | _Empty],
    groups: Iterable[str] = (),
    dialect: Dialect = OKTA,
) -> Verdict:
    """Does the group rule `source` add this user? EMPTY values are tried as null and as ""."""
    node = parse(source, dialect) if isinstance(source, str) else source
    if dialect.empty_is_null:
        user = {k: (None if v == "" or v is EMPTY else v) for k, v in user.items()}
    group_set = frozenset(groups)
    empties = sorted(n for n in attributes_read(node) if user.get(n) is EMPTY)
    results: dict[bool, list[str]] = {}
    outcomes: set[str] = set()
    for fill in itertools.product((None, ""), repeat=len(empties)):
        profile: dict[str, Value] = {k: v for k, v in user.items() if v is not EMPTY}  # type: ignore[misc]
        profile.update(zip(empties, fill, strict=True))
        for policy in POLICIES:
            try:
                value = evaluate(node, profile, group_set, policy, dialect)
                if not isinstance(value, bool):
                    value = to_boolean(value, policy)  # [EL] "Expressions must evaluate to a Boolean"
                outcome = "true" if value else "false"
            except EvalError:
                outcome = "error"
            outcomes.add(outcome)
            reading = f"empty={dict(zip(empties, fill, strict=True))} {policy}"
            results.setdefault(outcome == "true", []).append(reading)  # A1: error -> not added
    if len(results) == 1:
        return Verdict(next(iter(results)), frozenset(outcomes))
    return Verdict(None, frozenset(outcomes), tuple(results[True][:1] + results[False][:1]))


def profile_from_csv_row(row: Mapping[str, str], columns: Mapping[str, str]) -> dict[str, Value | _Empty]:
    """Okta profile values an HR CSV row sets: each cell exactly as written (Okta does not trim), an
    empty cell EMPTY. `columns`: CSV header -> Okta attribute."""
    return {attribute: (row[header] if row[header] != "" else EMPTY) for header, attribute in columns.items()}


def profile_from_json_object(
    item: Mapping[str, object], columns: Mapping[str, str]
) -> dict[str, Value | _Empty]:
    """Okta profile values a JSON HR record sets: strings as written, lists as arrays, null/"" EMPTY."""
    profile: dict[str, Value | _Empty] = {}
    for key, attribute in columns.items():
        raw = item.get(key)
        if raw is None or raw == "":
            profile[attribute] = EMPTY
        elif isinstance(raw, list):
            profile[attribute] = tuple(raw)
        else:
            profile[attribute] = raw  # type: ignore[assignment]
    return profile
