"""A small IAM policy evaluator for exactly the grammar frontdoor's documents use; fails closed on the rest.

Covers identity policies and service control policies: `Version`, `Statement` (object or list), `Sid`,
`Effect`, `Action`/`NotAction` and `Resource`/`NotResource` with `*`/`?` wildcards, policy variables
(`${aws:PrincipalTag/team}`, the `${*}`/`${?}`/`${$}` escapes, `${key, 'default'}`), and the condition
operators String*, Arn*, Bool, Null and Date* with `IfExists` and the `ForAllValues:`/`ForAnyValue:`
set qualifiers. Anything else (Principal, Numeric*, IpAddress, an unknown element, a malformed value)
raises `UnsupportedPolicy` naming the construct: an evaluator that guessed would turn a canary green
for the wrong reason.

Decision order follows the IAM user guide's "Policy evaluation logic": an explicit Deny in any policy
wins; otherwise every SCP level (the root, each OU down to the account) must allow the action; then the
permissions boundary, when the role has one, must allow it; then an identity-policy Allow is needed;
otherwise the request is implicitly denied. Every rule here is pinned
by a case in tests/frontdoor/domain/proof/test_iam_evaluator.py that cites the documentation it follows.
Pure: no AWS calls, no I/O.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Decision = Literal["allow", "explicit-deny", "implicit-deny"]
POLICY_VERSION = "2012-10-17"
_STATEMENT_ELEMENTS = frozenset(
    {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_DEFAULT = re.compile(r"^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


class UnsupportedPolicy(ValueError):
    """A construct this evaluator does not implement; the message names it and where it was met."""


@dataclass(frozen=True)
class Request:
    """One authorization request: action, resource ARN and the request context (condition keys)."""

    action: str
    resource: str
    context: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_lower_name", {name.lower(): v for name, v in self.context.items()})

    def value(self, key: str) -> tuple[str, ...] | None:
        """The context values of a key (key names are case-insensitive), None when absent."""
        found: tuple[str, ...] | None = self.__dict__["_by_lower_name"].get(key.lower())
        return found


@dataclass(frozen=True)
class Evaluation:
    decision: Decision
    policy: str = ""  # the policy that decided (a deny or the allow), or why nothing allowed
    statement: str = ""  # its Sid, or its position

    @property
    def allowed(self) -> bool:
        return self.decision == "allow"


@dataclass(frozen=True)
class NamedPolicy:
    name: str
    document: Mapping[str, Any]


def evaluate(
    request: Request,
    identity_policies: Sequence[NamedPolicy],
    scp_levels: Sequence[Sequence[NamedPolicy]] = (),
    boundary: NamedPolicy | None = None,
) -> Evaluation:
    """The decision for one request: explicit deny > every SCP level allows > the permissions
    boundary allows > identity allow."""
    everything = [*identity_policies, *(policy for level in scp_levels for policy in level)]
    if boundary is not None:
        everything.append(boundary)
    for policy in everything:
        for label, statement in _statements(policy):
            if statement["Effect"] == "Deny" and _matches(statement, request, _literal(policy), label):
                return Evaluation("explicit-deny", policy.name, label)
    for depth, level in enumerate(scp_levels):
        if not any(
            statement["Effect"] == "Allow" and _matches(statement, request, _literal(policy), label)
            for policy in level
            for label, statement in _statements(policy)
        ):
            names = ", ".join(policy.name for policy in level) or "no policy"
            return Evaluation("implicit-deny", f"SCP level {depth} ({names})", "no Allow")
    if boundary is not None and not any(
        statement["Effect"] == "Allow" and _matches(statement, request, _literal(boundary), label)
        for label, statement in _statements(boundary)
    ):
        # "Permissions boundaries for IAM entities": the effective permissions are the intersection
        # of the identity policies and the boundary, so a boundary without an Allow denies.
        return Evaluation("implicit-deny", f"permissions boundary {boundary.name}", "no Allow")
    for policy in identity_policies:
        for label, statement in _statements(policy):
            if statement["Effect"] == "Allow" and _matches(statement, request, _literal(policy), label):
                return Evaluation("allow", policy.name, label)
    return Evaluation("implicit-deny", "identity policies", "no Allow")


def _literal(policy: NamedPolicy) -> bool:
    """Before Version 2012-10-17, `${...}` is literal text, not a variable."""
    return policy.document.get("Version") != POLICY_VERSION


# id(document) -> (document, its checked statements): the canary evaluates the same few documents
# thousands of times. The document is kept so its id cannot be reused by another object.
_CHECKED: dict[int, tuple[Mapping[str, Any], str, list[tuple[str, Mapping[str, Any]]]]] = {}


def _statements(policy: NamedPolicy) -> list[tuple[str, Mapping[str, Any]]]:
    cached = _CHECKED.get(id(policy.document))
    if cached is not None and cached[0] is policy.document and cached[1] == policy.name:
        return cached[2]
    out = _check_statements(policy)
    if len(_CHECKED) > 4096:
        _CHECKED.clear()
    _CHECKED[id(policy.document)] = (policy.document, policy.name, out)
    return out


def _check_statements(policy: NamedPolicy) -> list[tuple[str, Mapping[str, Any]]]:
    document = policy.document
    unknown = set(document) - {"Version", "Id", "Statement"}
    if unknown:
        raise UnsupportedPolicy(f"{policy.name}: policy element {sorted(unknown)[0]!r}")
    version = document.get("Version")
    if version not in (None, POLICY_VERSION, "2008-10-17"):
        raise UnsupportedPolicy(f"{policy.name}: Version {version!r}")
    raw = document.get("Statement")
    statements = [raw] if isinstance(raw, Mapping) else raw
    if not isinstance(statements, list):
        raise UnsupportedPolicy(f"{policy.name}: Statement of type {type(raw).__name__}")
    out = []
    for index, statement in enumerate(statements):
        if not isinstance(statement, Mapping):
            raise UnsupportedPolicy(f"{policy.name}: statement {index} is not an object")
        label = f"{policy.name}#{statement.get('Sid') or index}"
        extra = set(statement) - _STATEMENT_ELEMENTS
        if extra:
            raise UnsupportedPolicy(f"{label}: statement element {sorted(extra)[0]!r}")
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise UnsupportedPolicy(f"{label}: Effect {statement.get('Effect')!r}")
        if ("Action" in statement) == ("NotAction" in statement):
            raise UnsupportedPolicy(f"{label}: needs exactly one of Action and NotAction")
        if ("Resource" in statement) == ("NotResource" in statement):
            raise UnsupportedPolicy(f"{label}: needs exactly one of Resource and NotResource")
        element = "Action" if "Action" in statement else "NotAction"
        matcher = _ActionMatcher(tuple(_strings(statement[element], label)))
        # The checked statement carries its action matcher: checked once, asked many times.
        checked: Mapping[str, Any] = {**statement, _MATCHER: matcher}
        out.append((str(statement.get("Sid") or index), checked))
    return out


def _strings(value: Any, where: str) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise UnsupportedPolicy(f"{where}: expected a string or a list of strings, got {value!r}")
    return items


def _matches(statement: Mapping[str, Any], request: Request, literal: bool, label: str) -> bool:
    hit_action = statement[_MATCHER](request.action)
    action_ok = hit_action if "Action" in statement else not hit_action
    if not action_ok:
        return False
    element = "Resource" if "Resource" in statement else "NotResource"
    written = statement[element]
    if written == "*" or written == ["*"]:
        hit = True  # the common case, without building a pattern: `*` matches every resource
    else:
        patterns = [_pattern(p, request, literal, label) for p in _strings(written, label)]
        hit = any(p is not None and re.fullmatch(p, request.resource, re.DOTALL) for p in patterns)
    if hit != (element == "Resource"):
        return False
    condition = statement.get("Condition", {})
    if not isinstance(condition, Mapping):
        raise UnsupportedPolicy(f"{label}: Condition is not an object")
    return all(_operator(op, keys, request, literal, label) for op, keys in condition.items())


_MATCHER = " action matcher"  # a key no policy can hold: statement elements are checked first


class _ActionMatcher:
    """Whether any of a statement's action patterns matches (case-insensitive), remembered per action:
    an AWS managed policy such as ReadOnlyAccess lists thousands of patterns, and the canary asks the
    same few actions many times."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = patterns
        self.answers: dict[str, bool] = {}

    def __call__(self, action: str) -> bool:
        answer = self.answers.get(action)
        if answer is None:
            answer = self.answers[action] = any(_glob(p, action, True) for p in self.patterns)
        return answer


def _glob(pattern: str, value: str, ignore_case: bool) -> bool:
    return _compiled_glob(pattern, ignore_case).fullmatch(value) is not None


@functools.lru_cache(maxsize=8192)
def _compiled_glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(regex, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def _substitute(text: str, request: Request, literal: bool, label: str) -> str | None:
    """Policy variables replaced by their request values; None when one has no value (no match)."""
    parts = _resolve(text, request, literal, label)
    return None if parts is None else "".join(value for value, _ in parts)


def _pattern(text: str, request: Request, literal: bool, label: str) -> str | None:
    """A wildcard pattern as a regex: `*`/`?` written in the policy are wildcards; substituted values
    and the `${*}`/`${?}`/`${$}` escapes are literal text."""
    parts = _resolve(text, request, literal, label)
    if parts is None:
        return None
    return "".join(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in value)
        if is_pattern
        else re.escape(value)
        for value, is_pattern in parts
    )


def _resolve(text: str, request: Request, literal: bool, label: str) -> list[tuple[str, bool]] | None:
    """The text split into (value, is-policy-pattern) parts with variables resolved; None if one has
    no value and no default."""
    if literal:
        return [(text, True)]
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in _VARIABLE.finditer(text):
        parts.append((text[position : match.start()], True))
        position = match.end()
        inner = match.group(1)
        if inner in _ESCAPES:
            parts.append((_ESCAPES[inner], False))
            continue
        default = _DEFAULT.match(inner)
        key = default.group(1) if default else inner.strip()
        if not re.fullmatch(r"[A-Za-z0-9_.:/=+\-@]+", key):
            raise UnsupportedPolicy(f"{label}: policy variable ${{{inner}}}")
        values = request.value(key)
        if values is not None and len(values) != 1:
            raise UnsupportedPolicy(f"{label}: policy variable ${{{inner}}} with several values")
        if values is None:
            if not default:
                return None
            parts.append((default.group(2), False))
        else:
            parts.append((values[0], False))
    parts.append((text[position:], True))
    return parts


def _parse_date(text: str, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UnsupportedPolicy(f"{where}: date {text!r} is not ISO 8601") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _string_equals(policy: str, value: str) -> bool:
    return policy == value


def _arn_like(policy: str, value: str) -> bool:
    want, got = policy.split(":", 5), value.split(":", 5)
    if len(want) != 6 or len(got) != 6:
        return False
    return all(_glob(w, g, False) for w, g in zip(want, got, strict=True))


def _date(compare: Callable[[dt.datetime, dt.datetime], bool]) -> Callable[[str, str], bool]:
    def check(policy: str, value: str) -> bool:
        return compare(_parse_date(value, "request"), _parse_date(policy, "policy"))

    return check


# base operator -> (value test, negated)
_OPERATORS: dict[str, tuple[Callable[[str, str], bool], bool]] = {
    "StringEquals": (_string_equals, False),
    "StringNotEquals": (_string_equals, True),
    "StringEqualsIgnoreCase": (lambda p, v: p.lower() == v.lower(), False),
    "StringNotEqualsIgnoreCase": (lambda p, v: p.lower() == v.lower(), True),
    "StringLike": (lambda p, v: re.fullmatch(p, v, re.DOTALL) is not None, False),
    "StringNotLike": (lambda p, v: re.fullmatch(p, v, re.DOTALL) is not None, True),
    "ArnEquals": (_string_equals, False),
    "ArnNotEquals": (_string_equals, True),
    "ArnLike": (_arn_like, False),
    "ArnNotLike": (_arn_like, True),
    "Bool": (lambda p, v: p.lower() == v.lower(), False),
    "DateEquals": (_date(lambda v, p: v == p), False),
    "DateNotEquals": (_date(lambda v, p: v == p), True),
    "DateLessThan": (_date(lambda v, p: v < p), False),
    "DateLessThanEquals": (_date(lambda v, p: v <= p), False),
    "DateGreaterThan": (_date(lambda v, p: v > p), False),
    "DateGreaterThanEquals": (_date(lambda v, p: v >= p), False),
}


def _operator(op: str, keys: Any, request: Request, literal: bool, label: str) -> bool:
    where = f"{label}: condition {op}"
    if not isinstance(keys, Mapping):
        raise UnsupportedPolicy(f"{where}: expected an object of condition keys")
    qualifier, _, base = op.rpartition(":")
    if qualifier not in ("", "ForAllValues", "ForAnyValue"):
        raise UnsupportedPolicy(f"{label}: condition set operator {qualifier!r}")
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    if base == "Null":
        if qualifier or if_exists:
            raise UnsupportedPolicy(f"{label}: condition operator {op!r}")
        return all(_null(str(key), value, request, where) for key, value in keys.items())
    if base not in _OPERATORS:
        raise UnsupportedPolicy(f"{label}: condition operator {op!r}")
    test, negated = _OPERATORS[base]
    for key, raw in keys.items():
        resolve = _pattern if base in ("StringLike", "StringNotLike") else _substitute
        resolved = [resolve(p, request, literal, where) for p in _strings(raw, where)]
        if negated and None in resolved:
            # A variable without a value matches nothing, so the condition does not apply: a Deny
            # written against `${aws:PrincipalTag/x}` does not fire for a session without x. The Null
            # guard is what catches such sessions.
            return False
        policy_values = [v for v in resolved if v is not None]
        present = request.value(str(key))
        if not _key_matches(qualifier, if_exists, negated, test, policy_values, present, where):
            return False
    return True


def _null(key: str, value: Any, request: Request, where: str) -> bool:
    if not isinstance(value, str) or value.lower() not in ("true", "false"):
        raise UnsupportedPolicy(f'{where}: Null takes "true" or "false", got {value!r}')
    absent = request.value(key) is None
    return absent == (value.lower() == "true")


def _key_matches(
    qualifier: str,
    if_exists: bool,
    negated: bool,
    test: Callable[[str, str], bool],
    policy_values: list[str],
    present: tuple[str, ...] | None,
    where: str,
) -> bool:
    def hit(value: str) -> bool:
        return any(test(p, value) for p in policy_values)

    if qualifier == "ForAllValues":
        # Every value in the request matches; vacuously true for an absent or empty key.
        return all((not hit(v)) if negated else hit(v) for v in (present or ()))
    if qualifier == "ForAnyValue":
        # At least one value in the request matches; false for an absent key.
        return any((not hit(v)) if negated else hit(v) for v in (present or ()))
    if present is None:
        # Absent key: IfExists passes; a negated operator is true; a positive one is false.
        return if_exists or negated
    if len(present) != 1:
        raise UnsupportedPolicy(f"{where}: multivalued key without ForAllValues/ForAnyValue")
    matched = hit(present[0])
    return not matched if negated else matched


def action_signature(action: str, policies: Sequence[NamedPolicy]) -> tuple[bool, ...]:
    """Which statements of the policies name the action (Action or NotAction matched): two actions
    with one signature get one decision on the same resource and context, so the canary asks one."""
    return tuple(statement[_MATCHER](action) for policy in policies for _, statement in _statements(policy))
