"""The authentication (app sign-on) policy in front of the AWS app: two factors, one of them a possession.

Owns one `okta.AppSignonPolicy` created with `catch_all=False`, so its built-in default rule denies
anyone no explicit rule lets in, and one `okta.AppSignonPolicyRule` that allows access only with two
factors, one of which must be a possession factor (a phone authenticator or security key, not a
password plus a security question), re-prompting at the configured interval. Identity Engine only.
Build it before the SAML app and pass `policy_id` as the app's `authentication_policy`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_okta as okta

TYPE = "frontdoor:okta:SignOnPolicy"

# Okta accepts ISO-8601 durations here; PT0S means "re-authenticate on every sign-in".
_REAUTH_RE = re.compile(r"^PT(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+S)?$")
# One authenticator-constraint object per factor class (Okta Policy API, "Authenticator constraint").
POSSESSION_REQUIRED = json.dumps({"possession": {"required": True}}, sort_keys=True)


@dataclass(frozen=True, kw_only=True)
class SignOnPolicyArgs:
    name: str = "AWS IAM Identity Center"
    description: str = "frontdoor: AWS access requires two factors, one of them a possession factor"
    # How long a satisfied MFA prompt lasts for this app (OktaConfig.mfa_reauthenticate_every).
    reauthenticate_every: str = "PT8H"
    # Group ids the allow rule is limited to. Empty: any user assigned to the app (the app
    # assignment already limits who can reach it; this is defence in depth when given).
    groups_included: Sequence[pulumi.Input[str]] = ()

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("sign-on policy name must not be empty")
        if not _REAUTH_RE.fullmatch(self.reauthenticate_every):
            raise ValueError(
                f"reauthenticate_every {self.reauthenticate_every!r} is not an ISO-8601 duration "
                'such as "PT8H", "PT30M" or "PT0S"'
            )


class SignOnPolicy(pulumi.ComponentResource):
    policy_id: pulumi.Output[str]
    rule_id: pulumi.Output[str]

    def __init__(self, name: str, args: SignOnPolicyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        policy = okta.AppSignonPolicy(
            name,
            name=args.name,
            description=args.description,
            # catch_all=False makes Okta's default rule DENY. It is read only at creation: flipping it
            # later does not change an existing policy's default rule.
            catch_all=False,
            opts=child,
        )
        rule = okta.AppSignonPolicyRule(
            f"{name}-mfa",
            name="Require MFA with a possession factor",
            policy_id=policy.id,
            access="ALLOW",
            factor_mode="2FA",
            constraints=[POSSESSION_REQUIRED],
            re_authentication_frequency=args.reauthenticate_every,
            groups_included=list(args.groups_included) or None,
            status="ACTIVE",
            opts=child,
        )

        self.policy_id = policy.id
        self.rule_id = rule.id
        self.register_outputs({"policyId": self.policy_id, "ruleId": self.rule_id})
