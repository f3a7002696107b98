"""The plan `drift` compares against, read from the offline engine's run of the real program.

Nothing is re-planned here: assignments come from the access report's rows (group × permission set ×
account; `synced` rows are registered AccountAssignments, `deferred` rows are the grants of groups
pushed but not synced yet), permission sets from the registered PermissionSet resources and their
attachment children, SCP attachments from the registered Policy and PolicyAttachment resources.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from frontdoor.domain.contracts import (
    CUSTOMER_MANAGED_ATTACHMENT,
    INLINE_POLICY,
    MANAGED_ATTACHMENT,
    ORG_POLICY,
    ORG_POLICY_ATTACHMENT,
    PERMISSION_SET,
)
from frontdoor.domain.reconcile.drift import DEFAULT_SESSION, Access, PermissionSetShape, Plan
from frontdoor.domain.resource_types import PERMISSIONS_BOUNDARY_ATTACHMENT
from frontdoor.offline.preview import PreviewResult
from frontdoor.offline.report import access_rows


def _canonical(document: Any) -> str | None:
    if not document:
        return None
    parsed = json.loads(document) if isinstance(document, str) else document
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"))


def _reference(reference: Any) -> str | None:
    if not isinstance(reference, dict) or not reference.get("name"):
        return None
    return f"{reference.get('path') or '/'}{reference['name']}"


def plan_from_preview(result: PreviewResult) -> Plan:
    run = result.run
    rows = access_rows(run, result.estate)
    synced = frozenset(Access(r.group, r.permission_set, r.account_id) for r in rows if r.status == "synced")
    pending = frozenset(Access(r.group, r.permission_set, r.account_id) for r in rows if r.status != "synced")

    by_arn: dict[str, dict[str, Any]] = {}
    for resource in run.by_type(PERMISSION_SET):
        by_arn[str(resource.outputs.get("arn"))] = {
            "name": str(resource.inputs.get("name")),
            "session_duration": str(resource.inputs.get("sessionDuration") or DEFAULT_SESSION),
            "inline_policy": None,
            "boundary": None,
        }
    managed: dict[str, set[str]] = defaultdict(set)
    customer: dict[str, set[str]] = defaultdict(set)
    for resource in run.resources:
        arn = str(resource.inputs.get("permissionSetArn", ""))
        if arn not in by_arn:
            continue
        if resource.type == MANAGED_ATTACHMENT:
            managed[arn].add(str(resource.inputs.get("managedPolicyArn")))
        elif resource.type == CUSTOMER_MANAGED_ATTACHMENT:
            reference = _reference(resource.inputs.get("customerManagedPolicyReference"))
            if reference:
                customer[arn].add(reference)
        elif resource.type == INLINE_POLICY:
            by_arn[arn]["inline_policy"] = _canonical(resource.inputs.get("inlinePolicy"))
        elif resource.type == PERMISSIONS_BOUNDARY_ATTACHMENT:
            boundary = resource.inputs.get("permissionsBoundary") or {}
            by_arn[arn]["boundary"] = boundary.get("managedPolicyArn") or _reference(
                boundary.get("customerManagedPolicyReference")
            )
    sets = {
        fields["name"]: PermissionSetShape(
            managed_policies=frozenset(managed[arn]),
            customer_managed_policies=frozenset(customer[arn]),
            **fields,
        )
        for arn, fields in by_arn.items()
    }

    policy_names = {r.id: str(r.inputs.get("name")) for r in run.by_type(ORG_POLICY)}
    attachments = frozenset(
        (
            policy_names.get(str(r.inputs.get("policyId")), str(r.inputs.get("policyId"))),
            str(r.inputs.get("targetId")),
        )
        for r in run.by_type(ORG_POLICY_ATTACHMENT)
    )
    return Plan(assignments=synced, pending=pending, permission_sets=sets, scp_attachments=attachments)
