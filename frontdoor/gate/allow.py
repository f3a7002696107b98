"""The gate's allow file: reviewed exceptions, each an exact URN or a narrow pattern, with a reason.

Format (YAML or JSON): `allow: [{urn, reason, expires?}]`. What a pattern may be is deliberately
small (docs/gate.md): the stack and the project are always named exactly; `*`, `?` and `[...]` may
stand for parents, names and accounts; a pattern that can match more than one resource type (its
type is a wildcard, or it ends before the type) must carry `expires`. A key written twice anywhere in
the file is refused with both lines, since a YAML reader would keep the last value silently.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from frontdoor.domain.base.errors import ConfigError, ConfigIssue, FixHint
from frontdoor.gate.preview_document import MISSING, validation_issues

date = dt.date
GLOB_CHARACTERS = "*?["


def is_pattern(urn: str) -> bool:
    return any(char in urn for char in GLOB_CHARACTERS)


def pattern_problem(urn: str, expires: date | None) -> tuple[str, str] | None:
    """(problem, fix) when `urn` is a pattern broader than docs/gate.md allows, else None."""
    if not is_pattern(urn):
        return None
    parts = urn.removeprefix("urn:pulumi:").split("::")
    if is_pattern(parts[0]) or len(parts) < 2 or is_pattern(parts[1]):
        return (
            "a pattern must name its stack and project exactly (urn:pulumi:<stack>::<project>::…); "
            "a wildcard there allows deletions in every stack",
            "copy the URN from the gate's output and replace only the parents, the name or the "
            "account with `*`",
        )
    spans_types = len(parts) < 4 or is_pattern(parts[2].rsplit("$", 1)[-1])
    if spans_types and expires is None:
        return (
            "this pattern matches more than one resource type, so it needs an expiry",
            "add `expires: YYYY-MM-DD` (the last day the exception holds), or name the type: "
            "urn:pulumi:<stack>::<project>::*$<type>::<name pattern>",
        )
    return None


class _DuplicateKey(Exception):
    def __init__(self, key: Any, first: yaml.Mark, second: yaml.Mark) -> None:
        self.key, self.first, self.second = key, first, second

    def issue(self, file: str) -> ConfigIssue:
        return ConfigIssue(
            file,
            "(document)",
            self.key,
            f"key {self.key!r} appears twice in one mapping, at line {self.first.line + 1} and at "
            f"line {self.second.line + 1}; a YAML reader keeps only the last, which silently changes "
            "what is allowed",
            "remove one of the two (keep the one you mean)",
        )


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader, refusing a key repeated within one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: dict[Any, yaml.Mark] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if isinstance(key, Hashable) and key in seen:
                raise _DuplicateKey(key, seen[key], key_node.start_mark)
            if isinstance(key, Hashable):
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


class AllowEntry(BaseModel):
    """One reviewed exception: a URN (exact, or a glob with * ? [...]) and why it may go."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    urn: str
    reason: str
    expires: date | None = None

    @field_validator("urn", "reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("urn")
    @classmethod
    def _urn_shaped(cls, value: str) -> str:
        # A bare `*` would allow every deletion in every stack; a pattern must at least be a URN.
        if not value.startswith("urn:pulumi:"):
            raise ValueError("must be a URN or URN glob starting with urn:pulumi:")
        return value

    @model_validator(mode="after")
    def _narrow(self) -> AllowEntry:
        # After the fields: a broad pattern needs `expires`, which must itself be valid first.
        problem = pattern_problem(self.urn, self.expires)
        if problem is not None:
            raise FixHint(*problem, at=("urn",), value=self.urn)
        return self

    @field_validator("expires", mode="before")
    @classmethod
    def _calendar_date(cls, value: Any) -> Any:
        # YAML reads 2026-03-31 as a date already; JSON gives a string. Nothing else is a date here
        # (pydantic would otherwise take an integer as a Unix timestamp, or a datetime).
        if value is None or type(value) is date:
            return value
        if isinstance(value, str) and len(value) == 10:
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError("must be a calendar date written YYYY-MM-DD")

    def matches(self, urn: str) -> bool:
        if self.urn == urn:
            return True
        return any(ch in self.urn for ch in "*?[") and fnmatch.fnmatchcase(urn, self.urn)

    def expired(self, today: date) -> bool:
        """An entry is valid through its `expires` day, and expired from the day after."""
        return self.expires is not None and today > self.expires


class _AllowFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allow: list[AllowEntry] = Field(default_factory=list)


@dataclass(frozen=True)
class AllowList:
    """The entries of an allow file; `source` is the file (None when no --allow was given)."""

    entries: tuple[AllowEntry, ...] = ()
    source: str | None = None


_ALLOW_KEYS = "the file has `allow`; an entry has `urn`, `reason` and optionally `expires`"
_ALLOW_FIXES: Mapping[str, str] = {
    "allow": "write `allow:` followed by a list of entries, each `- urn: …` with a `reason: …`",
    "urn": "copy the URN from the gate's output, or write a glob such as "
    "`urn:pulumi:prod::frontdoor::*$aws:ssoadmin/accountAssignment:AccountAssignment::aws-payments-dev/*`",
    "reason": "say why this deletion or replacement is intended and who reviewed it; "
    "an exception without a reason is not an exception",
    "expires": "write the last day the exception holds as YYYY-MM-DD, or drop `expires`",
}


def load_allow(path: Path | None) -> AllowList:
    """Read an allow file (YAML or JSON: JSON is YAML). Raises ConfigError (exit 2) on bad input.

    Format: `allow: [{urn, reason, expires?}]`. An entry without a reason, an unknown key (a
    misspelt `expires` would otherwise silently never expire) or a malformed date is an error: the
    whole file is refused. An entry past its `expires` day is not an error: it stops allowing, and
    the gate output says so.
    """
    if path is None:
        return AllowList()
    file = str(path)
    fix = "write an allow file such as `allow: [{urn: <urn>, reason: <why>, expires: 2026-12-31}]`"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([ConfigIssue(file, "(file)", file, "no such file", fix)]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([ConfigIssue(file, "(file)", file, f"cannot read it: {error}", fix)]) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader, refusing duplicates
    except _DuplicateKey as duplicate:
        raise ConfigError([duplicate.issue(file)]) from None
    except RecursionError:
        problem = "nested too deeply to read (an allow file is a list of flat entries)"
        raise ConfigError([ConfigIssue(file, "(document)", MISSING, problem, fix)]) from None
    except (yaml.YAMLError, ValueError) as error:  # PyYAML raises ValueError for 2026-13-01
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = f"not valid YAML or JSON{where}: {getattr(error, 'problem', None) or error}"
        raise ConfigError([ConfigIssue(file, "(document)", MISSING, problem, fix)]) from None
    if data is None:
        return AllowList(source=file)
    if not isinstance(data, dict):
        problem = f"the document is a {type(data).__name__}, not a mapping with an `allow` list"
        raise ConfigError([ConfigIssue(file, "(document)", data, problem, _ALLOW_FIXES["allow"])])
    try:
        parsed = _AllowFile.model_validate(data)
    except ValidationError as error:
        raise ConfigError(validation_issues(file, error, _ALLOW_FIXES, _ALLOW_KEYS)) from None
    return AllowList(entries=tuple(parsed.allow), source=file)
