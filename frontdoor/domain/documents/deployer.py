"""The deployer: the one identity that deploys frontdoor, derived from one config value.

`organization.deployerRoleName` names it, and nothing else in the program spells a deployer ARN:
- the role GitHub Actions gets through OIDC (components/github_deploy_role.py) is this role in the
  management account;
- the management provider assumes that same role, the Identity Center provider assumes the role of
  the same name in the delegated administrator account (components/providers.py);
- every policy exemption for "whoever deploys this stack" (the trail bucket's DenyLogProtectionChanges)
  names `exempt_arns()`.
Two spellings of the deployer were the audit's item 2: the bucket exempted one role while the provider
assumed another, and the first apply locked the stack out of its own bucket.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_DEPLOYER_ROLE_NAME = "frontdoor-deploy"
SELF_ASSUME_SID = "DeployerAssumesItself"


@dataclass(frozen=True, kw_only=True)
class Deployer:
    role_name: str
    management_account_id: str
    identity_center_account_id: str
    partition: str = "aws"

    def role_arn(self, account_id: str) -> str:
        return f"arn:{self.partition}:iam::{account_id}:role/{self.role_name}"

    @property
    def management_role_arn(self) -> str:
        """The role CI gets through OIDC and the management provider assumes."""
        return self.role_arn(self.management_account_id)

    @property
    def identity_center_role_arn(self) -> str:
        """The role the Identity Center provider assumes in the delegated administrator account."""
        return self.role_arn(self.identity_center_account_id)

    def exempt_arns(self) -> tuple[str, ...]:
        """The principals a management-account policy exempts as "the deployer": exactly one role."""
        return (self.management_role_arn,)


def self_assume_statement(deployer: Deployer) -> dict[str, Any]:
    """Lets the deploy role's own sessions assume it, as the management provider does.

    IAM requires a role's trust to allow self-assumption explicitly. The principal is the account with
    the role pinned by `aws:PrincipalArn`: naming the role itself as principal would be rejected on
    create ("Invalid principal"), since the role does not exist before its own trust policy.
    """
    return {
        "Sid": SELF_ASSUME_SID,
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:{deployer.partition}:iam::{deployer.management_account_id}:root"},
        "Action": "sts:AssumeRole",
        "Condition": {"ArnEquals": {"aws:PrincipalArn": deployer.management_role_arn}},
    }
