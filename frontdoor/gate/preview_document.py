"""The preview document the gate reads: Pulumi's `PreviewDigest` (`pulumi preview --json`).

A top-level `steps` list, each step with `op`, `urn`, `oldState`/`newState` (`type`, `inputs`,
`outputs` …), `diffReasons`, `replaceReasons` and `detailedDiff`, then `diagnostics`, `duration` and
`changeSummary`. The file is read as a stream (strict_json), one step at a time, and only the steps
of identity types are kept, without the state the gate never reads: a 200,000-step preview is judged
in a bounded amount of memory. Bad input is a ConfigError (exit 2) naming the file, the field, the
value and the fix: not JSON, a duplicated key, nesting too deep, no steps or an empty step list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from frontdoor.domain.base.errors import ConfigError, ConfigIssue, FixHint
from frontdoor.gate.identity_types import HARMLESS_OPS, STATE_INPUTS_READ, identity_reason
from frontdoor.gate.strict_json import (
    ARRAY,
    DuplicateKey,
    JsonProblem,
    NotAnObject,
    StreamingObject,
    TooDeep,
)


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


class PreviewSummary(BaseModel):
    """Everything of a preview document but its steps."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    diagnostics: list[PreviewDiagnostic] = Field(default_factory=list)
    change_summary: dict[str, int] = Field(default_factory=dict, alias="changeSummary")
    duration: int = 0


class PreviewDocument(PreviewSummary):
    """A parsed `pulumi preview --json` document; `source` is the file it came from.

    `load_preview` keeps only the steps the gate judges (identity types; not `same` and the other
    harmless ops, but creates, which a delete may have been renamed to), each without the state it
    does not read; `step_count` is how many steps the document had.
    """

    steps: list[PreviewStep] = Field(min_length=1)
    source: str = Field(default="", exclude=True)
    step_count: int = Field(default=0, exclude=True)

    @property
    def total_steps(self) -> int:
        return self.step_count or len(self.steps)


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


MISSING: Any = _Missing()
_MISSING = MISSING


_STREAMED = "steps"
MAX_ISSUES = 20  # a broken generator breaks every step the same way: the first few say it


def load_preview(path: Path, keep: Callable[[PreviewStep], bool] | None = None) -> PreviewDocument:
    """Parse and validate a `pulumi preview --json` document. Raises ConfigError (exit 2).

    Every step is validated; only those `keep` accepts are held in memory (by default the gate's).
    """
    file = str(path)
    try:
        with path.open(encoding="utf-8") as handle:
            return _read(StreamingObject(handle), file, keep or _judged)
    except FileNotFoundError:
        raise ConfigError([ConfigIssue(file, "(file)", file, "no such file", _PREVIEW_RUN)]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            [ConfigIssue(file, "(file)", file, f"cannot read it: {error}", _PREVIEW_RUN)]
        ) from None


def _read(reader: StreamingObject, file: str, keep: Callable[[PreviewStep], bool]) -> PreviewDocument:
    others: dict[str, Any] = {}
    kept: list[PreviewStep] = []
    issues: list[ConfigIssue] = []
    count = 0
    try:
        for key, value in reader.members(lambda key: key == _STREAMED):
            if value is not ARRAY:
                others[key] = value
                continue
            others[key] = []
            for raw in reader.elements():
                step = _step(raw, count, file, issues)
                count += 1
                if step is not None and keep(step):
                    kept.append(step)
                if len(issues) >= MAX_ISSUES:
                    raise ConfigError(issues)
    except NotAnObject as not_object:
        kind = type(not_object.value).__name__
        problem = f"the document is a JSON {kind}, not an object"
        raise ConfigError(
            [ConfigIssue(file, "(document)", not_object.value, problem, _PREVIEW_RUN)]
        ) from None
    except DuplicateKey as duplicate:
        raise ConfigError([duplicate_issue(file, duplicate)]) from None
    except TooDeep as too_deep:
        problem = f"{too_deep}: a `pulumi preview --json` document is a few levels deep"
        issue = ConfigIssue(file, "(document)", too_deep.excerpt, problem, _PREVIEW_RUN)
        raise ConfigError([issue]) from None
    except JsonProblem as not_json:
        raise ConfigError(
            [ConfigIssue(file, "(document)", not_json.excerpt, f"not valid JSON: {not_json}", _NOT_JSON_FIX)]
        ) from None
    if issues:
        raise ConfigError(issues)
    if _STREAMED not in others:
        raise ConfigError([ConfigIssue(file, "steps", _MISSING, *_missing_steps(others))])
    if others[_STREAMED] == [] and count == 0:
        problem = "empty: a preview lists every resource of the stack, the stack itself at the least"
        raise ConfigError([ConfigIssue(file, "steps", [], problem, _PREVIEW_RUN)])
    if others[_STREAMED] != []:
        # Not a list (it was decoded whole): validated for the exact message.
        try:
            PreviewDocument.model_validate(others)
        except ValidationError as error:
            raise ConfigError(validation_issues(file, error, _PREVIEW_FIXES, "")) from None
    try:
        summary = PreviewSummary.model_validate(others)
    except ValidationError as error:
        raise ConfigError(validation_issues(file, error, _PREVIEW_FIXES, "")) from None
    return PreviewDocument.model_construct(
        steps=kept,
        diagnostics=summary.diagnostics,
        change_summary=summary.change_summary,
        duration=summary.duration,
        source=file,
        step_count=count,
    )


def _step(raw: Any, index: int, file: str, issues: list[ConfigIssue]) -> PreviewStep | None:
    """One step validated, without what the gate never reads (outputs, most inputs, the provider)."""
    if isinstance(raw, dict):
        raw = {
            key: _slim(value) if key in ("oldState", "newState") else value
            for key, value in raw.items()
            if key != "provider"
        }
    try:
        return PreviewStep.model_validate(raw)
    except ValidationError as error:
        issues.extend(validation_issues(file, error, _PREVIEW_FIXES, "", at=("steps", index)))
        return None


def _judged(step: PreviewStep) -> bool:
    """Kept for `evaluate`: identity steps that may be gated, and identity creates (rename targets)."""
    if identity_reason(step.resource_type) is None:
        return False
    return step.op == "create" or step.op not in HARMLESS_OPS


def _slim(state: Any) -> Any:
    if not isinstance(state, dict):
        return state
    keep = {"urn", "type", "custom", "protect"}
    if state.get("type") in STATE_INPUTS_READ:
        keep.add("inputs")
    return {key: value for key, value in state.items() if key in keep}


def duplicate_issue(file: str, duplicate: DuplicateKey) -> ConfigIssue:
    return ConfigIssue(
        file,
        "(document)",
        duplicate.key,
        f"key {duplicate.key!r} appears twice in one object, at {duplicate.first} and at {duplicate.where}; "
        "a JSON reader keeps only one of them, which silently changes what the file says",
        "remove one of the two (keep the one you mean)",
    )


_PREVIEW_RUN = "run `pulumi preview --json > preview.json` and pass that file (stdout only)"
_NOT_JSON_FIX = (
    "pass only the stdout of `pulumi preview --json`; progress, warnings and logs go to "
    "stderr, so redirect them apart: `pulumi preview --json > preview.json 2> preview.log`"
)


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


_PREVIEW_FIXES: Mapping[str, str] = {
    "steps": "`steps` must be the list Pulumi writes, with at least the stack itself; " + _PREVIEW_RUN,
    "op": "each step needs its `op` string (create, update, delete, replace …); " + _PREVIEW_RUN,
    "urn": "each step needs its `urn`; " + _PREVIEW_RUN,
}


def validation_issues(
    file: str,
    error: ValidationError,
    fixes: Mapping[str, str],
    keys: str,
    at: tuple[str | int, ...] = (),
) -> list[ConfigIssue]:
    """One ConfigIssue per pydantic error, its location prefixed with `at`."""
    issues = []
    for detail in error.errors():
        hint = (detail.get("ctx") or {}).get("error")
        location = (*at, *detail["loc"], *(hint.at if isinstance(hint, FixHint) else ()))
        path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in location)
        path = path.lstrip(".") or "(document)"
        named = [part for part in location if isinstance(part, str)]
        fix = fixes.get(named[-1] if named else "", "see docs/gate.md")
        if isinstance(hint, FixHint):
            issues.append(ConfigIssue(file, path, hint.shown_value(detail["input"]), hint.problem, hint.fix))
            continue
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
