"""A pull-request preview runs read-only end to end: the providers assume the preview role pair, which
may assume nothing else and holds no write; the deployer's trust never admits it; applying under it
stops before any provider is used."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from parliament import expand_action, iam_definition

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.documents.deploy_permissions import ACTIONS
from frontdoor.domain.documents.provider_identity import (
    IDENTITY_CENTER_READS,
    MANAGEMENT_LIVE_READS,
    identity_center_read_policy,
    read_actions,
)
from frontdoor.offline.engine import ProgramRun, run_program
from frontdoor.offline.estate import Estate
from tests.conftest import one_team_settings

REPO = Path(__file__).resolve().parents[3]
PREVIEW_ROLE = "arn:aws:iam::100000000026:role/frontdoor-github-preview"
PREVIEW_ROLE_IC = "arn:aws:iam::100000000299:role/frontdoor-github-preview"
IC_PROVIDER = "::pulumi:providers:aws::aws-identity-center::"
ACCESS_LEVEL = {
    (s["prefix"], p["privilege"]): p["access_level"] for s in iam_definition for p in s["privileges"]
}


def _settings() -> dict[str, Any]:
    # One team keeps the run short; the identity does not depend on the teams.
    return one_team_settings()


def _run(estate: Estate, *, mode: str | None, dry_run: bool) -> ProgramRun:
    with pytest.MonkeyPatch.context() as patch:
        if mode is None:
            patch.delenv("FRONTDOOR_IDENTITY", raising=False)
        else:
            patch.setenv("FRONTDOOR_IDENTITY", mode)
        # The engine runs the program as an apply (its mocks answer with known values); a PR preview is
        # a dry run.
        patch.setattr(pulumi.runtime, "is_dry_run", lambda: dry_run)
        return run_program(REPO, stack="demo", config=_settings(), estate=estate)


@pytest.fixture(scope="module")
def preview_run(demo_estate: Estate) -> Iterator[ProgramRun]:
    yield _run(demo_estate, mode="preview", dry_run=True)


def _assumed(run: ProgramRun) -> dict[str, str]:
    return {
        r.name: json.loads(r.inputs["assumeRoles"])[0]["roleArn"]
        for r in run.resources
        if r.type == "pulumi:providers:aws"
    }


def _role(run: ProgramRun, name: str) -> Any:
    (role,) = [r for r in run.resources if r.type == "aws:iam/role:Role" and r.inputs["name"] == name]
    return role


def test_in_preview_both_providers_assume_the_preview_role_pair(preview_run: ProgramRun) -> None:
    assert _assumed(preview_run) == {"aws-management": PREVIEW_ROLE, "aws-identity-center": PREVIEW_ROLE_IC}
    providers = [r for r in preview_run.resources if r.type == "pulumi:providers:aws"]
    assert not [p.name for p in providers if "frontdoor-deploy" in json.dumps(p.inputs)]


def test_the_preview_role_may_assume_exactly_its_pair_and_holds_no_write(preview_run: ProgramRun) -> None:
    role = _role(preview_run, "frontdoor-github-preview")
    parent = role.urn.rsplit("::", 1)[1]
    # No managed policy: ReadOnlyAccess would let any branch read every S3 object of the account.
    assert not [
        r.name
        for r in preview_run.resources
        if r.type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment" and r.name.startswith(parent + "/")
    ]
    (inline,) = [
        r
        for r in preview_run.resources
        if r.type == "aws:iam/rolePolicy:RolePolicy" and r.inputs["name"] == "frontdoor-preview"
    ]
    statements = json.loads(inline.inputs["policy"])["Statement"]
    # sts:AssumeRole is the only action that is not a read, bounded to the pair: not the deployer, not
    # OrganizationAccountAccessRole.
    assert statements[-1] == {
        "Sid": "ChainToPreviewRoles",
        "Effect": "Allow",
        "Action": ["sts:AssumeRole"],
        "Resource": [PREVIEW_ROLE, PREVIEW_ROLE_IC],
    }
    writes = {
        action: level
        for statement in statements[:-1]
        for action in statement["Action"]
        for expanded in expand_action(action)
        if (level := ACCESS_LEVEL[(expanded["service"], expanded["action"])]) not in ("Read", "List")
    }
    assert writes == {}
    assert all(s["Effect"] == "Allow" for s in statements)
    (s3,) = [s for s in statements if s["Sid"] == "ReadS3"]
    assert s3["Resource"] == "arn:aws:s3:::acme-medical-organization-trail"
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert trust[1]["Condition"] == {"ArnEquals": {"aws:PrincipalArn": PREVIEW_ROLE}}


def test_every_type_the_deployer_manages_has_reads_for_the_preview() -> None:
    # `pulumi preview --refresh` reads every resource in the state: a type with no read action here is a
    # drift job that fails with AccessDenied.
    assert sorted(t for t, actions in ACTIONS.items() if not read_actions(actions)) == []


def test_the_live_reads_of_the_management_account_are_granted() -> None:
    live = REPO / "frontdoor" / "live"
    source = (live / "organization.py").read_text() + (live / "simulator.py").read_text()
    calls = set(re.findall(r"\b((?:list|describe|simulate)_[a-z_]+)\b", source))
    pascal = {"".join(part.title() for part in call.split("_")) for call in calls}
    assert "SimulateCustomPolicy" in pascal and "ListTargetsForPolicy" in pascal
    granted = {a.split(":", 1)[1].lower() for a in MANAGEMENT_LIVE_READS}
    assert sorted(p for p in pascal if p.lower() not in granted) == []


def test_the_deployer_trust_never_admits_the_preview_path(preview_run: ProgramRun) -> None:
    trust = _role(preview_run, "frontdoor-deploy").inputs["assumeRolePolicy"]
    statements = json.loads(trust)["Statement"]
    assert statements[0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"] == [
        "repo:acme-medical/frontdoor:environment:prod"
    ]
    assert statements[1]["Condition"] == {
        "ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::100000000026:role/frontdoor-deploy"}
    }
    assert len(statements) == 2 and "pull_request" not in trust and "preview" not in trust


def test_the_identity_center_preview_role_reads_only_and_covers_every_read(preview_run: ProgramRun) -> None:
    actions = identity_center_read_policy()["Statement"][0]["Action"]
    levels = {a: ACCESS_LEVEL.get(tuple(a.split(":", 1))) for a in actions}  # type: ignore[arg-type]
    assert {a: level for a, level in levels.items() if level not in ("Read", "List")} == {}
    through_ic = {r.type for r in preview_run.resources if r.custom and IC_PROVIDER in r.provider}
    through_ic |= {t for t in preview_run.invokes if t.startswith(("aws:ssoadmin/", "aws:identitystore/"))}
    assert "aws:ssoadmin/accountAssignment:AccountAssignment" in through_ic
    # A type or data source read through the Identity Center provider with no read actions here is a
    # drift job (`preview --refresh`) that fails with AccessDenied.
    assert sorted(through_ic - set(IDENTITY_CENTER_READS)) == []
    assert all(IDENTITY_CENTER_READS[t] for t in through_ic)


def test_the_live_reads_of_the_drift_job_are_granted() -> None:
    source = (REPO / "frontdoor" / "live" / "identity_center.py").read_text()
    calls = set(re.findall(r"\b((?:list|describe|get)_[a-z_]+)\b", source)) - {"get_id"}
    actions = set(identity_center_read_policy()["Statement"][0]["Action"])
    pascal = {"".join(part.title() for part in call.split("_")) for call in calls}
    assert "ListAccountAssignmentsForPrincipal" in pascal
    assert sorted(p for p in pascal if not {f"sso:{p}", f"identitystore:{p}"} & actions) == []


def test_the_first_run_doc_gives_the_identity_center_preview_policy() -> None:
    text = (REPO / "docs" / "first-run.md").read_text()
    missing = [a for a in identity_center_read_policy()["Statement"][0]["Action"] if f"`{a}`" not in text]
    assert missing == []


def test_applying_as_the_preview_identity_stops_before_any_provider(demo_estate: Estate) -> None:
    with pytest.raises(ConfigError) as raised:
        _run(demo_estate, mode="preview", dry_run=False)
    assert str(raised.value) == (
        "environment: FRONTDOOR_IDENTITY: the read-only preview identity cannot apply (pulumi up/destroy) "
        "(got 'preview'). Fix: unset FRONTDOOR_IDENTITY and deploy with the deployer role "
        "(.github/workflows/deploy.yml)"
    )


def test_without_the_variable_the_providers_assume_the_deployer(demo_estate: Estate) -> None:
    run = _run(demo_estate, mode=None, dry_run=False)
    assert set(_assumed(run).values()) == {
        "arn:aws:iam::100000000026:role/frontdoor-deploy",
        "arn:aws:iam::100000000299:role/frontdoor-deploy",
    }
