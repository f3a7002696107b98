"""The simulated estate: the AWS organization and Identity Center state the offline engine answers from.

An estate file describes what `pulumi preview` would read from the cloud: the organization (root,
management account, OU tree with accounts and their states, trusted access, delegated administrators,
the root's policy types, StackSets' organizations access), the Identity Center instance and identity
store, the groups SCIM has already synced, the custom Okta profile attributes, what the stack's own
state holds (`deployed`), the AWS Config recorders per account (`configRecording`) and the management
account's delivery roles, OIDC providers and break-glass users (`managementAccount`). It is validated
like a stack config: bad input names the file, the field, the value and the fix.

Absent is unknown, never fine: every fact the program or the engine decides with is optional here, and
an absent one stops the run where a decision needs it (`Estate.known`, `EstateUnknown`, exit 2), naming
the field and the `frontdoor estate pull` flag that writes it. `frontdoor estate pull` writes all of
them (frontdoor/live/estate_writer.py); the demo estate holds each explicitly.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import ErrorDetails

from frontdoor.domain.base.aws_ids import (
    GROUP_ID,
    AccountIdText,
    AwsIdRefused,
    IdentityStoreIdText,
    InstanceArnText,
    OrganizationIdText,
    OuIdText,
    RootIdText,
)
from frontdoor.domain.base.errors import ConfigError, ConfigIssue, EstateIdIssue, FixHint
from frontdoor.domain.config.files import read_yaml_file
from frontdoor.domain.config.pydantic_issues import issue_from_pydantic
from frontdoor.domain.planning.config_recording import ConfigRecording
from frontdoor.domain.planning.organization import (
    Account,
    IdentityCenterInstance,
    OrgSnapshot,
    OrgUnit,
    StackReads,
)
from frontdoor.domain.planning.prior_state import PriorState
from frontdoor.domain.planning.pulled import EstateUnknown


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True)


class EstateAccount(_Model):
    id: AccountIdText
    name: str = Field(min_length=1, max_length=50)
    state: Literal["ACTIVE", "SUSPENDED", "PENDING_CLOSURE"] = "ACTIVE"
    email: str | None = None


class EstateOu(_Model):
    id: OuIdText
    name: str = Field(min_length=1, max_length=128)
    accounts: list[EstateAccount] = Field(default_factory=list)
    children: list[EstateOu] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if "/" in value:
            raise FixHint("an OU name cannot contain '/' (paths are written Parent/Child)", "rename the OU")
        return value


class EstateOrganization(_Model):
    id: OrganizationIdText
    root_id: RootIdText
    management_account: EstateAccount
    # Trusted access (EnableAWSServiceAccess) as ListAWSServiceAccessForOrganization reports it: Identity
    # Center, CloudTrail, StackSets, Access Analyzer (first-run stage a). Absent: unknown.
    aws_service_access_principals: list[str] | None = None
    # Service principal -> its delegated administrator account ids (ListDelegatedAdministrators and
    # ListDelegatedServicesForAccount). Absent: unknown.
    delegated_administrators: dict[str, list[str]] | None = None
    # The policy types ENABLED on the root (ListRoots PolicyTypes). Absent: unknown.
    enabled_policy_types: list[str] | None = None
    # CloudFormation DescribeOrganizationsAccess: StackSets' trusted access as CloudFormation reports it.
    stack_sets_access: Literal["ENABLED", "DISABLED", "DISABLED_PERMANENTLY"] | None = None


class EstateDeployed(_Model):
    """What the stack's own state holds (frontdoor/domain/planning/prior_state.py `PriorState`)."""

    resources: int = Field(ge=0)
    beyond_stage_a: bool
    assigned_groups: list[str] = Field(default_factory=list)
    pushed_groups: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    oidc_providers: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> EstateDeployed:
        named = (
            len(self.assigned_groups) + len(self.pushed_groups) + len(self.roles) + len(self.oidc_providers)
        )
        if named and not self.beyond_stage_a:
            raise FixHint(
                "a state with assignments, push mappings, roles or OIDC providers is beyond first-run stage "
                "a",
                "set beyondStageA: true, or pull it again (frontdoor estate pull --stack-state FILE)",
                at=("beyondStageA",),
                value=False,
            )
        if named > self.resources:
            raise FixHint(
                f"the state names {named} resources but counts {self.resources}",
                "pull it again (frontdoor estate pull --stack-state FILE)",
                at=("resources",),
                value=self.resources,
            )
        return self

    def prior_state(self) -> PriorState:
        return PriorState(
            self.resources,
            self.beyond_stage_a,
            frozenset(self.assigned_groups),
            frozenset(self.pushed_groups),
            frozenset(self.roles),
            frozenset(self.oidc_providers),
        )


class EstateManagementAccount(_Model):
    """IAM facts of the management account the program and the engine decide with. Each absent: unknown."""

    # Role name -> whether it exists (iam:GetRole of the stack's deploy and preview roles).
    iam_roles: dict[str, bool] | None = None
    # Hosts of the account's IAM OIDC providers (ListOpenIDConnectProviders), e.g.
    # token.actions.githubusercontent.com.
    oidc_providers: list[str] | None = None
    # Break-glass user name -> its IAM path, or null when iam:GetUser answers NoSuchEntity.
    break_glass_users: dict[str, str | None] | None = None


class EstateIdentityCenter(_Model):
    instance_arn: InstanceArnText
    identity_store_id: IdentityStoreIdText
    region: str = "us-east-1"


class EstateAppUserProperty(_Model):
    """One custom property of the AWS app's app-user schema, as the Schemas API returns it."""

    # Okta sends a custom attribute over SCIM only with both set (Okta support, "Custom SCIM attribute is
    # not available to map and is not sent to SCIM").
    external_name: str | None = None
    external_namespace: str | None = None


class EstateAppUserSchema(_Model):
    """The AWS app's app-user schema: GET /api/v1/meta/schemas/apps/{appId}/default."""

    base: list[str]  # definitions.base.properties: the OIN app's own properties
    custom: dict[str, EstateAppUserProperty]  # definitions.custom.properties, by index


class EstateUserSchemaProperty(_Model):
    """One custom property of Okta's default user schema, as HR (or an admin) defined it."""

    title: str
    type: Literal["string", "boolean", "number", "integer", "array"]
    description: str | None = None
    master: Literal["PROFILE_MASTER", "OKTA", "OVERRIDE"] = "PROFILE_MASTER"
    permissions: Literal["READ_ONLY", "READ_WRITE", "HIDE"] = "READ_ONLY"
    scope: Literal["NONE", "SELF"] = "NONE"
    required: bool = False
    unique: str | None = None


class EstateUserSchema(_Model):
    """Okta's default user schema: GET /api/v1/meta/schemas/user/default, definitions.custom.properties."""

    custom: dict[str, EstateUserSchemaProperty]


class EstateOkta(_Model):
    """What the Okta org holds. A block absent here is unknown, never empty: the engine's rules that need
    it stop (`frontdoor/offline/api_rules.py`), naming how to fill it. `frontdoor estate pull` does not read
    Okta: copy each from the Schemas API answer named on its model."""

    app_user_schema: EstateAppUserSchema | None = None
    user_schema: EstateUserSchema | None = None


class Estate(_Model):
    """Everything the program reads from AWS at preview time."""

    organization: EstateOrganization
    identity_center: EstateIdentityCenter
    accounts: list[EstateAccount] = Field(default_factory=list)  # directly under the root
    ous: list[EstateOu] = Field(default_factory=list)
    # Identity Center groups already synced by SCIM: display name -> group id. Absent: unknown.
    synced_groups: dict[str, str] | None = None
    # Custom attributes already on the Okta user profile (e.g. fed by HR), beyond Okta's base ones.
    # Absent: unknown.
    okta_profile_attributes: list[str] | None = None
    # Other stacks' outputs, by stack name as a StackReference names it: what `pulumi stack output
    # --json --stack <name>` prints. The monitoring stack reads the identity stack's (its estate holds
    # them); a stack absent here is unknown, and reading it stops the run.
    stack_outputs: dict[str, dict[str, Any]] = Field(default_factory=dict)
    # The Okta schemas the engine judges app-user mappings and adopted attributes against (absent: unknown).
    okta: EstateOkta = Field(default_factory=EstateOkta)
    # What the stack's own state holds. Absent: unknown.
    deployed: EstateDeployed | None = None
    # AWS Config recorders per account (frontdoor/domain/planning/config_recording.py). Absent: unknown.
    config_recording: ConfigRecording | None = None
    management_account: EstateManagementAccount = Field(default_factory=EstateManagementAccount)
    _source: str = PrivateAttr(default="the estate")

    @field_validator("synced_groups")
    @classmethod
    def _group_ids(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is None:
            return None
        for name, group_id in value.items():
            if not GROUP_ID.accepts(group_id):
                raise AwsIdRefused(GROUP_ID, at=(name,), value=group_id)
        if len(set(value.values())) != len(value):
            raise FixHint("two synced groups share one group id", "give each group its own id")
        return value

    @model_validator(mode="after")
    def _unique(self) -> Estate:
        seen_accounts: set[str] = {self.organization.management_account.id}
        seen_ous: set[str] = set()
        seen_paths: set[str] = set()
        for ou_path, ou in _walk(self.ous, ""):
            if ou_path in seen_paths:
                # Organizations refuses two OUs of one name under one parent
                # (DuplicateOrganizationalUnitException).
                raise FixHint(
                    f"two OUs named {ou.name!r} under the same parent (path {ou_path}): a grant on this "
                    "path could not say which one it means",
                    "rename one of them; AWS Organizations refuses sibling OUs with the same name",
                    value=ou_path,
                )
            seen_paths.add(ou_path)
            if ou.id in seen_ous:
                raise FixHint(
                    f"OU {ou.id} appears twice (at {ou_path}): the OU tree would be cyclic or ambiguous",
                    "give every OU one place in the tree and a unique id",
                    value=ou.id,
                )
            seen_ous.add(ou.id)
        for account in [*self.accounts, *(a for _, ou in _walk(self.ous, "") for a in ou.accounts)]:
            if account.id in seen_accounts:
                raise FixHint(
                    f"account {account.id} appears twice in the estate",
                    "an account lives in exactly one OU (or the root)",
                    value=account.id,
                )
            seen_accounts.add(account.id)
        return self

    def snapshot(self) -> OrgSnapshot:
        """The organization as the program sees it through Organizations invokes."""
        management = self.organization.management_account
        ous: list[OrgUnit] = []
        accounts: list[Account] = [Account(management.id, management.name, management.state, "", ())]
        accounts.extend(Account(a.id, a.name, a.state, "", ()) for a in self.accounts)
        parents: dict[str, tuple[str, ...]] = {}

        def visit(children: list[EstateOu], parent_id: str, prefix: str, chain: tuple[str, ...]) -> None:
            for ou in children:
                path = f"{prefix}{ou.name}"
                ous.append(OrgUnit(ou.id, ou.name, path, parent_id))
                ids = (*chain, ou.id)
                parents[ou.id] = ids
                accounts.extend(Account(a.id, a.name, a.state, path, ids) for a in ou.accounts)
                visit(ou.children, ou.id, f"{path}/", ids)

        visit(self.ous, self.organization.root_id, "", ())
        return OrgSnapshot(
            self.organization.root_id, management.id, tuple(ous), tuple(accounts), self.organization.id
        )

    def reads(self) -> StackReads:
        """What the program reads before it plans (organization, instance, synced groups), from here."""
        instance = IdentityCenterInstance(
            self.identity_center.instance_arn, self.identity_center.identity_store_id
        )
        synced = self.known("syncedGroups", "which grants wait for SCIM (deferred) depends on it")
        return StackReads(self.snapshot(), instance, dict(synced), self.config_recording, self.source)

    @property
    def source(self) -> str:
        """The file this estate was read from, named in every message about it."""
        return self._source

    def with_source(self, source: str) -> Estate:
        self._source = source
        return self

    def known(self, field: str, decision: str) -> Any:
        """The value of `field` (its camelCase path in the file), or EstateUnknown naming how to pull it."""
        value: Any = self
        for part in field.split("."):
            value = getattr(value, _snake(part))
        if value is None:
            raise EstateUnknown.of(self.source, field, decision)
        return value

    def prior_state(self) -> PriorState:
        deployed: EstateDeployed = self.known(
            "deployed", "whether this run may register first-run stages, or must stop instead of shrinking"
        )
        return deployed.prior_state()

    def all_accounts(self) -> list[tuple[EstateAccount, str]]:
        """(account, parent id) for every account, management first: what ListAccounts returns."""
        root = self.organization.root_id
        out = [(self.organization.management_account, root), *((a, root) for a in self.accounts)]
        out.extend((a, ou.id) for _, ou in _walk(self.ous, "") for a in ou.accounts)
        return out

    def ou_children(self) -> dict[str, list[EstateOu]]:
        """parent id (root or OU) -> its child OUs."""
        children: dict[str, list[EstateOu]] = {self.organization.root_id: list(self.ous)}
        for _, ou in _walk(self.ous, ""):
            children[ou.id] = list(ou.children)
        return children


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _walk(ous: list[EstateOu], prefix: str) -> list[tuple[str, EstateOu]]:
    out: list[tuple[str, EstateOu]] = []
    for ou in ous:
        path = f"{prefix}{ou.name}"
        out.append((path, ou))
        out.extend(_walk(ou.children, f"{path}/"))
    return out


def parse_estate(document: Any, source: str, *, read_from_aws: bool = False) -> Estate:
    """The estate in `document` (read from `source`), or ConfigError naming each bad field. An id AWS's
    own model refuses is no typing mistake: its issue (`EstateIdIssue`) names the model and says to pull
    again; with `read_from_aws` (`estate pull` validating what it just read) it says nothing was written."""
    if not isinstance(document, dict):
        raise ConfigError(
            [
                ConfigIssue(
                    source,
                    "(file)",
                    type(document).__name__,
                    "an estate file must be a mapping",
                    "start from stacks/estate.demo.yaml",
                )
            ]
        )
    try:
        return Estate.model_validate(document).with_source(source)
    except ValidationError as error:
        raise ConfigError([_estate_issue(source, e, read_from_aws) for e in error.errors()]) from None


# What an estate id AWS's model refuses asks for: the file is not what AWS returns.
PULL_AGAIN = "pull again (`frontdoor estate pull`)"
NOT_WRITTEN = (
    "nothing was written; check that the endpoint is AWS (a local server may allocate ids AWS never "
    "would), and report the value if it is"
)


def _estate_issue(source: str, error: ErrorDetails, read_from_aws: bool) -> ConfigIssue:
    issue = issue_from_pydantic(source, error, namespace="")
    refused = (error.get("ctx") or {}).get("error")
    if not isinstance(refused, AwsIdRefused):
        return issue
    return EstateIdIssue(
        issue.file,
        issue.field,
        issue.value,
        issue.problem,
        NOT_WRITTEN if read_from_aws else PULL_AGAIN,
        model=refused.aws_id.model(),
        read_from_aws=read_from_aws,
    )


def load_estate(path: Path) -> Estate:
    return parse_estate(read_yaml_file(path, "estate"), str(path))


def estate_file(stack: str, root: Path | None = None) -> Path:
    return (root or Path.cwd()) / "stacks" / f"estate.{stack}.yaml"
