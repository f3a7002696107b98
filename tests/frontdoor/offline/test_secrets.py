"""Secrets stay secret: the Okta API token is secret in every registered input and every output.

Asserted on the engine's record of the real program. The SCIM bearer token is never accepted by the
stack config at all (it is pasted into Okta by hand: docs/scim-runbook.md), so it cannot leak.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from frontdoor.domain.config.files import provider_settings
from frontdoor.offline.engine import ProgramRun, run_program
from frontdoor.offline.estate import Estate
from frontdoor.offline.preview import OFFLINE_SECRET, resolve_inputs, run_preview

REPO = Path(__file__).resolve().parents[3]
TOKEN = "00Okta-API-token-that-must-never-be-plain"


def _leaks(run: ProgramRun, secret: str) -> tuple[list[str], list[str], int]:
    """(inputs holding the secret unmarked, outputs holding it unmarked, inputs holding it at all)."""
    plain_inputs: list[str] = []
    carriers = 0
    for record in run.resources:
        for key, value in record.inputs.items():
            if secret in json.dumps(value, default=str):
                carriers += 1
                if key not in record.secret_inputs:
                    plain_inputs.append(f"{record.type}::{record.name}.{key}")
    plain_outputs = [
        name
        for name, out in run.outputs.items()
        if secret in json.dumps(out.value, default=str) and not out.secret
    ]
    return plain_inputs, plain_outputs, carriers


@pytest.fixture(scope="module")
def run_with_token(demo_estate: Estate) -> ProgramRun:
    config = provider_settings(REPO / "stacks" / "Pulumi.demo.yaml")
    config["okta:apiToken"] = TOKEN
    return run_program(REPO, stack="demo", config=config, estate=demo_estate, secret_keys=("okta:apiToken",))


def test_okta_token_is_secret_everywhere_it_flows(run_with_token: ProgramRun) -> None:
    plain_inputs, plain_outputs, carriers = _leaks(run_with_token, TOKEN)
    assert carriers == 1  # the Okta provider: the check below is not vacuous
    assert plain_inputs == []
    assert plain_outputs == []
    (okta,) = run_with_token.by_type("pulumi:providers:okta")
    assert okta.secret_inputs == frozenset({"apiToken"})


def test_a_secure_value_in_the_stack_file_is_a_secret_offline(tmp_path: Path) -> None:
    document = yaml.safe_load((REPO / "stacks" / "Pulumi.demo.yaml").read_text())
    document["config"]["okta:apiToken"] = {"secure": "v1:c2VjcmV0LWNpcGhlcnRleHQ="}
    stack_file = tmp_path / "Pulumi.demo.yaml"
    stack_file.write_text(yaml.safe_dump(document))
    inputs = resolve_inputs("demo", config_file=stack_file)
    result = run_preview(inputs, evaluate_policies=False)
    plain_inputs, plain_outputs, carriers = _leaks(result.run, OFFLINE_SECRET)
    assert (plain_inputs, plain_outputs, carriers) == ([], [], 1)


def test_no_scim_token_anywhere(run_with_token: ProgramRun) -> None:
    keys = {key for record in run_with_token.resources for key in record.inputs}
    assert {key for key in keys if "token" in key.lower()} == {"apiToken", "tokenExpiresOn"}
    (scim,) = run_with_token.by_type("frontdoor:okta:ScimProvisioning")
    assert scim.inputs["tokenExpiresOn"] == "2027-09-30"
