"""The pack on a program that is not ours: `frontdoor preview --program DIR` catches each rule by id.

The fixture program breaks every rule once, with a resource named after the rule it breaks (or a
name starting with it). Each rule must report that resource, and only under its own id.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from frontdoor.commands.cli import main

PROGRAMS = Path(__file__).resolve().parents[2] / "fixtures" / "programs"
FIXTURE = PROGRAMS / "rule_breakers"
REPO = Path(__file__).resolve().parents[3]
RULES = sorted(
    p.stem.replace("_", "-") for p in (REPO / "policy" / "rules").glob("*.py") if not p.stem.startswith("_")
)


PEOPLE_POLICY = {
    "allowedWorkerTypes": {"AdminSet": ["employee"]},
    "groupMembers": {
        "aws-privileged-contractors": [{"login": "c@x.example", "workerType": "contractor", "row": 1}]
    },
    "hrExport": "hr.csv",
}


def _preview(program: Path, stack_dir: Path) -> tuple[int, list[dict[str, str]]]:
    stack = stack_dir / "Pulumi.rules.yaml"
    # The pushes need the app's provisioning known to be on (engine rule push-group-needs-provisioning).
    stack.write_text("config:\n  aws:region: us-east-1\n  frontdoor:okta:\n    provisioningEnabled: true\n")
    # The people policy's config, as frontdoor derives it from a stack's HR export and group rules.
    (stack_dir / "policy-config.rules.json").write_text(
        json.dumps({"privileged-worker-types": PEOPLE_POLICY})
    )
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        estate = str(REPO / "stacks" / "estate.demo.yaml")
        arguments = ["preview", "--program", str(program), "--stack", "rules", "--config", str(stack)]
        code = main([*arguments, "--estate", estate, "--json"])
    violations: list[dict[str, str]] = json.loads(buffer.getvalue())["violations"]
    return code, violations


@pytest.fixture(scope="module")
def caught(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    code, violations = _preview(FIXTURE, tmp_path_factory.mktemp("stack"))
    assert code == 1  # mandatory violations
    by_resource: dict[str, set[str]] = {}
    for violation in violations:
        name = violation["urn"].rsplit("::", 1)[-1] if violation["urn"] else "(stack)"
        by_resource.setdefault(name, set()).add(violation["policy"])
    return by_resource


def test_every_rule_has_a_breaker() -> None:
    assert len(RULES) == 32


def test_a_stack_without_an_iam_user_deny_at_the_root(tmp_path: Path) -> None:
    code, violations = _preview(PROGRAMS / "no_root_guardrail", tmp_path)
    assert code == 1
    assert [(v["policy"], v["enforcement"]) for v in violations] == [
        ("scp-deny-iam-users-at-root", "mandatory")
    ]


# Rules that judge the monitors together and report on one of them (the one first by URN), not
# necessarily on their breaker: caught when reported on any resource.
WHOLE_STACK_RULES = ("identity-monitors-present",)


@pytest.mark.parametrize("rule", [r for r in RULES if r != "scp-deny-iam-users-at-root"])
def test_each_rule_catches_its_breaker_by_id(caught: dict[str, set[str]], rule: str) -> None:
    if rule in WHOLE_STACK_RULES:
        assert any(rule in ids for ids in caught.values()), (
            f"{rule} reported nothing; caught: {sorted(caught)}"
        )
        return
    breakers = {name: ids for name, ids in caught.items() if name.startswith(rule)}
    assert breakers, f"{rule} reported nothing on its breaker; caught: {sorted(caught)}"
    assert all(rule in ids for ids in breakers.values())


def test_two_pack_processes_report_exactly_what_one_does(tmp_path: Path) -> None:
    from frontdoor.offline.analyzer import analyze
    from frontdoor.offline.engine import run_program
    from frontdoor.offline.estate import load_estate

    run = run_program(
        FIXTURE,
        stack="rules",
        config={"aws:region": "us-east-1", "frontdoor:okta": {"provisioningEnabled": True}},
        estate=load_estate(REPO / "stacks" / "estate.demo.yaml"),
    )
    one = analyze(run.resources, shards=1)
    two = analyze(run.resources, shards=2)
    assert len(one.violations) >= 25
    assert two.violations == one.violations
    assert two.policies == one.policies
    assert "analysed by 2 pack processes" in two.diagnostics
