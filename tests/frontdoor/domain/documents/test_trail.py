"""Organization trail bucket policy (exact statements) and validation messages."""

from __future__ import annotations

from typing import Any

import pytest

from frontdoor.domain.documents.trail import bucket_policy, trail_arn, validate_trail

BUCKET = "acme-organization-trail"
TRAIL = "arn:aws:cloudtrail:eu-west-1:111111111111:trail/organization-trail"
GLASS = "arn:aws:iam::111111111111:user/breakglass-1"
DEPLOY = "arn:aws:iam::111111111111:role/frontdoor-github-deploy"


def _policy() -> dict[str, Any]:
    return bucket_policy(
        bucket=BUCKET,
        organization_id="o-a1b2c3d4e5",
        management_account_id="111111111111",
        trail=TRAIL,
        break_glass_arns=[GLASS],
        deployer_arns=[DEPLOY],
    )


def test_trail_arn() -> None:
    assert trail_arn("eu-west-1", "111111111111", "organization-trail") == TRAIL


def test_bucket_policy_statements() -> None:
    statements = {s["Sid"]: s for s in _policy()["Statement"]}
    assert list(statements) == [
        "AWSCloudTrailAclCheck",
        "AWSCloudTrailWrite",
        "AWSCloudTrailOrganizationWrite",
        "DenyInsecureTransport",
        "DenyLogDeletion",
        "DenyLogProtectionChanges",
    ]
    cloudtrail = {"Service": "cloudtrail.amazonaws.com"}
    assert statements["AWSCloudTrailAclCheck"] == {
        "Sid": "AWSCloudTrailAclCheck",
        "Effect": "Allow",
        "Principal": cloudtrail,
        "Action": "s3:GetBucketAcl",
        "Resource": f"arn:aws:s3:::{BUCKET}",
        "Condition": {"StringEquals": {"aws:SourceArn": TRAIL}},
    }
    write_condition = {"StringEquals": {"aws:SourceArn": TRAIL, "s3:x-amz-acl": "bucket-owner-full-control"}}
    assert statements["AWSCloudTrailWrite"]["Resource"] == f"arn:aws:s3:::{BUCKET}/AWSLogs/111111111111/*"
    assert statements["AWSCloudTrailWrite"]["Condition"] == write_condition
    assert statements["AWSCloudTrailOrganizationWrite"]["Resource"] == (
        f"arn:aws:s3:::{BUCKET}/AWSLogs/o-a1b2c3d4e5/*"
    )
    assert statements["AWSCloudTrailOrganizationWrite"]["Condition"] == write_condition
    assert statements["DenyInsecureTransport"] == {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    assert statements["DenyLogDeletion"] == {
        "Sid": "DenyLogDeletion",
        "Effect": "Deny",
        "Principal": "*",
        "Action": ["s3:DeleteBucket", "s3:DeleteObject", "s3:DeleteObjectVersion"],
        "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
        "Condition": {"ArnNotLike": {"aws:PrincipalArn": [GLASS]}},
    }
    assert statements["DenyLogProtectionChanges"] == {
        "Sid": "DenyLogProtectionChanges",
        "Effect": "Deny",
        "Principal": "*",
        "Action": [
            "s3:DeleteBucketPolicy",
            "s3:PutBucketObjectLockConfiguration",
            "s3:PutBucketOwnershipControls",
            "s3:PutBucketPolicy",
            "s3:PutBucketPublicAccessBlock",
            "s3:PutBucketVersioning",
            "s3:PutLifecycleConfiguration",
        ],
        "Resource": f"arn:aws:s3:::{BUCKET}",
        "Condition": {"ArnNotLike": {"aws:PrincipalArn": [DEPLOY, GLASS]}},
    }


def test_no_break_glass_means_nobody_deletes() -> None:
    policy = bucket_policy(
        bucket=BUCKET,
        organization_id="o-a1b2c3d4e5",
        management_account_id="111111111111",
        trail=TRAIL,
        break_glass_arns=[],
        deployer_arns=[DEPLOY],
    )
    deletion = next(s for s in policy["Statement"] if s["Sid"] == "DenyLogDeletion")
    assert "Condition" not in deletion


def _check(**overrides: Any) -> None:
    values: dict[str, Any] = {
        "bucket": BUCKET,
        "organization_id": "o-a1b2c3d4e5",
        "management_account_id": "111111111111",
        "trail_name": "organization-trail",
        "region": "eu-west-1",
        "break_glass_arns": [GLASS],
        "deployer_arns": [DEPLOY],
    }
    values.update(overrides)
    validate_trail(**values)


def test_valid_inputs_pass() -> None:
    _check()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"bucket": "Acme_Trail"},
            "bucket name 'Acme_Trail' is not a valid S3 bucket name: use 3-63 lowercase letters, digits, '.' "
            "and '-', e.g. \"acme-organization-trail-111111111111\"",
        ),
        (
            {"organization_id": "r-ab12"},
            "organization id 'r-ab12' is not an AWS Organizations id: copy it from "
            '`aws organizations describe-organization` (Id), e.g. "o-a1b2c3d4e5"',
        ),
        (
            {"management_account_id": "1111"},
            "management account id '1111' is not a 12-digit AWS account id: use the organization's "
            'management account, e.g. "111111111111"',
        ),
        (
            {"trail_name": "-trail"},
            "trail name '-trail' is not a valid CloudTrail name: use 3-128 letters, digits, '.', '_' or '-', "
            'starting and ending with a letter or digit, e.g. "organization-trail"',
        ),
        (
            {"region": "europe"},
            "region 'europe' is not an AWS region name: use the trail's home region, e.g. 'eu-west-1'",
        ),
        (
            {"deployer_arns": []},
            "no deployer ARN: the bucket policy denies policy and versioning changes to everyone "
            "else, so the "
            "stack could never update it again; list the role that runs `pulumi up`, e.g. "
            '"arn:aws:iam::111111111111:role/frontdoor-github-deploy"',
        ),
        (
            {"break_glass_arns": ["breakglass-1"]},
            "principal ARN 'breakglass-1' is not an IAM principal ARN: use e.g. "
            '"arn:aws:iam::111111111111:role/BreakGlassAdmin" or '
            '"arn:aws:iam::111111111111:user/breakglass-1"',
        ),
    ],
)
def test_bad_inputs_raise_with_the_fix(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as error:
        _check(**overrides)
    assert str(error.value) == message
