"""The engine's vendor rules (audit engine rules 4 and 9, and import exactness for HR's attributes): each
fires on its planted defect, names it exactly, and stays silent on the fix."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pulumi_vault as vault
import pytest

from components.datadog_monitors import DatadogMonitors, DatadogMonitorsArgs
from components.datadog_provider import datadog_provider
from frontdoor.domain import contracts
from frontdoor.domain import resource_types as catalogue
from frontdoor.domain.documents.datadog_aws import LOG_READY_SERVICE_IDS
from frontdoor.domain.model.observability import ObservabilityConfig
from frontdoor.offline.api_rules import EVERY_PROVIDER_RULES, RULES, Context, check
from frontdoor.offline.estate import (
    Estate,
    EstateAppUserProperty,
    EstateAppUserSchema,
    EstateOkta,
    EstateUserSchema,
    EstateUserSchemaProperty,
    load_estate,
)
from frontdoor.offline.record import RecordedResource
from tests.components.okta_mocks import run

DEMO = Path(__file__).resolve().parents[3] / "stacks" / "estate.demo.yaml"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
MAPPING_SOURCE = "Okta Schemas API: the app-user schema"
IMPORT_SOURCE = "Pulumi import: the declared inputs must match the live object"


@pytest.fixture(scope="module")
def estate() -> Estate:
    return load_estate(DEMO)


def _record(type_: str, name: str, inputs: dict[str, Any], **options: Any) -> RecordedResource:
    record = RecordedResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:demo::frontdoor::{type_}::{name}",
        custom=True,
        parent_urn="",
        inputs=inputs,
    )
    return dataclasses.replace(record, **options)


def _with_okta(estate: Estate, **okta: Any) -> Estate:
    return estate.model_copy(update={"okta": EstateOkta(**okta)})


def _facts(violations: list[Any]) -> list[tuple[str, str, str]]:
    return [(v.argument, v.rule, v.source) for v in violations]


# --- rule 4: no credential among a provider's inputs -------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "inputs", "argument"),
    [
        ("pulumi:providers:okta", {"orgName": "acme", "apiToken": "00tok"}, "apiToken"),
        ("pulumi:providers:vault", {"address": "https://v", "token": "hvs.x"}, "token"),
        ("pulumi:providers:datadog", {"apiUrl": "https://api", "appKey": "k"}, "appKey"),
        ("pulumi:providers:aws", {"region": "us-east-1", "secretKey": "s"}, "secretKey"),
        ("pulumi:providers:vault", {"authLoginJwt": json.dumps({"role": "r", "jwt": "eyJ"})}, "authLoginJwt"),
        (
            "pulumi:providers:vault",
            {"authLoginUserpass": {"username": "u", "password": "p"}},
            "authLoginUserpass",
        ),
    ],
)
def test_a_credential_among_a_provider_s_inputs_is_refused(
    estate: Estate, type_: str, inputs: dict[str, Any], argument: str
) -> None:
    violations = check(_record(type_, "p", inputs), Context(estate, {}))
    assert [(v.argument, v.rule) for v in violations] == [(argument, "provider-credential-input")]
    assert violations[0].problem.endswith(
        "leave it out and let the provider read it from its environment (docs/first-run.md)"
    )


def test_every_login_secret_is_caught_as_the_sdk_serialises_it(estate: Estate) -> None:
    # Registered through pulumi-vault itself: the blocks reach the provider's inputs as JSON with the
    # SDK's camelCase names (awsSecretAccessKey, not aws_secret_access_key).
    def provider() -> vault.Provider:
        return vault.Provider(
            "vault",
            address="https://v",
            auth_login=vault.ProviderAuthLoginArgs(path="auth/x/login", parameters={"k": "v"}),
            auth_login_aws=vault.ProviderAuthLoginAwsArgs(
                role="r", aws_access_key_id="AKIA", aws_secret_access_key="s", aws_session_token="t"
            ),
            auth_login_gcp=vault.ProviderAuthLoginGcpArgs(role="r", credentials="{}"),
            auth_login_jwt=vault.ProviderAuthLoginJwtArgs(role="r", distributed_claim_access_token="d"),
            auth_login_kerberos=vault.ProviderAuthLoginKerberosArgs(token="k"),
            auth_login_userpass=vault.ProviderAuthLoginUserpassArgs(username="u", password="p"),
        )

    inputs = run(provider).inputs("pulumi:providers:vault")["vault"]
    violations = check(_record("pulumi:providers:vault", "vault", inputs), Context(estate, {}))
    assert [(v.argument, v.problem.split(": a credential")[0]) for v in violations] == [
        ("authLogin", "the vault provider's authLogin block holds ['parameters']"),
        (
            "authLoginAws",
            "the vault provider's authLoginAws block holds "
            "['awsAccessKeyId', 'awsSecretAccessKey', 'awsSessionToken']",
        ),
        ("authLoginGcp", "the vault provider's authLoginGcp block holds ['credentials']"),
        ("authLoginJwt", "the vault provider's authLoginJwt block holds ['distributedClaimAccessToken']"),
        ("authLoginKerberos", "the vault provider's authLoginKerberos block holds ['token']"),
        ("authLoginUserpass", "the vault provider's authLoginUserpass block holds ['password']"),
    ]


def test_a_login_block_naming_only_where_to_log_in_passes(estate: Estate) -> None:
    login = {
        "address": "https://v",
        "authLoginJwt": json.dumps({"mount": "github-actions", "role": "deploy"}),
    }
    assert check(_record("pulumi:providers:vault", "vault", login), Context(estate, {})) == []
    plain = {"orgName": "acme", "baseUrl": "okta.com", "backoff": True}
    assert check(_record("pulumi:providers:okta", "okta", plain), Context(estate, {})) == []


def test_the_provider_rule_judges_providers_only(estate: Estate) -> None:
    # A resource input named like a credential is not a provider's.
    assert check(_record(contracts.IAM_ROLE, "r", {"token": "x"}), Context(estate, {})) == []
    assert set(EVERY_PROVIDER_RULES).isdisjoint(RULES)


# --- rule 9: every mapping target exists on the app user, a custom one with its SCIM name --------------


def _mapping(*targets: str, deps: tuple[str, ...] = ()) -> RecordedResource:
    mappings = [{"id": t, "expression": f"user.{t}", "pushStatus": "PUSH"} for t in targets]
    return _record(
        contracts.OKTA_PROFILE_MAPPING, "m", {"targetId": "0oa1", "mappings": mappings}, dependencies=deps
    )


def _created(index: str, namespace: str = ENTERPRISE) -> RecordedResource:
    inputs = {"appId": "0oa1", "index": index, "externalName": index, "externalNamespace": namespace}
    return _record(catalogue.OKTA_APP_USER_SCHEMA_PROPERTY, f"app-user.{index}", inputs)


def test_an_absent_app_user_schema_is_unknown_and_stops(estate: Estate) -> None:
    violations = check(_mapping("division"), Context(_with_okta(estate), {}))
    assert _facts(violations) == [("mappings", "mapping-target-exists", MAPPING_SOURCE)]
    assert violations[0].problem.startswith(
        "the estate has no okta.appUserSchema, so whether the app user has ['division'] is unknown (absent "
        "is never fine); write estate okta.appUserSchema from GET /api/v1/meta/schemas/apps/{appId}/default"
    )


def test_a_target_the_app_user_lacks_is_refused_and_passes_once_created(estate: Estate) -> None:
    lacking = _with_okta(estate, app_user_schema=EstateAppUserSchema(base=["userName"], custom={}))
    context = Context(lacking, {})
    violations = check(_mapping("division"), context)
    assert [v.problem for v in violations] == [
        "the app-user schema has no division (estate okta.appUserSchema), so Okta rejects the mapping; list "
        "it under frontdoor:okta.createAppUserProperties"
    ]
    created = _created("division")
    assert check(created, context) == []
    assert check(_mapping("division", deps=(created.urn,)), context) == []
    # Without the dependency the mapping may be created first: still refused.
    assert len(check(_mapping("division"), context)) == 1


def test_a_created_property_without_the_scim_namespace_is_refused(estate: Estate) -> None:
    context = Context(_with_okta(estate, app_user_schema=EstateAppUserSchema(base=[], custom={})), {})
    wrong = _created("division", namespace="urn:ietf:params:scim:schemas:core:2.0:User")
    check(wrong, context)
    (violation,) = check(_mapping("division", deps=(wrong.urn,)), context)
    assert violation.problem == (
        "the created app-user property division has externalName/externalNamespace ('division', "
        "'urn:ietf:params:scim:schemas:core:2.0:User'), so Okta never sends it as "
        f"{ENTERPRISE}:division"
    )


def test_creating_over_a_base_property_is_refused(estate: Estate) -> None:
    context = Context(
        _with_okta(estate, app_user_schema=EstateAppUserSchema(base=["division"], custom={})), {}
    )
    created = _created("division")
    check(created, context)
    (violation,) = check(_mapping("division", deps=(created.urn,)), context)
    assert violation.problem.startswith(
        "division is created as a custom app-user property, but the app's base"
    )
    assert check(_mapping("division"), context) == []  # the base property: mapping only


def test_an_existing_custom_property_needs_its_scim_name_and_namespace(estate: Estate) -> None:
    unnamed = EstateAppUserSchema(base=[], custom={"division": EstateAppUserProperty()})
    (violation,) = check(_mapping("division"), Context(_with_okta(estate, app_user_schema=unnamed), {}))
    assert violation.problem.startswith(
        f"the app's custom property division has externalName/externalNamespace (None, None), so Okta never "
        f"sends it as {ENTERPRISE}:division; set them in Profile Editor"
    )
    named = EstateAppUserSchema(
        base=[],
        custom={"division": EstateAppUserProperty(external_name="division", external_namespace=ENTERPRISE)},
    )
    assert check(_mapping("division"), Context(_with_okta(estate, app_user_schema=named), {})) == []


# --- adopting an HR-fed attribute: the import declares the live definition or ignores it ---------------

HR_TEAM = EstateUserSchemaProperty(
    title="Team (Workday)", type="string", master="OVERRIDE", permissions="READ_ONLY"
)
IGNORED = ("title", "description", "master", "required", "unique", "scope")


def _adopted(inputs: dict[str, Any], ignore: tuple[str, ...] = IGNORED) -> RecordedResource:
    return _record(catalogue.OKTA_USER_SCHEMA_PROPERTY, "okta-user.team", inputs, ignore_changes=ignore)


DECLARED = {
    "index": "team",
    "title": "Team",
    "type": "string",
    "master": "PROFILE_MASTER",
    "permissions": "READ_ONLY",
}


def test_an_adoption_ignoring_what_hr_owns_passes(estate: Estate) -> None:
    hr = _with_okta(estate, user_schema=EstateUserSchema(custom={"team": HR_TEAM}))
    assert check(_adopted(DECLARED), Context(hr, {}), import_id="team") == []


def test_an_adoption_declaring_other_values_than_hr_is_refused(estate: Estate) -> None:
    hr = _with_okta(estate, user_schema=EstateUserSchema(custom={"team": HR_TEAM}))
    violations = check(_adopted(DECLARED, ignore=()), Context(hr, {}), import_id="team")
    assert [(v.argument, v.rule) for v in violations] == [
        ("title", "adopted-attribute-matches-live"),
        ("master", "adopted-attribute-matches-live"),
    ]
    assert violations[0].problem == (
        "declares title='Team' where the live team has 'Team (Workday)': the import would rewrite HR's "
        "attribute (Pulumi CLI >= 3.174.0) or fail; declare the live value or ignore it"
    )
    assert {v.source for v in violations} == {IMPORT_SOURCE}


def test_adopting_a_read_write_attribute_is_refused(estate: Estate) -> None:
    editable = HR_TEAM.model_copy(update={"permissions": "READ_WRITE"})
    hr = _with_okta(estate, user_schema=EstateUserSchema(custom={"team": editable}))
    (violation,) = check(_adopted(DECLARED), Context(hr, {}), import_id="team")
    assert (violation.argument, violation.rule) == ("permissions", "adopted-attribute-matches-live")
    assert violation.problem.startswith("the live team is READ_WRITE: every user can edit it")


def test_an_adoption_without_the_live_schema_is_unknown(estate: Estate) -> None:
    (violation,) = check(_adopted(DECLARED), Context(_with_okta(estate), {}), import_id="team")
    assert violation.problem.startswith("adopts 'team', but the estate has no okta.userSchema")
    absent = _with_okta(estate, user_schema=EstateUserSchema(custom={}))
    (violation,) = check(_adopted(DECLARED), Context(absent, {}), import_id="team")
    assert violation.problem.startswith("adopts 'team', but the Okta user schema has no custom team")


def test_a_created_property_is_not_judged_as_an_adoption(estate: Estate) -> None:
    hr = _with_okta(estate, user_schema=EstateUserSchema(custom={}))
    assert check(_adopted(DECLARED, ignore=()), Context(hr, {})) == []


def test_a_created_property_over_a_live_custom_one_must_be_adopted(estate: Estate) -> None:
    hr = _with_okta(estate, user_schema=EstateUserSchema(custom={"team": HR_TEAM}))
    violations = check(_adopted(DECLARED, ignore=()), Context(hr, {}))
    assert [(v.argument, v.rule) for v in violations] == [("index", "existing-attribute-adopted")]


def test_the_demo_estate_holds_both_okta_schemas(estate: Estate) -> None:
    assert estate.okta.app_user_schema is not None and estate.okta.user_schema is not None


# --- rule 8: a Datadog forwarder's sources are log-ready service ids ----------------------------------


INTEGRATION = "datadog:aws/integrationAccount:IntegrationAccount"


def _integration_inputs() -> dict[str, Any]:
    """The integration as the monitoring component registers it (through pulumi-datadog itself)."""

    def build() -> DatadogMonitors:
        config = ObservabilityConfig(notify=["@slack-identity"], okta_logs_integration=True)
        return DatadogMonitors(
            "identity-monitors",
            DatadogMonitorsArgs(
                config=config,
                app_label="AWS IAM Identity Center",
                trail_account_id="100000000026",
                provider=datadog_provider("https://api.datadoghq.com/"),
            ),
        )

    inputs: dict[str, Any] = run(build).inputs(INTEGRATION)["identity-monitors/aws-100000000026"]
    return inputs


def _with_sources(inputs: dict[str, Any], sources: list[Any]) -> dict[str, Any]:
    forwarder = {**inputs["logsConfig"]["lambdaForwarder"], "sources": sources}
    return {**inputs, "logsConfig": {**inputs["logsConfig"], "lambdaForwarder": forwarder}}


def test_a_forwarder_source_that_is_no_log_ready_service_is_refused(estate: Estate) -> None:
    inputs = _integration_inputs()
    # What the program registers: no source (the identity stack subscribes the trail bucket itself).
    assert inputs["logsConfig"]["lambdaForwarder"]["sources"] == []
    assert check(_record(INTEGRATION, "i", inputs), Context(estate, {})) == []
    # Planted: CloudTrail's log type under a name Datadog does not list, and a valid id beside it.
    planted = _with_sources(inputs, ["s3", "cloudtrail-logs"])
    violations = check(_record(INTEGRATION, "i", planted), Context(estate, {}))
    assert [(v.argument, v.rule) for v in violations] == [
        ("logsConfig.lambdaForwarder.sources[1]", "datadog-log-sources-log-ready")
    ]
    assert violations[0].problem == (
        "'cloudtrail-logs' is not one of Datadog's log-ready AWS service ids (apigw-access-logs, "
        "apigw-execution-logs, cloudfront, cloudtrail, elb, elbv2, lambda, lambda-edge, redshift, s3, ssm, "
        "states, waf)"
    )
    assert violations[0].source.startswith(
        "Datadog API, AWS Logs Integration: GET /api/v2/integration/aws/logs/services"
    )
    # Every id Datadog lists passes.
    every = _with_sources(inputs, sorted(LOG_READY_SERVICE_IDS))
    assert check(_record(INTEGRATION, "i", every), Context(estate, {})) == []
    assert catalogue.engine_rules(INTEGRATION) == ("datadog-log-sources-log-ready",)
