"""No observation makes a deployed stack register fewer resources; a fresh stack is staged (issue 29).

Each precondition the program reads is toggled, once on the demo estate (deployed: its `deployed:`
block holds the steady state) and once on the same estate marked fresh (`deployed: {resources: 0}`).
Deployed: the run stops with PreconditionFailed naming exactly that precondition, having registered
nothing but its providers (`pulumi up` would have planned the deletion of everything left out). Fresh:
the run registers first-run stage a alone (or defers, or leaves the push mappings out) and exits 0.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from frontdoor.commands.cli import main
from frontdoor.domain.config.files import provider_settings
from frontdoor.domain.planning.bootstrap import PreconditionFailed
from frontdoor.offline.engine import ProgramRun, run_program
from frontdoor.offline.estate import Estate, EstateDeployed, load_estate

REPO = Path(__file__).resolve().parents[3]
DEMO_ESTATE = REPO / "stacks" / "estate.demo.yaml"
SOURCE = "stacks/Pulumi.demo.yaml"
PROVIDERS = {
    ("pulumi:providers:aws", "aws-identity-center"),
    ("pulumi:providers:aws", "aws-management"),
}
# First-run stage a: the organization plumbing alone (the delegation needs Identity Center's trusted access).
STAGE_A_RESOURCES = PROVIDERS | {
    ("frontdoor:index:AccessPlatform", "frontdoor"),
    ("frontdoor:aws:OrganizationPlumbing", "organization"),
    ("aws:organizations/delegatedAdministrator:DelegatedAdministrator", "organization/identity-center"),
}
HEADER = (
    "error: stack demo is deployed (1094 resources in its state) and 1 precondition(s) fail: this run stops "
    "instead of registering fewer resources (`pulumi up` deletes whatever a completed run leaves out). "
    "Nothing but the providers was registered."
)
ALL_PRINCIPALS = [
    "access-analyzer.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "member.org.stacksets.cloudformation.amazonaws.com",
    "sso.amazonaws.com",
]


def _small_settings() -> dict[str, Any]:
    """The demo config with the three teams the machine consumers belong to and no org grants: every
    section (trail, posture, machines, delivery, SCPs) is there, at a fraction of the demo's size."""
    settings = provider_settings(REPO / "stacks" / "Pulumi.demo.yaml")
    teams = settings["frontdoor:teams"]
    settings["frontdoor:teams"] = {
        name: teams[name] for name in ("payments", "devices-firmware", "data-platform")
    }
    settings["frontdoor:orgGrants"] = {}
    return settings


def _without(principal: str) -> Callable[[Estate], Estate]:
    def mutate(estate: Estate) -> Estate:
        kept = [p for p in ALL_PRINCIPALS if p != principal]
        return estate.model_copy(
            update={
                "organization": estate.organization.model_copy(update={"aws_service_access_principals": kept})
            }
        )

    return mutate


def _delegated_to(accounts: list[str]) -> Callable[[Estate], Estate]:
    def mutate(estate: Estate) -> Estate:
        organization = estate.organization.model_copy(
            update={"delegated_administrators": {"sso.amazonaws.com": accounts}}
        )
        return estate.model_copy(update={"organization": organization})

    return mutate


def _no_scp_policy_type(estate: Estate) -> Estate:
    return estate.model_copy(
        update={"organization": estate.organization.model_copy(update={"enabled_policy_types": []})}
    )


def _unsynced(group: str) -> Callable[[Estate], Estate]:
    def mutate(estate: Estate) -> Estate:
        synced = {name: gid for name, gid in (estate.synced_groups or {}).items() if name != group}
        return estate.model_copy(update={"synced_groups": synced})

    return mutate


def _fresh(estate: Estate) -> Estate:
    """Not beyond stage a. Where the organization lists the delegation (and Identity Center's trusted
    access, which registering it needs), stage a registered it: the state holds it and its parents
    (an empty state over it would be refused, existing-delegation-adopted); else nothing was applied."""
    organization = estate.organization
    applied = "sso.amazonaws.com" in (organization.aws_service_access_principals or []) and bool(
        (organization.delegated_administrators or {}).get("sso.amazonaws.com")
    )
    return estate.model_copy(
        update={"deployed": EstateDeployed(resources=3 if applied else 0, beyond_stage_a=False)}
    )


def _adopting(settings: dict[str, Any]) -> dict[str, Any]:
    """A fresh stack's config after docs/first-run.md step 0: the deploy and preview roles and the GitHub
    OIDC provider exist (the estate's managementAccount lists them) and are adopted, not created over."""
    adopt = {"adoptDeployRole": True, "adoptPreviewRole": True, "adoptOidcProvider": True}
    return {**settings, "frontdoor:delivery": {**settings["frontdoor:delivery"], **adopt}}


TRAIL_LINE = (
    f"{SOURCE}: first-run stage a: frontdoor:trail needs trusted access for cloudtrail.amazonaws.com, which "
    "the organization has not enabled: the organization trail would fail with "
    "CloudTrailAccessNotEnabledException (got {principals}). Fix: aws organizations "
    "enable-aws-service-access "
    "--service-principal cloudtrail.amazonaws.com (management account); docs/first-run.md step a2"
)


def _principals_without(principal: str) -> str:
    return repr([p for p in ALL_PRINCIPALS if p != principal])


# (id, estate mutation, exact line of the stop) for each stage-a precondition.
STAGE_A = [
    (
        "identity-center-trusted-access",
        _without("sso.amazonaws.com"),
        f"{SOURCE}: first-run stage a: IAM Identity Center is not enabled for the organization (no trusted "
        "access "
        f"for sso.amazonaws.com) (got {_principals_without('sso.amazonaws.com')}). Fix: in the management "
        "account "
        "console, IAM Identity Center > Enable (choose the home region = organization.region); "
        "docs/first-run.md "
        "step a1",
    ),
    (
        "cloudtrail-trusted-access",
        _without("cloudtrail.amazonaws.com"),
        TRAIL_LINE.format(principals=_principals_without("cloudtrail.amazonaws.com")),
    ),
    (
        "stacksets-trusted-access",
        _without("member.org.stacksets.cloudformation.amazonaws.com"),
        f"{SOURCE}: first-run stage a: frontdoor:machines needs trusted access for "
        "member.org.stacksets.cloudformation.amazonaws.com, which the organization has not enabled: the "
        "service-managed StackSets of the Vault target roles would fail to create (CloudFormation "
        "CreateStackSet, "
        "PermissionModel SERVICE_MANAGED: activate trusted access for StackSets first) (got "
        f"{_principals_without('member.org.stacksets.cloudformation.amazonaws.com')}). Fix: aws "
        "cloudformation "
        "activate-organizations-access, run by an administrator of the management account (the deploy role "
        "is "
        "not granted it); docs/first-run.md step a2",
    ),
    (
        "access-analyzer-trusted-access",
        _without("access-analyzer.amazonaws.com"),
        f"{SOURCE}: first-run stage a: frontdoor:posture needs trusted access for "
        "access-analyzer.amazonaws.com, "
        "which the organization has not enabled: the organization's unused-access analyzer needs IAM Access "
        "Analyzer's service access (IAM User Guide, Access Analyzer settings: created through the API, an "
        "organization analyzer needs Organizations service access enabled first) (got "
        f"{_principals_without('access-analyzer.amazonaws.com')}). Fix: aws organizations "
        "enable-aws-service-access --service-principal access-analyzer.amazonaws.com (management account); "
        "docs/first-run.md step a2",
    ),
    (
        "scp-policy-type",
        _no_scp_policy_type,
        f"{SOURCE}: first-run stage a: frontdoor:guardrails attaches service control policies, but the "
        "SERVICE_CONTROL_POLICY policy type is not enabled on the root (AttachPolicy fails with "
        "PolicyTypeNotEnabledException) (got []). Fix: aws organizations enable-policy-type --root-id <root "
        "id> "
        "--policy-type SERVICE_CONTROL_POLICY (management account); docs/first-run.md step a2",
    ),
    (
        "delegated-administrator",
        _delegated_to(["100000000335"]),
        f"{SOURCE}: first-run stage a: account 100000000299 is not the delegated administrator of IAM "
        "Identity "
        "Center, so nothing can be read or planned through the Identity Center provider (got "
        "['100000000335']). "
        "Fix: run `pulumi up` of this stage: it registers the delegation (or set "
        "bootstrap.adoptDelegatedAdministrator: true if it was registered by hand); docs/first-run.md step "
        "a3",
    ),
]


@pytest.fixture(scope="module")
def demo_estate() -> Estate:
    return load_estate(DEMO_ESTATE)


def _run(estate: Estate, settings: dict[str, Any] | None = None) -> ProgramRun:
    return run_program(REPO, stack="demo", config=settings or _small_settings(), estate=estate)


@pytest.mark.parametrize(
    ("mutate", "line"), [(m, line) for _, m, line in STAGE_A], ids=[i for i, _, _ in STAGE_A]
)
def test_a_failing_stage_a_check_stops_a_deployed_stack(
    demo_estate: Estate, mutate: Callable[[Estate], Estate], line: str
) -> None:
    with pytest.raises(PreconditionFailed) as raised:
        _run(mutate(demo_estate))
    assert str(raised.value).splitlines() == [HEADER, line]
    assert raised.value.registered == 2  # the two AWS providers, nothing else


@pytest.mark.parametrize(("check", "mutate", "line"), STAGE_A, ids=[i for i, _, _ in STAGE_A])
def test_a_failing_stage_a_check_stages_a_fresh_stack(
    demo_estate: Estate, check: str, mutate: Callable[[Estate], Estate], line: str
) -> None:
    run = _run(_fresh(mutate(demo_estate)), _adopting(_small_settings()))  # completes: exit 0
    expected = PROVIDERS if check == "identity-center-trusted-access" else STAGE_A_RESOURCES
    assert {(r.type, r.name) for r in run.resources} == expected
    # The same check, reported as the stage's to-do instead of stopping the run.
    what = line.removeprefix(f"{SOURCE}: first-run stage a: ").split(" (got ")[0]
    [reported] = run.outputs["firstRunChecks"].value
    assert reported.startswith(f"first run, stage a: {what}")


def test_a_group_that_left_the_identity_store_stops_a_deployed_stack(demo_estate: Estate) -> None:
    with pytest.raises(PreconditionFailed) as raised:
        _run(_unsynced("aws-payments-dev")(demo_estate))
    assert str(raised.value).splitlines() == [
        HEADER,
        f"{SOURCE}: first-run stage e: group 'aws-payments-dev' has account assignments in the stack's "
        "state, but "
        "it is not in the Identity Center identity store any more (SCIM does not sync it), so its "
        "assignments "
        "would be planned as deferred and deleted (got 'aws-payments-dev'). Fix: find why it left the "
        "identity "
        "store (renamed or deleted in Okta, its push mapping removed, the SCIM token expired: "
        "docs/scim-runbook.md) and let SCIM sync it again; to remove its access on purpose, remove its "
        "grants "
        "from the stack config",
    ]
    assert raised.value.registered == 3  # the AWS providers and the Okta provider


def test_the_same_unsynced_group_on_a_fresh_stack_is_deferred(demo_estate: Estate) -> None:
    run = _run(_fresh(_unsynced("aws-payments-dev")(demo_estate)), _adopting(_small_settings()))
    assert run.deferred == ["aws-payments-dev"]
    assert "firstRunChecks" not in run.outputs


def test_provisioning_off_with_push_mappings_in_the_state_stops_a_deployed_stack(demo_estate: Estate) -> None:
    settings = _small_settings()
    settings["frontdoor:okta"] = {**settings["frontdoor:okta"], "provisioningEnabled": False}
    with pytest.raises(PreconditionFailed) as raised:
        _run(demo_estate, settings)
    lines = str(raised.value).splitlines()
    assert lines[0] == HEADER
    assert lines[1].startswith(
        f"{SOURCE}: first-run stage d: okta.provisioningEnabled is false, but the stack's state holds 23 "
        "push "
        "mappings: without provisioning the program registers none, so they would be deleted (got "
        "['aws-billing-readonly', "
    )
    assert lines[1].endswith(
        "Fix: set okta.provisioningEnabled: true (false is for first-run stage c only, before anything was "
        "pushed)"
    )
    assert len(lines) == 2


def test_provisioning_off_on_a_fresh_stack_registers_no_push_mapping(demo_estate: Estate) -> None:
    settings = _small_settings()
    settings["frontdoor:okta"] = {**settings["frontdoor:okta"], "provisioningEnabled": False}
    run = _run(_fresh(demo_estate), _adopting(settings))
    assert "okta:index/pushGroup:PushGroup" not in {r.type for r in run.resources}
    assert "okta:app/saml:Saml" in {r.type for r in run.resources}


def test_a_stage_a_only_state_without_trusted_access_stops_rather_than_drop_the_delegation(
    demo_estate: Estate,
) -> None:
    # The state holds the delegation; with Identity Center's trusted access gone the gated run would
    # register nothing at all, so the delegation would be deleted.
    stage_a = EstateDeployed(resources=3, beyond_stage_a=False)
    estate = _without("sso.amazonaws.com")(demo_estate).model_copy(update={"deployed": stage_a})
    with pytest.raises(PreconditionFailed, match=r"is deployed \(3 resources in its state\)"):
        _run(estate)


def test_the_cli_exits_2_with_the_stop(
    demo_estate: Estate, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    estate = _without("cloudtrail.amazonaws.com")(demo_estate)
    path = tmp_path / "estate.yaml"
    path.write_text(estate.model_dump_json(by_alias=True, exclude_none=True))
    code = main(["preview", "--stack", "demo", "--quiet", "--no-policy", "--estate", str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.splitlines() == [
        HEADER,
        TRAIL_LINE.format(principals=_principals_without("cloudtrail.amazonaws.com")),
    ]
