"""The deployers' least privilege: IAM actions derived from the resource types each one registers.

Three roles deploy frontdoor, each with its own document, derived from the catalogue
(frontdoor/domain/resource_types.py: every type's `deploy_actions`, `deployers` and `iam_scope`):

- the access stack's deployer (`organization.deployerRoleName`, frontdoor/domain/documents/deployer.py):
  the management provider's types (`access_deploy_policy`);
- the Identity Center deployer (the role of that name in the delegated administrator account, made by
  hand: `identity_center_deploy_policy`): permission sets, their policies, assignments, the ABAC
  attributes and the reads of the instance and the synced groups; no IAM action at all, because in
  member accounts Identity Center's service-linked role provisions the AWSReservedSSO_* roles;
- the break-glass stack's deployer (`breakGlass.deployerRoleName`, made by hand:
  `break_glass_deploy_policy`): the emergency users, their group and the alerting. The access
  deployer holds no user or group action at all, so it cannot mint an administrator.

Scoping: every `iam:` action names exact ARNs or one narrow path (`IamTargets`): the stack's own
roles by name, the GitHub OIDC provider, Identity Center's reserved role path and SAML provider in the
management account, service-linked roles only for the services the stack's types create them for
(`iam:AWSServiceName`), the break-glass path, group and forwarder role (passed to EventBridge only).
S3 actions are bounded to the trail bucket, `sts:AssumeRole` to the deployer pair. The rest keep
`Resource: "*"`: list/describe calls need it and create calls have no ARN before the resource exists.

Measured with parliament 1.6.4 and its community auditors (tests/frontdoor/offline/test_policy_lint.py).
Its privilege-escalation auditor is resource-blind (it reads the action set only), so scoping clears no
finding; only removing actions does. What remains is inherent and bounded:

- access deployer: PutRolePolicy, AttachRolePolicy and UpdateRolePolicyToAssumeIt (each with
  sts:AssumeRole). The stack manages its own delivery roles (the deployer and the preview role) and the
  AWSReservedSSO_* roles of management-account assignments; those IAM writes name exactly those ARNs.
  A deployer that manages its own role can widen it: inherent to a self-managed deployer (the issue
  asks for the role in this stack, adoptable); what guards it is that only the `prod` environment's
  reviewed workflow gets the role, and that a change of its policy shows in the pull request's diff.
- Identity Center deployer: none.
- break-glass deployer: CreateLoginProfile, AttachGroupPolicy, PutGroupPolicy, AddUserToGroup,
  PutRolePolicy and UpdateRolePolicyToAssumeIt: creating administrator users is that stack's purpose;
  bounded to users under the break-glass path, one group and the alert forwarder role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from frontdoor.domain import resource_types
from frontdoor.domain.documents.break_glass import EVENTS_PRINCIPAL
from frontdoor.domain.documents.deployer import Deployer
from frontdoor.domain.documents.github_oidc import provider_arn
from frontdoor.domain.model.organization import TrailDatadogConfig
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.resource_types import (
    ACCESS_DEPLOYER,
    BREAK_GLASS_DEPLOYER,
    BREAK_GLASS_GROUP,
    BREAK_GLASS_USERS,
    GITHUB_OIDC_PROVIDER,
    IDENTITY_CENTER_DEPLOYER,
    IDENTITY_CENTER_PROVISIONED,
    OWN_ROLES,
    PASSED_TO_EVENTBRIDGE,
    SERVICE_LINKED_ROLES,
)

# Pulumi type (or data source token) -> the IAM actions its provider calls: the catalogue's.
ACTIONS: Mapping[str, tuple[str, ...]] = resource_types.deploy_actions()
# The providers chain into the deployer role (itself, then the Identity Center account's).
PROVIDER_ACTIONS = ("sts:AssumeRole",)


def services(actions: Iterable[str]) -> set[str]:
    return {action.split(":", 1)[0] for action in actions}


def deploy_actions(types: Iterable[str] = ()) -> list[str]:
    """The union of the actions of `types` (default: every type any deployer registers)."""
    chosen = list(types) or list(ACTIONS)
    missing = sorted(t for t in chosen if t not in ACTIONS)
    if missing:
        raise KeyError(
            f"no deploy permissions known for {missing}: add their deploy_actions to their entries in "
            "frontdoor/domain/resource_types.py"
        )
    return sorted({action for t in chosen for action in ACTIONS[t]})


def deployer_types(deployer: str) -> list[str]:
    """Every type and data source `deployer` registers or reads, that has deploy actions."""
    return [entry.token for entry in resource_types.deployer_entries(deployer) if entry.token in ACTIONS]


# Sections whose absence leaves types out of the access deployer's policy: without a trail there is no
# bucket to bound S3 to, without delivery the stack creates no role (its deployer is made by hand).
# Every other type stays granted whatever the config says: a section removed from a deployed stack
# still has resources to delete, and `pulumi up` deletes after it has updated the deployer's policy.
def _datadog(config: StackConfig) -> TrailDatadogConfig | None:
    """The trail's path to Datadog: the integration role (IAM) and the forwarder's permission (Lambda)."""
    return config.trail.datadog if config.trail is not None else None


_SECTIONS: tuple[tuple[tuple[str, ...], Callable[[StackConfig], bool]], ...] = (
    (("aws:cloudtrail/", "aws:s3/"), lambda config: config.trail is not None),
    (("aws:iam/",), lambda config: config.delivery is not None or _datadog(config) is not None),
    (("aws:lambda/",), lambda config: _datadog(config) is not None),
)


def access_types(config: StackConfig) -> list[str]:
    """The types the access stack's management provider may register for this config (and its reads)."""
    chosen: list[str] = []
    for token in deployer_types(ACCESS_DEPLOYER):
        sections = [present for prefixes, present in _SECTIONS if token.startswith(prefixes)]
        if all(present(config) for present in sections):
            chosen.append(token)
    return chosen


@dataclass(frozen=True, kw_only=True)
class IamTargets:
    """The IAM resources one deployer's `iam:` actions may touch, per `iam_scope` of the catalogue."""

    account_id: str
    partition: str = "aws"
    own_roles: tuple[str, ...] = ()  # role names the deploying stack creates
    break_glass_path: str | None = None
    break_glass_group: str | None = None

    def _arn(self, resource: str) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:{resource}"

    def resources(self, scope: str) -> list[str]:
        """The ARNs (or one narrow path) of `scope`; KeyError when this deployer has none of it."""
        if scope in (OWN_ROLES, PASSED_TO_EVENTBRIDGE) and self.own_roles:
            return [self._arn(f"role/{name}") for name in sorted(self.own_roles)]
        if scope == GITHUB_OIDC_PROVIDER:
            return [provider_arn(self.account_id, self.partition)]
        if scope == IDENTITY_CENTER_PROVISIONED:
            # CreateAccountAssignment on the management account makes these there (no service-linked
            # role provisions the management account: AWSSSOServiceRolePolicy).
            return [
                self._arn("role/aws-reserved/sso.amazonaws.com/*"),
                self._arn("saml-provider/AWSSSO_*_DO_NOT_DELETE"),
            ]
        if scope == SERVICE_LINKED_ROLES:
            return [self._arn("role/aws-service-role/*")]
        if scope == BREAK_GLASS_USERS and self.break_glass_path is not None:
            return [self._arn(f"user{self.break_glass_path}*")]
        if scope == BREAK_GLASS_GROUP and self.break_glass_group is not None:
            return [self._arn(f"group/{self.break_glass_group}")]
        raise KeyError(f"this deployer has no IAM resources of scope {scope!r}")


_SCOPE_SIDS = {
    OWN_ROLES: "OwnRoles",
    GITHUB_OIDC_PROVIDER: "GitHubOidcProvider",
    IDENTITY_CENTER_PROVISIONED: "IdentityCenterProvisioned",
    SERVICE_LINKED_ROLES: "ServiceLinkedRoles",
    BREAK_GLASS_USERS: "BreakGlassUsers",
    BREAK_GLASS_GROUP: "BreakGlassGroup",
    PASSED_TO_EVENTBRIDGE: "PassRoleToEventBridge",
}
_CREATE_SLR = "iam:CreateServiceLinkedRole"


def iam_statements(sid_prefix: str, types: Sequence[str], targets: IamTargets) -> list[dict[str, Any]]:
    """One statement per IAM scope the types use, each on that scope's ARNs only.

    A type with `iam:` actions and no `iam_scope` is a ValueError: its IAM actions would need `*`.
    Service-linked roles: creating one is allowed only for the services the types name
    (`iam:AWSServiceName`); reading one needs no condition (the key exists only on the create).
    """
    by_scope: dict[str, set[str]] = {}
    slr_services: set[str] = set()
    for token in types:
        iam = {a for a in ACTIONS.get(token, ()) if a.startswith("iam:")}
        if not iam:
            continue
        entry = resource_types.CATALOGUE.get(token)
        if entry is None or entry.iam_scope is None:
            raise ValueError(f"{token} has IAM actions but no iam_scope in its catalogue entry")
        by_scope.setdefault(entry.iam_scope, set()).update(iam)
        if entry.service_linked_role is not None:
            slr_services.add(entry.service_linked_role)
    statements: list[dict[str, Any]] = []
    for scope, actions in sorted(by_scope.items(), key=lambda item: _SCOPE_SIDS[item[0]]):
        sid = f"{sid_prefix}Iam{_SCOPE_SIDS[scope]}"
        resources = targets.resources(scope)
        if scope == SERVICE_LINKED_ROLES and _CREATE_SLR in actions:
            statements.append(
                {
                    "Sid": f"{sid}Create",
                    "Effect": "Allow",
                    "Action": [_CREATE_SLR],
                    "Resource": resources,
                    "Condition": {"StringEquals": {"iam:AWSServiceName": sorted(slr_services)}},
                }
            )
            actions = actions - {_CREATE_SLR}
        if not actions:
            continue
        statement: dict[str, Any] = {
            "Sid": sid,
            "Effect": "Allow",
            "Action": sorted(actions),
            "Resource": resources,
        }
        if scope == PASSED_TO_EVENTBRIDGE:
            statement["Condition"] = {"StringEquals": {"iam:PassedToService": EVENTS_PRINCIPAL}}
        statements.append(statement)
    return statements


def _document(
    sid_prefix: str,
    types: Sequence[str],
    targets: IamTargets,
    *,
    trail_bucket: str | None,
    forwarder_arn: str | None = None,
    chain_to: Sequence[str],
) -> dict[str, Any]:
    other = [a for a in deploy_actions(types) if not a.startswith("iam:")] if types else []
    statements = statements_by_service(
        sid_prefix, other, trail_bucket=trail_bucket, forwarder_arn=forwarder_arn
    )
    statements.extend(iam_statements(sid_prefix, types, targets))
    if chain_to:
        statements.append(
            {
                "Sid": "ChainToDeployerRoles",
                "Effect": "Allow",
                "Action": list(PROVIDER_ACTIONS),
                "Resource": sorted(set(chain_to)),
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def access_deploy_policy(config: StackConfig, deployer: Deployer) -> dict[str, Any]:
    """The access stack's deployer: its management-provider types for this config, IAM writes on its own
    delivery roles (deployer and preview role), the GitHub OIDC provider, Identity Center's roles in the
    management account and the service-linked roles its types create; AssumeRole of the deployer pair.

    Without a trail it holds no CloudTrail or S3 action at all; with one, every S3 action is bounded to
    the trail's bucket (parliament's RESOURCE_POLICY_PRIVILEGE_ESCALATION otherwise: a deployer able
    to rewrite any bucket policy in the management account).
    """
    delivery = config.delivery
    own_roles = (deployer.role_name, delivery.preview_role_name) if delivery is not None else ()
    datadog = _datadog(config)
    if datadog is not None:
        own_roles = (*own_roles, datadog.integration_role_name)
    targets = IamTargets(
        account_id=deployer.management_account_id, partition=deployer.partition, own_roles=own_roles
    )
    return _document(
        "Deploy",
        access_types(config),
        targets,
        trail_bucket=config.trail.bucket_name if config.trail else None,
        forwarder_arn=datadog.forwarder_arn if datadog is not None else None,
        chain_to=(deployer.management_role_arn, deployer.identity_center_role_arn),
    )


def identity_center_actions() -> list[str]:
    """What the Identity Center deployer calls: its types' actions but IAM, and its data sources' reads."""
    actions: set[str] = set()
    for entry in resource_types.deployer_entries(IDENTITY_CENTER_DEPLOYER):
        actions |= {a for a in entry.deploy_actions if not a.startswith("iam:")}
        actions |= set(entry.identity_center_reads)
    return sorted(actions)


def identity_center_deploy_policy() -> dict[str, Any]:
    """The Identity Center deployer's policy (the deployer's namesake in the delegated administrator
    account, created by hand: docs/first-run.md): permission sets, their policies and attachments,
    assignments, the ABAC attribute configuration, and the reads of the instance and the synced groups.
    No IAM action: in member accounts Identity Center's service-linked role provisions the roles."""
    return {
        "Version": "2012-10-17",
        "Statement": statements_by_service("Deploy", identity_center_actions(), trail_bucket=None),
    }


def break_glass_deploy_policy(
    deployer: Deployer, *, path: str, group_name: str, forwarder_role_name: str
) -> dict[str, Any]:
    """The break-glass stack's deployer (`deployer.role_name`, in the management account): the users
    under `path`, their group, the alert forwarder role (passed to EventBridge only), EventBridge and
    SNS; AssumeRole of itself (its provider assumes it from its own session)."""
    targets = IamTargets(
        account_id=deployer.management_account_id,
        partition=deployer.partition,
        own_roles=(forwarder_role_name,),
        break_glass_path=path,
        break_glass_group=group_name,
    )
    return _document(
        "Deploy",
        deployer_types(BREAK_GLASS_DEPLOYER),
        targets,
        trail_bucket=None,
        chain_to=(deployer.management_role_arn,),
    )


def statements_by_service(
    sid_prefix: str, actions: Iterable[str], *, trail_bucket: str | None, forwarder_arn: str | None = None
) -> list[dict[str, Any]]:
    """One Allow statement per service (`<sid_prefix><Service>`), its actions sorted, on every resource
    but S3's and Lambda's: S3 actions are bounded to the trail bucket (the deploy and the preview role's
    policies), Lambda's to the Datadog Forwarder (the only function whose policy the stack writes: an
    unbounded lambda:AddPermission could open any function of the management account to anyone)."""
    by_service: dict[str, list[str]] = {}
    for action in sorted(set(actions)):
        by_service.setdefault(action.split(":", 1)[0], []).append(action)
    bounded = {"s3": f"arn:aws:s3:::{trail_bucket}"}
    if forwarder_arn is not None:
        bounded["lambda"] = forwarder_arn
    return [
        {
            "Sid": f"{sid_prefix}{service.title().replace('-', '')}",
            "Effect": "Allow",
            "Action": service_actions,
            "Resource": bounded.get(service, "*"),
        }
        for service, service_actions in sorted(by_service.items())
    ]
