"""The team canary: every permission set a team's groups hold, every team against every other team, offline.

For each team A (with the session tag Okta sets for its members), each permission set A's groups are
assigned (and every ABAC set, whoever holds it: it claims isolation for any tag value) and each other
team B, it generates the requests a "canary user per team" would make and the answer each must get.
A set is evaluated with everything its role carries: the inline policy, its AWS managed policies (the
documents moto ships, pinned with it), its permissions boundary. Customer managed policies have no
document in the config: they are unknown (`CanaryRun.unknown`, with their fix; the command exits 4),
as is what the catalogue cannot enumerate. The probes (`PROBES` describes each):

- on B's resources, of every resource type the ABAC services name (`RESOURCE_PROBES`): a write; every
  tag action re-tagging it A's (one tag key, and two); every untag action stripping B's tag (one key,
  and two); `iam:PassRole` of B's role to each compute service: denied by every set. A read: denied
  by ABAC sets, and listed, not judged, for the others (reach the config grants on purpose);
- every create action tagging the new resource B's (one key, and two) or leaving it untagged, and
  `iam:TagRole` / `sts:TagSession` re-tagging A's own session B's: denied by every set;
- `ec2:RunInstances` with B's security group or snapshot: denied by every set;
- ABAC sets only: A's own resources (a write; every create with one key and two; passing A's role; a
  launch with A's or an untagged security group, an untagged subnet, AMI, key pair) allowed; handing
  A's resource to B, every "Permissions management" action on A's resources and role, stripping A's own
  tag, an untagged resource: denied; a session without the tag (a broken attribute chain) reaches nothing.

Org grants are not team-scoped: their sets' reads and writes on a team's resources are listed; one whose
members rule pins a team's tag value is that team's grant, and judged as one.
Requests carry what a real client sends besides the tags (TLS; an S3 upload's encryption header), so
a benign guardrail on those does not fail an own-access probe. Every request is evaluated with the
service control policies attached above the target account (an SCP deny wins; every level must allow)
by frontdoor.domain.proof.iam_evaluator. Pure: the command wires it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from frontdoor.domain.documents.abac_policy import PASS_ROLE_SERVICES, TAG_ACTIONS
from frontdoor.domain.documents.inline_policy import inline_policy_document
from frontdoor.domain.model.permission_sets import PermissionSetConfig
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.guardrails import ScpPlan
from frontdoor.domain.planning.organization import Account, OrgSnapshot
from frontdoor.domain.proof.action_catalogue import ActionCatalogue, ActionInfo
from frontdoor.domain.proof.iam_evaluator import Evaluation, NamedPolicy, Request, action_signature, evaluate
from frontdoor.domain.proof.s3_bucket_abac import as_s3_authorizes
from frontdoor.domain.proof.tag_chain import TeamTags, chain_failures, pinned_team, team_tags


@dataclass(frozen=True)
class ResourceProbe:
    """One resource type: a write and a read on an existing resource, and its ARN (`{team}` owns it).

    `read` is empty where every read of the type is an `ec2:Describe*`: those take no resource-level
    tag condition, and the ABAC template grants them for navigation (the catalogue says so)."""

    service: str
    kind: str
    write: str
    read: str
    template: str


# Every resource type of each service the ABAC template scopes; `retag`/`untag` use TAG_ACTIONS.
RESOURCE_PROBES: tuple[ResourceProbe, ...] = (
    ResourceProbe("cloudwatch", "alarm", "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarmHistory",
                  "arn:aws:cloudwatch:{region}:{account}:alarm:{team}-errors"),
    ResourceProbe("dynamodb", "table", "dynamodb:PutItem", "dynamodb:GetItem",
                  "arn:aws:dynamodb:{region}:{account}:table/{team}-orders"),
    ResourceProbe("ec2", "instance", "ec2:StopInstances", "ec2:GetConsoleOutput",
                  "arn:aws:ec2:{region}:{account}:instance/i-0{team_hex}"),
    ResourceProbe("ec2", "volume", "ec2:DeleteVolume", "",
                  "arn:aws:ec2:{region}:{account}:volume/vol-0{team_hex}"),
    ResourceProbe("ec2", "security-group", "ec2:AuthorizeSecurityGroupIngress", "",
                  "arn:aws:ec2:{region}:{account}:security-group/sg-0{team_hex}"),
    ResourceProbe("ecr", "repository", "ecr:PutImage", "ecr:BatchGetImage",
                  "arn:aws:ecr:{region}:{account}:repository/{team}-app"),
    ResourceProbe("ecs", "cluster", "ecs:UpdateCluster", "ecs:DescribeClusters",
                  "arn:aws:ecs:{region}:{account}:cluster/{team}-cluster"),
    ResourceProbe("ecs", "service", "ecs:UpdateService", "ecs:DescribeServices",
                  "arn:aws:ecs:{region}:{account}:service/{team}-cluster/{team}-api"),
    ResourceProbe("lambda", "function", "lambda:UpdateFunctionCode", "lambda:GetFunction",
                  "arn:aws:lambda:{region}:{account}:function:{team}-handler"),
    ResourceProbe("logs", "log-group", "logs:PutRetentionPolicy", "logs:FilterLogEvents",
                  "arn:aws:logs:{region}:{account}:log-group:/{team}/app"),
    ResourceProbe("s3", "bucket", "s3:PutLifecycleConfiguration", "s3:ListBucket",
                  "arn:aws:s3:::{team}-artifacts-{account}"),
    ResourceProbe("s3", "object", "s3:PutObject", "s3:GetObject",
                  "arn:aws:s3:::{team}-artifacts-{account}/build.zip"),
    ResourceProbe("sns", "topic", "sns:Publish", "sns:GetTopicAttributes",
                  "arn:aws:sns:{region}:{account}:{team}-events"),
    ResourceProbe("sqs", "queue", "sqs:SendMessage", "sqs:ReceiveMessage",
                  "arn:aws:sqs:{region}:{account}:{team}-jobs"),
)  # fmt: skip
# S3 tags buckets, not objects (PutObjectTagging sets object tags, which ABAC does not key on).
UNTAGGABLE_KINDS = frozenset({("s3", "object")})
SECOND_TAG_KEY, SECOND_TAG_VALUE = "env", "dev"  # the other key of a two-key tag request

# probe -> what it asks, for the printed claim (in this order).
PROBES: dict[str, str] = {
    "other": "a write on another team's resource",
    "read-other": "a read of another team's resource",
    "named-other": (
        "every other action its inline policy names that writes (wildcards expanded; one per group of "
        "actions its policies and SCPs treat alike), on another team's resource of each type below it "
        "applies to"
    ),
    "named-read-other": "the same for the actions it names that read",
    "retag-other": "re-tagging another team's resource as one's own",
    "retag-other-2keys": "the same with a second tag key",
    "untag-other": "stripping another team's tag",
    "untag-other-2keys": "the same with a second tag key",
    "passrole-other": "passing another team's role to a compute service",
    "launch-other": "launching an instance with another team's security group or snapshot",
    "create-other": "creating a resource tagged for another team",
    "create-other-2keys": "the same with a second tag key",
    "create-untagged": "creating an untagged resource",
    "retag-self": "re-tagging one's own role or session as another team's",
    "give-away": "handing one's own resource to another team",
    "manage-own": (
        "changing who may access one's own resource or role (every action of the Service Authorization "
        "Reference's Permissions management level on each type above, and on one's own role)"
    ),
    "untag-own": "stripping one's own tag",
    "untagged": "a write on an untagged resource",
    "no-tag": "anything from a session without the tag",
    "own": "a write on one's own resource",
    "own-abac-off": "a write on one's own S3 bucket or object without bucket ABAC (S3 then reads no tag)",
    "create-own": "creating a resource tagged as one's own",
    "create-own-2keys": "the same with a second tag key",
    "passrole-own": "passing one's own role to a compute service",
    "launch-own": (
        "launching an instance tagged as one's own with one's own or an untagged security group, an "
        "untagged subnet, AMI and key pair"
    ),
}
ALLOWED_PROBES = frozenset({"own", "create-own", "create-own-2keys", "passrole-own", "launch-own"})
ABAC_ONLY_PROBES = frozenset({"own", "own-abac-off", "create-own", "create-own-2keys", "passrole-own",
                              "give-away", "manage-own", "untag-own", "untagged", "no-tag",
                              "launch-own"})  # fmt: skip
_TAG_KEYS = ("aws:PrincipalTag/", "aws:ResourceTag/", "aws:RequestTag/", "aws:TagKeys")
NO_ACCOUNT = "111111111111"  # a set granted nowhere is still checked, without SCPs


@dataclass(frozen=True)
class ScpChain:
    """The SCPs above one target account, one list per level (root, each OU, the account)."""

    account_id: str
    levels: tuple[tuple[NamedPolicy, ...], ...]


@dataclass(frozen=True)
class CanaryCase:
    permission_set: str
    team: str  # the session's team (for `no-tag`: the team whose member lost the tag)
    other: str  # the team whose resource or tag the request touches ("" for none)
    account_id: str
    probe: str  # a key of PROBES
    request: Request
    expect_allowed: bool
    listed: bool = False  # reach granted on purpose: reported, not judged
    org_grant: str = ""  # the org grant's group whose reach this lists ("" for a team's session)
    kind: str = ""  # the resource type of a `named-*` probe ("service kind")


@dataclass(frozen=True)
class CanaryResult:
    case: CanaryCase
    evaluation: Evaluation

    @property
    def passed(self) -> bool:
        return self.case.listed or self.evaluation.allowed == self.case.expect_allowed

    def describe(self) -> str:
        case = self.case
        session = f"{case.team} (session without the tag)" if case.probe == "no-tag" else case.team
        pair = f"{session} -> {case.other or '-'}"
        # The tags are what differs between requests; the principal, region and token time are fixed.
        context = (
            ", ".join(
                f"{k}={'|'.join(v)}"
                for k, v in sorted(case.request.context.items())
                if k.startswith(_TAG_KEYS)
            )
            or "no tags"
        )
        want = "allow" if case.expect_allowed else "deny"
        got = self.evaluation
        return (
            f"{case.permission_set} {pair} [{case.probe}] {case.request.action} on {case.request.resource} "
            f"({context}) in {case.account_id}: expected {want}, got {got.decision}"
            + (f" by {got.statement}" if got.statement else "")
        )


@dataclass(frozen=True)
class SetPolicies:
    """Everything a permission set's role is evaluated with, and what could not be."""

    identity: tuple[NamedPolicy, ...]
    boundary: NamedPolicy | None
    managed: tuple[str, ...]  # the AWS managed policies evaluated (names)
    not_checked: tuple[str, ...]  # what the claim leaves out on purpose: actions on unmodelled types
    # What the set carries and the canary could not evaluate, each with its fix: absent is unknown,
    # never fine (the command exits EXIT_UNKNOWN).
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class CanaryRun:
    """The results and what was checked: the printed claim is derived from this alone."""

    results: list[CanaryResult]
    sets: Mapping[str, SetPolicies]
    teams: tuple[str, ...]
    held: Mapping[str, tuple[str, ...]]  # team -> the sets its groups are assigned
    org_grants: Mapping[str, str]  # org grant group -> its set
    managed_source: str
    chains: Mapping[str, int] = field(default_factory=dict)  # set -> distinct SCP chains evaluated
    accounts: Mapping[str, int] = field(default_factory=dict)  # see run_canary
    tags: tuple[TeamTags, ...] = ()  # per ABAC key: the value each team's members rule pins
    chain_failures: tuple[str, ...] = ()  # teams holding an ABAC set whose tag value is not proven
    team_org_grants: Mapping[str, str] = field(default_factory=dict)  # org grant group -> the team it pins

    @property
    def passed(self) -> bool:
        return not self.chain_failures and all(r.passed for r in self.results)

    @property
    def unknown(self) -> list[str]:
        """Every document or action a checked set carries that could not be evaluated, with its fix."""
        return sorted({f"{name}: {what}" for name, p in self.sets.items() for what in p.unknown})


def abac_permission_sets(config: StackConfig) -> dict[str, PermissionSetConfig]:
    return {name: ps for name, ps in sorted(config.permission_sets.items()) if ps.abac is not None}


def checked_permission_sets(config: StackConfig) -> dict[str, PermissionSetConfig]:
    """Every set the canary evaluates: the ABAC sets and every set a team or org grant assigns."""
    held = {name for team in config.teams.values() for name in team.grants}
    held |= {grant.permission_set for grant in config.org_grants.values()}
    return {
        name: ps for name, ps in sorted(config.permission_sets.items()) if ps.abac is not None or name in held
    }


NO_CATALOGUE = "no action catalogue: parliament is not installed. Fix: pip install '.[canary]'"
NO_DOCUMENT_FIX = (
    "Fix: write its statements as the set's inlineStatements (the canary evaluates those), or remove it"
)


def set_policies(
    name: str, permission_set: PermissionSetConfig, managed: Mapping[str, Mapping[str, Any]], source: str
) -> SetPolicies:
    """The set's inline policy and AWS managed policies with their documents, and its boundary; each
    policy without a document is unknown, with its fix."""
    identity: list[NamedPolicy] = []
    unknown: list[str] = []
    not_checked: list[str] = []
    evaluated: list[str] = []
    document = inline_policy_document(permission_set)
    if document is not None:
        identity.append(NamedPolicy(name, document))
    why = f"no document in {source}" if source else "moto is not installed"
    aws_fix = (
        "Fix: install a moto that ships it (the canary extra), or write its statements as the set's "
        "inlineStatements (the canary evaluates those), or remove it"
        if source
        else "Fix: pip install '.[canary]' (moto ships the AWS managed documents)"
    )
    customer_fix = f"the canary cannot read it offline. {NO_DOCUMENT_FIX}"
    for arn in permission_set.aws_managed_policies:
        short = arn.rsplit("/", 1)[-1]
        if arn in managed:
            identity.append(NamedPolicy(short, managed[arn]))
            evaluated.append(short)
        else:
            unknown.append(f"AWS managed policy {short} ({why}). {aws_fix}")
    for reference in permission_set.customer_managed_policies:
        unknown.append(
            f"customer managed policy {reference.path}{reference.name} (no document in the config: "
            f"{customer_fix})"
        )
    boundary = None
    if permission_set.permissions_boundary is not None:
        boundary_arn = permission_set.permissions_boundary.aws_managed_policy_arn
        customer = permission_set.permissions_boundary.customer_managed_policy
        if boundary_arn and boundary_arn in managed:
            boundary = NamedPolicy(f"boundary {boundary_arn.rsplit('/', 1)[-1]}", managed[boundary_arn])
        # A boundary only restricts: every deny the canary expects holds without its document, so one it
        # cannot read is a stated limit (the allows of one's own work are unproven), not an unknown leak.
        restricts = "a boundary only restricts: every denial above holds without it; the allows are unproven"
        if boundary_arn and boundary_arn not in managed:
            not_checked.append(f"permissions boundary {boundary_arn.rsplit('/', 1)[-1]} ({why}; {restricts})")
        elif customer is not None:
            not_checked.append(
                f"permissions boundary {customer.path}{customer.name} (no document in the config; "
                f"{restricts})"
            )
    return SetPolicies(tuple(identity), boundary, tuple(evaluated), tuple(not_checked), tuple(unknown))


def _arn(template: str, team: str, account: str, region: str) -> str:
    team_hex = "".join(f"{ord(c):02x}" for c in team)[:16]
    return template.format(team=team, team_hex=team_hex, account=account, region=region)


def _context(
    principal_arn: str,
    region: str,
    tag_key: str,
    action: str,
    *,
    principal_tag: str | None = None,
    resource_tag: str | None = None,
    request_tag: str | None = None,
    tag_keys: tuple[str, ...] = (),
    second_key: bool = False,
    passed_to: str | None = None,
) -> dict[str, tuple[str, ...]]:
    context: dict[str, tuple[str, ...]] = {
        "aws:PrincipalARN": (principal_arn,),
        "aws:RequestedRegion": (region,),
        # A session issued now: after any revocation cutoff in the past.
        "aws:TokenIssueTime": ("2030-01-01T00:00:00Z",),
        # What every SDK and the console send: TLS.
        "aws:SecureTransport": ("true",),
    }
    if action == "s3:PutObject":
        # An upload as a client configured for the bucket's encryption sends it.
        context["s3:x-amz-server-side-encryption"] = ("AES256",)
    if principal_tag is not None:
        context[f"aws:PrincipalTag/{tag_key}"] = (principal_tag,)
    if resource_tag is not None:
        context[f"aws:ResourceTag/{tag_key}"] = (resource_tag,)
    if request_tag is not None:
        context[f"aws:RequestTag/{tag_key}"] = (request_tag,)
        tag_keys = tag_keys or (tag_key,)
    if second_key:
        context[f"aws:RequestTag/{SECOND_TAG_KEY}"] = (SECOND_TAG_VALUE,)
        tag_keys = (*tag_keys, SECOND_TAG_KEY)
    if tag_keys:
        context["aws:TagKeys"] = tuple(sorted(set(tag_keys)))
    if passed_to is not None:
        context["iam:PassedToService"] = (passed_to,)
    return context


_KINDS = {(p.service, p.kind): p for p in RESOURCE_PROBES}
LAUNCH = "ec2:RunInstances"


def create_arn(action: str, name: str, account: str, region: str, catalogue: ActionCatalogue | None) -> str:
    """The ARN a create request is authorized against: the new resource's, in the account, in the real
    form of the type the action creates (the first required type whose row takes request tags, else the
    first required type; from the catalogue). Without a catalogue entry, a placeholder (the claim says so)."""
    info = catalogue.action(action) if catalogue is not None else None
    service = action.split(":", 1)[0].lower()
    kinds = [*(info.request_tag_types if info else ()), *(info.required if info else ())]
    created = next((k for k in kinds if info is not None and k in info.required), None)
    if created is not None and (service, created) in _KINDS:
        return _arn(_KINDS[(service, created)].template, f"new-{name}", account, region)
    if created is not None and catalogue is not None:
        found = catalogue.arn(service, created, f"new-{name}", account, region)
        if found is not None:
            return found
    return f"arn:aws:{service}:{region}:{account}:new/{name}"


def _tag_actions(service: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return TAG_ACTIONS.get(service, ((), ()))


def generate_cases(
    set_name: str,
    permission_set: PermissionSetConfig,
    teams: Mapping[str, str],
    account_id: str,
    region: str,
    *,
    sessions: Iterable[str] | None = None,
    tag_key: str | None = None,
    create_actions: Sequence[str] = (),
    catalogue: ActionCatalogue | None = None,
) -> list[CanaryCase]:
    """Every request of the canary for one set in one account, for the teams in `sessions` (default
    all) against every other team (see the module docstring). A set without ABAC is asked with
    `tag_key` and the ABAC sets' `create_actions`."""
    abac = permission_set.abac
    if abac is None and tag_key is None:
        return []
    key = abac.tag_key if abac is not None else str(tag_key)
    is_abac = abac is not None
    services = sorted(abac.services) if abac is not None else sorted({p.service for p in RESOURCE_PROBES})
    probes = [p for p in RESOURCE_PROBES if p.service in services]
    passed_to = sorted(PASS_ROLE_SERVICES[s] for s in services if s in PASS_ROLE_SERVICES)
    create_actions = sorted(abac.create_actions if abac is not None else set(create_actions))
    role = f"AWSReservedSSO_{set_name}_0123456789abcdef"
    role_arn = f"arn:aws:iam::{account_id}:role/aws-reserved/sso.amazonaws.com/{region}/{role}"
    cases: list[CanaryCase] = []

    def add(team: str, other: str, probe: str, action: str, resource: str, **tags: Any) -> None:
        bucket_abac = bool(tags.pop("bucket_abac", True))
        allowed = probe in ALLOWED_PROBES
        listed = probe == "read-other" and not is_abac
        context = _context(role_arn, region, key, action, **tags)
        # S3 reads a general purpose bucket's tags only with ABAC enabled on it: the documented
        # precondition (README) holds for every probe but `own-abac-off`, which shows what it buys.
        request = as_s3_authorizes(Request(action, resource, context), bucket_abac)
        cases.append(
            CanaryCase(set_name, team, other, account_id, probe, request, allowed, listed)
        )  # fmt: skip

    for team in sorted(teams if sessions is None else sessions):
        value = teams[team]
        if is_abac:
            _own_cases(
                add, team, value, probes, create_actions, passed_to, abac, account_id, region, catalogue
            )
        for other, other_value in sorted(teams.items()):
            if other == team:
                continue
            mine = {"principal_tag": value}
            for probe in probes:
                theirs = _arn(probe.template, other_value, account_id, region)
                add(team, other, "other", probe.write, theirs, **mine, resource_tag=other_value)
                if probe.read:
                    add(team, other, "read-other", probe.read, theirs, **mine, resource_tag=other_value)
                if (probe.service, probe.kind) in UNTAGGABLE_KINDS:
                    continue
                tag, untag = _tag_actions(probe.service)
                for action in tag:
                    for name, second in (("retag-other", False), ("retag-other-2keys", True)):
                        add(team, other, name, action, theirs, **mine, resource_tag=other_value,
                            request_tag=value, second_key=second)  # fmt: skip
                for action in untag:
                    for name, keys in (("untag-other", (key,)), ("untag-other-2keys", (key, SECOND_TAG_KEY))):
                        add(team, other, name, action, theirs, **mine, resource_tag=other_value,
                            tag_keys=keys)  # fmt: skip
            their_role = f"arn:aws:iam::{account_id}:role/{other_value}-runtime"
            for service in passed_to or sorted(PASS_ROLE_SERVICES.values()):
                add(team, other, "passrole-other", "iam:PassRole", their_role, **mine,
                    resource_tag=other_value, passed_to=service)  # fmt: skip
            for action in create_actions:
                resource = create_arn(action, other_value, account_id, region, catalogue)
                add(team, other, "create-other", action, resource, **mine, request_tag=other_value)
                add(team, other, "create-other-2keys", action, resource, **mine, request_tag=other_value,
                    second_key=True)  # fmt: skip
            if LAUNCH in create_actions and catalogue is not None:
                # RunInstances is authorized per resource it uses (EC2 User Guide, "Launch instances"): a
                # security group carries a network identity, a snapshot another team's data. The
                # reference's rows for those types list aws:ResourceTag and no aws:RequestTag, so the
                # request for that resource carries the used resource's tag and not the new instance's.
                for kind in ("security-group", "snapshot"):
                    used = catalogue.arn("ec2", kind, f"{kind}-{other_value}", account_id, region)
                    if used is not None:
                        add(team, other, "launch-other", LAUNCH, used, **mine, resource_tag=other_value)
            add(team, other, "retag-self", "iam:TagRole", role_arn, **mine, request_tag=other_value)
            add(team, other, "retag-self", "sts:TagSession", role_arn, **mine, request_tag=other_value)
            if is_abac:
                for probe in probes:
                    if (probe.service, probe.kind) in UNTAGGABLE_KINDS:
                        continue
                    own = _arn(probe.template, value, account_id, region)
                    for action in _tag_actions(probe.service)[0]:
                        add(team, other, "give-away", action, own, **mine, resource_tag=value,
                            request_tag=other_value)  # fmt: skip
        for action in create_actions:
            resource = create_arn(action, "untagged", account_id, region, catalogue)
            add(team, "", "create-untagged", action, resource, principal_tag=value)
    return _unique(cases)


def _own_cases(
    add: Any,
    team: str,
    value: str,
    probes: Sequence[ResourceProbe],
    create_actions: Sequence[str],
    passed_to: Sequence[str],
    abac: Any,
    account_id: str,
    region: str,
    catalogue: ActionCatalogue | None,
) -> None:
    """An ABAC set's probes on the team's own and untagged resources, and from a session without the tag."""
    for probe in probes:
        own = _arn(probe.template, value, account_id, region)
        add(team, team, "own", probe.write, own, principal_tag=value, resource_tag=value)
        if probe.service == "s3":
            add(
                team,
                team,
                "own-abac-off",
                probe.write,
                own,
                bucket_abac=False,
                principal_tag=value,
                resource_tag=value,
            )
        untagged = _arn(probe.template, "untagged", account_id, region)
        add(team, "", "untagged", probe.write, untagged, principal_tag=value)
        add(team, team, "no-tag", probe.write, own, resource_tag=value)
        if (probe.service, probe.kind) not in UNTAGGABLE_KINDS:
            for action in _tag_actions(probe.service)[1]:
                add(team, team, "untag-own", action, own, principal_tag=value, resource_tag=value,
                    tag_keys=(abac.tag_key,))  # fmt: skip
    own_role = f"arn:aws:iam::{account_id}:role/{value}-runtime"
    if catalogue is not None and catalogue.source:
        # A resource policy naming another team's role, or a policy on the team's own role (which it may
        # pass to compute), reaches past ABAC: derived from the reference's access levels, not from the
        # template's RESOURCE_POLICY_ACTIONS, which is what this probe tests.
        for probe in probes:
            own = _arn(probe.template, value, account_id, region)
            for action in catalogue.permissions_management(probe.service, probe.kind):
                add(team, team, "manage-own", action, own, principal_tag=value, resource_tag=value)
        for action in catalogue.permissions_management("iam", "role"):
            add(team, team, "manage-own", action, own_role, principal_tag=value, resource_tag=value)
    for service in passed_to:
        add(team, team, "passrole-own", "iam:PassRole", own_role, principal_tag=value, resource_tag=value,
            passed_to=service)  # fmt: skip
    for action in create_actions:
        resource = create_arn(action, value, account_id, region, catalogue)
        add(team, team, "create-own", action, resource, principal_tag=value, request_tag=value)
        add(team, team, "create-own-2keys", action, resource, principal_tag=value, request_tag=value,
            second_key=True)  # fmt: skip
        add(team, team, "no-tag", action, resource, request_tag=value)
    if LAUNCH in create_actions and catalogue is not None:
        # The resources a launch uses and does not create (contracts.SUPPORTING_RESOURCES): one's own
        # security group and an untagged one; a subnet, AMI and key pair, untagged (each row of the
        # reference lists aws:ResourceTag, no aws:RequestTag: see launch-other).
        for kind, tag in (("security-group", value), ("security-group", None), ("subnet", None),
                          ("image", None), ("key-pair", None)):  # fmt: skip
            used = catalogue.arn("ec2", kind, f"{kind}-{tag or 'untagged'}", account_id, region)
            if used is not None:
                add(team, team if tag else "", "launch-own", LAUNCH, used, principal_tag=value,
                    resource_tag=tag)  # fmt: skip
    for action in sorted(abac.read_only_actions):
        add(team, "", "no-tag", action.replace("*", "Instances"), "*")


@dataclass(frozen=True)
class NamedActions:
    """The actions a set's inline policy allows, per resource type the canary models, and the rest."""

    by_kind: Mapping[tuple[str, str], tuple[ActionInfo, ...]]
    not_checked: tuple[str, ...]  # actions on no resource type the canary models (the claim's boundary)
    unknown: tuple[str, ...] = ()  # what could not be enumerated at all


def named_actions(
    document: Mapping[str, Any] | None, catalogue: ActionCatalogue | None, covered: Iterable[str] = ()
) -> NamedActions:
    """Every action the Allow statements of `document` name (wildcards expanded through the catalogue)
    on each resource type of RESOURCE_PROBES it applies to. `covered` (creates, PassRole) have probes
    of their own. What cannot be asked is named: a service the catalogue lacks, an action on no
    modelled resource type, a NotAction statement, everything when there is no catalogue."""
    if document is None:
        return NamedActions({}, ())
    raw = document.get("Statement", [])
    statements = [raw] if isinstance(raw, Mapping) else list(raw)
    allows = [st for st in statements if isinstance(st, Mapping) and st.get("Effect") == "Allow"]
    if not allows:
        return NamedActions({}, ())
    if catalogue is None or not catalogue.source:
        return NamedActions({}, (), (f"the actions its inline policy names ({NO_CATALOGUE})",))
    skip = {name.lower() for name in covered}
    by_kind: dict[tuple[str, str], dict[str, ActionInfo]] = {}
    not_checked: list[str] = []
    unknown: list[str] = []
    for index, statement in enumerate(allows):
        if "Action" not in statement:
            unknown.append(
                f"the NotAction of its statement {statement.get('Sid') or index} (not enumerated). Fix: "
                "name the actions it allows"
            )
            continue
        patterns = [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
        for pattern in patterns:
            infos = catalogue.expand(str(pattern))
            if infos is None:
                unknown.append(
                    f"{pattern} (no such service in {catalogue.source}). Fix: correct the action's "
                    "service, or remove it"
                )
                continue
            infos = [info for info in infos if info.name.lower() not in skip]
            unmodelled = []
            for info in infos:
                kinds = [k for k in info.resource_types if (info.service, k) in _KINDS]
                for kind in kinds:
                    by_kind.setdefault((info.service, kind), {})[info.name] = info
                if not kinds:
                    unmodelled.append(info)
            if not unmodelled:
                continue
            if "*" in pattern or "?" in pattern:
                not_checked.append(
                    f"{len(unmodelled)} of the {len(infos)} actions {pattern} names (on no resource type "
                    "the canary models)"
                )
            else:
                types = ", ".join(unmodelled[0].resource_types) or "no resource"
                not_checked.append(f"{pattern} (on {types}: no resource type the canary models)")
    return NamedActions(
        {
            kind: tuple(sorted(found.values(), key=lambda i: i.name))
            for kind, found in sorted(by_kind.items())
        },
        tuple(dict.fromkeys(not_checked)),
        tuple(dict.fromkeys(unknown)),
    )


def _glob_action(pattern: str, action: str) -> bool:
    return (
        re.fullmatch(
            "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern),
            action,
            re.IGNORECASE,
        )
        is not None
    )


def named_cases(
    set_name: str,
    named: NamedActions,
    teams: Mapping[str, str],
    sessions: Iterable[str],
    tag_key: str,
    is_abac: bool,
    policies: Sequence[NamedPolicy],
    account_id: str,
    region: str,
    navigation: Sequence[str] = (),
) -> list[CanaryCase]:
    """The named actions asked of every other team's resource of each type: one action per group the
    policies cannot tell apart (same statements name it: same decision). Listed, not judged (reach the
    config grants on purpose): the reads of a set without ABAC, and the reads an ABAC set's
    `readOnlyActions` (`navigation`) name, which take no tag condition. Everything else: denied."""
    role = f"AWSReservedSSO_{set_name}_0123456789abcdef"
    role_arn = f"arn:aws:iam::{account_id}:role/aws-reserved/sso.amazonaws.com/{region}/{role}"
    asked: list[tuple[ResourceProbe, ActionInfo]] = []
    for kind, infos in named.by_kind.items():
        groups: dict[tuple[object, ...], ActionInfo] = {}
        for info in infos:
            # The context differs by action only for an S3 upload (its encryption header).
            marker = (
                info.reads,
                info.name.lower() == "s3:putobject",
                any(_glob_action(pattern, info.name) for pattern in navigation),
                action_signature(info.name, policies),
            )
            groups.setdefault(marker, info)
        asked += [(_KINDS[kind], info) for info in groups.values()]
    cases = []
    for team in sorted(sessions):
        for other, other_value in sorted(teams.items()):
            if other == team:
                continue
            for probe, info in asked:
                theirs = _arn(probe.template, other_value, account_id, region)
                context = _context(role_arn, region, tag_key, info.name, principal_tag=teams[team],
                                   resource_tag=other_value)  # fmt: skip
                request = as_s3_authorizes(Request(info.name, theirs, context), True)
                name = "named-read-other" if info.reads else "named-other"
                listed = info.reads and (
                    not is_abac or any(_glob_action(pattern, info.name) for pattern in navigation)
                )
                cases.append(CanaryCase(set_name, team, other, account_id, name, request, False, listed,
                                        kind=f"{probe.service} {probe.kind}"))  # fmt: skip
    return cases


def org_grant_cases(
    set_name: str, group: str, teams: Mapping[str, str], tag_key: str, account_id: str, region: str
) -> list[CanaryCase]:
    """An org grant's members are not a team: its reads and writes of each resource type of every
    team are listed."""
    role = f"AWSReservedSSO_{set_name}_0123456789abcdef"
    role_arn = f"arn:aws:iam::{account_id}:role/aws-reserved/sso.amazonaws.com/{region}/{role}"
    cases = []
    for team, value in sorted(teams.items()):
        for probe in RESOURCE_PROBES:
            theirs = _arn(probe.template, value, account_id, region)
            for name, action in (("other", probe.write), ("read-other", probe.read)):
                if not action:
                    continue
                context = _context(role_arn, region, tag_key, action, resource_tag=value)
                request = Request(action, theirs, context)
                cases.append(CanaryCase(set_name, group, team, account_id, name, request, False, True, group))
    return cases


def _unique(cases: Iterable[CanaryCase]) -> list[CanaryCase]:
    seen: dict[tuple[object, ...], CanaryCase] = {}
    for case in cases:
        marker = (
            case.team, case.other, case.probe, case.request.action, case.request.resource,
            tuple(sorted(case.request.context.items())),
        )  # fmt: skip
        seen.setdefault(marker, case)
    return list(seen.values())


# AWS attaches FullAWSAccess to the root, every OU and every account when SCPs are enabled; the estate
# does not list it, so every level is assumed to keep it (without it nothing would be allowed there).
FULL_AWS_ACCESS = NamedPolicy(
    "FullAWSAccess",
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
)


def scp_chains(snapshot: OrgSnapshot, scps: Sequence[ScpPlan], accounts: Iterable[Account]) -> list[ScpChain]:
    """One chain per distinct set of SCPs above the accounts (the first account by id stands for it)."""
    attached: dict[str, list[NamedPolicy]] = {}
    for plan in scps:
        policy = NamedPolicy(plan.policy_name, json.loads(plan.content))
        for target in plan.targets:
            attached.setdefault(target.id, []).append(policy)
    chains: dict[tuple[tuple[str, ...], ...], ScpChain] = {}
    for account in sorted(accounts, key=lambda a: a.id):
        nodes = (snapshot.root_id, *account.ou_ids, account.id)
        levels = tuple((FULL_AWS_ACCESS, *attached.get(node, ())) for node in nodes)
        marker = tuple(tuple(p.name for p in level) for level in levels)
        chains.setdefault(marker, ScpChain(account.id, levels))
    return list(chains.values())


def _tag_key(config: StackConfig) -> str:
    """The ABAC key non-ABAC sets are probed with: the ABAC sets' (the first by name), else `team`."""
    keys = [ps.abac.tag_key for ps in abac_permission_sets(config).values() if ps.abac is not None]
    return keys[0] if keys else "team"


def run_canary(
    config: StackConfig,
    chains: Mapping[str, Sequence[ScpChain]],
    region: str | None = None,
    managed: Mapping[str, Mapping[str, Any]] | None = None,
    managed_source: str = "",
    accounts: Mapping[str, int] | None = None,
    catalogue: ActionCatalogue | None = None,
) -> CanaryRun:
    """Every team x every set its groups hold (every ABAC set for every team) x every other team, in
    each distinct SCP chain of the set; org grants' reach on a team's resources, listed.

    `accounts` (from the plan): set name -> the accounts teams hold it on, `org:<group>` -> the
    accounts an org grant reaches. Given, an org grant on no account (expired) is left out."""
    region = region or config.organization.region
    managed = managed or {}
    sets = checked_permission_sets(config)
    policies = {name: set_policies(name, ps, managed, managed_source) for name, ps in sets.items()}
    all_creates = sorted(
        {a for ps in abac_permission_sets(config).values() if ps.abac for a in ps.abac.create_actions}
    )
    named = {
        name: named_actions(inline_policy_document(ps), catalogue, [*all_creates, "iam:PassRole"])
        for name, ps in sets.items()
    }
    placeholder = (
        ()
        if catalogue is not None and catalogue.source
        else (f"the ARNs of create requests ({NO_CATALOGUE})",)
    )
    managing = (
        ()
        if catalogue is not None and catalogue.source
        else (f"the Permissions management requests on its own resources and role ({NO_CATALOGUE})",)
    )
    policies = {
        name: replace(
            p,
            not_checked=(*p.not_checked, *named[name].not_checked),
            unknown=(
                *p.unknown,
                *named[name].unknown,
                *(placeholder if all_creates else ()),
                *(managing if sets[name].abac is not None else ()),
            ),
        )
        for name, p in policies.items()
    }
    default_key = _tag_key(config)
    keys = sorted({ps.abac.tag_key for ps in sets.values() if ps.abac is not None} | {default_key})
    tags = {key: team_tags(config, key) for key in keys}
    in_force = {
        group: grant
        for group, grant in sorted(config.org_grants.items())
        if grant.permission_set in sets and (accounts is None or accounts.get(f"org:{group}", 0) > 0)
    }
    # An org grant whose members rule pins one team's tag value is that team's grant: judged as one
    # (the team's sets against every other team), not listed as reach on purpose.
    team_org_grants = {
        group: team
        for group, grant in in_force.items()
        if (team := pinned_team(grant.members, tags[default_key])) is not None
    }
    held = {
        name: tuple(
            sorted(
                {
                    *t.grants,
                    *(in_force[g].permission_set for g, pinned in team_org_grants.items() if pinned == name),
                }
            )
        )
        for name, t in sorted(config.teams.items())
    }
    org_grants = {
        group: grant.permission_set for group, grant in in_force.items() if group not in team_org_grants
    }
    abac_keys = {name: ps.abac.tag_key for name, ps in sets.items() if ps.abac is not None}
    failures = [
        failure
        for key in keys
        for failure in chain_failures(
            config, tags[key], {t for t, names in held.items() if any(abac_keys.get(n) == key for n in names)}
        )
    ]
    results: list[CanaryResult] = []
    for set_name, permission_set in sets.items():
        key = permission_set.abac.tag_key if permission_set.abac is not None else default_key
        # A team whose value is unknown is no ABAC session (its failure is the chain's); its resources
        # are labelled with its name, which is all an `other` probe needs: a value not the session's.
        teams = {**{team: team for team in tags[key].unknown}, **tags[key].values}
        if permission_set.abac is not None:
            sessions = sorted(tags[key].values)
        else:
            sessions = [team for team in sorted(teams) if set_name in held.get(team, ())]
        checked = policies[set_name]
        for chain in chains.get(set_name) or (ScpChain(NO_ACCOUNT, ()),):
            cases = generate_cases(
                set_name, permission_set, teams, chain.account_id, region,
                sessions=sessions, tag_key=key, create_actions=all_creates, catalogue=catalogue,
            )  # fmt: skip
            everything = [*checked.identity, *(p for level in chain.levels for p in level)]
            everything += [checked.boundary] if checked.boundary is not None else []
            navigation = sorted(permission_set.abac.read_only_actions) if permission_set.abac else []
            cases += named_cases(
                set_name, named[set_name], teams, sessions, key, permission_set.abac is not None,
                everything, chain.account_id, region, navigation,
            )  # fmt: skip
            cases += [
                case
                for group, name in org_grants.items()
                if name == set_name
                for case in org_grant_cases(set_name, group, teams, key, chain.account_id, region)
            ]
            for case in cases:
                evaluation = evaluate(case.request, checked.identity, chain.levels, checked.boundary)
                results.append(CanaryResult(case, evaluation))
    return CanaryRun(
        results,
        policies,
        tuple(sorted(config.teams)),
        held,
        org_grants,
        managed_source,
        {name: len(chains.get(name) or ()) for name in sets},
        dict(accounts or {}),
        tuple(tags[key] for key in keys if any(ps.abac and ps.abac.tag_key == key for ps in sets.values())),
        tuple(failures),
        team_org_grants,
    )


_KIND_OF_ACTION = {a: f"{p.service} {p.kind}" for p in RESOURCE_PROBES for a in (p.write, p.read) if a}


def _names(items: Iterable[str]) -> str:
    ordered = list(items)
    return ", ".join(ordered) if ordered else "none"


def _phrases(probes: Iterable[str]) -> str:
    asked = set(probes)
    return "; ".join(PROBES[p] for p in PROBES if p in asked)


def claim(run: CanaryRun) -> list[str]:
    """What the canary checked, word for word from the cases it ran and the policies it evaluated."""
    judged = [r for r in run.results if not r.case.listed]
    teams = sorted({r.case.team for r in judged})
    lines = [
        f"Checked {len(judged)} requests: each of {len(teams)} teams ({', '.join(teams)}) "
        "against each other team."
    ]
    for name, policies in sorted(run.sets.items()):
        mine = [r for r in judged if r.case.permission_set == name]
        if not mine:
            continue
        sessions = sorted({r.case.team for r in mine})
        holders = sorted(t for t, sets in run.held.items() if name in sets)
        source = f" ({run.managed_source})" if policies.managed else ""
        inline = "yes" if any(p.name == name for p in policies.identity) else "none"
        boundary = policies.boundary.name.removeprefix("boundary ") if policies.boundary else "none"
        lines.append(
            f"- {name}: held by {len(holders)} teams, asked for {len(sessions)}, "
            f"in {run.chains.get(name) or 1} SCP chains; inline policy {inline}; "
            f"AWS managed policies {_names(policies.managed)}{source}; permissions boundary {boundary}."
        )
        denied = [r.case.probe for r in mine if not r.case.expect_allowed]
        allowed = [r.case.probe for r in mine if r.case.expect_allowed]
        lines.append(f"  Denies: {_phrases(denied)}.")
        if allowed:
            lines.append(f"  Allows: {_phrases(allowed)}.")
        kinds = sorted(
            {r.case.kind or _KIND_OF_ACTION[r.case.request.action] for r in mine
             if r.case.kind or r.case.request.action in _KIND_OF_ACTION}
        )  # fmt: skip
        lines.append(f"  On: {', '.join(kinds)}.")
    for tags in run.tags:
        unknown = (
            f"; not pinned, so no ABAC session: {', '.join(sorted(tags.unknown))}" if tags.unknown else ""
        )
        lines.append(
            f"Tag chain of {tags.tag_key!r} (Okta {tags.source.strip()}): pinned by the members rules of "
            f"{len(tags.values)} teams{unknown}."
        )
    if run.team_org_grants:
        pinned = ", ".join(f"{group} ({team})" for group, team in sorted(run.team_org_grants.items()))
        lines.append(
            f"Org grants whose members rule pins one team's tag value, judged as that team's grant: {pinned}."
        )
    lines.append(f"Could not evaluate (unknown, so the canary fails): {_names(run.unknown)}.")
    not_checked = sorted({f"{name}: {what}" for name, p in run.sets.items() for what in p.not_checked})
    lines.append(f"Not checked (outside the claim): {_names(not_checked)}.")
    lines.append("Cross-team reach the config grants on purpose (listed, not judged):")
    reach = _reach(run.results, run.accounts)
    lines += reach or ["- none"]
    return lines


def _reach(results: Iterable[CanaryResult], accounts: Mapping[str, int]) -> list[str]:
    """The listed requests that were allowed, per set and holder: what each reaches of other teams
    (an org grant: of which of the teams it was asked about)."""
    found: dict[tuple[str, str], dict[str, set[str]]] = {}
    holders: dict[tuple[str, str], set[str]] = {}
    asked: dict[tuple[str, str], set[str]] = {}
    reached: dict[tuple[str, str], set[str]] = {}
    for result in results:
        case = result.case
        if not case.listed:
            continue
        holder = f"org grant {case.org_grant}" if case.org_grant else "its teams"
        asked.setdefault((case.permission_set, holder), set()).add(case.other)
        if not result.evaluation.allowed:
            continue
        verb = "reads" if case.probe in ("read-other", "named-read-other") else "writes"
        found.setdefault((case.permission_set, holder), {}).setdefault(verb, set()).add(
            case.kind or _KIND_OF_ACTION.get(case.request.action, case.request.action)
        )
        holders.setdefault((case.permission_set, holder), set()).add(case.team)
        reached.setdefault((case.permission_set, holder), set()).add(case.other)
    lines = []
    for (name, holder), verbs in sorted(found.items()):
        team_held = holder == "its teams"
        who = f"{len(holders[(name, holder)])} teams" if team_held else holder
        where = accounts.get(name if team_held else f"org:{holder.removeprefix('org grant ')}")
        if where is not None:
            who += f", on {where} accounts"
        what = "; ".join(f"{verb} {', '.join(sorted(kinds))}" for verb, kinds in sorted(verbs.items()))
        if team_held:
            whom = "every other team"
        elif reached[(name, holder)] == asked[(name, holder)]:
            whom = "every team"
        else:
            whom = ", ".join(sorted(reached[(name, holder)]))
        lines.append(f"- {name} ({who}): {what} of {whom}.")
    return lines
