"""The identity monitors' queries: exact searches, thresholds from config, break-glass exempt by name."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from frontdoor.domain.documents.observability import (
    HEARTBEAT_NO_DATA_MINUTES,
    burn_rate_query,
    heartbeat_query,
    log_metrics,
    log_monitors,
    slo_queries,
)
from frontdoor.domain.model.observability import ObservabilityConfig, Thresholds

APP = "AWS IAM Identity Center"


def monitors(config: ObservabilityConfig, users: list[str] | None = None) -> dict[str, str]:
    return {m.key: m.query() for m in log_monitors(config, APP, users or [])}


def test_queries_and_default_thresholds() -> None:
    queries = monitors(
        ObservabilityConfig(notify=["@slack-identity"], okta_logs_integration=True),
        ["breakglass-1", "breakglass-2"],
    )
    assert queries == {
        "failed-okta-sign-ins": 'logs("source:okta @eventType:user.authentication.sso '
        '@target.displayName:\\"AWS IAM Identity Center\\" @outcome.result:FAILURE").index("*")'
        '.rollup("count").last("15m") > 25',
        "scim-errors-aws": 'logs("source:cloudtrail @eventSource:identitystore-scim.amazonaws.com '
        '@errorCode:*").index("*").rollup("count").by("@errorCode").last("15m") > 0',
        "scim-errors-okta": 'logs("source:okta @eventType:application.provision.* @outcome.result:FAILURE")'
        '.index("*").rollup("count").by("@eventType").last("15m") > 0',
        "identity-source-changed": 'logs("source:cloudtrail @eventName:(AssociateDirectory OR '
        "DisassociateDirectory OR EnableExternalIdPConfigurationForDirectory OR "
        'DisableExternalIdPConfigurationForDirectory)").index("*").rollup("count").last("5m") > 0',
        "iam-user-created": 'logs("source:cloudtrail @eventSource:iam.amazonaws.com '
        "(@eventName:CreateAccessKey OR (@eventName:(CreateUser OR CreateLoginProfile) "
        '-@requestParameters.userName:(breakglass-1 OR breakglass-2)))").index("*").rollup("count")'
        '.by("@recipientAccountId").last("5m") > 0',
    }


def test_without_break_glass_users_every_user_and_key_alerts() -> None:
    queries = monitors(ObservabilityConfig(notify=["@slack-identity"], okta_logs_integration=True))
    assert queries["iam-user-created"].startswith(
        'logs("source:cloudtrail @eventSource:iam.amazonaws.com @eventName:(CreateUser OR CreateAccessKey OR '
        'CreateLoginProfile)")'
    )


def test_thresholds_and_handles_come_from_config() -> None:
    config = ObservabilityConfig(
        notify=["@pagerduty-identity"],
        thresholds=Thresholds(failed_sign_ins=5, failed_sign_ins_window="5m"),
        okta_logs_integration=True,
    )
    (failed,) = [m for m in log_monitors(config, APP, []) if m.key == "failed-okta-sign-ins"]
    assert failed.query().endswith('.last("5m") > 5')
    assert failed.message.endswith("@pagerduty-identity")
    assert burn_rate_query("abc123", config.thresholds) == (
        'burn_rate("abc123").over("30d").long_window("1h").short_window("5m") > 14.4'
    )
    assert slo_queries(APP) == (
        "sum:frontdoor.identity.okta.aws_sso{outcome:success}.as_count()",
        "sum:frontdoor.identity.okta.aws_sso{*}.as_count()",
    )


def test_bad_handles_and_tags_are_refused() -> None:
    with pytest.raises(ValidationError, match="not a Datadog notification handle"):
        ObservabilityConfig(notify=["slack-identity"])
    with pytest.raises(ValidationError, match="not a Datadog tag"):
        ObservabilityConfig(notify=["@slack-identity"], tags=["Team Platform"])


@pytest.mark.parametrize("stated", [None, False])
def test_the_okta_source_must_be_stated_installed(stated: bool | None) -> None:
    # Datadog's Okta integration is what delivers `source:okta`; nothing here can install it, so an unset
    # or false flag is refused rather than leaving the Okta monitors and the SSO SLO silent.
    values: dict[str, object] = {"notify": ["@slack-identity"]}
    if stated is not None:
        values["oktaLogsIntegration"] = stated
    with pytest.raises(ValidationError) as raised:
        ObservabilityConfig.model_validate(values)
    (error,) = raised.value.errors()
    assert error["loc"] == ()
    assert "only Datadog's Okta integration delivers" in error["msg"]
    assert ObservabilityConfig.model_validate({**values, "oktaLogsIntegration": True}).okta_logs_integration


def test_the_heartbeat_alerts_only_on_no_data_after_twice_its_window() -> None:
    assert (
        heartbeat_query()
        == "sum(last_12h):sum:frontdoor.identity.aws.assume_role_with_saml{*}.as_count() < 1"
    )
    assert HEARTBEAT_NO_DATA_MINUTES == 2 * 12 * 60
    # The metric it watches is the one the log metrics define.
    assert any(spec.name == "frontdoor.identity.aws.assume_role_with_saml" for spec in log_metrics(APP))
