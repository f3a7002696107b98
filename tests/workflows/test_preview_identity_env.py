"""PR previews and the drift job run under the read-only preview identity; deploys never do."""

from __future__ import annotations

from tests.workflows.test_workflows import CONFIGURE_AWS, WORKFLOWS, load, steps

# The steps whose AWS calls must go through the preview role pair
# (frontdoor/domain/documents/provider_identity.py). The monitoring stack's preview makes no AWS call.
PREVIEW_READS = ("pulumi preview --stack prod ", "frontdoor estate pull", "frontdoor drift --stack")


def _reading_steps(name: str) -> list[dict[str, object]]:
    return [
        s
        for s in steps(load(name))
        if any(r in " ".join(str(s.get("run", "")).split()) for r in PREVIEW_READS)
    ]


def test_pr_preview_and_drift_reads_run_as_the_preview_identity() -> None:
    for name, expected in (("preview.yml", 1), ("drift.yml", 3)):
        reading = _reading_steps(name)
        assert len(reading) == expected, name
        for step in reading:
            # Without it both providers would assume the deployer, which the preview role cannot.
            env = dict(step.get("env") or {})  # type: ignore[call-overload]
            assert env.pop("FRONTDOOR_IDENTITY") == "preview", (name, step["name"])
            # Pulumi runs take the read-only Okta admin's token, never the deploy token.
            expected_env = (
                {
                    "OKTA_API_TOKEN": "${{ secrets.OKTA_READONLY_API_TOKEN }}",
                    "VAULT_JWT_AUDIENCE": "${{ vars.VAULT_JWT_AUDIENCE }}",
                }
                if "pulumi preview" in str(step["run"])
                else {}
            )
            assert env == expected_env, (name, step["name"])
            # The Identity Center read role follows the identity; an explicit name (the old default was
            # OrganizationAccountAccessRole, an administrator) would bypass it.
            assert "--role-name" not in str(step["run"]), (name, step["name"])
        (credentials,) = [s for s in steps(load(name)) if str(s.get("uses", "")).startswith(CONFIGURE_AWS)]
        assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_PREVIEW_ROLE_ARN }}"


def test_the_identity_is_never_set_for_a_whole_job_nor_for_the_deploy() -> None:
    # Job-wide it would reach `make test` and the offline engine, which run the program as an apply.
    for name in ("preview.yml", "drift.yml", "deploy.yml"):
        workflow = load(name)
        assert "FRONTDOOR_IDENTITY" not in str(workflow.get("env", {})), name
        for job in workflow["jobs"].values():
            assert "FRONTDOOR_IDENTITY" not in str(job.get("env", {})), name
    assert "FRONTDOOR_IDENTITY" not in str(steps(load("deploy.yml")))


def test_the_okta_deploy_token_reaches_only_the_prod_environment_job() -> None:
    for name in ("preview.yml", "drift.yml"):
        assert "secrets.OKTA_API_TOKEN" not in (WORKFLOWS / name).read_text(), name
    jobs = load("deploy.yml")["jobs"]
    job = jobs["deploy"]
    assert job["environment"] == "prod"
    # Not job-wide (`make test` would see it): only the two steps that run pulumi.
    assert "OKTA_API_TOKEN" not in job["env"]
    holding = [s["name"] for s in job["steps"] if "OKTA_API_TOKEN" in (s.get("env") or {})]
    assert holding == ["Preview prod with the policy pack", "Deploy prod"]
    for step in job["steps"]:
        if "OKTA_API_TOKEN" in (step.get("env") or {}):
            assert step["env"]["OKTA_API_TOKEN"] == "${{ secrets.OKTA_API_TOKEN }}"
    assert "OKTA" not in str(jobs["deploy-monitoring"])
