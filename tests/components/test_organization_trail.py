"""OrganizationTrail: bucket settings, bucket policy, trail flags and ordering, protection, validation,
and the AWS half of the path to Datadog (bucket notification, invoke permission, integration role)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.organization_trail import OrganizationTrail, OrganizationTrailArgs
from frontdoor.domain.model.organization import TrailDatadogConfig
from tests.components.conftest import MANAGEMENT_ACCOUNT, Recorder, make_providers, provider_ref

COMPONENT = "frontdoor:aws:OrganizationTrail"
BUCKET = "aws:s3/bucket:Bucket"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
PUBLIC_ACCESS = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
TRAIL = "aws:cloudtrail/trail:Trail"
BUCKET_NAME = "acme-organization-trail"
GLASS = f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:user/breakglass-1"
DEPLOY = f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:role/frontdoor-github-deploy"
TRAIL_ARN = f"arn:aws:cloudtrail:eu-west-1:{MANAGEMENT_ACCOUNT}:trail/organization-trail"


def _args(**overrides: Any) -> OrganizationTrailArgs:
    values: dict[str, Any] = {
        "bucket_name": BUCKET_NAME,
        "organization_id": "o-a1b2c3d4e5",
        "management_account_id": MANAGEMENT_ACCOUNT,
        "region": "eu-west-1",
        "management_provider": make_providers().management,
        "deployer_arns": (DEPLOY,),
        "break_glass_arns": (GLASS,),
    }
    values.update(overrides)
    return OrganizationTrailArgs(**values)


def test_children(recorder: Recorder) -> None:
    component = recorder.run(lambda: OrganizationTrail("trail", _args()))
    assert recorder.children_of(recorder.one(COMPONENT)) == {
        (BUCKET, "trail/bucket"),
        (VERSIONING, "trail/versioning"),
        (PUBLIC_ACCESS, "trail/public-access-block"),
        (OWNERSHIP, "trail/ownership"),
        (ENCRYPTION, "trail/encryption"),
        (POLICY, "trail/policy"),
        (TRAIL, "trail"),
    }
    assert component.trail_arn == TRAIL_ARN
    assert component.bucket_name == BUCKET_NAME


def test_everything_is_protected_on_the_management_provider(recorder: Recorder) -> None:
    recorder.run(lambda: OrganizationTrail("trail", _args()))
    management = provider_ref(recorder, "aws-management")
    custom = [r for r in recorder.registrations if r.custom and not r.type.startswith("pulumi:providers:")]
    assert len(custom) == 7
    assert all(r.protect for r in custom)
    assert {r.provider for r in custom} == {management}


def test_bucket_settings(recorder: Recorder) -> None:
    recorder.run(lambda: OrganizationTrail("trail", _args()))
    assert recorder.one(BUCKET).inputs == {
        "bucket": BUCKET_NAME,
        "forceDestroy": False,
        "region": "eu-west-1",
    }
    bucket_id = "trail/bucket-id"
    assert recorder.one(VERSIONING).inputs == {
        "bucket": bucket_id,
        "versioningConfiguration": {"status": "Enabled"},
        "region": "eu-west-1",
    }
    assert recorder.one(PUBLIC_ACCESS).inputs == {
        "bucket": bucket_id,
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
        "region": "eu-west-1",
    }
    assert recorder.one(OWNERSHIP).inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    assert recorder.one(ENCRYPTION).inputs["rules"] == [
        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}, "bucketKeyEnabled": False}
    ]


def test_kms_encryption(recorder: Recorder) -> None:
    key = f"arn:aws:kms:eu-west-1:{MANAGEMENT_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    recorder.run(lambda: OrganizationTrail("trail", _args(kms_key_arn=key)))
    assert recorder.one(ENCRYPTION).inputs["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key},
            "bucketKeyEnabled": True,
        }
    ]
    assert recorder.one(TRAIL).inputs["kmsKeyId"] == key


def test_bucket_policy(recorder: Recorder) -> None:
    component = recorder.run(lambda: OrganizationTrail("trail", _args()))
    policy = recorder.one(POLICY)
    assert policy.inputs["bucket"] == "trail/bucket-id"
    assert policy.inputs["policy"] == component.policy
    statements = {s["Sid"]: s for s in json.loads(policy.inputs["policy"])["Statement"]}
    assert statements["AWSCloudTrailOrganizationWrite"]["Resource"] == (
        f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/o-a1b2c3d4e5/*"
    )
    assert statements["AWSCloudTrailWrite"]["Resource"] == (
        f"arn:aws:s3:::{BUCKET_NAME}/AWSLogs/{MANAGEMENT_ACCOUNT}/*"
    )
    assert statements["AWSCloudTrailAclCheck"]["Condition"] == {"StringEquals": {"aws:SourceArn": TRAIL_ARN}}
    assert statements["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statements["DenyLogDeletion"]["Condition"] == {"ArnNotLike": {"aws:PrincipalArn": [GLASS]}}
    assert statements["DenyLogProtectionChanges"]["Condition"] == {
        "ArnNotLike": {"aws:PrincipalArn": [DEPLOY, GLASS]}
    }
    settings = {recorder.by_name(n).urn for n in ("trail/versioning", "trail/public-access-block")}
    assert settings <= set(policy.dependencies)


def test_trail_flags_and_ordering(recorder: Recorder) -> None:
    recorder.run(lambda: OrganizationTrail("trail", _args()))
    trail = recorder.one(TRAIL)
    assert trail.inputs == {
        "name": "organization-trail",
        "s3BucketName": "trail/bucket-id",
        "isOrganizationTrail": True,
        "isMultiRegionTrail": True,
        "includeGlobalServiceEvents": True,
        "enableLogFileValidation": True,
        "enableLogging": True,
        "region": "eu-west-1",
    }
    assert recorder.one(POLICY).urn in trail.dependencies


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"organization_id": "r-ab12"},
            "organization id 'r-ab12' is not an AWS Organizations id: copy it from "
            '`aws organizations describe-organization` (Id), e.g. "o-a1b2c3d4e5"',
        ),
        (
            {"deployer_arns": ()},
            "no deployer ARN: the bucket policy denies policy and versioning changes to everyone "
            "else, so the "
            "stack could never update it again; list the role that runs `pulumi up`, e.g. "
            '"arn:aws:iam::111111111111:role/frontdoor-github-deploy"',
        ),
        (
            {"kms_key_arn": "alias/trail"},
            "kms_key_arn 'alias/trail' is not a KMS key ARN: use "
            '"arn:aws:kms:<region>:<account>:key/<id>", '
            "or leave it unset for SSE-S3",
        ),
    ],
)
def test_bad_args_raise_before_any_registration(
    recorder: Recorder, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError) as error:
        recorder.run(lambda: OrganizationTrail("trail", _args(**overrides)))
    assert str(error.value) == message
    assert recorder.of_type(COMPONENT) == []


NOTIFICATION = "aws:s3/bucketNotification:BucketNotification"
PERMISSION = "aws:lambda/permission:Permission"
ROLE = "aws:iam/role:Role"
FORWARDER = f"arn:aws:lambda:eu-west-1:{MANAGEMENT_ACCOUNT}:function:datadog-forwarder"
EXTERNAL_ID = "4f6e3c1a9b2d47e08a5c6d7e8f901234"


def _datadog(**values: Any) -> TrailDatadogConfig:
    return TrailDatadogConfig.model_validate({"forwarderArn": FORWARDER, **values})


def test_the_bucket_notifies_the_forwarder_after_s3_may_invoke_it(recorder: Recorder) -> None:
    component = recorder.run(lambda: OrganizationTrail("trail", _args(datadog=_datadog())))
    children = recorder.children_of(recorder.one(COMPONENT))
    assert {child for child in children if child[0] in (NOTIFICATION, PERMISSION, ROLE)} == {
        (PERMISSION, "trail/forwarder-invoke"),
        (NOTIFICATION, "trail/notification"),
    }
    permission = recorder.one(PERMISSION)
    assert permission.inputs == {
        "action": "lambda:InvokeFunction",
        "function": FORWARDER,
        "principal": "s3.amazonaws.com",
        "sourceArn": f"arn:aws:s3:::{BUCKET_NAME}",
        "sourceAccount": MANAGEMENT_ACCOUNT,
        "statementId": f"frontdoor-{BUCKET_NAME}",
        "region": "eu-west-1",
    }
    notification = recorder.one(NOTIFICATION)
    assert notification.inputs == {
        "bucket": "trail/bucket-id",
        "lambdaFunctions": [
            {"lambdaFunctionArn": FORWARDER, "events": ["s3:ObjectCreated:*"], "filterPrefix": "AWSLogs/"}
        ],
        "region": "eu-west-1",
    }
    # S3 checks that it may invoke the destination when the configuration is saved.
    assert permission.urn in notification.dependencies
    assert {r.provider for r in (permission, notification)} == {provider_ref(recorder, "aws-management")}
    # Without the monitoring stack's external ID there is nothing the role could trust: no role yet.
    assert recorder.of_type(ROLE) == []
    assert component.integration_role_name is None


def test_the_integration_role_trusts_datadog_with_the_integration_s_external_id(recorder: Recorder) -> None:
    component = recorder.run(
        lambda: OrganizationTrail("trail", _args(datadog=_datadog(integrationExternalId=EXTERNAL_ID)))
    )
    role = recorder.one(ROLE)
    assert role.name == "trail/datadog-integration-role"
    assert role.inputs["name"] == "DatadogIntegrationRole"
    assert json.loads(role.inputs["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DatadogIntegration",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::464622532012:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}},
            }
        ],
    }
    # No permission: the integration collects no metrics or resources and subscribes nothing itself.
    assert [r for r in recorder.registrations if r.type.startswith("aws:iam/rolePolicy")] == []
    assert component.integration_role_name == "DatadogIntegrationRole"
    assert recorder.mocks.imports == {}


def test_a_datadog_role_made_beforehand_is_imported(recorder: Recorder) -> None:
    datadog = _datadog(
        integrationExternalId=EXTERNAL_ID, datadogAccountId="417141415827", adoptIntegrationRole=True
    )
    recorder.run(lambda: OrganizationTrail("trail", _args(datadog=datadog)))
    assert recorder.mocks.imports == {"trail/datadog-integration-role": "DatadogIntegrationRole"}
    trust = json.loads(recorder.one(ROLE).inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::417141415827:root"}
