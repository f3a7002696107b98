"""Vault AWS secrets engine roles issue assumed-role STS credentials only.

`iam_user` makes Vault create an IAM user (and access key) per lease: eventually consistent, leaked
when revocation fails, and exactly the IAM users frontdoor forbids; `federation_token` and
`session_token` need an IAM user's long-lived key as Vault's own credential (Vault docs, secrets/aws;
research/next-capabilities.md §1). Only `credential_type = "assumed_role"` passes, and it must name
the roles it assumes (`roleArns`).

Unknown at preview: an unknown `credentialType` or `roleArns` defers the rule (SDK advisory "can't
run policy during preview"); the update run judges the real values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from ._common import VAULT_AWS_ROLE, defer, plain
from ._contracts import MachineRole

NAME = "vault-assumed-role-only"
DESCRIPTION = (
    "Vault AWS roles use credential_type assumed_role (no iam_user, federation_token or session_token)."
)
ENFORCEMENT = EnforcementLevel.MANDATORY
ALLOWED = "assumed_role"


def findings(props: Mapping[str, Any], name: str) -> list[str]:
    machine_role = MachineRole.from_inputs(plain(props))
    credential_type = machine_role.credential_type
    defer(credential_type, "credentialType")
    defer(machine_role.name, "name")
    role = f'Vault AWS role "{machine_role.name or name}"'
    if credential_type != ALLOWED:
        shown = f'"{credential_type}"' if isinstance(credential_type, str) else "(not set)"
        return [
            f"{role} issues {shown} credentials; only assumed_role is allowed: iam_user creates an IAM user "
            "and access key per lease, federation_token and session_token need a static IAM user key for "
            'Vault. Set credential_type="assumed_role" with role_arns naming the target roles'
        ]
    arns = machine_role.role_arns
    defer(arns, "roleArns")
    if not isinstance(arns, tuple) or not arns:
        return [f"{role} is assumed_role but names no role_arns: list the target role of every account"]
    return []


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != VAULT_AWS_ROLE:
        return
    for message in findings(args.props, args.name):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
