"""String rules of the AWS APIs (pattern, min and max length), read from botocore's own service models.

The patterns are never retyped here: `string_rule(service, shape)` loads `botocore/data/<service>/
<version>/service-2.json` through `botocore.loaders.Loader` (the same files boto3 validates with) and
returns the shape's constraints. The models write patterns in Java regex syntax; Python's `re` has no
`\\p{L}`-style Unicode categories, so each `\\p{X}` is matched through a stand-in character: the value's
characters of category X are mapped to the same stand-in before matching. The API applies a pattern to
the whole value, so values are checked with `fullmatch`.

Used twice: at config time (permission-set description, relay state and tags: exit 2 naming the field
and the bad character) and by the offline engine for every AWS argument the program sets
(frontdoor/offline/api_rules.py).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from frontdoor.domain.base.errors import FixHint

# \p{X} categories the AWS models use, each mapped to a private-use stand-in character.
_CATEGORY_STANDINS = {
    "L": "\ue000",
    "Z": "\ue001",
    "N": "\ue002",
    "M": "\ue003",
    "S": "\ue004",
    "P": "\ue005",
}
_CATEGORY_RE = re.compile(r"\\p\{([A-Z])\}")
# A pattern that is one character class, optionally grouped, repeated: each character can be judged alone.
_CHARSET_RE = re.compile(r"^\(?(\[.*\])[*+]\)?$")


class UnknownShape(LookupError):
    """The botocore model has no such service, shape or member: the table naming it is out of date."""


@dataclass(frozen=True)
class StringRule:
    """One botocore string shape: where it comes from and its constraints."""

    service: str
    shape: str
    min: int | None
    max: int | None
    pattern: str | None
    enum: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        return f"botocore {self.service} model, shape {self.shape}"

    def problem(self, value: str) -> str | None:
        """What is wrong with `value` under this shape (naming the first bad character), or None."""
        if self.enum and value not in self.enum:
            return f"is not one of {list(self.enum)}"
        if self.min is not None and len(value) < self.min:
            return f"is {len(value)} characters, shorter than the minimum {self.min}"
        if self.max is not None and len(value) > self.max:
            return f"is {len(value)} characters, longer than the maximum {self.max}"
        if self.pattern is None or _matches(self.pattern, value):
            return None
        charset = _CHARSET_RE.match(self.pattern)
        if charset:
            for index, char in enumerate(value):
                if not _matches(charset.group(1), char):
                    return (
                        f"has the character {char!r} (U+{ord(char):04X}) at position {index}, "
                        f"outside the allowed characters {charset.group(1)}"
                    )
        return f"does not match the pattern {self.pattern}"


def _python_pattern(java_pattern: str) -> str:
    return _CATEGORY_RE.sub(lambda m: _CATEGORY_STANDINS.get(m.group(1), m.group(0)), java_pattern)


@functools.cache
def _compiled(java_pattern: str) -> re.Pattern[str]:
    return re.compile(_python_pattern(java_pattern), re.DOTALL)


def _standin_text(pattern: str, value: str) -> str:
    used = {c for c in _CATEGORY_RE.findall(pattern)}
    if not used:
        return value
    out = []
    for char in value:
        category = unicodedata.category(char)[0]
        out.append(
            _CATEGORY_STANDINS[category] if category in used and category in _CATEGORY_STANDINS else char
        )
    return "".join(out)


def _matches(java_pattern: str, value: str) -> bool:
    return _compiled(java_pattern).fullmatch(_standin_text(java_pattern, value)) is not None


@functools.cache
def _shapes(service: str) -> dict[str, Any]:
    from botocore.exceptions import DataNotFoundError
    from botocore.loaders import Loader

    try:
        model = Loader().load_service_model(service, "service-2")
    except DataNotFoundError as error:
        raise UnknownShape(f"botocore has no service model {service!r}") from error
    shapes: dict[str, Any] = model["shapes"]
    return shapes


@functools.cache
def string_rule(service: str, shape: str) -> StringRule:
    """The constraints of string shape `shape` in botocore's `service` model."""
    spec = _shapes(service).get(shape)
    if spec is None or spec.get("type") != "string":
        raise UnknownShape(f"botocore's {service} model has no string shape {shape!r}")
    return StringRule(
        service, shape, spec.get("min"), spec.get("max"), spec.get("pattern"), tuple(spec.get("enum", ()))
    )


@functools.cache
def member_rule(service: str, structure: str, member: str) -> StringRule:
    """The string rule of `structure.member` (e.g. sso-admin CreatePermissionSetRequest.Description);
    for a list of strings (e.g. cloudformation RegionList), `member` is "member": one element's rule."""
    spec = _shapes(service).get(structure)
    if spec is not None and spec.get("type") == "list" and member == "member":
        return string_rule(service, spec["member"]["shape"])  # one element of a list of strings
    if spec is None or member not in spec.get("members", {}):
        raise UnknownShape(f"botocore's {service} model has no member {structure}.{member}")
    return string_rule(service, spec["members"][member]["shape"])


# What a permission set's config sets, and the sso-admin shape the API validates it against.
PERMISSION_SET_DESCRIPTION = ("sso-admin", "CreatePermissionSetRequest", "Description")
PERMISSION_SET_RELAY_STATE = ("sso-admin", "CreatePermissionSetRequest", "RelayState")
PERMISSION_SET_TAG_KEY = ("sso-admin", "Tag", "Key")
PERMISSION_SET_TAG_VALUE = ("sso-admin", "Tag", "Value")


def checked(member: tuple[str, str, str], value: str, *, at: tuple[str | int, ...] = ()) -> str:
    """`value` if the API accepts it for `member`; else a FixHint naming the rule and the bad character."""
    rule = member_rule(*member)
    problem = rule.problem(value)
    if problem is None:
        return value
    raise FixHint(
        f"{problem}, which the API rejects for {member[1]}.{member[2]} ({rule.source})",
        "use only the allowed characters: e.g. '-' for an em dash, straight quotes for curly ones",
        at=at,
        value=value,
    )
