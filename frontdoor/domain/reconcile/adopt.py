"""Adoption: the live estate mapped onto the program's resources, as an import file and a report.

Pure functions over two inputs: the PLANNED resources (what the program registers for the stack,
each with its URN, type, name, parent and provider, read from the offline engine's run) and the LIVE
estate (what the read side found in Identity Center, Organizations and IAM). For every planned
resource of an adoptable type the live object it corresponds to is looked up and given its import id
in the provider's format (frontdoor/domain/reconcile/import_ids.py); the entries, their parent
components and the provider name table make the file `pulumi import --file` reads. Every entry is checked back
against the program's URNs: one that would land on a URN the program does not register is refused.

Replacement is never an adoption outcome: a live object the plan would replace (a permission set
whose name differs, one in another Identity Center instance, a group id the estate does not know,
another delegated administrator) is a `Replacement` that stops `adopt` and says what to change in
the config. Live objects with no place in the config and planned objects missing live come from the
drift classification (frontdoor/domain/reconcile/drift.py), each out-of-config object with the config
snippet that would own it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from frontdoor.domain.base.urns import STACK_TYPE, qualified_type, stack_project_prefix
from frontdoor.domain.contracts import ACCOUNT_ASSIGNMENT, ORG_POLICY, ORG_POLICY_ATTACHMENT, PERMISSION_SET
from frontdoor.domain.reconcile import drift as kinds
from frontdoor.domain.reconcile.import_ids import (
    ADOPTABLE,
    SCP_CHANGED,
    UNVERIFIED,
    ImportIdMapper,
    LiveEstate,
    PlannedResource,
    Replacement,
    ReportItem,
    urn_for,
)

SCP_UNMANAGED = "scp-not-in-config"
RESOURCE_MISSING = "planned-resource-missing"  # a planned SCP, attachment, OIDC provider... not live


@dataclass
class Adoption:
    entries: list[dict[str, Any]]  # the import file's resources (components first)
    name_table: dict[str, str]
    items: list[ReportItem]
    replacements: list[Replacement]
    imported: int = 0  # entries with an id (not components)
    refused: list[str] = field(default_factory=list)

    def import_file(self) -> dict[str, Any]:
        return {"nameTable": dict(sorted(self.name_table.items())), "resources": self.entries}

    def count(self, kind: str) -> int:
        return sum(1 for item in self.items if item.kind == kind)


class AdoptError(Exception):
    """An entry that does not land on a URN of the program: the file would import a stranger."""


def renamed_sets(plan: kinds.Plan, live: LiveEstate, descriptions: Mapping[str, str]) -> list[Replacement]:
    """Catalogue sets missing live whose description or grants a live set outside the catalogue has.

    The permission-set name is immutable (ForceNew): adopting the live set under the catalogue's name
    would delete it and create a new one, with new AWSReservedSSO_<name>_* roles in every account.
    """
    found: list[Replacement] = []
    strangers = [s for name, s in live.permission_sets.items() if name not in plan.permission_sets]
    for name, shape in sorted(plan.permission_sets.items()):
        if name in live.permission_sets:
            continue
        for stranger in strangers:
            same_grants = bool(
                shape.managed_policies or shape.inline_policy or shape.customer_managed_policies
            ) and (
                (shape.managed_policies, shape.customer_managed_policies, shape.inline_policy)
                == (
                    stranger.shape.managed_policies,
                    stranger.shape.customer_managed_policies,
                    stranger.shape.inline_policy,
                )
            )
            same_description = bool(descriptions.get(name)) and descriptions.get(name) == stranger.description
            if same_grants or same_description:
                why = "the same policies" if same_grants else "the same description"
                found.append(
                    Replacement(
                        f"permission set {name}",
                        f"the live permission set {stranger.name} ({stranger.arn}) has {why} as the "
                        f"catalogue's {name}, under another name: the name cannot change in place, so "
                        f"adopting it would replace it (new AWSReservedSSO_{name}_* roles in every account); "
                        f"rename permissionSets.{name} to {stranger.name} in the stack config "
                        "(and the grants that name it)",
                    )
                )
    return found


def proposal(finding: kinds.Finding, *, group_prefix: str, teams: Iterable[str]) -> str:
    """The config snippet that would own an out-of-config live object."""
    if finding.kind in (kinds.UNMANAGED, kinds.USER, kinds.FOREIGN_GROUP):
        principal, permission_set, account = finding.subject.split(" / ")
        team = principal.removeprefix(group_prefix).rsplit("-", 1)[0]
        if finding.kind == kinds.UNMANAGED and team in set(teams):
            return f"teams.{team}.grants.{permission_set}: add {account} to its targets"
        return (
            f"teams.<team>.grants.{permission_set}: [{account}] for the team whose members "
            f"'{principal}' is (grants go to a team's group, never to a single principal), "
            "then remove the live assignment"
        )
    if finding.kind == kinds.UNKNOWN_SET:
        return (
            f"permissionSets.{finding.subject}: "
            "{description: ..., sessionDuration: ..., awsManagedPolicies: [...]}"
        )
    return ""


OUT_OF_CONFIG = (
    kinds.UNMANAGED,
    kinds.USER,
    kinds.FOREIGN_GROUP,
    kinds.UNKNOWN_SET,
    kinds.SCP_ATTACHED,
    SCP_UNMANAGED,
)
MISSING_LIVE = (
    kinds.MISSING,
    kinds.SET_MISSING,
    kinds.SCP_DETACHED,
    kinds.SCP_NEVER_CREATED,
    kinds.SCP_POLICY_TYPE_DISABLED,
    kinds.PENDING,
    RESOURCE_MISSING,
)
DIFFERS = (kinds.SET_CHANGED, SCP_CHANGED)


def adopt(
    planned: Sequence[PlannedResource],
    plan: kinds.Plan,
    findings: Sequence[kinds.Finding],
    live: LiveEstate,
    *,
    account_of_provider: Mapping[str, str],
    provider_names: Mapping[str, str],
    group_prefix: str,
    teams: Iterable[str] = (),
) -> Adoption:
    """The import entries, the report items and the replacements for one stack."""
    mapper = ImportIdMapper(planned, live, account_of_provider)
    by_urn = {r.urn: r for r in planned}
    imported: list[tuple[PlannedResource, str]] = []
    items: list[ReportItem] = []
    for resource in planned:
        if resource.type not in ADOPTABLE:
            continue
        identifier = mapper.import_id(resource)
        if identifier is None:
            reported_by_drift = (ACCOUNT_ASSIGNMENT, PERMISSION_SET, ORG_POLICY_ATTACHMENT)
            if resource.type not in reported_by_drift:
                items.append(
                    ReportItem(RESOURCE_MISSING, resource.name, f"{resource.type}: created by `pulumi up`")
                )
        else:
            imported.append((resource, identifier))
    descriptions = {
        str(r.inputs.get("name")): str(r.inputs.get("description") or "")
        for r in planned
        if r.type == PERMISSION_SET
    }
    replacements = sorted(set(mapper.replacements + renamed_sets(plan, live, descriptions)))
    items.extend(mapper.items)
    teams = list(teams)
    for finding in findings:
        if finding.kind == kinds.PRESENT:
            continue
        items.append(
            ReportItem(
                finding.kind,
                finding.subject,
                finding.detail,
                proposal(finding, group_prefix=group_prefix, teams=teams),
            )
        )
    planned_scps = {str(r.inputs.get("name")) for r in planned if r.type == ORG_POLICY}
    for name, scp in sorted(live.scps.items()):
        if name not in planned_scps:
            items.append(
                ReportItem(
                    SCP_UNMANAGED,
                    f"{name} ({scp.id})",
                    f"attached to {', '.join(sorted(scp.targets)) or 'nothing'}",
                    "guardrails.scps owns only frontdoor's guardrail kinds: keep it outside the stack or "
                    "replace it with the guardrail kind that covers it, then detach it",
                )
            )
    # Components above the imported resources come first: `pulumi import` creates them empty.
    ancestors: list[PlannedResource] = []
    seen: set[str] = set()
    for resource, _ in imported:
        chain: list[PlannedResource] = []
        parent = by_urn.get(resource.parent_urn)
        while parent is not None and parent.urn not in seen and parent.type != STACK_TYPE:
            chain.append(parent)
            seen.add(parent.urn)
            parent = by_urn.get(parent.parent_urn)
        ancestors.extend(reversed(chain))
    # Recorded URNs are the engine's own (frontdoor/domain/base/urns.py): the depth is the chain's length.
    ancestors.sort(key=lambda r: qualified_type(r.urn).count("$"))  # parents before children
    keys = _keys([*ancestors, *(r for r, _ in imported)])
    entries: list[dict[str, Any]] = []
    for resource in ancestors:
        entries.append(_entry(resource, keys, by_urn, component=True))
    name_table: dict[str, str] = {}
    for resource, identifier in imported:
        entry = _entry(resource, keys, by_urn, component=False)
        entry["id"] = identifier
        if resource.provider_urn:
            provider_name = provider_names.get(resource.provider_urn, resource.provider_urn)
            name_table[provider_name] = resource.provider_urn
            entry["provider"] = provider_name
        entries.append(entry)
    adoption = Adoption(entries, name_table, sorted(items), replacements, imported=len(imported))
    adoption.refused = check_entries(adoption, {r.urn for r in planned})
    return adoption


def _keys(resources: Sequence[PlannedResource]) -> dict[str, str]:
    """A unique `name` per entry: the logical name, else type::name, else the URN."""
    counts: dict[str, int] = {}
    for r in resources:
        counts[r.name] = counts.get(r.name, 0) + 1
    typed: dict[str, int] = {}
    for r in resources:
        typed[f"{r.type}::{r.name}"] = typed.get(f"{r.type}::{r.name}", 0) + 1
    keys: dict[str, str] = {}
    for r in resources:
        if counts[r.name] == 1:
            keys[r.urn] = r.name
        elif typed[f"{r.type}::{r.name}"] == 1:
            keys[r.urn] = f"{r.type}::{r.name}"
        else:
            keys[r.urn] = r.urn
    return keys


def _entry(
    resource: PlannedResource,
    keys: Mapping[str, str],
    by_urn: Mapping[str, PlannedResource],
    *,
    component: bool,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": resource.type, "name": keys[resource.urn]}
    if keys[resource.urn] != resource.name:
        entry["logicalName"] = resource.name
    parent = by_urn.get(resource.parent_urn)
    if parent is not None and parent.type != STACK_TYPE:
        entry["parent"] = keys[parent.urn]
    if component:
        entry["component"] = True
    return entry


def check_entries(adoption: Adoption, program_urns: set[str]) -> list[str]:
    """Entries whose URN, resolved as `pulumi import` resolves it, is not one the program registers."""
    if not program_urns:
        return [str(e["name"]) for e in adoption.entries]
    stack_project = stack_project_prefix(next(iter(program_urns)))
    urn_of: dict[str, str] = {}
    refused: list[str] = []
    for entry in adoption.entries:  # parents come before their children
        parent = entry.get("parent")
        parent_urn = urn_of.get(parent) if parent else None
        if parent and parent_urn is None:
            refused.append(f"{entry['name']} ({entry['type']}): its parent {parent} is not in the file")
            continue
        urn = urn_for(
            stack_project, parent_urn, str(entry["type"]), str(entry.get("logicalName") or entry["name"])
        )
        urn_of[str(entry["name"])] = urn
        if urn not in program_urns:
            refused.append(f"{entry['name']} ({entry['type']}): {urn} is not a resource of the program")
    return refused


def render_markdown(adoption: Adoption, stack: str) -> str:
    lines = [f"# Adoption of stack {stack}", ""]
    lines.append(
        f"{adoption.imported} live object(s) to import; "
        f"{sum(adoption.count(k) for k in OUT_OF_CONFIG)} live object(s) with no place in the config; "
        f"{sum(adoption.count(k) for k in MISSING_LIVE)} planned object(s) missing live; "
        f"{sum(adoption.count(k) for k in DIFFERS)} difference(s) updated in place; "
        f"{len(adoption.replacements)} replacement(s)."
    )
    if adoption.replacements:
        lines += ["", "## replacements (adopt stops: change the config first)", ""]
        lines += [f"- {r.subject}: {r.message}" for r in adoption.replacements]
    for title, group in (
        ("Live, not in the config", OUT_OF_CONFIG),
        ("Planned, missing live (created by `pulumi up`)", MISSING_LIVE),
        ("Differs from the config (updated in place, never replaced)", DIFFERS),
        ("Not verified", (UNVERIFIED,)),
    ):
        rows = [i for i in adoption.items if i.kind in group and i.kind != kinds.PENDING]
        # Grants of groups pushed but not synced yet: one row per group and set, not one per account.
        pending: dict[str, int] = {}
        for item in adoption.items:
            if item.kind == kinds.PENDING and kinds.PENDING in group:
                principal, permission_set, _ = item.subject.split(" / ")
                key = f"{principal} / {permission_set}"
                pending[key] = pending.get(key, 0) + 1
        if not rows and not pending:
            continue
        lines += [
            "",
            f"## {title}",
            "",
            "| kind | subject | detail | proposed config |",
            "| --- | --- | --- | --- |",
        ]
        lines += [f"| {i.kind} | {i.subject} | {i.detail} | {i.proposal} |" for i in rows]
        lines += [
            f"| {kinds.PENDING} | {key} / {n} account(s) | group pushed, not synced yet: assigned on "
            "the next run | |"
            for key, n in sorted(pending.items())
        ]
    return "\n".join(lines) + "\n"


def render_json(adoption: Adoption) -> str:
    return json.dumps(
        {
            "imported": adoption.imported,
            "replacements": [asdict(r) for r in adoption.replacements],
            "refused": adoption.refused,
            "counts": {k: adoption.count(k) for k in sorted({i.kind for i in adoption.items})},
            "items": [asdict(i) for i in adoption.items],
        },
        indent=2,
    )
