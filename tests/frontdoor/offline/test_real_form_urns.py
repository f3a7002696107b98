"""The gate and drift-triage judge the URNs the offline engine records, which are the engine's own.

Each step below carries a URN recorded from the demo run, so a nested component's resource is written
`TeamAccess$AccountAssignments$AccountAssignment`, as a real `pulumi preview --json` writes it; the allow
patterns docs/gate.md shows must match them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from frontdoor.commands import gate
from frontdoor.commands.cli import main
from frontdoor.domain.contracts import ACCOUNT_ASSIGNMENT, OKTA_PUSH_GROUP
from frontdoor.domain.resource_types import STACK_SET, STACK_SET_INSTANCE
from frontdoor.offline.preview import PreviewResult
from frontdoor.offline.record import RecordedResource

REPO = Path(__file__).resolve().parents[3]


def _step(op: str, record: RecordedResource) -> dict[str, object]:
    state = {"urn": record.urn, "type": record.type, "custom": record.custom}
    return {"op": op, "urn": record.urn, "oldState": state, "newState": state}


def _preview(tmp_path: Path, steps: list[dict[str, object]]) -> Path:
    path = tmp_path / "preview.json"
    path.write_text(json.dumps({"steps": steps}))
    return path


def _assignment(demo: PreviewResult, name: str) -> RecordedResource:
    (record,) = [r for r in demo.run.resources if r.type == ACCOUNT_ASSIGNMENT and r.name == name]
    return record


def test_the_gate_blocks_a_nested_delete_and_the_documented_glob_allows_it(
    demo: PreviewResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doomed = _assignment(demo, "aws-payments-readonly/ReadOnlyAuditor/100000002009")
    assert doomed.urn.split("::")[2] == (
        "frontdoor:index:TeamAccess$frontdoor:aws:AccountAssignments$aws:ssoadmin/accountAssignment:AccountAssignment"
    )
    preview = _preview(tmp_path, [_step("delete", doomed)])
    assert gate.main([str(preview), "--json"], today=date(2026, 6, 1)) == 1
    blocked = json.loads(capsys.readouterr().out)["blocked"]
    assert [b["urn"] for b in blocked] == [doomed.urn]
    # docs/gate.md's glob, for this stack: parents as a wildcard, the type and the name written out.
    allow = tmp_path / "allow.yaml"
    allow.write_text(
        "allow:\n"
        '  - urn: "urn:pulumi:demo::frontdoor::*$aws:ssoadmin/accountAssignment:AccountAssignment'
        '::aws-payments-readonly/ReadOnlyAuditor/*"\n'
        '    reason: "CHG-4821: re-pushed group"\n'
        "    expires: 2026-06-30\n"
    )
    assert gate.main([str(preview), "--allow", str(allow), "--json"], today=date(2026, 6, 1)) == 0
    capsys.readouterr()


def test_the_documented_exact_urn_shape_is_the_recorded_one(demo: PreviewResult) -> None:
    # docs/gate.md's exact entry names a push mapping by its whole chain, as the engine writes it.
    text = (REPO / "docs" / "gate.md").read_text()
    documented = (
        "frontdoor:index:AccessPlatform$frontdoor:okta:ScimProvisioning$okta:index/pushGroup:PushGroup"
    )
    assert f"::{documented}::" in text
    pushes = {r.urn.split("::")[2] for r in demo.run.resources if r.type == OKTA_PUSH_GROUP}
    assert pushes == {documented}


def test_drift_triage_reads_the_recorded_nested_urns(
    demo: PreviewResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = [
        _step("same", _assignment(demo, name))
        for name in (
            "aws-payments-dev/DeveloperAccess/100000000584",
            "aws-payments-dev/DeveloperAccess/100000000663",
            "aws-telemetry-dev/DeveloperAccess/100000000663",
        )
    ]
    deleted_by_hand = _step("create", _assignment(demo, "aws-telemetry-dev/DeveloperAccess/100000000584"))
    code = main(["drift-triage", str(_preview(tmp_path, [*kept, deleted_by_hand]))])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[-2:] == [
        "Drift: 1",
        f"  create {ACCOUNT_ASSIGNMENT} aws-telemetry-dev/DeveloperAccess/100000000584: aws-telemetry-dev "
        "keeps its other assignments and account 100000000584 keeps others: this one was deleted outside "
        "the pipeline",
    ]


def test_the_gate_blocks_deleting_a_vault_stack_set_or_its_instance(
    demo: PreviewResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (stack_set,) = [r for r in demo.run.by_type(STACK_SET) if r.name == "machines/jenkins-firmware/stack-set"]
    (instance,) = [
        r
        for r in demo.run.by_type(STACK_SET_INSTANCE)
        if r.name == "machines/jenkins-firmware/account/100000000375"
    ]
    preview = _preview(tmp_path, [_step("delete", stack_set), _step("delete", instance)])
    assert gate.main([str(preview), "--json"], today=date(2026, 6, 1)) == 1
    blocked = json.loads(capsys.readouterr().out)["blocked"]
    assert [(b["urn"], b["why"]) for b in blocked] == [
        (
            stack_set.urn,
            "a Vault consumer's StackSet: replacing or deleting it deletes the target role in every account "
            "it reaches (its auto-deployment is ForceNew)",
        ),
        (
            instance.urn,
            "a StackSet instance: deleting or replacing it deletes the Vault target role in the accounts it "
            "reaches, and a create-before-delete replacement deletes what the new one claimed",
        ),
    ]
