"""The StackSet template is a valid CloudFormation template, judged by cfn-lint (AWS's own linter,
installed with moto[server]) against the AWS::IAM::Role resource specification."""

from __future__ import annotations

import json
from pathlib import Path

from cfnlint.api import ManualArgs, lint

from frontdoor.domain.config.files import read_stack_file
from frontdoor.domain.config.parse import parse_stack_config
from frontdoor.domain.documents.machines import render_template, role_template

DEMO = Path(__file__).resolve().parents[4] / "stacks" / "Pulumi.demo.yaml"
ORG = "o-acme7med01"


def _problems(template: str) -> list[str]:
    return [str(match) for match in lint(template, config=ManualArgs(regions=["us-east-1"]))]


def test_the_demo_consumers_templates_lint_clean() -> None:
    machines = parse_stack_config(read_stack_file(DEMO), str(DEMO)).machines
    assert machines is not None
    templates = {
        name: render_template(role_template(name, spec, machines.vault.vault_role_arn, ORG, "team"))
        for name, spec in machines.consumers.items()
    }
    assert sorted(templates) == ["jenkins-firmware", "legacy-reporting"]
    assert {name: _problems(template) for name, template in templates.items()} == {
        "jenkins-firmware": [],
        "legacy-reporting": [],
    }
    # The linter is not a yes-machine: a session shorter than IAM's minimum is caught.
    broken = json.loads(templates["legacy-reporting"])
    broken["Resources"]["VaultTargetRole"]["Properties"]["MaxSessionDuration"] = 100
    assert any("E3034" in problem for problem in _problems(json.dumps(broken)))
