"""The demo stack run once per test session through the whole offline preview (program + pack)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from frontdoor.domain.config.files import provider_settings
from frontdoor.offline.engine import ProgramRun, run_program
from frontdoor.offline.estate import Estate, load_estate
from frontdoor.offline.preview import PreviewResult, resolve_inputs, run_preview

REPO = Path(__file__).resolve().parents[3]


def one_team_settings() -> dict[str, Any]:
    """The demo config with one team and no org grants: for tests whose subject does not depend on
    the teams (and runs faster without them)."""
    settings = provider_settings(REPO / "stacks" / "Pulumi.demo.yaml")
    settings["frontdoor:teams"] = {"payments": settings["frontdoor:teams"]["payments"]}
    settings["frontdoor:orgGrants"] = {}
    del settings["frontdoor:machines"]  # its consumers belong to teams dropped here
    return settings


@pytest.fixture(scope="session")
def demo() -> PreviewResult:
    return run_preview(resolve_inputs("demo"))


@pytest.fixture(scope="session")
def monitoring() -> PreviewResult:
    """The monitoring stack's whole offline preview (program + pack): the Datadog monitors, reading
    the demo identity stack's outputs from stacks/estate.monitoring.yaml."""
    return run_preview(resolve_inputs("monitoring"))


@pytest.fixture(scope="session")
def demo_estate() -> Estate:
    return load_estate(REPO / "stacks" / "estate.demo.yaml")


@pytest.fixture(scope="session")
def breakglass_run() -> ProgramRun:
    """The break-glass stack's program run (no pack): its resources and invokes."""
    return run_program(
        REPO,
        stack="breakglass",
        config=provider_settings(REPO / "stacks" / "Pulumi.breakglass.yaml"),
        estate=load_estate(REPO / "stacks" / "estate.breakglass.yaml"),
    )
