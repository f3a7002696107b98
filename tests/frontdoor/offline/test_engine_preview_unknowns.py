"""The engine runs the program with preview semantics: a value unknown at preview reaches the pack as
unknown, as with `pulumi preview` (issue 13 item 10).

Before, the mocks ran with preview=False: an output the provider computes (here an SSM parameter's
`version`) resolved to None, `apply` ran on it, and the permission set registered "PTNoneH", which
the real-API check refused with exit 3. At preview the CLI hands the pack an unknown instead, and
session-duration-limit defers with the SDK's advisory "can't run policy … during preview".
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pulumi.output import Unknown

from frontdoor.offline.engine import run_program
from frontdoor.offline.estate import Estate, load_estate
from frontdoor.offline.preview import resolve_inputs, run_preview

REPO = Path(__file__).resolve().parents[3]
DEMO_ESTATE = REPO / "stacks" / "estate.demo.yaml"
PERMISSION_SET = "aws:ssoadmin/permissionSet:PermissionSet"
DEVELOPER = f"urn:pulumi:probe::frontdoor::{PERMISSION_SET}::developer"

PROGRAM = """
import pulumi_aws as aws

duration = aws.ssm.Parameter("session-duration", name="/frontdoor/session", type="String", value="PT8H")
aws.ssoadmin.PermissionSet(
    "developer",
    name="DeveloperAccess",
    instance_arn="arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6",
    # `version` is computed by the provider: unknown until the parameter exists.
    session_duration=duration.version.apply(lambda version: f"PT{version}H"),
)
"""


@pytest.fixture(scope="module")
def estate() -> Estate:
    return load_estate(DEMO_ESTATE)


def _program(tmp_path: Path) -> Path:
    (tmp_path / "__main__.py").write_text(textwrap.dedent(PROGRAM))
    (tmp_path / "Pulumi.probe.yaml").write_text("config:\n  aws:region: us-east-1\n")
    return tmp_path


def test_an_input_computed_from_an_unknown_output_is_recorded_as_unknown(
    estate: Estate, tmp_path: Path
) -> None:
    run = run_program(_program(tmp_path), stack="probe", config={}, estate=estate)
    developer = next(r for r in run.resources if r.urn == DEVELOPER)
    assert isinstance(developer.inputs["sessionDuration"], Unknown)
    # What the program wrote itself stays known.
    assert developer.inputs["name"] == "DeveloperAccess"


def test_the_pack_defers_on_the_unknown_instead_of_failing_the_run(tmp_path: Path) -> None:
    program = _program(tmp_path)
    inputs = resolve_inputs("probe", program, program / "Pulumi.probe.yaml", DEMO_ESTATE)
    result = run_preview(inputs, evaluate_policies=True)
    on_developer = [(v.policy, v.enforcement, v.message) for v in result.violations if v.urn == DEVELOPER]
    assert (
        "session-duration-limit",
        "advisory",
        "can't run policy 'session-duration-limit' from policy pack 'frontdoor-guardrails@v0.0.1' during "
        "preview: string value at .sessionDuration can't be known during preview",
    ) in on_developer
    # Never a mandatory verdict on a value nobody knows yet ("got null", "principalType missing").
    assert [p for p, level, _ in on_developer if level == "mandatory"] == []


def test_with_unknown_ids_a_created_resource_has_no_id_and_no_computed_output(
    estate: Estate, tmp_path: Path
) -> None:
    program = _program(tmp_path)
    derived = run_program(program, stack="probe", config={}, estate=estate)
    unknown = run_program(program, stack="probe", config={}, estate=estate, unknown_ids=True)
    before = next(r for r in derived.resources if r.urn == DEVELOPER)
    after = next(r for r in unknown.resources if r.urn == DEVELOPER)
    assert before.id == "developer-id"
    assert before.outputs["arn"].startswith("arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-")
    # As `pulumi preview` has a resource it will create: no id, no ARN, the inputs as written.
    assert after.id == ""
    assert "arn" not in after.outputs and "id" not in after.outputs
    assert after.inputs["name"] == after.outputs["name"] == "DeveloperAccess"
