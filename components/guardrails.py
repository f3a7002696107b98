"""Guardrail service control policies and their attachments, in the management account.

Owns one `aws.organizations.Policy` per enabled guardrail (explicit name `frontdoor-<kind>`, minified
content from `frontdoor.domain.documents.scp`) and one `PolicyAttachment` per (policy, target), logical name
`<kind>/<target id>`. It wires an already-checked `plan_guardrails` result: sizes, per-target quotas
and unknown OUs raised ConfigError before this component was constructed. Root attachments are
protected: detaching a guardrail from the root opens the gap everywhere at once (reliability F12).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from frontdoor.domain.planning.guardrails import ScpPlan

TYPE = "frontdoor:aws:Guardrails"
SCP_TYPE = "SERVICE_CONTROL_POLICY"


@dataclass(frozen=True, kw_only=True)
class GuardrailsArgs:
    plans: Sequence[ScpPlan]
    # SCPs are Organizations resources: only the management account can create and attach them.
    management_provider: aws.Provider
    protect: bool = True


class Guardrails(pulumi.ComponentResource):
    policies: dict[str, aws.organizations.Policy]
    attachments: dict[str, aws.organizations.PolicyAttachment]

    def __init__(self, name: str, args: GuardrailsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        self.policies = {}
        self.attachments = {}
        for plan in args.plans:
            policy = aws.organizations.Policy(
                plan.kind,
                name=plan.policy_name,
                description=plan.description,
                type=SCP_TYPE,
                content=plan.content,
                # Organizations lives in the management account.
                opts=pulumi.ResourceOptions(parent=self, provider=args.management_provider),
            )
            self.policies[plan.kind] = policy
            for target, attachment_name in zip(plan.targets, plan.attachment_names(), strict=True):
                self.attachments[attachment_name] = aws.organizations.PolicyAttachment(
                    attachment_name,
                    policy_id=policy.id,
                    target_id=target.id,
                    opts=pulumi.ResourceOptions(
                        parent=self,
                        provider=args.management_provider,
                        # A root attachment guards every account: detaching it must be a deliberate unprotect.
                        protect=args.protect and target.is_root,
                    ),
                )
        self.register_outputs({"policies": sorted(self.policies), "attachments": sorted(self.attachments)})
