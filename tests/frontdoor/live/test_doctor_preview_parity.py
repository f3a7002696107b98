"""The preview after a pull shows the same preconditions as `frontdoor doctor` (docs/first-run.md).

Each case plants one of doctor's findings on the demo organization, seeded with every fact a pull reads,
on the local AWS API server; then runs doctor, `estate pull` and the offline preview on the pulled
estate, as a new user would. Doctor must report exactly that finding to do, and the preview must stop
on the same fact (a stage-a precondition, or the real API's refusal), never pass over it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from moto.organizations.models import organizations_backends

from frontdoor.commands.cli import main
from tests.frontdoor.live.demo_server import (
    DEMO_ESTATE,
    DemoServer,
    cwd_with_stacks,
    seeded_with_facts,
    stack_files,
)
from tests.frontdoor.live.seed import CLOUDTRAIL

MANAGEMENT = "100000000026"


@dataclass(frozen=True)
class Case:
    plant: Callable[[DemoServer], None]
    doctor: list[str]  # doctor's TODO lines, exactly
    preview_code: int
    preview: list[str]  # what the preview's stop says of the same facts
    pull_flags: tuple[str, ...] = ()


def _disable_scps(server: DemoServer) -> None:
    organizations = server.seeded.management.client("organizations")
    organizations.disable_policy_type(
        RootId=server.estate.organization.root_id, PolicyType="SERVICE_CONTROL_POLICY"
    )


def _no_cloudtrail_access(server: DemoServer) -> None:
    server.seeded.management.client("organizations").disable_aws_service_access(ServicePrincipal=CLOUDTRAIL)


def _consolidated_billing(server: DemoServer) -> None:
    # No API turns all features off again: the organization is made as if created with consolidated
    # billing only (CreateOrganization FeatureSet CONSOLIDATED_BILLING).
    organizations_backends[MANAGEMENT]["aws"].org.feature_set = "CONSOLIDATED_BILLING"


def _no_deploy_role(server: DemoServer) -> None:
    server.seeded.management.client("iam").delete_role(RoleName="frontdoor-deploy")


# Doctor is the first-run check: it cannot see the stack's state, so the objects a first apply would
# create again are always on its list. The demo stack's state holds them (the preview judges them its
# own); a fresh stack's preview refuses each of them (the last case).
DEPLOY_ROLE = (
    "[TODO] role frontdoor-deploy: frontdoor-deploy exists; a first apply would create it again "
    "(EntityAlreadyExists)"
)
PREVIEW_ROLE = (
    "[TODO] role frontdoor-github-preview: frontdoor-github-preview exists; a first apply would create it "
    "again (EntityAlreadyExists)"
)
DELEGATION = (
    "[TODO] existing delegated administrator: 100000000299 is already registered for sso.amazonaws.com; "
    "the first apply would register it again"
)
OIDC = (
    f"[TODO] existing GitHub OIDC provider: arn:aws:iam::{MANAGEMENT}:oidc-provider/"
    "token.actions.githubusercontent.com exists; the first apply would create it again (one per URL per "
    "account)"
)

CASES = {
    "SCP policy type disabled": Case(
        _disable_scps,
        [
            DEPLOY_ROLE,
            PREVIEW_ROLE,
            "[TODO] SCP policy type: SERVICE_CONTROL_POLICY is not enabled on r-a1b2",
            DELEGATION,
            OIDC,
        ],
        2,
        [
            "stacks/Pulumi.demo.yaml: first-run stage a: frontdoor:guardrails attaches service control "
            "policies, but the SERVICE_CONTROL_POLICY policy type is not enabled on the root (AttachPolicy "
            "fails with PolicyTypeNotEnabledException) (got []). Fix: aws organizations enable-policy-type "
            "--root-id <root id> --policy-type SERVICE_CONTROL_POLICY (management account); "
            "docs/first-run.md step a2"
        ],
    ),
    "CloudTrail trusted access missing": Case(
        _no_cloudtrail_access,
        [
            DEPLOY_ROLE,
            PREVIEW_ROLE,
            "[TODO] trusted access cloudtrail.amazonaws.com: cloudtrail.amazonaws.com has no trusted access "
            "to the organization (frontdoor:trail: the organization trail would fail with "
            "CloudTrailAccessNotEnabledException)",
            DELEGATION,
            OIDC,
        ],
        2,
        [
            "stacks/Pulumi.demo.yaml: first-run stage a: frontdoor:trail needs trusted access for "
            "cloudtrail.amazonaws.com, which the organization has not enabled: the organization trail would "
            "fail with CloudTrailAccessNotEnabledException (got ['access-analyzer.amazonaws.com', "
            "'member.org.stacksets.cloudformation.amazonaws.com', 'sso.amazonaws.com']). Fix: aws "
            "organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com "
            "(management account); docs/first-run.md step a2"
        ],
    ),
    "consolidated billing only": Case(
        _consolidated_billing,
        [
            DEPLOY_ROLE,
            PREVIEW_ROLE,
            "[TODO] all features: the organization has feature set CONSOLIDATED_BILLING: SCPs and trusted "
            "access need ALL",
            DELEGATION,
            OIDC,
        ],
        2,
        [
            "stacks/Pulumi.demo.yaml: first-run stage a: the organization has feature set "
            "CONSOLIDATED_BILLING: service control policies and trusted access need ALL (got "
            "'CONSOLIDATED_BILLING'). Fix: Organizations console > Settings > Enable all features (or `aws "
            "organizations enable-all-features`), then every member account approves; docs/first-run.md "
            "step a2"
        ],
    ),
    "deploy role missing": Case(
        _no_deploy_role,
        [
            "[TODO] role frontdoor-deploy: frontdoor-deploy does not exist: the providers assume it before "
            "any resource",
            PREVIEW_ROLE,
            DELEGATION,
            OIDC,
        ],
        3,
        [f"assumes arn:aws:iam::{MANAGEMENT}:role/frontdoor-deploy, which does not exist"],
    ),
    "a fresh stack over objects made by hand": Case(
        lambda _server: None,
        [DEPLOY_ROLE, PREVIEW_ROLE, DELEGATION, OIDC],
        3,
        [
            "accountId: 100000000299 is already the delegated administrator for sso.amazonaws.com and the "
            "stack's state is empty",
            "frontdoor-deploy exists in the management account and is not in the stack's state",
            "frontdoor-github-preview exists in the management account and is not in the stack's state",
            "token.actions.githubusercontent.com exists in the management account and is not in the stack's "
            "state",
        ],
        ("--fresh-stack",),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_preview_after_a_pull_stops_on_what_doctor_finds(
    case: str,
    aws_server: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    planted = CASES[case]
    server = seeded_with_facts(aws_server, monkeypatch)
    planted.plant(server)
    monkeypatch.chdir(cwd_with_stacks(tmp_path))
    estate = tmp_path / "stacks" / "estate.demo.yaml"
    # The last pull, or the demo file: what a pull does not read (Okta's schemas) comes from it.
    estate.write_text(DEMO_ESTATE.read_text())

    code = main(["doctor", "--stack", "demo", "--quiet", *stack_files(tmp_path)[:2]])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert [line for line in out.splitlines() if line.startswith("[TODO]")] == planted.doctor, out

    assert (
        main(
            [
                "estate",
                "pull",
                "--stack",
                "demo",
                "--config-recorders",
                *planted.pull_flags,
                *stack_files(tmp_path),
            ]
        )
        == 0
    )
    capsys.readouterr()
    code = main(["preview", "--stack", "demo", "--estate", str(estate)])
    out, err = capsys.readouterr()
    assert code == planted.preview_code, out + err
    assert [said for said in planted.preview if said not in out + err] == [], out + err
