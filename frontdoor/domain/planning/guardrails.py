"""Where each guardrail SCP attaches, resolved against the organization, and every limit checked
before anything registers: the roots and OUs of `attachTo`, the user ids of session revocation, the
rendered size of each document, and the SCPs per target (the documents are frontdoor/domain/documents/scp.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from frontdoor.domain.base.aws_ids import ACCOUNT_ID, OU_ID, ROOT_ID, USER_ID
from frontdoor.domain.base.errors import ConfigError, ConfigIssue
from frontdoor.domain.contracts import SCP_CONTENT_MAX
from frontdoor.domain.documents.render import render_policy
from frontdoor.domain.documents.scp import (
    DESCRIPTIONS,
    SCP_KINDS,
    break_glass_exemptions,
    policy_name,
    scp_document,
)
from frontdoor.domain.model.guardrails import GuardrailsConfig, ScpKind
from frontdoor.domain.model.quotas import Quotas
from frontdoor.domain.planning.organization import OrgSnapshot

ROOT_TARGET = "Root"


@dataclass(frozen=True)
class ScpTarget:
    id: str  # r-… or ou-…
    written: str  # as written under attachTo, for messages
    is_root: bool


@dataclass(frozen=True)
class ScpPlan:
    kind: ScpKind
    policy_name: str
    description: str
    content: str
    targets: tuple[ScpTarget, ...]

    def attachment_names(self) -> tuple[str, ...]:
        return tuple(f"{self.kind}/{target.id}" for target in self.targets)


def _resolve_target(
    written: str, snapshot: OrgSnapshot, where: str, source: str, issues: list[ConfigIssue]
) -> ScpTarget | None:
    if written in (ROOT_TARGET, snapshot.root_id):
        return ScpTarget(snapshot.root_id, written, True)
    if ACCOUNT_ID.accepts(written) or ROOT_ID.accepts(written):
        issues.append(
            ConfigIssue(
                source,
                where,
                written,
                "guardrails attach to the organization root or to OUs, not to single accounts or other roots",
                f'use "{ROOT_TARGET}", an OU path such as "Workloads/Prod", or an ou-… id',
            )
        )
        return None
    ou = snapshot.ou_by_id.get(written) if OU_ID.accepts(written) else snapshot.ou_by_path.get(written)
    if ou is None:
        known = ", ".join(sorted(snapshot.ou_by_path)[:12]) or "none"
        issues.append(
            ConfigIssue(
                source,
                where,
                written,
                "no OU with this " + ("id" if OU_ID.accepts(written) else "path") + " in the organization",
                f'use "{ROOT_TARGET}", an existing OU path (known: {known}) or an ou-… id',
            )
        )
        return None
    return ScpTarget(ou.id, written, False)


def plan_guardrails(
    guardrails: GuardrailsConfig, snapshot: OrgSnapshot, source: str, quotas: Quotas
) -> tuple[ScpPlan, ...]:
    """Every enabled guardrail with its rendered content and resolved targets; ConfigError otherwise."""
    issues: list[ConfigIssue] = []
    plans: list[ScpPlan] = []
    for kind in SCP_KINDS:  # declaration order: stable and independent of YAML key order
        scp = guardrails.scps.get(kind)
        if scp is None or not scp.enabled:
            continue
        where = f"frontdoor:guardrails.scps.{kind}"
        for index, user_id in enumerate(scp.revoked_user_ids):
            if not USER_ID.accepts(user_id):
                issues.append(
                    ConfigIssue(
                        source,
                        f"{where}.revokedUserIds[{index}]",
                        user_id,
                        f"not an Identity Center user id, so the deny would match nobody: {USER_ID.model()} "
                        "does not accept it",
                        USER_ID.fix,
                    )
                )
        content = render_policy(
            scp_document(
                kind,
                scp,
                break_glass_exemptions(
                    snapshot.management_account_id,
                    guardrails.break_glass_path,
                    guardrails.break_glass_user_names,
                ),
            )
        )
        if len(content) > SCP_CONTENT_MAX:
            issues.append(
                ConfigIssue(
                    source,
                    where,
                    f"{len(content)} characters",
                    f"the SCP is {len(content)} characters minified, AWS allows {SCP_CONTENT_MAX}",
                    "shorten the lists (allowedRegions, revokedUserIds) or split the guardrail",
                )
            )
        targets: dict[str, ScpTarget] = {}
        for index, written in enumerate(scp.attach_to):
            target = _resolve_target(written, snapshot, f"{where}.attachTo[{index}]", source, issues)
            if target is None:
                continue
            if target.id in targets:
                issues.append(
                    ConfigIssue(
                        source,
                        f"{where}.attachTo[{index}]",
                        written,
                        f"the same target as {targets[target.id].written!r} ({target.id})",
                        "list each root or OU once",
                    )
                )
                continue
            targets[target.id] = target
        plans.append(
            ScpPlan(
                kind,
                policy_name(kind),
                DESCRIPTIONS[kind],
                content,
                tuple(sorted(targets.values(), key=_by_id)),
            )
        )
    issues.extend(_quota_issues(plans, source, quotas))
    if issues:
        raise ConfigError(issues)
    return tuple(plans)


def _by_id(target: ScpTarget) -> str:
    return target.id


def _quota_issues(plans: list[ScpPlan], source: str, quotas: Quotas) -> list[ConfigIssue]:
    # AWS counts every SCP attached directly to a root, OU or account against its limit (5), and the
    # deny-list strategy keeps FullAWSAccess attached to each of them (removing it would deny everything,
    # and Organizations refuses to leave a target with no SCP). So at most quota - 1 of ours per target:
    # 4 by default. Inherited SCPs do not count; SCPs attached outside this stack (Control Tower, …) do,
    # which is what lowering quotas.scpsPerTarget is for.
    ours = quotas.scps_per_target - 1
    by_target: dict[str, list[ScpPlan]] = defaultdict(list)
    written: dict[str, str] = {}
    for plan in plans:
        for target in plan.targets:
            by_target[target.id].append(plan)
            written.setdefault(target.id, target.written)
    issues: list[ConfigIssue] = []
    for target_id, attached in sorted(by_target.items()):
        if len(attached) > ours:
            kinds = ", ".join(plan.kind for plan in attached)
            issues.append(
                ConfigIssue(
                    source,
                    "frontdoor:guardrails.scps",
                    written[target_id],
                    f"{len(attached)} guardrails ({kinds}) plus FullAWSAccess would be attached to "
                    f"{target_id}, the limit is {quotas.scps_per_target} SCPs per target",
                    f"attach at most {ours} guardrails to one target: move some to parent or child OUs, or "
                    "disable one",
                )
            )
    return issues
