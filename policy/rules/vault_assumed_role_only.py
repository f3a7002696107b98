"""Vault AWS secrets engine roles issue assumed-role STS credentials only.

`iam_user` makes Vault create an IAM user (and access key) per lease: eventually consistent, leaked
when revocation fails, and exactly the IAM users frontdoor forbids; `federation_token` and
`session_token` need an IAM user's long-lived key as Vault's own credential (Vault docs, secrets/aws;
research/next-capabilities.md §1). Only `credential_type = "assumed_role"` passes, and it must name
the roles it assumes (`roleArns`).

The mount itself (`vault:aws/secretBackend:SecretBackend`) holds no static key: `accessKey`,
`secretKey` and `secretKeyWo` (pulumi_vault `aws.SecretBackend` arguments access_key, secret_key,
secret_key_wo) are an IAM user's long-lived key, kept in Pulumi state (secret_key_wo excepted, but the
key still exists in IAM), which README ("Machines: Vault-issued credentials": "no key in state")
promises there is none of: Vault authenticates as its own role (ambient credentials, `role_arn`)
or through plugin WIF (`identity_token_audience`). A key given at all is refused, whatever its value
(an unknown one too).

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
    "Vault AWS roles use credential_type assumed_role (no iam_user, federation_token or session_token), "
    "and the AWS secret backend mount holds no static access key."
)
ENFORCEMENT = EnforcementLevel.MANDATORY
ALLOWED = "assumed_role"
VAULT_AWS_BACKEND = "vault:aws/secretBackend:SecretBackend"
# pulumi_vault/aws/secret_backend.py getters (the provider's property names): a static key's parts.
STATIC_KEY_PROPERTIES = ("accessKey", "secretKey", "secretKeyWo")


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


def backend_findings(props: Mapping[str, Any], name: str) -> list[str]:
    """The AWS secrets engine mount carries no static IAM key."""
    values = plain(props)  # an unknown key is a key all the same: read the sentinel, do not defer
    given = [key for key in STATIC_KEY_PROPERTIES if values.get(key) not in (None, "")]
    if not given:
        return []
    return [
        f'Vault AWS secret backend "{values.get("path") or name}" is given a static IAM key '
        f"({', '.join(given)}): a long-lived IAM user key kept in Pulumi state and Vault, which frontdoor "
        "promises there is none of; "
        "remove access_key/secret_key and let Vault authenticate as its own role (role_arn) or through "
        "plugin WIF (identity_token_audience)"
    ]


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == VAULT_AWS_BACKEND:
        for message in backend_findings(args.props, args.name):
            report(message, None)
        return
    if args.resource_type != VAULT_AWS_ROLE:
        return
    for message in findings(args.props, args.name):
        report(message, None)


POLICY = ResourceValidationPolicy(
    name=NAME, description=DESCRIPTION, validate=_validate, enforcement_level=ENFORCEMENT
)
