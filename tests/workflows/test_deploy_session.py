"""The deploy credentials outlive the apply: job timeout < session the workflow asks for <= role's max."""

from __future__ import annotations

from pathlib import Path

import yaml

from frontdoor.domain.documents.delivery_roles import DEPLOY_SESSION_SECONDS

DEPLOY = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "deploy.yml"


def test_the_deploy_session_outlives_the_job() -> None:
    job = yaml.safe_load(DEPLOY.read_text())["jobs"]["deploy"]
    (credentials,) = [
        s for s in job["steps"] if str(s.get("uses", "")).startswith("aws-actions/configure-aws")
    ]
    session = int(credentials["with"]["role-duration-seconds"])
    assert session == DEPLOY_SESSION_SECONDS == 14400
    # A job killed at its timeout never runs on expired credentials.
    assert job["timeout-minutes"] * 60 < session
    (up,) = [s for s in job["steps"] if "pulumi up" in str(s.get("run", ""))]
    assert "--parallel 10" in up["run"]
