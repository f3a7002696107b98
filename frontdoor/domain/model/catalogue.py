"""The reference architecture's permission-set catalogue, as data.

Four tiers cover the estate: one ABAC-partitioned DeveloperAccess set instead of one role per team
(access follows `aws:PrincipalTag/team`, so a new team needs no new set), a read-only auditor, a
short-session platform admin and a billing viewer. The demo stack's `permissionSets` and the docs are
written from `reference_permission_sets()`; a test checks the demo stack still agrees with it.
"""

from __future__ import annotations

from typing import Any

from frontdoor.domain.model.fields import DEFAULT_ABAC_TAG_KEY
from frontdoor.domain.model.permission_sets import PermissionSetConfig

# Session tag key -> SCIM path Identity Center reads it from. `team` is a custom HR attribute that
# Identity Center's SCIM cannot store as such, so Okta maps it into the app user's `division` (an
# enterprise attribute our HR feed leaves free; `department` is HR's) and SCIM pushes it there
# (frontdoor/domain/config/abac_chain.py, README "ABAC, end to end").
REFERENCE_ACCESS_CONTROL_ATTRIBUTES: dict[str, str] = {
    DEFAULT_ABAC_TAG_KEY: "${path:enterprise.division}",
    "costCenter": "${path:enterprise.costCenter}",
}
# The declared path of each key (frontdoor:abacChains).
REFERENCE_ABAC_CHAINS: dict[str, dict[str, str]] = {
    DEFAULT_ABAC_TAG_KEY: {"scimAttribute": "division"},
    "costCenter": {"scimAttribute": "costCenter"},
}

DEVELOPER_SERVICES = ("cloudwatch", "dynamodb", "ec2", "ecr", "ecs", "lambda", "logs", "s3", "sqs", "sns")
# The documented tag-unscopable actions: List*/Describe* calls that take no resource never carry
# aws:ResourceTag, so the ABAC statement cannot allow them; without these a developer could act on
# their team's resources but not find them in the console. Read-only, and denied like everything else
# to a session without the team tag.
DEVELOPER_NAVIGATION_ACTIONS = (
    "cloudwatch:ListMetrics",
    "dynamodb:ListTables",
    "ec2:Describe*",
    "ecr:DescribeRepositories",
    "ecs:ListClusters",
    "lambda:ListFunctions",
    "logs:DescribeLogGroups",
    "s3:ListAllMyBuckets",
    "sns:ListTopics",
    "sqs:ListQueues",
)

# Creating resources is allowed only with aws:RequestTag/team = the caller's team (abac_policy.py), so
# every new resource is born inside its team's partition.
DEVELOPER_CREATE_ACTIONS = (
    "dynamodb:CreateTable",
    "ec2:CreateSecurityGroup",
    "ec2:CreateVolume",
    "ec2:RunInstances",
    "ecr:CreateRepository",
    "ecs:CreateCluster",
    "ecs:RegisterTaskDefinition",
    "lambda:CreateFunction",
    "logs:CreateLogGroup",
    "s3:CreateBucket",
    "sns:CreateTopic",
    "sqs:CreateQueue",
)

READ_ONLY_ACCESS = "arn:aws:iam::aws:policy/ReadOnlyAccess"
SECURITY_AUDIT = "arn:aws:iam::aws:policy/SecurityAudit"
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
# Read-only by design. The job-function/Billing policy also exists but can change payment methods
# and budgets, which is not a viewer's job.
BILLING_READ_ONLY = "arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess"


def reference_permission_set_values() -> dict[str, dict[str, Any]]:
    """The catalogue as stack-config values (camelCase keys), ready to write into a stack YAML."""
    return {
        "DeveloperAccess": {
            "tier": "dev",
            "description": "Build and operate your team's workloads; scoped to resources tagged with your "
            "team (ABAC).",
            "sessionDuration": "PT1H",
            "abac": {
                "tagKey": DEFAULT_ABAC_TAG_KEY,
                "services": list(DEVELOPER_SERVICES),
                "readOnlyActions": list(DEVELOPER_NAVIGATION_ACTIONS),
                "createActions": list(DEVELOPER_CREATE_ACTIONS),
            },
            "tags": {"tier": "dev"},
        },
        "ReadOnlyAuditor": {
            "tier": "readonly",
            "description": "Read-only visibility for investigations and audit evidence.",
            "sessionDuration": "PT4H",
            "awsManagedPolicies": [READ_ONLY_ACCESS, SECURITY_AUDIT],
        },
        "PlatformAdmin": {
            "tier": "admin",
            "description": "Full administration for the platform team; short sessions by design.",
            "sessionDuration": "PT1H",
            "awsManagedPolicies": [ADMINISTRATOR_ACCESS],
        },
        "BillingViewer": {
            "tier": "billing",
            "description": "Read-only billing and cost data for finance.",
            "sessionDuration": "PT2H",
            "awsManagedPolicies": [BILLING_READ_ONLY],
            "managedFromManagementAccount": True,
        },
    }


def reference_permission_sets() -> dict[str, PermissionSetConfig]:
    """The catalogue as validated models, keyed by permission-set name."""
    return {
        name: PermissionSetConfig.model_validate(values)
        for name, values in reference_permission_set_values().items()
    }
