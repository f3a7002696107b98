"""A StackSet auto-deploys only with service-managed permissions, as the CloudFormation API allows.

CloudFormation's CreateStackSet (botocore cloudformation 2010-05-15, `AutoDeployment`): "Required if
the permissions model is SERVICE_MANAGED. (Not used with self-managed permissions.)"; `PermissionModel`
defaults to SELF_MANAGED. A
SELF_MANAGED StackSet with auto-deployment enabled promises that accounts joining an OU get the stack
(frontdoor's Vault target roles), which self-managed permissions never do: the promise is silently
broken, so the pack refuses it, and a SERVICE_MANAGED one without auto-deployment (the API requires it).

Unknown at preview: an unknown `permissionModel` or `autoDeployment` defers the rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from ._common import STACK_SET, defer, display, plain

NAME = "stack-set-auto-deployment"
DESCRIPTION = "StackSet auto-deployment is set exactly when the permission model is SERVICE_MANAGED."
ENFORCEMENT = EnforcementLevel.MANDATORY

SERVICE_MANAGED = "SERVICE_MANAGED"
SELF_MANAGED = "SELF_MANAGED"


def findings(props: Mapping[str, Any], name: str) -> list[str]:
    values = plain(props)
    model = values.get("permissionModel")
    auto = values.get("autoDeployment")
    defer(model, "permissionModel")
    defer(auto, "autoDeployment")
    model = model or SELF_MANAGED  # the API's default
    stack_set = f'StackSet "{values.get("name") or name}"'
    if auto is not None and not isinstance(auto, Mapping):
        return [f"{stack_set} has autoDeployment {display(auto)}; it must be an object"]
    enabled = (auto or {}).get("enabled")
    defer(enabled, "autoDeployment.enabled")
    if model != SERVICE_MANAGED and enabled:
        return [
            f"{stack_set} is {model} with auto_deployment enabled, which CloudFormation uses only with "
            "service-managed permissions (CreateStackSet AutoDeployment: not used with self-managed "
            "permissions), so accounts joining the target OUs would never get the stack; set "
            f'permission_model="{SERVICE_MANAGED}" or remove auto_deployment'
        ]
    if model == SERVICE_MANAGED and auto is None:
        return [
            f"{stack_set} is {SERVICE_MANAGED} without auto_deployment, which CreateStackSet requires for "
            "service-managed permissions; set auto_deployment enabled=true for OU targets or enabled=false"
        ]
    return []


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != STACK_SET:
        return
    for message in findings(args.props, args.name):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
