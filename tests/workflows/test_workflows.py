"""CI workflows: they parse, run on the right triggers, reach AWS only through OIDC, and call exactly
the commands the docs give (`make test`, `make preview`, the pack-enforced `pulumi preview`, the
replacement gate, the drift check)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
CONFIGURE_AWS = "aws-actions/configure-aws-credentials"
PACK_CONFIG = "frontdoor policy-config --stack prod > policy-config.json"
PREVIEW = (
    "pulumi preview --stack prod --policy-pack policy --policy-pack-config policy-config.json --json "
    "> preview.json 2> preview.log"
)
GATE = "frontdoor gate preview.json --allow stacks/gate-allow.prod.yaml"
UP = "pulumi up --stack prod --yes --policy-pack policy --policy-pack-config policy-config.json --parallel 10"
# The drift job's two checks: live access vs the plan, then the resources in the state.
DRIFT = ("frontdoor drift --stack prod", "frontdoor drift-triage drift.json")
# What DESIGN.md and docs/gate.md tell a user to run; the README repeats them.
DOCUMENTED = (
    "make test",
    "make preview",
    "frontdoor gate",
    "--policy-pack policy",
    "frontdoor drift --stack prod",
    "frontdoor drift-triage",
)


def load(name: str) -> dict[str, Any]:
    document = yaml.safe_load((WORKFLOWS / name).read_text())
    assert isinstance(document, dict)
    return document


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    value = workflow.get("on", workflow.get(True))
    assert isinstance(value, dict)
    return value


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def runs(workflow: dict[str, Any]) -> list[str]:
    """Each `run:` as one line (folded scalars and line continuations joined)."""
    return [" ".join(step["run"].replace("\\\n", " ").split()) for step in steps(workflow) if "run" in step]


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


def test_exactly_three_workflows_all_parse() -> None:
    assert sorted(p.name for p in WORKFLOWS.glob("*.y*ml")) == ["deploy.yml", "drift.yml", "preview.yml"]
    for path in WORKFLOWS.glob("*.yml"):
        assert load(path.name)["jobs"]


def test_triggers() -> None:
    assert triggers(load("preview.yml")) == {"pull_request": {"branches": ["main"]}}
    assert triggers(load("deploy.yml")) == {"push": {"branches": ["main"]}}
    drift = triggers(load("drift.yml"))
    assert set(drift) == {"schedule", "workflow_dispatch"}
    assert drift["schedule"] and all("cron" in entry for entry in drift["schedule"])


@pytest.mark.parametrize("name", ["preview.yml", "deploy.yml", "drift.yml"])
def test_aws_only_through_oidc(name: str) -> None:
    workflow = load(name)
    assert any(u.startswith(f"{CONFIGURE_AWS}@") for u in uses(workflow))
    permissions = workflow["permissions"]
    assert permissions["id-token"] == "write"
    assert permissions["contents"] == "read"
    for step in steps(workflow):
        if step.get("uses", "").startswith(CONFIGURE_AWS):
            inputs = step["with"]
            assert inputs["role-to-assume"].startswith("${{ vars.")
            assert not {"aws-access-key-id", "aws-secret-access-key", "aws-session-token"} & set(inputs)


@pytest.mark.parametrize("name", ["preview.yml", "deploy.yml", "drift.yml"])
def test_no_stored_aws_keys(name: str) -> None:
    text = (WORKFLOWS / name).read_text().lower()
    for forbidden in (
        "aws-access-key-id",
        "aws-secret-access-key",
        "aws_secret_access_key",
        "aws_access_key_id",
    ):
        assert forbidden not in text


@pytest.mark.parametrize("name", ["preview.yml", "deploy.yml", "drift.yml"])
def test_actions_pinned_to_a_release(name: str) -> None:
    for action in uses(load(name)):
        _, _, ref = action.partition("@")
        assert ref.startswith("v") and ref not in ("main", "master"), action


def test_preview_commands_in_order() -> None:
    commands = runs(load("preview.yml"))
    order = ["make test", "make preview", PACK_CONFIG, PREVIEW, GATE]
    positions = [next(i for i, c in enumerate(commands) if expected in c) for expected in order]
    assert positions == sorted(positions)
    assert not any("pulumi up" in c for c in commands)


def test_preview_skips_cloud_for_forks() -> None:
    for step in steps(load("preview.yml")):
        if step.get("uses", "").startswith(CONFIGURE_AWS) or "pulumi preview" in step.get("run", ""):
            assert "github.event.pull_request.head.repo.full_name == github.repository" in step["if"]


def test_deploy_gates_then_applies_in_the_prod_environment() -> None:
    workflow = load("deploy.yml")
    (job,) = workflow["jobs"].values()
    # The deploy role trusts repo:OWNER/REPO:environment:prod: the job must run in that environment.
    assert job["environment"] == "prod"
    assert workflow["concurrency"]["cancel-in-progress"] is False
    commands = runs(workflow)
    order = ["make test", PACK_CONFIG, PREVIEW, GATE, UP]
    positions = [next(i for i, c in enumerate(commands) if expected in c) for expected in order]
    assert positions == sorted(positions)


def test_drift_fails_loudly() -> None:
    workflow = load("drift.yml")
    assert workflow["permissions"]["issues"] == "write"
    checks = [
        next(s for s in steps(workflow) if command in " ".join(s.get("run", "").split())) for command in DRIFT
    ]
    assert all("set -o pipefail" in check["run"] for check in checks)
    report = next(s for s in steps(workflow) if "gh issue create" in s.get("run", ""))
    failed = " || ".join(f"steps.{check['id']}.outcome == 'failure'" for check in checks)
    assert report["if"] == f"failure() && ({failed})"
    assert "::error" in report["run"]


def test_every_documented_command_is_run_somewhere() -> None:
    everything = " ".join(c for name in ("preview.yml", "deploy.yml", "drift.yml") for c in runs(load(name)))
    for command in DOCUMENTED:
        assert command in everything


def test_readme_documents_the_ci_commands() -> None:
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.skip("README.md is not written yet")
    text = readme.read_text()
    missing = [command for command in DOCUMENTED if command not in text]
    assert missing == []
