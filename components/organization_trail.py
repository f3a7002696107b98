"""The organization CloudTrail trail and the log archive bucket it writes to, in the management account.

Owns the S3 bucket (explicit name, `force_destroy` off), its versioning, public access block,
`BucketOwnerEnforced` ownership controls (ACLs off), default encryption (SSE-S3, or SSE-KMS with
`kms_key_arn`), the bucket policy from `frontdoor.domain.documents.trail` (CloudTrail writes for the
organization and the management account, TLS only, no deletes but by break-glass, no protection changes but by
break-glass and the deployers), and the `aws.cloudtrail.Trail`: organization-wide, multi-region,
global service events on, log file validation on, created after the bucket policy (CloudTrail checks
it on create). With `datadog` set, also the AWS half of the path to Datadog (documents/datadog_aws.py):
the bucket's one notification configuration (S3 keeps one per bucket, so its owner writes it), sending
every new object under `AWSLogs/` to the Datadog Forwarder, after the forwarder's permission for S3 to
invoke it from this bucket and account (S3 checks the destination when the configuration is saved);
and, once the monitoring stack's integration has returned its external ID, the role Datadog assumes.
That role carries no permission: the integration collects no metrics or resources and subscribes no
log source itself (the subscription is this notification), so Datadog needs only to assume it.
This is the "every assumption is logged, centrally" half of the audit story and the
SOC 2 evidence source; all of it is protected, and all of it is on the management provider (an
organization trail can only be created in the management account).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.github_deploy_role import ADOPTED_ROLE_KEEPS
from frontdoor.domain.documents.datadog_aws import (
    S3_PRINCIPAL,
    TRAIL_LOG_PREFIX,
    integration_role_trust_policy,
)
from frontdoor.domain.documents.render import render_policy
from frontdoor.domain.documents.trail import bucket_arn, bucket_policy, trail_arn, validate_trail
from frontdoor.domain.model.organization import TrailDatadogConfig

TYPE = "frontdoor:aws:OrganizationTrail"

_Default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs


@dataclass(frozen=True, kw_only=True)
class OrganizationTrailArgs:
    bucket_name: str
    organization_id: str
    management_account_id: str
    # The trail's home region; the trail ARN in the bucket policy's aws:SourceArn is derived from it.
    region: str
    management_provider: aws.Provider
    # Roles that run `pulumi up` for this stack: only they (and break-glass) may change the policy.
    deployer_arns: tuple[str, ...]
    # IAM user/role ARNs allowed to delete logs (e.g. the break-glass users or role): nobody else.
    break_glass_arns: tuple[str, ...] = ()
    trail_name: str = "organization-trail"
    kms_key_arn: str | None = None
    # The bucket's notification to the Datadog Forwarder and the integration role (None: neither).
    datadog: TrailDatadogConfig | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    protect: bool = True

    def __post_init__(self) -> None:
        validate_trail(
            bucket=self.bucket_name,
            organization_id=self.organization_id,
            management_account_id=self.management_account_id,
            trail_name=self.trail_name,
            region=self.region,
            break_glass_arns=self.break_glass_arns,
            deployer_arns=self.deployer_arns,
        )
        if self.kms_key_arn is not None and not self.kms_key_arn.startswith("arn:aws:kms:"):
            raise ValueError(
                f"kms_key_arn {self.kms_key_arn!r} is not a KMS key ARN: use "
                '"arn:aws:kms:<region>:<account>:key/<id>", or leave it unset for SSE-S3'
            )


class OrganizationTrail(pulumi.ComponentResource):
    bucket: aws.s3.Bucket
    bucket_name: str
    trail: aws.cloudtrail.Trail
    trail_arn: str
    policy: str
    integration_role_name: str | None  # the Datadog integration role, once created

    def __init__(
        self, name: str, args: OrganizationTrailArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.management_provider, protect=args.protect)
        tags = dict(args.tags) or None
        self.bucket = aws.s3.Bucket(
            f"{name}/bucket",
            bucket=args.bucket_name,
            force_destroy=False,
            region=args.region,
            tags=tags,
            opts=child,
        )
        bucket_id = self.bucket.id
        settings = [
            aws.s3.BucketVersioning(
                f"{name}/versioning",
                bucket=bucket_id,
                versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
                region=args.region,
                opts=child,
            ),
            aws.s3.BucketPublicAccessBlock(
                f"{name}/public-access-block",
                bucket=bucket_id,
                block_public_acls=True,
                block_public_policy=True,
                ignore_public_acls=True,
                restrict_public_buckets=True,
                region=args.region,
                opts=child,
            ),
            aws.s3.BucketOwnershipControls(
                f"{name}/ownership",
                bucket=bucket_id,
                rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
                region=args.region,
                opts=child,
            ),
            aws.s3.BucketServerSideEncryptionConfiguration(
                f"{name}/encryption",
                bucket=bucket_id,
                rules=[
                    aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                        apply_server_side_encryption_by_default=_Default(
                            sse_algorithm="AES256" if args.kms_key_arn is None else "aws:kms",
                            kms_master_key_id=args.kms_key_arn,
                        ),
                        bucket_key_enabled=args.kms_key_arn is not None,
                    )
                ],
                region=args.region,
                opts=child,
            ),
        ]
        self.trail_arn = trail_arn(args.region, args.management_account_id, args.trail_name)
        self.policy = render_policy(
            bucket_policy(
                bucket=args.bucket_name,
                organization_id=args.organization_id,
                management_account_id=args.management_account_id,
                trail=self.trail_arn,
                break_glass_arns=args.break_glass_arns,
                deployer_arns=args.deployer_arns,
            )
        )
        policy = aws.s3.BucketPolicy(
            f"{name}/policy",
            bucket=bucket_id,
            policy=self.policy,
            region=args.region,
            # Settings, then the policy, then the trail: the first log object lands versioned and encrypted.
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=settings)),
        )
        self.trail = aws.cloudtrail.Trail(
            name,
            name=args.trail_name,
            s3_bucket_name=bucket_id,
            is_organization_trail=True,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            kms_key_id=args.kms_key_arn,
            region=args.region,
            tags=tags,
            # CloudTrail validates the bucket policy when the trail is created.
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[policy])),
        )
        self.bucket_name = args.bucket_name
        self.integration_role_name = None
        if args.datadog is not None:
            self.integration_role_name = self._deliver_to_datadog(name, args, child)
        self.register_outputs(
            {"bucketName": args.bucket_name, "trailArn": self.trail_arn, "trailName": args.trail_name}
        )

    def _deliver_to_datadog(
        self, name: str, args: OrganizationTrailArgs, child: pulumi.ResourceOptions
    ) -> str | None:
        """The bucket's notification to the forwarder, its permission, and the role once trusted."""
        datadog = args.datadog
        assert datadog is not None
        permission = aws.lambda_.Permission(
            f"{name}/forwarder-invoke",
            action="lambda:InvokeFunction",
            function=datadog.forwarder_arn,
            principal=S3_PRINCIPAL,
            # This bucket, in this account: no other bucket (nor a same-named one elsewhere) invokes it.
            source_arn=bucket_arn(args.bucket_name),
            source_account=args.management_account_id,
            statement_id=f"frontdoor-{args.bucket_name}".replace(".", "-")[:100],
            region=args.region,
            opts=child,
        )
        aws.s3.BucketNotification(
            f"{name}/notification",
            bucket=self.bucket.id,
            lambda_functions=[
                aws.s3.BucketNotificationLambdaFunctionArgs(
                    lambda_function_arn=datadog.forwarder_arn,
                    events=["s3:ObjectCreated:*"],
                    filter_prefix=TRAIL_LOG_PREFIX,
                )
            ],
            region=args.region,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[permission])),
        )
        if datadog.integration_external_id is None:
            pulumi.log.warn(
                "frontdoor:trail.datadog.integrationExternalId is unset: the Datadog integration role "
                f"{datadog.integration_role_name} is not created. Run the monitoring stack's `pulumi up`, "
                "then set it to `pulumi stack output datadogExternalId --stack <monitoring stack>` "
                "(docs/monitoring-stack.md, How CloudTrail reaches Datadog)"
            )
            return None
        if datadog.adopt_integration_role:
            pulumi.log.warn(
                "frontdoor:trail.datadog.adoptIntegrationRole is set: the role is imported as it exists; "
                "unset the flag once this apply has succeeded, so that its trust policy converges"
            )
        adopted = datadog.integration_role_name if datadog.adopt_integration_role else None
        aws.iam.Role(
            f"{name}/datadog-integration-role",
            name=datadog.integration_role_name,
            description="Assumed by Datadog's AWS integration (trail logs come by bucket notification).",
            assume_role_policy=render_policy(
                integration_role_trust_policy(datadog.datadog_account_id, datadog.integration_external_id)
            ),
            tags=dict(args.tags) or None,
            opts=pulumi.ResourceOptions.merge(
                child,
                pulumi.ResourceOptions(
                    import_=adopted, ignore_changes=ADOPTED_ROLE_KEEPS if adopted is not None else None
                ),
            ),
        )
        return datadog.integration_role_name
