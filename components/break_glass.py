"""Out-of-band emergency access to the management account, deployed as its own stack.

Owns the break-glass IAM users (explicit names, never access keys), the `BreakGlassAdmins` group
with its authoritative membership, AdministratorAccess attached to the group beside the inline
`RequireMfa` policy that denies every action without MFA (`frontdoor.domain.documents.break_glass`),
and the alerting: one EventBridge rule per alert region on `AWS Console Sign In via CloudTrail` events
for these users
(and, with `scim_token_expiry_region`, a rule on AWS Health's SCIM bearer token expiry notification),
an SNS topic in the home region (first alert region) with a policy letting only that rule publish,
email subscriptions, and a forwarding role plus targets that send other regions' matches to the home
region's default bus. Console passwords and MFA devices are set by hand out of band
(docs/break-glass-runbook.md); `create_login_profiles=True` is the exception and puts a generated
password in the Pulumi state (as a secret). Everything is protected: this stack exists for the day
everything else is broken, and a `pulumi destroy` or a rename must never be the thing that breaks it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from frontdoor.domain import contracts
from frontdoor.domain.documents.break_glass import (
    ADMINISTRATOR_ACCESS,
    BREAK_GLASS_GROUP_NAME,
    FORWARDER_ROLE_NAME,
    break_glass_user_arns,
    default_bus_arn,
    forwarder_policy,
    forwarder_trust_policy,
    require_mfa_policy,
    sign_in_event_pattern,
    topic_policy,
    validate_break_glass,
)
from frontdoor.domain.documents.github_oidc import validate_account_id
from frontdoor.domain.documents.render import render_policy
from frontdoor.domain.model.break_glass import DEFAULT_ALERT_REGIONS
from frontdoor.domain.planning.expiry import scim_token_expiry_pattern

TYPE = "frontdoor:aws:BreakGlass"
RULE_NAME = "breakglass-console-sign-in"
TOPIC_NAME = "breakglass-sign-in-alerts"
MFA_POLICY_NAME = "RequireMfa"
SCIM_RULE_NAME = "identity-center-scim-token-expiry"


@dataclass(frozen=True, kw_only=True)
class BreakGlassArgs:
    user_names: tuple[str, ...]
    alert_emails: tuple[str, ...]
    # The management account: the users live there, and the forwarding targets name its buses.
    account_id: str
    provider: aws.Provider
    group_name: str = BREAK_GLASS_GROUP_NAME
    # Home region first (the SNS topic lives there); see frontdoor.domain.documents.break_glass for why
    # four regions.
    alert_regions: tuple[str, ...] = DEFAULT_ALERT_REGIONS
    # Off by default: passwords are set by hand and sealed offline; on, a generated password lands
    # in the stack state (secret) and must be reset by hand immediately.
    create_login_profiles: bool = False
    # Their own IAM path: the posture Guard rule and `frontdoor posture` exempt exactly this path.
    path: str = contracts.BREAK_GLASS_PATH
    # The Identity Center instance's region: AWS Health announces the SCIM bearer token's expiry to
    # the management account there, and a rule sends it to this stack's alert topic. None: no rule.
    scim_token_expiry_region: str | None = None
    tags: Mapping[str, str] = field(default_factory=lambda: {"frontdoor:purpose": "break-glass"})
    protect: bool = True

    def __post_init__(self) -> None:
        validate_account_id(self.account_id)
        validate_break_glass(self.user_names, self.group_name, self.alert_emails, self.alert_regions)
        if self.scim_token_expiry_region is not None:
            validate_break_glass(
                self.user_names, self.group_name, self.alert_emails, (self.scim_token_expiry_region,)
            )


class BreakGlass(pulumi.ComponentResource):
    user_names: tuple[str, ...]
    user_arns: tuple[str, ...]
    group_name: str
    users: dict[str, aws.iam.User]
    topic: aws.sns.Topic
    topic_arn: pulumi.Output[str]
    rules: dict[str, aws.cloudwatch.EventRule]
    event_pattern: str
    mfa_policy: str

    def __init__(self, name: str, args: BreakGlassArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.provider, protect=args.protect)
        tags = dict(args.tags) or None

        self.users = {
            user: aws.iam.User(
                f"{name}/{user}", name=user, path=args.path, force_destroy=False, tags=tags, opts=child
            )
            for user in args.user_names
        }
        group = aws.iam.Group(f"{name}/group", name=args.group_name, opts=child)
        aws.iam.GroupMembership(
            f"{name}/members",
            # Authoritative: anyone added to the admin group out of band is removed on the next update.
            name=f"{args.group_name}-members",
            group=group.name,
            users=[user.name for user in self.users.values()],
            opts=child,
        )
        aws.iam.GroupPolicyAttachment(
            f"{name}/AdministratorAccess", group=group.name, policy_arn=ADMINISTRATOR_ACCESS, opts=child
        )
        self.mfa_policy = render_policy(require_mfa_policy())
        aws.iam.GroupPolicy(
            f"{name}/require-mfa", name=MFA_POLICY_NAME, group=group.name, policy=self.mfa_policy, opts=child
        )
        if args.create_login_profiles:
            for user_name, user in self.users.items():
                aws.iam.UserLoginProfile(
                    f"{name}/{user_name}/login-profile",
                    user=user.name,
                    password_reset_required=False,
                    opts=pulumi.ResourceOptions.merge(
                        child,
                        # The password is reset by hand after creation: never fight it.
                        pulumi.ResourceOptions(
                            ignore_changes=["passwordLength", "passwordResetRequired", "pgpKey"]
                        ),
                    ),
                )

        home, *others = args.alert_regions
        self.event_pattern = json.dumps(sign_in_event_pattern(args.user_names), sort_keys=True)
        self.topic = aws.sns.Topic(f"{name}/alerts", name=TOPIC_NAME, region=home, tags=tags, opts=child)
        self.rules = {
            region: aws.cloudwatch.EventRule(
                f"{name}/sign-in/{region}",
                name=RULE_NAME,
                description="frontdoor: a break-glass IAM user tried to sign in to the console",
                event_pattern=self.event_pattern,
                region=region,
                tags=tags,
                opts=child,
            )
            for region in args.alert_regions
        }
        home_rule = self.rules[home]
        scim_region = args.scim_token_expiry_region
        self.scim_rules: dict[str, aws.cloudwatch.EventRule] = {}
        if scim_region is not None:
            # The home-region rule sees the Health event itself (same region) or as forwarded below.
            for region in dict.fromkeys((home, scim_region)):
                self.scim_rules[region] = aws.cloudwatch.EventRule(
                    f"{name}/scim-token-expiry/{region}",
                    name=SCIM_RULE_NAME,
                    description="frontdoor: AWS Health: the Identity Center SCIM bearer token expires soon",
                    event_pattern=json.dumps(scim_token_expiry_pattern(), sort_keys=True),
                    region=region,
                    tags=tags,
                    opts=child,
                )
            aws.cloudwatch.EventTarget(
                f"{name}/scim-token-expiry/{home}/alerts",
                rule=self.scim_rules[home].name,
                target_id="scim-token-expiry-alerts",
                arn=self.topic.arn,
                region=home,
                opts=child,
            )
        scim_home_arn = self.scim_rules[home].arn if self.scim_rules else None
        aws.sns.TopicPolicy(
            f"{name}/alerts/policy",
            arn=self.topic.arn,
            policy=pulumi.Output.all(self.topic.arn, home_rule.arn, scim_home_arn).apply(
                lambda arns: render_policy(topic_policy(arns[0], arns[1], arns[2]))
            ),
            region=home,
            opts=child,
        )
        aws.cloudwatch.EventTarget(
            f"{name}/sign-in/{home}/alerts",
            rule=home_rule.name,
            target_id="breakglass-alerts",
            arn=self.topic.arn,
            region=home,
            opts=child,
        )
        for email in args.alert_emails:
            aws.sns.TopicSubscription(
                f"{name}/alerts/{email}",
                topic=self.topic.arn,
                protocol="email",
                endpoint=email,
                region=home,
                opts=child,
            )
        forward_scim = scim_region is not None and scim_region != home
        if others or forward_scim:
            home_bus = default_bus_arn(home, args.account_id)
            forwarder = aws.iam.Role(
                f"{name}/forwarder",
                name=FORWARDER_ROLE_NAME,
                assume_role_policy=render_policy(forwarder_trust_policy()),
                tags=tags,
                opts=child,
            )
            aws.iam.RolePolicy(
                f"{name}/forwarder/put-events",
                name="put-events-home-region",
                role=forwarder.name,
                policy=render_policy(forwarder_policy(home_bus)),
                opts=child,
            )
            for region in others:
                aws.cloudwatch.EventTarget(
                    f"{name}/sign-in/{region}/forward",
                    rule=self.rules[region].name,
                    target_id=f"forward-to-{home}",
                    arn=home_bus,
                    role_arn=forwarder.arn,
                    region=region,
                    opts=child,
                )
            if forward_scim and scim_region is not None:
                aws.cloudwatch.EventTarget(
                    f"{name}/scim-token-expiry/{scim_region}/forward",
                    rule=self.scim_rules[scim_region].name,
                    target_id=f"forward-to-{home}",
                    arn=home_bus,
                    role_arn=forwarder.arn,
                    region=scim_region,
                    opts=child,
                )

        self.user_names = tuple(args.user_names)
        # Path included: the same function names them in the access stack's exemptions.
        self.user_arns = break_glass_user_arns(args.account_id, args.path, args.user_names)
        self.group_name = args.group_name
        self.topic_arn = self.topic.arn
        self.register_outputs(
            {
                "userNames": list(self.user_names),
                "userArns": list(self.user_arns),
                "groupName": args.group_name,
                "topicArn": self.topic_arn,
            }
        )
