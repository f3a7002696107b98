"""String rules of the AWS APIs (pattern, min and max length), read from botocore's own service models.

The patterns are never retyped here: `string_rule(service, shape)` loads `botocore/data/<service>/
<version>/service-2.json` (the same files boto3 validates with) and returns the shape's constraints.
The models write patterns in Java regex syntax; Python's `re` has no `\\p{L}`-style Unicode
categories, so each `\\p{X}` is matched through a stand-in character: the value's characters of
category X are mapped to the same stand-in before matching. The API applies a pattern to the whole
value, so values are checked with `fullmatch`. `\\w`, `\\d` and `\\s` mean ASCII word characters,
digits and whitespace in Java's patterns (and `\\w`, `\\d` in the ECMA-262 ones Smithy names), so
they are compiled ASCII-only: Python's default would let `é` through `[\\w+=,.@-]+`, an IAM name AWS
refuses.

Used twice: at config time (permission-set description, relay state and tags: exit 2 naming the field
and the bad character) and by the offline engine for every AWS argument the program sets
(frontdoor/offline/api_rules.py).
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
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
    return re.compile(_python_pattern(java_pattern), re.DOTALL | re.ASCII)


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


MODEL = "service-2"


def _botocore_data() -> Path:
    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        raise UnknownShape("botocore is not installed: its service models are the APIs' rules")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _read_json(stem: Path) -> Any:
    """`<stem>.json` or `<stem>.json.gz`, as botocore's JSONFileLoader tries them; None if neither."""
    if stem.with_name(stem.name + ".json").is_file():
        return json.loads(stem.with_name(stem.name + ".json").read_bytes())
    if stem.with_name(stem.name + ".json.gz").is_file():
        return json.loads(gzip.decompress(stem.with_name(stem.name + ".json.gz").read_bytes()))
    return None


def _has_json(stem: Path) -> bool:
    return any(stem.with_name(stem.name + ext).is_file() for ext in (".json", ".json.gz"))


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    """botocore.utils.deep_merge: nested dicts merged, everything else replaced."""
    for key, value in extra.items():
        if isinstance(base.get(key), dict) and isinstance(value, dict):
            _deep_merge(base[key], value)
        else:
            base[key] = value


def service_model(service: str) -> dict[str, Any]:
    """What `botocore.loaders.Loader().load_service_model(service, "service-2")` returns for the
    models botocore ships: the latest API version's `service-2.json[.gz]`, with the `merge` of its
    `service-2.sdk-extras.json`. Read directly because importing botocore's loader imports some 70
    modules (urllib3, dateutil, xml, ...) to read one file: a fixed cost at the start of every preview
    (benchmarks/README.md). Only botocore's own data directory is read, never a ~/.aws/models
    override: the rules are the pinned botocore's. A test compares it with the Loader's answer.
    """
    directory = _botocore_data() / service
    versions = sorted(
        version.name
        for version in (directory.iterdir() if directory.is_dir() else ())
        if _has_json(version / MODEL)
    )
    if not versions:
        raise UnknownShape(f"botocore has no service model {service!r}")
    model: dict[str, Any] = _read_json(directory / versions[-1] / MODEL)
    extras = _read_json(directory / versions[-1] / f"{MODEL}.sdk-extras")
    if isinstance(extras, dict) and isinstance(extras.get("merge"), dict):
        _deep_merge(model, extras["merge"])
    return model


@functools.cache
def _shapes(service: str) -> dict[str, Any]:
    shapes: dict[str, Any] = service_model(service)["shapes"]
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
