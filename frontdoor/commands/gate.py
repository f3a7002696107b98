"""The replacement gate: fail CI when a real `pulumi preview --json` deletes or replaces identity.

Unit tests run the program under mocks, and mocks cannot prove that a URN survived a refactor
(research/reliability-anchors.md §1). The preview of the real stack can: any `delete` or replace
of an identity resource in it is an outage or an over-grant about to happen (F2 rename without
alias, F3 permission-set replacement cascade, F4 computed ForceNew inputs, F11 push mapping
removed, F12 SCP detached). This module reads that preview and blocks each such step unless an
allow file names it with a reason. Exit codes: 0 pass, 1 blocked, 2 bad input.

The preview format is Pulumi's `PreviewDigest` (`pulumi preview --json`): a top-level `steps`
list, each step with `op`, `urn`, `oldState`/`newState` (`type`, `inputs`, `outputs` …),
`diffReasons`, `replaceReasons` and `detailedDiff`, then `diagnostics`, `duration` and
`changeSummary`. By default Pulumi shows one logical `replace` step per replaced resource; with
`--show-replacement-steps` it adds `create-replacement` and `delete-replaced`. Both shapes work:
steps are grouped by URN, so a resource is listed once with every op the preview gave it.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from frontdoor.domain.errors import ConfigError, ConfigIssue

EXIT_PASS = 0
EXIT_BLOCKED = 1
EXIT_BAD_INPUT = 2

# --- what is gated -------------------------------------------------------------------------------

# Every Identity Center and Identity Store type: permission sets, their inline policy and policy
# attachments (managed, customer-managed, boundary), account assignments, the ABAC attribute
# configuration. Deleting or replacing any of them removes access or re-creates the
# AWSReservedSSO_* roles under new names (F3).
IDENTITY_TYPE_PREFIXES: Mapping[str, str] = {
    "aws:ssoadmin/": "Identity Center: what a permission set grants (policies, attachments) or who gets "
    "it; a delete or re-create removes access while it happens (F3, F4)",
    "aws:identitystore/": "Identity Store: the group or user every assignment points at (F11)",
}

IDENTITY_TYPES: Mapping[str, str] = {
    "aws:ssoadmin/permissionSet:PermissionSet": "a permission set: a new one gets a new ARN, every "
    "assignment on it is re-created and the AWSReservedSSO_* roles get new names (F3)",
    "aws:ssoadmin/accountAssignment:AccountAssignment": "an account assignment: the group loses the "
    "account while it is re-created, or for good if deleted (F3, F4)",
    "aws:ssoadmin/instanceAccessControlAttributes:InstanceAccessControlAttributes": "the ABAC attribute "
    "configuration: without it every aws:PrincipalTag condition denies (F1)",
    "aws:organizations/policy:Policy": "an SCP guardrail: detaching or re-creating it is immediate and "
    "org-wide (F12)",
    "aws:organizations/policyAttachment:PolicyAttachment": "an SCP attachment: removing it opens a window "
    "with no guardrail, or a deny-all if it was the allow (F12)",
    "aws:organizations/delegatedAdministrator:DelegatedAdministrator": "the Identity Center delegated "
    "administrator registration: without it the admin account cannot manage access",
    "okta:app/saml:Saml": "the AWS SAML app: deleting it signs everyone out of AWS and loses its "
    "provisioning settings",
    "okta:app/features:Features": "the app's provisioning features: without them SCIM stops",
    "okta:group/group:Group": "an Okta group: a new group means a new Identity Center group id and "
    "broken assignments (F11)",
    "okta:group/rule:Rule": "a group rule: re-creating it removes and re-adds members, and SCIM "
    "de-provisions them meanwhile (F10)",
    "okta:index/pushGroup:PushGroup": "a Group Push mapping: removing it can delete the Identity Center "
    "group; a re-push gets a new id and every assignment on the old one breaks (F11)",
    "okta:app/groupAssignment:GroupAssignment": "the group that assigns the AWS app: create is an "
    "unconditional PUT, so a rename without alias deletes the live grant (F2)",
    "okta:index/appGroupAssignments:AppGroupAssignments": "the authoritative app-group list: entries "
    "missing from it are unassigned (F8)",
    "okta:index/userSchemaProperty:UserSchemaProperty": "an Okta user profile attribute: deleting it "
    "deletes the attribute's value on every user",
    "okta:index/userBaseSchemaProperty:UserBaseSchemaProperty": "an Okta base profile attribute setting",
    "okta:index/appUserSchemaProperty:AppUserSchemaProperty": "an app user profile attribute: deleting "
    "it deletes the value on every app user, and the ABAC tag with it",
    "okta:profile/mapping:Mapping": "the profile mapping that carries ABAC attributes to AWS: without it "
    "the tags stop flowing (ABAC denies everything)",
    "okta:index/appSignonPolicy:AppSignonPolicy": "the AWS app sign-on policy: replacing it falls back "
    "to the org default (MFA requirement lost)",
    "okta:index/appSignonPolicyRule:AppSignonPolicyRule": "the AWS app sign-on rule (MFA requirement)",
}

# Ops that remove a live object, or are part of a replacement (a new object with a new id).
DELETE_OPS = frozenset({"delete"})
REPLACE_OPS = frozenset(
    {"replace", "create-replacement", "delete-replaced", "import-replacement", "read-replacement"}
)
# `update` is gated only when it reports replace-kind diffs, or changes a field in _UPDATE_HAZARDS.
# Ops that never call the provider's Delete: `discard`/`discard-replaced` drop a resource that was
# only read (`.get`) from the state; `remove-pending-replace` drops a state entry whose object an
# earlier delete-before-replace already deleted; `import` adopts an existing object.
HARMLESS_OPS = frozenset(
    {
        "same",
        "create",
        "read",
        "refresh",
        "import",
        "discard",
        "discard-replaced",
        "remove-pending-replace",
    }
)

_SEVERITY = {"update": 0, "delete": 1, "replace": 2, "unknown": 3}


def identity_reason(resource_type: str) -> str | None:
    """Why `resource_type` is gated, or None when it is not an identity type."""
    if resource_type in IDENTITY_TYPES:
        return IDENTITY_TYPES[resource_type]
    for prefix, why in IDENTITY_TYPE_PREFIXES.items():
        if resource_type.startswith(prefix):
            return why
    return None


# --- the preview document ------------------------------------------------------------------------


class PropertyDiff(BaseModel):
    """One `detailedDiff` entry: kind is add|delete|update, each optionally with a `-replace` suffix."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    kind: str
    input_diff: bool = Field(default=False, alias="inputDiff")


class ResourceState(BaseModel):
    """`oldState`/`newState` of a step (Pulumi's ResourceV3); only what the gate reads is typed."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    urn: str = ""
    type: str = ""
    custom: bool = False
    protect: bool = False
    inputs: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, Any] = Field(default_factory=dict)


class PreviewStep(BaseModel):
    """One step of the preview."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    op: str
    urn: str
    provider: str = ""
    old_state: ResourceState | None = Field(default=None, alias="oldState")
    new_state: ResourceState | None = Field(default=None, alias="newState")
    diff_reasons: list[str] | None = Field(default=None, alias="diffReasons")
    replace_reasons: list[str] | None = Field(default=None, alias="replaceReasons")
    detailed_diff: dict[str, PropertyDiff] | None = Field(default=None, alias="detailedDiff")

    @property
    def resource_type(self) -> str:
        """newState.type, else oldState.type, else the last `$` segment of the URN's qualified type."""
        for state in (self.new_state, self.old_state):
            if state is not None and state.type:
                return state.type
        return urn_type(self.urn)


class PreviewDiagnostic(BaseModel):
    """A message the engine reported; severity `error` means the preview did not complete."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    urn: str = ""
    message: str = ""
    severity: str = ""


class PreviewDocument(BaseModel):
    """A parsed `pulumi preview --json` document; `source` is the file it came from."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    steps: list[PreviewStep]
    diagnostics: list[PreviewDiagnostic] = Field(default_factory=list)
    change_summary: dict[str, int] = Field(default_factory=dict, alias="changeSummary")
    duration: int = 0
    source: str = Field(default="", exclude=True)


def urn_type(urn: str) -> str:
    """The resource type of `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, or ''."""
    parts = urn.split("::")
    if len(parts) < 4 or not parts[0].startswith("urn:pulumi:"):
        return ""
    return parts[2].rsplit("$", 1)[-1]


def urn_name(urn: str) -> str:
    """The logical name at the end of a URN (names may themselves contain '::')."""
    parts = urn.split("::")
    return "::".join(parts[3:]) if len(parts) >= 4 else ""


class _Missing:
    def __repr__(self) -> str:
        return "nothing"


_MISSING: Any = _Missing()

_PREVIEW_RUN = "run `pulumi preview --json > preview.json` and pass that file (stdout only)"


def load_preview(path: Path) -> PreviewDocument:
    """Parse and validate a `pulumi preview --json` document. Raises ConfigError (exit 2)."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([ConfigIssue(file, "(file)", file, "no such file", _PREVIEW_RUN)]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            [ConfigIssue(file, "(file)", file, f"cannot read it: {error}", _PREVIEW_RUN)]
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problem = f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        fix = (
            "pass only the stdout of `pulumi preview --json`; progress, warnings and logs go to "
            "stderr, so redirect them apart: `pulumi preview --json > preview.json 2> preview.log`"
        )
        raise ConfigError(
            [ConfigIssue(file, "(document)", _excerpt(text, error.pos), problem, fix)]
        ) from None
    if not isinstance(data, dict):
        problem = f"the document is a JSON {type(data).__name__}, not an object"
        raise ConfigError([ConfigIssue(file, "(document)", data, problem, _PREVIEW_RUN)])
    if "steps" not in data:
        raise ConfigError([ConfigIssue(file, "steps", _MISSING, *_missing_steps(data))])
    try:
        document = PreviewDocument.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_issues(file, error, _PREVIEW_FIXES, "")) from None
    return document.model_copy(update={"source": file})


def _missing_steps(data: Mapping[str, Any]) -> tuple[str, str]:
    problem = "missing: every `pulumi preview --json` lists its steps, the stack itself at the least"
    if "deployment" in data:
        return problem + " (this looks like `pulumi stack export`)", _PREVIEW_RUN
    if "diagnostics" in data:
        return (
            problem + " (the preview failed before it planned anything)",
            "fix the errors under `diagnostics` in this file, then " + _PREVIEW_RUN,
        )
    return problem, _PREVIEW_RUN


def _excerpt(text: str, position: int) -> str:
    start = max(0, position - 20)
    return text[start : position + 20]


_PREVIEW_FIXES: Mapping[str, str] = {
    "steps": "`steps` must be the list Pulumi writes; " + _PREVIEW_RUN,
    "op": "each step needs its `op` string (create, update, delete, replace …); " + _PREVIEW_RUN,
    "urn": "each step needs its `urn`; " + _PREVIEW_RUN,
}


# --- the allow file ------------------------------------------------------------------------------


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
    "`urn:pulumi:prod::frontdoor::*::aws-payments-dev/*`",
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
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError) as error:  # PyYAML raises ValueError for 2026-13-01
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = f"not valid YAML or JSON{where}: {getattr(error, 'problem', None) or error}"
        raise ConfigError([ConfigIssue(file, "(document)", _MISSING, problem, fix)]) from None
    if data is None:
        return AllowList(source=file)
    if not isinstance(data, dict):
        problem = f"the document is a {type(data).__name__}, not a mapping with an `allow` list"
        raise ConfigError([ConfigIssue(file, "(document)", data, problem, _ALLOW_FIXES["allow"])])
    try:
        parsed = _AllowFile.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_issues(file, error, _ALLOW_FIXES, _ALLOW_KEYS)) from None
    return AllowList(entries=tuple(parsed.allow), source=file)


def _issues(file: str, error: ValidationError, fixes: Mapping[str, str], keys: str) -> list[ConfigIssue]:
    issues = []
    for detail in error.errors():
        location = detail["loc"]
        path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in location)
        path = path.lstrip(".") or "(document)"
        named = [part for part in location if isinstance(part, str)]
        fix = fixes.get(named[-1] if named else "", "see docs/gate.md")
        if detail["type"] == "missing":
            issues.append(ConfigIssue(file, path, _MISSING, "missing", fix))
        elif detail["type"] == "extra_forbidden":
            issues.append(
                ConfigIssue(
                    file, path, detail["input"], "unknown key", f"remove it or fix its spelling ({keys})"
                )
            )
        else:
            message = str(detail["msg"]).removeprefix("Value error, ")
            issues.append(ConfigIssue(file, path, detail["input"], message, fix))
    return issues


# --- evaluation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GatedChange:
    """One identity resource the preview deletes, replaces or dangerously updates."""

    urn: str
    type: str
    kind: str  # "delete" | "replace" | "update" | "unknown"
    ops: tuple[str, ...]
    reasons: tuple[str, ...]
    why: str
    fix: str
    allowed_by: AllowEntry | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "op": self.kind,
            "ops": list(self.ops),
            "type": self.type,
            "urn": self.urn,
            "reasons": list(self.reasons),
            "why": self.why,
            "fix": self.fix,
        }
        if self.allowed_by is not None:
            data["allowedBy"] = _entry_json(self.allowed_by)
        return data


@dataclass(frozen=True)
class GateResult:
    """What the gate decided. Blocked if any change is not allowed or the preview reported errors."""

    source: str
    steps: int
    changes: tuple[GatedChange, ...]
    preview_errors: tuple[str, ...] = ()
    expired: tuple[AllowEntry, ...] = ()
    unused: tuple[AllowEntry, ...] = ()
    allow_source: str | None = None
    today: date = field(default_factory=date.today)

    @property
    def blocked(self) -> tuple[GatedChange, ...]:
        return tuple(change for change in self.changes if change.allowed_by is None)

    @property
    def allowed(self) -> tuple[GatedChange, ...]:
        return tuple(change for change in self.changes if change.allowed_by is not None)

    @property
    def exit_code(self) -> int:
        return EXIT_BLOCKED if self.blocked or self.preview_errors else EXIT_PASS


@dataclass
class _Pending:
    urn: str
    type: str
    why: str
    kind: str
    ops: list[str]
    reasons: list[str]


def evaluate(preview: PreviewDocument, allow: AllowList, *, today: date | None = None) -> GateResult:
    """Decide which steps are gated and which of those the allow list lets through. Pure."""
    day = today if today is not None else date.today()
    pending: dict[str, _Pending] = {}
    for step in preview.steps:
        resource_type = step.resource_type
        why = identity_reason(resource_type)
        if why is None:
            continue
        verdict = _classify(step, resource_type)
        if verdict is None:
            continue
        kind, reasons = verdict
        seen = pending.get(step.urn)
        if seen is None:
            pending[step.urn] = _Pending(step.urn, resource_type, why, kind, [step.op], list(reasons))
            continue
        seen.ops.append(step.op)
        seen.reasons.extend(reason for reason in reasons if reason not in seen.reasons)
        if _SEVERITY[kind] > _SEVERITY[seen.kind]:
            seen.kind = kind

    live = tuple(entry for entry in allow.entries if not entry.expired(day))
    expired = tuple(entry for entry in allow.entries if entry.expired(day))
    used: set[int] = set()
    changes = []
    for item in pending.values():
        match = next((entry for entry in live if entry.matches(item.urn)), None)
        if match is not None:
            used.add(id(match))
        fix = _fix(item, preview.steps, allow.source)
        changes.append(
            GatedChange(
                urn=item.urn,
                type=item.type,
                kind=item.kind,
                ops=tuple(item.ops),
                reasons=tuple(item.reasons),
                why=item.why,
                fix=fix,
                allowed_by=match,
            )
        )
    errors = tuple(
        (f"{diagnostic.urn}: " if diagnostic.urn else "") + diagnostic.message.strip()
        for diagnostic in preview.diagnostics
        if diagnostic.severity == "error"
    )
    return GateResult(
        source=preview.source,
        steps=len(preview.steps),
        changes=tuple(changes),
        preview_errors=errors,
        expired=expired,
        unused=tuple(entry for entry in live if id(entry) not in used),
        allow_source=allow.source,
        today=day,
    )


def _classify(step: PreviewStep, resource_type: str) -> tuple[str, tuple[str, ...]] | None:
    """(kind, reasons) when this step of an identity resource is gated, else None."""
    if step.op in DELETE_OPS:
        return "delete", ()
    if step.op in REPLACE_OPS:
        return "replace", _replace_reasons(step) or tuple(step.diff_reasons or ())
    if step.op == "update":
        # A provider that reports replace-kind diffs on an update is replacing: fail closed.
        forced = _replace_reasons(step)
        if forced:
            return "replace", forced
        hazards = tuple(reason for rule in _UPDATE_HAZARDS.get(resource_type, ()) for reason in rule(step))
        return ("update", hazards) if hazards else None
    if step.op in HARMLESS_OPS:
        return None
    return "unknown", (f"op {step.op!r} is unknown to the gate",)


def _replace_reasons(step: PreviewStep) -> tuple[str, ...]:
    reasons = list(step.replace_reasons or ())
    for key, diff in (step.detailed_diff or {}).items():
        if diff.kind.endswith("-replace") and key not in reasons:
            reasons.append(key)
    return tuple(reasons)


def _changed(step: PreviewStep, prop: str) -> list[tuple[str, str | None]]:
    """(property path, detailedDiff kind or None) for every change under top-level `prop`."""

    def under(key: str) -> bool:
        return key == prop or key.startswith((prop + ".", prop + "["))

    if step.detailed_diff:
        return [(key, diff.kind) for key, diff in step.detailed_diff.items() if under(key)]
    return [(key, None) for key in step.diff_reasons or () if under(key)]


def _rule_targets_changed(step: PreviewStep) -> tuple[str, ...]:
    # Okta applies a changed target-group list by deleting and re-creating the rule: its members are
    # removed and re-added, and SCIM-fed apps de-provision them meanwhile (F10, okta#2641).
    # Changing the expression is an in-place update and is not gated.
    if _changed(step, "groupAssignments"):
        return ("groupAssignments: Okta re-creates the rule, so members are removed and re-added",)
    return ()


def _app_groups_removed(step: PreviewStep) -> tuple[str, ...]:
    # The plural resource is authoritative: an entry gone from `groups` is an app unassignment (F8).
    # Without a detailed diff an addition cannot be told from a removal, so any change counts.
    changes = _changed(step, "groups")
    removed = [key for key, kind in changes if kind is None or kind.startswith("delete")]
    return tuple(f"{key}: group unassigned from the app" for key in removed)


def _push_armed_to_delete(step: PreviewStep) -> tuple[str, ...]:
    # Not a deletion yet, but it arms one: the next removal of this mapping deletes the Identity
    # Center group, and a re-push creates a new group id that every assignment misses (F11).
    new = step.new_state.inputs if step.new_state is not None else {}
    if _changed(step, "deleteTargetGroupOnDestroy") and new.get("deleteTargetGroupOnDestroy") is True:
        return ("deleteTargetGroupOnDestroy: set to true, so removing the mapping deletes the AWS group",)
    return ()


_UPDATE_HAZARDS: Mapping[str, tuple[Callable[[PreviewStep], tuple[str, ...]], ...]] = {
    "okta:group/rule:Rule": (_rule_targets_changed,),
    "okta:index/appGroupAssignments:AppGroupAssignments": (_app_groups_removed,),
    "okta:index/pushGroup:PushGroup": (_push_armed_to_delete,),
}


def _fix(item: _Pending, steps: Sequence[PreviewStep], allow_source: str | None) -> str:
    where = allow_source or "an allow file (--allow FILE)"
    allow = f"allow it in {where} with a reason"
    if item.kind == "delete":
        moved_to = _alias_candidate(item, steps)
        if moved_to is not None:
            return (
                f"this preview also creates {moved_to}: if that is this resource renamed or moved, "
                f"add aliases=[{item.urn!r}] to it so the live object is kept (F2); else revert, or {allow}"
            )
        return f"revert the removal (if it was renamed or moved, add an alias to its old URN), or {allow}"
    if item.kind == "replace":
        if item.reasons:
            changed = ", ".join(item.reasons)
            return f"revert the change to {changed} (it forces a new object), or {allow}"
        return (
            "find what forces the replacement (`pulumi preview --diff`: a replaced dependency, "
            f"`--replace`, `replaceOnChanges`) and revert it, or {allow}"
        )
    if item.kind == "update":
        changed = ", ".join(reason.partition(":")[0] for reason in item.reasons)
        return f"revert the change to {changed}, or {allow}"
    return f"read what the op does before applying, teach frontdoor/commands/gate.py about it, or {allow}"


def _alias_candidate(item: _Pending, steps: Sequence[PreviewStep]) -> str | None:
    """The URN a deleted resource was probably renamed or moved to: a created resource of its type
    with the same name (moved), else the only created resource of its type (renamed)."""
    created = [step.urn for step in steps if step.op == "create" and step.resource_type == item.type]
    name = urn_name(item.urn)
    same_name = [urn for urn in created if urn_name(urn) == name]
    if len(same_name) == 1:
        return same_name[0]
    return created[0] if len(created) == 1 else None


# --- output --------------------------------------------------------------------------------------


def _entry_json(entry: AllowEntry) -> dict[str, Any]:
    return {
        "urn": entry.urn,
        "reason": entry.reason,
        "expires": entry.expires.isoformat() if entry.expires else None,
    }


def as_json(result: GateResult) -> dict[str, Any]:
    """The result as one JSON document (`--json`)."""
    return {
        "passed": result.exit_code == EXIT_PASS,
        "exitCode": result.exit_code,
        "preview": result.source,
        "steps": result.steps,
        "allowFile": result.allow_source,
        "blocked": [change.as_json() for change in result.blocked],
        "allowed": [change.as_json() for change in result.allowed],
        "previewErrors": list(result.preview_errors),
        "expiredAllows": [_entry_json(entry) for entry in result.expired],
        "unusedAllows": [_entry_json(entry) for entry in result.unused],
    }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _change_lines(change: GatedChange) -> list[str]:
    lines = [
        f"  {change.kind:<8} {change.type}",
        f"    urn:     {change.urn}",
        f"    ops:     {', '.join(change.ops)}",
    ]
    if change.reasons:
        lines.append(f"    reasons: {'; '.join(change.reasons)}")
    elif change.kind == "delete":
        lines.append("    reasons: removed from the program, or its URN changed")
    lines.append(f"    why:     {change.why}")
    if change.allowed_by is None:
        lines.append(f"    fix:     {change.fix}")
    else:
        entry = change.allowed_by
        until = f", until {entry.expires.isoformat()}" if entry.expires else ""
        lines.append(f"    allowed: {entry.reason} (entry {entry.urn}{until})")
    return lines


def render_text(result: GateResult) -> str:
    """The human report: verdict, then each blocked change with its reasons and fix."""
    where = f"{result.source}, {_plural(result.steps, 'step')}"
    blocked, allowed = result.blocked, result.allowed
    if result.exit_code == EXIT_PASS:
        head = f"frontdoor gate: PASS: no identity resource is deleted or replaced ({where})"
    else:
        parts = []
        if blocked:
            parts.append(f"{_plural(len(blocked), 'identity resource')} would be deleted or replaced")
        if result.preview_errors:
            parts.append(f"the preview reported {_plural(len(result.preview_errors), 'error')}")
        head = f"frontdoor gate: BLOCKED: {' and '.join(parts)} ({where})"
    lines = [head]
    if result.preview_errors:
        lines += ["", "preview errors (the step list may be incomplete; fix them and preview again):"]
        lines += ["  " + message.replace("\n", "\n    ") for message in result.preview_errors]
    if blocked:
        lines += ["", f"blocked ({len(blocked)}):"]
        for change in blocked:
            lines += _change_lines(change)
    if allowed:
        lines += ["", f"allowed by {result.allow_source} ({len(allowed)}):"]
        for change in allowed:
            lines += _change_lines(change)
    if result.expired:
        lines += ["", f"expired allow entries, ignored (today is {result.today.isoformat()}):"]
        lines += [f"  {entry.urn} (expired {entry.expires})" for entry in result.expired]
    if result.unused:
        lines += ["", "allow entries that matched nothing (remove them once the change has shipped):"]
        lines += [f"  {entry.urn}" for entry in result.unused]
    return "\n".join(lines)


# --- command line --------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdoor gate",
        description="Fail when a `pulumi preview --json` deletes or replaces an identity resource.",
    )
    parser.add_argument("preview", metavar="PREVIEW_JSON", help="the stdout of `pulumi preview --json`")
    parser.add_argument("--allow", metavar="FILE", help="allow file (YAML or JSON): reviewed exceptions")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON document")
    return parser


def _bad_input_json(error: ConfigError) -> dict[str, Any]:
    return {
        "passed": False,
        "exitCode": EXIT_BAD_INPUT,
        "errors": [
            {
                "file": issue.file,
                "field": issue.field,
                "value": None if issue.value is _MISSING else repr(issue.value),
                "problem": issue.problem,
                "fix": issue.fix,
            }
            for issue in error.issues
        ],
    }


def main(argv: Sequence[str] | None = None, *, today: date | None = None) -> int:
    """`frontdoor gate PREVIEW_JSON [--allow FILE] [--json]`: 0 pass, 1 blocked, 2 bad input."""
    try:
        args = _parser().parse_args(list(argv) if argv is not None else None)
    except SystemExit as stop:  # argparse has printed usage and the error
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    try:
        preview = load_preview(Path(args.preview))
        allow = load_allow(Path(args.allow) if args.allow else None)
    except ConfigError as error:
        print("frontdoor gate: bad input\n" + error.render(), file=sys.stderr)
        if args.json:
            print(json.dumps(_bad_input_json(error), indent=2))
        return EXIT_BAD_INPUT
    result = evaluate(preview, allow, today=today)
    print(json.dumps(as_json(result), indent=2) if args.json else render_text(result))
    return result.exit_code
