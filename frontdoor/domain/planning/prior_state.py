"""The stack's prior state, reduced to what decides whether an observation may change what registers.

`pulumi up` deletes every resource of the stack's state that a completed program run leaves out, so a
run that registers less because of something it observed (a trusted access switched off, a group SCIM
no longer syncs) plans deletions. The program therefore asks the engine what its own stack holds, with
the builtin invoke `pulumi:pulumi:readStackResourceOutputs` (pulumi pkg/resource/deploy/builtins.go;
the backend answers URN -> {type, outputs} for every resource of the stack's current snapshot, pending
deletes skipped: pkg/backend/backend.go GetStackResourceOutputs), and reduces the answer with one pure
function to `PriorState`. Offline, the engine answers the same invoke from the estate's `deployed:`
block (written by `frontdoor estate pull --stack-state FILE` from a `pulumi stack export`, or
`--fresh-stack`), so the same code path decides in both.

What it keeps: how many resources the state holds (providers and the root stack aside), whether any is
beyond first-run stage a (`STAGE_A_TYPES`), the groups with an account assignment and with a push
mapping, and the physical names of the IAM roles and the OIDC providers the stack manages (so the
engine can tell "created by this stack" from "exists already, must be imported").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from frontdoor.domain.contracts import (
    ACCESS_PLATFORM,
    ACCOUNT_ASSIGNMENT,
    IAM_ROLE,
    OKTA_PUSH_GROUP,
    ORGANIZATION_PLUMBING,
)

READ_STATE_TOKEN = "pulumi:pulumi:readStackResourceOutputs"
ROOT_STACK_TYPE = "pulumi:pulumi:Stack"
DELEGATED_ADMINISTRATOR = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
OIDC_PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
# What first-run stage a registers (frontdoor/program/bootstrap.py): a state holding nothing else may
# still be registered stage by stage; anything else means the stack is deployed.
STAGE_A_TYPES = frozenset({ACCESS_PLATFORM, ORGANIZATION_PLUMBING, DELEGATED_ADMINISTRATOR})
# The push mapping of group G is registered as `G-push` (components/scim_provisioning.py).
PUSH_SUFFIX = "-push"


def _logical_name(urn: str) -> str:
    """The resource's name: everything after the type (a name may itself contain '::')."""
    parts = urn.split("::")
    return "::".join(parts[3:]) if len(parts) >= 4 else ""


def _kept(type_token: str) -> bool:
    return type_token != ROOT_STACK_TYPE and not type_token.startswith("pulumi:providers:")


@dataclass(frozen=True)
class StateEntry:
    """One resource of the state: its URN, type and the outputs the reduction reads."""

    urn: str
    type: str
    outputs: Mapping[str, Any]


@dataclass(frozen=True)
class PriorState:
    """What the stack's state holds, as far as a decision of this program depends on it."""

    resources: int  # in the state, providers and the root stack aside
    beyond_stage_a: bool  # any of them outside STAGE_A_TYPES
    assigned_groups: frozenset[str] = frozenset()  # groups with at least one account assignment
    pushed_groups: frozenset[str] = frozenset()  # groups with a push mapping
    roles: frozenset[str] = frozenset()  # IAM role names the stack manages
    oidc_providers: frozenset[str] = frozenset()  # OIDC provider hosts the stack manages

    @classmethod
    def from_entries(cls, entries: Iterable[StateEntry]) -> PriorState:
        kept = [entry for entry in entries if _kept(entry.type)]
        assigned: set[str] = set()
        pushed: set[str] = set()
        roles: set[str] = set()
        hosts: set[str] = set()
        for entry in kept:
            name = _logical_name(entry.urn)
            if entry.type == ACCOUNT_ASSIGNMENT:
                # <group>/<permission set>/<account id> (fanout.assignment_name); neither the set nor the
                # account id holds a '/', so the group is everything before the last two.
                assigned.add(name.rsplit("/", 2)[0])
            elif entry.type == OKTA_PUSH_GROUP:
                pushed.add(name.removesuffix(PUSH_SUFFIX))
            elif entry.type == IAM_ROLE:
                roles.add(str(entry.outputs.get("name") or name))
            elif entry.type == OIDC_PROVIDER:
                url = str(entry.outputs.get("url") or "")
                if url:
                    hosts.add(url.removeprefix("https://"))
        return cls(
            resources=len(kept),
            beyond_stage_a=any(entry.type not in STAGE_A_TYPES for entry in kept),
            assigned_groups=frozenset(assigned),
            pushed_groups=frozenset(pushed),
            roles=frozenset(roles),
            oidc_providers=frozenset(hosts),
        )

    @classmethod
    def from_read_outputs(cls, answer: Mapping[str, Any]) -> PriorState:
        """The builtin invoke's answer: {"name": ..., "outputs": {urn: {"type": t, "outputs": {...}}}}."""
        resources = answer.get("outputs") or {}
        return cls.from_entries(
            StateEntry(str(urn), str(value.get("type", "")), value.get("outputs") or {})
            for urn, value in resources.items()
        )

    @classmethod
    def from_export(cls, export: Mapping[str, Any]) -> PriorState:
        """A `pulumi stack export` document (deployment v3): its resources, pending deletes skipped."""
        deployment = export.get("deployment") or {}
        resources = deployment.get("resources") or []
        return cls.from_entries(
            StateEntry(str(r["urn"]), str(r["type"]), r.get("outputs") or {})
            for r in resources
            if not r.get("delete")
        )

    @property
    def fresh(self) -> bool:
        """Never applied (or destroyed): nothing in the state."""
        return self.resources == 0

    def as_estate(self) -> dict[str, Any]:
        """The estate's `deployed:` block."""
        return {
            "resources": self.resources,
            "beyondStageA": self.beyond_stage_a,
            "assignedGroups": sorted(self.assigned_groups),
            "pushedGroups": sorted(self.pushed_groups),
            "roles": sorted(self.roles),
            "oidcProviders": sorted(self.oidc_providers),
        }

    def as_resource_outputs(self, stack_name: str, stack: str, project: str) -> dict[str, Any]:
        """The builtin invoke's answer for this state (the inverse of `from_read_outputs`): what the
        offline engine answers from the estate's `deployed:` block."""
        prefix = f"urn:pulumi:{stack}::{project}::"
        outputs: dict[str, Any] = {}

        def put(type_token: str, name: str, values: Mapping[str, Any]) -> None:
            outputs[f"{prefix}{type_token}::{name}"] = {"type": type_token, "outputs": dict(values)}

        for group in sorted(self.assigned_groups):
            put(ACCOUNT_ASSIGNMENT, f"{group}/-/-", {})
        for group in sorted(self.pushed_groups):
            put(OKTA_PUSH_GROUP, f"{group}{PUSH_SUFFIX}", {})
        for role in sorted(self.roles):
            put(IAM_ROLE, role, {"name": role})
        for host in sorted(self.oidc_providers):
            put(OIDC_PROVIDER, host, {"url": f"https://{host}"})
        # The rest of the count: resources whose type says only "stage a" or "beyond it".
        filler = "frontdoor:aws:Guardrails" if self.beyond_stage_a else ORGANIZATION_PLUMBING
        while len(outputs) < self.resources:
            put(filler, f"state-{len(outputs)}", {})
        return {"name": stack_name, "outputs": outputs}


def may_gate(prior: PriorState, *, gated_registers_delegation: bool) -> bool:
    """Whether a run may register first-run stage a alone: only while the state holds nothing that run
    would leave out (stage a registers the delegation, or nothing at all before Identity Center's
    trusted access exists)."""
    if prior.beyond_stage_a:
        return False
    return gated_registers_delegation or prior.fresh
