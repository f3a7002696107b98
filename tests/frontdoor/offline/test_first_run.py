"""The first-run walk, stage by stage, as docs/first-run.md tells it (issue 29, research 29-aws §3.4).

The demo organization turned into a fresh one: no deploy roles, no GitHub OIDC provider, no trusted
access, no SCP policy type, StackSets' organizations access off, no delegated administrator, no synced
groups, provisioning off, a stack never applied (`deployed: {resources: 0}`). Each step does what the
page's step says (in the estate or the config) and the run answers as the page says: step 0 (the roles
the providers assume) is refused by the engine, stage a registers the organization plumbing alone with
its checks, stage c the Okta side without push mappings, stage d the push mappings with every grant
deferred, stage e the assignments; the adopted roles converge on the run after their import.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from frontdoor.commands.cli import main
from frontdoor.domain.config.files import provider_settings
from frontdoor.offline.api_rules import ApiRulesViolated
from frontdoor.offline.engine import ProgramRun, run_program
from frontdoor.offline.estate import Estate, EstateDeployed

REPO = Path(__file__).resolve().parents[3]
IDENTITY_CENTER_ACCOUNT = "100000000299"
DELEGATION = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
PUSH = "okta:index/pushGroup:PushGroup"
ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
STAGE_A_TYPES = {
    "pulumi:providers:aws",
    "frontdoor:index:AccessPlatform",
    "frontdoor:aws:OrganizationPlumbing",
    DELEGATION,
}
SSO = "sso.amazonaws.com"
TRAIL = "cloudtrail.amazonaws.com"
STACKSETS = "member.org.stacksets.cloudformation.amazonaws.com"
ANALYZER = "access-analyzer.amazonaws.com"
ROLES = ("frontdoor-deploy", "frontdoor-github-preview")
DATADOG_ROLE = "DatadogIntegrationRole"
GITHUB = "token.actions.githubusercontent.com"
TEAMS = ("payments", "devices-firmware", "data-platform")
GROUPS = sorted(f"aws-{team}-{kind}" for team in TEAMS for kind in ("dev", "readonly"))

STEP_0 = (
    "pulumi:providers:aws 'aws-management': assumeRoles: assumes "
    "arn:aws:iam::100000000026:role/frontdoor-deploy, which does not exist: the provider fails before any "
    "resource, even one that would create the role; create it first with `frontdoor bootstrap-roles` and "
    "adopt it (delivery.adoptDeployRole; docs/first-run.md step 0) [rule provider-assumes-existing-role; "
    "source: STS AssumeRole: AccessDenied for a role that does not exist]"
)
A1 = (
    "first run, stage a: IAM Identity Center is not enabled for the organization (no trusted access for "
    "sso.amazonaws.com). Next: in the management account console, IAM Identity Center > Enable (choose the "
    "home region = organization.region); docs/first-run.md step a1"
)
A2_TRAIL = (
    "first run, stage a: frontdoor:trail needs trusted access for cloudtrail.amazonaws.com, which the "
    "organization has not enabled: the organization trail would fail with "
    "CloudTrailAccessNotEnabledException. Next: aws organizations enable-aws-service-access "
    "--service-principal cloudtrail.amazonaws.com (management account); docs/first-run.md step a2"
)
A2_STACKSETS = (
    "first run, stage a: frontdoor:machines needs trusted access for "
    "member.org.stacksets.cloudformation.amazonaws.com, which the organization has not enabled: the "
    "service-managed StackSets of the Vault target roles would fail to create (CloudFormation "
    "CreateStackSet, PermissionModel SERVICE_MANAGED: activate trusted access for StackSets first). Next: "
    "aws cloudformation activate-organizations-access, run by an administrator of the management account "
    "(the deploy role is not granted it); docs/first-run.md step a2"
)
A2_ANALYZER = (
    "first run, stage a: frontdoor:posture needs trusted access for access-analyzer.amazonaws.com, which "
    "the organization has not enabled: the organization's unused-access analyzer needs IAM Access "
    "Analyzer's service access (IAM User Guide, Access Analyzer settings: created through the API, an "
    "organization analyzer needs Organizations service access enabled first). Next: aws organizations "
    "enable-aws-service-access --service-principal access-analyzer.amazonaws.com (management account); "
    "docs/first-run.md step a2"
)
A2_SCP = (
    "first run, stage a: frontdoor:guardrails attaches service control policies, but the "
    "SERVICE_CONTROL_POLICY policy type is not enabled on the root (AttachPolicy fails with "
    "PolicyTypeNotEnabledException). Next: aws organizations enable-policy-type --root-id <root id> "
    "--policy-type SERVICE_CONTROL_POLICY (management account); docs/first-run.md step a2"
)
A3 = (
    "first run, stage a: account 100000000299 is not the delegated administrator of IAM Identity Center, "
    "so nothing can be read or planned through the Identity Center provider. Next: run `pulumi up` of this "
    "stage: it registers the delegation (or set bootstrap.adoptDelegatedAdministrator: true if it was "
    "registered by hand); docs/first-run.md step a3"
)


def _settings(*, adopt: bool, provisioning: bool) -> dict[str, Any]:
    """The demo config with the three teams the machine consumers belong to and no org grants: every
    section (trail, posture, machines, delivery, SCPs) is there, at a fraction of the demo's size."""
    settings = provider_settings(REPO / "stacks" / "Pulumi.demo.yaml")
    settings["frontdoor:teams"] = {name: settings["frontdoor:teams"][name] for name in TEAMS}
    settings["frontdoor:orgGrants"] = {}
    settings["frontdoor:okta"] = {**settings["frontdoor:okta"], "provisioningEnabled": provisioning}
    if adopt:
        flags = {"adoptDeployRole": True, "adoptPreviewRole": True, "adoptOidcProvider": True}
        settings["frontdoor:delivery"] = {**settings["frontdoor:delivery"], **flags}
    return settings


def _estate(
    demo: Estate,
    *,
    roles: bool = True,
    trusted: tuple[str, ...] = (),
    scps: bool = False,
    delegated: bool = False,
    synced: bool = False,
    deployed: EstateDeployed | None = None,
) -> Estate:
    organization = demo.organization.model_copy(
        update={
            "aws_service_access_principals": sorted(trusted),
            "stack_sets_access": "ENABLED" if STACKSETS in trusted else "DISABLED",
            "enabled_policy_types": ["SERVICE_CONTROL_POLICY"] if scps else [],
            "delegated_administrators": {SSO: [IDENTITY_CENTER_ACCOUNT]} if delegated else {},
        }
    )
    management = demo.management_account.model_copy(
        update={
            # The trail's Datadog integration role is made by this stack, never beforehand here.
            "iam_roles": {**dict.fromkeys(ROLES, roles), DATADOG_ROLE: False},
            "oidc_providers": [GITHUB] if roles else [],
        }
    )
    groups = {name: demo.synced_groups[name] for name in GROUPS} if synced and demo.synced_groups else {}
    return demo.model_copy(
        update={
            "organization": organization,
            "management_account": management,
            "synced_groups": groups,
            # Delegated, stage a was applied: its state holds the delegation it registered (and the
            # providers, the platform and the plumbing around it); else the stack was never applied.
            "deployed": deployed or EstateDeployed(resources=5 if delegated else 0, beyond_stage_a=False),
        }
    )


def _run(estate: Estate, *, adopt: bool = True, provisioning: bool = False) -> ProgramRun:
    return run_program(
        REPO, stack="demo", config=_settings(adopt=adopt, provisioning=provisioning), estate=estate
    )


def _types(run: ProgramRun) -> set[str]:
    return {r.type for r in run.resources}


ALL_TRUSTED = (SSO, TRAIL, STACKSETS, ANALYZER)


def test_step_0_the_providers_cannot_assume_a_role_that_does_not_exist(demo_estate: Estate) -> None:
    with pytest.raises(ApiRulesViolated) as raised:
        _run(_estate(demo_estate, roles=False), adopt=False)
    assert [v.render() for v in raised.value.violations] == [STEP_0]


def test_stage_a_registers_the_organization_plumbing_alone_until_its_checks_pass(demo_estate: Estate) -> None:
    # Step 0 done: the roles exist and are adopted; nothing of stage a yet: the providers alone.
    fresh = _run(_estate(demo_estate))
    assert _types(fresh) == {"pulumi:providers:aws"}
    assert fresh.outputs["firstRunChecks"].value == [A1, A2_TRAIL, A2_STACKSETS, A2_ANALYZER, A2_SCP, A3]

    # a1 done: the delegation is registered (protected), nothing else; the other checks remain.
    a1 = _run(_estate(demo_estate, trusted=(SSO,)))
    assert _types(a1) == STAGE_A_TYPES
    assert [
        (r.inputs["accountId"], r.inputs["servicePrincipal"], r.protect) for r in a1.by_type(DELEGATION)
    ] == [(IDENTITY_CENTER_ACCOUNT, SSO, True)]
    assert a1.outputs["firstRunChecks"].value == [A2_TRAIL, A2_STACKSETS, A2_ANALYZER, A2_SCP, A3]

    # a2 done: only the delegation's own apply is left (a3).
    a2 = _run(_estate(demo_estate, trusted=ALL_TRUSTED, scps=True))
    assert _types(a2) == STAGE_A_TYPES
    assert [r.urn for r in a2.by_type(DELEGATION)] == [r.urn for r in a1.by_type(DELEGATION)]
    assert a2.outputs["firstRunChecks"].value == [A3]


def test_the_stage_a_preview_exits_0_with_the_plumbing_and_its_checks(
    tmp_path: Path, demo_estate: Estate, capsys: pytest.CaptureFixture[str]
) -> None:
    # The whole demo config and its policy pack: a stack holding stage a alone passes the pack (the
    # root SCP and the detectors wait for the run after), so `pulumi up` can apply it.
    estate_file = tmp_path / "estate.fresh.yaml"
    estate = _estate(demo_estate, trusted=(SSO,))
    estate_file.write_text(json.dumps(estate.model_dump(by_alias=True, exclude_none=True)))
    code = main(["preview", "--stack", "demo", "--estate", str(estate_file), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert document["violations"] == []
    assert document["resources"] == {
        DELEGATION: 1,
        "frontdoor:aws:OrganizationPlumbing": 1,
        "frontdoor:index:AccessPlatform": 1,
        "pulumi:providers:aws": 2,
    }
    assert document["outputs"]["firstRunChecks"] == [A2_TRAIL, A2_STACKSETS, A2_ANALYZER, A2_SCP, A3]


@pytest.mark.parametrize(
    ("stage", "state", "checks"),
    [
        # Step 0 done, nothing of stage a: the providers alone, all six checks.
        ("fresh", {}, [A1, A2_TRAIL, A2_STACKSETS, A2_ANALYZER, A2_SCP, A3]),
        # a2 done: the plumbing and only a3 left.
        ("a2", {"trusted": ALL_TRUSTED, "scps": True}, [A3]),
    ],
)
def test_every_stage_a_preview_exits_0_pack_included(
    tmp_path: Path,
    demo_estate: Estate,
    capsys: pytest.CaptureFixture[str],
    stage: str,
    state: dict[str, Any],
    checks: list[str],
) -> None:
    # docs/first-run.md: "Each of these previews exits 0, pack included" (issue 28 saw exit 1 with two
    # mandatory violations, the root SCP and the posture detectors, before the pack let stage a pass).
    # With step 0's adopt flags set, as the page says, and the whole demo config otherwise.
    config = tmp_path / "Pulumi.demo.yaml"
    text = (REPO / "stacks" / "Pulumi.demo.yaml").read_text()
    flags = "    adoptOidcProvider: true\n    adoptDeployRole: true\n    adoptPreviewRole: true\n"
    assert "    previewBranches: [main]\n" in text
    config.write_text(text.replace("    previewBranches: [main]\n", "    previewBranches: [main]\n" + flags))
    estate_file = tmp_path / f"estate.{stage}.yaml"
    estate_file.write_text(
        json.dumps(_estate(demo_estate, **state).model_dump(by_alias=True, exclude_none=True))
    )
    code = main(
        ["preview", "--stack", "demo", "--config", str(config), "--estate", str(estate_file), "--json"]
    )
    document = json.loads(capsys.readouterr().out)
    assert (code, document["violations"], document["outputs"]["firstRunChecks"]) == (0, [], checks)


def test_stages_c_d_e_then_the_adopted_roles_converge(demo_estate: Estate) -> None:
    plumbed = {"trusted": ALL_TRUSTED, "scps": True, "delegated": True}

    # Stage c: stage a passed, provisioning off: the whole stack but push mappings and assignments;
    # the roles and the OIDC provider made in step 0 are imported as they are.
    okta_only = _run(_estate(demo_estate, **plumbed))
    assert "firstRunChecks" not in okta_only.outputs
    assert PUSH not in _types(okta_only) and ASSIGNMENT not in _types(okta_only)
    assert {"okta:app/saml:Saml", "okta:group/rule:Rule", "aws:cloudformation/stackSet:StackSet"} <= _types(
        okta_only
    )
    # The delivery roles are adopted; the trail's Datadog integration role never existed: created.
    roles = {r.inputs["name"]: r for r in okta_only.by_type(ROLE)}
    assert sorted(roles) == sorted([*ROLES, DATADOG_ROLE])
    adopted = [roles[name] for name in ROLES]
    assert all(r.ignore_changes for r in [*adopted, *okta_only.by_type(ROLE_POLICY)])
    assert roles[DATADOG_ROLE].ignore_changes == ()
    assert any(w.startswith("first run, stage d: 6 groups wait for Group Push") for w in okta_only.warnings)

    # Stage d: provisioning on: every group pushed; their assignments wait for SCIM's sync.
    pushed = _run(_estate(demo_estate, **plumbed), provisioning=True)
    assert sorted(r.inputs["targetGroupName"] for r in pushed.by_type(PUSH)) == GROUPS
    assert pushed.deferred == GROUPS
    assert ASSIGNMENT not in _types(pushed)

    # Stage e: synced: the assignments; no first-run warning left.
    done = _run(_estate(demo_estate, **plumbed, synced=True), provisioning=True)
    assert done.deferred == []
    assert len(done.by_type(ASSIGNMENT)) > 0
    assert not any(w.startswith("first run") for w in done.warnings)

    # The run after the import (flags unset): the roles are the stack's own, so nothing is refused and
    # their documents converge to what the program derives (no ignore_changes any more).
    state = EstateDeployed(
        resources=len(done.resources), beyond_stage_a=True, roles=list(ROLES), oidc_providers=[GITHUB]
    )
    converged = _run(
        _estate(demo_estate, **plumbed, synced=True, deployed=state), adopt=False, provisioning=True
    )
    assert [r.ignore_changes for r in [*converged.by_type(ROLE), *converged.by_type(ROLE_POLICY)]] == [
        (),
        (),
        (),
        (),
        (),
    ]
    assert len(converged.by_type(OIDC)) == 1
    assert len(converged.resources) == len(done.resources)
