"""The first run, stage by stage, on the demo organization turned into a fresh one.

Fresh: no trusted access, no delegated administrator, no synced groups, provisioning off. Each run
registers only what its stage allows and says what to do next; each later stage, once its
precondition is set in the estate or the config, runs clean (the engine's API rules included).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from frontdoor.commands.cli import main
from frontdoor.offline.engine import ProgramRun, run_program
from frontdoor.offline.estate import Estate
from tests.conftest import one_team_settings

REPO = Path(__file__).resolve().parents[3]
IDENTITY_CENTER_ACCOUNT = "100000000299"
DELEGATION = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
PUSH = "okta:index/pushGroup:PushGroup"
ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment"
CHECK_A1 = (
    "first run, stage a: IAM Identity Center is not enabled for the organization (no trusted access for "
    "sso.amazonaws.com). Next: in the management account console, IAM Identity Center > Enable (choose "
    "the home region = organization.region); docs/first-run.md step a1"
)
CHECK_A2 = (
    "first run, stage a: CloudTrail has no trusted access (cloudtrail.amazonaws.com), so the organization "
    "trail would fail with CloudTrailAccessNotEnabledException. Next: aws organizations "
    "enable-aws-service-access --service-principal cloudtrail.amazonaws.com (management account); "
    "docs/first-run.md step a2"
)
CHECK_A3 = (
    "first run, stage a: account 100000000299 is not the delegated administrator of IAM Identity Center, "
    "so nothing can be read or planned through the Identity Center provider. Next: run `pulumi up` of this "
    "stage: it registers the delegation (or set bootstrap.adoptDelegatedAdministrator: true if it was "
    "registered by hand); docs/first-run.md step a3"
)


def _config(provisioning: bool) -> dict[str, Any]:
    """The demo config with one team and no org grants (the stages do not depend on the size)."""
    settings = one_team_settings()
    settings["frontdoor:okta"] = {**settings["frontdoor:okta"], "provisioningEnabled": provisioning}
    return settings


def _estate(demo: Estate, *, trusted: list[str], delegated: bool, synced: dict[str, str]) -> Estate:
    organization = demo.organization.model_copy(
        update={
            "aws_service_access_principals": trusted,
            "delegated_administrators": {"sso.amazonaws.com": [IDENTITY_CENTER_ACCOUNT]} if delegated else {},
        }
    )
    return demo.model_copy(update={"organization": organization, "synced_groups": synced})


def _run(estate: Estate, *, provisioning: bool) -> ProgramRun:
    return run_program(REPO, stack="demo", config=_config(provisioning), estate=estate)


def _types(run: ProgramRun) -> set[str]:
    return {r.type for r in run.resources}


def test_the_stages_in_order(demo_estate: Estate) -> None:
    payments = {"aws-payments-dev", "aws-payments-readonly"}
    synced_ids = {name: demo_estate.synced_groups[name] for name in payments}

    # Fresh org: nothing but the providers; the three stage-a checks, in order.
    fresh = _run(_estate(demo_estate, trusted=[], delegated=False, synced={}), provisioning=False)
    assert _types(fresh) == {"pulumi:providers:aws"}
    assert fresh.outputs["firstRunChecks"].value == [CHECK_A1, CHECK_A2, CHECK_A3]

    # a1, a2 done: the delegation is registered, under the platform's URN, and nothing else.
    trusted = ["cloudtrail.amazonaws.com", "sso.amazonaws.com"]
    plumbing = _run(_estate(demo_estate, trusted=trusted, delegated=False, synced={}), provisioning=False)
    delegations = [r for r in plumbing.resources if r.type == DELEGATION]
    assert [(r.inputs["accountId"], r.inputs["servicePrincipal"], r.protect) for r in delegations] == [
        (IDENTITY_CENTER_ACCOUNT, "sso.amazonaws.com", True)
    ]
    assert _types(plumbing) == {
        "pulumi:providers:aws",
        "frontdoor:index:AccessPlatform",
        "frontdoor:aws:OrganizationPlumbing",
        DELEGATION,
    }
    assert plumbing.outputs["firstRunChecks"].value == [CHECK_A3]

    # Stage c: delegated, provisioning still off: the app and groups, no push mapping, no assignment.
    okta_only = _run(_estate(demo_estate, trusted=trusted, delegated=True, synced={}), provisioning=False)
    assert "firstRunChecks" not in okta_only.outputs
    assert PUSH not in _types(okta_only) and ASSIGNMENT not in _types(okta_only)
    assert {"okta:app/saml:Saml", "okta:group/rule:Rule"} <= _types(okta_only)
    assert [r.urn for r in okta_only.resources if r.type == DELEGATION] == [r.urn for r in delegations]
    assert any(w.startswith("first run, stage d: 2 groups wait for Group Push") for w in okta_only.warnings)

    # Stage d: provisioning on: both groups pushed; their assignments wait for the sync.
    pushed = _run(_estate(demo_estate, trusted=trusted, delegated=True, synced={}), provisioning=True)
    assert sorted(r.inputs["targetGroupName"] for r in pushed.resources if r.type == PUSH) == sorted(payments)
    assert pushed.deferred == sorted(payments)
    assert ASSIGNMENT not in _types(pushed)

    # Stage e: synced: the assignments.
    done = _run(_estate(demo_estate, trusted=trusted, delegated=True, synced=synced_ids), provisioning=True)
    assert done.deferred == []
    assert sum(1 for r in done.resources if r.type == ASSIGNMENT) > 0
    assert not any(w.startswith("first run") for w in done.warnings)


def test_fresh_org_preview_exits_0_with_the_checks(
    tmp_path: Path, demo_estate: Estate, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = _estate(demo_estate, trusted=[], delegated=False, synced={})
    estate_file = tmp_path / "estate.fresh.yaml"
    estate_file.write_text(json.dumps(fresh.model_dump(by_alias=True, exclude_none=True)))
    code = main(["preview", "--stack", "demo", "--estate", str(estate_file), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert document["violations"] == []
    assert document["resources"] == {"pulumi:providers:aws": 2}
    assert document["outputs"]["firstRunChecks"] == [CHECK_A1, CHECK_A2, CHECK_A3]
