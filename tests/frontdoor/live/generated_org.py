"""Random organizations on the local AWS API server, and the stack config a user would write for each.

`organizations()` is a hypothesis strategy of `OrgSpec`: an OU tree 1-5 levels deep, accounts with
leading-zero ids and non-ASCII names, suspended and pending-closure accounts, Identity Center delegated
to a member account or not (then the stack's `identityCenterAccountId` names the member account the
first apply registers), a subset of the trusted access the stack needs, the SCP policy type on or off,
a subset of the pushed groups synced by SCIM, the plan built live or not, and assignments made in the
console (through sso-admin directly): to a single user, to a group outside the push prefix, to a pushed
group on an account the plan does not give it.

`seed` builds it through the real APIs (boto3 against moto), keeping the server's own ids (organization,
root, OU, group, permission set, instance): only account ids are chosen (AWS allocates them too, but a
leading-zero id must be drawn to be tested), and the server's identity store id is corrected where moto
makes one the real API never would (moto draws `d-` + 10 alphanumerics; AWS: `d-` + 10 hex digits).
What no API sets (a pending closure, Identity Center enabled in an account) is written on the server's
objects, as tests/frontdoor/live/seed.py does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import boto3
import moto.organizations.utils as organizations_utils
from hypothesis import strategies as st
from moto.organizations.models import organizations_backends
from moto.ssoadmin.models import ssoadmin_backends

from tests.frontdoor.live.seed import REGION, TRUST_ANY_IN_ACCOUNT, session_for

SSO = "sso.amazonaws.com"
CLOUDTRAIL = "cloudtrail.amazonaws.com"
ANALYZER = "access-analyzer.amazonaws.com"
PREFIX = "aws-"
DEPLOY_ROLE = "frontdoor-deploy"
BREAK_GLASS = ("breakglass-1", "breakglass-2")
BREAK_GLASS_PATH = "/breakglass/"
# The permission sets every generated stack defines (a subset of the demo's catalogue).
PERMISSION_SETS = ("DeveloperAccess", "ReadOnlyAuditor")
TIERS = {"DeveloperAccess": "dev", "ReadOnlyAuditor": "readonly"}

# Names a real organization may hold: botocore's AccountName and OrganizationalUnitName are `[\s\S]*`,
# 1-128 characters; letters of several scripts, marks, spaces and punctuation.
NAME_ALPHABET = st.sampled_from(list("abcxyzABZ019 -_.éüßøçñ日本語ΩЖ한"))
NAMES = st.text(NAME_ALPHABET, min_size=1, max_size=12).map(str.strip).filter(bool)


@dataclass(frozen=True)
class OuSpec:
    name: str
    parent: int  # index of the parent OU in OrgSpec.ous; -1 for the root


@dataclass(frozen=True)
class AccountSpec:
    id: str
    name: str
    ou: int  # index in OrgSpec.ous; -1 for the root
    state: str  # ACTIVE | SUSPENDED | PENDING_CLOSURE


@dataclass(frozen=True)
class ConsoleAssignment:
    """An assignment made in the console: to a user, a non-prefixed group or a pushed group."""

    kind: str  # "user" | "other-group" | "pushed-group"
    account: int  # index in OrgSpec.accounts (an ACTIVE one)
    permission_set: str


@dataclass(frozen=True)
class OrgSpec:
    management_id: str
    ous: tuple[OuSpec, ...]
    accounts: tuple[AccountSpec, ...]  # members; accounts[identity_center] is ACTIVE
    identity_center: int
    delegated: bool
    trusted: frozenset[str]  # besides sso.amazonaws.com (Identity Center is enabled in every example)
    scps_enabled: bool
    with_trail: bool  # the stack has frontdoor:trail (needs cloudtrail.amazonaws.com)
    with_posture: bool  # the stack has frontdoor:posture (needs access-analyzer.amazonaws.com)
    grants: tuple[tuple[str, str, int], ...]  # (team, permission set, OU index)
    unsynced: frozenset[str]  # pushed groups SCIM has not synced yet
    built_from_plan: bool
    console: tuple[ConsoleAssignment, ...]

    def ou_path(self, index: int) -> str:
        names: list[str] = []
        while index != -1:
            names.insert(0, self.ous[index].name)
            index = self.ous[index].parent
        return "/".join(names)

    @property
    def identity_center_account(self) -> str:
        return self.accounts[self.identity_center].id

    @property
    def teams(self) -> list[str]:
        return sorted({team for team, _, _ in self.grants})

    @property
    def pushed_groups(self) -> list[str]:
        return sorted({f"{PREFIX}{team}-{TIERS[ps]}" for team, ps, _ in self.grants})

    @property
    def synced_groups(self) -> list[str]:
        return [g for g in self.pushed_groups if g not in self.unsynced]

    @property
    def required_trusted(self) -> list[str]:
        return [SSO, *([CLOUDTRAIL] if self.with_trail else []), *([ANALYZER] if self.with_posture else [])]

    @property
    def complete(self) -> bool:
        """Every stage-a precondition holds: the stack plans beyond the organization plumbing."""
        return self.delegated and self.scps_enabled and set(self.required_trusted) <= {SSO, *self.trusted}


def _account_id(draw: st.DrawFn, taken: set[str]) -> str:
    leading_zero = draw(st.booleans())
    digits = draw(st.integers(min_value=0, max_value=10**11 - 1 if leading_zero else 10**12 - 1))
    account = f"{digits:012d}"
    while account in taken:
        digits = (digits + 1) % (10**11 if leading_zero else 10**12)
        account = f"{digits:012d}"
    return account


@st.composite
def organizations(draw: st.DrawFn) -> OrgSpec:
    taken: set[str] = set()
    management = _account_id(draw, taken)
    taken.add(management)
    depth = draw(st.integers(min_value=1, max_value=5))
    ous: list[OuSpec] = []
    for level in range(depth):  # one chain 1-5 deep, the deepest OU at the end
        ous.append(OuSpec(draw(NAMES), level - 1))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):  # siblings anywhere in the tree
        ous.append(OuSpec(draw(NAMES), draw(st.integers(min_value=-1, max_value=len(ous) - 1))))
    # OU names are unique among siblings (Organizations refuses a duplicate: DuplicateOrganizationalUnit).
    seen: set[tuple[int, str]] = set()
    unique: list[OuSpec] = []
    for ou in ous:
        name = ou.name
        while (ou.parent, name) in seen:
            name += "+"
        seen.add((ou.parent, name))
        unique.append(OuSpec(name, ou.parent))
    ous = unique

    accounts: list[AccountSpec] = []
    for _ in range(draw(st.integers(min_value=2, max_value=8))):
        account = _account_id(draw, taken)
        taken.add(account)
        state = draw(st.sampled_from(("ACTIVE", "ACTIVE", "ACTIVE", "SUSPENDED", "PENDING_CLOSURE")))
        accounts.append(AccountSpec(account, draw(NAMES), draw(st.integers(-1, len(ous) - 1)), state))
    identity_center = draw(st.integers(0, len(accounts) - 1))
    accounts[identity_center] = AccountSpec(
        accounts[identity_center].id, accounts[identity_center].name, accounts[identity_center].ou, "ACTIVE"
    )
    team_names = draw(
        st.lists(
            st.sampled_from(("payments", "radiology", "lab", "billing")), min_size=1, max_size=3, unique=True
        )
    )
    grants = tuple(
        (team, ps, draw(st.integers(0, len(ous) - 1)))
        for team in team_names
        for ps in draw(st.lists(st.sampled_from(PERMISSION_SETS), min_size=1, max_size=2, unique=True))
    )
    pushed = sorted({f"{PREFIX}{team}-{TIERS[ps]}" for team, ps, _ in grants})
    unsynced = frozenset(draw(st.lists(st.sampled_from(pushed), max_size=len(pushed), unique=True)))
    active = [i for i, a in enumerate(accounts) if a.state == "ACTIVE"]
    console = tuple(
        ConsoleAssignment(kind, draw(st.sampled_from(active)), draw(st.sampled_from(PERMISSION_SETS)))
        for kind in draw(
            st.lists(st.sampled_from(("user", "other-group", "pushed-group")), max_size=3, unique=True)
        )
    )
    return OrgSpec(
        management_id=management,
        ous=tuple(ous),
        accounts=tuple(accounts),
        identity_center=identity_center,
        delegated=draw(st.booleans()),
        trusted=frozenset(draw(st.lists(st.sampled_from((CLOUDTRAIL, ANALYZER)), unique=True))),
        scps_enabled=draw(st.booleans()),
        with_trail=draw(st.booleans()),
        with_posture=draw(st.booleans()),
        grants=grants,
        unsynced=unsynced,
        built_from_plan=draw(st.booleans()),
        console=console,
    )


@dataclass
class SeededOrg:
    """What the server holds for a spec, with the ids it allocated."""

    spec: OrgSpec
    management: boto3.Session
    identity_center: boto3.Session  # the account Identity Center is read in
    organization_id: str
    root_id: str
    ou_ids: list[str]
    instance_arn: str
    identity_store_id: str
    group_ids: dict[str, str] = field(default_factory=dict)  # display name -> id
    user_id: str = ""
    permission_sets: dict[str, str] = field(default_factory=dict)  # name -> ARN


def _hex(rng: random.Random, digits: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(digits))


def seed(spec: OrgSpec) -> SeededOrg:
    """The organization of `spec` on the (reset) server, through the real APIs; console-made objects too,
    the plan's not yet (`seed_plan` in the test, from the stack's own plan)."""
    # moto 5.2.5's /moto-api/reset keeps its member -> management table, so an account id that was a
    # member in an earlier example could not create an organization: the reset server forgets it here.
    organizations_backends.master_accounts.clear()
    management = session_for(spec.management_id)
    organizations = management.client("organizations")
    organization = organizations.create_organization(FeatureSet="ALL")["Organization"]
    root_id = organizations.list_roots()["Roots"][0]["Id"]
    ou_ids: list[str] = []
    for ou in spec.ous:
        parent = root_id if ou.parent == -1 else ou_ids[ou.parent]
        ou_ids.append(
            organizations.create_organizational_unit(ParentId=parent, Name=ou.name)["OrganizationalUnit"][
                "Id"
            ]
        )
    backend = organizations_backends[spec.management_id]["aws"]
    original = organizations_utils.make_random_account_id
    try:
        for number, account in enumerate(spec.accounts):
            organizations_utils.make_random_account_id = lambda chosen=account.id: chosen  # type: ignore[misc]
            organizations.create_account(AccountName=account.name, Email=f"member{number}@example.org")
            if account.ou != -1:
                organizations.move_account(
                    AccountId=account.id, SourceParentId=root_id, DestinationParentId=ou_ids[account.ou]
                )
            if account.state == "SUSPENDED":
                organizations.close_account(AccountId=account.id)
            elif account.state == "PENDING_CLOSURE":
                # CloseAccount's first state, which moto skips (it goes straight to SUSPENDED).
                fake = backend.get_account_by_id(account.id)
                fake.status = fake.state = "PENDING_CLOSURE"
    finally:
        organizations_utils.make_random_account_id = original
    for principal in sorted({SSO, *spec.trusted}):
        organizations.enable_aws_service_access(ServicePrincipal=principal)
    if spec.scps_enabled:
        organizations.enable_policy_type(RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")
    if spec.delegated:
        organizations.register_delegated_administrator(
            AccountId=spec.identity_center_account, ServicePrincipal=SSO
        )
    # The roles the providers assume and the break-glass users: made before the first run (step 0).
    iam = management.client("iam")
    iam.create_role(RoleName=DEPLOY_ROLE, AssumeRolePolicyDocument=TRUST_ANY_IN_ACCOUNT % spec.management_id)
    for user in BREAK_GLASS:
        iam.create_user(UserName=user, Path=BREAK_GLASS_PATH)

    # One instance, in the management account, which its delegated administrator reads as its own; moto
    # makes one in every account, where AWS shows none to a member that does not administer Identity Center.
    home = spec.identity_center_account if spec.delegated else spec.management_id
    center = session_for(home)
    instance = ssoadmin_backends[home][REGION].instances[0]
    for account in [spec.management_id, *(a.id for a in spec.accounts)]:
        ssoadmin_backends[account][REGION].instances = (
            [instance] if account in {home, spec.management_id} else []
        )
    # moto draws d- + 10 alphanumerics, a store id the real API never makes (botocore: d- + 10 hex digits).
    instance.identity_store_id = f"d-{_hex(random.Random(instance.instance_arn), 10)}"
    store = center.client("identitystore")
    seeded = SeededOrg(
        spec=spec,
        management=management,
        identity_center=center,
        organization_id=organization["Id"],
        root_id=root_id,
        ou_ids=ou_ids,
        instance_arn=instance.instance_arn,
        identity_store_id=instance.identity_store_id,
    )
    for name in [*spec.synced_groups, "contractors"]:
        seeded.group_ids[name] = store.create_group(
            IdentityStoreId=seeded.identity_store_id, DisplayName=name
        )["GroupId"]
    seeded.user_id = store.create_user(
        IdentityStoreId=seeded.identity_store_id,
        UserName="jörg.müller",
        DisplayName="Jörg Müller",
        Name={"GivenName": "Jörg", "FamilyName": "Müller"},
    )["UserId"]
    return seeded


def console_assignments(
    seeded: SeededOrg, *, planned: set[tuple[str, str, str]]
) -> list[tuple[str, str, str, str]]:
    """Make the spec's console assignments; (principal type, principal name, permission set, account).
    One the plan built already (`planned`: group, permission set, account) is not made twice."""
    spec = seeded.spec
    sso = seeded.identity_center.client("sso-admin")
    made: list[tuple[str, str, str, str]] = []
    for console in spec.console:
        if console.kind == "pushed-group" and not spec.synced_groups:
            continue
        if console.kind == "user":
            principal_type, name, principal = "USER", "jörg.müller", seeded.user_id
        elif console.kind == "other-group":
            principal_type, name, principal = "GROUP", "contractors", seeded.group_ids["contractors"]
        else:
            name = spec.synced_groups[0]
            principal_type, principal = "GROUP", seeded.group_ids[name]
        account = spec.accounts[console.account].id
        if spec.built_from_plan and (name, console.permission_set, account) in planned:
            continue
        arn = ensure_permission_set(seeded, console.permission_set)
        sso.create_account_assignment(
            InstanceArn=seeded.instance_arn,
            TargetId=account,
            TargetType="AWS_ACCOUNT",
            PermissionSetArn=arn,
            PrincipalType=principal_type,
            PrincipalId=principal,
        )
        made.append((principal_type, name, console.permission_set, account))
    return made


def ensure_permission_set(seeded: SeededOrg, name: str, **settings: Any) -> str:
    if name not in seeded.permission_sets:
        sso = seeded.identity_center.client("sso-admin")
        seeded.permission_sets[name] = sso.create_permission_set(
            InstanceArn=seeded.instance_arn,
            Name=name,
            SessionDuration=settings.get("SessionDuration", "PT1H"),
            **{k: v for k, v in settings.items() if k != "SessionDuration"},
        )["PermissionSet"]["PermissionSetArn"]
    return seeded.permission_sets[name]


def stack_config(
    seeded: SeededOrg,
    demo: dict[str, Any],
    *,
    root_scps: tuple[str, ...] = ("deny-leave-organization",),
    adopt_delegation: bool = False,
) -> dict[str, Any]:
    """The stack file a user writes for this organization (the demo's sections where they are generic):
    the SCPs `root_scps` attached to the root; with `adopt_delegation`, a delegation made by hand is
    adopted (frontdoor:bootstrap.adoptDelegatedAdministrator, as docs/live-read.md says)."""
    spec = seeded.spec
    store = seeded.identity_store_id.removeprefix("d-")
    teams: dict[str, Any] = {}
    for team, permission_set, ou in spec.grants:
        grant = teams.setdefault(team, {"members": f'user.team == "{team}"', "grants": {}})
        grant["grants"].setdefault(permission_set, []).append(spec.ou_path(ou))
    management = spec.management_id
    config: dict[str, Any] = {
        "aws:region": REGION,
        "okta:orgName": "generated-org",
        "okta:baseUrl": "okta.com",
        "frontdoor:organization": {
            "managementAccountId": management,
            "identityCenterAccountId": spec.identity_center_account,
            "region": REGION,
        },
        "frontdoor:identityCenter": demo["frontdoor:identityCenter"],
        "frontdoor:abacChains": demo["frontdoor:abacChains"],
        "frontdoor:okta": {
            **demo["frontdoor:okta"],
            "orgName": "generated-org",
            "acsUrl": f"https://{REGION}.signin.aws.amazon.com/platform/saml/acs/{store}-acs",
            "entityId": f"https://{REGION}.signin.aws.amazon.com/platform/saml/d-{store}",
        },
        "frontdoor:permissionSets": {
            name: demo["frontdoor:permissionSets"][name] for name in PERMISSION_SETS
        },
        "frontdoor:teams": teams,
        "frontdoor:orgGrants": {},
        "frontdoor:guardrails": {
            "breakGlassUserNames": list(BREAK_GLASS),
            "breakGlassPath": BREAK_GLASS_PATH,
            "scps": {name: {"attachTo": ["Root"]} for name in root_scps},
        },
    }
    if adopt_delegation and spec.delegated:
        config["frontdoor:bootstrap"] = {"adoptDelegatedAdministrator": True}
    if spec.with_trail:
        config["frontdoor:trail"] = {"bucketName": f"trail-{management}"}
    if spec.with_posture:
        config["frontdoor:posture"] = demo["frontdoor:posture"]
    return {"config": config}
