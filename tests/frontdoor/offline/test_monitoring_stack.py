"""The monitoring stack: the Datadog monitors in their own stack, reading the identity stack's outputs
through a StackReference that the offline engine answers from stacks/estate.monitoring.yaml."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from frontdoor.commands.cli import main
from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.files import provider_settings
from frontdoor.domain.planning.identity_outputs import IDENTITY_OUTPUTS
from frontdoor.offline import analyzer
from frontdoor.offline.engine import RecordedRead, run_program
from frontdoor.offline.estate import load_estate
from frontdoor.offline.estate_mocks import UnansweredStackReference
from frontdoor.offline.preview import PreviewResult, identity_lines

REPO = Path(__file__).resolve().parents[3]
GOLDEN = REPO / "tests" / "golden" / "monitoring-identities.tsv"
ESTATE = REPO / "stacks" / "estate.monitoring.yaml"
IDENTITY_STACK = "acme-medical/frontdoor/demo"
DEMO_CONFIG = REPO / "stacks" / "Pulumi.demo.yaml"


def test_the_monitors_register_here_and_pass_the_pack(monitoring: PreviewResult) -> None:
    assert monitoring.run.counts_by_type() == {
        "datadog:aws/integrationAccount:IntegrationAccount": 1,
        "datadog:index/logsMetric:LogsMetric": 3,
        "datadog:index/monitor:Monitor": 7,
        "datadog:index/serviceLevelObjective:ServiceLevelObjective": 1,
        "frontdoor:datadog:DatadogMonitors": 1,
        "pulumi:providers:datadog": 1,
    }
    assert monitoring.policies_evaluated
    assert [v.as_json() for v in monitoring.violations] == []
    outputs = {name: out.value for name, out in monitoring.run.outputs.items()}
    # The integration's external ID is Datadog's to generate: offline it is not known (None), as it is
    # unknown in a real preview until the integration exists; the identity stack's role trusts it.
    assert outputs == {"identityStack": IDENTITY_STACK, "datadogExternalId": None}


def test_identities_match_the_golden_snapshot(monitoring: PreviewResult) -> None:
    # The names the identity stack gave them: `pulumi state move` carries these URNs over unchanged.
    assert identity_lines(monitoring.run.resources) == GOLDEN.read_text().splitlines()


def test_the_stack_reference_read_is_recorded_and_not_registered(monitoring: PreviewResult) -> None:
    assert monitoring.run.reads == [
        RecordedRead(
            type="pulumi:pulumi:StackReference",
            name="identity",
            urn="urn:pulumi:monitoring::frontdoor::pulumi:pulumi:StackReference::identity",
            id=IDENTITY_STACK,
        )
    ]
    assert not [r for r in monitoring.run.resources if r.type == "pulumi:pulumi:StackReference"]


def test_the_queries_carry_the_identity_stacks_outputs(monitoring: PreviewResult) -> None:
    by_name = {r.name: r for r in monitoring.run.resources}
    integration = by_name["identity-monitors/aws-100000000026"].inputs
    assert integration["awsAccountId"] == "100000000026"
    query = by_name["identity-monitors/iam-user-created"].inputs["query"]
    assert "-@requestParameters.userName:(breakglass-1 OR breakglass-2)" in query
    sso = by_name["identity-monitors/okta-aws-sso"].inputs["filter"]["query"]
    assert '@target.displayName:"AWS IAM Identity Center"' in sso


def test_the_estate_holds_exactly_what_the_demo_identity_stack_exports(
    demo: PreviewResult, monitoring: PreviewResult
) -> None:
    exported = {name: demo.run.outputs[name].value for name in IDENTITY_OUTPUTS}
    assert not any(demo.run.outputs[name].secret for name in IDENTITY_OUTPUTS)
    assert load_estate(ESTATE).stack_outputs == {IDENTITY_STACK: exported}
    assert exported == {
        "oktaAppLabel": "AWS IAM Identity Center",
        "trailAccountId": "100000000026",
        "breakGlassUserNames": ["breakglass-1", "breakglass-2"],
    }


def test_identity_monitors_present_judges_the_monitoring_stack(monitoring: PreviewResult) -> None:
    without = [r for r in monitoring.run.resources if r.name != "identity-monitors/scim-errors-aws"]
    result = analyzer.analyze(without, config={})
    assert [(v.policy, v.urn.rsplit("::", 1)[-1], v.message) for v in result.violations] == [
        (
            "identity-monitors-present",
            "identity-monitors",
            "identity monitoring has no monitor for SCIM errors in Identity Center, which fails silently "
            "otherwise; add a log monitor on source:cloudtrail "
            "@eventSource:identitystore-scim.amazonaws.com @errorCode:*",
        )
    ]


def _estate_without(tmp_path: Path, *lines: str) -> Path:
    text = ESTATE.read_text()
    for line in lines:
        assert line in text
        text = text.replace(line, "")
    path = tmp_path / "estate.monitoring.yaml"
    path.write_text(text)
    return path


FIX = (
    f"copy the identity stack's outputs under stackOutputs.{IDENTITY_STACK} of {{estate}}: "
    f"`pulumi stack output --json --stack {IDENTITY_STACK}` prints them (after a `pulumi up` of that "
    "stack with this frontdoor version, which exports oktaAppLabel, trailAccountId, breakGlassUserNames); "
    "the preview of stack monitoring reads nothing else"
)


def test_with_unknown_ids_the_cli_preview_defers_the_rule_that_reads_an_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--unknown-ids` previews the stack as `pulumi preview` sees one it will create: the burn-rate
    monitor's query names the SLO's id, so the rule judging it defers (advisory), and nothing else moves."""
    assert main(["preview", "--stack", "monitoring", "--unknown-ids", "--quiet", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [(v["policy"], v["enforcement"], v["urn"].rsplit("::", 1)[1]) for v in document["violations"]] == [
        ("datadog-monitor-query-type", "advisory", "identity-monitors/sso-burn-rate")
    ]


def test_a_missing_output_stops_the_preview(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    estate = _estate_without(tmp_path, "    trailAccountId: '100000000026'\n")
    assert main(["preview", "--stack", "monitoring", "--estate", str(estate), "--quiet"]) == 2
    assert capsys.readouterr().err == (
        "error: bad input, nothing was registered\n"
        f"{estate}: stackOutputs.{IDENTITY_STACK}.trailAccountId: the identity stack's output is missing "
        f"(got None). Fix: {FIX.format(estate=estate)}\n"
    )


def test_missing_outputs_of_the_identity_stack_stop_the_preview(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    estate = _estate_without(
        tmp_path,
        "stackOutputs:\n",
        f"  {IDENTITY_STACK}:\n",
        "    oktaAppLabel: AWS IAM Identity Center\n",
        "    trailAccountId: '100000000026'\n",
        "    breakGlassUserNames: [breakglass-1, breakglass-2]\n",
    )
    assert main(["preview", "--stack", "monitoring", "--estate", str(estate), "--json"]) == 2
    document = json.loads(capsys.readouterr().out)
    assert document["error"]["issues"] == [
        {
            "file": str(estate),
            "field": f"stackOutputs.{IDENTITY_STACK}",
            "value": "None",
            "problem": "the identity stack's outputs are missing",
            "fix": FIX.format(estate=estate),
        }
    ]


def test_a_malformed_output_is_refused_with_the_apis_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ESTATE.read_text().replace("trailAccountId: '100000000026'", "trailAccountId: '10000000002'")
    estate = tmp_path / "estate.monitoring.yaml"
    estate.write_text(text)
    assert main(["preview", "--stack", "monitoring", "--estate", str(estate), "--quiet"]) == 2
    assert capsys.readouterr().err.splitlines()[1] == (
        f"{estate}: stackOutputs.{IDENTITY_STACK}.trailAccountId: the trail's account id does not match the "
        "pattern ^\\d{12}$ (botocore organizations model, shape AccountId) (got '10000000002'). Fix: the "
        "identity stack exports it from its config: fix the identity stack's config and run its `pulumi up`, "
        "then read the outputs again"
    )


def _run_monitoring_program(estate: Path) -> None:
    run_program(
        REPO,
        stack="monitoring",
        config=provider_settings(REPO / "stacks" / "Pulumi.monitoring.yaml"),
        estate=load_estate(estate),
    )


def test_the_program_itself_refuses_a_missing_output(tmp_path: Path) -> None:
    # What `pulumi up` does with a StackReference that lacks an output: the program stops the run.
    estate = _estate_without(tmp_path, "    oktaAppLabel: AWS IAM Identity Center\n")
    with pytest.raises(ConfigError) as error:
        _run_monitoring_program(estate)
    assert [issue.render() for issue in error.value.issues] == [
        "stacks/Pulumi.monitoring.yaml: frontdoor:monitoring.identityStack (acme-medical/frontdoor/demo) "
        "outputs.oktaAppLabel: the identity stack's output is missing (got None). Fix: run `pulumi up "
        "--stack acme-medical/frontdoor/demo` with this frontdoor version first: it exports oktaAppLabel, "
        "trailAccountId, breakGlassUserNames; then this stack"
    ]


def test_the_engine_never_answers_an_unknown_stack_with_nothing(tmp_path: Path) -> None:
    # Outputs of another stack only: the identity stack's are unknown, and the read fails loudly.
    estate = tmp_path / "estate.monitoring.yaml"
    estate.write_text(ESTATE.read_text().replace(f"  {IDENTITY_STACK}:", "  acme-medical/frontdoor/staging:"))
    with pytest.raises(UnansweredStackReference) as error:
        _run_monitoring_program(estate)
    assert str(error.value) == (
        f"a StackReference reads stack '{IDENTITY_STACK}', whose outputs the estate does not hold: add them "
        f"under stackOutputs.{IDENTITY_STACK} (`pulumi stack output --json --stack {IDENTITY_STACK}` "
        "prints them)"
    )


def test_an_identity_stack_refuses_the_monitors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Ignoring the block would let the next `pulumi up` of the identity stack delete the monitors.
    monitoring = (REPO / "stacks" / "Pulumi.monitoring.yaml").read_text()
    block = monitoring[monitoring.index("  frontdoor:observability:") :]
    config = tmp_path / "Pulumi.demo.yaml"
    config.write_text(DEMO_CONFIG.read_text() + "\n" + block)
    assert main(["preview", "--stack", "demo", "--config", str(config), "--quiet"]) == 2
    assert capsys.readouterr().err == (
        "error: bad input, nothing was registered\n"
        f"{config}: frontdoor:observability: the Datadog monitors moved to their own stack, the monitoring "
        "stack: an identity stack no longer registers them (got 'frontdoor:observability'). Fix: move this "
        "block to the monitoring stack's file (stacks/Pulumi.<stack>-monitoring.yaml; the demo's is "
        "stacks/Pulumi.monitoring.yaml) beside frontdoor:monitoring.identityStack naming this stack; on a "
        "deployed stack move the monitors' state first (`pulumi state move`, docs/monitoring-stack.md), then "
        "delete the block here\n"
    )


def test_the_state_move_runbook_names_the_registered_component_and_no_provider(
    monitoring: PreviewResult,
) -> None:
    # `pulumi state move` refuses a provider URN ("cannot move providers", pulumi/pulumi#16722) and moves
    # nothing; it copies the moved resources' providers itself. Each URN it is given must be a top-level
    # resource the monitoring program registers, under the same type and name (children follow).
    runbook = (REPO / "docs" / "monitoring-stack.md").read_text()
    block = runbook.split("pulumi state move --source prod --dest prod-monitoring", 1)[1].split("```", 1)[0]
    urns = re.findall(r"'(urn:pulumi:[^']+)'", block)
    assert urns, "the runbook's `pulumi state move` names no URN"
    assert [u for u in urns if "::pulumi:providers:" in u] == []
    registered = {
        r.urn.split("::", 2)[2]
        for r in monitoring.run.resources
        if not r.parent_urn or r.parent_urn.split("::")[2] == "pulumi:pulumi:Stack"
    }
    assert {u.removeprefix("urn:pulumi:prod::frontdoor::") for u in urns} <= registered
