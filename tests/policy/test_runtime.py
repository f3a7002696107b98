"""policy/runtime.py: the pack's servicer answers exactly as the SDK's, decoding each resource once.

Both servicers are driven in-process with the requests the engine sends (frontdoor.offline.analyzer builds
them from a program's record), over the demo stack and the fixture program that breaks every rule,
under the default configuration and one that disables, demotes and reconfigures policies, and with
every value unknown (as at a first preview). Every Analyze and AnalyzeStack response must be equal
field for field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi_policy import EnforcementLevel
from pulumi_policy import policy as sdk
from rules import POLICIES, _common
from runtime import SDK_VERSION, DecodeOnceServicer, check_sdk_version

from frontdoor.offline.analyzer_protocol import (
    analyze_request,
    configure_request,
    reconcile_config,
    stack_request,
)
from frontdoor.offline.engine import run_program
from frontdoor.offline.estate import load_estate
from frontdoor.offline.preview import PreviewResult
from frontdoor.offline.project import PACK_DIR
from frontdoor.offline.record import RecordedResource

REPO = Path(__file__).resolve().parents[2]
PROGRAMS = {"demo": REPO, "rule_breakers": REPO / "tests" / "fixtures" / "programs" / "rule_breakers"}
CONFIGS: dict[str, Mapping[str, Any]] = {
    "defaults": {},
    "reconfigured": {
        "all": "advisory",
        "no-iam-users": "disabled",
        "unused-permission-set": "disabled",
        "admin-access-restricted": {"enforcementLevel": "remediate"},  # a stack rule
        "session-duration-limit": {"enforcementLevel": "remediate", "maxHours": 1},  # a resource rule
    },
}
STACK_RULES = [p.name for p in POLICIES if isinstance(p, sdk.StackValidationPolicy)]


def _servicer(cls: type[sdk._PolicyAnalyzerServicer]) -> sdk._PolicyAnalyzerServicer:
    # The arguments PolicyPack passes (policy/__main__.py's pack, version as the SDK reports it).
    return cls(
        "frontdoor-guardrails",
        "0.0.1",
        POLICIES,
        EnforcementLevel.MANDATORY,
        None,
        "Identity guardrails",
        None,
        None,
        None,
        None,
        None,
    )


@pytest.fixture(scope="module", params=sorted(PROGRAMS))
def program(request: pytest.FixtureRequest) -> tuple[str, list[RecordedResource]]:
    if request.param == "demo":
        # The record the demo preview sent its pack (the session's: tests/conftest.py).
        demo: PreviewResult = request.getfixturevalue("demo")
        return request.param, demo.run.resources
    estate = load_estate(REPO / "stacks" / "estate.demo.yaml")
    # The pushes need the app's provisioning known to be on (engine rule push-group-needs-provisioning).
    config = {"aws:region": "us-east-1", "frontdoor:okta": {"provisioningEnabled": True}}
    run = run_program(PROGRAMS[request.param], stack="rules", config=config, estate=estate)
    return request.param, run.resources


@pytest.fixture
def records(program: tuple[str, list[RecordedResource]]) -> list[RecordedResource]:
    return program[1]


@pytest.fixture(params=sorted(CONFIGS))
def servicers(
    request: pytest.FixtureRequest, program: tuple[str, list[RecordedResource]]
) -> Iterator[tuple[sdk._PolicyAnalyzerServicer, DecodeOnceServicer, bool]]:
    """Both servicers configured alike, and whether this program under this config must report."""
    name, records = program
    theirs, ours = _servicer(sdk._PolicyAnalyzerServicer), _servicer(DecodeOnceServicer)
    info = theirs.GetAnalyzerInfo(None, None)
    reconciled, _ = reconcile_config(info, CONFIGS[request.param], records, PACK_DIR)
    for servicer in (theirs, ours):
        servicer.Configure(configure_request(reconciled), None)
    assert isinstance(ours, DecodeOnceServicer)
    # The demo is clean under its own config; the rule breakers always report, and so does the demo
    # once sessions over 1 hour are violations.
    yield theirs, ours, (name, request.param) != ("demo", "defaults")


@pytest.mark.slow
def test_analyze_answers_as_the_sdk_does(
    servicers: tuple[sdk._PolicyAnalyzerServicer, DecodeOnceServicer, bool], records: list[RecordedResource]
) -> None:
    theirs, ours, reports = servicers
    reported = 0
    for record in records:
        request = analyze_request(record)
        expected = theirs.Analyze(request, None)
        assert ours.Analyze(request, None) == expected, record.urn
        reported += len(expected.diagnostics)
    assert (reported > 0) == reports


@pytest.mark.slow
def test_analyze_stack_answers_as_the_sdk_does(
    servicers: tuple[sdk._PolicyAnalyzerServicer, DecodeOnceServicer, bool], records: list[RecordedResource]
) -> None:
    theirs, ours, _ = servicers
    request = stack_request(records)
    expected = theirs.AnalyzeStack(request, None)
    assert ours.AnalyzeStack(request, None) == expected
    assert len(expected.diagnostics) + len(expected.not_applicable) > 0


@pytest.mark.slow
def test_the_stack_is_unwrapped_once_per_request_not_once_per_stack_rule(
    monkeypatch: pytest.MonkeyPatch, records: list[RecordedResource]
) -> None:
    calls: list[int] = []
    unwrap = _common._stack_view
    monkeypatch.setattr(_common, "_stack_view", lambda resources: calls.append(1) or unwrap(resources))
    request = stack_request(records)
    _servicer(sdk._PolicyAnalyzerServicer).AnalyzeStack(request, None)
    assert len(calls) == len(STACK_RULES) == 15
    calls.clear()
    _servicer(DecodeOnceServicer).AnalyzeStack(request, None)
    assert len(calls) == 1


def test_the_runtime_follows_the_installed_sdk() -> None:
    check_sdk_version()  # the pinned pulumi-policy is the one the overrides were ported from
    assert SDK_VERSION == "1.21.0"


def test_another_sdk_version_is_refused_with_the_fix() -> None:
    with pytest.raises(RuntimeError) as raised:
        check_sdk_version("1.22.0")
    assert str(raised.value) == (
        "policy/runtime.py follows pulumi_policy 1.21.0's servicer, but 1.22.0 is installed: "
        "port DecodeOnceServicer.Analyze/AnalyzeStack to 1.22.0 (and run tests/policy/test_runtime.py), "
        "or pin pulumi-policy==1.21.0"
    )


@pytest.mark.slow
def test_values_unknown_at_preview_answer_as_the_sdk_does(records: list[RecordedResource]) -> None:
    # Every input unknown, as in a preview before anything exists: rules defer with the SDK's
    # advisory "can't run policy … during preview" diagnostics, from both servicers alike.
    unknown = [
        dataclasses.replace(r, inputs={key: Unknown() for key in r.inputs}, outputs={}) for r in records
    ]
    theirs, ours = _servicer(sdk._PolicyAnalyzerServicer), _servicer(DecodeOnceServicer)
    deferred = 0
    for record in unknown:
        request = analyze_request(record)
        expected = theirs.Analyze(request, None)
        assert ours.Analyze(request, None) == expected, record.urn
        deferred += sum("during preview" in d.message for d in expected.diagnostics)
    stack = stack_request(unknown)
    assert ours.AnalyzeStack(stack, None) == theirs.AnalyzeStack(stack, None)
    assert deferred > 0
