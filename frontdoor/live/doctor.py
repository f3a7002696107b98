"""First-run preconditions, checked against what the live read found: pure checks, each with its fix.

`frontdoor doctor` reads the organization, the Identity Center instance, the identity store's groups,
the permission sets, the management account's OIDC providers and the stack's deploy and preview roles
(iam:GetRole), and StackSets' organizations access when the stack has machine consumers, then runs these
checks in the order a first apply needs them: the roles the providers assume (they must exist before
any run: `frontdoor bootstrap-roles`), the organization (all features, SCPs enabled, trusted access for
every service the stack uses: frontdoor/domain/planning/bootstrap.py `required_trusted_access`),
Identity Center (delegated administrator, instance, SCIM-synced groups), and the objects the first
apply would create but that already exist (the delegated administrator registration, the GitHub OIDC
provider, the deploy and preview roles, permission sets with catalogue names): those must be adopted
(imported) or the apply fails with "already exists". Exit 0 all clear, 1 something to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from frontdoor.domain.planning.bootstrap import SSO_PRINCIPAL, TrustedAccess
from frontdoor.live.identity_center import LiveIdentityCenter
from frontdoor.live.organization import SCP, LiveOrganization

OK, TODO, NOTE = "ok", "todo", "note"


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok | todo | note (informational, not a failure)
    detail: str
    fix: str = ""

    def render(self) -> str:
        mark = {OK: "ok  ", TODO: "TODO", NOTE: "note"}[self.status]
        line = f"[{mark}] {self.name}: {self.detail}"
        return f"{line}\n       fix: {self.fix}" if self.fix else line


@dataclass(frozen=True)
class DoctorInputs:
    identity_center_account_id: str  # from the stack config
    region: str
    group_prefix: str
    pushed_groups: frozenset[str]  # the groups the stack pushes through SCIM
    catalogue: frozenset[str]  # permission-set names of the stack
    manages_delegation: bool  # the program registers the delegated administrator itself
    creates_oidc_provider: bool  # the program creates the GitHub OIDC provider
    # Every service principal the stack needs trusted access for (required_trusted_access(config)).
    trusted_access: Sequence[TrustedAccess] = ()
    deployer_role: str = "frontdoor-deploy"  # assumed by both providers; never created by a first run
    preview_role: str | None = None  # delivery.previewRoleName, when the stack has delivery
    adopted_roles: frozenset[str] = field(default_factory=frozenset)  # delivery.adoptDeployRole/...Role
    creates_roles: bool = False  # the stack's delivery section registers the two roles
    # bootstrap.adoptDelegatedAdministrator: a registration made by hand is imported, not registered again.
    adopts_delegation: bool = False


def organization_checks(
    organization: LiveOrganization, inputs: DoctorInputs, stack_sets_access: str | None = None
) -> list[Check]:
    """All features, SCPs, trusted access for every service the stack uses, StackSets' own status."""
    root = organization.root_id
    checks = [
        Check("all features", OK, "the organization has all features enabled")
        if organization.feature_set == "ALL"
        else Check(
            "all features",
            TODO,
            f"the organization has feature set {organization.feature_set}: SCPs and trusted access need ALL",
            "Organizations console > Settings > Enable all features (or `aws organizations "
            "enable-all-features`), then every member account approves",
        ),
        Check("SCP policy type", OK, f"SERVICE_CONTROL_POLICY is enabled on {root}")
        if organization.policy_types.get(SCP) == "ENABLED"
        else Check(
            "SCP policy type",
            TODO,
            f"SERVICE_CONTROL_POLICY is not enabled on {root}",
            f"aws organizations enable-policy-type --root-id {root} --policy-type SERVICE_CONTROL_POLICY",
        ),
    ]
    for needed in inputs.trusted_access:
        checks.append(
            Check(f"trusted access {needed.principal}", OK, "enabled")
            if needed.principal in organization.trusted_services
            else Check(
                f"trusted access {needed.principal}",
                TODO,
                f"{needed.principal} has no trusted access to the organization ({needed.needed_by}: "
                f"{needed.consequence})",
                needed.fix,
            )
        )
    if stack_sets_access is not None:
        checks.append(
            Check("StackSets organizations access", OK, "ENABLED (DescribeOrganizationsAccess)")
            if stack_sets_access == "ENABLED"
            else Check(
                "StackSets organizations access",
                TODO,
                f"DescribeOrganizationsAccess answers {stack_sets_access}: service-managed StackSets fail",
                "aws cloudformation activate-organizations-access, run by an administrator of the management "
                "account (the deploy role is not granted it)",
            )
        )
    return checks


def identity_center_checks(
    inputs: DoctorInputs, organization: LiveOrganization, center: LiveIdentityCenter | None
) -> list[Check]:
    wanted = inputs.identity_center_account_id
    admin = organization.delegated_admin_for(SSO_PRINCIPAL)
    register = (
        f"aws organizations register-delegated-administrator --account-id {wanted} "
        f"--service-principal {SSO_PRINCIPAL}"
    )
    checks: list[Check] = []
    if admin == wanted:
        checks.append(Check("delegated administrator", OK, f"{wanted} administers Identity Center"))
    elif admin is None and inputs.manages_delegation and inputs.adopts_delegation:
        # An import of a registration that does not exist fails the apply (Pulumi reads it first).
        checks.append(
            Check(
                "delegated administrator",
                TODO,
                f"no account is registered for {SSO_PRINCIPAL}, but bootstrap.adoptDelegatedAdministrator "
                "is set: the first apply would import a registration that does not exist and fail",
                "unset frontdoor:bootstrap.adoptDelegatedAdministrator (the first apply then registers it)",
            )
        )
    elif admin is None:
        checks.append(
            Check(
                "delegated administrator",
                NOTE,
                f"no account is registered for {SSO_PRINCIPAL}; the first apply registers it",
                "",
            )
            if inputs.manages_delegation
            else Check(
                "delegated administrator", TODO, f"no account is registered for {SSO_PRINCIPAL}", register
            )
        )
    else:
        checks.append(
            Check(
                "delegated administrator",
                TODO,
                f"{admin} is registered for {SSO_PRINCIPAL}, the stack says identityCenterAccountId {wanted}",
                f"set frontdoor:organization.identityCenterAccountId to {admin}, or deregister {admin} and "
                f"run `{register}`",
            )
        )
    if center is None:
        checks.append(
            Check(
                "Identity Center instance",
                TODO,
                f"no instance is visible from account {admin or organization.management_account_id} "
                f"in {inputs.region}",
                f"IAM Identity Center console (management account, region {inputs.region}) > Enable; "
                "then register the delegated administrator",
            )
        )
        return checks
    checks.append(
        Check(
            "Identity Center instance",
            OK,
            f"{center.instance_arn}, identity store {center.identity_store_id}",
        )
    )
    synced = {name for name in center.groups if name.startswith(inputs.group_prefix)}
    waiting = sorted(inputs.pushed_groups - synced)
    if not synced:
        checks.append(
            Check(
                "SCIM-synced groups",
                TODO,
                f"no '{inputs.group_prefix}*' group is in identity store {center.identity_store_id}",
                "Identity Center > Settings > Identity source > Enable automatic "
                "provisioning; paste the SCIM "
                "endpoint and token into the Okta app's Provisioning tab (docs/live-read.md)",
            )
        )
    elif waiting:
        checks.append(
            Check(
                "SCIM-synced groups",
                NOTE,
                f"{len(synced)} synced; {len(waiting)} pushed, not synced yet (assigned on the next run): "
                + ", ".join(waiting),
            )
        )
    else:
        checks.append(
            Check("SCIM-synced groups", OK, f"all {len(synced)} '{inputs.group_prefix}*' groups synced")
        )
    return checks


def collision_checks(
    inputs: DoctorInputs,
    organization: LiveOrganization,
    center: LiveIdentityCenter | None,
    oidc_providers: Iterable[str],
    permission_set_names: Iterable[str],
) -> list[Check]:
    """Objects the first apply creates that already exist: adopt them or the apply fails."""
    checks: list[Check] = []
    admin = organization.delegated_admin_for(SSO_PRINCIPAL)
    if inputs.manages_delegation and admin is not None and inputs.adopts_delegation:
        checks.append(
            Check(
                "existing delegated administrator",
                OK,
                f"{admin} is registered for {SSO_PRINCIPAL}; the first apply imports it "
                "(bootstrap.adoptDelegatedAdministrator)",
            )
        )
    elif inputs.manages_delegation and admin is not None:
        checks.append(
            Check(
                "existing delegated administrator",
                TODO,
                f"{admin} is already registered for {SSO_PRINCIPAL}; the first apply would register it again",
                "set frontdoor:bootstrap.adoptDelegatedAdministrator: true (the first apply imports it), or "
                "`frontdoor adopt --stack S` then `pulumi import --file`, before the first `pulumi up`",
            )
        )
    github = [arn for arn in oidc_providers if arn.endswith("/token.actions.githubusercontent.com")]
    if github and inputs.creates_oidc_provider:
        checks.append(
            Check(
                "existing GitHub OIDC provider",
                TODO,
                f"{github[0]} exists; the first apply would create it again (one per URL per account)",
                "adopt it (`pulumi import "
                "aws:iam/openIdConnectProvider:OpenIdConnectProvider ...`) or let the "
                "program reuse it",
            )
        )
    if center is not None:
        clashing = sorted(inputs.catalogue & set(permission_set_names))
        if clashing:
            checks.append(
                Check(
                    "existing permission sets",
                    TODO,
                    "permission sets with catalogue names already exist: " + ", ".join(clashing),
                    "adopt them (`frontdoor adopt --stack S`, then `pulumi import --file`) "
                    "so the first apply "
                    "does not fail with ConflictException",
                )
            )
    if not checks:
        checks.append(Check("collisions", OK, "nothing the first apply creates exists yet"))
    return checks


def role_checks(inputs: DoctorInputs, roles: Mapping[str, bool]) -> list[Check]:
    """The roles the providers assume: they must exist before any run; made by hand, they are adopted."""
    checks: list[Check] = []
    bootstrap = (
        "run `frontdoor bootstrap-roles --stack S` and create it as printed (docs/first-run.md step 0)"
    )
    wanted = [(inputs.deployer_role, "adoptDeployRole")]
    if inputs.preview_role is not None:
        wanted.append((inputs.preview_role, "adoptPreviewRole"))
    for name, flag in wanted:
        label = f"role {name}"
        if not roles.get(name, False):
            checks.append(
                Check(
                    label,
                    TODO,
                    f"{name} does not exist: the providers assume it before any resource",
                    bootstrap,
                )
            )
        elif inputs.creates_roles and name not in inputs.adopted_roles:
            checks.append(
                Check(
                    label,
                    TODO,
                    f"{name} exists; a first apply would create it again (EntityAlreadyExists)",
                    f"set frontdoor:delivery.{flag}: true for the apply that imports it (then unset it); "
                    "if the stack already manages it, nothing to do",
                )
            )
        else:
            checks.append(Check(label, OK, f"{name} exists"))
    return checks


def exit_code(checks: Iterable[Check]) -> int:
    return 1 if any(check.status == TODO for check in checks) else 0
