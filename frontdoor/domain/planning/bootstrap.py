"""The first run on a fresh (or half hand-built) organization: which stage is next, and what to do.

The real APIs impose an order the program cannot skip (research/real-api-audit.md items 3-6):
  a  organization plumbing: trusted access for Identity Center (enabling Identity Center in the
     management account turns it on) and for CloudTrail (when a trail is configured), then the program
     registers the delegated administrator;
  b  console steps with no API: connect Okta as the identity source, enable automatic provisioning,
     paste the SCIM endpoint and token into Okta (docs/first-run.md);
  c  the Okta app and groups, without push mappings (`okta.provisioningEnabled: false`);
  d  push mappings, once provisioning is on (`okta.provisioningEnabled: true`);
  e  assignments, once SCIM has synced the pushed groups (deferred group by group, as always).
`next_steps` is pure: from what the organization reports (trusted access, delegated administrators)
and the stack config, the checks that still fail, each with the exact thing to do. The program
registers only stage a while any stage-a check fails (frontdoor/program/bootstrap.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from frontdoor.domain.base.errors import ConfigError, ConfigIssue

SSO_PRINCIPAL = "sso.amazonaws.com"
CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"


@dataclass(frozen=True)
class Check:
    """One precondition of a stage, failing, with what the user does about it."""

    stage: str
    what: str
    fix: str

    def render(self) -> str:
        return f"first run, stage {self.stage}: {self.what}. Next: {self.fix}"


def organization_checks(
    *,
    trusted_access: Collection[str],
    delegated_administrators: Mapping[str, Collection[str]],
    identity_center_account_id: str,
    trail_configured: bool,
) -> list[Check]:
    """Stage a: what AWS Organizations must report before the access plane can be planned."""
    checks: list[Check] = []
    if SSO_PRINCIPAL not in trusted_access:
        checks.append(
            Check(
                "a",
                "IAM Identity Center is not enabled for the organization (no trusted access for "
                f"{SSO_PRINCIPAL})",
                "in the management account console, IAM Identity Center > Enable (choose the home region "
                "= organization.region); docs/first-run.md step a1",
            )
        )
    if trail_configured and CLOUDTRAIL_PRINCIPAL not in trusted_access:
        checks.append(
            Check(
                "a",
                f"CloudTrail has no trusted access ({CLOUDTRAIL_PRINCIPAL}), so the organization trail "
                "would fail with CloudTrailAccessNotEnabledException",
                f"aws organizations enable-aws-service-access --service-principal {CLOUDTRAIL_PRINCIPAL} "
                "(management account); docs/first-run.md step a2",
            )
        )
    if identity_center_account_id not in delegated_administrators.get(SSO_PRINCIPAL, ()):
        checks.append(
            Check(
                "a",
                f"account {identity_center_account_id} is not the delegated administrator of IAM Identity "
                "Center, so nothing can be read or planned through the Identity Center provider",
                "run `pulumi up` of this stage: it registers the delegation (or set "
                "bootstrap.adoptDelegatedAdministrator: true if it was registered by hand); "
                "docs/first-run.md step a3",
            )
        )
    return checks


def organization_ready(checks: Collection[Check]) -> bool:
    return not any(check.stage == "a" for check in checks)


def can_register_delegation(trusted_access: Collection[str]) -> bool:
    """RegisterDelegatedAdministrator for sso needs Identity Center's trusted access first."""
    return SSO_PRINCIPAL in trusted_access


def require_provisioning_decision(provisioning_enabled: bool | None, source: str) -> None:
    """`okta.provisioningEnabled` unset is unknown: stop (exit 2) rather than assume either way.

    Assuming `true` pushed groups in the very run that created the app, before its provisioning could be
    enabled (Okta leaves such a push mapping in ERROR, which the provider can neither update nor
    delete); assuming `false` on a deployed stack would drop every push mapping.
    """
    if provisioning_enabled is None:
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    "frontdoor:okta.provisioningEnabled",
                    None,
                    "unset, so unknown: whether the AWS app's automatic provisioning (SCIM) is enabled "
                    "decides whether Group Push mappings may be registered",
                    "set it to false for an app whose provisioning is not enabled yet (first run, "
                    "docs/first-run.md stage c), true once Okta > the app > Provisioning is enabled",
                )
            ]
        )


def provisioning_check(provisioning_enabled: bool, waiting_groups: int) -> list[Check]:
    """Stage d: push mappings wait for the console step that enables provisioning."""
    if provisioning_enabled or not waiting_groups:
        return []
    return [
        Check(
            "d",
            f"{waiting_groups} groups wait for Group Push: provisioning is not enabled on the app yet "
            "(okta.provisioningEnabled: false)",
            "finish docs/first-run.md stage b (Identity Center > Settings > Automatic provisioning, then "
            "Okta > the app > Provisioning), then set okta.provisioningEnabled: true",
        )
    ]
