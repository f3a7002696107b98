"""The ABAC canary: every team against every other team, through the real documents, offline.

For each ABAC permission set, each team A (with the session tag Okta would set for its members) and
each other team B, it generates the requests the reference architecture's "canary user per team"
would make and the answer each must get:

- `own`: a write on A's tagged resource, allowed; for S3, on a bucket with ABAC enabled (the
  documented precondition: S3 reads a bucket's tags only then), and `own-abac-off`: the same write on a
  bucket without it, denied (frontdoor/domain/proof/s3_bucket_abac.py);
- `other`: the same write on B's resource, denied;
- `untagged`: the write on a resource without the tag, denied;
- `create-own` / `create-other`: each create action tagging the new resource A (allowed) or B (denied);
- `retag-other`: re-tagging B's resource as A's, denied;
- `no-tag`: a session without the tag (a broken attribute chain) reaches nothing: A's resource, the
  navigation actions and creating are all denied.

Every request is evaluated with the service control policies attached above the target account (an
SCP deny wins; every level must allow) by frontdoor.domain.proof.iam_evaluator. Pure: the command wires it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from frontdoor.domain.documents.inline_policy import inline_policy_document
from frontdoor.domain.model.permission_sets import PermissionSetConfig
from frontdoor.domain.model.stack import StackConfig
from frontdoor.domain.planning.guardrails import ScpPlan
from frontdoor.domain.planning.organization import Account, OrgSnapshot
from frontdoor.domain.proof.iam_evaluator import Evaluation, NamedPolicy, Request, evaluate
from frontdoor.domain.proof.s3_bucket_abac import as_s3_authorizes

# Service prefix -> (a write on an existing resource, its ARN template). `{team}` names the owner.
WRITE_PROBES: dict[str, tuple[str, str]] = {
    "cloudwatch": ("cloudwatch:PutMetricAlarm", "arn:aws:cloudwatch:{region}:{account}:alarm:{team}-errors"),
    "dynamodb": ("dynamodb:PutItem", "arn:aws:dynamodb:{region}:{account}:table/{team}-orders"),
    "ec2": ("ec2:StopInstances", "arn:aws:ec2:{region}:{account}:instance/i-0{team_hex}"),
    "ecr": ("ecr:PutImage", "arn:aws:ecr:{region}:{account}:repository/{team}-app"),
    "ecs": ("ecs:UpdateService", "arn:aws:ecs:{region}:{account}:service/{team}-cluster/{team}-api"),
    "lambda": ("lambda:UpdateFunctionCode", "arn:aws:lambda:{region}:{account}:function:{team}-handler"),
    "logs": ("logs:PutRetentionPolicy", "arn:aws:logs:{region}:{account}:log-group:/{team}/app"),
    "s3": ("s3:PutObject", "arn:aws:s3:::{team}-artifacts-{account}/build.zip"),
    "sns": ("sns:Publish", "arn:aws:sns:{region}:{account}:{team}-events"),
    "sqs": ("sqs:SendMessage", "arn:aws:sqs:{region}:{account}:{team}-jobs"),
}
# Service prefix -> its tag action, used on the write probe's resource for `retag-other`.
RETAG_PROBES: dict[str, str] = {
    "dynamodb": "dynamodb:TagResource",
    "ec2": "ec2:CreateTags",
    "lambda": "lambda:TagResource",
    "sqs": "sqs:TagQueue",
}
_TAG_KEYS = ("aws:PrincipalTag/", "aws:ResourceTag/", "aws:RequestTag/", "aws:TagKeys")
NO_ACCOUNT = "111111111111"  # a set granted nowhere is still checked, without SCPs
_EQUALS = r'user\.{attribute}\s*==\s*"([^"]+)"'


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
    probe: str  # own | own-abac-off | other | untagged | create-own | create-other | retag-other | no-tag
    request: Request
    expect_allowed: bool


@dataclass(frozen=True)
class CanaryResult:
    case: CanaryCase
    evaluation: Evaluation

    @property
    def passed(self) -> bool:
        return self.evaluation.allowed == self.case.expect_allowed

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


def team_tag_values(config: StackConfig, tag_key: str) -> dict[str, str]:
    """Team -> the tag value its members carry: the `user.<attr> == "<value>"` of its members rule.

    `<attr>` is the Okta attribute the ABAC key is read from (okta.abacAttributes). A team whose rule
    does not pin it gets its own name, which is what the demo's HR feed sets.
    """
    source = config.okta.abac_attributes.get(tag_key, f"user.{tag_key}")
    match = re.fullmatch(r"\s*user\.([A-Za-z][A-Za-z0-9_]*)\s*", source)
    pattern = re.compile(_EQUALS.format(attribute=match.group(1))) if match else None
    values = {}
    for name, team in sorted(config.teams.items()):
        found = pattern.search(team.members) if pattern else None
        values[name] = found.group(1) if found else name
    return values


def abac_permission_sets(config: StackConfig) -> dict[str, PermissionSetConfig]:
    return {name: ps for name, ps in sorted(config.permission_sets.items()) if ps.abac is not None}


def _arn(template: str, team: str, account: str, region: str) -> str:
    team_hex = "".join(f"{ord(c):02x}" for c in team)[:16]
    return template.format(team=team, team_hex=team_hex, account=account, region=region)


def _context(
    principal_arn: str,
    region: str,
    tag_key: str,
    *,
    principal_tag: str | None = None,
    resource_tag: str | None = None,
    request_tag: str | None = None,
) -> dict[str, tuple[str, ...]]:
    context: dict[str, tuple[str, ...]] = {
        "aws:PrincipalARN": (principal_arn,),
        "aws:RequestedRegion": (region,),
        # A session issued now: after any revocation cutoff in the past.
        "aws:TokenIssueTime": ("2030-01-01T00:00:00Z",),
    }
    if principal_tag is not None:
        context[f"aws:PrincipalTag/{tag_key}"] = (principal_tag,)
    if resource_tag is not None:
        context[f"aws:ResourceTag/{tag_key}"] = (resource_tag,)
    if request_tag is not None:
        context[f"aws:RequestTag/{tag_key}"] = (request_tag,)
        context["aws:TagKeys"] = (tag_key,)
    return context


def generate_cases(
    set_name: str, permission_set: PermissionSetConfig, teams: Mapping[str, str], account_id: str, region: str
) -> list[CanaryCase]:
    """Every request of the canary for one ABAC set in one account (see the module docstring)."""
    abac = permission_set.abac
    if abac is None:
        return []
    key = abac.tag_key
    role = f"AWSReservedSSO_{set_name}_0123456789abcdef"
    principal_arn = f"arn:aws:iam::{account_id}:role/aws-reserved/sso.amazonaws.com/{region}/{role}"
    services = [s for s in abac.services if s in WRITE_PROBES]
    cases: list[CanaryCase] = []

    def add(
        team: str,
        other: str,
        probe: str,
        action: str,
        resource: str,
        allowed: bool,
        bucket_abac: bool = True,
        **tags: str,
    ) -> None:
        context = _context(principal_arn, region, key, **tags)
        request = as_s3_authorizes(Request(action, resource, context), bucket_abac)
        cases.append(CanaryCase(set_name, team, other, account_id, probe, request, allowed))

    for team, value in sorted(teams.items()):
        for service in services:
            action, template = WRITE_PROBES[service]
            own = _arn(template, value, account_id, region)
            add(team, team, "own", action, own, True, principal_tag=value, resource_tag=value)
            if service == "s3":
                add(
                    team, team, "own-abac-off", action, own, False, bucket_abac=False,
                    principal_tag=value, resource_tag=value,
                )  # fmt: skip
            add(
                team,
                "",
                "untagged",
                action,
                _arn(template, "untagged", account_id, region),
                False,
                principal_tag=value,
            )
            add(team, team, "no-tag", action, own, False, resource_tag=value)
        for action in sorted(abac.create_actions):
            resource = f"arn:aws:{action.split(':')[0]}:{region}:{account_id}:new/{value}"
            add(team, team, "create-own", action, resource, True, principal_tag=value, request_tag=value)
            add(team, team, "no-tag", action, resource, False, request_tag=value)
        for action in sorted(abac.read_only_actions):
            add(team, "", "no-tag", action.replace("*", "Instances"), "*", False)
        for other, other_value in sorted(teams.items()):
            if other == team:
                continue
            for service in services:
                action, template = WRITE_PROBES[service]
                theirs = _arn(template, other_value, account_id, region)
                add(
                    team, other, "other", action, theirs, False, principal_tag=value, resource_tag=other_value
                )
                if service in RETAG_PROBES:
                    add(
                        team, other, "retag-other", RETAG_PROBES[service], theirs, False,
                        principal_tag=value, resource_tag=other_value, request_tag=value,
                    )  # fmt: skip
            for action in sorted(abac.create_actions):
                resource = f"arn:aws:{action.split(':')[0]}:{region}:{account_id}:new/{other_value}"
                add(
                    team,
                    other,
                    "create-other",
                    action,
                    resource,
                    False,
                    principal_tag=value,
                    request_tag=other_value,
                )
    return _unique(cases)


def _unique(cases: Iterable[CanaryCase]) -> list[CanaryCase]:
    seen: dict[tuple[object, ...], CanaryCase] = {}
    for case in cases:
        marker = (case.team, case.other, case.probe, case.request.action, case.request.resource)
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


def run_canary(
    config: StackConfig, chains: Mapping[str, Sequence[ScpChain]], region: str | None = None
) -> list[CanaryResult]:
    """Every ABAC set x every team x every other team, in each distinct SCP chain of the set."""
    region = region or config.organization.region
    results = []
    for set_name, permission_set in abac_permission_sets(config).items():
        document = inline_policy_document(permission_set)
        if document is None or permission_set.abac is None:
            continue
        identity = [NamedPolicy(set_name, document)]
        teams = team_tag_values(config, permission_set.abac.tag_key)
        for chain in chains.get(set_name) or (ScpChain(NO_ACCOUNT, ()),):
            for case in generate_cases(set_name, permission_set, teams, chain.account_id, region):
                results.append(CanaryResult(case, evaluate(case.request, identity, chain.levels)))
    return results
