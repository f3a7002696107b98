"""No provider credential in the stack config, in any mode, and none in any registered input.

Asserted on the engine's run of the real program. A stack-config value is decrypted for whoever runs
`pulumi preview` with the stack's access token, so the program refuses every provider credential key and
every `secure:` value before it registers anything (frontdoor/domain/documents/provider_credentials.py),
and the providers take theirs from the environment. The SCIM bearer token is never accepted by the stack
config at all (it is pasted into Okta by hand: docs/scim-runbook.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from frontdoor.domain.base.errors import ConfigError
from frontdoor.domain.config.files import provider_settings
from frontdoor.offline.engine import ProgramRun, run_program
from frontdoor.offline.estate import Estate, load_estate
from frontdoor.offline.preview import OFFLINE_SECRET, offline_secrets, resolve_inputs, run_preview
from tests.conftest import one_team_settings

REPO = Path(__file__).resolve().parents[3]
CREDENTIAL = "00credential-that-must-never-be-echoed"
SECURE = {"secure": "v1:c2VjcmV0LWNpcGhlcnRleHQ="}
PROBLEM = (
    "a provider credential in the stack config: every pull-request preview can decrypt and print it, "
    "whatever identity the run has"
)
# Credential-bearing inputs any provider SDK knows (provider.py additional_secret_outputs, and Vault's).
CREDENTIAL_INPUTS = {"apiToken", "accessToken", "privateKey", "apiKey", "appKey", "bearerToken", "token"}


def _run(estate: Estate, settings: dict[str, Any], secret: tuple[str, ...], mode: str) -> ProgramRun:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTDOOR_IDENTITY", mode)
        patch.setattr(pulumi.runtime, "is_dry_run", lambda: True)
        return run_program(REPO, stack="demo", config=settings, estate=estate, secret_keys=secret)


@pytest.mark.parametrize("mode", ["deployer", "preview"])
@pytest.mark.parametrize(
    ("key", "secret", "shown", "instead"),
    [
        ("okta:apiToken", True, "[secret]", "OKTA_API_TOKEN"),
        ("vault:token", False, "[set]", "the Vault JWT login"),
        ("datadog:appKey", True, "[secret]", "DD_APP_KEY"),
        ("aws:secretKey", True, "[secret]", "the workflow's OIDC role"),
    ],
)
def test_a_credential_in_the_stack_config_stops_every_mode_before_anything_registers(
    demo_estate: Estate, mode: str, key: str, secret: bool, shown: str, instead: str
) -> None:
    settings = one_team_settings()
    settings[key] = CREDENTIAL
    with pytest.raises(ConfigError) as raised:
        _run(demo_estate, settings, (key,) if secret else (), mode)
    text = str(raised.value)
    assert text.startswith(
        f"stacks/Pulumi.demo.yaml: {key}: {PROBLEM} (got '{shown}'). Fix: `pulumi config rm {key}`; "
        f"provide it from {instead}"
    )
    assert raised.value.registered == 0 and CREDENTIAL not in text


def test_a_secure_value_in_the_stack_file_is_refused_offline(tmp_path: Path) -> None:
    document = yaml.safe_load((REPO / "stacks" / "Pulumi.demo.yaml").read_text())
    document["config"]["datadog:apiUrl"] = {"secure": "v1:c2VjcmV0LWNpcGhlcnRleHQ="}
    stack_file = tmp_path / "Pulumi.demo.yaml"
    stack_file.write_text(yaml.safe_dump(document))
    inputs = resolve_inputs("demo", config_file=stack_file)
    with pytest.raises(ConfigError) as raised:
        run_preview(inputs, evaluate_policies=False)
    assert "datadog:apiUrl: " + PROBLEM + " (got '[secret]')" in str(raised.value)
    assert raised.value.registered == 0


@pytest.mark.parametrize(
    ("key", "value"),
    [
        # A `secure:` value nested in a list of objects under a key no table lists (aws:assumeRoles).
        ("aws:assumeRoles", [{"roleArn": "arn:aws:iam::111111111111:role/x", "externalId": SECURE}]),
        # ... and in a map of maps (datadog:defaultTags).
        ("datadog:defaultTags", {"tags": {"owner": SECURE}}),
    ],
)
def test_a_secure_value_nested_in_a_stack_file_object_is_refused_offline(
    tmp_path: Path, key: str, value: object
) -> None:
    # The CLI marks the whole key secret when its object holds a `secure:` value at any depth
    # (pulumi sdk/go/common/resource/config/value.go hasSecureValue), so the real program refuses it;
    # the offline engine must not be looser than the CLI.
    document = yaml.safe_load((REPO / "stacks" / "Pulumi.demo.yaml").read_text())
    document["config"][key] = value
    stack_file = tmp_path / "Pulumi.demo.yaml"
    stack_file.write_text(yaml.safe_dump(document))
    with pytest.raises(ConfigError) as raised:
        run_preview(resolve_inputs("demo", config_file=stack_file), evaluate_policies=False)
    assert f"{key}: {PROBLEM} (got '[secret]')" in str(raised.value)
    assert raised.value.registered == 0 and "c2VjcmV0" not in str(raised.value)


def test_offline_secrets_mark_a_key_whose_object_holds_a_secure_value() -> None:
    plain, secret = offline_secrets(
        {"okta:orgName": "acme", "x:top": SECURE, "x:deep": {"a": [1, {"b": SECURE}]}, "x:flat": {"a": 1}}
    )
    assert secret == ("x:top", "x:deep")
    assert plain["x:deep"] == {"a": [1, {"b": OFFLINE_SECRET}]} and plain["x:top"] == OFFLINE_SECRET
    assert plain["x:flat"] == {"a": 1} and plain["okta:orgName"] == "acme"


def test_the_break_glass_stack_refuses_credentials_too(demo_estate: Estate) -> None:
    settings = provider_settings(REPO / "stacks" / "Pulumi.breakglass.yaml")
    settings["aws:accessKey"] = CREDENTIAL
    with pytest.raises(ConfigError) as raised:
        run_program(REPO, stack="breakglass", config=settings, estate=demo_estate)
    assert str(raised.value).startswith(
        f"stacks/Pulumi.breakglass.yaml: aws:accessKey: {PROBLEM} (got '[set]')"
    )
    assert raised.value.registered == 0


@pytest.mark.parametrize(
    ("key", "instead"), [("datadog:apiKey", "DD_API_KEY"), ("datadog:appKey", "DD_APP_KEY")]
)
def test_the_monitoring_stack_refuses_the_datadog_keys(key: str, instead: str) -> None:
    # The monitoring stack is the one whose provider uses them: from its job's environment only.
    settings = provider_settings(REPO / "stacks" / "Pulumi.monitoring.yaml")
    settings[key] = CREDENTIAL
    estate = load_estate(REPO / "stacks" / "estate.monitoring.yaml")
    with pytest.raises(ConfigError) as raised:
        run_program(REPO, stack="monitoring", config=settings, estate=estate, secret_keys=(key,))
    text = str(raised.value)
    assert text.startswith(
        f"stacks/Pulumi.monitoring.yaml: {key}: {PROBLEM} (got '[secret]'). Fix: `pulumi config rm {key}`; "
        f"provide it from {instead}"
    )
    assert raised.value.registered == 0 and CREDENTIAL not in text


def test_no_provider_holds_a_credential_input(demo: Any) -> None:
    run: ProgramRun = demo.run
    providers = [r for r in run.resources if r.type.startswith("pulumi:providers:")]
    assert {r.type for r in providers} >= {"pulumi:providers:okta", "pulumi:providers:vault"}
    assert {r.name: sorted(CREDENTIAL_INPUTS & set(r.inputs)) for r in providers} == {
        r.name: [] for r in providers
    }
    (vault,) = [r for r in providers if r.type == "pulumi:providers:vault"]
    # The offline preview runs as a workstation deploy: no JWT in its environment, so no login block.
    assert {k for k in vault.inputs if k.startswith("authLogin")} == set()
    assert vault.inputs["maxLeaseTtlSeconds"] == "14400"


def test_no_scim_token_anywhere(demo: Any) -> None:
    run: ProgramRun = demo.run
    keys = {key for record in run.resources for key in record.inputs}
    assert {key for key in keys if "token" in key.lower()} == {"tokenExpiresOn"}
    (scim,) = run.by_type("frontdoor:okta:ScimProvisioning")
    assert scim.inputs["tokenExpiresOn"] == "2027-09-30"


def test_the_vault_provider_logs_in_with_the_role_of_the_run_identity(demo_estate: Estate) -> None:
    settings = one_team_settings()
    demo = provider_settings(REPO / "stacks" / "Pulumi.demo.yaml")["frontdoor:machines"]
    reporting = dict(demo["consumers"]["legacy-reporting"], ownerTeam="payments")
    settings["frontdoor:machines"] = {"vault": demo["vault"], "consumers": {"legacy-reporting": reporting}}
    logins = {}
    for mode in ("deployer", "preview"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("TERRAFORM_VAULT_AUTH_JWT", "eyJhbGciOi.github.oidc")
            run = _run(demo_estate, settings, (), mode)
        (vault,) = run.by_type("pulumi:providers:vault")
        assert "token" not in vault.inputs and "eyJhbGciOi.github.oidc" not in json.dumps(vault.inputs)
        logins[mode] = json.loads(vault.inputs["authLoginJwt"])
    assert logins == {
        "deployer": {"mount": "github-actions", "role": "frontdoor-deploy"},
        "preview": {"mount": "github-actions", "role": "frontdoor-preview"},
    }
