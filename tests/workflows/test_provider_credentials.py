"""Provider credentials reach only the steps that run pulumi, from the GitHub environment of their job;
the Vault login is a per-step OIDC token; the Pulumi CLI is pinned to the SDK's version."""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.workflows.test_workflows import ROOT, WORKFLOWS, load, steps

NAMES = ("preview.yml", "deploy.yml", "drift.yml")


_PULUMI_COMMAND = re.compile(r"^\s*pulumi (preview|up) ", re.MULTILINE)
# The monitoring stack's jobs (issue 27): the Datadog provider alone, no AWS, Okta or Vault.
MONITORING_JOBS = {"preview.yml": "preview-monitoring", "deploy.yml": "deploy-monitoring"}
PULUMI_INSTALLS = {"preview.yml": 2, "deploy.yml": 2, "drift.yml": 1}


def _pulumi_steps(name: str) -> list[dict[str, object]]:
    """The identity stack's steps that run a pulumi command (not those that only print its log)."""
    jobs = load(name)["jobs"]
    return [
        s
        for job_name, job in jobs.items()
        if job_name != MONITORING_JOBS.get(name)
        for s in job["steps"]
        if _PULUMI_COMMAND.search(str(s.get("run", "")))
    ]


def _sdk_pin() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (pin,) = [d for d in project["project"]["dependencies"] if d.startswith("pulumi==")]
    return str(pin).removeprefix("pulumi==")


@pytest.mark.parametrize("name", NAMES)
def test_the_pulumi_cli_is_pinned_to_the_sdk_version(name: str) -> None:
    installs = [s for s in steps(load(name)) if str(s.get("uses", "")).startswith("pulumi/actions@")]
    assert len(installs) == PULUMI_INSTALLS[name], name
    for install in installs:
        assert install["with"] == {"pulumi-version": _sdk_pin()}, name


@pytest.mark.parametrize("name", NAMES)
def test_no_job_or_workflow_wide_provider_credential(name: str) -> None:
    workflow = load(name)
    assert "env" not in workflow, name
    for job in workflow["jobs"].values():
        assert set(job.get("env", {})) == {"PULUMI_ACCESS_TOKEN"}, name


@pytest.mark.parametrize("name", NAMES)
def test_every_pulumi_step_logs_in_to_vault_with_a_fresh_oidc_token_of_its_own(name: str) -> None:
    found = _pulumi_steps(name)
    assert len(found) == (2 if name == "deploy.yml" else 1), name
    for step in found:
        env = step["env"]
        assert isinstance(env, dict)
        assert env["VAULT_JWT_AUDIENCE"] == "${{ vars.VAULT_JWT_AUDIENCE }}"
        run = str(step["run"])
        fetch = run.index("$ACTIONS_ID_TOKEN_REQUEST_URL&audience=$aud")
        assert fetch < run.index('echo "::add-mask::$TERRAFORM_VAULT_AUTH_JWT"')
        command = _PULUMI_COMMAND.search(run)
        assert command is not None and run.index("export TERRAFORM_VAULT_AUTH_JWT") < command.start()
        # In this step's shell only: never written where later steps (or `make test`) could read it.
        assert "GITHUB_ENV" not in run and "GITHUB_OUTPUT" not in run


_CREDENTIAL_ENV = ("secrets.", "TERRAFORM_VAULT_AUTH_JWT", "VAULT_JWT_AUDIENCE", "ACTIONS_ID_TOKEN")


@pytest.mark.parametrize("name", NAMES)
def test_no_step_but_a_pulumi_step_gets_a_provider_credential(name: str) -> None:
    # `make test`, the canary, the policy-config and gate steps run the pull request's code: a secret in
    # their env (or a Vault token left in $GITHUB_ENV for them) is readable by the PR whatever the pulumi
    # steps do. Only the steps that run pulumi hold provider credentials, each fetching its own.
    for step in steps(load(name)):
        text = f"{step.get('env', '')} {step.get('with', '')} {step.get('run', '')}"
        if not _PULUMI_COMMAND.search(str(step.get("run", ""))):
            held = [marker for marker in _CREDENTIAL_ENV if marker in text]
            assert not held, (name, step.get("name"), held)
        kept = re.search(r"TERRAFORM_VAULT_AUTH_JWT[^\n]*GITHUB_(ENV|OUTPUT)", text)
        assert not kept, (name, step.get("name"))


def test_the_deploy_logs_in_to_vault_once_per_token() -> None:
    # A GitHub OIDC token expires 5 minutes after issue (actions/toolkit#2048), and `pulumi up` without
    # --skip-preview configures every provider twice, for its preview and again for the update
    # (pulumi/pulumi#13987): the second Vault login would come after a whole preview of prod.
    (up,) = [s for s in _pulumi_steps("deploy.yml") if "pulumi up " in str(s["run"])]
    assert "--skip-preview" in str(up["run"])


def test_only_the_prod_environment_job_holds_write_credentials() -> None:
    # Repository secrets reach every same-repository PR job (a PR can edit the workflow and print them);
    # only a GitHub environment's secrets, behind its deployment-branch rule, are out of a PR's reach.
    read_only = {"PULUMI_ACCESS_TOKEN", "OKTA_READONLY_API_TOKEN"}
    for name, datadog in (
        ("preview.yml", {"DATADOG_API_KEY", "DATADOG_READONLY_APP_KEY"}),
        ("drift.yml", set()),
    ):
        text = (WORKFLOWS / name).read_text()
        assert set(re.findall(r"secrets\.(\w+)", text)) == read_only | datadog, name
        assert all("environment" not in job for job in load(name)["jobs"].values()), name
    jobs = load("deploy.yml")["jobs"]
    assert {name: job["environment"] for name, job in jobs.items()} == {
        "deploy": "prod",
        "deploy-monitoring": "monitoring",
    }
    assert set(re.findall(r"secrets\.(\w+)", str(jobs["deploy"]))) == {
        "PULUMI_ACCESS_TOKEN",
        "OKTA_API_TOKEN",
    }
    assert set(re.findall(r"secrets\.(\w+)", str(jobs["deploy-monitoring"]))) == {
        "PULUMI_ACCESS_TOKEN",
        "DD_API_KEY",
        "DD_APP_KEY",
    }
    # No stored Vault token anywhere (Vault by JWT login); Datadog keys only in the monitoring jobs.
    for name in NAMES:
        assert "VAULT_TOKEN" not in (WORKFLOWS / name).read_text(), name
        for job_name, job in load(name)["jobs"].items():
            if job_name != MONITORING_JOBS.get(name):
                assert "DD_" not in str(job) and "DATADOG" not in str(job), (name, job_name)
