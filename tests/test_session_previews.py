"""`demo_preview_reused` (tests/conftest.py) answers only the demo stack's preview, never runs the program;
a test that changes a shared preview in place is seen."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from frontdoor.offline import people_report
from frontdoor.offline import preview as offline_preview
from frontdoor.offline.preview import PreviewResult, resolve_inputs
from tests.conftest import preview_fingerprint

REPO = Path(__file__).resolve().parents[1]


def test_the_demo_stack_gets_the_sessions_preview_with_or_without_the_pack(
    demo_preview_reused: PreviewResult,
) -> None:
    with_pack = offline_preview.run_preview(resolve_inputs("demo"))
    without = people_report.run_preview(resolve_inputs("demo"), evaluate_policies=False)
    assert with_pack is demo_preview_reused and with_pack.policies_evaluated
    assert without.run is demo_preview_reused.run
    assert (without.policies_evaluated, without.violations) == (False, [])


def test_other_inputs_and_a_program_run_are_refused(
    demo_preview_reused: PreviewResult, tmp_path: Path
) -> None:
    with pytest.raises(AssertionError, match=r"^not the demo stack's preview: "):
        offline_preview.run_preview(resolve_inputs("breakglass"))
    edited = tmp_path / "Pulumi.demo.yaml"
    edited.write_text((REPO / "stacks" / "Pulumi.demo.yaml").read_text() + "# edited\n")
    with pytest.raises(AssertionError, match=r"^not the demo stack's preview: "):
        offline_preview.run_preview(resolve_inputs("demo", config_file=edited))
    with pytest.raises(AssertionError, match=r"^the demo program ran again"):
        offline_preview.run_program(REPO, stack="demo", config={}, estate=demo_preview_reused.estate)


def test_the_fingerprint_sees_a_record_changed_in_place(demo: PreviewResult) -> None:
    # What `shared_previews_unchanged` compares after every test that holds a shared preview.
    changed = copy.deepcopy(demo)
    before = preview_fingerprint(changed)
    assert preview_fingerprint(changed) == before  # the same preview, read twice
    record = next(r for r in changed.run.resources if r.type == "aws:ssoadmin/permissionSet:PermissionSet")
    inputs = record.inputs
    assert isinstance(inputs, dict)
    inputs["sessionDuration"] = "PT12H" if inputs["sessionDuration"] != "PT12H" else "PT1H"
    assert preview_fingerprint(changed) != before
