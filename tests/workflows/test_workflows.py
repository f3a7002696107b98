"""CI workflows: they parse, run on the right triggers, reach AWS only through OIDC, and call exactly
the commands the docs give (`make test`, `make preview`, the pack-enforced `pulumi preview`, the
replacement gate, the drift check)."""

from __future__ import annotations

import re
import tomllib
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
# The checks of the drift job: each fails the job and opens (or comments on) the drift issue.
DRIFT = (
    "frontdoor drift --stack prod",
    "frontdoor drift-triage drift.json",
    "frontdoor canary --stack prod --live",
)
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


def job_runs(job: dict[str, Any]) -> list[str]:
    """One job's `run:` lines, each as one line (a `\\` continuation joined too)."""
    return [" ".join(step["run"].replace("\\\n", " ").split()) for step in job["steps"] if "run" in step]


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
    same_repo = "github.event.pull_request.head.repo.full_name == github.repository"
    for job in load("preview.yml")["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith(CONFIGURE_AWS) or "pulumi preview" in step.get("run", ""):
                # On the step, or on the whole job (the monitoring preview's: every step needs secrets).
                assert same_repo in job.get("if", "") or same_repo in step["if"]


def test_deploy_gates_then_applies_in_the_prod_environment() -> None:
    workflow = load("deploy.yml")
    assert list(workflow["jobs"]) == ["deploy", "deploy-monitoring"]
    job = workflow["jobs"]["deploy"]
    # The deploy role trusts repo:OWNER/REPO:environment:prod: the job must run in that environment.
    assert job["environment"] == "prod"
    assert workflow["concurrency"]["cancel-in-progress"] is False
    commands = job_runs(job)
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


def test_every_canary_step_has_the_managed_policies_and_action_tables_and_says_what_it_checks() -> None:
    """Without moto's managed-policy documents and parliament's action tables the canary prints the
    managed policies and inline actions unknown (exit 4): each job that runs it installs them first
    (preview: `make test` installs the dev extra; drift: the canary extra), pinned as dev pins them.
    It checks every assigned permission set, not the ABAC set alone: no step name says "ABAC"."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    dev = {re.split(r"[\[=]", pin)[0]: pin.split("==")[1] for pin in extras["dev"]}
    assert {pin.split("==")[0]: pin.split("==")[1] for pin in extras["canary"]} == {
        "moto": dev["moto"],
        "parliament": dev["parliament"],
    }
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --disable-pip-version-check --no-compile -e '.[dev]'" in makefile
    found = {}
    for name in ("preview.yml", "drift.yml"):
        for job_name, job in load(name)["jobs"].items():
            commands = job_runs(job)
            at = [i for i, command in enumerate(commands) if "frontdoor canary" in command]
            if not at:
                continue
            installs = [i for i, c in enumerate(commands) if c == "make test" or "-e '.[canary]'" in c]
            assert installs and installs[0] < at[0], (name, job_name)
            named = [s["name"] for s in job["steps"] if "frontdoor canary" in s.get("run", "")]
            found[name] = named
    assert found == {
        "preview.yml": [
            "Team canary (offline; every assigned permission set, every team against every other team)"
        ],
        "drift.yml": [
            "Team canary of every assigned permission set, offline and against IAM's policy simulator "
            "(fails on any disagreement)"
        ],
    }
    drift = load("drift.yml")["jobs"]["drift"]
    assert "python -m venv .venv && .venv/bin/python -m pip install --quiet -e '.[canary]'" in job_runs(drift)


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


# --- the monitoring stack: its own jobs, the only ones holding Datadog keys -----------------------------
MONITORING_PACK_CONFIG = "frontdoor policy-config --stack prod-monitoring > policy-config.monitoring.json"
MONITORING_PREVIEW = (
    "pulumi preview --stack prod-monitoring --policy-pack policy --policy-pack-config "
    "policy-config.monitoring.json --json > preview-monitoring.json 2> preview-monitoring.log"
)
MONITORING_GATE = (
    "frontdoor gate preview-monitoring.json --allow stacks/gate-allow.prod-monitoring.yaml "
    "| tee gate-monitoring.txt"
)
MONITORING_UP = (
    "pulumi up --stack prod-monitoring --yes --policy-pack policy "
    "--policy-pack-config policy-config.monitoring.json"
)
DATADOG_MARKERS = ("DD_", "DATADOG")


def _in_order(commands: list[str], expected: list[str]) -> bool:
    positions = [next(i for i, c in enumerate(commands) if command in c) for command in expected]
    return positions == sorted(positions)


def test_the_monitoring_stack_is_previewed_offline_and_for_real_on_pull_requests() -> None:
    workflow = load("preview.yml")
    assert list(workflow["jobs"]) == ["preview", "preview-monitoring"]
    assert "frontdoor preview --stack monitoring" in " ".join(job_runs(workflow["jobs"]["preview"]))
    job = workflow["jobs"]["preview-monitoring"]
    assert job["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    assert _in_order(job_runs(job), [MONITORING_PACK_CONFIG, MONITORING_PREVIEW, MONITORING_GATE])
    assert not any("pulumi up" in c for c in job_runs(job))
    (preview,) = [s for s in job["steps"] if str(s.get("run", "")).startswith("pulumi preview")]
    # A read-only application key: the key that writes monitors is the deploy environment's alone.
    assert preview["env"] == {
        "DD_API_KEY": "${{ secrets.DATADOG_API_KEY }}",
        "DD_APP_KEY": "${{ secrets.DATADOG_READONLY_APP_KEY }}",
    }


def test_the_monitoring_deploy_follows_prod_in_its_own_environment() -> None:
    job = load("deploy.yml")["jobs"]["deploy-monitoring"]
    assert job["needs"] == "deploy"  # it reads prod's outputs
    assert job["environment"] == "monitoring"
    assert job["env"] == {"PULUMI_ACCESS_TOKEN": "${{ secrets.PULUMI_ACCESS_TOKEN }}"}
    assert _in_order(
        job_runs(job), [MONITORING_PACK_CONFIG, MONITORING_PREVIEW, MONITORING_GATE, MONITORING_UP]
    )
    # The write keys reach exactly the two steps that run the Datadog provider, not the install steps.
    keys = {"DD_API_KEY": "${{ secrets.DD_API_KEY }}", "DD_APP_KEY": "${{ secrets.DD_APP_KEY }}"}
    holding = [step["name"] for step in job["steps"] if step.get("env") == keys]
    assert holding == ["Preview prod-monitoring with the policy pack", "Deploy prod-monitoring"]
    assert [step["name"] for step in job["steps"] if "env" in step] == holding


@pytest.mark.parametrize(
    ("name", "job_name"), [("preview.yml", "preview-monitoring"), ("deploy.yml", "deploy-monitoring")]
)
def test_the_monitoring_jobs_get_no_aws_credentials(name: str, job_name: str) -> None:
    job = load(name)["jobs"][job_name]
    assert job["permissions"] == {"contents": "read"}  # no OIDC token to exchange
    assert not [s for s in job["steps"] if str(s.get("uses", "")).startswith(CONFIGURE_AWS)]


@pytest.mark.parametrize(
    ("name", "job_name"), [("preview.yml", "preview"), ("deploy.yml", "deploy"), ("drift.yml", "drift")]
)
def test_no_datadog_key_reaches_an_identity_stack_job(name: str, job_name: str) -> None:
    # The identity program imports no Datadog SDK and reads no Datadog key (tests/frontdoor/program).
    text = yaml.safe_dump(load(name)["jobs"][job_name])
    assert [marker for marker in DATADOG_MARKERS if marker in text] == []
