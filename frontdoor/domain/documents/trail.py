"""The organization trail's bucket policy and names: pure, so the whole document is known at preview.

The policy is AWS's organization-trail bucket policy (CloudTrail user guide, "Create a bucket policy
for an organization trail"): `cloudtrail.amazonaws.com` may `s3:GetBucketAcl` on the bucket and
`s3:PutObject` under `AWSLogs/<management account>/` and `AWSLogs/<organization id>/`, each scoped by
`aws:SourceArn` to our one trail (the ARN is derived from region, account and name, so the policy does
not wait for the trail, which itself waits for the policy). Three denies make it a log archive
rather than a bucket:

- `DenyInsecureTransport`: any request without TLS (`aws:SecureTransport` false), to anyone.
- `DenyLogDeletion`: deleting objects, object versions or the bucket, to every principal except the
  listed break-glass ARNs. With versioning on, an overwrite only adds a version, so the record stays.
- `DenyLogProtectionChanges`: changing or deleting the bucket policy, suspending versioning, adding a
  lifecycle, loosening the public access block or ownership: every principal except break-glass AND
  the principals that deploy this stack (the deploy role must still manage these settings). The
  account's root user can always delete a bucket policy, so this cannot lock the bucket for good.

Service principals carry no `aws:PrincipalArn`; `ArnNotLike` on a missing key matches, so the denies
apply to them too (CloudTrail never deletes or reconfigures).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from frontdoor.domain.base.aws_ids import ACCOUNT_ID, ORGANIZATION_ID

CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"
# S3 general purpose bucket names: 3-63 characters, lowercase letters, digits, '.' and '-'.
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
TRAIL_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$")
REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]$")
# aws:PrincipalArn is the IAM user or role ARN (for a role session: the role, not the session).
PRINCIPAL_ARN_RE = re.compile(r"^arn:aws(-[a-z]+)*:iam::([0-9]{12}|\*):(user|role)/\S+$")

DELETE_ACTIONS: tuple[str, ...] = ("s3:DeleteBucket", "s3:DeleteObject", "s3:DeleteObjectVersion")
PROTECTION_ACTIONS: tuple[str, ...] = (
    "s3:DeleteBucketPolicy",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketVersioning",
    "s3:PutLifecycleConfiguration",
)


def trail_arn(region: str, account_id: str, trail_name: str) -> str:
    return f"arn:aws:cloudtrail:{region}:{account_id}:trail/{trail_name}"


def bucket_arn(bucket: str) -> str:
    return f"arn:aws:s3:::{bucket}"


def bucket_policy(
    *,
    bucket: str,
    organization_id: str,
    management_account_id: str,
    trail: str,
    break_glass_arns: Iterable[str],
    deployer_arns: Iterable[str],
) -> dict[str, Any]:
    """The whole bucket policy; `trail` is the trail's ARN (see `trail_arn`)."""
    arn = bucket_arn(bucket)
    objects = f"{arn}/*"
    glass = sorted(set(break_glass_arns))
    managers = sorted(set(glass) | set(deployer_arns))
    source = {"aws:SourceArn": trail}
    cloudtrail = {"Service": CLOUDTRAIL_PRINCIPAL}
    statements: list[dict[str, Any]] = [
        {
            "Sid": "AWSCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": cloudtrail,
            "Action": "s3:GetBucketAcl",
            "Resource": arn,
            "Condition": {"StringEquals": source},
        },
        {
            "Sid": "AWSCloudTrailWrite",
            "Effect": "Allow",
            "Principal": cloudtrail,
            "Action": "s3:PutObject",
            "Resource": f"{arn}/AWSLogs/{management_account_id}/*",
            "Condition": {"StringEquals": {**source, "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
        {
            "Sid": "AWSCloudTrailOrganizationWrite",
            "Effect": "Allow",
            "Principal": cloudtrail,
            "Action": "s3:PutObject",
            "Resource": f"{arn}/AWSLogs/{organization_id}/*",
            "Condition": {"StringEquals": {**source, "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [arn, objects],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        _deny_except("DenyLogDeletion", list(DELETE_ACTIONS), [arn, objects], glass),
        _deny_except("DenyLogProtectionChanges", list(PROTECTION_ACTIONS), arn, managers),
    ]
    return {"Version": "2012-10-17", "Statement": statements}


def _deny_except(
    sid: str, actions: list[str], resource: str | list[str], exempt: list[str]
) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Sid": sid,
        "Effect": "Deny",
        "Principal": "*",
        "Action": actions,
        "Resource": resource,
    }
    if exempt:
        statement["Condition"] = {"ArnNotLike": {"aws:PrincipalArn": exempt}}
    return statement


def validate_trail(
    *,
    bucket: str,
    organization_id: str,
    management_account_id: str,
    trail_name: str,
    region: str,
    break_glass_arns: Iterable[str],
    deployer_arns: Iterable[str],
) -> None:
    """ValueError (with the fix) for any input that would make the policy wrong or the trail fail."""
    if not BUCKET_RE.fullmatch(bucket) or ".." in bucket:
        raise ValueError(
            f"bucket name {bucket!r} is not a valid S3 bucket name: use 3-63 lowercase letters, digits, '.' "
            "and '-', e.g. \"acme-organization-trail-111111111111\""
        )
    if not ORGANIZATION_ID.accepts(organization_id):
        raise ValueError(
            f"organization id {organization_id!r} is not an AWS Organizations id: copy it from "
            '`aws organizations describe-organization` (Id), e.g. "o-a1b2c3d4e5"'
        )
    if not ACCOUNT_ID.accepts(management_account_id):
        raise ValueError(
            f"management account id {management_account_id!r} is not a 12-digit AWS account id: use "
            'the organization\'s management account, e.g. "111111111111"'
        )
    if not TRAIL_NAME_RE.fullmatch(trail_name) or ".." in trail_name or "--" in trail_name:
        raise ValueError(
            f"trail name {trail_name!r} is not a valid CloudTrail name: use 3-128 letters, digits, '.', '_' "
            "or '-', starting and ending with a letter or digit, e.g. \"organization-trail\""
        )
    if not REGION_RE.fullmatch(region):
        raise ValueError(
            f"region {region!r} is not an AWS region name: use the trail's home region, e.g. 'eu-west-1'"
        )
    deployers = list(deployer_arns)
    if not deployers:
        raise ValueError(
            "no deployer ARN: the bucket policy denies policy and versioning changes to everyone else, so "
            "the stack could never update it again; list the role that runs `pulumi up`, e.g. "
            '"arn:aws:iam::111111111111:role/frontdoor-github-deploy"'
        )
    for arn in (*break_glass_arns, *deployers):
        if not PRINCIPAL_ARN_RE.fullmatch(arn):
            raise ValueError(
                f"principal ARN {arn!r} is not an IAM principal ARN: use e.g. "
                '"arn:aws:iam::111111111111:role/BreakGlassAdmin" or '
                '"arn:aws:iam::111111111111:user/breakglass-1"'
            )
