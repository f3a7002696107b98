"""The break-glass stack's program: emergency IAM users in the management account, in a stack that
federation changes never touch (docs/break-glass-runbook.md). Imports the AWS SDK only."""

from __future__ import annotations

import pulumi

from components.break_glass import BreakGlass, BreakGlassArgs
from components.providers import break_glass_deployer, management_provider
from frontdoor.domain.model.stack import BreakGlassStackConfig
from frontdoor.program.stack_file import refuse_credentials_in_stack_config


def build_break_glass(config: BreakGlassStackConfig) -> BreakGlass:
    """The users, their MFA and alerting; their names and the alert topic exported."""
    refuse_credentials_in_stack_config()
    org = config.organization
    management = management_provider(org, break_glass_deployer(org, config.break_glass.deployer_role_name))
    break_glass = BreakGlass(
        "break-glass",
        BreakGlassArgs(
            user_names=tuple(config.break_glass.user_names),
            alert_emails=tuple(config.break_glass.alert_emails),
            alert_regions=tuple(config.break_glass.alert_regions),
            path=config.break_glass.path,
            account_id=org.management_account_id,
            provider=management,
            protect=config.protect,
            scim_token_expiry_region=org.region,
        ),
    )
    pulumi.export("breakGlassUserNames", list(break_glass.user_names))
    # Path included (break_glass_user_arns): the ARNs the access stack's exemptions name.
    pulumi.export("breakGlassUserArns", list(break_glass.user_arns))
    pulumi.export("breakGlassAlertTopicArn", break_glass.topic_arn)
    return break_glass
