"""Drift: live Identity Center access and SCP attachments against the plan, as plain data.

Pure functions over two snapshots: the PLAN (what the program registers, read from the offline
engine's run) and the LIVE state (what the read side found). Every live assignment is classified:
planned and present; unmanaged (present, not in the plan); to a USER (our model assigns groups only,
so always reported); to a group outside the push prefix. Every planned assignment not found live is
missing, unless its group is pushed but not yet synced ("pending sync", not drift). Permission sets
not in the catalogue, catalogue sets that differ live (inline policy, managed or customer-managed
policies, boundary, session duration) and SCPs attached or detached outside the code are drift too.
A planned SCP that does not exist at all is not "detached": it was never created (or was deleted),
and when the root does not even have the SCP policy type enabled, no SCP can exist; each has its own
kind, message and fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

DEFAULT_SESSION = "PT1H"  # what Identity Center applies when a permission set sets none

# The classes of finding; all but PRESENT and PENDING are drift (exit 1).
PRESENT = "planned-present"
PENDING = "pending-sync"
MISSING = "planned-missing"
UNMANAGED = "unmanaged"
USER = "user-assignment"
FOREIGN_GROUP = "non-prefixed-group"
UNKNOWN_SET = "permission-set-not-in-catalogue"
SET_MISSING = "permission-set-missing"
SET_CHANGED = "permission-set-changed"
SCP_ATTACHED = "scp-attached-outside-code"
SCP_DETACHED = "scp-detached-outside-code"
SCP_NEVER_CREATED = "scp-never-created"
SCP_POLICY_TYPE_DISABLED = "scp-policy-type-disabled"
NOT_DRIFT = frozenset({PRESENT, PENDING})


@dataclass(frozen=True, order=True)
class Access:
    """One (principal, permission set, account) triple, principals and sets by name."""

    principal: str
    permission_set: str
    account_id: str


@dataclass(frozen=True)
class PermissionSetShape:
    """What a permission set grants, comparable between plan and live."""

    name: str
    session_duration: str = DEFAULT_SESSION
    inline_policy: str | None = None  # canonical JSON
    managed_policies: frozenset[str] = frozenset()
    customer_managed_policies: frozenset[str] = frozenset()  # "<path><name>"
    boundary: str | None = None
    boundary_unread: bool = False  # live only: the boundary was not read (drift --no-boundary)


@dataclass(frozen=True)
class Plan:
    assignments: frozenset[Access]  # groups already synced: the program registers these
    pending: frozenset[Access]  # groups pushed but not synced yet: assigned on the next run
    permission_sets: Mapping[str, PermissionSetShape]
    scp_attachments: frozenset[tuple[str, str]]  # (policy name, target id)


@dataclass(frozen=True)
class LiveAccess:
    """An assignment found live, its principal resolved to a name."""

    principal_type: str  # GROUP | USER
    principal: str
    permission_set: str
    account_id: str


@dataclass(frozen=True)
class Live:
    assignments: tuple[LiveAccess, ...]
    permission_sets: Mapping[str, PermissionSetShape]
    scp_attachments: frozenset[tuple[str, str]]  # (policy name, target id), policies of the plan only
    # The plan's SCPs that exist in the organization, by name (None: not read, every one taken to exist).
    scps_found: frozenset[str] | None = None
    # Whether SERVICE_CONTROL_POLICY is ENABLED on the root (ListRoots), and the root's id.
    scp_policy_type_enabled: bool = True
    root_id: str = ""


@dataclass(frozen=True, order=True)
class Finding:
    kind: str
    subject: str  # what it is about: "group / set / account", a set name, "policy -> target"
    detail: str = ""


@dataclass
class DriftReport:
    findings: list[Finding]
    calls: int = 0
    minimum_calls: int = 0
    warnings: list[str] = field(default_factory=list)
    calls_by_operation: dict[str, int] = field(default_factory=dict)

    @property
    def drift(self) -> list[Finding]:
        return [f for f in self.findings if f.kind not in NOT_DRIFT]

    def count(self, kind: str) -> int:
        return sum(1 for f in self.findings if f.kind == kind)

    def as_json(self) -> dict[str, object]:
        return {
            "drift": len(self.drift),
            "counts": {kind: self.count(kind) for kind in sorted({f.kind for f in self.findings})},
            "findings": [asdict(f) for f in self.findings if f.kind != PRESENT],
            "calls": self.calls,
            "minimumCalls": self.minimum_calls,
            "callsByOperation": dict(sorted(self.calls_by_operation.items())),
            "warnings": self.warnings,
        }


def _subject(access: Access | LiveAccess) -> str:
    return f"{access.principal} / {access.permission_set} / {access.account_id}"


def compare_permission_set(planned: PermissionSetShape, live: PermissionSetShape) -> list[str]:
    """What differs, one phrase per attribute, in a fixed order."""
    differences: list[str] = []
    if planned.session_duration != live.session_duration:
        differences.append(f"session duration {live.session_duration}, planned {planned.session_duration}")
    if planned.inline_policy != live.inline_policy:
        differences.append("inline policy differs" if live.inline_policy else "inline policy removed")
    for label, want, have in (
        ("managed", planned.managed_policies, live.managed_policies),
        ("customer-managed", planned.customer_managed_policies, live.customer_managed_policies),
    ):
        for added in sorted(have - want):
            differences.append(f"{label} policy {added} attached outside the code")
        for removed in sorted(want - have):
            differences.append(f"{label} policy {removed} detached outside the code")
    if planned.boundary != live.boundary and not live.boundary_unread:
        differences.append(f"boundary {live.boundary or '(none)'}, planned {planned.boundary or '(none)'}")
    return differences


def classify(plan: Plan, live: Live, *, group_prefix: str) -> list[Finding]:
    """Every finding, sorted by kind then subject."""
    findings: list[Finding] = []
    seen: set[Access] = set()
    for found in live.assignments:
        access = Access(found.principal, found.permission_set, found.account_id)
        subject = _subject(found)
        if found.principal_type == "USER":
            findings.append(Finding(USER, subject, "assigned to a single user, not a group"))
        elif not found.principal.startswith(group_prefix):
            findings.append(Finding(FOREIGN_GROUP, subject, f"group outside the '{group_prefix}' prefix"))
        elif access in plan.assignments or access in plan.pending:
            seen.add(access)
            findings.append(Finding(PRESENT, subject))
        else:
            findings.append(Finding(UNMANAGED, subject, "present in Identity Center, not in the plan"))
    findings.extend(
        Finding(MISSING, _subject(access), "planned, not in Identity Center")
        for access in plan.assignments - seen
    )
    findings.extend(
        Finding(PENDING, _subject(access), "group pushed, not synced yet: assigned on the next run")
        for access in plan.pending - seen
    )
    for name, shape in live.permission_sets.items():
        planned = plan.permission_sets.get(name)
        if planned is None:
            findings.append(Finding(UNKNOWN_SET, name, "exists in Identity Center, not in the catalogue"))
        else:
            findings.extend(Finding(SET_CHANGED, name, d) for d in compare_permission_set(planned, shape))
    findings.extend(
        Finding(SET_MISSING, name, "in the catalogue, not in Identity Center")
        for name in plan.permission_sets
        if name not in live.permission_sets
    )
    findings.extend(
        Finding(SCP_ATTACHED, f"{policy} -> {target}", "attached, not in the plan")
        for policy, target in live.scp_attachments - plan.scp_attachments
    )
    findings.extend(scp_absences(plan, live))
    return sorted(findings)


def scp_absences(plan: Plan, live: Live) -> list[Finding]:
    """Planned SCP attachments not found live: detached by hand, never created, or impossible (the root
    does not have the SCP policy type enabled, so no SCP exists; AttachPolicy would fail with
    PolicyTypeNotEnabledException)."""
    absent = plan.scp_attachments - live.scp_attachments
    if not absent:
        return []
    if not live.scp_policy_type_enabled:
        names = sorted({policy for policy, _ in plan.scp_attachments})
        return [
            Finding(
                SCP_POLICY_TYPE_DISABLED,
                f"SERVICE_CONTROL_POLICY on {live.root_id}",
                f"the SCP policy type is not enabled on the root, so none of the {len(names)} planned SCPs "
                f"exists ({', '.join(names)}); enable it (`aws organizations enable-policy-type --root-id "
                f"{live.root_id} --policy-type SERVICE_CONTROL_POLICY`, docs/first-run.md step a2), then "
                "`pulumi up` creates and attaches them",
            )
        ]
    findings: list[Finding] = []
    never_created: dict[str, list[str]] = {}
    for policy, target in sorted(absent):
        if live.scps_found is not None and policy not in live.scps_found:
            never_created.setdefault(policy, []).append(target)
        else:
            findings.append(Finding(SCP_DETACHED, f"{policy} -> {target}", "planned, not attached"))
    findings.extend(
        Finding(
            SCP_NEVER_CREATED,
            policy,
            f"no SCP of this name exists in the organization (planned on {', '.join(targets)}): never "
            "created, or deleted by hand; `pulumi up` creates and attaches it",
        )
        for policy, targets in never_created.items()
    )
    return findings


def render_markdown(report: DriftReport, stack: str) -> str:
    lines = [f"# Drift for stack {stack}", ""]
    drift = report.drift
    counts = {kind: report.count(kind) for kind in sorted({f.kind for f in report.findings})}
    lines.append(
        f"{len(drift)} drift finding(s); "
        + ", ".join(f"{kind}: {n}" for kind, n in counts.items())
        + f". API calls: {report.calls} (minimum for this estate: {report.minimum_calls})."
    )
    for kind in sorted({f.kind for f in report.findings} - {PRESENT}):
        lines += ["", f"## {kind}", "", "| subject | detail |", "| --- | --- |"]
        lines += [f"| {f.subject} | {f.detail} |" for f in report.findings if f.kind == kind]
    for warning in report.warnings:
        lines += ["", f"warning: {warning}"]
    return "\n".join(lines) + "\n"


def render_json(report: DriftReport) -> str:
    return json.dumps(report.as_json(), indent=2)


def shapes_by_name(shapes: Iterable[PermissionSetShape]) -> dict[str, PermissionSetShape]:
    return {shape.name: shape for shape in shapes}
