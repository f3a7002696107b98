"""The organization CloudTrail trail and the log archive bucket it writes to, in the management account.

Owns the S3 bucket (explicit name, `force_destroy` off), its versioning, public access block,
`BucketOwnerEnforced` ownership controls (ACLs off), default encryption (SSE-S3, or SSE-KMS with
`kms_key_arn`), the bucket policy from `frontdoor.domain.documents.trail` (CloudTrail writes for the
organization and the management account, TLS only, no deletes but by break-glass, no protection changes but by
break-glass and the deployers), and the `aws.cloudtrail.Trail`: organization-wide, multi-region,
global service events on, log file validation on, created after the bucket policy (CloudTrail checks
it on create). This is the "every assumption is logged, centrally" half of the audit story and the
SOC 2 evidence source; all of it is protected, and all of it is on the management provider (an
organization trail can only be created in the management account).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from frontdoor.domain.documents.render import render_policy
from frontdoor.domain.documents.trail import bucket_policy, trail_arn, validate_trail

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
        self.register_outputs(
            {"bucketName": args.bucket_name, "trailArn": self.trail_arn, "trailName": args.trail_name}
        )
