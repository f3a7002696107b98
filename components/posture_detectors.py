"""Detection as code for IAM users and long-lived keys, organization-wide (`frontdoor:posture`).

Owns, in the management account (organization Config rules and organization analyzers can only be
created there or by a delegated administrator): two `aws.cfg.OrganizationManagedRule`s,
IAM_USER_UNUSED_CREDENTIALS_CHECK (`maxCredentialUsageAge`) and ACCESS_KEYS_ROTATED (`maxAccessKeyAge`);
one `aws.cfg.OrganizationCustomPolicyRule` whose Guard policy marks every `AWS::IAM::User`
NON_COMPLIANT unless it is a named break-glass user on the break-glass path
(`frontdoor.domain.reconcile.posture.guard_rule`); and an `aws.accessanalyzer.Analyzer` of type
ORGANIZATION_UNUSED_ACCESS. The SCP prevents new IAM users, these find the ones that exist or
reappear. The component's props carry the break-glass path and names so the pack rule
`posture-detectors-present` can check that the Guard rule exempts no more. An AWS Config organization
rule needs a customer-managed recorder of AWS::IAM::User in every account it reaches, or its creation
fails: the three Config rules exclude exactly the accounts that have none (`excluded_accounts`, from the
plan: frontdoor/domain/planning/config_recording.py), which the preview reports. The analyzer needs IAM
Access Analyzer's trusted access (first-run stage a). docs/adoption.md, "Detection".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from frontdoor.domain.contracts import (
    CONFIG_IAM_USER_TYPE,
    POSTURE_KEYS_ROTATED_RULE,
    POSTURE_UNUSED_CREDENTIALS_RULE,
    UNUSED_ACCESS_ANALYZER_TYPE,
)
from frontdoor.domain.documents.posture_detectors import (
    GUARD_RUNTIME,
    guard_rule,
    rule_names,
)
from frontdoor.domain.model.posture import PostureConfig

TYPE = "frontdoor:aws:PostureDetectors"
# Both managed rules are periodic: IAM users are global resources, evaluated once a day is enough.
FREQUENCY = "TwentyFour_Hours"
CHANGE_TRIGGERS = ["ConfigurationItemChangeNotification", "OversizedConfigurationItemChangeNotification"]


@dataclass(frozen=True, kw_only=True)
class PostureDetectorsArgs:
    config: PostureConfig
    # The break-glass users' path (frontdoor:guardrails.breakGlassPath): the only one the Guard rule exempts.
    break_glass_path: str
    break_glass_user_names: Sequence[str]
    # Organization rules and analyzers: management account (or their delegated administrator).
    management_provider: aws.Provider
    # Accounts without a recorder of AWS::IAM::User in the rules' region: the Config rules skip them.
    excluded_accounts: Sequence[str] = ()


class PostureDetectors(pulumi.ComponentResource):
    unused_credentials: aws.cfg.OrganizationManagedRule
    access_keys_rotated: aws.cfg.OrganizationManagedRule
    iam_user_rule: aws.cfg.OrganizationCustomPolicyRule
    analyzer: aws.accessanalyzer.Analyzer

    def __init__(
        self, name: str, args: PostureDetectorsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        config = args.config
        names = sorted(args.break_glass_user_names)
        super().__init__(
            TYPE, name, {"breakGlassPath": args.break_glass_path, "breakGlassUserNames": names}, opts
        )
        child = pulumi.ResourceOptions(parent=self, provider=args.management_provider)
        rule_name = rule_names(config)
        excluded = sorted(args.excluded_accounts) or None
        self.unused_credentials = aws.cfg.OrganizationManagedRule(
            f"{name}/unused-credentials",
            name=rule_name["unused-credentials"],
            rule_identifier=POSTURE_UNUSED_CREDENTIALS_RULE,
            description="IAM user passwords and access keys unused for longer than the limit",
            input_parameters=json.dumps({"maxCredentialUsageAge": str(config.max_credential_usage_days)}),
            maximum_execution_frequency=FREQUENCY,
            excluded_accounts=excluded,
            opts=child,
        )
        self.access_keys_rotated = aws.cfg.OrganizationManagedRule(
            f"{name}/access-keys-rotated",
            name=rule_name["access-keys-rotated"],
            rule_identifier=POSTURE_KEYS_ROTATED_RULE,
            description="Active IAM access keys older than the rotation limit",
            input_parameters=json.dumps({"maxAccessKeyAge": str(config.max_access_key_age_days)}),
            maximum_execution_frequency=FREQUENCY,
            excluded_accounts=excluded,
            opts=child,
        )
        self.iam_user_rule = aws.cfg.OrganizationCustomPolicyRule(
            f"{name}/iam-user-outside-break-glass",
            name=rule_name["iam-user-outside-break-glass"],
            description=f"Any IAM user that is not a break-glass user at {args.break_glass_path}",
            policy_runtime=GUARD_RUNTIME,
            policy_text=guard_rule(args.break_glass_path, names),
            resource_types_scopes=[CONFIG_IAM_USER_TYPE],
            trigger_types=CHANGE_TRIGGERS,
            excluded_accounts=excluded,
            opts=child,
        )
        self.analyzer = aws.accessanalyzer.Analyzer(
            f"{name}/unused-access",
            analyzer_name=config.analyzer_name,
            type=UNUSED_ACCESS_ANALYZER_TYPE,
            configuration=aws.accessanalyzer.AnalyzerConfigurationArgs(
                unused_access=aws.accessanalyzer.AnalyzerConfigurationUnusedAccessArgs(
                    unused_access_age=config.unused_access_age_days
                )
            ),
            opts=child,
        )
        self.register_outputs({"ruleNames": sorted(rule_name.values()), "analyzerName": config.analyzer_name})
