"""Datadog's side of the AWS account that holds the organization trail: pure facts and documents.

Two stacks share the path from the trail bucket to Datadog (docs/monitoring-stack.md, "How CloudTrail
reaches Datadog"):

- the identity stack owns the AWS half, on the management provider that already owns the trail
  bucket: the bucket's event notification to the Datadog Forwarder, the forwarder's permission for S3 to
  invoke it, and the role Datadog's integration assumes (components/organization_trail.py);
- the monitoring stack owns the Datadog half: the integration account, whose `external_id` output is
  what the role's trust policy must require (components/datadog_monitors.py exports it as
  `datadogExternalId`).

The split follows the credentials (DESIGN.md: stacks split where credentials split): the monitoring run
holds Datadog's keys and no AWS credential; the identity run holds the deploy role, which may write the
trail bucket's settings and the stack's own roles, and no Datadog key.
"""

from __future__ import annotations

import re
from typing import Any

# Datadog's AWS account, the principal of the integration role's trust policy (Datadog, "Error: Datadog
# is not authorized to perform sts:AssumeRole": "arn:aws:iam::464622532012:root"; for the US1-FED site,
# "arn:aws:iam::417141415827:root").
DATADOG_AWS_ACCOUNT = "464622532012"
DATADOG_GOV_AWS_ACCOUNT = "417141415827"
DATADOG_AWS_ACCOUNTS = (DATADOG_AWS_ACCOUNT, DATADOG_GOV_AWS_ACCOUNT)

# Datadog's log-ready service ids: the allowed values of `logs_config.lambda_forwarder.sources`
# (pulumi-datadog 5.17.0 IntegrationAccountLogsConfigLambdaForwarderArgs.sources: "Use
# aws_get_integration_available_logs_services data source or the AWS Logs Integration API to get allowed
# values"). The list is Datadog's answer to `GET /api/v2/integration/aws/logs/services` (API reference,
# AWS Logs Integration, "Get list of AWS log ready services"), as recorded by Datadog's own Terraform
# provider test (DataDog/terraform-provider-datadog, datadog/tests/cassettes/
# TestAccDatadogIntegrationAWSAvailableLogsServicesDatasource.yaml, commit d0ec124f). Datadog may add ids
# later: a new one is added here with its source, never guessed.
LOG_READY_SERVICES_SOURCE = (
    "Datadog API, AWS Logs Integration: GET /api/v2/integration/aws/logs/services (the response recorded "
    "in DataDog/terraform-provider-datadog datadog/tests/cassettes/"
    "TestAccDatadogIntegrationAWSAvailableLogsServicesDatasource.yaml)"
)
LOG_READY_SERVICE_IDS: frozenset[str] = frozenset(
    {
        "apigw-access-logs",
        "apigw-execution-logs",
        "cloudfront",
        "cloudtrail",
        "elb",
        "elbv2",
        "lambda",
        "lambda-edge",
        "redshift",
        "s3",
        "ssm",
        "states",
        "waf",
    }
)

# The forwarder, as Lambda names a function by ARN (botocore lambda FunctionArn, without the version or
# alias suffix, which an S3 notification does not take here).
FORWARDER_ARN_RE = re.compile(
    r"^arn:(aws[a-zA-Z-]*):lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d{1}):(\d{12}):function:([a-zA-Z0-9-_]+)$"
)
# Where CloudTrail writes: `AWSLogs/<account or organization id>/...` under the bucket (no key prefix is
# set on the trail), so only the trail's objects reach the forwarder.
TRAIL_LOG_PREFIX = "AWSLogs/"
S3_PRINCIPAL = "s3.amazonaws.com"


def log_source_issue(source: str) -> str | None:
    """Why `source` is not a log-ready service id, or None."""
    if source in LOG_READY_SERVICE_IDS:
        return None
    known = ", ".join(sorted(LOG_READY_SERVICE_IDS))
    return f"{source!r} is not one of Datadog's log-ready AWS service ids ({known})"


def forwarder_issue(forwarder_arn: str, *, account_id: str, region: str) -> str | None:
    """Why the forwarder cannot receive the trail bucket's events from this stack, or None.

    S3 delivers an event notification only to a function in the bucket's Region (Amazon S3 user guide,
    "Supported event destinations": the destination must be in the same Region as the bucket), and the
    function's resource policy can only be written in the function's own account, where this stack's
    management provider is.
    """
    match = FORWARDER_ARN_RE.match(forwarder_arn)
    if match is None:
        return (
            "not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>, no version or "
            "alias)"
        )
    _, function_region, function_account, _ = match.groups()
    if function_region != region:
        return (
            f"the forwarder is in {function_region}, the trail bucket in {region}: S3 notifies only a "
            "function in the bucket's Region"
        )
    if function_account != account_id:
        return (
            f"the forwarder is in account {function_account}, the trail bucket in {account_id}: the "
            "permission for S3 to invoke it is written in the function's account, where this stack has "
            "no provider"
        )
    return None


def integration_role_trust_policy(datadog_account: str, external_id: str) -> dict[str, Any]:
    """The trust policy Datadog documents for the integration role: its account, the integration's external
    ID as `sts:ExternalId` (the confused-deputy guard: only this Datadog organization's integration can
    assume it)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DatadogIntegration",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{datadog_account}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": external_id}},
            }
        ],
    }
