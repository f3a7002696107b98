"""The deploy role's least privilege: IAM actions derived from the resource types the program registers.

The management provider (the deployer role, frontdoor/domain/documents/deployer.py) registers a known set of
resource types and reads a known set of data sources. `ACTIONS` maps each to the IAM actions its
provider calls for create, read, update, delete and tagging: each type's `deploy_actions` in the
catalogue (frontdoor/domain/resource_types.py, from the service authorization reference and the
Terraform resources pulumi-aws bridges); `deploy_policy` is their union, one statement per service.
No `AdministratorAccess` in the management account: the role can do what the program does.
tests/frontdoor/offline/test_deploy_permissions.py runs the demo and break-glass stacks and fails when
the program registers, through the management provider, a type with no deploy actions, or when the
policy grants a service the program never touches.

Scoping: `sts:AssumeRole` names exactly the two deployer roles. The other statements keep
`Resource: "*"`: the list/describe calls need it, and CreateAccountAssignment creates Identity Center's
roles under names AWS chooses. Narrowing IAM writes to `role/frontdoor-*` and the break-glass names is
the next step (not done: it needs a sandbox run to confirm every ARN the provider touches).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from frontdoor.domain import resource_types

# Pulumi type (or data source token) -> the IAM actions its provider calls: the catalogue's.
ACTIONS: Mapping[str, tuple[str, ...]] = resource_types.deploy_actions()
# The providers chain into the deployer role (itself, then the Identity Center account's).
PROVIDER_ACTIONS = ("sts:AssumeRole",)


def services(actions: Iterable[str]) -> set[str]:
    return {action.split(":", 1)[0] for action in actions}


def deploy_actions(types: Iterable[str] = ()) -> list[str]:
    """The union of the actions of `types` (default: every type the management provider registers)."""
    chosen = list(types) or list(ACTIONS)
    missing = sorted(t for t in chosen if t not in ACTIONS)
    if missing:
        raise KeyError(
            f"no deploy permissions known for {missing}: add their deploy_actions to their entries in "
            "frontdoor/domain/resource_types.py"
        )
    return sorted({action for t in chosen for action in ACTIONS[t]})


TRAIL_TYPES = ("aws:cloudtrail/", "aws:s3/")


def deploy_policy(role_arns: Iterable[str], *, trail_bucket: str | None) -> dict[str, Any]:
    """The deploy role's inline policy: one statement per service, AssumeRole of exactly `role_arns`.

    Without a trail the role gets no CloudTrail or S3 action at all; with one, every S3 action is
    bounded to the trail's bucket (parliament's RESOURCE_POLICY_PRIVILEGE_ESCALATION otherwise: a
    deployer able to rewrite any bucket policy in the management account).
    """
    types = [t for t in ACTIONS if trail_bucket is not None or not t.startswith(TRAIL_TYPES)]
    statements = statements_by_service("Deploy", deploy_actions(types), trail_bucket=trail_bucket)
    statements.append(
        {
            "Sid": "ChainToDeployerRoles",
            "Effect": "Allow",
            "Action": list(PROVIDER_ACTIONS),
            "Resource": sorted(role_arns),
        }
    )
    return {"Version": "2012-10-17", "Statement": statements}


def statements_by_service(
    sid_prefix: str, actions: Iterable[str], *, trail_bucket: str | None
) -> list[dict[str, Any]]:
    """One Allow statement per service (`<sid_prefix><Service>`), its actions sorted, on every resource
    but S3's: S3 actions are bounded to the trail bucket (the deploy and the preview role's policies)."""
    by_service: dict[str, list[str]] = {}
    for action in sorted(set(actions)):
        by_service.setdefault(action.split(":", 1)[0], []).append(action)
    return [
        {
            "Sid": f"{sid_prefix}{service.title().replace('-', '')}",
            "Effect": "Allow",
            "Action": service_actions,
            "Resource": f"arn:aws:s3:::{trail_bucket}" if service == "s3" else "*",
        }
        for service, service_actions in sorted(by_service.items())
    ]
