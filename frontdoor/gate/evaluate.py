"""The gate's decision: which steps delete, replace or dangerously update identity, and which of
those a reviewed allow entry lets through. Pure functions over a parsed preview; linear in its size.

Steps are grouped by URN, so a resource replaced with `--show-replacement-steps` (create-replacement
then delete-replaced) is one change with every op the preview gave it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from frontdoor.domain.base import clock
from frontdoor.domain.contracts import OKTA_APP_GROUP_ASSIGNMENTS, OKTA_PUSH_GROUP, OKTA_RULE
from frontdoor.gate.allow import AllowEntry, AllowList
from frontdoor.gate.identity_types import (
    DELETE_OPS,
    HARMLESS_OPS,
    REPLACE_OPS,
    SEVERITY,
    identity_reason,
)
from frontdoor.gate.preview_document import PreviewDocument, PreviewStep, urn_name

EXIT_PASS = 0
EXIT_BLOCKED = 1
EXIT_BAD_INPUT = 2


def entry_json(entry: AllowEntry) -> dict[str, Any]:
    return {
        "urn": entry.urn,
        "reason": entry.reason,
        "expires": entry.expires.isoformat() if entry.expires else None,
    }


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
            data["allowedBy"] = entry_json(self.allowed_by)
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
    today: date = field(default_factory=clock.today)

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
    """Decide which steps are gated and which of those the allow list lets through. Pure.

    One pass over the steps, then one over the gated changes: the resources each delete might have
    been renamed to are looked up in an index built in that pass, never by rescanning the steps, so
    the time grows linearly with the preview (benchmarks/gate.py).
    """
    day = today if today is not None else clock.today()
    pending: dict[str, _Pending] = {}
    created = _CreatedIndex()
    for step in preview.steps:
        if step.op == "create":
            created.add(step)
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
        if SEVERITY[kind] > SEVERITY[seen.kind]:
            seen.kind = kind

    live = tuple(entry for entry in allow.entries if not entry.expired(day))
    expired = tuple(entry for entry in allow.entries if entry.expired(day))
    used: set[int] = set()
    changes = []
    for item in sorted(pending.values(), key=lambda pending_item: pending_item.urn):
        match = next((entry for entry in live if entry.matches(item.urn)), None)
        if match is not None:
            used.add(id(match))
        fix = _fix(item, created, allow.source)
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
        steps=preview.total_steps,
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
    OKTA_RULE: (_rule_targets_changed,),
    OKTA_APP_GROUP_ASSIGNMENTS: (_app_groups_removed,),
    OKTA_PUSH_GROUP: (_push_armed_to_delete,),
}


def _fix(item: _Pending, created: _CreatedIndex, allow_source: str | None) -> str:
    where = allow_source or "an allow file (--allow FILE)"
    allow = f"allow it in {where} with a reason"
    if item.kind == "delete":
        moved_to = created.alias_candidate(item.type, item.urn)
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
    return (
        f"read what the op does before applying, teach frontdoor/gate/identity_types.py about it, or {allow}"
    )


class _CreatedIndex:
    """The URNs a preview creates, by type and by (type, logical name): filled in one pass."""

    def __init__(self) -> None:
        self._by_type: dict[str, list[str]] = {}
        self._by_name: dict[tuple[str, str], list[str]] = {}

    def add(self, step: PreviewStep) -> None:
        resource_type = step.resource_type
        self._by_type.setdefault(resource_type, []).append(step.urn)
        self._by_name.setdefault((resource_type, urn_name(step.urn)), []).append(step.urn)

    def alias_candidate(self, resource_type: str, urn: str) -> str | None:
        """The URN a deleted resource was probably renamed or moved to: a created resource of its
        type with the same name (moved), else the only created resource of its type (renamed)."""
        same_name = self._by_name.get((resource_type, urn_name(urn)), [])
        if len(same_name) == 1:
            return same_name[0]
        of_type = self._by_type.get(resource_type, [])
        return of_type[0] if len(of_type) == 1 else None
